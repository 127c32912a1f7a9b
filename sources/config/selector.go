package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/andybalholm/cascadia"
)

// A selector in a rule is a CSS selector with an optional "@attr" suffix
// that takes an attribute instead of the text ("a@title",
// "meta[name=PubDate]@content"). Alternatives separated by " || " are tried
// in order until one yields a non-empty value.

var attrSuffix = regexp.MustCompile(`^(.*?)@([A-Za-z_:][-A-Za-z0-9_:.]*)$`)

// SelectorPart is one alternative of a rule selector.
type SelectorPart struct {
	CSS  string // "" means the element itself (a bare "@href")
	Attr string // "" means the element's text
}

// SplitSelector splits a rule selector into its alternatives.
func SplitSelector(s string) []SelectorPart {
	var out []SelectorPart
	for _, alt := range strings.Split(s, "||") {
		alt = strings.TrimSpace(alt)
		if alt == "" {
			continue
		}
		p := SelectorPart{CSS: alt}
		// An @ inside brackets belongs to an attribute selector, not a suffix.
		if m := attrSuffix.FindStringSubmatch(alt); m != nil && strings.Count(m[1], "[") == strings.Count(m[1], "]") {
			p = SelectorPart{CSS: strings.TrimSpace(m[1]), Attr: m[2]}
		}
		out = append(out, p)
	}
	return out
}

// CheckSelector reports whether every alternative of s compiles.
func CheckSelector(s string) error {
	parts := SplitSelector(s)
	if len(parts) == 0 {
		return fmt.Errorf("选择器为空")
	}
	for _, p := range parts {
		if p.CSS == "" {
			continue
		}
		if _, err := cascadia.ParseGroup(p.CSS); err != nil {
			return err
		}
	}
	return nil
}
