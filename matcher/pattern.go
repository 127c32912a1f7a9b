package matcher

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"
)

// pattern is an element's regular expression, searched near the literals
// every match must contain (its anchors) instead of over the whole text: a
// page can be megabytes long, and an unanchored search with counted
// repetitions (`[^。\n]{0,60}`) costs a microsecond a byte. Go's regexps
// never backtrack, so each window costs time linear in its length; the
// windows around the anchors add up to little more than the text once.
type pattern struct {
	re      *regexp.Regexp
	anchors []string // nil: no literal every match contains; the text is searched whole
	reach   int      // bytes a match can extend from an anchor occurrence, either way
}

// Window limits: a match runs at most maxMatchRunes characters (patterns
// with unbounded repetitions are cut there), and windows closer than their
// reach are searched together, up to chunkBytes at a time.
const (
	maxMatchRunes = 256
	chunkBytes    = 16 << 10
)

func compilePattern(expr string) (*pattern, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	p := &pattern{re: re}
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return p, nil // regexp accepted it; search the text whole
	}
	p.anchors = anchorsOf(tree)
	width := maxWidth(tree)
	if width < 0 || width > maxMatchRunes {
		width = maxMatchRunes
	}
	p.reach = width * utf8.UTFMax
	return p, nil
}

// anchorsOf returns literals at least one of which every match of re
// contains, or nil when there are none (or they would be too weak to
// select windows: a long list of single characters).
func anchorsOf(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil
		}
		return []string{string(re.Rune)}
	case syntax.OpCapture, syntax.OpPlus:
		return anchorsOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return anchorsOf(re.Sub[0])
		}
		return nil
	case syntax.OpCharClass:
		// A few single characters ([，,]): each is an anchor.
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] >= 4 {
				return nil
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = append(out, string(r))
			}
		}
		if len(out) == 0 || len(out) > 4 {
			return nil
		}
		return out
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			a := anchorsOf(sub)
			if a == nil {
				return nil
			}
			out = append(out, a...)
		}
		if len(out) > 16 {
			return nil
		}
		return out
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if a := anchorsOf(sub); a != nil && betterAnchors(a, best) {
				best = a
			}
		}
		return best
	}
	return nil
}

// betterAnchors prefers the set whose shortest literal is longest (rarer
// in text), then the smaller set.
func betterAnchors(a, b []string) bool {
	if b == nil {
		return true
	}
	ma, mb := shortest(a), shortest(b)
	if ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func shortest(a []string) int {
	n := -1
	for _, s := range a {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

// maxWidth is the most characters a match of re can span, -1 if unbounded.
func maxWidth(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpQuest:
		return maxWidth(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return -1
	case syntax.OpRepeat:
		if re.Max < 0 {
			return -1
		}
		w := maxWidth(re.Sub[0])
		if w < 0 {
			return -1
		}
		return w * re.Max
	case syntax.OpConcat:
		sum := 0
		for _, sub := range re.Sub {
			w := maxWidth(sub)
			if w < 0 {
				return -1
			}
			sum += w
		}
		return sum
	case syntax.OpAlternate:
		most := 0
		for _, sub := range re.Sub {
			w := maxWidth(sub)
			if w < 0 {
				return -1
			}
			most = max(most, w)
		}
		return most
	}
	return 0 // empty matches, ^, $, \b …
}

// in reports whether the pattern matches somewhere in text; examined
// counts the bytes handed to the regexp. A short text is searched whole,
// once, unless it holds none of the anchors (most rows and news pages hold
// none of a given element's): then it cannot match.
func (p *pattern) in(text string, examined *int64) bool {
	if p.anchors == nil || len(text) <= 2*p.reach {
		if p.anchors != nil && !slices.ContainsFunc(p.anchors, func(a string) bool { return strings.Contains(text, a) }) {
			return false
		}
		*examined += int64(len(text))
		return p.re.MatchString(text)
	}
	for _, a := range p.anchors {
		if p.nearAnchor(text, a, examined) {
			return true
		}
	}
	return false
}

// nearAnchor searches the windows around every occurrence of anchor a,
// occurrences within reach of each other searched as one window.
func (p *pattern) nearAnchor(text, a string, examined *int64) bool {
	off := 0
	for {
		i := strings.Index(text[off:], a)
		if i < 0 {
			return false
		}
		first := off + i
		last := first
		for {
			limit := min(len(text), last+len(a)+2*p.reach)
			if limit-first > chunkBytes {
				break
			}
			j := strings.Index(text[last+len(a):limit], a)
			if j < 0 {
				break
			}
			last += len(a) + j
		}
		lo, hi := max(0, first-p.reach), min(len(text), last+len(a)+p.reach)
		for lo > 0 && !utf8.RuneStart(text[lo]) {
			lo--
		}
		for hi < len(text) && !utf8.RuneStart(text[hi]) {
			hi++
		}
		*examined += int64(hi - lo)
		if p.re.MatchString(text[lo:hi]) {
			return true
		}
		off = last + len(a)
	}
}
