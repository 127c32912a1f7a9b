package ident

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FindDecisionNos returns the decision numbers in free text — titles,
// bodies, table cells, attachment file names (泽市监罚〔2020〕12号.pdf) — in
// order of appearance, without duplicate keys.
//
// The expression (decisionsIn) is run only near each 号 (a decision number
// ends with one): on windows
// reaching back over the number and the Han characters before it, not
// over the whole text — a page of megabytes, or a title with its metadata
// where the number is a tenth of the text (folding and matching all of it
// was most of the cost of reading a province's identifiers). Windows that
// touch are read as one.
func FindDecisionNos(text string) []DecisionNo {
	var out []DecisionNo
	seen := map[string]bool{}
	add := func(window string) {
		if !yearDigits.MatchString(window) {
			return // every decision number has its year: most windows are 序号, 第3号 …
		}
		for _, d := range decisionsIn(window) {
			if k := d.Key(); !seen[k] {
				seen[k] = true
				out = append(out, d)
			}
		}
	}
	lo, hi := -1, -1 // the window being gathered
	for off := 0; ; {
		i := strings.Index(text[off:], "号")
		if i < 0 {
			break
		}
		pos := off + i
		off = pos + len("号")
		start := decisionStart(text, pos)
		if lo >= 0 && start > hi {
			add(text[lo:hi])
			lo = -1
		}
		if lo < 0 {
			lo = start
		}
		hi = off
	}
	if lo >= 0 {
		add(text[lo:hi])
	}
	return out
}

// decisionStart returns where a decision number ending with the 号 at pos
// can begin: back over the characters of its year and number (digits,
// brackets, 第, dashes, spaces: at most decisionTailRunes of them), then
// over at most decisionHanRunes Han characters — more than the prefix
// decisionsIn keeps after its stop words, so the prefix found is the same.
func decisionStart(text string, pos int) int {
	const (
		decisionTailRunes = 48
		decisionHanRunes  = 32
	)
	i, n := pos, 0
	for i > 0 && n < decisionTailRunes {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if !decisionTailRune(r) {
			break
		}
		i -= size
		n++
	}
	for n = 0; i > 0 && n < decisionHanRunes; n++ {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if !unicode.Is(unicode.Han, r) {
			break
		}
		i -= size
	}
	return i
}

// yearDigits is four digits starting 19 or 20 (ASCII or full-width, as
// normaliseDecisionText folds them): the year every decision number has.
var yearDigits = regexp.MustCompile(`[1１][9９][0-9０-９]{2}|[2２][0０][0-9０-９]{2}`)

// decisionTailRune: the characters between a decision number's prefix
// and its 号, as written before they are folded and normalised.
func decisionTailRune(r rune) bool {
	switch {
	case r >= '0' && r <= '9', r >= 0xFF10 && r <= 0xFF19:
		return true
	case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' || r == 0x3000 || r == 0xA0:
		return true
	}
	return strings.ContainsRune("第〔〕[]()（）【】﹝﹞〖〗〈〉-—–_－＿［］", r)
}
