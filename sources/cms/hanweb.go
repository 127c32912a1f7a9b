package cms

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"gongkai/calendar"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// Hanweb jcms columns carry their first records in a datastore inside a
// <script type="text/xml">, and the jpage call says how many there are and
// where the rest come from (dataproxy.jsp, records by range).

var (
	recordRe     = regexp.MustCompile(`(?s)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>`)
	totalRecRe   = regexp.MustCompile(`totalRecord\s*:\s*['"]?(\d+)`)
	perPageRe    = regexp.MustCompile(`perPage\s*:\s*['"]?(\d+)`)
	groupSizeRe  = regexp.MustCompile(`groupSize\s*:\s*['"]?(\d+)`)
	proxyURLRe   = regexp.MustCompile(`proxyUrl\s*:\s*['"]([^'"]+)['"]`)
	ajaxParamRe  = regexp.MustCompile(`(?s)ajaxParam\s*:\s*\{(.*?)\}`)
	paramPairRe  = regexp.MustCompile(`(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,\s}]+))`)
	colIDRe      = regexp.MustCompile(`/col/col(\d+)/`)
	hanwebFields = []string{"col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype"}
)

func parseHanwebList(col config.Column, resp *fetch.Response, idx int, ref calendar.Date) (ListResult, error) {
	var lr ListResult
	text := resp.HTML
	base, err := url.Parse(orDefault(resp.FinalURL, resp.URL))
	if err != nil {
		return lr, err
	}
	isColumnPage := strings.Contains(text, "jpage(") || strings.Contains(strings.ToLower(text), "<html")
	if isColumnPage {
		p, err := parsePage(resp)
		if err != nil {
			return lr, err
		}
		if softNotFound(p) {
			lr.End = true
			return lr, nil
		}
		base = p.base
	}
	records := recordRe.FindAllStringSubmatch(text, -1)
	for _, rec := range records {
		frag, err := goquery.NewDocumentFromReader(strings.NewReader("<html><body>" + rec[1] + "</body></html>"))
		if err != nil {
			continue
		}
		items := frag.Find("body")
		explicit := false
		if col.List.Item != "" {
			items, explicit = find(frag.Selection, col.List.Item), true
		}
		es, rej := entriesFrom(col, base, items, explicit, ref)
		if len(es) == 0 && len(rej) == 0 && !explicit {
			// A record without a date is still an entry: the record is the item.
			es, rej = entriesFrom(col, base, items, true, ref)
		}
		lr.Entries = append(lr.Entries, es...)
		lr.Rejected = append(lr.Rejected, rej...)
	}
	if !isColumnPage {
		if len(records) == 0 {
			lr.End = true
		}
		return lr, nil
	}
	if idx > 0 {
		return lr, nil
	}
	total := atoiMatch(totalRecRe, text)
	perPage := atoiMatch(perPageRe, text)
	group := atoiMatch(groupSizeRe, text)
	if perPage <= 0 {
		perPage = 15
	}
	if group <= 0 {
		group = 3
	}
	chunk := col.Paging.PerPage
	if chunk <= 0 {
		chunk = perPage * group
	}
	proxy := "/module/web/jpage/dataproxy.jsp"
	if m := proxyURLRe.FindStringSubmatch(text); m != nil {
		proxy = m[1]
	}
	proxyURL := resolve(base, proxy)
	form := url.Values{}
	if m := ajaxParamRe.FindStringSubmatch(text); m != nil {
		for _, kv := range paramPairRe.FindAllStringSubmatch(m[1], -1) {
			form.Set(kv[1], kv[2]+kv[3]+kv[4])
		}
	}
	if form.Get("columnid") == "" {
		if m := colIDRe.FindStringSubmatch(col.URL); m != nil {
			form.Set("columnid", m[1])
		}
	}
	for k, def := range map[string]string{"col": "1", "appid": "1", "path": "/", "permissiontype": "0"} {
		if form.Get(k) == "" {
			form.Set(k, def)
		}
	}
	lr.PageCount = 1
	if total <= len(records) || proxyURL == "" {
		return lr, nil
	}
	for start := len(records) + 1; start <= total; start += chunk {
		if lr.PageCount >= maxPages(col) {
			lr.Capped = true
			break
		}
		end := min(start+chunk-1, total)
		u, _ := url.Parse(proxyURL)
		q := u.Query()
		q.Set("startrecord", strconv.Itoa(start))
		q.Set("endrecord", strconv.Itoa(end))
		q.Set("perpage", strconv.Itoa(perPage))
		u.RawQuery = q.Encode()
		if !config.InScope(col.Hosts, u.String()) {
			lr.Rejected = append(lr.Rejected, u.String())
			break
		}
		f := url.Values{}
		for _, k := range hanwebFields {
			if v := form.Get(k); v != "" {
				f.Set(k, v)
			}
		}
		lr.Next = append(lr.Next, fetch.Request{Method: "POST", URL: u.String(), Form: f, Kind: fetch.KindList, Charset: col.Charset})
		lr.PageCount++
	}
	return lr, nil
}

func atoiMatch(re *regexp.Regexp, text string) int {
	if m := re.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}
