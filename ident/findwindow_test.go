package ident

import (
	"slices"
	"strings"
	"testing"
)

// FindDecisionNos reads only the windows before each 号 of a text; it
// must find what decisionsIn finds over the whole text, in the
// same order, whatever surrounds the numbers (long Han runs with stop
// words, brackets of every width, spaces, numbers that run together), in
// a title as in a long page.
func TestWindowedDecisionNosFindWhatIdentFinds(t *testing.T) {
	pieces := []string{"泽市监罚", "〔2020〕", "[2020]", "（２０２０）", "【2019】", "2020-", "2020年", "第", "12号", "0012号", "号", "1号",
		"依据", "根据", "决定书", "的", "市场监督管理局", "晋城市泽州县市场监督管理局行政处罚", "高市监", "罚字", "字", " ", "　", "\n", "，",
		"。", "12", "123456", "序号", "a", "〕", "〔", "—", "第3", "(2020)", "晋市监罚字〔2020〕第 5 号"}
	seed := uint64(5)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	found := 0
	for range 400 {
		var b strings.Builder
		size := 5000 + next(3000)
		if next(2) == 0 {
			size = 1 + next(200) // a title, a cell
		}
		for b.Len() < size {
			if next(20) == 0 {
				b.WriteString(strings.Repeat("食品安全监督管理工作", next(20))) // a long Han run
			}
			b.WriteString(pieces[next(len(pieces))])
		}
		text := b.String()
		var want []string
		seen := map[string]bool{}
		for _, d := range decisionsIn(text) {
			if !seen[d.Key()] {
				seen[d.Key()] = true
				want = append(want, d.Key())
			}
		}
		var got []string
		for _, d := range FindDecisionNos(text) {
			got = append(got, d.Key())
		}
		if !slices.Equal(got, want) {
			t.Fatalf("decision numbers of %q:\n got %q\nwant %q", text, got, want)
		}
		found += len(got)
	}
	if found < 600 {
		t.Fatalf("only %d decision numbers in the random texts", found)
	}
}
