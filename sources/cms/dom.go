package cms

import (
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"gongkai/calendar"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// page is a parsed HTML answer with the URL relative links resolve against.
type page struct {
	doc  *goquery.Document
	base *url.URL
}

func parsePage(resp *fetch.Response) (*page, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(resp.HTML))
	if err != nil {
		return nil, err
	}
	final := resp.FinalURL
	if final == "" {
		final = resp.URL
	}
	base, err := url.Parse(final)
	if err != nil {
		return nil, err
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(strings.TrimSpace(href)); err == nil {
			base = b
		}
	}
	return &page{doc: doc, base: base}, nil
}

// resolve makes an absolute URL of a link; "" for links that lead nowhere
// (javascript:, mailto:, a bare #).
func resolve(base *url.URL, href string) string {
	if u := resolveURL(base, href); u != nil {
		return u.String()
	}
	return ""
}

// resolveURL is resolve before the URL is written out; nil for a link
// that leads nowhere.
func resolveURL(base *url.URL, href string) *url.URL {
	href = strings.TrimSpace(html.UnescapeString(href))
	if href == "" || strings.HasPrefix(href, "#") {
		return nil
	}
	for _, p := range []string{"javascript:", "mailto:", "tel:", "data:"} {
		if len(href) >= len(p) && strings.EqualFold(href[:len(p)], p) {
			return nil
		}
	}
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil
	}
	u.Fragment = ""
	return u
}

// value reads a rule selector inside sel: the first alternative yielding a
// non-empty value wins; "@attr" reads an attribute, else the text.
func value(sel *goquery.Selection, rule string) string {
	for _, p := range config.SplitSelector(rule) {
		target := sel
		if p.CSS != "" {
			target = sel.Find(p.CSS)
			if target.Length() == 0 && sel.Is(p.CSS) {
				target = sel
			}
		}
		var v string
		target.EachWithBreak(func(_ int, s *goquery.Selection) bool {
			if p.Attr != "" {
				v, _ = s.Attr(p.Attr)
			} else {
				v = blockText(s)
			}
			v = cleanSpace(v)
			return v == ""
		})
		if v != "" {
			return v
		}
	}
	return ""
}

// find returns the elements a rule selector names (the first alternative
// that matches anything).
func find(sel *goquery.Selection, rule string) *goquery.Selection {
	for _, p := range config.SplitSelector(rule) {
		if p.CSS == "" {
			return sel
		}
		if s := sel.Find(p.CSS); s.Length() > 0 {
			return s
		}
	}
	return sel.Find("__nothing__")
}

var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "tr": true, "table": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "dl": true, "dt": true, "dd": true,
	"section": true, "article": true, "header": true, "footer": true, "blockquote": true, "pre": true,
	"thead": true, "tbody": true, "form": true, "hr": true, "center": true,
}

var skipTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "iframe": true, "select": true, "option": true}

// blockText renders the text of a selection with line breaks where blocks
// end and tabs between table cells, so that labels and values stay apart.
func blockText(sel *goquery.Selection) string { return renderText(sel, false) }

// inlineCells marks where inline elements end with a tab: adjacent
// <span>发布日期：…</span><span>浏览次数：</span> stay apart. Only for
// reading labels; in running text it would split words written in runs.
var inlineCells = map[string]bool{"span": true, "em": true, "i": true, "b": true, "strong": true, "label": true, "font": true, "a": true}

func renderText(sel *goquery.Selection, cells bool) string {
	return renderNodes(sel.Nodes, cells, nil)
}

// renderNodes renders nodes (leaving out skip and what it holds) as
// renderText describes. It writes the tidied text directly — each line's
// cells trimmed, runs of white space collapsed to one space, empty cells
// and lines dropped — instead of building the raw text and tidying it
// afterwards: detail pages are rendered several times each, and this is
// one of the harvester's hot paths.
func renderNodes(nodes []*html.Node, cells bool, skip *html.Node) string {
	var w textWriter
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n == skip {
			return
		}
		switch n.Type {
		case html.TextNode:
			// Line breaks in the source are spaces in HTML; only blocks break lines.
			w.text(n.Data)
			return
		case html.ElementNode:
			if skipTags[n.Data] {
				return
			}
		case html.CommentNode:
			return
		}
		block := n.Type == html.ElementNode && blockTags[n.Data]
		cell := n.Type == html.ElementNode && (n.Data == "td" || n.Data == "th" || cells && inlineCells[n.Data])
		if block {
			w.endLine()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			w.endLine()
		}
		if cell {
			w.endCell()
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return w.b.String()
}

// textWriter builds tidy text: lines of tab-separated cells, each cell
// with its white space collapsed to single spaces and trimmed, no empty
// cells, no empty lines.
type textWriter struct {
	b            strings.Builder
	cellHas      bool // the current cell has text
	lineHas      bool // the current line has a cell
	wroteLine    bool // a line has been written
	pendingSpace bool // white space after the current cell's text
}

// text adds text to the current cell; every white-space character is a
// space here (line and cell breaks come from endLine and endCell).
func (w *textWriter) text(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		space := false
		if c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		if space {
			if w.cellHas {
				w.pendingSpace = true
			}
			i += size
			continue
		}
		switch {
		case w.cellHas:
			if w.pendingSpace {
				w.b.WriteByte(' ')
				w.pendingSpace = false
			}
		case w.lineHas:
			w.b.WriteByte('\t')
		case w.wroteLine:
			w.b.WriteByte('\n')
		}
		w.b.WriteString(s[i : i+size]) // the bytes as they are, invalid UTF-8 included
		w.cellHas, w.lineHas = true, true
		i += size
	}
}

func (w *textWriter) endCell() {
	w.cellHas, w.pendingSpace = false, false
}

func (w *textWriter) endLine() {
	w.endCell()
	if w.lineHas {
		w.wroteLine = true
	}
	w.lineHas = false
}

// asciiSpace marks the ASCII characters unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// cleanSpace collapses every run of white space (ideographic and no-break
// spaces included) into one space and trims.
func cleanSpace(s string) string {
	if isClean(s) {
		return s
	}
	var w textWriter
	w.b.Grow(len(s))
	w.text(s)
	return w.b.String()
}

// isClean reports whether cleanSpace would return s unchanged: no white
// space but single ' ' between other characters.
func isClean(s string) bool {
	prevSpace := true // a leading space is not clean
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				if c != ' ' || prevSpace {
					return false
				}
				prevSpace = true
			} else {
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return false
		}
		prevSpace = false
		i += size
	}
	return len(s) == 0 || !prevSpace
}

// noSpace removes all white space: labels are written 索 引 号 or 索　引　号.
func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

var (
	fullDateRe = regexp.MustCompile(`\d{4}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?)(?:\s+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?`)
	monthDayRe = regexp.MustCompile(`(?:^|[^\d\-/.])(\d{1,2}[-/]\d{1,2}|\d{1,2}月\d{1,2}日)(?:$|[^\d\-/.])`)
)

// findDate finds the first date in text. Full dates win over month-day
// forms; ref resolves a missing year.
func findDate(text string, ref calendar.Date) (calendar.Date, string) {
	text = foldDigits(text)
	for _, m := range fullDateRe.FindAllString(text, -1) {
		if d, err := calendar.ParseDate(strings.TrimSpace(m)); err == nil {
			return d, strings.TrimSpace(m)
		}
	}
	for _, m := range monthDayRe.FindAllStringSubmatch(text, -1) {
		if d, err := calendar.ParseListDate(m[1], ref); err == nil {
			return d, m[1]
		}
	}
	return 0, ""
}

func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

// referenceDay is "today" for a page: the server's Date header (the world
// the page was read in), else when it was fetched, else now.
func referenceDay(resp *fetch.Response) calendar.Date {
	if resp != nil {
		if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			return calendar.FromTime(t.In(calendar.China))
		}
		if !resp.FetchedAt.IsZero() {
			return calendar.FromTime(resp.FetchedAt.In(calendar.China))
		}
	}
	return calendar.FromTime(time.Now().In(calendar.China))
}

// fileName is the last path segment of a URL, unescaped.
func fileName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	name := path.Base(u.Path)
	if name == "/" || name == "." {
		return ""
	}
	if q := u.Query().Get("filename"); q != "" {
		name = q
	}
	return name
}

// notFoundMarkers are how sites say a page is gone while answering 200.
// "404" alone is not among them: decisions are numbered 404号 too.
var notFoundMarkers = []string{"页面不存在", "您访问的页面不存在", "您访问的页面已", "页面已被删除", "页面已删除", "信息已删除",
	"该信息不存在", "找不到该页面", "页面找不到", "页面未找到", "404 Not Found", "404 not found", "404错误", "404 错误", "Not Found"}

// shortPage is the body length (runes) under which a page stating a
// not-found marker is taken for a 页面不存在 page without a site profile.
const shortPage = 600

// softNotFound is the fallback for sites without a NotFoundProfile: a
// short page whose body states that the page does not exist. The caller
// also requires that the page yield nothing (no list entries, no detail
// body). The title alone never decides: a decision titled …〔2020〕404号
// is a page like any other.
func softNotFound(p *page) bool {
	bodySel := p.doc.Find("body")
	if bodySel.Length() == 0 || longerThan(bodySel.Nodes, shortPage) {
		return false
	}
	return statesNotFound(cleanSpace(bodySel.Text()))
}

// statesNotFound reports whether text says the page does not exist.
func statesNotFound(text string) bool {
	for _, m := range notFoundMarkers {
		if strings.Contains(text, m) {
			return true
		}
	}
	return false
}

// emptyListMarkers are how sites say a list has nothing in it.
var emptyListMarkers = []string{"暂无信息", "暂无数据", "暂无记录", "暂无内容", "暂无相关", "暂无文章", "暂无公开",
	"没有相关信息", "没有相关记录", "没有相关数据", "没有相关内容", "无相关信息", "无相关记录", "无相关数据", "没有记录", "没有找到相关", "没有符合条件", "无符合条件"}

// showsEmptyMarker reports whether the page shows the site's own
// empty-list marker where a list would be: a short text of its own (the
// marker, perhaps with punctuation), visible, outside links, navigation,
// headers, footers and side bars. A marker hidden for a script to show
// (display:none, a template) proves nothing: the script may fill the list.
func showsEmptyMarker(p *page) bool {
	if strings.Contains(p.doc.Find("body").Text(), "{{") {
		return false // a script template: its list is filled in the browser
	}
	found := false
	p.doc.Find("body").Each(func(_ int, body *goquery.Selection) {
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if found {
				return
			}
			if n.Type == html.ElementNode && (skipTags[n.Data] || n.Data == "a" || hiddenOrAside(n)) {
				return
			}
			if n.Type == html.TextNode {
				t := noSpace(n.Data)
				if t != "" && utf8.RuneCountInString(t) <= 24 {
					for _, m := range emptyListMarkers {
						if strings.Contains(t, m) {
							found = true
							return
						}
					}
				}
				return
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		for _, n := range body.Nodes {
			walk(n)
		}
	})
	return found
}

// hiddenOrAside: an element that is not the page's main list (hidden, or
// navigation, header, footer, side bar).
func hiddenOrAside(n *html.Node) bool {
	switch n.Data {
	case "header", "footer", "nav", "aside", "template":
		return true
	}
	for _, a := range n.Attr {
		v := strings.ToLower(a.Val)
		k := strings.ToLower(a.Key)
		for _, tpl := range []string{"v-", ":", "@", "ng-", "x-", "data-bind", "*ng"} {
			if strings.HasPrefix(k, tpl) {
				return true // a script template's branch, shown or not as the script decides
			}
		}
		switch k {
		case "hidden":
			return true
		case "style":
			v = strings.ReplaceAll(v, " ", "")
			if strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") {
				return true
			}
		case "class", "id":
			for _, w := range []string{"nav", "menu", "side", "footer", "header", "hidden", "hide", "banner", "hot", "rank", "link"} {
				if strings.Contains(v, w) {
					return true
				}
			}
		}
	}
	return false
}

// longerThan reports whether the text of nodes (as Selection.Text gives
// it, with white space collapsed as cleanSpace does) is more than n runes
// long. It stops counting there: most pages are far longer, and their
// text need not be built to know it.
func longerThan(nodes []*html.Node, n int) bool {
	count := 0
	inWord, anyWord := false, false
	var walk func(*html.Node) bool
	walk = func(x *html.Node) bool {
		if x.Type == html.TextNode {
			for _, r := range x.Data {
				if unicode.IsSpace(r) {
					inWord = false
					continue
				}
				if !inWord {
					inWord = true
					if anyWord {
						count++ // the space between two words
					}
					anyWord = true
				}
				if count++; count > n {
					return true
				}
			}
			return false
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	for _, x := range nodes {
		if walk(x) {
			return true
		}
	}
	return false
}

func isGone(status int) bool { return status == http.StatusNotFound || status == http.StatusGone }
