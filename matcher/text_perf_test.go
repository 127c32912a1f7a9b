package matcher

import (
	"strings"
	"testing"
	"unicode"
)

// noiseReplacer is how titles lost their noise words before the scanner:
// appendNormTitle must cut exactly what it cut.
var noiseReplacer = func() *strings.Replacer {
	args := make([]string, 0, 2*len(titleNoise))
	for _, w := range titleNoise {
		args = append(args, w, " ")
	}
	return strings.NewReplacer(args...)
}()

// normTitleReplacer is normTitle as first written.
func normTitleReplacer(s string) string {
	s = noiseReplacer.Replace(s)
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch {
		case unicode.Is(unicode.Han, r), r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestNormTitleMatchesReplacer(t *testing.T) {
	pieces := append([]string{"泽", "州", "县", "市", "场", "监督", "管理局", "晋城", "关", "于", "x", "Ｙ", "１", " ", "（", "\xff", "食品"}, titleNoise...)
	seed := uint64(5)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for range 30000 {
		var b strings.Builder
		for range next(10) {
			b.WriteString(pieces[next(len(pieces))])
		}
		if got, want := normTitle(b.String()), normTitleReplacer(b.String()); got != want {
			t.Fatalf("normTitle(%q) = %q, with the replacer %q", b.String(), got, want)
		}
	}
}

func TestTitleGramsAllocatesOnlyItsResult(t *testing.T) {
	title := "泽州县市场监督管理局关于开展2020年食品安全宣传周活动的通知"
	if n := testing.AllocsPerRun(100, func() { titleGrams(title) }); n > 1 {
		t.Errorf("titleGrams allocates %.0f times, want 1", n)
	}
}

// isHan must agree with unicode.Is(unicode.Han) everywhere: titleGrams
// relies on it.
func TestIsHanAgreesWithUnicode(t *testing.T) {
	for r := rune(0); r <= 0x2FFFF; r++ {
		if isHan(r) != unicode.Is(unicode.Han, r) {
			t.Fatalf("isHan(%U) = %v, unicode.Is says %v", r, isHan(r), !isHan(r))
		}
	}
}

// titleGrams reads at most maxTitleRunes runes of the normalised title.
func TestTitleGramsCapsNormalisedTitle(t *testing.T) {
	long := ""
	for i := 0; i < 200; i++ {
		long += string(rune(0x4E00 + i))
	}
	g := titleGrams("关于" + long)
	if len(g) != maxTitleRunes-1 {
		t.Fatalf("%d bigrams, want %d", len(g), maxTitleRunes-1)
	}
	if normTitle("泽州县市场监督管理局关于ＡＢｃ检查") != "ABC检查" {
		t.Fatalf("normTitle = %q", normTitle("泽州县市场监督管理局关于ＡＢｃ检查"))
	}
}
