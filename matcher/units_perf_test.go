package matcher

import (
	"slices"
	"strings"
	"testing"

	"gongkai/ident"
)

// scanIdentifiers reads sampling numbers and credit codes itself; it must
// find exactly what ident.FindSamplingNos and ident.FindUSCCs find.
func TestLongRunsFindWhatIdentFinds(t *testing.T) {
	pieces := []string{"DC2014052500012", "3", "DC20140525000123", "ＤＣ２０１４０５２５０００１２３", "dc20140525000123", "ABCD20140525000123",
		"91140525MA0GRL7Q34", "９１１４０５２５ＭＡ０ＧＲＬ７Ｑ３４", "91140525MA0GRL7Q3Y", "DC20200101000001", "0", "A", "-", " ", "　", "中", "，", "\xff", "（"}
	seed := uint64(3)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	found := 0
	for range 30000 {
		var b strings.Builder
		for range next(6) {
			b.WriteString(pieces[next(len(pieces))])
		}
		text := b.String()
		var sampling, usccs []string
		long := appendLongAlnumRuns(nil, text, minSamplingLen)
		for _, s := range long {
			if isSamplingNo(s) && !slices.Contains(sampling, s) {
				sampling = append(sampling, s)
			}
		}
		for _, c := range long {
			if len(c) == 18 && !slices.Contains(usccs, c) && ident.CheckUSCC(c) == nil {
				usccs = append(usccs, c)
			}
		}
		found += len(sampling) + len(usccs)
		if want := ident.FindSamplingNos(text); !slices.Equal(sampling, want) {
			t.Fatalf("sampling numbers of %q: %q, ident finds %q", text, sampling, want)
		}
		if want := ident.FindUSCCs(text); !slices.Equal(usccs, want) {
			t.Fatalf("credit codes of %q: %q, ident finds %q", text, usccs, want)
		}
	}
	if found < 1000 {
		t.Fatalf("only %d identifiers in the random texts: the test does not exercise the finders", found)
	}
}
