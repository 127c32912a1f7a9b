// Package texttable lays out plain-text tables for terminals showing
// Chinese: width counts East Asian wide characters as two columns. The
// harvester's summary, its item listing and the reporter's query all use it.
package texttable

import (
	"bufio"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Width is how many terminal columns s takes: East Asian wide and
// full-width characters (汉字, 〔〕, full-width digits) take two, combining
// marks and control characters none, everything else one.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r == '\t':
		return 1
	case unicode.IsControl(r), unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), r == '\u200b':
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// Truncate cuts s to at most max columns, ending with "…" when cut.
func Truncate(s string, max int) string {
	if Width(s) <= max {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := runeWidth(r)
		if w+rw > max-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	b.WriteString("…")
	return b.String()
}

// Write writes rows as a plain-text table aligned for a terminal with
// CJK text: columns separated by two spaces, a dashed rule under the header,
// numbers (cells of digits) right-aligned, cells longer than maxCell columns
// shortened (0 = no limit). Line breaks inside cells become spaces.
func Write(w io.Writer, header []string, rows [][]string, maxCell int) error {
	clean := func(s string) string {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == '\t' {
				return ' '
			}
			return r
		}, s)
		if maxCell > 0 {
			s = Truncate(s, maxCell)
		}
		return s
	}
	widths := make([]int, len(header))
	hdr := make([]string, len(header))
	for i, h := range header {
		hdr[i] = clean(h)
		widths[i] = Width(hdr[i])
	}
	cells := make([][]string, len(rows))
	numeric := make([]bool, len(header))
	for i := range numeric {
		numeric[i] = len(rows) > 0
	}
	for i, row := range rows {
		cells[i] = make([]string, len(header))
		for j := range header {
			if j < len(row) {
				cells[i][j] = clean(row[j])
			}
			widths[j] = max(widths[j], Width(cells[i][j]))
			if cells[i][j] != "" && !isDigits(cells[i][j]) {
				numeric[j] = false
			}
		}
	}
	b := bufio.NewWriter(w)
	line := func(vals []string, isHeader bool) {
		// Trailing padding is dropped so lines do not end in spaces.
		last := len(vals) - 1
		for last > 0 && vals[last] == "" {
			last--
		}
		for j := 0; j <= last; j++ {
			if j > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[j]-Width(vals[j]))
			switch {
			case numeric[j] && !isHeader:
				b.WriteString(pad + vals[j])
			case j == last:
				b.WriteString(vals[j])
			default:
				b.WriteString(vals[j] + pad)
			}
		}
		b.WriteByte('\n')
	}
	line(hdr, true)
	rule := make([]string, len(header))
	for j := range rule {
		rule[j] = strings.Repeat("-", widths[j])
	}
	line(rule, true)
	for _, row := range cells {
		line(row, false)
	}
	return b.Flush()
}

func isDigits(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
