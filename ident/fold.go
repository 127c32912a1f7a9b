// Package ident recognises and normalises the identifiers gongkai matches
// disclosures by: unified social credit codes (统一社会信用代码), penalty
// decision numbers (决定书文号), sampling numbers, and party names.
package ident

import (
	"iter"
	"strings"
	"unicode"
)

// Fold maps full-width ASCII forms (０-９, Ａ-Ｚ, （）, ：…) to ASCII, the
// ideographic space and other white space to a space, collapses runs of
// spaces into one and trims. It is the first step of every comparison:
// Chinese pages mix full- and half-width forms freely.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = foldRune(r)
		if r == ' ' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000 || unicode.IsSpace(r) || r == 0xFEFF || r == 0x200B:
		return ' '
	}
	return r
}

// isASCIIAlnum reports whether r is 0-9, A-Z or a-z.
func isASCIIAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
}

// alnumTokens yields the maximal runs of letters and digits of s (ASCII
// or full-width) folded to ASCII, so that an identifier is only found
// whole: the tokens of Fold(s), read from s itself (a page can be
// megabytes long). Full-width letters and digits are U+FF10–FF5A, their
// ASCII twins shifted by 0xFEE0.
func alnumTokens(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for tok := range strings.FieldsFuncSeq(s, func(r rune) bool { return !isASCIIAlnum(r) && !isASCIIAlnum(r-0xFEE0) }) {
			if !yield(strings.Map(foldRune, tok)) {
				return
			}
		}
	}
}
