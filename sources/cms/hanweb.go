package cms

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"gongkai/calendar"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// The Hanweb jcms family (大汉): a column is /col/colID/index.html, its
// first records sit in a datastore inside a <script type="text/xml">, and
// the jpage call says how many there are and where the rest come from
// (dataproxy.jsp, records by range). The call's options may be written
// inline or name variables defined anywhere on the page (ajaxParam:
// param_4872311 with var param_4872311 = {…}). Articles are
// /art/Y/M/D/art_column_number.html.
func init() {
	family(config.Preset{
		Name:   "hanweb",
		List:   config.ListRule{LinkPattern: hanwebDetail},
		Paging: config.PagingRule{Kind: config.PagingHanweb},
	}, map[string]paging{
		config.PagingHanweb: {parse: parseHanwebList},
	})
}

// Hanweb jcms articles: /art/2025/12/15/art_33718_11693505.html.
var hanwebDetail = regexp.MustCompile(`/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$`)

var (
	recordRe      = regexp.MustCompile(`(?s)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>`)
	totalRecRe    = regexp.MustCompile(`totalRecord\s*:\s*['"]?(\d+)`)
	perPageRe     = regexp.MustCompile(`perPage\s*:\s*['"]?(\d+)`)
	groupSizeRe   = regexp.MustCompile(`groupSize\s*:\s*['"]?(\d+)`)
	proxyURLRe    = regexp.MustCompile(`proxyUrl\s*:\s*['"]([^'"]+)['"]`)
	ajaxParamRe   = regexp.MustCompile(`(?s)ajaxParam\s*:\s*\{(.*?)\}`)
	paramPairRe   = regexp.MustCompile(`(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,\s}]+))`)
	colIDRe       = regexp.MustCompile(`/col/col(\d+)/`)
	jpageCallRe   = regexp.MustCompile(`jpage\s*\(\s*\{`)
	nextGroupRe   = regexp.MustCompile(`(?s)<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>`)
	hrefRe        = regexp.MustCompile(`href\s*=\s*['"]([^'"]+)['"]`)
	totalRecTagRe = regexp.MustCompile(`(?i)<totalrecord>\s*(\d+)\s*</totalrecord>`)
	identRe       = regexp.MustCompile(`^[A-Za-z_$][\w$]*$`)
	// hanwebFields are the form fields a datastore's nextgroup link may
	// carry that dataproxy.jsp reads.
	hanwebFields = []string{"col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype"}
)

// HanwebFormError: the column declares more records than it embeds, and
// the dataproxy.jsp form the rest are asked with lacks fields the site
// needs (the page names none and the config gives none). Asking without
// them makes the site answer 0 records, which would look like the end.
type HanwebFormError struct {
	Declared, Embedded int
	Missing            []string // form fields not found: webid, unitid
}

func (e *HanwebFormError) Error() string {
	return fmt.Sprintf("栏目页声明 %d 条、内嵌 %d 条，其余须经数据接口 dataproxy.jsp 取得，但页面没有给出表单参数 %s：请在 paging.form 中写明（如 form: {webid: \"35\", unitid: \"4872311\"}）",
		e.Declared, e.Embedded, strings.Join(e.Missing, "、"))
}

// TotalMismatchError: a dataproxy.jsp answer declares fewer records than
// the column page did (the request asked from record AtLeast on, a range
// the column page declared), or returns none of the range. Typically the
// form lacked a field and the site answered 0. The harvester knows the
// column page's DeclaredTotal and may say it instead of AtLeast.
type TotalMismatchError struct {
	URL      string
	Answered int // the interface's <totalrecord>; -1 when it gave none
	AtLeast  int // the column page declared at least this many records
}

func (e *TotalMismatchError) Error() string {
	if e.Answered >= e.AtLeast {
		return fmt.Sprintf("数据接口声明 %d 条，却没有返回第 %d 条起的记录", e.Answered, e.AtLeast)
	}
	answered := "没有声明总数、也没有返回记录"
	if e.Answered >= 0 {
		answered = fmt.Sprintf("声明 %d 条", e.Answered)
	}
	return fmt.Sprintf("数据接口%s，栏目页声明至少 %d 条：表单参数可能不全（可在 paging.form 中写明 webid、unitid、columnid）", answered, e.AtLeast)
}

func parseHanwebList(col config.Column, resp *fetch.Response, idx int, ref calendar.Date) (ListResult, error) {
	var lr ListResult
	text := resp.HTML
	base, err := url.Parse(orDefault(resp.FinalURL, resp.URL))
	if err != nil {
		return lr, err
	}
	isColumnPage := strings.Contains(text, "jpage(") || strings.Contains(strings.ToLower(text), "<html")
	var p *page
	if isColumnPage {
		if p, err = parsePage(resp); err != nil {
			return lr, err
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
		es, rej, rep := entriesFrom(col, base, items, explicit, ref)
		if len(es) == 0 && len(rej) == 0 && !explicit {
			// A record without a date is still an entry: the record is the item.
			es, rej, rep = entriesFrom(col, base, items, true, ref)
		}
		lr.Entries = append(lr.Entries, es...)
		lr.Rejected = append(lr.Rejected, rej...)
		lr.Repeats += rep
	}
	if !isColumnPage {
		return hanwebProxyAnswer(resp, text, records, lr)
	}
	if len(records) == 0 && softNotFound(p) {
		lr.Entries, lr.Rejected = nil, nil
		lr.End = true
		return lr, nil
	}
	opts := jpageOptions(text)
	total, totalKnown := hanwebInt(text, opts, "totalRecord", totalRecRe)
	if raw, named := opts["totalRecord"]; named && !totalKnown {
		// Walking only the embedded records would look like the whole column.
		return lr, fmt.Errorf("栏目页的 jpage 把 totalRecord 写成 %q，读不出记录总数", raw)
	}
	if totalKnown {
		lr.DeclaredTotal = total
	}
	if len(records) == 0 && len(lr.Entries) == 0 {
		// The CMS's own statement that the column is empty (totalRecord 0
		// with an empty datastore), or the site's 暂无信息.
		lr.EmptyMarker = (totalKnown && total == 0 && strings.Contains(text, "<datastore")) || (!totalKnown && showsEmptyMarker(p))
	}
	if idx > 0 {
		return lr, nil
	}
	perPage, _ := hanwebInt(text, opts, "perPage", perPageRe)
	group, _ := hanwebInt(text, opts, "groupSize", groupSizeRe)
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
	if v := jsString(text, opts["proxyUrl"], 0); v != "" {
		proxy = v
	} else if m := proxyURLRe.FindStringSubmatch(text); m != nil {
		proxy = m[1]
	}
	proxyURL := resolve(base, proxy)
	form := hanwebForm(col, text, opts)
	lr.PageCount = 1
	if total <= len(records) || proxyURL == "" {
		return lr, nil
	}
	var missing []string
	for _, k := range []string{"webid", "unitid"} {
		if form.Get(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return lr, &HanwebFormError{Declared: total, Embedded: len(records), Missing: missing}
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
		for k, v := range form {
			f[k] = append([]string(nil), v...)
		}
		lr.Next = append(lr.Next, fetch.Request{Method: "POST", URL: u.String(), Form: f, Kind: fetch.KindList, Charset: col.Charset})
		lr.PageCount++
	}
	return lr, nil
}

// hanwebProxyAnswer finishes a dataproxy.jsp answer: its declared total,
// and whether it owes records the column page declared.
func hanwebProxyAnswer(resp *fetch.Response, text string, records [][]string, lr ListResult) (ListResult, error) {
	answered := -1
	if m := totalRecTagRe.FindStringSubmatch(text); m != nil {
		answered, _ = strconv.Atoi(m[1])
		lr.DeclaredTotal = answered
	}
	start := 0
	if u, err := url.Parse(resp.URL); err == nil {
		start, _ = strconv.Atoi(u.Query().Get("startrecord"))
	}
	if start <= 0 {
		// Not a range this package asked for: an empty answer ends the list.
		lr.End = len(records) == 0
		return lr, nil
	}
	// The range was planned from the column page's total, so it declared
	// at least start records; an answer denying them is a disagreement,
	// never the end of the list.
	if (answered >= 0 && answered < start) || len(records) == 0 {
		return lr, &TotalMismatchError{URL: resp.URL, Answered: answered, AtLeast: start}
	}
	return lr, nil
}

// hanwebForm is the dataproxy.jsp form: the jpage ajaxParam (inline or a
// variable), else an inline ajaxParam anywhere, completed from the
// datastore's nextgroup link and the column URL, overridden by the config.
func hanwebForm(col config.Column, text string, opts map[string]string) url.Values {
	form := url.Values{}
	if raw := jsResolve(text, opts["ajaxParam"], 0); strings.HasPrefix(raw, "{") {
		for k, v := range jsObject(strings.TrimSuffix(strings.TrimPrefix(raw, "{"), "}")) {
			if s := jsString(text, v, 0); s != "" {
				form.Set(k, s)
			}
		}
	} else if m := ajaxParamRe.FindStringSubmatch(text); m != nil {
		for _, kv := range paramPairRe.FindAllStringSubmatch(m[1], -1) {
			form.Set(kv[1], kv[2]+kv[3]+kv[4])
		}
	}
	// The datastore's nextgroup link is the site's own request for more.
	if m := nextGroupRe.FindStringSubmatch(text); m != nil {
		if h := hrefRe.FindStringSubmatch(m[1]); h != nil {
			if u, err := url.Parse(strings.ReplaceAll(h[1], "&amp;", "&")); err == nil {
				q := u.Query()
				for _, k := range hanwebFields {
					if form.Get(k) == "" && q.Get(k) != "" {
						form.Set(k, q.Get(k))
					}
				}
			}
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
	for k, v := range col.Paging.Form {
		form.Set(k, v) // explicit values win
	}
	return form
}

// hanwebInt reads a numeric jpage option (inline or a variable), else the
// first "key: N" on the page. known: the page states it.
func hanwebInt(text string, opts map[string]string, key string, fallback *regexp.Regexp) (int, bool) {
	if raw, ok := opts[key]; ok {
		if n, err := strconv.Atoi(jsString(text, raw, 0)); err == nil && n >= 0 {
			return n, true
		}
	}
	if m := fallback.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, true
	}
	return 0, false
}

// jpageOptions are the top-level options of the page's first jpage({…})
// call, as raw JavaScript; nil without one.
func jpageOptions(text string) map[string]string {
	loc := jpageCallRe.FindStringIndex(text)
	if loc == nil {
		return nil
	}
	open := loc[1] - 1
	end := jsBalanced(text, open)
	if end < 0 {
		return nil
	}
	return jsObject(text[open+1 : end-1])
}

// jsResolve follows a value that names a variable to the variable's
// value (raw JavaScript), a few steps deep.
func jsResolve(text, raw string, depth int) string {
	raw = strings.TrimSpace(raw)
	if depth < 4 && identRe.MatchString(raw) && raw != "true" && raw != "false" && raw != "null" && raw != "undefined" {
		if v, ok := jsVar(text, raw); ok {
			return jsResolve(text, v, depth+1)
		}
		return ""
	}
	return raw
}

// jsString is a scalar value (resolved, unquoted).
func jsString(text, raw string, depth int) string {
	v := jsResolve(text, raw, depth)
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"' || v[0] == '`') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	if strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") || strings.HasPrefix(v, "function") {
		return ""
	}
	return v
}

// jsVar finds the value a variable is given anywhere on the page (before
// or after its use): var/let/const name = value, else name = value.
func jsVar(text, name string) (string, bool) {
	q := regexp.QuoteMeta(name)
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`\b(?:var|let|const)\s+` + q + `\s*=`),
		regexp.MustCompile(`(?:^|[^\w$.'"])` + q + `\s*=`),
	} {
		for _, loc := range re.FindAllStringIndex(text, -1) {
			i := loc[1]
			if i < len(text) && (text[i] == '=' || text[i] == '>') {
				continue // == or =>: not an assignment
			}
			for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n') {
				i++
			}
			if i >= len(text) {
				continue
			}
			if text[i] == '{' {
				if end := jsBalanced(text, i); end > 0 {
					return text[i:end], true
				}
				continue
			}
			end := jsValueEnd(text, i, true)
			if v := strings.TrimSpace(text[i:end]); v != "" {
				return v, true
			}
		}
	}
	return "", false
}

// jsBalanced returns the index just past the bracket closing the one at
// open, skipping strings and comments; -1 when it never closes.
func jsBalanced(text string, open int) int {
	depth := 0
	for i := open; i < len(text); i++ {
		switch c := text[i]; c {
		case '\'', '"', '`':
			i = jsStringEnd(text, i) - 1
		case '/':
			if i+1 < len(text) && text[i+1] == '/' {
				if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
					i += j
				} else {
					return -1
				}
			} else if i+1 < len(text) && text[i+1] == '*' {
				if j := strings.Index(text[i+2:], "*/"); j >= 0 {
					i += j + 3
				} else {
					return -1
				}
			}
		case '{', '(', '[':
			depth++
		case '}', ')', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// jsStringEnd returns the index just past the string literal starting at i.
func jsStringEnd(text string, i int) int {
	q := text[i]
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			j++
		case q:
			return j + 1
		case '\n':
			if q != '`' {
				return j // an unterminated string ends with its line
			}
		}
	}
	return len(text)
}

// jsValueEnd returns where the value starting at i ends: at a top-level
// comma, closing bracket, semicolon, or (for statements) line end.
func jsValueEnd(text string, i int, statement bool) int {
	for j := i; j < len(text); j++ {
		switch c := text[j]; c {
		case '\'', '"', '`':
			j = jsStringEnd(text, j) - 1
		case '{', '(', '[':
			if end := jsBalanced(text, j); end > 0 {
				j = end - 1
			} else {
				return len(text)
			}
		case ',', '}', ')', ']', ';':
			return j
		case '\n':
			if statement {
				return j
			}
		case '/':
			if j+1 < len(text) && (text[j+1] == '/' || text[j+1] == '*') {
				return j
			}
		}
	}
	return len(text)
}

// jsObject splits the body of an object literal into its top-level
// key → raw value pairs.
func jsObject(body string) map[string]string {
	out := map[string]string{}
	i := 0
	for i < len(body) {
		// Skip separators and comments.
		c := body[i]
		if c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			i++
			continue
		}
		if c == '/' && i+1 < len(body) && body[i+1] == '/' {
			if j := strings.IndexByte(body[i:], '\n'); j >= 0 {
				i += j
				continue
			}
			break
		}
		if c == '/' && i+1 < len(body) && body[i+1] == '*' {
			if j := strings.Index(body[i+2:], "*/"); j >= 0 {
				i += j + 4
				continue
			}
			break
		}
		var key string
		if c == '\'' || c == '"' {
			end := jsStringEnd(body, i)
			key = strings.Trim(body[i:end], `'"`)
			i = end
		} else {
			j := i
			for j < len(body) && body[j] != ':' && body[j] != ',' && body[j] != ' ' && body[j] != '\n' && body[j] != '\t' {
				j++
			}
			key = body[i:j]
			i = j
		}
		for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\r' || body[i] == '\n') {
			i++
		}
		if i >= len(body) || body[i] != ':' {
			// Not key: value (a shorthand or something unreadable): skip to the next comma.
			i = jsValueEnd(body, i, false) + 1
			continue
		}
		i++
		end := jsValueEnd(body, i, false)
		if key != "" {
			out[key] = strings.TrimSpace(body[i:end])
		}
		i = end + 1
	}
	return out
}
