package sim

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/ledongthuc/pdf"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The helpers below are a deliberately small crawler: they read the world
// only through HTTP and the documented markup, as the harvester must.

type fetcher struct {
	t testing.TB
	c *http.Client
}

func newFetcher(t testing.TB) *fetcher {
	return &fetcher{t: t, c: &http.Client{Timeout: 20 * time.Second}}
}

func (f *fetcher) do(req *http.Request) (*http.Response, []byte) {
	f.t.Helper()
	resp, err := f.c.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return resp, b
}

func (f *fetcher) get(u string) (*http.Response, []byte) {
	f.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.do(req)
}

func (f *fetcher) mustGet(u string) []byte {
	f.t.Helper()
	resp, b := f.get(u)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return b
}

func (f *fetcher) postForm(u string, form url.Values) (*http.Response, []byte) {
	f.t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return f.do(req)
}

// text decodes a page the way the harvester must: keep valid UTF-8, else
// the <meta> charset, decoding gb2312/gbk as GB18030.
func text(b []byte) string {
	if isUTF8(b) {
		return string(b)
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return string(b)
	}
	return string(out)
}

func isUTF8(b []byte) bool { return utf8.Valid(b) }

func doc(t testing.TB, s string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func pdfText(t testing.TB, b []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("pdf: %v", err)
	}
	tr, err := r.GetPlainText()
	if err != nil {
		t.Fatalf("pdf text: %v", err)
	}
	out, _ := io.ReadAll(tr)
	return string(out)
}

// xlsxCells returns every sheet's rows.
func xlsxCells(t testing.TB, b []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("xlsx: %v", err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		out[sh] = rows
	}
	return out
}

// listEntry is one entry as a list page shows it.
type listEntry struct {
	href, title, date, docno string
}

var (
	reCreatePage = regexp.MustCompile(`createPageHTML\((\d+),\s*(\d+),\s*"index",\s*"shtml"\)`)
	reCountPage  = regexp.MustCompile(`var countPage = (\d+)`)
	// rePageCountVar is the unfamiliar intertid site's only page count.
	rePageCountVar = regexp.MustCompile(`var _pageCount = (\d+);`)
	reRecord       = regexp.MustCompile(`(?s)<record><!\[CDATA\[(.*?)\]\]></record>`)
	reTotal        = regexp.MustCompile(`totalRecord:\s*(\d+)`)
	reTotalXML     = regexp.MustCompile(`<totalrecord>(\d+)</totalrecord>`)
)

func resolve(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// readList extracts entries with the selectors the generated sites.yaml
// gives for the site.
func readList(t testing.TB, s *Site, pageURL, body string) []listEntry {
	t.Helper()
	sc := s.sourceConfig()
	sel := map[string]string{}
	for _, kv := range sc.list {
		sel[kv[0]] = kv[1]
	}
	d := doc(t, body)
	pickText := func(item *goquery.Selection, spec string) string {
		css, attr, _ := strings.Cut(spec, "@")
		node := item.Find(css).First()
		if attr != "" {
			v, _ := node.Attr(attr)
			return strings.TrimSpace(v)
		}
		return strings.TrimSpace(node.Text())
	}
	var out []listEntry
	d.Find(sel["item"]).Each(func(_ int, item *goquery.Selection) {
		href, _ := item.Find(sel["link"]).First().Attr("href")
		out = append(out, listEntry{href: resolve(pageURL, href), title: pickText(item, sel["title"]),
			date: pickText(item, sel["date"]), docno: pickText(item, sel["docno"])})
	})
	return out
}

// crawlColumn walks a column's list pages the way its family pages, and
// checks what lies past the last page.
func crawlColumn(t testing.TB, f *fetcher, srv *Server, s *Site, c *Column) (entries []listEntry, listPages int) {
	t.Helper()
	base := srv.SiteURL(s.County.Name)
	first := base + s.configURL(c)
	switch s.Family {
	case FamHanweb:
		body := string(f.mustGet(first))
		for _, m := range reRecord.FindAllStringSubmatch(body, -1) {
			entries = append(entries, readHanwebRecord(t, first, m[1]))
		}
		total, _ := strconv.Atoi(reTotal.FindStringSubmatch(body)[1])
		listPages = 1
		proxy := base + "/module/web/jpage/dataproxy.jsp"
		form := url.Values{"col": {"1"}, "appid": {"1"}, "webid": {strconv.Itoa(s.hanwebWebID())}, "path": {"/"}, "columnid": {strconv.Itoa(c.HanwebID)},
			"unitid": {strconv.Itoa(c.UnitID)}, "webname": {s.SiteName}, "permissiontype": {"0"}}
		for from := len(entries) + 1; from <= total; from += 3 * c.PerPage {
			u := proxy + "?startrecord=" + strconv.Itoa(from) + "&endrecord=" + strconv.Itoa(from+3*c.PerPage-1) + "&perpage=" + strconv.Itoa(c.PerPage)
			resp, b := f.postForm(u, form)
			if resp.StatusCode != 200 {
				t.Fatalf("POST %s: %d %s", u, resp.StatusCode, b)
			}
			if got := reTotalXML.FindStringSubmatch(string(b)); got == nil || got[1] != strconv.Itoa(total) {
				t.Fatalf("dataproxy totalrecord %v, column page says %d", got, total)
			}
			for _, m := range reRecord.FindAllStringSubmatch(string(b), -1) {
				entries = append(entries, readHanwebRecord(t, first, m[1]))
			}
			listPages++
		}
		if len(entries) != total {
			t.Fatalf("%s: %d records read, totalRecord %d", c.Name, len(entries), total)
		}
		return entries, listPages
	case FamGeneric:
		u := first
		for u != "" {
			body := string(f.mustGet(u))
			listPages++
			entries = append(entries, readList(t, s, u, body)...)
			next := ""
			doc(t, body).Find("#pages a").Each(func(_ int, a *goquery.Selection) {
				if strings.TrimSpace(a.Text()) == "下一页" {
					href, _ := a.Attr("href")
					next = resolve(u, href)
				}
			})
			u = next
		}
		resp, b := f.get(first + "&page=" + strconv.Itoa(listPages+1))
		if resp.StatusCode != 200 || !strings.Contains(string(b), "页面不存在") {
			t.Errorf("%s: past the last page: %d, want 200 页面不存在", c.Name, resp.StatusCode)
		}
		return entries, listPages
	}
	body := text(f.mustGet(first))
	entries = readList(t, s, first, body)
	n := 1
	dir := base + c.Dir
	var pageURL func(i int) string // 0-based
	switch s.Family {
	case FamTRS:
		m := reCreatePage.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no createPageHTML call", first)
		}
		n, _ = strconv.Atoi(m[1])
		pageURL = func(i int) string { return dir + "index_" + strconv.Itoa(i) + ".shtml" }
	case FamTRSCount:
		m := reCountPage.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no countPage", first)
		}
		n, _ = strconv.Atoi(m[1])
		pageURL = func(i int) string { return dir + "index_" + strconv.Itoa(i) + ".shtml" }
	case FamTRSList:
		doc(t, body).Find("div.fenye a").Each(func(_ int, a *goquery.Selection) {
			if a.Text() == "尾页" {
				href, _ := a.Attr("href")
				n, _ = numberBetween(href, "list_", ".html")
			}
		})
		pageURL = func(i int) string { return dir + "list_" + strconv.Itoa(i+1) + ".html" }
	case FamIntertid:
		doc(t, body).Find("div.pagination a").Each(func(_ int, a *goquery.Selection) {
			if a.Text() == "末页" {
				href, _ := a.Attr("href")
				n, _ = numberBetween(href, "index_", ".shtml")
			}
		})
		if s.uf.countVarOnly {
			m := rePageCountVar.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s: no var _pageCount", first)
			}
			n, _ = strconv.Atoi(m[1])
		}
		pageURL = func(i int) string { return dir + "index_" + strconv.Itoa(i+1) + ".shtml" }
		if resp, _ := f.get(dir + "index_1.shtml"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: index_1.shtml answered %d, want 404", c.Name, resp.StatusCode)
		}
	}
	for i := 1; i < n; i++ {
		u := pageURL(i)
		entries = append(entries, readList(t, s, u, text(f.mustGet(u)))...)
	}
	if resp, _ := f.get(pageURL(n)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("%s: past the last page %s answered %d, want 404", c.Name, pageURL(n), resp.StatusCode)
	}
	return entries, n
}

func readHanwebRecord(t testing.TB, base, li string) listEntry {
	d := doc(t, li)
	a := d.Find("a").First()
	href, _ := a.Attr("href")
	title, _ := a.Attr("title")
	return listEntry{href: resolve(base, href), title: title, date: strings.TrimSpace(d.Find("span").First().Text())}
}
