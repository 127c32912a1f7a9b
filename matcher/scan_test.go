package matcher

import (
	"strings"
	"testing"
)

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
