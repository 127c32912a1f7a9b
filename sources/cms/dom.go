package cms

import (
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"

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
	href = strings.TrimSpace(html.UnescapeString(href))
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	low := strings.ToLower(href)
	for _, p := range []string{"javascript:", "mailto:", "tel:", "data:"} {
		if strings.HasPrefix(low, p) {
			return ""
		}
	}
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	u.Fragment = ""
	return u.String()
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
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			// Line breaks in the source are spaces in HTML; only blocks break lines.
			b.WriteString(strings.Map(func(r rune) rune {
				if r == '\n' || r == '\r' || r == '\t' {
					return ' '
				}
				return r
			}, n.Data))
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
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteByte('\n')
		}
		if cell {
			b.WriteByte('\t')
		}
	}
	for _, n := range sel.Nodes {
		walk(n)
	}
	return tidyLines(b.String())
}

// tidyLines trims each line, collapses runs of spaces (keeping tabs as
// cell separators) and drops empty lines.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		cells := strings.Split(l, "\t")
		kept := cells[:0]
		for _, c := range cells {
			if c = cleanSpace(c); c != "" {
				kept = append(kept, c)
			}
		}
		if len(kept) > 0 {
			out = append(out, strings.Join(kept, "\t"))
		}
	}
	return strings.Join(out, "\n")
}

// cleanSpace collapses every run of white space (ideographic and no-break
// spaces included) into one space and trims.
func cleanSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
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

// chinaTime is the zone the sites live in.
var chinaTime = time.FixedZone("CST", 8*3600)

// referenceDay is "today" for a page: the server's Date header (the world
// the page was read in), else when it was fetched, else now.
func referenceDay(resp *fetch.Response) calendar.Date {
	if resp != nil {
		if t, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			return calendar.FromTime(t.In(chinaTime))
		}
		if !resp.FetchedAt.IsZero() {
			return calendar.FromTime(resp.FetchedAt.In(chinaTime))
		}
	}
	return calendar.FromTime(time.Now().In(chinaTime))
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

// notFoundText is how sites say a page is gone while answering 200.
var notFoundMarkers = []string{"页面不存在", "您访问的页面不存在", "页面已被删除", "页面已删除", "信息已删除", "该信息不存在", "找不到该页面"}

// softNotFound recognises a "页面不存在" page: the marker in the title, or
// in a short page.
func softNotFound(p *page) bool {
	title := p.doc.Find("title").First().Text()
	for _, m := range notFoundMarkers {
		if strings.Contains(title, m) {
			return true
		}
	}
	if strings.Contains(title, "404") {
		return true
	}
	body := cleanSpace(p.doc.Find("body").Text())
	if len([]rune(body)) > 600 {
		return false
	}
	for _, m := range notFoundMarkers {
		if strings.Contains(body, m) {
			return true
		}
	}
	return false
}

func isGone(status int) bool { return status == http.StatusNotFound || status == http.StatusGone }
