package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/sources/fetch"
	"gongkai/store"
)

// storedScriptPage is the detail page of 泽市监罚〔2020〕2号 as the test
// store keeps it: its inline script would retitle the page if it ran.
const storedScriptPage = `<!doctype html><html><head><meta charset="utf-8"><title>存档原页</title>
<script>document.title = "脚本已运行"; window.x = 1;</script></head>
<body><h1>行政处罚决定书（泽市监罚〔2020〕2号）</h1><p>当事人：某超市。</p></body></html>`

// addEvidenceSweep records a complete sweep on 2020-12-30 whose captures
// are real WARC records: the column's list page and the detail page of 2号.
func addEvidenceSweep(t *testing.T, w *testWorld) (detailURL string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, w.storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2020, 12, 30, 2, 0, 0, 0, calendar.China)
	detailURL = testPenaltyPage("泽市监罚〔2020〕2号", calendar.Of(2020, 5, 6)).URL
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	list, err := fetch.ResponseRecord(testColumnURL, at, 200, html, []byte(`<html><body><ul><li><a href="`+detailURL+`">行政处罚决定书</a></li></ul></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	detail, err := fetch.ResponseRecord(detailURL, at.Add(time.Second), 200, html, []byte(storedScriptPage))
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.BeginSweep(ctx, gongkai.Sweep{Source: "zezhou", County: "泽州县", Channel: catalogue.Website, Started: at})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Apply(ctx, store.Batch{SweepID: id, At: at, Captures: []gongkai.Capture{list, detail},
		FetchStates: []store.FetchState{{URL: testColumnURL, LastStatus: 200, LastFetched: at, CaptureID: list.ID},
			{URL: detailURL, LastStatus: 200, LastFetched: at, CaptureID: detail.ID}},
		Seen:   []string{detailURL, testPenaltyPage("泽市监罚〔2020〕1号", calendar.Of(2020, 3, 10)).URL},
		Column: &gongkai.ColumnOutcome{Column: "行政处罚", Items: []string{"2.1"}, Complete: true, ListPages: 1, ObservedAt: at}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishSweep(ctx, id, at.Add(time.Minute), false); err != nil {
		t.Fatal(err)
	}
	return detailURL
}

func newWebTestServer(t *testing.T) (*httptest.Server, *serveHandler, *testWorld) {
	t.Helper()
	w := newTestWorld(t)
	addEvidenceSweep(t, w)
	af := auditFlags{storeURL: w.storeURL, configPath: w.config}
	a, err := af.open(context.Background(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	h := newServeHandler(a, "")
	h.now = func() time.Time { return time.Date(2021, 3, 1, 9, 0, 0, 0, calendar.China) }
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, h, w
}

var recordLink = regexp.MustCompile(`<a class="record" href="([^"]+)">([^<]+)</a>`)

// queryNumbers is what `reporter query` lists for the filter.
func queryNumbers(t *testing.T, w *testWorld, args ...string) []string {
	t.Helper()
	code, out, errs := runReporter(t, append([]string{"query", "--store", w.storeURL, "--config", w.config, "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("query: %d %s", code, errs)
	}
	var found []audit.Finding
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Fatal(err)
	}
	var nos []string
	for _, f := range found {
		nos = append(nos, f.RecordNo)
	}
	return nos
}

func TestWebViewListsWhatQueryLists(t *testing.T) {
	srv, _, w := newWebTestServer(t)
	for _, tc := range []struct {
		view string
		args []string
	}{
		{"as_of=2020-12-31&county=泽州县&item=2.1&status=late", []string{"--as-of", "2020-12-31", "--county", "泽州县", "--item", "2.1", "--status", "late"}},
		{"as_of=2020-12-31&status=missing,late", []string{"--as-of", "2020-12-31", "--status", "missing,late"}},
		{"as_of=2020-12-31&q=2号", []string{"--as-of", "2020-12-31", "--q", "2号"}},
		{"as_of=2020-12-31&item=2&status=flagged", []string{"--as-of", "2020-12-31", "--item", "2", "--status", "flagged"}},
	} {
		want := queryNumbers(t, w, tc.args...)
		code, hdr, body := get(t, srv.URL+"/?"+tc.view)
		if code != 200 {
			t.Fatalf("%s: %d %s", tc.view, code, body)
		}
		var got []string
		for _, m := range recordLink.FindAllStringSubmatch(body, -1) {
			got = append(got, htmlUnescape(m[2]))
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: page lists %q, query lists %q", tc.view, got, want)
		}
		if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe") || hdr.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("security headers: %v", hdr)
		}
	}
	// One click from the overview: the late count of the 泽州县 × 2.1 cell.
	_, _, overview := get(t, srv.URL+"/?as_of=2020-12-31")
	m := regexp.MustCompile(`class="late" data-county="泽州县" data-item="2.1" href="([^"]+)"`).FindStringSubmatch(overview)
	if m == nil {
		t.Fatalf("the matrix has no late link for 泽州县 × 2.1")
	}
	_, _, cell := get(t, srv.URL+htmlUnescape(m[1]))
	var fromCell []string
	for _, x := range recordLink.FindAllStringSubmatch(cell, -1) {
		fromCell = append(fromCell, htmlUnescape(x[2]))
	}
	if want := queryNumbers(t, w, "--as-of", "2020-12-31", "--county", "泽州县", "--item", "2.1", "--status", "late"); !slices.Equal(fromCell, want) {
		t.Errorf("the cell's late link lists %q, query %q", fromCell, want)
	}
	// The page says what it is filtered on.
	_, _, body := get(t, srv.URL+"/?as_of=2020-12-31&county=泽州县&item=2.1&status=late")
	if !strings.Contains(body, "筛选条件：截止 2020-12-31、县区 泽州县、事项 2.1") || !strings.Contains(body, "状态 逾期公开") {
		t.Errorf("filter description missing: %s", body)
	}
	// Harvested text is escaped.
	if strings.Contains(body, "<script>alert(1)</script>") {
		t.Error("record title not escaped")
	}
	// The default as-of is the last complete sweep's day, not today.
	if _, _, body := get(t, srv.URL+"/"); !strings.Contains(body, "截至 2020-12-30") {
		t.Errorf("default as-of is not the last complete sweep's day")
	}
	// Errors: a Chinese page for browsers, JSON under /api/.
	if code, hdr, body := get(t, srv.URL+"/?status=lat"); code != 400 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !strings.Contains(body, "未知状态") {
		t.Errorf("bad status page: %d %s", code, body)
	}
	if code, hdr, body := get(t, srv.URL+"/api/view?county=朝阳区"); code != 400 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") || !strings.Contains(body, "未知县区") {
		t.Errorf("bad county api: %d %s", code, body)
	}
	var view struct {
		Findings []audit.Finding `json:"findings"`
	}
	if code, _, body := get(t, srv.URL+"/api/view?as_of=2020-12-31&county=泽州县&item=2.1&status=late"); code != 200 || json.Unmarshal([]byte(body), &view) != nil || len(view.Findings) != 1 {
		t.Errorf("/api/view: %d %s", code, body)
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'").Replace(s)
}

func TestWebRecordEvidenceAndAbsence(t *testing.T) {
	srv, _, _ := newWebTestServer(t)
	code, _, body := get(t, srv.URL+"/record?as_of=2020-12-31&county=泽州县&item=2.1&no="+url.QueryEscape("泽市监罚〔2020〕2号"))
	if code != 200 || !strings.Contains(body, "逾期公开") || !strings.Contains(body, "2020-05-06") {
		t.Fatalf("record: %d %s", code, body)
	}
	m := regexp.MustCompile(`href="(/evidence/[^"]+)">详情页`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("record links no evidence: %s", body)
	}
	code, hdr, ev := get(t, srv.URL+m[1])
	if code != 200 || !strings.Contains(ev, `sandbox=""`) || !strings.Contains(ev, fetch.PayloadDigest([]byte(storedScriptPage))) || !strings.Contains(ev, "2020-12-30 02:00:01") {
		t.Errorf("evidence page: %d %s", code, ev)
	}
	if !strings.Contains(hdr.Get("Content-Security-Policy"), "script-src 'none'") {
		t.Errorf("evidence CSP: %q", hdr.Get("Content-Security-Policy"))
	}
	code, hdr, raw := get(t, srv.URL+m[1]+"/raw")
	if code != 200 || raw != storedScriptPage {
		t.Errorf("raw copy is not the page as fetched: %d %q", code, raw)
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'none'") || !strings.Contains(csp, "sandbox") {
		t.Errorf("raw CSP: %q", csp)
	}
	if _, hdr, _ := get(t, srv.URL+m[1]+"/raw?download=1"); !strings.HasPrefix(hdr.Get("Content-Disposition"), "attachment") {
		t.Errorf("download: %v", hdr)
	}
	// 3号 is missing: its evidence is the complete observation after the due date.
	code, _, body = get(t, srv.URL+"/record?as_of=2020-12-31&county=泽州县&item=2.1&no="+url.QueryEscape("泽市监罚〔2020〕3号"))
	if code != 200 || !strings.Contains(body, "未公开") || !strings.Contains(body, "于 2020-12-30 完整观察栏目「行政处罚」1 页，未见该记录") ||
		!strings.Contains(body, "列表页 "+testColumnURL) {
		t.Errorf("missing record's evidence of absence: %d %s", code, body)
	}
	if code, _, _ := get(t, srv.URL+"/evidence/00000000-0000-0000-0000-000000000000"); code != 404 {
		t.Errorf("unknown evidence: %d", code)
	}
}

func TestWebExportIsTheView(t *testing.T) {
	srv, _, w := newWebTestServer(t)
	want := queryNumbers(t, w, "--as-of", "2020-12-31", "--county", "泽州县", "--item", "2.1", "--status", "late")
	resp, err := http.Get(srv.URL + "/export.xlsx?as_of=2020-12-31&county=泽州县&item=2.1&status=late")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("export.xlsx: %d %s", resp.StatusCode, data)
	}
	if got := xlsxRecordNos(t, data); !slices.Equal(got, want) {
		t.Errorf("workbook rows %q, query %q", got, want)
	}
	code, _, body := get(t, srv.URL+"/export.csv?as_of=2020-12-31&county=泽州县&item=2.1&status=late")
	if code != 200 || !strings.Contains(body, want[0]) || strings.Contains(body, "泽市监罚〔2020〕1号") {
		t.Errorf("export.csv: %d %s", code, body)
	}
	code, _, body = get(t, srv.URL+"/export.json?as_of=2020-12-31&county=泽州县&item=2.1&status=late")
	var rep audit.Report
	if code != 200 || json.Unmarshal([]byte(body), &rep) != nil || len(rep.Findings) != len(want) {
		t.Errorf("export.json: %d %s", code, body)
	}
}

// xlsxRecordNos reads the record numbers of the 明细 sheet.
func xlsxRecordNos(t *testing.T, data []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("明细")
	if err != nil {
		t.Fatal(err)
	}
	var nos []string
	for _, r := range rows[1:] {
		for _, c := range r {
			if strings.HasPrefix(c, "泽市监罚") {
				nos = append(nos, c)
				break
			}
		}
	}
	return nos
}

func TestWebConcurrentLoadsComeFromTheCache(t *testing.T) {
	srv, h, _ := newWebTestServer(t)
	page := srv.URL + "/?as_of=2020-12-31&county=泽州县&item=2.1&status=late"
	if code, _, body := get(t, page); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	before := h.ui.Builds()
	if before == 0 {
		t.Fatal("no audit counted")
	}
	var wg sync.WaitGroup
	codes := make([]int, 200)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(page)
			if err != nil {
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Fatalf("request %d: %d", i, c)
		}
	}
	if after := h.ui.Builds(); after != before {
		t.Errorf("200 loads ran %d more audits", after-before)
	}
	// A new sweep changes the store's generation: the next load audits again.
	addEvidenceSweep(t, &testWorld{storeURL: h.a.flags.storeURL})
	time.Sleep(300 * time.Millisecond) // the generation is re-read at most every 250 ms
	get(t, page)
	if h.ui.Builds() == before {
		t.Error("a new sweep did not invalidate the cache")
	}
}

func TestServeRefusesToListenBeyondLoopbackWithoutToken(t *testing.T) {
	w := newTestWorld(t)
	code, _, stderr := runReporter(t, "serve", "--store", w.storeURL, "--config", w.config, "--addr", "0.0.0.0:0")
	if code != 2 || !strings.Contains(stderr, "--token") {
		t.Errorf("serve on 0.0.0.0 without token: %d %s", code, stderr)
	}
	// With a token, requests without it are refused.
	af := auditFlags{storeURL: w.storeURL, configPath: w.config}
	a, err := af.open(context.Background(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	srv := httptest.NewServer(newServeHandler(a, "s3cret"))
	defer srv.Close()
	if code, _, _ := get(t, srv.URL+"/healthz"); code != 401 {
		t.Errorf("no token: %d", code)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
	req.SetBasicAuth("office", "s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("basic auth with the token: %d", resp.StatusCode)
	}
}
