package reports

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// compareItemCodesSplit is CompareItemCodes as first written (strings.Split
// per comparison); the allocation-free version must agree with it.
func compareItemCodesSplit(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		switch {
		case ea == nil && eb == nil:
			if na != nb {
				return na - nb
			}
		case ea == nil:
			return -1
		case eb == nil:
			return 1
		default:
			if c := strings.Compare(pa[i], pb[i]); c != 0 {
				return c
			}
		}
	}
	return len(pa) - len(pb)
}

func TestCompareItemCodesAgreesWithSplit(t *testing.T) {
	codes := []string{"", ".", "..", "1", "1.", ".1", "1.1", "1.10", "1.2", "1.2.3", "1.2.3.4", "2", "2.1", "10.1", "a", "a.1",
		"1.a", "1.b", "01.1", "+1.1", "-1", "1..2", "2.1.", "3.4"}
	for _, a := range codes {
		for _, b := range codes {
			if got, want := CompareItemCodes(a, b), compareItemCodesSplit(a, b); got != want {
				t.Errorf("CompareItemCodes(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}

// sortStable must order exactly as slices.SortStableFunc does, equal
// elements included; mergeSorted as a stable sort of the concatenation.
func TestSortStableAndMergeSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	type pair struct{ key, order int }
	byKey := func(x, y *pair) int { return cmp.Compare(x.key, y.key) }
	for n := range 200 {
		xs := make([]pair, n)
		for i := range xs {
			xs[i] = pair{rng.IntN(10), i}
		}
		want := slices.Clone(xs)
		slices.SortStableFunc(want, func(x, y pair) int { return byKey(&x, &y) })
		got := slices.Clone(xs)
		sortStable(got, byKey)
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: sortStable differs from slices.SortStableFunc", n)
		}
		cut := n / 3
		a, b := slices.Clone(want[:cut]), slices.Clone(want[cut:])
		sortStable(a, byKey)
		sortStable(b, byKey)
		merged := mergeSorted(nil, a, b, byKey)
		all := append(slices.Clone(a), b...)
		slices.SortStableFunc(all, func(x, y pair) int { return byKey(&x, &y) })
		if !slices.Equal(merged, all) {
			t.Fatalf("n=%d: mergeSorted differs from a stable sort", n)
		}
	}
}
