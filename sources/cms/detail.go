package cms

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"gongkai/calendar"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// Label variants of information-disclosure metadata, mapped to the one
// name gongkai keeps them under. Labels are compared without white space
// (索 引 号, 索　引　号 → 索引号). 发布日期 is a publication date; 生成日期
// and 成文日期 are when the document was made and are never taken for one.
var labelCanon = map[string]string{
	"索引号": "索引号", "信息索引号": "索引号", "索取号": "索引号",
	"主题分类": "主题分类", "所属主题": "主题分类", "信息分类": "主题分类", "所属分类": "主题分类", "组配分类": "主题分类",
	"发布机构": "发布机构", "发文机关": "发布机构", "公开机构": "发布机构", "发布单位": "发布机构", "发文单位": "发布机构", "公开主体": "发布机构",
	"生成日期": "生成日期", "成文日期": "生成日期", "形成日期": "生成日期", "生成时间": "生成日期",
	"文号": "文号", "发文字号": "文号", "文件编号": "文号", "发文文号": "文号",
	"发布日期": "发布日期", "发布时间": "发布日期", "公开日期": "发布日期", "公开时间": "发布日期", "发稿时间": "发布日期",
	"来源": "来源", "信息来源": "来源", "文章来源": "来源",
	"名称": "名称", "标题": "名称",
	"关键词": "关键词", "主题词": "关键词",
	"有效性": "有效性", "时效": "有效性",
	"时间": "时间",
}

// Meta tags of the government-site standard (and Hanweb's Maketime) kept
// in Metadata under these names.
var metaNames = []string{"SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate",
	"ContentSource", "Keywords", "Url", "Maketime", "Author"}

// labelRe finds "label：" (or "label<TAB>", a label cell) at a boundary:
// at the start of the line or after a space, tab, |, 【, [, ( or （. A
// label's characters may be spaced out (索 引 号) with ASCII or ideographic
// spaces, and so may the colon. Labels are tried longest first (发布时间
// before 时间), ties in byte order; group 1 is the label as written.
var labelRe = func() *regexp.Regexp {
	labels := make([]string, 0, len(labelCanon))
	for l := range labelCanon {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool {
		if len(labels[i]) != len(labels[j]) {
			return len(labels[i]) > len(labels[j])
		}
		return labels[i] < labels[j]
	})
	alts := make([]string, len(labels))
	for i, l := range labels {
		var parts []string
		for _, r := range l {
			parts = append(parts, regexp.QuoteMeta(string(r)))
		}
		alts[i] = strings.Join(parts, `[\s\x{3000}]*`)
	}
	return regexp.MustCompile(`(?:^|[\s\t|【\[(（])(` + strings.Join(alts, "|") + `)[\s\x{3000}]*(?:[:：]|\t)`)
}()

var otherLabelRe = regexp.MustCompile(`[\s\t][^\s:：\d]{2,8}[:：]`)

// ParseDetail reads a detail page.
func ParseDetail(col config.Column, e Entry, resp *fetch.Response) (Detail, error) {
	var d Detail
	if resp == nil {
		return d, fmt.Errorf("没有应答")
	}
	if isGone(resp.Status) {
		d.NotFound = true
		return d, nil
	}
	if resp.Status < 200 || resp.Status >= 300 {
		return d, fmt.Errorf("详情页应答 HTTP %d", resp.Status)
	}
	if resp.HTML == "" || (IsAttachmentURL(orDefault(resp.FinalURL, resp.URL)) && !strings.Contains(resp.MediaType, "html")) {
		// A list entry that is a file (a PDF listed directly): the file is
		// the disclosure; the list gives its title and date.
		name := e.Title
		if name == "" {
			name = fileName(orDefault(resp.FinalURL, resp.URL))
		}
		d.Title, d.Metadata = e.Title, map[string]string{}
		if !e.Date.IsZero() {
			d.Declared, d.DeclaredFrom = e.Date, "list"
		}
		d.Links = []Link{{URL: orDefault(resp.FinalURL, resp.URL), Name: name}}
		return d, nil
	}
	p, err := parsePage(resp)
	if err != nil {
		return d, err
	}
	if b := bodyElement(col, p.doc); (b == nil || statesNotFound(cleanSpace(b.Text()))) && softNotFound(p) {
		// A page with an article body is an article, whatever else it says.
		d.NotFound = true
		return d, nil
	}
	d.Metadata = map[string]string{}
	metas := metaTags(p.doc)
	for _, n := range metaNames {
		if v := metas[strings.ToLower(n)]; v != "" {
			d.Metadata[n] = v
		}
	}

	body := bodyElement(col, p.doc)
	if body != nil {
		d.Body = blockText(body)
		d.Tables = tables(body)
	}
	scope := p.doc.Find("body")
	if col.Detail.Metadata != "" {
		scope = find(p.doc.Selection, col.Detail.Metadata)
	}
	for k, v := range labelledValues(textOutside(scope, body)) {
		if _, done := d.Metadata[k]; !done {
			d.Metadata[k] = v
		}
	}

	d.Title = detailTitle(col, p.doc, metas)
	if d.Title == "" {
		d.Title = e.Title
	}

	ref := referenceDay(resp)
	d.Declared, d.DeclaredFrom = declaredDate(col, p.doc, d.Metadata, e, ref)
	d.Links = attachmentLinks(col, p, body)
	d.BodyLinks = bodyLinks(p, body, d.Links)
	return d, nil
}

func metaTags(doc *goquery.Document) map[string]string {
	out := map[string]string{}
	doc.Find("meta[name]").Each(func(_ int, m *goquery.Selection) {
		name := strings.ToLower(strings.TrimSpace(m.AttrOr("name", "")))
		if _, ok := out[name]; !ok {
			out[name] = cleanSpace(m.AttrOr("content", ""))
		}
	})
	return out
}

// bodyCandidates are where the families put the article text, most
// specific first.
var bodyCandidates = []string{
	"div.trs_editor_view", "div.TRS_Editor", "div.TRS_UEDITOR", "#UCAP-CONTENT", "#zoom", "div#article",
	"div.article-content", "div.article_con", "div.content", "div.main-txt", "div.con", "article", "div.article",
}

func bodyElement(col config.Column, doc *goquery.Document) *goquery.Selection {
	if col.Detail.Body != "" {
		if s := find(doc.Selection, col.Detail.Body).First(); s.Length() > 0 {
			return s
		}
	}
	for _, c := range bodyCandidates {
		if s := doc.Find(c).First(); s.Length() > 0 {
			return s
		}
	}
	return nil
}

// textOutside is the block text of scope with the body element left out,
// so that labels inside a decision's text (处罚时间：…) are not taken for
// the page's metadata. Each element of scope is rendered on its own, with
// the body skipped when it lies inside that element.
func textOutside(scope, body *goquery.Selection) string {
	if body == nil || body.Length() == 0 {
		return renderText(scope, true)
	}
	skip := body.Nodes[0]
	var b strings.Builder
	for i, n := range scope.Nodes {
		if i > 0 {
			b.WriteByte('\n')
		}
		s := skip
		if n == skip {
			s = nil // the scope is the body itself: nothing to leave out
		}
		b.WriteString(renderNodes([]*html.Node{n}, true, s))
	}
	return b.String()
}

// labelledValues splits text at known labels: "索引号：A\t主题分类：B" and
// "发布日期：2020年8月5日　来源：X" give one value per label, each value
// running to the next label or the end of its line.
func labelledValues(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		// Every label ends with a colon or a tab: most lines of a page
		// (menus, footers, prose) hold neither, and need no search.
		if !strings.ContainsAny(line, ":：\t") {
			continue
		}
		locs := labelRe.FindAllStringSubmatchIndex(line, -1)
		for i, loc := range locs {
			label := labelCanon[noSpace(line[loc[2]:loc[3]])]
			end := len(line)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			v := line[loc[1]:end]
			// An unknown label after a space ends the value too (浏览次数：).
			if m := otherLabelRe.FindStringIndex(v); m != nil {
				v = v[:m[0]]
			}
			v = strings.TrimSpace(strings.Trim(v, "\t |"))
			v = emptyMarker(cleanSpace(v))
			if _, seen := out[label]; !seen {
				out[label] = v
			}
		}
	}
	return out
}

// detailTitle: the rule, else meta ArticleTitle, else the page's heading,
// else <title> without the site name.
func detailTitle(col config.Column, doc *goquery.Document, metas map[string]string) string {
	if col.Detail.Title != "" {
		if t := value(doc.Selection, col.Detail.Title); t != "" {
			return t
		}
	}
	if t := metas["articletitle"]; t != "" {
		return t
	}
	for _, sel := range []string{".article h1", ".article h2", "h1", ".con-title", "h2.title", ".title"} {
		if t := cleanSpace(doc.Find(sel).First().Text()); t != "" {
			return t
		}
	}
	t := cleanSpace(doc.Find("title").First().Text())
	for _, sep := range []string{" - ", "_", " | ", "－"} {
		if i := strings.LastIndex(t, sep); i > 0 {
			return strings.TrimSpace(t[:i])
		}
	}
	return t
}

// declaredDate is the publication date the channel declares: the rule's
// selector, the PubDate meta tag, a 发布日期/发布时间 label, the list date,
// and only then a bare 时间 label. 生成日期/成文日期, Maketime and a stale
// <span alt> are never read here.
func declaredDate(col config.Column, doc *goquery.Document, meta map[string]string, e Entry, ref calendar.Date) (calendar.Date, string) {
	if col.Detail.Date != "" {
		if d, _ := findDate(value(doc.Selection, col.Detail.Date), ref); !d.IsZero() {
			return d, "rule"
		}
	}
	if d, _ := findDate(meta["PubDate"], ref); !d.IsZero() {
		return d, "PubDate"
	}
	if d, _ := findDate(meta["发布日期"], ref); !d.IsZero() {
		return d, "发布日期"
	}
	if !e.Date.IsZero() {
		return e.Date, "list"
	}
	if d, _ := findDate(meta["时间"], ref); !d.IsZero() {
		return d, "时间"
	}
	return 0, ""
}

var attachmentExt = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".csv": true, ".wps": true,
	".et": true, ".zip": true, ".rar": true, ".7z": true, ".ofd": true, ".txt": true, ".odt": true, ".ods": true,
}

// IsAttachmentURL reports whether a link leads to a file rather than a page.
func IsAttachmentURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	return isAttachment(u)
}

func isAttachment(u *url.URL) bool {
	p := strings.ToLower(u.Path)
	if attachmentExt[path.Ext(p)] || strings.Contains(p, "downfile.jsp") || strings.Contains(p, "/attach/") {
		return true
	}
	if f := strings.ToLower(u.Query().Get("filename")); f != "" && attachmentExt[path.Ext(f)] {
		return true
	}
	return false
}

func attachmentLinks(col config.Column, p *page, body *goquery.Selection) []Link {
	var anchors *goquery.Selection
	if col.Detail.Attachments != "" {
		anchors = find(p.doc.Selection, col.Detail.Attachments)
	} else {
		anchors = p.doc.Find("a[href]")
	}
	var out []Link
	seen := map[string]bool{}
	// Most links of a page lead to other pages; when the page's own
	// address says nothing of attachments, a link whose text cannot make
	// an attachment address is passed over without resolving it.
	prefilter := col.Detail.Attachments == "" && !mayLeadToAttachment(strings.ToLower(p.base.Path)) &&
		!strings.Contains(strings.ToLower(p.base.RawQuery), "filename")
	anchors.Each(func(_ int, a *goquery.Selection) {
		href, ok := a.Attr("href")
		if !ok {
			return
		}
		if prefilter && !mayLeadToAttachment(strings.ToLower(strings.TrimSpace(html.UnescapeString(href)))) {
			return
		}
		parsed := resolveURL(p.base, href)
		if parsed == nil || (col.Detail.Attachments == "" && !isAttachment(parsed)) {
			return
		}
		u := parsed.String()
		if seen[u] {
			return
		}
		seen[u] = true
		name := cleanSpace(a.Text())
		if name == "" {
			name = cleanSpace(a.AttrOr("title", ""))
		}
		if name == "" {
			name = a.AttrOr("oldsrc", "")
		}
		if name == "" {
			name = fileName(u)
		}
		out = append(out, Link{URL: u, Name: name})
	})
	return out
}

// mayLeadToAttachment reports whether a link (lower case, entities
// decoded), resolved against a page whose own path holds no attachment
// marker, can make an address isAttachment accepts: a last path segment
// with an attachment's extension, downfile.jsp, an attach directory or a
// filename parameter. Percent escapes and backslashes are not worked out:
// such links always go on to the full check.
func mayLeadToAttachment(link string) bool {
	if strings.ContainsAny(link, "%\\") || strings.Contains(link, "attach") || strings.Contains(link, "downfile") ||
		strings.Contains(link, "filename") {
		return true
	}
	if i := strings.IndexAny(link, "?#"); i >= 0 {
		link = link[:i]
	}
	return attachmentExt[path.Ext(link[strings.LastIndexByte(link, '/')+1:])]
}

// tables reads the HTML tables of the body as grids, spans filled in.
func tables(body *goquery.Selection) [][][]string {
	var out [][][]string
	body.Find("table").Each(func(_ int, t *goquery.Selection) {
		if t.HasClass("affairs-detail-head") || t.Find("table").Length() > 0 {
			return // metadata, or a layout table holding other tables
		}
		if g := grid(t); len(g) > 0 {
			out = append(out, g)
		}
	})
	return out
}

func grid(t *goquery.Selection) [][]string {
	var rows [][]string
	pending := map[[2]int]string{} // cells covered by a rowspan from above
	t.Find("tr").Each(func(r int, tr *goquery.Selection) {
		if tr.Closest("table").Get(0) != t.Get(0) {
			return
		}
		var row []string
		col := 0
		fill := func() {
			for {
				v, ok := pending[[2]int{r, col}]
				if !ok {
					return
				}
				row = append(row, v)
				delete(pending, [2]int{r, col})
				col++
			}
		}
		tr.ChildrenFiltered("td, th").Each(func(_ int, c *goquery.Selection) {
			fill()
			v := cleanSpace(strings.ReplaceAll(blockText(c), "\n", " "))
			v = strings.ReplaceAll(v, "\t", " ")
			cs, rs := span(c, "colspan"), span(c, "rowspan")
			for i := 0; i < cs; i++ {
				row = append(row, v)
				for k := 1; k < rs; k++ {
					pending[[2]int{r + k, col}] = v
				}
				col++
			}
		})
		fill()
		nonEmpty := false
		for _, c := range row {
			if c != "" {
				nonEmpty = true
			}
		}
		if nonEmpty {
			rows = append(rows, row)
		}
	})
	return rows
}

func span(c *goquery.Selection, attr string) int {
	v, ok := c.Attr(attr)
	if !ok {
		return 1 // nearly every cell
	}
	var n int
	if _, err := fmt.Sscan(v, &n); err != nil || n < 1 || n > 50 {
		return 1
	}
	return n
}
