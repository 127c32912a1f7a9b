package catalogue

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestCompareCodes(t *testing.T) {
	codes := []string{"3.4", "1.10", "2.1", "1.2", "1.1.2", "x", "1.1"}
	SortCodes(codes)
	want := []string{"1.1", "1.1.2", "1.2", "1.10", "2.1", "3.4", "x"}
	if !slices.Equal(codes, want) {
		t.Errorf("sorted = %v", codes)
	}
}

// compareCodesSplit is CompareCodes as first written (strings.Split
// per comparison); the allocation-free version must agree with it.
func compareCodesSplit(a, b string) int {
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

func TestCompareCodesAgreesWithSplit(t *testing.T) {
	codes := []string{"", ".", "..", "1", "1.", ".1", "1.1", "1.10", "1.2", "1.2.3", "1.2.3.4", "2", "2.1", "10.1", "a", "a.1",
		"1.a", "1.b", "01.1", "+1.1", "-1", "1..2", "2.1.", "3.4"}
	for _, a := range codes {
		for _, b := range codes {
			if got, want := CompareCodes(a, b), compareCodesSplit(a, b); got != want {
				t.Errorf("CompareCodes(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}
