package matcher

import (
	"cmp"
	"fmt"
	"gongkai"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"gongkai/catalogue"
	"gongkai/ident"
)

// ElementChecker checks matched disclosures for their item's required
// elements. It caches what it learnt of each publication, so that the
// two hundred rows of one sampling spreadsheet read its page once: use one
// checker per batch of publications (a county) and drop it afterwards.
//
// The check is linear in a page's size and bounded: each part of a page
// (body, attachment text) is read up to its first partHead and last
// partTail bytes, patterns are searched near their anchor literals, and
// what a page shows is decided once per page and element, whatever the
// number of rows that inherit it. An element that is not found where part
// of the text could not be read (a scanned PDF, an unsupported or failed
// attachment, a page cut to its head and tail) is unverifiable, never
// missing.
type ElementChecker struct {
	rules    *Rules
	mu       sync.Mutex
	pages    map[*gongkai.Publication]*pageFacts
	examined atomic.Int64 // bytes handed to element patterns (work done, for tests)
}

// NewElementChecker returns a checker using the rules' element table.
func (r *Rules) NewElementChecker() *ElementChecker {
	return &ElementChecker{rules: r, pages: map[*gongkai.Publication]*pageFacts{}}
}

// ElementCheck is what the checker found for one disclosure.
type ElementCheck struct {
	// Missing are elements the disclosure does not show although all its
	// text was read (or a row's cell for them is empty).
	Missing []string
	// Unverifiable are elements not found where part of the text could
	// not be read: the tool cannot say they are missing.
	Unverifiable []string
	// Why says, in Chinese, what could not be read ("" when nothing).
	Why string
}

// Bounds of what the checker reads of one publication.
const (
	partHead = 64 << 10 // first bytes of each part (body, attachment text)
	partTail = 16 << 10 // and last bytes (a decision's signature and date)
	maxParts = 64       // parts beyond (metadata, attachments) are not read
	// A document attachment with fewer Han characters than this holds no
	// decision text (a scan whose text layer is a stamp or page numbers).
	minDocHan = 40
	// A page showing fewer Han characters than this besides its title and
	// metadata, with no readable attachment, is an image or a frame.
	minPageHan = 20
)

// preparedText is text folded line by line, with and without spaces.
type preparedText struct {
	lines []string // folded, spaces removed (for labels)
	flat  string   // folded lines joined by \n, runs of spaces as one (for patterns)
	cut   bool     // a part was longer than the bounds: only its head and tail are here

	dateOnce sync.Once
	date     bool

	labelOnce sync.Once
	labelHits []labelHit
}

// labelHit is the first occurrence of a label (Rules.labelWords) on a line.
type labelHit struct{ word, line, at int32 }

// hits returns where each label of the rules first occurs on each line,
// line by line, found on first use in one pass over each line.
func (t *preparedText) hits(r *Rules) []labelHit {
	t.labelOnce.Do(func() {
		var onLine []int32 // labels already seen on the line
		for li, line := range t.lines {
			onLine = onLine[:0]
			r.labelScan.scan(line, func(h hit) {
				if !slices.Contains(onLine, h.word) {
					onLine = append(onLine, h.word)
					t.labelHits = append(t.labelHits, labelHit{h.word, int32(li), int32(h.start)})
				}
			})
		}
	})
	return t.labelHits
}

// hasDate reports whether the text shows a full date, decided on first
// use: most disclosures show their date by a label.
func (t *preparedText) hasDate(examined *int64) bool {
	t.dateOnce.Do(func() {
		var n int64
		t.date = fullDate.in(t.flat, &n) || chineseDate.in(t.flat, &n)
		*examined += n
	})
	return t.date
}

var (
	fullDate    = mustPattern(`(19|20)\d{2}\s*(年\s*\d{1,2}\s*月\s*\d{1,2}|[-/.]\d{1,2}[-/.]\d{1,2})`)
	chineseDate = mustPattern(`[二〇○零O0][〇○零O0一二三四五六七八九]{3}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日`)
)

func mustPattern(expr string) *pattern {
	p, err := compilePattern(expr)
	if err != nil {
		panic(err)
	}
	return p
}

// pageFacts is what the checker learnt of one publication.
type pageFacts struct {
	text *preparedText
	// unread says which attachments could not be read ("" when all
	// were). unreadCut and unreadPage matter to the page's own unit only:
	// a part was cut to its head and tail, the page shows almost no text.
	// A row was read itself, and what its page states for every row is
	// in the page's head or tail.
	unread, unreadCut, unreadPage string
	// What the page shows of each element, decided once: labels alone
	// (what every row inherits) and labels or patterns (the page itself,
	// and rows for shared elements).
	labels, shown map[*Element]bool
}

// bounded returns the part of s the checker reads: all of it, or its
// first partHead and last partTail bytes (cut at character boundaries).
func bounded(s string) (head, tail string, cut bool) {
	if len(s) <= partHead+partTail {
		return s, "", false
	}
	h := partHead
	for h > 0 && !utf8.RuneStart(s[h]) {
		h--
	}
	t := len(s) - partTail
	for t < len(s) && !utf8.RuneStart(s[t]) {
		t++
	}
	return s[:h], s[t:], true
}

// prepare folds the parts (each bounded) line by line: full-width forms
// as ident.Fold folds them, the ideographic and other odd spaces to a
// space; lines without text are dropped.
func prepare(parts ...string) *preparedText {
	p := &preparedText{}
	if len(parts) > maxParts {
		parts, p.cut = parts[:maxParts], true
	}
	var flat strings.Builder
	isBreak := func(r rune) bool { return r == '\n' || r == '\r' }
	isSpace := func(r rune) bool { return r == ' ' }
	// Each line folded once: its words joined by one space in flat, and
	// without spaces in lines.
	read := func(text string) {
		for _, line := range strings.FieldsFunc(text, isBreak) {
			words := strings.FieldsFunc(strings.Map(foldTextRune, line), isSpace)
			if len(words) == 0 {
				continue
			}
			for i, w := range words {
				if i > 0 {
					flat.WriteByte(' ')
				}
				flat.WriteString(w)
			}
			flat.WriteByte('\n')
			p.lines = append(p.lines, strings.Join(words, ""))
		}
	}
	for _, part := range parts {
		head, tail, cut := bounded(part)
		read(head)
		if cut {
			p.cut = true
			read(tail)
		}
	}
	p.flat = flat.String()
	return p
}

func foldTextRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0 // full-width forms, as ident.Fold
	case r == 0x3000 || r == '\t' || r == 0xA0 || r == 0xFEFF || r == 0x200B:
		return ' '
	}
	return r
}

// facts returns what the checker knows of the publication, reading it on
// first use: title, metadata, body, attachments (their text, and the
// title and note rows of their sheets).
func (c *ElementChecker) facts(p *gongkai.Publication) *pageFacts {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.pages[p]; ok {
		return f
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
		if u := unwrapped(a.Text); u != a.Text {
			// A PDF's text layer breaks lines where the printed page did,
			// often inside a sentence ("当事人涉\n嫌…"); patterns read the
			// rejoined text too, labels keep the lines as printed.
			parts = append(parts, u)
		}
		for _, sh := range a.Sheets {
			parts = append(parts, sheetProse(sh)...)
		}
	}
	f := &pageFacts{text: prepare(parts...), labels: map[*Element]bool{}, shown: map[*Element]bool{}}
	f.unread, f.unreadPage = unreadParts(p)
	if f.text.cut {
		f.unreadCut = "页面文字过长，只核对了各部分的开头和结尾"
	}
	c.pages[p] = f
	return f
}

// sheetProse returns a sheet's title and note rows (a row with one filled
// cell among its first and last rows: "检验依据：GB 2762-2017" above or
// below the table), bounded.
func sheetProse(sh gongkai.Sheet) []string {
	var out []string
	take := func(row []string) {
		var v string
		for _, c := range row {
			if strings.TrimSpace(c) != "" {
				if v != "" {
					return
				}
				v = c
			}
		}
		if v != "" {
			out = append(out, v)
		}
	}
	n := len(sh.Rows)
	for i := 0; i < n && i < 5; i++ {
		take(sh.Rows[i])
	}
	for i := max(5, n-3); i < n; i++ {
		take(sh.Rows[i])
	}
	return out
}

// unreadParts says what of a publication the checker could not read: an
// attachment that failed or holds no text (a scan); and, separately, a page
// that shows almost no text at all.
func unreadParts(p *gongkai.Publication) (unread, unreadPage string) {
	var why []string
	readable := false
	for _, a := range p.Attachments {
		name := cmp.Or(strings.TrimSpace(a.Name), a.URL)
		switch {
		case a.Error != "":
			why = append(why, fmt.Sprintf("附件「%s」无法读取（%s）", name, a.Error))
		case len(a.Sheets) > 0:
			readable = true
		case hanCount(a.Text, minDocHan) < minDocHan:
			why = append(why, fmt.Sprintf("附件「%s」几乎没有可提取的文字（可能是扫描件或图片）", name))
		default:
			readable = true
		}
	}
	if len(why) > 3 {
		why = append(why[:3], fmt.Sprintf("等 %d 处", len(why)))
	}
	unread = strings.Join(why, "；")
	rows := slices.ContainsFunc(p.Disclosures, func(d gongkai.Disclosure) bool { return d.Kind != "page" })
	if !readable && !rows && hanCount(p.Body, minPageHan) < minPageHan {
		unreadPage = "页面正文几乎没有文字（可能是图片或扫描件），也没有可读取的附件"
	}
	return unread, unreadPage
}

// hanCount counts the Han characters of s, stopping at limit.
func hanCount(s string, limit int) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			if n++; n >= limit {
				break
			}
		}
	}
	return n
}

// Missing returns the item's record-scope elements that the unit does not
// show, in catalogue order (Check's Missing).
func (c *ElementChecker) Missing(it catalogue.Item, u *Unit) []string {
	return c.Check(it, u).Missing
}

// Check judges the item's record-scope elements on the unit, in catalogue
// order. Elements the rules do not describe are not judged (they are never
// reported missing).
func (c *ElementChecker) Check(it catalogue.Item, u *Unit) ElementCheck {
	var out ElementCheck
	var rowText *preparedText
	var page *pageFacts
	var examined int64
	defer func() { c.examined.Add(examined) }()
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
				out.Missing = append(out.Missing, name)
			}
			continue
		}
		if page == nil {
			page = c.facts(u.Pub)
		}
		unread := page.unread
		if u.IsRow() {
			// A row is judged on itself; the page around it counts for
			// what it states for every row: its labels ("检验机构：…"
			// above the table), and its prose for shared elements ("本次
			// 抽检由XX局组织实施").
			if rowText == nil {
				rowText = prepare(u.Disc.Text, u.Disc.Ref)
			}
			if textShows(c.rules, e, rowText, true, &examined) || c.pageShows(page, e, e.Shared, &examined) || builtinShows(e, u, page.text, &examined) {
				continue
			}
			if rowText.cut {
				unread = joinReasons(unread, "该行文字过长，只核对了开头和结尾")
			}
		} else {
			if u.Disc.Text != "" && u.Disc.Text != u.Pub.Body {
				if rowText == nil {
					rowText = prepare(u.Disc.Text)
				}
				if textShows(c.rules, e, rowText, true, &examined) {
					continue
				}
			}
			if c.pageShows(page, e, true, &examined) || builtinShows(e, u, page.text, &examined) {
				continue
			}
			unread = joinReasons(page.unreadPage, unread, page.unreadCut)
		}
		if unread != "" {
			out.Unverifiable = append(out.Unverifiable, name)
			out.Why = unread
			continue
		}
		out.Missing = append(out.Missing, name)
	}
	return out
}

// joinReasons joins the non-empty reasons with ；.
func joinReasons(reasons ...string) string {
	var out []string
	for _, r := range reasons {
		if r != "" {
			out = append(out, r)
		}
	}
	return strings.Join(out, "；")
}

// pageShows says whether the page shows the element by its labels (and by
// its patterns when withPatterns), decided once per page and element.
func (c *ElementChecker) pageShows(f *pageFacts, e *Element, withPatterns bool, examined *int64) bool {
	memo := f.labels
	if withPatterns {
		memo = f.shown
	}
	c.mu.Lock()
	v, ok := memo[e]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = textShows(c.rules, e, f.text, withPatterns, examined)
	c.mu.Lock()
	memo[e] = v
	c.mu.Unlock()
	return v
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

func textShows(r *Rules, e *Element, t *preparedText, withPatterns bool, examined *int64) bool {
	if labelsShow(r, e, t) {
		return true
	}
	if withPatterns {
		for _, p := range e.patterns {
			if p.in(t.flat, examined) {
				return true
			}
		}
	}
	return false
}

// labelsShow finds "label：value" (or a line starting with the label and
// going on) with a real value, at the first occurrence of the label on a
// line.
func labelsShow(r *Rules, e *Element, t *preparedText) bool {
	for i, l := range e.labels {
		if e.labelIDs[i] < 0 { // an empty label is at the start of every line
			for li := range t.lines {
				if labelAt(t, li, 0, l) {
					return true
				}
			}
		}
	}
	for _, h := range t.hits(r) {
		if i := slices.Index(e.labelIDs, h.word); i >= 0 && labelAt(t, int(h.line), int(h.at), e.labels[i]) {
			return true
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

func builtinShows(e *Element, u *Unit, t *preparedText, examined *int64) bool {
	switch e.Builtin {
	case "decision_no":
		return len(u.decisions) > 0
	case "date":
		return t.hasDate(examined)
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

var placeholders = map[string]bool{"": true, "-": true, "--": true, "—": true, "——": true, "－": true, "/": true,
	"无": true, "暂无": true, "空": true, "null": true, "NULL": true, "N/A": true, "/-": true}

// placeholder reports whether a value only stands in for one (—, 无, N/A),
// spaces and full-width forms aside.
func placeholder(v string) bool {
	return placeholders[strings.ReplaceAll(ident.Fold(v), " ", "")]
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
