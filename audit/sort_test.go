package audit

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

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
