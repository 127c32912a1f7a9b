package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/calendar"
	"gongkai/catalogue"
)

func TestGBKSiteDecodesOnlyAsGB18030(t *testing.T) {
	w, srv := serveSmall(t, 1)
	f := newFetcher(t)
	s := w.site("沁水县")
	rare := 0
	checked := 0
	for _, p := range w.Truth().Pages {
		if p.County != "沁水县" || p.Channel != catalogue.Website || p.Withdrawn != 0 {
			continue
		}
		resp, raw := f.get(srv.URL(p.County, p.URL))
		ct := resp.Header.Get("Content-Type")
		col := s.columnByName(p.Column)
		if col.HeaderCharset == "" && ct != "text/html" {
			t.Fatalf("%s: Content-Type %q, want no charset", p.URL, ct)
		}
		if col.HeaderCharset != "" && !strings.Contains(ct, "charset=UTF-8") {
			t.Fatalf("%s: Content-Type %q, want a contradicting UTF-8", p.URL, ct)
		}
		if utf8.Valid(raw) {
			t.Fatalf("%s: a GBK page is valid UTF-8", p.URL)
		}
		if !bytes.Contains(raw, []byte(`charset=gb2312`)) {
			t.Fatalf("%s: no gb2312 <meta>", p.URL)
		}
		page, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(page), p.Title) {
			t.Errorf("%s: title %q not in the GB18030-decoded page", p.URL, p.Title)
		}
		checked++
		if strings.ContainsRune(string(page), '㛃') {
			rare++
			// 㛃 lies outside GBK: its bytes are GB18030's four-byte form,
			// which a GBK decoder turns into U+FFFD.
			gbk, _ := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
			if strings.ContainsRune(string(gbk), '㛃') || !strings.ContainsRune(string(gbk), utf8.RuneError) {
				t.Errorf("%s: GBK decoding kept 㛃; the page does not need GB18030", p.URL)
			}
		}
	}
	if checked == 0 || rare == 0 {
		t.Errorf("checked %d pages, %d with 㛃", checked, rare)
	}
	// 阳城: the header names GBK, the body is UTF-8 with a UTF-8 <meta>.
	for _, p := range w.Truth().Pages {
		if p.County != "阳城县" || p.Channel != catalogue.Website || p.Withdrawn != 0 {
			continue
		}
		resp, raw := f.get(srv.URL(p.County, p.URL))
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=GBK" || !utf8.Valid(raw) || !bytes.Contains(raw, []byte(`<meta charset="utf-8">`)) {
			t.Errorf("%s: Content-Type %q, valid UTF-8 %v", p.URL, ct, utf8.Valid(raw))
		}
		if !strings.Contains(string(raw), p.Title) {
			t.Errorf("%s: title not in the UTF-8 body", p.URL)
		}
		break
	}
}

func TestAttachmentsAreRealFiles(t *testing.T) {
	w, srv := serveSmall(t, 1)
	f := newFetcher(t)
	sawXLSX, sawPDF, sawTwoSheets := false, false, false
	for _, p := range w.Truth().Pages {
		if p.Channel != catalogue.Website || p.Withdrawn != 0 {
			continue
		}
		for _, a := range p.Attachments {
			resp, b := f.get(srv.URL(p.County, a))
			if resp.StatusCode != 200 {
				t.Fatalf("%s %s: %d", p.County, a, resp.StatusCode)
			}
			switch p.Kind {
			case "sampling-notice":
				sawXLSX = true
				sheets := xlsxCells(t, b)
				if len(sheets) == 2 {
					sawTwoSheets = true
				}
				for name, rows := range sheets {
					if name != "合格" && name != "不合格" {
						t.Errorf("%s: sheet %q", a, name)
					}
					if len(rows) < 2 || rows[1][0] != "序号" || rows[1][1] != "抽样编号" {
						t.Errorf("%s/%s: header row %v", a, name, rows[1:2])
					}
					for _, row := range rows[2:] {
						if !strings.Contains(strings.Join(p.RecordNos, " "), row[1]) {
							t.Errorf("%s/%s: sampling number %s not in truth %v", a, name, row[1], p.RecordNos)
						}
					}
				}
			case "penalty-pdf":
				sawPDF = true
				txt := pdfText(t, b)
				if !strings.Contains(txt, "行政处罚决定书") {
					t.Errorf("%s: PDF text %q", a, txt)
				}
			}
		}
	}
	if !sawXLSX || !sawPDF || !sawTwoSheets {
		t.Errorf("xlsx %v (two sheets %v), pdf %v", sawXLSX, sawTwoSheets, sawPDF)
	}
	// Hanweb attachments go through downfile.jsp's redirect.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range w.Truth().Pages {
		if p.County == "陵川县" && len(p.Attachments) > 0 && p.Withdrawn == 0 {
			resp, err := noRedirect.Get(srv.URL(p.County, p.Attachments[0]))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "/attach/0/") {
				t.Errorf("downfile.jsp: %d → %q", resp.StatusCode, loc)
			}
			break
		}
	}
}

func TestHanwebDataproxyGETAndPOSTAgree(t *testing.T) {
	w, srv := serveSmall(t, 1)
	f := newFetcher(t)
	s := w.site("陵川县")
	c := s.Columns[0]
	base := srv.SiteURL("陵川县") + "/module/web/jpage/dataproxy.jsp"
	form := url.Values{"col": {"1"}, "appid": {"1"}, "webid": {"27"}, "path": {"/"}, "columnid": {strconv.Itoa(c.HanwebID)},
		"unitid": {strconv.Itoa(c.UnitID)}, "webname": {s.SiteName}, "permissiontype": {"0"}}
	_, post := f.postForm(base+"?startrecord="+strconv.Itoa(c.PerPage+1)+"&endrecord="+strconv.Itoa(2*c.PerPage)+"&perpage="+strconv.Itoa(c.PerPage), form)
	q := url.Values{"page": {"2"}}
	for k, v := range form {
		q[k] = v
	}
	get := f.mustGet(base + "?" + q.Encode())
	recs := func(b []byte) []string {
		var out []string
		for _, m := range reRecord.FindAllStringSubmatch(string(b), -1) {
			out = append(out, m[1])
		}
		return out
	}
	if a, b := recs(post), recs(get); len(a) != c.PerPage || strings.Join(a, "") != strings.Join(b, "") {
		t.Errorf("POST gave %d records, GET page 2 gave %d; they differ", len(a), len(b))
	}
	if resp, _ := f.postForm(base+"?startrecord=1&endrecord=5&perpage=5", url.Values{}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("dataproxy without columnid answered %d", resp.StatusCode)
	}
}

var reHref = regexp.MustCompile(`href="(/%7B[0-9A-F]+-\d+%7D)"`)
var reVar = regexp.MustCompile(`var (\w+) = "(/%7B[0-9A-F]+%7D)"`)

func TestCreditMock(t *testing.T) {
	w, srv := serveSmall(t, 1)
	sess := w.CreditSession()
	f := newFetcher(t)
	withSession := func(req *http.Request) *http.Request {
		for k, v := range sess.Cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		return req
	}
	// Without the clearance cookie: 521 and a cookie, nothing else.
	resp, body := f.get(srv.CreditURL() + "/")
	if resp.StatusCode != 521 || !strings.Contains(resp.Header.Get("Set-Cookie"), "__jsluid_h=") || !strings.Contains(string(body), "<script>") {
		t.Fatalf("no session: %d %v", resp.StatusCode, resp.Header)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.CreditURL()+"/", nil)
	req.AddCookie(&http.Cookie{Name: "__jsluid_h", Value: sess.Cookies["__jsluid_h"]})
	if resp, _ := f.do(req); resp.StatusCode != 521 {
		t.Errorf("only __jsluid_h: %d, want 521", resp.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.CreditURL()+"/", nil)
	_, home := f.do(withSession(req))
	m := regexp.MustCompile(`name="token" value="(\d+)"`).FindStringSubmatch(string(home))
	if m == nil || m[1] != sess.Token {
		t.Fatalf("home page token %v, want %s", m, sess.Token)
	}
	search := func(word string, captcha bool) string {
		form := url.Values{"province": {"100000"}, "searchword": {word}, "token": {sess.Token}, "tab": {"ent_tab"}}
		if captcha {
			for k, v := range sess.Captcha {
				form.Set(k, v)
			}
		}
		req, _ := http.NewRequest(http.MethodPost, srv.CreditURL()+"/corp-query-search-1.html", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, b := f.do(withSession(req))
		if resp.StatusCode != 200 {
			t.Fatalf("search %s: %d", word, resp.StatusCode)
		}
		return string(b)
	}
	getJSON := func(path string, start, length int) dataTablesJSON {
		req, _ := http.NewRequest(http.MethodGet, srv.CreditURL()+path+"?draw=3&start="+strconv.Itoa(start)+"&length="+strconv.Itoa(length), nil)
		resp, b := f.do(withSession(req))
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		var out dataTablesJSON
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	tr := w.Truth()
	checked := 0
	for _, r := range tr.Records {
		if r.Channel != catalogue.Credit || r.Form != "credit-punishment" || r.County == ChallengedCounty {
			continue
		}
		var uscc string
		for _, rec := range w.recs {
			if rec.rec.County == r.County && rec.rec.RecordNo == r.RecordNo {
				uscc = rec.rec.USCC
			}
		}
		if page := search(uscc, false); !strings.Contains(page, "geetest") {
			t.Fatalf("search without captcha answered results")
		}
		page := search(uscc, true)
		if !strings.Contains(page, `class="search_list_item db"`) || !strings.Contains(page, `<span class="g3">`+uscc+`</span>`) {
			t.Fatalf("search %s: no result item:\n%s", uscc, page)
		}
		href := reHref.FindStringSubmatch(page)
		if href == nil || href[1] != r.URL {
			t.Fatalf("search result link %v, truth %s", href, r.URL)
		}
		req, _ := http.NewRequest(http.MethodGet, srv.CreditURL()+href[1], nil)
		_, company := f.do(withSession(req))
		vars := map[string]string{}
		for _, m := range reVar.FindAllStringSubmatch(string(company), -1) {
			vars[m[1]] = m[2]
		}
		path := vars["punishmentDetailInfoUrl"]
		if path == "" || vars["spotCheckInfoUrl"] == "" || vars["getDrRaninsResUrl"] == "" {
			t.Fatalf("company page vars %v", vars)
		}
		// Page through one row at a time.
		first := getJSON(path, 0, 1)
		if first.Draw != 3 || first.PerPage != 1 || first.TotalPage != first.RecordsTotal {
			t.Errorf("paging fields %+v", first)
		}
		found := false
		for start := 0; start < first.RecordsTotal; start++ {
			row := getJSON(path, start, 1).Data[0].(map[string]any)
			no, _ := row["penDecNo"].(string)
			if no != r.RecordNo && no != r.WrittenAs {
				continue
			}
			found = true
			ms := int64(row["publicDate"].(float64))
			got := calendar.FromTime(time.UnixMilli(ms).In(calendar.China))
			if got != r.Published {
				t.Errorf("%s: publicDate %d = %s, truth %s", r.RecordNo, ms, got, r.Published)
			}
		}
		if !found {
			t.Errorf("%s: not in the punishment JSON", r.RecordNo)
		}
		checked++
		if checked == 3 {
			break
		}
	}
	if checked == 0 {
		t.Fatal("no credit punishment checked")
	}
	// The challenged county's enterprises: always a challenge.
	for _, ents := range w.ents {
		if ents[0].county == w.challenged {
			if page := search(ents[0].USCC, true); !strings.Contains(page, "geetest") {
				t.Errorf("%s's enterprise searched without challenge", ChallengedCounty)
			}
			req, _ := http.NewRequest(http.MethodGet, srv.CreditURL()+ents[0].creditKey, nil)
			if resp, _ := f.do(withSession(req)); resp.StatusCode != 521 {
				t.Errorf("%s's company page answered %d", ChallengedCounty, resp.StatusCode)
			}
		}
	}
}

// changesWithin reports whether the world holds an edit and a withdrawal of
// pages already online at as_of within the next days.
func changesWithin(w *World, days int) bool {
	now, until := w.AsOf(), w.AsOf().AddDays(days)
	edit, gone := false, false
	for _, s := range w.sites {
		for _, e := range s.entries {
			if e.kind == kindOffsite || !e.visible(now) {
				continue
			}
			edit = edit || (e.editedOn > now && e.editedOn <= until && (e.withdrawnOn == 0 || e.withdrawnOn > until))
			gone = gone || (e.withdrawnOn > now && e.withdrawnOn <= until)
		}
	}
	return edit && gone
}

func TestAdvanceEditsWithdrawalsAndConditionalGET(t *testing.T) {
	seed := int64(2)
	for ; seed < 30 && !changesWithin(smallWorld(t, seed), 150); seed++ {
	}
	w, srv := serveSmall(t, seed)
	f := newFetcher(t)
	before := w.Truth()
	s := w.site("城区")
	first := srv.SiteURL("城区") + s.columnURL(s.Columns[3])
	resp, _ := f.get(first)
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("城区 list without validators: %v", resp.Header)
	}
	cond := func(u, etag, lm string) int {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		if lm != "" {
			req.Header.Set("If-Modified-Since", lm)
		}
		resp, _ := f.do(req)
		return resp.StatusCode
	}
	srv.ResetRequests()
	if code := cond(first, etag, ""); code != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", code)
	}
	if code := cond(first, "", lm); code != http.StatusNotModified {
		t.Errorf("If-Modified-Since: %d", code)
	}
	if st := srv.Requests("城区"); st.NotModified != 2 || st.List != 0 {
		t.Errorf("stats %+v", st)
	}
	// 泽州 sends no validators at all.
	z := w.site("泽州县")
	if resp, _ := f.get(srv.SiteURL("泽州县") + z.columnURL(z.Columns[0])); resp.Header.Get("ETag") != "" || resp.Header.Get("Last-Modified") != "" {
		t.Errorf("泽州 sends validators: %v", resp.Header)
	}

	next := before.AsOf.AddDays(150)
	resp, b := f.postForm(srv.CreditURL()+"/_sim/advance?to="+next.String(), nil)
	if resp.StatusCode != 200 || w.AsOf() != next {
		t.Fatalf("advance: %d %s", resp.StatusCode, b)
	}
	after := w.Truth()
	if after.AsOf != next || len(after.Pages) <= len(before.Pages) || len(after.Records) <= len(before.Records) {
		t.Errorf("after advancing: %d→%d pages, %d→%d records", len(before.Pages), len(after.Pages), len(before.Records), len(after.Records))
	}
	if code := cond(first, etag, lm); code != http.StatusOK {
		t.Errorf("changed list answered %d to a conditional GET", code)
	}
	// Pages that were there and are gone now answer 404 / 页面不存在.
	old := map[string]TruthPage{}
	for _, p := range before.Pages {
		old[p.County+p.URL] = p
	}
	withdrawn, edited := 0, 0
	for _, p := range after.Pages {
		o, ok := old[p.County+p.URL]
		if !ok || p.Channel != catalogue.Website {
			continue
		}
		if p.Withdrawn != 0 && o.Withdrawn == 0 {
			withdrawn++
			resp, b := f.get(srv.URL(p.County, p.URL))
			if resp.StatusCode != 404 && !strings.Contains(string(b), "页面不存在") {
				t.Errorf("withdrawn %s answered %d", p.URL, resp.StatusCode)
			}
		}
		if p.Edited != 0 && o.Edited == 0 && p.Withdrawn == 0 {
			edited++
			_, b := f.get(srv.URL(p.County, p.URL))
			if !strings.Contains(text(b), "更新：更正部分文字表述") {
				t.Errorf("edited %s shows no edit", p.URL)
			}
		}
	}
	if withdrawn == 0 || edited == 0 {
		t.Errorf("withdrawn %d, edited %d pages in 150 days", withdrawn, edited)
	}
}

func TestFaults(t *testing.T) {
	w, srv := serveSmall(t, 3)
	s := w.site("高平市")
	list := srv.SiteURL("高平市") + s.columnURL(s.Columns[0])
	client := &http.Client{Timeout: 5 * time.Second}
	status := func(u string) (int, error) {
		resp, err := client.Get(u)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if _, err := io.ReadAll(resp.Body); err != nil {
			return resp.StatusCode, err
		}
		return resp.StatusCode, nil
	}
	// Error answers are a function of (seed, URL, attempt): two servers of
	// the same world answer the same sequence, and retries get through.
	srv.SetFaults("高平市", Faults{ErrorRate: 0.5})
	srv2, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.Close()
	srv2.SetFaults("高平市", Faults{ErrorRate: 0.5})
	list2 := srv2.SiteURL("高平市") + s.columnURL(s.Columns[0])
	var seq1, seq2 []int
	for range 12 {
		a, _ := status(list)
		b, _ := status(list2)
		seq1, seq2 = append(seq1, a), append(seq2, b)
	}
	if !slicesEqual(seq1, seq2) || !containsInt(seq1, 200) || !(containsInt(seq1, 500) || containsInt(seq1, 502) || containsInt(seq1, 503)) {
		t.Errorf("fault sequences %v and %v", seq1, seq2)
	}
	// A column that is always down; the others are fine.
	srv.SetFaults("高平市", Faults{DownColumns: []string{"行政处罚"}})
	for range 3 {
		if code, _ := status(list); code != 503 {
			t.Errorf("down column answered %d", code)
		}
	}
	if code, _ := status(srv.SiteURL("高平市") + s.columnURL(s.Columns[1])); code != 200 {
		t.Errorf("other column answered %d", code)
	}
	// One page that is always down; the column's other pages are fine.
	srv.SetFaults("高平市", Faults{DownPages: []string{s.columnURL(s.Columns[0])}})
	for range 3 {
		if code, _ := status(list); code != 500 {
			t.Errorf("down page answered %d", code)
		}
	}
	if code, _ := status(srv.SiteURL("高平市") + s.columnURL(s.Columns[1])); code != 200 {
		t.Errorf("other page answered %d", code)
	}
	// Resets and truncations surface as transport errors.
	srv.SetFaults("高平市", Faults{ResetRate: 1})
	if _, err := status(list); err == nil {
		t.Error("reset: no error")
	}
	srv.SetFaults("高平市", Faults{TruncateRate: 1})
	if _, err := status(list); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncate: %v", err)
	}
	// Slow answers.
	srv.SetFaults("高平市", Faults{SlowRate: 1, Slow: 150 * time.Millisecond})
	start := time.Now()
	status(list)
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("slow answer took %v", d)
	}
	// Rate limiting, switched on through the admin endpoint.
	body, _ := json.Marshal(Faults{RateLimit: 2})
	resp, err := http.Post(srv.SiteURL("高平市")+"/_sim/faults", "application/json", bytes.NewReader(body))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("admin faults: %v %v", err, resp)
	}
	resp.Body.Close()
	limited := 0
	for range 6 {
		resp, err := client.Get(list)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != "" {
			limited++
		}
	}
	if limited == 0 {
		t.Error("rate limit never answered 429 with Retry-After")
	}
	if st := srv.Requests("高平市"); st.Faults == 0 {
		t.Errorf("faults not counted: %+v", st)
	}
	// Faults JSON round-trips Slow as a duration string.
	var f Faults
	if err := json.Unmarshal([]byte(`{"slow":"2s","slow_rate":0.1,"down_columns":["行政处罚"]}`), &f); err != nil || f.Slow != 2*time.Second || f.SlowRate != 0.1 {
		t.Errorf("faults JSON: %+v %v", f, err)
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func containsInt(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func TestDateHeaderCarriesTheWorldsDay(t *testing.T) {
	w, srv := serveSmall(t, 1)
	for _, u := range []string{srv.SiteURL("泽州县") + "/", srv.CreditURL() + "/"} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		d, err := http.ParseTime(resp.Header.Get("Date"))
		if err != nil || calendar.FromTime(d.In(calendar.China)) != w.AsOf() {
			t.Errorf("%s: Date %q, world day %s", u, resp.Header.Get("Date"), w.AsOf())
		}
	}
}
