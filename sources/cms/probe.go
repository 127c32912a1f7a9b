package cms

import (
	"encoding/json"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// Recognition is what a column's first list page tells about the site it
// belongs to: the CMS family (a preset), the paging and the column's name.
// Paging holds only what the preset does not already say (Kind "" = the
// preset's own).
type Recognition struct {
	Preset string
	Paging config.PagingRule
	Name   string // the column's name as the page states it (<title> before " - ", else the first heading)
	// Pages is the number of list pages the page itself declares
	// (createPageHTML, countPage, 共N页, the 尾页 link); 0 when it says none.
	Pages int
	// PagingSeen: the page showed how it pages (a script, a link to page 2,
	// a count variable); false for a single page that says nothing, whose
	// paging kind is the preset's default and proves nothing.
	PagingSeen bool
	// Seen lists, in Chinese, what the decision rests on (createPageHTML,
	// 下一页 → index_2.shtml …), for a person to verify.
	Seen []string
	// Unsure lists, in Chinese, what could not be decided and what to look
	// at; empty when the page was clear.
	Unsure []string
	// API (preset jsonapi): the JSON endpoint the page's script names,
	// without its page parameter (Paging.Param); the JSON paths are left
	// to GuessAPI, which reads the endpoint's answer.
	API string
}

var (
	countVarRe  = regexp.MustCompile(`(?:^|[^\w$])((?:var\s+)?([A-Za-z_$][\w$]*[Pp]age[Cc]ount|countPage))\s*=\s*['"]?(\d+)`)
	datastoreRe = regexp.MustCompile(`(?i)<datastore`)
)

// Recognise reads a column's first list page and says which family and
// paging it shows. It decides only from what the page states (scripts,
// links to page 2 or the last page, markup the families are known by); a
// page that states none of them is reported as unsure, never guessed
// silently.
func Recognise(resp *fetch.Response) (Recognition, error) {
	var r Recognition
	p, err := parsePage(resp)
	if err != nil {
		return r, err
	}
	text := resp.HTML
	r.Name = columnName(p)
	r.Pages = declaredPages(text)
	if r.Pages == 0 {
		r.Pages = declaredPages(stripTags(text))
	}
	colURL := p.base
	if u, err := url.Parse(orDefault(resp.FinalURL, resp.URL)); err == nil {
		colURL = u
	}
	dir, file := path.Split(colURL.Path)
	stem, ext := splitExt(file)

	if strings.Contains(text, "jpage(") || datastoreRe.MatchString(text) {
		r.Preset = "hanweb"
		r.PagingSeen = true
		r.Seen = append(r.Seen, "页面含大汉 jcms 的 datastore/jpage 脚本")
		opts := jpageOptions(text)
		if _, ok := hanwebInt(text, opts, "totalRecord", totalRecRe); !ok {
			r.Unsure = append(r.Unsure, "jpage 没有给出可读的 totalRecord：请在浏览器中查看栏目页源码里的 jpage({...}) 调用")
		}
		form := hanwebForm(config.Column{}, text, opts)
		var missing []string
		for _, k := range []string{"webid", "unitid"} {
			if form.Get(k) == "" {
				missing = append(missing, k)
			}
		}
		if len(missing) > 0 {
			r.Unsure = append(r.Unsure, "页面没有给出数据接口 dataproxy.jsp 的表单参数 "+strings.Join(missing, "、")+
				"：请在浏览器开发者工具的网络面板里找到 dataproxy.jsp 请求，把这些参数写进 paging.form")
		}
		return r, nil
	}
	if api, param := apiEndpoint(text); api != "" && listsNothing(p) {
		r.Preset = "jsonapi"
		r.PagingSeen = true
		r.API = api
		if param != "" && param != "pageNo" {
			r.Paging.Param = param
		}
		r.Seen = append(r.Seen, "栏目页是空壳，脚本从 JSON 接口 "+api+" 取列表")
		if param == "" {
			r.Unsure = append(r.Unsure, "接口地址里看不出页码参数：按 pageNo 处理；请在浏览器网络面板里点第 2 页，核对 paging.param")
		}
		return r, nil
	}
	if m := createPageRe.FindStringSubmatch(text); m != nil {
		r.Preset = "trs"
		r.PagingSeen = true
		r.Seen = append(r.Seen, "createPageHTML("+m[1]+", …)：共 "+m[1]+" 页，第 2 页为 "+m[3]+"_1."+m[4])
		return r, nil
	}

	naming, page2 := pageNamingOf(p, dir, stem, ext)
	if naming != "" {
		r.Pages = max(r.Pages, lastPageFromNames(p, naming, dir, orDefault(stem, "index"), orDefault(ext, ".shtml")))
	}
	intertidMarkup := strings.Contains(text, "affairs-document") || strings.Contains(text, "affaires-doc")
	trsDetails := detailLinksLike(p, trsDetail)
	varName := ""
	if m := countVarRe.FindStringSubmatch(text); m != nil {
		varName = m[2]
		if varName == "" {
			varName = "countPage"
		}
	}
	r.PagingSeen = naming != "" || varName != ""
	switch naming {
	case config.NamingListN:
		r.Preset = "generic"
		if trsDetails {
			r.Preset = "trs"
		}
		r.Paging.Kind = config.PagingListN
		r.Seen = append(r.Seen, "第 2 页为 "+page2)
	case config.NamingIntertid:
		r.Preset = "intertid"
		r.Seen = append(r.Seen, "第 2 页为 "+page2+"（index_1 不存在的命名）")
	case config.NamingTRS:
		r.Preset = "trs"
		r.Seen = append(r.Seen, "第 2 页为 "+page2)
		if varName != "" {
			r.Paging = config.PagingRule{Kind: config.PagingCountVar, Param: varName}
			r.Seen = append(r.Seen, "页数写在脚本变量 "+varName+" 中")
		} else if declaredPages(text) == 0 && declaredPages(stripTags(text)) == 0 {
			r.Unsure = append(r.Unsure, "页面没有声明总页数（createPageHTML、countPage、共N页都没有）：请看页面底部的翻页条怎样算出页数")
		}
	default:
		next := nextLink(config.Column{}, p)
		switch {
		case intertidMarkup:
			r.Preset = "intertid"
			r.Seen = append(r.Seen, "列表为 intertid 的 affairs-document 表格")
		case trsDetails:
			r.Preset = "trs"
			r.Seen = append(r.Seen, "详情链接为 TRS 的 ./YYYYMM/tYYYYMMDD_N.shtml")
			if varName != "" {
				r.Paging = config.PagingRule{Kind: config.PagingCountVar, Param: varName}
				r.Seen = append(r.Seen, "页数写在脚本变量 "+varName+" 中")
			}
		default:
			r.Preset = "generic"
		}
		if next != "" {
			r.PagingSeen = true
		}
		if next != "" && r.Preset == "generic" {
			r.Seen = append(r.Seen, "按“下一页”链接翻页："+next)
		} else if next == "" {
			r.Seen = append(r.Seen, "没有找到第 2 页的链接：按单页栏目处理")
			if r.Preset == "generic" && varName == "" {
				r.Unsure = append(r.Unsure, "只看到一页，无法确定翻页方式：栏目条目变多后请再运行一次 probe，或查看页面底部的翻页条")
			}
		}
	}
	if ns := p.doc.Find("noscript a[href]").First(); ns.Length() > 0 && listsNothing(p) {
		r.Unsure = append(r.Unsure, "栏目页是脚本填充的空壳，<noscript> 指向 "+resolve(p.base, ns.AttrOr("href", ""))+"：请改用那个地址作为栏目 url")
	}
	return r, nil
}

// columnName is the column's name as its page states it.
func columnName(p *page) string {
	t := cleanSpace(p.doc.Find("title").First().Text())
	for _, sep := range []string{" - ", "_", " | ", "－", "—"} {
		if i := strings.Index(t, sep); i > 0 {
			t = strings.TrimSpace(t[:i])
			break
		}
	}
	if t != "" {
		return t
	}
	for _, sel := range []string{"h1", "h2", ".title"} {
		if h := cleanSpace(p.doc.Find(sel).First().Text()); h != "" {
			return h
		}
	}
	return ""
}

// pageNamingOf finds the naming of page 2 from the page's 下一页 link, or
// failing that from any link to page 2 in the column's directory.
func pageNamingOf(p *page, dir, stem, ext string) (string, string) {
	if stem == "" {
		stem, ext = "index", ".shtml"
	}
	var cands []string
	if n := nextLink(config.Column{}, p); n != "" {
		cands = append(cands, n)
	}
	p.doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		if u := resolve(p.base, a.AttrOr("href", "")); u != "" {
			cands = append(cands, u)
		}
	})
	for _, c := range cands {
		u, err := url.Parse(c)
		if err != nil {
			continue
		}
		d, f := path.Split(u.Path)
		if d != dir {
			continue
		}
		for _, n := range []string{config.NamingListN, config.NamingIntertid, config.NamingTRS} {
			e := ext
			if n == config.NamingListN && !strings.HasPrefix(f, "list_") {
				continue
			}
			if n == config.NamingListN {
				e = path.Ext(f)
			}
			if f == pageName(n, stem, e, 1) {
				return n, f
			}
		}
	}
	return "", ""
}

func detailLinksLike(p *page, re *regexp.Regexp) bool {
	n := 0
	p.doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		if u := resolveURL(p.base, a.AttrOr("href", "")); u != nil && u.Host == p.base.Host && re.MatchString(u.Path) {
			n++
		}
	})
	return n > 0
}

func listsNothing(p *page) bool {
	es, _, _ := entriesFrom(config.Column{}, p.base, p.doc.Find("li, tr, dd"), false, 0)
	return len(es) == 0
}

// RuleDateText is the text around the element a column's detail date
// rule selects (the element and its parent), "" when the rule is empty or
// selects nothing: what check reads to see whether the rule points at a
// 生成日期 or 成文日期 rather than the publication date.
func RuleDateText(col config.Column, resp *fetch.Response) string {
	if col.Detail.Date == "" || resp == nil || resp.HTML == "" {
		return ""
	}
	p, err := parsePage(resp)
	if err != nil {
		return ""
	}
	for _, part := range config.SplitSelector(col.Detail.Date) {
		if part.CSS == "" {
			continue
		}
		if s := p.doc.Find(part.CSS).First(); s.Length() > 0 {
			return cleanSpace(s.Parent().Text())
		}
	}
	return ""
}

// SelectorMatches reports whether a rule selector matches anything in the
// page (used by check to say which selectors find nothing).
func SelectorMatches(resp *fetch.Response, rule string) bool {
	if rule == "" || resp == nil || resp.HTML == "" {
		return true
	}
	p, err := parsePage(resp)
	if err != nil {
		return false
	}
	root := p.doc.Selection
	if recs := recordRe.FindAllStringSubmatch(resp.HTML, -1); len(recs) > 0 {
		// A Hanweb column: list rules apply to the datastore's records.
		var b strings.Builder
		for _, r := range recs {
			b.WriteString(r[1])
		}
		frag, err := goquery.NewDocumentFromReader(strings.NewReader("<html><body>" + b.String() + "</body></html>"))
		if err == nil && find(frag.Selection, rule).Length() > 0 {
			return true
		}
	}
	return find(root, rule).Length() > 0
}

// EffectiveKind is the paging kind a column of this recognition reads
// with: the recognised one, else the preset's.
func (r Recognition) EffectiveKind() string {
	if r.Paging.Kind != "" {
		return r.Paging.Kind
	}
	p, _ := config.LookupPreset(r.Preset)
	return p.Paging.Kind
}

var (
	apiURLRe    = regexp.MustCompile(`['"]((?:https?://[^'"\s]+)?/[^'"\s<>]*api/[^'"\s<>]*)['"]`)
	pageParams  = []string{"pageNo", "pageNum", "pageIndex", "currentPage", "page", "curPage"}
	titleKeys   = []string{"title", "docTitle", "name", "articleTitle", "subject"}
	linkKeys    = []string{"url", "link", "href", "docUrl", "pageUrl", "articleUrl"}
	dateKeys    = []string{"publishDate", "pubDate", "publishTime", "docPubTime", "releaseDate", "date", "createTime"}
	totalKeys   = []string{"total", "totalCount", "totalElements", "recordCount", "totalRecord", "count"}
	entriesKeys = []string{"data", "list", "rows", "records", "items", "content", "result"}
)

// apiEndpoint finds a JSON list endpoint a shell page's script names
// (…/api/…list…?channelId=…&pageNo=1) and its page parameter; "" when
// there is none.
func apiEndpoint(text string) (string, string) {
	for _, m := range apiURLRe.FindAllStringSubmatch(text, -1) {
		raw := strings.ReplaceAll(m[1], "&amp;", "&")
		if !strings.Contains(strings.ToLower(raw), "list") {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		q := u.Query()
		param := ""
		for _, k := range pageParams {
			if q.Has(k) {
				param = k
				q.Del(k)
				break
			}
		}
		u.RawQuery = q.Encode()
		return u.String(), param
	}
	return "", ""
}

// GuessAPI reads a JSON endpoint's answer and guesses where its entries,
// their title, link and date, and the declared total are. A field it
// cannot find is left empty and named in the returned notes.
func GuessAPI(resp *fetch.Response) (config.APIRule, []string) {
	r := config.APIRule{Method: "GET"}
	var notes []string
	dec := json.NewDecoder(strings.NewReader(orDefault(resp.HTML, string(resp.Body))))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return r, []string{"接口应答不是 JSON：请在浏览器网络面板里核对列表请求的地址"}
	}
	path, list := findEntries(root, "", 0)
	if list == nil {
		return r, []string{"接口应答里找不到条目数组：请在 paging.api.entries 写明其 JSON 路径"}
	}
	r.Entries = path
	first, _ := list[0].(map[string]any)
	pick := func(keys []string) string {
		for _, k := range keys {
			if _, ok := first[k]; ok {
				return k
			}
		}
		return ""
	}
	r.Title, r.Link, r.Date = pick(titleKeys), pick(linkKeys), pick(dateKeys)
	for _, f := range []struct{ key, v string }{{"title", r.Title}, {"link", r.Link}, {"date", r.Date}} {
		if f.v == "" {
			notes = append(notes, "认不出条目的 "+f.key+" 字段：请在 paging.api."+f.key+" 写明")
		}
	}
	parent := root
	if i := strings.LastIndex(path, "."); i > 0 {
		parent, _ = jsonPath(root, path[:i])
	}
	for _, scope := range []struct {
		prefix string
		v      any
	}{{"", root}, {parentPrefix(path), parent}} {
		if m, ok := scope.v.(map[string]any); ok && r.Total == "" {
			for _, k := range totalKeys {
				if _, err := strconv.Atoi(jsonText(m[k])); err == nil {
					r.Total = scope.prefix + k
					break
				}
			}
		}
	}
	if r.Total == "" {
		notes = append(notes, "接口没有声明条目总数：完整性只能靠读到空页为止，请在浏览器里核对")
	}
	return r, notes
}

func parentPrefix(path string) string {
	if i := strings.LastIndex(path, "."); i > 0 {
		return path[:i+1]
	}
	return ""
}

// findEntries finds the first array of objects (preferring the usual
// keys), up to three levels down.
func findEntries(v any, path string, depth int) (string, []any) {
	if depth > 3 {
		return "", nil
	}
	switch t := v.(type) {
	case []any:
		if len(t) > 0 {
			if _, ok := t[0].(map[string]any); ok {
				return path, t
			}
		}
	case map[string]any:
		join := func(k string) string {
			if path == "" {
				return k
			}
			return path + "." + k
		}
		for _, k := range entriesKeys {
			if c, ok := t[k]; ok {
				if p, l := findEntries(c, join(k), depth+1); l != nil {
					return p, l
				}
			}
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if p, l := findEntries(t[k], join(k), depth+1); l != nil {
				return p, l
			}
		}
	}
	return "", nil
}
