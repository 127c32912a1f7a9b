package catalogue

// The order of item codes: 一级.二级.三级 numbers, compared as numbers.

import (
	"slices"
	"strconv"
	"strings"
)

// CompareCodes orders item codes numerically part by part, so that
// 1.2 < 1.10 < 2.1; codes that are not numeric sort after, as text.
// Reports, queries and menus list items in this order.
func CompareCodes(a, b string) int {
	for {
		pa, restA, moreA := strings.Cut(a, ".")
		pb, restB, moreB := strings.Cut(b, ".")
		na, ea := strconv.Atoi(pa)
		nb, eb := strconv.Atoi(pb)
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
			if c := strings.Compare(pa, pb); c != 0 {
				return c
			}
		}
		if !moreA || !moreB {
			// Equal so far: the code with fewer parts first.
			return partsLeft(restA, moreA) - partsLeft(restB, moreB)
		}
		a, b = restA, restB
	}
}

// partsLeft is how many dot-separated parts rest holds (none when the
// code had no more).
func partsLeft(rest string, more bool) int {
	if !more {
		return 0
	}
	return strings.Count(rest, ".") + 1
}

// SortCodes sorts item codes in place by CompareCodes.
func SortCodes(codes []string) { slices.SortFunc(codes, CompareCodes) }
