package matcher

import (
	"strings"
	"testing"
)

func TestScannerFindsOverlappingWords(t *testing.T) {
	s := newScanner([]string{"食品", "食品药品监督管理局", "药品", "品药"})
	var got []string
	text := "泽州县食品药品监督管理局"
	s.scan(text, func(h hit) { got = append(got, text[h.start:h.end]) })
	want := "食品,品药,药品,食品药品监督管理局"
	if strings.Join(got, ",") != want {
		t.Fatalf("got %v, want %s", got, want)
	}
}

// BenchmarkKeywordScan is why the scanner exists: classification looks
// for every kind, domain and ignore word in each text. The scanner reads
// a text once; the plain way, strings.Contains per word, reads it once
// per word.
func BenchmarkKeywordScan(b *testing.B) {
	r := DefaultRules()
	text := capRunes(strings.Repeat(fullDecision, 3), bodyScanLimit)
	b.Run("scanner", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			n := 0
			r.scanner.scan(text, func(hit) { n++ })
		}
	})
	b.Run("strings.Contains", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			n := 0
			for _, w := range r.wordList {
				if strings.Contains(text, w) {
					n++
				}
			}
		}
	})
}
