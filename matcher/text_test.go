package matcher

import (
	"slices"
	"testing"
)

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

// titleGrams are the bigrams of titleRunes (the reduction likeKey and the
// linker share), whatever the title: empty, one character, noise words
// only, full-width forms, longer than maxTitleRunes.
func TestTitleGramsAreBigramsOfTitleRunes(t *testing.T) {
	long := ""
	for i := 0; i < 300; i++ {
		long += string(rune(0x4E00 + i%150))
	}
	for _, title := range []string{"", "关于", "检", "泽州县市场监督管理局关于ＡＢｃ检查的通知", "2020年第5期 食品安全监督抽检信息公告（第1批）",
		"检查检查检查", "a", "ＸＹ", long, "\xff\xfe坏字节检查"} {
		rs := titleRunes(title)
		var want []uint64
		switch {
		case len(rs) == 1:
			want = []uint64{uint64(rs[0]) << 32}
		case len(rs) > 1:
			for i := 0; i+1 < len(rs); i++ {
				want = append(want, uint64(rs[i])<<32|uint64(rs[i+1]))
			}
			slices.Sort(want)
			want = slices.Compact(want)
		}
		if got := titleGrams(title); !slices.Equal(got, want) {
			t.Errorf("titleGrams(%q) = %x, want %x", title, got, want)
		}
	}
}
