package credit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"gongkai/calendar"
	"gongkai/ident"
)

// SearchResult is one enterprise in the search result list.
type SearchResult struct {
	Name  string // without the <font> highlights
	USCC  string // 统一社会信用代码 (or 注册号 for old registrations)
	Legal string // 法定代表人
	Href  string // the opaque company page, resolved against the page URL
}

// SearchPage is what a search answer showed.
type SearchPage struct {
	Results []SearchResult
	// Recognised: the page is a result page (with or without results).
	// Anything else — a captcha, a login wall, an error page — observed
	// nothing about the enterprise.
	Recognised bool
	Reason     string // why the page was not recognised
}

// ParseSearch reads a search answer.
func ParseSearch(page, body string) SearchPage {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return SearchPage{Reason: "无法解析搜索结果页面"}
	}
	if r := wallReason(doc, body); r != "" {
		return SearchPage{Reason: r}
	}
	var out SearchPage
	doc.Find("a.search_list_item").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		res := SearchResult{
			Name:  cleanText(a.Find("h1").First().Text()),
			USCC:  strings.ToUpper(cleanText(a.Find(".div-map2 span.g3").First().Text())),
			Legal: cleanText(a.Find(".div-user2 span.g3").First().Text()),
			Href:  resolve(page, href),
		}
		if res.Name == "" {
			res.Name = cleanText(a.Find(".f20").First().Text())
		}
		out.Results = append(out.Results, res)
	})
	switch {
	case len(out.Results) > 0:
		out.Recognised = true
	case doc.Find(".search_result, .search_result_span1, #advs, .main-layout").Length() > 0 && noResultText(doc):
		out.Recognised = true
	case noResultText(doc) && doc.Find("form").Length() == 0:
		out.Recognised = true
	default:
		out.Reason = "无法识别的搜索结果页面（可能是验证码或登录页）"
	}
	return out
}

// noResultText reports the markers the result page shows when nothing
// matched. It reads the page's visible text with all spacing removed, since
// the count often sits in its own element ("找到 <span>0</span> 条结果").
func noResultText(doc *goquery.Document) bool {
	if strings.TrimSpace(doc.Find(".search_result_num").First().Text()) == "0" {
		return true
	}
	text := strings.Join(strings.Fields(doc.Text()), "")
	for _, m := range []string{"查询到0条", "找到0条", "共0条", "没有找到", "未查询到", "无相关", "搜索结果为空", "无查询结果"} {
		if strings.Contains(text, m) {
			return true
		}
	}
	return false
}

// wallReason recognises pages that stand between the program and the data:
// the 加速乐 challenge, a geetest captcha, a login wall.
func wallReason(doc *goquery.Document, body string) string {
	switch {
	case strings.Contains(body, "__jsl_clearance") || strings.Contains(body, "__jsluid"):
		return "加速乐验证页面"
	case doc.Find(".geetest_holder, .geetest_panel, #captcha, .gt_holder").Length() > 0 ||
		(strings.Contains(body, "geetest") && doc.Find("a.search_list_item").Length() == 0 && !noResultText(doc)):
		return "需要验证码"
	case doc.Find("input[type=password]").Length() > 0 || strings.Contains(body, "请登录") || strings.Contains(body, "实名登录"):
		return "需要登录"
	}
	return ""
}

// dataURLVar matches `var punishmentDetailInfoUrl = "/%7B…%7D";`.
var dataURLVar = regexp.MustCompile(`var\s+([A-Za-z_]\w*Url)\s*=\s*["']([^"']*)["']`)

// CompanyPage is what the company page gave: its name, code and data URLs.
type CompanyPage struct {
	Name     string
	USCC     string
	DataURLs map[string]string // JS variable name → absolute URL
	Reason   string            // set when the page is not a company page
}

// ParseCompany reads the company page's data URLs from `div#url script`.
func ParseCompany(page, body string) CompanyPage {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return CompanyPage{Reason: "无法解析企业页面"}
	}
	if r := wallReason(doc, body); r != "" {
		return CompanyPage{Reason: r}
	}
	out := CompanyPage{DataURLs: map[string]string{}}
	scripts := doc.Find("div#url script")
	if scripts.Length() == 0 {
		scripts = doc.Find("#url")
	}
	scripts.Each(func(_ int, s *goquery.Selection) {
		for _, m := range dataURLVar.FindAllStringSubmatch(s.Text(), -1) {
			if m[2] != "" {
				out.DataURLs[m[1]] = resolve(page, m[2])
			}
		}
	})
	if len(out.DataURLs) == 0 {
		out.Reason = "企业页面中没有数据地址（div#url）"
	}
	out.Name = cleanText(doc.Find("h1.fullName, .company-name, h1").First().Text())
	out.USCC = firstUSCC(doc.Text())
	return out
}

func firstUSCC(text string) string {
	if codes := ident.FindUSCCs(text); len(codes) > 0 {
		return codes[0]
	}
	return ""
}

// Table is one DataTables answer.
type Table struct {
	Draw            int              `json:"draw"`
	RecordsTotal    int              `json:"recordsTotal"`
	RecordsFiltered int              `json:"recordsFiltered"`
	TotalPage       int              `json:"totalPage"`
	PerPage         int              `json:"perPage"`
	Start           int              `json:"start"`
	Data            []map[string]any `json:"data"`
}

// ParseTable reads a DataTables JSON answer. A non-JSON body (a challenge
// or login page served with 200) is an error: it observed nothing.
func ParseTable(body []byte) (Table, error) {
	var t Table
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || (trimmed[0] != '{') {
		return t, fmt.Errorf("数据接口没有返回 JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&t); err != nil {
		return t, fmt.Errorf("数据接口返回的 JSON 无效: %v", err)
	}
	return t, nil
}

// Row is one data row with its values cleaned.
type Row map[string]any

// Text returns a field as clean text: HTML tags and entities removed, white
// space collapsed, epoch-millisecond dates written YYYY-MM-DD.
func (r Row) Text(key string) string {
	v, ok := r[key]
	if !ok || v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return cleanText(x)
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return cleanText(string(b))
	}
}

// Date reads a date field: epoch milliseconds (number or string) or any
// written form.
func (r Row) Date(key string) calendar.Date {
	s := r.Text(key)
	if s == "" {
		return 0
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && len(s) >= 11 {
		return calendar.FromTime(time.UnixMilli(ms).In(calendar.China))
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		return 0
	}
	return d
}

// breakTags are tags that separate words when rendered.
var breakTags = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li|/td|/tr)\b[^>]*>`)

// cleanText strips HTML noise: tags, entities, non-breaking and full-width
// spaces, runs of white space.
func cleanText(s string) string {
	if strings.ContainsAny(s, "<&") {
		if strings.Contains(s, "<") {
			s = breakTags.ReplaceAllString(s, " ")
			if doc, err := goquery.NewDocumentFromReader(strings.NewReader("<div>" + s + "</div>")); err == nil {
				s = doc.Text()
			}
		}
		s = html.UnescapeString(s)
	}
	s = strings.NewReplacer("\u00a0", " ", "\u3000", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func resolve(base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
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

// sortedKeys returns a map's keys in order (stable hashes and output).
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// formToken reads the search form's hidden token from the home page.
func formToken(body string) string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return ""
	}
	v, _ := doc.Find(`input[name="token"]`).First().Attr("value")
	return strings.TrimSpace(v)
}
