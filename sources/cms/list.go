package cms

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"gongkai/calendar"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// FirstPage is the request for a column's first list page.
func FirstPage(col config.Column) fetch.Request {
	if col.Paging.Kind == config.PagingJSONAPI {
		return apiRequest(col, 0) // the column page is a shell; its list is the endpoint's
	}
	return fetch.Request{Method: "GET", URL: col.URL, Kind: fetch.KindList, Charset: col.Charset}
}

// DetailRequest is the request for an entry's detail page (with the
// source's charset setting; loaded in the browser when render: browser is
// written on the source).
func DetailRequest(col config.Column, e Entry) fetch.Request {
	req := fetch.Request{Method: "GET", URL: e.URL, Kind: fetch.KindDetail, Charset: col.Charset}
	if col.Render.Details {
		req.Browser = BrowserRender(col)
	}
	return req
}

// ParseList reads list page pageIndex (0 = the column's first page).
func ParseList(col config.Column, resp *fetch.Response, pageIndex int) (ListResult, error) {
	var lr ListResult
	if resp == nil {
		return lr, fmt.Errorf("没有应答")
	}
	if isGone(resp.Status) {
		lr.End = true
		return lr, nil
	}
	if resp.Status < 200 || resp.Status >= 300 {
		return lr, fmt.Errorf("列表页应答 HTTP %d", resp.Status)
	}
	if resp.HTML == "" && len(resp.Body) > 0 {
		return lr, fmt.Errorf("列表页不是文本（%s）", resp.MediaType)
	}
	ref := referenceDay(resp)
	if parse := pagings[col.Paging.Kind].parse; parse != nil {
		return parse(col, resp, pageIndex, ref)
	}
	p, err := parsePage(resp)
	if err != nil {
		return lr, err
	}
	items := listItems(col, p.doc.Selection)
	lr.Entries, lr.Rejected, lr.Repeats = entriesFrom(col, p.base, items, col.List.Item != "", ref)
	if len(lr.Entries) == 0 && softNotFound(p) {
		// A page that lists something is not a 页面不存在 page, whatever
		// its wording.
		lr.Entries, lr.Rejected = nil, nil
		lr.End = true
		return lr, nil
	}
	lr.DeclaredTotal = declaredTotal(resp.HTML, lr.Entries)
	pageList(col, p, resp.HTML, pageIndex, &lr)
	lr.EmptyMarker = len(lr.Entries) == 0 && len(lr.Rejected) == 0 && lr.DeclaredTotal == 0 && lr.PageCount <= 1 && showsEmptyMarker(p)
	return lr, nil
}

// listItems are the elements that may hold one entry each.
func listItems(col config.Column, root *goquery.Selection) *goquery.Selection {
	if col.List.Item != "" {
		return find(root, col.List.Item)
	}
	return root.Find("li, tr, dd")
}

// entriesFrom reads entries from item elements. Without an item selector
// an element counts only if it holds exactly one entry-like link and a
// date: navigation, sub-columns and containers of whole lists drop out.
//
// repeats counts the items that list a link the page already listed (a
// site may show one external article twice): a declared total counts them.
func entriesFrom(col config.Column, base *url.URL, items *goquery.Selection, explicit bool, ref calendar.Date) (entries []Entry, rejected []string, repeats int) {
	seen := map[string]bool{}
	items.Each(func(_ int, item *goquery.Selection) {
		links := find(item, orDefault(col.List.Link, "a[href]"))
		var link *goquery.Selection
		var target string
		distinct := map[string]bool{}
		links.Each(func(_ int, a *goquery.Selection) {
			href, ok := a.Attr("href")
			if !ok {
				return
			}
			u := resolve(base, href)
			if u == "" {
				return
			}
			if col.List.LinkPattern != nil && config.InScope(col.Hosts, u) && !col.List.LinkPattern.MatchString(pathOf(u)) && !IsAttachmentURL(u) {
				return // an in-scope link of another shape (paging, navigation); files listed directly still count
			}
			distinct[u] = true
			if link == nil {
				link, target = a, u
			}
		})
		if link == nil || (!explicit && len(distinct) != 1) {
			return
		}
		e := Entry{URL: target}
		e.Title = entryTitle(col, item, link)
		if col.List.Date != "" {
			e.DateText = value(item, col.List.Date)
			e.Date, _ = findDate(e.DateText, ref)
		} else {
			e.Date, e.DateText = findDate(textWithout(item, link), ref)
		}
		if !explicit && e.Date.IsZero() {
			return
		}
		if col.List.DocNo != "" {
			e.DocNo = emptyMarker(value(item, col.List.DocNo))
		}
		if !config.InScope(col.Hosts, target) || (col.Pattern != nil && !col.Pattern.MatchString(config.GuardedPart(target))) {
			if seen[target] {
				repeats++
			} else {
				seen[target] = true
				rejected = append(rejected, target)
			}
			return
		}
		if seen[target] {
			repeats++
			return
		}
		seen[target] = true
		entries = append(entries, e)
	})
	return entries, rejected, repeats
}

// maxPages is the column's page bound (the default one for a column built
// by hand rather than loaded).
func maxPages(col config.Column) int {
	if col.MaxPages > 0 {
		return col.MaxPages
	}
	return config.Harvest{}.WithDefaults().MaxPages
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.EscapedPath()
}

// entryTitle takes the configured title, else the link's @title, else its
// text; a text cut with "..." yields to @title.
func entryTitle(col config.Column, item, link *goquery.Selection) string {
	if col.List.Title != "" {
		if t := value(item, col.List.Title); t != "" {
			return t
		}
	}
	text := cleanSpace(link.Text())
	attr := cleanSpace(link.AttrOr("title", ""))
	if attr != "" && (text == "" || truncated(text) || len([]rune(attr)) > len([]rune(text))) {
		return attr
	}
	return text
}

func truncated(s string) bool {
	return strings.HasSuffix(s, "...") || strings.HasSuffix(s, "…") || strings.HasSuffix(s, "..") || strings.HasSuffix(s, "……")
}

// textWithout is the item's text without the link's (so a date in a title
// is not taken for the list date).
func textWithout(item, link *goquery.Selection) string {
	c := item.Clone()
	// Remove the link by position: clone keeps structure, so find the same
	// link again by its href and text.
	href := link.AttrOr("href", "")
	c.Find("a").Each(func(_ int, a *goquery.Selection) {
		if a.AttrOr("href", "") == href {
			a.Remove()
		}
	})
	return blockText(c)
}

// emptyMarker: "—  —", "无", "-" mean an empty value.
func emptyMarker(s string) string {
	t := noSpace(s)
	switch strings.Trim(t, "—－-─_/／、.。 ") {
	case "", "无", "暂无", "空":
		return ""
	}
	return strings.TrimSpace(s)
}

// ---- paging ----

var (
	createPageRe = regexp.MustCompile(`createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)`)
	totalPagesRe = regexp.MustCompile(`共\s*(\d+)\s*页|页次\s*[:：]?\s*\d+\s*/\s*(\d+)|totalPages?\s*[=:]\s*['"]?(\d+)|pageCount\s*[=:]\s*['"]?(\d+)`)
)

var countPageRe = regexp.MustCompile(`countPage\s*=\s*['"]?(\d+)`)

// totalPagesAt is totalPagesRe anchored at the start of its input.
var totalPagesAt = regexp.MustCompile(`^(?:` + totalPagesRe.String() + `)`)

// paging is how one paging kind continues a column past its first page.
// Each CMS family's file registers the kinds it brings (trs.go:
// create-page-html and count-var; intertid.go; hanweb.go; generic.go:
// next-link, query, list-n, none); a kind none registers (a column built
// by hand) reads the count the page declares.
type paging struct {
	// parse reads the kind's list pages itself (Hanweb's datastore and
	// data proxy); nil: an HTML list with the entries in its markup.
	parse  func(col config.Column, resp *fetch.Response, idx int, ref calendar.Date) (ListResult, error)
	single bool // the first page is the whole list
	// count reads the page count the kind's own way (0: the page does not
	// say); it may set the stem and extension page names are built on.
	count func(pc *pageContext) int
	// ownCount: the count comes only from count, never from a 共N页 or
	// 尾页 the page declares (next-link, query).
	ownCount bool
	// guess is page i's URL when a page lists entries but links no next
	// page; nil: the list ends there.
	guess func(col config.Column, i int) string
}

var pagings = map[string]paging{}

// family registers a CMS family: its preset and the paging kinds it brings.
func family(p config.Preset, kinds map[string]paging) {
	config.RegisterPreset(p)
	for k, pg := range kinds {
		if _, dup := pagings[k]; dup {
			panic("cms: paging kind " + k + " registered twice")
		}
		pagings[k] = pg
	}
}

// pageList fills Next, PageCount, Capped and End for an HTML list page.
func pageList(col config.Column, p *page, text string, idx int, lr *ListResult) {
	pg := pagings[col.Paging.Kind]
	if pg.single {
		lr.PageCount = 1
		return
	}
	count, urlOf := pageCounter(col, p, text, idx)
	if count > 0 {
		lr.PageCount = count
		if idx >= count {
			lr.End = true
			return
		}
		if idx > 0 {
			return // the first page already listed every page
		}
		for i := 1; i < count; i++ {
			if i >= maxPages(col) {
				lr.Capped = true
				break
			}
			addNext(col, lr, urlOf(i))
		}
		return
	}
	// Unknown length: follow the next link, one page at a time.
	if idx > 0 && len(lr.Entries) == 0 && len(lr.Rejected) == 0 {
		lr.End = true
		return
	}
	next := nextLink(col, p)
	if next == "" && pg.guess != nil && len(lr.Entries) > 0 {
		next = pg.guess(col, idx+1)
	}
	if next == "" || next == p.base.String() {
		return
	}
	if idx+1 >= maxPages(col) {
		lr.Capped = true
		return
	}
	addNext(col, lr, next)
}

func addNext(col config.Column, lr *ListResult, u string) {
	if u == "" {
		return
	}
	if !config.InScope(col.Hosts, u) || (col.Pattern != nil && !col.Pattern.MatchString(config.GuardedPart(u))) {
		lr.Rejected = append(lr.Rejected, u)
		lr.RejectedPages = append(lr.RejectedPages, u)
		return
	}
	lr.Next = append(lr.Next, fetch.Request{Method: "GET", URL: u, Kind: fetch.KindList, Charset: col.Charset})
}

// pageContext is what a paging kind sees of a column's list page: the page,
// and how its pages are named (page i under naming, from stem and ext in
// the column URL's directory).
type pageContext struct {
	col                    config.Column
	p                      *page
	text                   string
	colURL                 *url.URL
	naming, dir, stem, ext string
}

// named is the URL of page i (0-based, i > 0) named by file.
func (pc *pageContext) named(i int) string {
	u := *pc.colURL
	u.Path = pc.dir + pageName(pc.naming, pc.stem, pc.ext, i)
	u.RawQuery = ""
	return u.String()
}

// pageCounter finds how many pages the column has and how to name page i
// (0-based); count 0 when the page does not say. How the count is found
// (the kind) and how pages are named (the rule's naming) are independent:
// an intertid-named site may keep its count in any variable.
func pageCounter(col config.Column, p *page, text string, idx int) (int, func(int) string) {
	r := col.Paging
	pg := pagings[r.Kind]
	pc := &pageContext{col: col, p: p, text: text}
	pc.colURL, _ = url.Parse(col.URL)
	if pc.colURL == nil {
		pc.colURL = p.base
	}
	pc.naming = r.Naming
	if pc.naming == "" {
		preset, _ := config.LookupPreset(col.Preset)
		pc.naming = preset.DefaultNaming(r.Kind)
	}
	var file string
	pc.dir, file = path.Split(pc.colURL.Path)
	pc.stem, pc.ext = splitExt(file)
	if pc.stem == "" {
		pc.stem, pc.ext = "index", ".shtml"
		if pc.naming == config.NamingListN {
			pc.ext = ".html"
		}
	}
	fileNamed := slices.Contains(config.FileNamedKinds, r.Kind)
	urlOf := func(int) string { return "" }
	if fileNamed {
		urlOf = pc.named
	} else if pg.guess != nil {
		urlOf = func(i int) string { return pg.guess(col, i) }
	}
	count := 0
	if pg.count != nil {
		count = pg.count(pc)
	}
	if idx == 0 && r.Template == "" && fileNamed {
		// The first page's own 下一页 link names page 2: when it is named
		// under another naming than the rule's, the site is right (a
		// column configured trs on an intertid site would otherwise ask
		// for index_1, which does not exist).
		if n := namingOfPage2(col, p, pc.naming, pc.dir, pc.stem, pc.ext); n != "" {
			pc.naming = n
		}
	}
	if count == 0 && !pg.ownCount {
		// Any count the page declares will do: createPageHTML, countPage,
		// _pageCount, 共N页, 页次 x/N, or failing those the 尾页 link.
		count = declaredPages(text)
		if count == 0 {
			count = declaredPages(stripTags(text)) // 共<span>5</span>页
		}
		count = max(count, lastPageFromNames(p, pc.naming, pc.dir, pc.stem, pc.ext))
	}
	if r.Template != "" {
		urlOf = func(i int) string {
			if i == 0 {
				return col.URL
			}
			name := strings.ReplaceAll(strings.ReplaceAll(r.Template, "{n}", strconv.Itoa(i+1)), "{i}", strconv.Itoa(i))
			ref, err := pc.colURL.Parse(name)
			if err != nil {
				return ""
			}
			return ref.String()
		}
	}
	return count, urlOf
}

// pageName is the file name of page i (0-based, i > 0) under a naming.
func pageName(naming, stem, ext string, i int) string {
	switch naming {
	case config.NamingIntertid:
		return fmt.Sprintf("%s_%d%s", stem, i+1, ext)
	case config.NamingListN:
		return fmt.Sprintf("list_%d%s", i+1, ext)
	}
	return fmt.Sprintf("%s_%d%s", stem, i, ext)
}

// namingOfPage2 is the naming under which the page's next link names page
// 2, when that differs from naming; "" when it agrees or says nothing.
func namingOfPage2(col config.Column, p *page, naming, dir, stem, ext string) string {
	next := nextLink(col, p)
	if next == "" {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil {
		return ""
	}
	d, f := path.Split(u.Path)
	if d != dir || f == pageName(naming, stem, ext, 1) {
		return ""
	}
	for _, n := range config.Namings {
		if f == pageName(n, stem, ext, 1) {
			return n
		}
	}
	return ""
}

// lastPageFromNames reads the page count from a 尾页/末页 link named by the
// column's naming (index_4.shtml is page 5 under trs, page 4 under
// intertid); 0 when there is none.
func lastPageFromNames(p *page, naming, dir, stem, ext string) int {
	if p == nil {
		return 0
	}
	prefix := stem + "_"
	if naming == config.NamingListN {
		prefix = "list_"
	}
	n := 0
	p.doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		t := noSpace(a.Text())
		if t != "尾页" && t != "末页" && t != "最后一页" && t != "最后页" {
			return
		}
		u := resolveURL(p.base, a.AttrOr("href", ""))
		if u == nil {
			return
		}
		d, f := path.Split(u.Path)
		if d != dir || !strings.HasPrefix(f, prefix) || !strings.HasSuffix(f, ext) {
			return
		}
		v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(f, prefix), ext))
		if err != nil || v < 0 {
			return
		}
		if naming == config.NamingTRS {
			v++ // index_N is page N+1
		}
		n = max(n, v)
	})
	return n
}

var (
	tagRe       = regexp.MustCompile(`<[^>]*>`)
	nbspReplace = strings.NewReplacer("&nbsp;", " ", "&#160;", " ", "\u00a0", " ")
)

// stripTags is the page's source without its tags (scripts' text kept), so
// that a count written 共<span>38</span>条 reads as one phrase.
func stripTags(text string) string {
	return nbspReplace.Replace(tagRe.ReplaceAllString(text, ""))
}

// declaredTotalRe finds the number of entries a list says it has: 共38条,
// 共 38 条记录, 总记录数：38, totalRecord = 38, recordCount: 38.
var declaredTotalRe = regexp.MustCompile(`共\s*(?:有\s*)?(\d+)\s*条|(?:总记录数|记录总数|总条数|信息总数|总记录)\s*[:：为]?\s*(\d+)|(?i:totalRecords?|recordCount|totalCount|totalRows?)['"]?\s*[=:]\s*['"]?(\d+)`)

// declaredTotal is the entry count the page declares, 0 when it says none.
// A phrase inside an entry's title (…共3条意见) is not the list's. When the
// page states several totals the largest wins: a total too high makes a
// column incomplete, one too low could hide a gap.
func declaredTotal(text string, entries []Entry) int {
	if !strings.Contains(text, "条") && !strings.Contains(text, "otal") && !strings.Contains(text, "ecord") && !strings.Contains(text, "总") {
		return 0
	}
	best := 0
	for _, src := range []string{text, stripTags(text)} {
		for _, m := range declaredTotalRe.FindAllStringSubmatch(src, -1) {
			if inTitle(m[0], entries) {
				continue
			}
			for _, g := range m[1:] {
				if n, err := strconv.Atoi(g); err == nil && n > best {
					best = n
				}
			}
		}
	}
	return best
}

func inTitle(phrase string, entries []Entry) bool {
	phrase = noSpace(phrase)
	for _, e := range entries {
		if strings.Contains(noSpace(e.Title), phrase) {
			return true
		}
	}
	return false
}

func splitExt(file string) (string, string) {
	ext := path.Ext(file)
	return strings.TrimSuffix(file, ext), ext
}

// declaredPages reads 共N页, 页次 x/N, totalPage = N and similar.
func declaredPages(text string) int {
	if m := createPageRe.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if m := countPageRe.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	// What totalPagesRe.FindAllStringSubmatch would go through, in order,
	// but tried only where one of its alternatives can begin.
	end := 0
	for _, at := range totalPagesStarts(text) {
		if at < end {
			continue // inside the previous match
		}
		m := totalPagesAt.FindStringSubmatchIndex(text[at:])
		if m == nil {
			continue
		}
		for g := 1; 2*g < len(m); g++ {
			if m[2*g] < 0 {
				continue
			}
			if n, err := strconv.Atoi(text[at+m[2*g] : at+m[2*g+1]]); err == nil && n > 0 {
				return n
			}
		}
		end = at + m[1]
	}
	return 0
}

// totalPagesStarts lists, in order, where one of totalPagesRe's
// alternatives can begin: every 共, 页次, totalPage and pageCount.
func totalPagesStarts(text string) []int {
	var at []int
	for _, w := range []string{"共", "页次", "totalPage", "pageCount"} {
		for i := 0; ; {
			j := strings.Index(text[i:], w)
			if j < 0 {
				break
			}
			at = append(at, i+j)
			i += j + len(w)
		}
	}
	slices.Sort(at)
	return at
}

// nextLink finds the 下一页 link (or the configured selector's).
func nextLink(col config.Column, p *page) string {
	if col.Paging.Kind == config.PagingNextLink && col.Paging.Param != "" {
		if a := find(p.doc.Selection, col.Paging.Param).First(); a.Length() > 0 {
			return resolve(p.base, a.AttrOr("href", ""))
		}
		return ""
	}
	var out string
	p.doc.Find("a[href]").EachWithBreak(func(_ int, a *goquery.Selection) bool {
		t := noSpace(a.Text())
		if t == "下一页" || t == "下页" || t == "后一页" || t == ">" || t == "›" || t == "»" || t == "下一页>" || t == "下一页»" {
			out = resolve(p.base, a.AttrOr("href", ""))
			return out == ""
		}
		return true
	})
	return out
}
