package matcher

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/store"
)

// ElementChecker checks matched disclosures for their item's required
// elements. It caches the prepared text of each publication, so that the
// two hundred rows of one sampling spreadsheet read its page once: use one
// checker per batch of publications (a county) and drop it afterwards.
type ElementChecker struct {
	rules   *Rules
	mu      sync.Mutex
	pages   map[*store.Publication]*preparedText
	scratch prepareScratch // under mu
}

// NewElementChecker returns a checker using the rules' element table.
func (r *Rules) NewElementChecker() *ElementChecker {
	return &ElementChecker{rules: r, pages: map[*store.Publication]*preparedText{}}
}

// preparedText is text folded line by line, with and without spaces.
type preparedText struct {
	lines []string // folded, spaces removed (for labels)
	flat  string   // folded lines joined by \n (for patterns)
	all   string   // the lines one after another (lines are substrings of it)
	ends  []int    // where each line ends in all

	dateOnce sync.Once
	date     bool
}

// hasDate reports whether the text shows a full date, decided on first
// use: most disclosures show their date by a label.
func (t *preparedText) hasDate() bool {
	t.dateOnce.Do(func() { t.date = fullDate.MatchString(t.flat) })
	return t.date
}

var fullDate = regexp.MustCompile(`(19|20)\d{2}\s*(年\s*\d{1,2}\s*月\s*\d{1,2}|[-/.]\d{1,2}[-/.]\d{1,2})`)

func prepare(parts ...string) *preparedText {
	return prepareWith(nil, parts...)
}

// prepareScratch is prepare's working space, kept by a checker for the
// pages it prepares.
type prepareScratch struct{ flat, compact []byte }

func prepareWith(scratch *prepareScratch, parts ...string) *preparedText {
	p := &preparedText{}
	size := 0
	for _, part := range parts {
		size += len(part) + 1
	}
	if scratch == nil {
		scratch = &prepareScratch{}
	}
	// flat receives each line as it is read (spaces collapsed), trimmed
	// when it ends; compact the same line without spaces, every line in one
	// buffer cut into p.lines at the end.
	flat := slices.Grow(scratch.flat[:0], size)
	compact := slices.Grow(scratch.compact[:0], size)
	defer func() { scratch.flat, scratch.compact = flat[:0], compact[:0] }()
	var ends []int // end of each line in compact
	lineStart, compactStart := 0, 0
	endLine := func() {
		if len(flat) > lineStart {
			line := bytes.TrimSpace(flat[lineStart:])
			n := copy(flat[lineStart:], line)
			flat = append(flat[:lineStart+n], '\n')
			ends = append(ends, len(compact))
			compactStart = len(compact)
		}
		lineStart = len(flat)
		compact = compact[:compactStart]
	}
	for _, part := range parts {
		for i := 0; i < len(part); {
			c := part[i]
			var r rune
			if c < utf8.RuneSelf {
				r = rune(c)
				i++
			} else {
				var n int
				r, n = utf8.DecodeRuneInString(part[i:])
				i += n
			}
			switch {
			case r == '\n' || r == '\r':
				endLine()
				continue
			case r >= 0xFF01 && r <= 0xFF5E:
				r -= 0xFEE0 // full-width forms, as ident.Fold
			case r == 0x3000 || r == '\t' || r == 0xA0 || r == 0xFEFF || r == 0x200B:
				r = ' '
			}
			if r == ' ' {
				if len(flat) > lineStart && flat[len(flat)-1] != ' ' {
					flat = append(flat, ' ')
				}
				continue
			}
			if r < utf8.RuneSelf {
				flat = append(flat, byte(r))
				compact = append(compact, byte(r))
			} else {
				flat = utf8.AppendRune(flat, r)
				compact = utf8.AppendRune(compact, r)
			}
		}
		endLine()
	}
	p.flat = string(flat)
	p.all, p.ends = string(compact), ends
	p.lines = make([]string, len(ends))
	start := 0
	for k, end := range ends {
		p.lines[k] = p.all[start:end]
		start = end
	}
	return p
}

// pageText is the publication's own text: title, metadata, body, attachments.
func (c *ElementChecker) pageText(p *store.Publication) *preparedText {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.pages[p]; ok {
		return t
	}
	parts := []string{p.Title}
	keys := make([]string, 0, len(p.Metadata))
	for k := range p.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys) // a label alone on its line takes the next line's value: keep the order fixed
	for _, k := range keys {
		parts = append(parts, k+":"+p.Metadata[k])
	}
	parts = append(parts, p.Body)
	for _, a := range p.Attachments {
		parts = append(parts, a.Name, a.Text)
	}
	t := prepareWith(&c.scratch, parts...)
	c.pages[p] = t
	return t
}

// Missing returns the item's record-scope elements that the unit does not
// show, in catalogue order. Elements the rules do not describe are not
// judged (they are never reported missing).
func (c *ElementChecker) Missing(it catalogue.Item, u *Unit) []string {
	var missing []string
	var rowText *preparedText
	for _, name := range it.Elements {
		e, ok := c.rules.Elements[name]
		if !ok || e.ColumnScope() {
			continue
		}
		if e.Builtin == "present" {
			continue
		}
		if present, decided := fieldPresence(e, u.Disc.Fields); decided {
			if !present {
				missing = append(missing, name)
			}
			continue
		}
		if u.IsRow() {
			// A row is judged on itself; the page around it counts only for
			// what it states for every row ("检验机构：…" above the table).
			if rowText == nil {
				rowText = prepare(u.Disc.Text, u.Disc.Ref)
			}
			if textShows(e, rowText, true) || labelsShow(e, c.pageText(u.Pub)) || builtinShows(e, u, c.pageText(u.Pub)) {
				continue
			}
		} else {
			page := c.pageText(u.Pub)
			if u.Disc.Text != "" && u.Disc.Text != u.Pub.Body {
				if rowText == nil {
					rowText = prepare(u.Disc.Text)
				}
				if textShows(e, rowText, true) {
					continue
				}
			}
			if textShows(e, page, true) || builtinShows(e, u, page) {
				continue
			}
		}
		missing = append(missing, name)
	}
	return missing
}

// fieldPresence looks for the element among a row's headers: decided is
// true when a header names it, present when one such header has a value.
func fieldPresence(e *Element, fields map[string]string) (present, decided bool) {
	for k, v := range fields {
		re, ok := e.fieldSet[normHeader(k)]
		if !ok {
			continue
		}
		decided = true
		if !placeholder(v) && (re == nil || re.MatchString(v)) {
			return true, true
		}
	}
	return false, decided
}

func textShows(e *Element, t *preparedText, withPatterns bool) bool {
	if labelsShow(e, t) {
		return true
	}
	if withPatterns {
		for _, re := range e.patterns {
			if re.MatchString(t.flat) {
				return true
			}
		}
	}
	return false
}

// labelsShow finds "label：value" (or a line starting with the label and
// going on) with a real value.
func labelsShow(e *Element, t *preparedText) bool {
	for _, l := range e.labels {
		if l == "" {
			for li := range t.lines {
				if labelAt(t, li, 0, l) {
					return true
				}
			}
			continue
		}
		// One search over all the lines: each line's first occurrence of
		// the label that lies within it.
		for off := 0; off < len(t.all); {
			i := strings.Index(t.all[off:], l)
			if i < 0 {
				break
			}
			pos := off + i
			li, _ := slices.BinarySearch(t.ends, pos+1) // the line holding pos
			start := 0
			if li > 0 {
				start = t.ends[li-1]
			}
			if pos+len(l) > t.ends[li] {
				off = pos + 1 // runs into the next line: not on this one
				continue
			}
			if labelAt(t, li, pos-start, l) {
				return true
			}
			off = t.ends[li] // only a line's first occurrence counts
		}
	}
	return false
}

// labelAt judges the label found at byte i of line li: "label：value", or
// a line starting with the label and going on, or the label alone on its
// line (a label/value table: the value is the next line).
func labelAt(t *preparedText, li, i int, l string) bool {
	line := t.lines[li]
	rest := line[i+len(l):]
	switch {
	case i == 0 && (rest == "" || rest == ":"):
		return li+1 < len(t.lines) && !placeholder(valueOf(t.lines[li+1]))
	case strings.HasPrefix(rest, ":"):
		return !placeholder(valueOf(rest[1:]))
	case i == 0 && rest != "":
		return !placeholder(valueOf(rest))
	}
	return false
}

func builtinShows(e *Element, u *Unit, t *preparedText) bool {
	switch e.Builtin {
	case "decision_no":
		return len(u.decisions) > 0
	case "date":
		return t.hasDate()
	case "present":
		return true
	}
	return false
}

// valueOf cuts a value at the next sentence break.
func valueOf(s string) string {
	if i := strings.IndexAny(s, "；;。"); i >= 0 {
		s = s[:i]
	}
	return s
}

const maxPlaceholderRunes = 4

var placeholders = map[string]bool{"": true, "-": true, "--": true, "—": true, "——": true, "－": true, "/": true,
	"无": true, "暂无": true, "空": true, "null": true, "NULL": true, "N/A": true, "/-": true}

func placeholder(v string) bool {
	// Every placeholder is at most four characters besides spaces (and
	// folding maps a character to one character): a longer value is a
	// value, which most are.
	n := 0
	for _, r := range v {
		if r != ' ' && r != 0x3000 && r != 0xFEFF && r != 0x200B && !unicode.IsSpace(r) {
			if n++; n > maxPlaceholderRunes {
				return false
			}
		}
	}
	v = strings.TrimSpace(ident.Fold(v))
	v = strings.ReplaceAll(v, " ", "")
	return placeholders[v]
}

// MissingColumnElements judges the item's column-scope elements (a
// regime, a standard, a channel — standing information published once)
// over the titles of a county's publications classified to the item, and
// returns those no title shows.
func (r *Rules) MissingColumnElements(it catalogue.Item, titles []string) []string {
	var missing []string
	for _, name := range it.Elements {
		e, ok := r.Elements[name]
		if !ok || !e.ColumnScope() {
			continue
		}
		found := false
		for _, t := range titles {
			for _, w := range e.Title {
				if strings.Contains(t, w) {
					found = true
					break
				}
			}
			if found {
				break
			}
		}
		if !found {
			missing = append(missing, name)
		}
	}
	return missing
}
