package matcher

import (
	"strings"
	"unicode"

	"gongkai/ident"
	"gongkai/region"
)

// titleNoise are words that every title of a bureau carries and that say
// nothing about which event or case it is.
var titleNoise = func() []string {
	w := []string{"市场监督管理局", "市场监管局", "食品药品监督管理局", "人民政府", "关于", "开展", "举办", "组织",
		"通知", "公告", "公示", "情况", "工作", "活动", "有关", "信息", "我局", "县局", "区局", "市局", "晋城市"}
	for _, c := range region.Jincheng {
		w = append(w, c.Name, c.Short)
	}
	// Longest first so that 泽州县 goes before 泽州.
	for i := range w {
		for j := i + 1; j < len(w); j++ {
			if len([]rune(w[j])) > len([]rune(w[i])) {
				w[i], w[j] = w[j], w[i]
			}
		}
	}
	return w
}()

var noiseReplacer = func() *strings.Replacer {
	args := make([]string, 0, 2*len(titleNoise))
	for _, w := range titleNoise {
		args = append(args, w, " ")
	}
	return strings.NewReplacer(args...)
}()

// normTitle reduces a title to the characters that identify it: folded,
// bureau and county names and filler words removed, punctuation and spaces
// dropped, letters upper-cased.
func normTitle(s string) string {
	s = noiseReplacer.Replace(ident.Fold(s))
	var b strings.Builder
	for _, r := range s {
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

// bigrams returns the distinct character bigrams of a normalised title.
func bigrams(s string) []string {
	rs := []rune(s)
	if len(rs) < 2 {
		if len(rs) == 1 {
			return []string{s}
		}
		return nil
	}
	seen := make(map[string]bool, len(rs))
	out := make([]string, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		g := string(rs[i : i+2])
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// similarity says how much of the record's title the candidate's text
// carries: the share of the record's bigrams found in the candidate,
// lowered when the candidate is much longer (a long page title sharing a
// few words with a short record title is weak evidence). 1 = same title.
func similarity(recGrams []string, cand map[string]bool) float64 {
	if len(recGrams) == 0 || len(cand) == 0 {
		return 0
	}
	common := 0
	for _, g := range recGrams {
		if cand[g] {
			common++
		}
	}
	contain := float64(common) / float64(len(recGrams))
	dice := 2 * float64(common) / float64(len(recGrams)+len(cand))
	if len(recGrams) < 4 {
		// Too short to be telling by containment alone.
		return dice
	}
	return 0.75*contain + 0.25*dice
}

func gramSet(grams []string) map[string]bool {
	m := make(map[string]bool, len(grams))
	for _, g := range grams {
		m[g] = true
	}
	return m
}
