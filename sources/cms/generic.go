package cms

import (
	"net/url"
	"strconv"

	"github.com/PuerkitoBio/goquery"

	"gongkai/sources/config"
)

// The generic family: any site without a known CMS. Pages are followed by
// their 下一页 link; entries, dates and bodies are found by the heuristics,
// overridden with selectors where needed. It also brings the paging kinds
// that belong to no one CMS: ?page=N, list_N.html and a single page.
func init() {
	family(config.Preset{Name: "generic", Paging: config.PagingRule{Kind: config.PagingNextLink}},
		map[string]paging{
			config.PagingNextLink: {ownCount: true},
			config.PagingQuery: {ownCount: true, guess: queryPage,
				count: func(pc *pageContext) int { return lastPageFromLinks(pc.col, pc.p) }},
			config.PagingListN: {}, // named list_N.html; the count is the one the page declares
			config.PagingNone:  {single: true},
		})
}

// queryPage is the URL of page i (0-based) of a ?page=N column.
func queryPage(col config.Column, i int) string {
	u, err := url.Parse(col.URL)
	if err != nil {
		return ""
	}
	param := orDefault(col.Paging.Param, "page")
	start := col.Paging.Start
	if start == 0 {
		start = 1
	} else if start < 0 {
		start = 0
	}
	q := u.Query()
	if i == 0 && !q.Has(param) {
		return u.String()
	}
	q.Set(param, strconv.Itoa(start+i))
	u.RawQuery = q.Encode()
	return u.String()
}

// lastPageFromLinks reads the page number of the 尾页/末页 link of a
// ?page=N column.
func lastPageFromLinks(col config.Column, p *page) int {
	param := orDefault(col.Paging.Param, "page")
	start := col.Paging.Start
	if start == 0 {
		start = 1
	} else if start < 0 {
		start = 0
	}
	n := 0
	p.doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		t := noSpace(a.Text())
		if t != "尾页" && t != "末页" && t != "最后一页" {
			return
		}
		u := resolve(p.base, a.AttrOr("href", ""))
		if u == "" {
			return
		}
		pu, _ := url.Parse(u)
		if v, err := strconv.Atoi(pu.Query().Get(param)); err == nil && v-start+1 > n {
			n = v - start + 1
		}
	})
	return n
}
