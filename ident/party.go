package ident

import "unicode"

// NormaliseParty puts a party name (enterprise or person) in the form used
// for comparison: full-width forms folded to ASCII, Chinese brackets
// （）【】〔〕［］ as (), white space removed next to Chinese characters and
// brackets and collapsed elsewhere (so "ABC Trading" keeps its space), ASCII
// letters upper-cased, mask characters ＊ × ✕ as *. It is idempotent.
func NormaliseParty(s string) string {
	s = Fold(s)
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		switch r {
		case '(', '（', '【', '〔', '[', '［':
			r = '('
		case ')', '）', '】', '〕', ']', '］':
			r = ')'
		case '×', '✕', '╳':
			r = '*'
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		rs = append(rs, r)
	}
	// Fold left single spaces; keep one only between two non-CJK runes.
	out := make([]rune, 0, len(rs))
	for i, r := range rs {
		if r == ' ' {
			if i == 0 || i == len(rs)-1 || wide(rs[i-1]) || wide(rs[i+1]) {
				continue
			}
		}
		out = append(out, r)
	}
	return string(out)
}

// wide reports whether r is a character next to which a space is only
// layout: CJK characters, brackets and the mask.
func wide(r rune) bool {
	return r > 0x2E7F || r == '(' || r == ')' || r == '*' || unicode.Is(unicode.Han, r)
}

// PartyMatches reports whether a published party name can be the expected
// one. Both are normalised; without masks they must be equal. Sites mask
// personal names: each mask character (* × ＊) stands for exactly one
// character, so 张** matches 张三丰 but not 张三; the unmasked characters
// must agree. A name that is all mask (******) or empty carries no evidence
// and matches nothing: the caller needs other evidence (decision number,
// credit code) to link such a disclosure. 某 is not treated as a mask: it
// is a word (张某某) whose length says nothing about the real name's.
func PartyMatches(published, expected string) bool {
	p := []rune(NormaliseParty(published))
	e := []rune(NormaliseParty(expected))
	if len(p) == 0 || len(e) == 0 || len(p) != len(e) {
		return false
	}
	revealed := 0
	for i := range p {
		if p[i] == '*' || e[i] == '*' {
			continue
		}
		if p[i] != e[i] {
			return false
		}
		revealed++
	}
	return revealed > 0
}
