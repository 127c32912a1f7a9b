package matcher

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"gongkai/ident"
)

// prepareBuilder is prepare as first written (a strings.Builder per line,
// rune by rune); the byte-level prepare must give the same text.
func prepareBuilder(parts ...string) *preparedText {
	p := &preparedText{}
	var flat, line, compact strings.Builder
	endLine := func() {
		if line.Len() > 0 {
			flat.WriteString(strings.TrimSpace(line.String()))
			flat.WriteByte('\n')
			p.lines = append(p.lines, compact.String())
		}
		line.Reset()
		compact.Reset()
	}
	for _, part := range parts {
		for _, r := range part {
			switch {
			case r == '\n' || r == '\r':
				endLine()
				continue
			case r >= 0xFF01 && r <= 0xFF5E:
				r -= 0xFEE0
			case r == 0x3000 || r == '\t' || r == 0xA0 || r == 0xFEFF || r == 0x200B:
				r = ' '
			}
			if r == ' ' {
				if s := line.String(); s != "" && s[len(s)-1] != ' ' {
					line.WriteByte(' ')
				}
				continue
			}
			line.WriteRune(r)
			compact.WriteRune(r)
		}
		endLine()
	}
	p.flat = flat.String()
	p.date = fullDate.re.MatchString(p.flat) || chineseDate.re.MatchString(p.flat)
	return p
}

// labelsShowByLine is labelsShow as first written: every label searched
// in every line.
func labelsShowByLine(e *Element, t *preparedText) bool {
	for _, l := range e.labels {
		for li, line := range t.lines {
			i := strings.Index(line, l)
			if i < 0 {
				continue
			}
			rest := line[i+len(l):]
			switch {
			case i == 0 && (rest == "" || rest == ":"):
				if li+1 < len(t.lines) && !placeholder(valueOf(t.lines[li+1])) {
					return true
				}
			case strings.HasPrefix(rest, ":"):
				if !placeholder(valueOf(rest[1:])) {
					return true
				}
			case i == 0 && rest != "":
				if !placeholder(valueOf(rest)) {
					return true
				}
			}
		}
	}
	return false
}

func TestPrepareMatchesBuilderVersion(t *testing.T) {
	pieces := []string{"当事人", "：", ":", " ", "\u3000", "\t", "\u00a0", "\ufeff", "\u200b", "\n", "\r\n", "\v", "\u2003", "\u0085",
		"ＡＢＣ１２３", "２０２０年１月２日", "2020-01-02", "a", "中", "\xff", "\xe4\xb8", "（", "）", "罚款人民币伍仟元。"}
	seed := uint64(7)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for range 20000 {
		var parts []string
		for range next(4) {
			var b strings.Builder
			for range next(10) {
				b.WriteString(pieces[next(len(pieces))])
			}
			parts = append(parts, b.String())
		}
		got, want := prepare(parts...), prepareBuilder(parts...)
		if got.flat != want.flat || !slices.Equal(got.lines, want.lines) || got.hasDate(new(int64)) != want.date {
			t.Fatalf("prepare(%q):\n got %q %q %v\nwant %q %q %v", parts, got.flat, got.lines, got.hasDate(new(int64)), want.flat, want.lines, want.date)
		}
	}
}

// labelsShow searches all lines at once; it must judge as the search line
// by line did, labels split across lines and repeated on a line included.
func TestLabelsShowMatchesLineByLine(t *testing.T) {
	pieces := []string{"当事人", "当事", "人", "：", ":", "无", "—", "张三", "。", "\n", " ", "处罚", "处罚依据", "依据", "x"}
	labels := [][]string{{"当事人"}, {"处罚依据", "依据"}, {"人"}, {""}, {"当事人:"}}
	seed := uint64(11)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for range 30000 {
		var b strings.Builder
		for range next(12) {
			b.WriteString(pieces[next(len(pieces))])
		}
		text := prepare(b.String())
		e := &Element{labels: labels[next(len(labels))]}
		if got, want := labelsShow(e, text), labelsShowByLine(e, text); got != want {
			t.Fatalf("labelsShow(%q, %q) = %v, line by line %v", e.labels, b.String(), got, want)
		}
	}
}

// placeholder's length cut must not turn away a placeholder.
func TestPlaceholderLongestIsWithinCut(t *testing.T) {
	for p := range placeholders {
		if n := utf8.RuneCountInString(p); n > maxPlaceholderRunes {
			t.Errorf("placeholder %q has %d characters, more than maxPlaceholderRunes", p, n)
		}
		if !placeholder(" " + p + "\u3000") {
			t.Errorf("placeholder(%q) = false", p)
		}
	}
	for _, v := range []string{"张三", "ＮＵＬＬ", " N / A ", "罚款人民币伍仟元"} {
		if want := placeholders[strings.ReplaceAll(strings.TrimSpace(ident.Fold(v)), " ", "")]; placeholder(v) != want {
			t.Errorf("placeholder(%q) = %v, want %v", v, !want, want)
		}
	}
}
