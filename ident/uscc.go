package ident

import (
	"fmt"
	"strings"
)

// usccChars is the GB 32100-2015 character set: values 0–30 in this order
// (I, O, S, V, Z are never used).
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCError says what is wrong with a unified social credit code.
type USCCError struct {
	Code   string
	Reason string // Chinese: 长度不是18位 / 第N位含非法字符 / 校验码错误，应为X
}

func (e *USCCError) Error() string {
	return fmt.Sprintf("统一社会信用代码 %q %s", e.Code, e.Reason)
}

// usccValue returns the value 0–30 of a code character, or -1.
func usccValue(c rune) int {
	if c > 'Z' {
		return -1
	}
	return strings.IndexRune(usccChars, c)
}

// USCCCheckChar computes the 18th character of a code from its first 17.
func USCCCheckChar(first17 string) (byte, error) {
	rs := []rune(first17)
	if len(rs) != 17 {
		return 0, &USCCError{Code: first17, Reason: fmt.Sprintf("本体代码长度不是17位（实际%d位）", len(rs))}
	}
	sum := 0
	for i, r := range rs {
		v := usccValue(r)
		if v < 0 {
			return 0, &USCCError{Code: first17, Reason: fmt.Sprintf("第%d位含非法字符 %q", i+1, r)}
		}
		sum += v * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31], nil
}

// CheckUSCC validates an 18-character code per GB 32100-2015: length,
// character set (upper case; callers fold and upper-case user input first)
// and check character. The error is a *USCCError in Chinese.
func CheckUSCC(s string) error {
	rs := []rune(s)
	if len(rs) != 18 {
		return &USCCError{Code: s, Reason: fmt.Sprintf("长度不是18位（实际%d位）", len(rs))}
	}
	for i, r := range rs {
		if usccValue(r) < 0 {
			return &USCCError{Code: s, Reason: fmt.Sprintf("第%d位含非法字符 %q", i+1, r)}
		}
	}
	want, _ := USCCCheckChar(s[:17])
	if s[17] != want {
		return &USCCError{Code: s, Reason: fmt.Sprintf("校验码错误，应为%c", want)}
	}
	return nil
}

// USCCDivision returns the registration division code (positions 3–8) of a
// valid code, e.g. 140525 for 泽州县, or "" if the code is invalid.
func USCCDivision(code string) string {
	if CheckUSCC(code) != nil {
		return ""
	}
	return code[2:8]
}

// FindUSCCs returns the valid codes that appear whole in text (full-width
// forms folded), in order of appearance, without duplicates. Invalid
// 18-character runs are ignored: they are more often other numbers than
// mistyped codes.
func FindUSCCs(text string) []string {
	var out []string
	seen := map[string]bool{}
	for tok := range alnumTokens(text) {
		if len(tok) == 18 && !seen[tok] && CheckUSCC(tok) == nil {
			seen[tok] = true
			out = append(out, tok)
		}
	}
	return out
}
