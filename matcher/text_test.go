package matcher

import "testing"

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
