package credit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"gongkai"
	"gongkai/ident"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
	"gongkai/sources/config"
	"gongkai/sources/credit"
	"gongkai/sources/fetch"
	"gongkai/sources/harvest"
	"gongkai/store"
	_ "gongkai/store/sqlite"
)

const (
	usccA = "91110000600037341L" // 甲公司: 7 punishments, 1 spot check
	usccB = "91310000631696382C" // 乙公司: no rows
)

// mockCredit imitates the credit system's shapes: the 加速乐 challenge
// without the clearance cookie, a captcha page without geetest fields, a
// login wall for one name, search results, company pages with data URLs
// in div#url, and DataTables JSON paged by start/length.
type mockCredit struct {
	mu         sync.Mutex
	searches   []string
	punishRows int  // rows of 甲公司's punishment table
	moved      bool // 甲公司's company page moved to another URL
}

func (m *mockCredit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie("__jsl_clearance"); err != nil || c.Value != "ok" {
		http.SetCookie(w, &http.Cookie{Name: "__jsluid_h", Value: "x"})
		w.WriteHeader(521)
		fmt.Fprint(w, `<script>document.cookie="__jsl_clearance=1";location.reload()</script>`)
		return
	}
	r.ParseForm()
	switch {
	case r.URL.Path == "/":
		fmt.Fprint(w, `<html><body><form action="/corp-query-search-1.html" method="post"><input type="hidden" id="token" name="token" value="T1"><input name="searchword"></form></body></html>`)
	case r.URL.Path == "/corp-query-search-1.html":
		word := r.PostForm.Get("searchword")
		m.mu.Lock()
		m.searches = append(m.searches, word)
		m.mu.Unlock()
		if r.PostForm.Get("geetest_validate") != "v" || r.PostForm.Get("token") != "T1" {
			fmt.Fprint(w, `<html><body><div class="geetest_holder">请完成验证</div><script src="/geetest.js"></script></body></html>`)
			return
		}
		if word == "丙登录公司" {
			fmt.Fprint(w, `<html><body><form><input type="text" name="u"><input type="password" name="p"></form>请登录</body></html>`)
			return
		}
		var items string
		if word == usccA || word == "晋城市甲食品有限公司" {
			href := "/%7BAAA-1600000000000%7D"
			if m.moved {
				href = "/%7BAAA-1700000000000%7D"
			}
			items += `<a class="search_list_item db" href="` + href + `"><h1 class="f20">晋城市<font color="red">甲</font>食品有限公司</h1>
				<div class="div-map2">统一社会信用代码：<span class="g3">` + usccA + `</span></div>
				<div class="div-user2">法定代表人：<span class="g3">张三</span></div></a>`
		}
		if word == usccB {
			items += `<a class="search_list_item db" href="/%7BBBB-1600000000000%7D"><h1 class="f20">晋城市乙药店</h1>
				<div class="div-map2"><span class="g3">` + usccB + `</span></div></a>`
		}
		if items == "" {
			fmt.Fprint(w, `<html><body><div class="search_result">查询到0条信息</div></body></html>`)
			return
		}
		fmt.Fprint(w, `<html><body><div class="search_result">`+items+`</div></body></html>`)
	case r.URL.Path == "/{AAA-1600000000000}" && m.moved:
		http.NotFound(w, r)
	case r.URL.Path == "/{AAA-1600000000000}" || r.URL.Path == "/{AAA-1700000000000}":
		fmt.Fprint(w, `<html><body><h1 class="fullName">晋城市甲食品有限公司</h1><div id="url"><script>
			var punishmentDetailInfoUrl = "/pun/AAA";
			var spotCheckInfoUrl = "/spot/AAA";
			var otherThingUrl = "/x";
			</script></div></body></html>`)
	case r.URL.Path == "/{BBB-1600000000000}":
		fmt.Fprint(w, `<html><body><div id="url"><script>var punishmentDetailInfoUrl = "/pun/BBB";</script></div></body></html>`)
	case strings.HasPrefix(r.URL.Path, "/pun/"):
		var rows []map[string]any
		if r.URL.Path == "/pun/AAA" {
			m.mu.Lock()
			n := m.punishRows
			m.mu.Unlock()
			for i := range n {
				// 2020-07-27 00:00 China time = 2020-07-26T16:00Z.
				pub := time.Date(2020, 7, 27+i, 0, 0, 0, 0, calendar.China).UnixMilli()
				rows = append(rows, map[string]any{
					"penDecNo": fmt.Sprintf("泽市监罚〔2020〕%d号", 10+i), "illegActType": "生产经营<br/>不符合标准的食品",
					"penContent": "罚款&nbsp;5000元", "penAuth_CN": "泽州县市场监督管理局",
					"penDecIssDate": pub - 5*86400000, "publicDate": pub, "caseId": fmt.Sprintf("C%03d", i),
				})
			}
		}
		table(w, r, rows)
	case r.URL.Path == "/spot/AAA":
		table(w, r, []map[string]any{{"insAuth_CN": "泽州县市场监督管理局", "insType": "2", "insType_CN": "检查", "insDate": "2020-06-01", "insRes_CN": "未发现问题"}})
	default:
		http.NotFound(w, r)
	}
}

func table(w http.ResponseWriter, r *http.Request, rows []map[string]any) {
	start, _ := strconv.Atoi(r.PostForm.Get("start"))
	length, _ := strconv.Atoi(r.PostForm.Get("length"))
	draw, _ := strconv.Atoi(r.PostForm.Get("draw"))
	page := []map[string]any{}
	for i := start; i < min(len(rows), start+length); i++ {
		page = append(page, rows[i])
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(map[string]any{"draw": draw, "recordsTotal": len(rows), "recordsFiltered": len(rows), "start": start, "perPage": length, "data": page})
}

type env struct {
	st    store.Store
	mock  *mockCredit
	srv   *httptest.Server
	cred  config.Credit
	h     config.Harvest
	fetch *fetch.Fetcher
	full  bool // force a full re-check (--full)
	now   func() time.Time
}

// result is what a sweep of the credit source did.
type result struct {
	Lookups, Observed int
	Interrupted       bool
	Pages             int // exchanges the summary counts
	Credit            *harvest.CreditSummary
	// events of the harvest loop, by kind
	events map[harvest.EventKind]int
}

// sweep runs the harvester's sweep of a configuration that names only the
// credit system.
func (e *env) sweep() (result, error) {
	cred := e.cred
	var mu sync.Mutex
	events := map[harvest.EventKind]int{}
	h, err := harvest.New(harvest.Options{
		Config:  &config.Config{Path: "sites.yaml", Harvest: e.h, Credit: &cred},
		Store:   e.st,
		Fetcher: e.fetch,
		Full:    e.full,
		Now:     e.now,
		Observer: harvest.ObserverFunc(func(ev harvest.Event) {
			mu.Lock()
			events[ev.Kind]++
			mu.Unlock()
		}),
	})
	if err != nil {
		return result{}, err
	}
	sums, err := h.Sweep(context.Background())
	r := result{events: events}
	for _, s := range sums {
		r.Pages += s.Pages
		r.Credit = s.Credit
		for _, c := range s.Columns {
			r.Lookups += c.Details
			r.Observed += c.Details - c.DetailsFailed
		}
		r.Interrupted = r.Interrupted || s.Interrupted
	}
	return r, err
}

func newEnv(t *testing.T, recs []records.Record) *env {
	t.Helper()
	m := &mockCredit{punishRows: 7}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	st, err := store.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.ImportRecords(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	h := config.DefaultHarvest()
	h.Delay = 0
	h.Retries = 0
	f, err := fetch.New(h, []string{strings.TrimPrefix(srv.URL, "http://")})
	if err != nil {
		t.Fatal(err)
	}
	return &env{st: st, mock: m, srv: srv, fetch: f, h: h,
		cred: config.Credit{Name: "国家企业信用信息公示系统", URL: srv.URL,
			Cookies: map[string]string{"__jsl_clearance": "ok"}, Captcha: map[string]string{"geetest_validate": "v", "geetest_challenge": "c"}},
	}
}

func rec(county, item, no, party, uscc string) records.Record {
	return records.Record{County: county, Item: item, RecordNo: no, Party: party, USCC: uscc, FormedOn: calendar.Of(2020, 7, 1)}
}

func TestLookupReadsPunishmentsAndSpotChecks(t *testing.T) {
	e := newEnv(t, []records.Record{
		rec("泽州县", "2.1", "泽市监罚〔2020〕10号", "晋城市甲食品有限公司", usccA),
		rec("泽州县", "2.1", "泽市监罚〔2020〕11号", "晋城市甲食品有限公司", usccA), // same enterprise: one lookup
		rec("泽州县", "1.1", "JC-1", "晋城市乙药店", usccB),
		rec("泽州县", "2.1", "泽市监罚〔2020〕99号", "某个体户", ""),                                                                            // not found: the place could not be seen
		{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕98号", Party: "丁公司", Procedure: "简易", FormedOn: calendar.Of(2020, 7, 1)}, // not expected there
	})
	res, err := e.sweep()
	if err != nil {
		t.Fatal(err)
	}
	if res.Lookups != 3 || res.Observed != 2 || res.Interrupted {
		t.Fatalf("result %+v", res)
	}
	// The lookups ran through the harvest loop: each exchange, unit,
	// failure and county reported as events of the one sweep.
	ev := res.events
	if ev[harvest.Fetched] == 0 || ev[harvest.Fetched] != res.Pages || ev[harvest.Committed] != 3+1 ||
		ev[harvest.Failed] != 1 || ev[harvest.ColumnDone] != 1 || ev[harvest.SweepStarted] != 1 || ev[harvest.SweepDone] != 1 {
		t.Errorf("events %v (pages %d)", ev, res.Pages)
	}
	// An enterprise the system does not list is not an observed absence:
	// the office's name or code may be wrong, so its records stay unverified.
	notFound, err := e.st.CreditLookups(context.Background(), store.CreditQuery{Key: ident.NormaliseParty("某个体户")})
	if err != nil {
		t.Fatal(err)
	}
	if len(notFound) != 1 || notFound[0].Observed || !strings.Contains(notFound[0].Reason, "未检索到该企业") {
		t.Errorf("lookup of an unlisted enterprise = %+v, want not observed, 未检索到该企业", notFound)
	}
	if got := strings.Join(e.mock.searches, ","); got != usccA+","+usccB+",某个体户" && got != "某个体户,"+usccA+","+usccB {
		t.Errorf("searches %v", e.mock.searches)
	}
	pubs, err := e.st.Publications(context.Background(), store.PublicationQuery{Channel: catalogue.Credit, WithBodies: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(pubs) != 8 {
		t.Fatalf("%d publications, want 7 punishments + 1 spot check", len(pubs))
	}
	byURL := map[string]gongkai.Publication{}
	for _, p := range pubs {
		byURL[p.URL] = p
	}
	p, ok := byURL[e.srv.URL+"/pun/AAA#C000"]
	if !ok {
		t.Fatalf("no row C000 among %v", keys(byURL))
	}
	d := p.Disclosures[0]
	if p.Declared.String() != "2020-07-27" || p.DeclaredFrom != "公示日期" || p.County != "泽州县" || p.Channel != catalogue.Credit {
		t.Errorf("punishment %+v", p)
	}
	if d.Kind != "credit-punishment" || d.DecisionNos[0] != "泽市监罚〔2020〕10号" || d.USCCs[0] != usccA || d.Parties[0] != "晋城市甲食品有限公司" {
		t.Errorf("disclosure %+v", d)
	}
	if d.Fields["违法行为类型"] != "生产经营 不符合标准的食品" || d.Fields["行政处罚内容"] != "罚款 5000元" || d.Fields["处罚决定日期"] != "2020-07-22" {
		t.Errorf("fields %v", d.Fields)
	}
	if p.CaptureID == "" || !strings.HasPrefix(p.Evidence, "sha256:") {
		t.Errorf("evidence %q %q", p.CaptureID, p.Evidence)
	}
	var spot gongkai.Publication
	for _, p := range pubs {
		if p.Disclosures[0].Kind == "credit-inspection" {
			spot = p
		}
	}
	if !spot.Declared.IsZero() || spot.Disclosures[0].Fields["结果"] != "未发现问题" || spot.Disclosures[0].Fields["日期"] != "2020-06-01" {
		t.Errorf("spot check %+v", spot)
	}
	looks, _ := e.st.CreditLookups(context.Background(), store.CreditQuery{County: "泽州县"})
	if len(looks) != 3 {
		t.Fatalf("lookups %+v", looks)
	}
	for _, l := range looks {
		if l.Observed == (l.Key == ident.NormaliseParty("某个体户")) {
			t.Errorf("lookup %+v: observed %v", l, l.Observed)
		}
		if (l.Key == usccA) != strings.Contains(l.CompanyURL, "AAA") {
			t.Errorf("lookup %+v company", l)
		}
	}
	sweeps, _ := e.st.Sweeps(context.Background(), store.SweepQuery{Source: e.cred.Name})
	if len(sweeps) != 1 || sweeps[0].Complete() || sweeps[0].Columns[0].Column != "泽州县" || sweeps[0].Columns[0].Details != 3 ||
		sweeps[0].Columns[0].DetailsFailed != 1 {
		t.Errorf("sweeps %+v", sweeps)
	}
}

func keys(m map[string]gongkai.Publication) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestWallsAreUnobservedNeverAbsent(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*config.Credit)
		party  string
		reason string
	}{
		{"challenge", func(c *config.Credit) { c.Cookies = nil }, "晋城市甲食品有限公司", "加速乐"},
		{"captcha", func(c *config.Credit) { c.Captcha = nil }, "晋城市甲食品有限公司", "验证码"},
		{"login", func(*config.Credit) {}, "丙登录公司", "登录"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, []records.Record{rec("高平市", "2.1", "高市监罚〔2020〕1号", tc.party, "")})
			tc.change(&e.cred)
			res, err := e.sweep()
			if err != nil {
				t.Fatal(err)
			}
			if res.Lookups != 1 || res.Observed != 0 {
				t.Fatalf("result %+v", res)
			}
			looks, _ := e.st.CreditLookups(context.Background(), store.CreditQuery{})
			if len(looks) != 1 || looks[0].Observed || !strings.Contains(looks[0].Reason, tc.reason) || looks[0].CaptureID == "" {
				t.Fatalf("lookups %+v", looks)
			}
			sweeps, _ := e.st.Sweeps(context.Background(), store.SweepQuery{})
			if sweeps[0].Complete() || sweeps[0].Columns[0].DetailsFailed != 1 {
				t.Errorf("sweep %+v should be incomplete", sweeps[0])
			}
		})
	}
}

func TestRowsGoneFromTheTableAreWithdrawn(t *testing.T) {
	e := newEnv(t, []records.Record{rec("泽州县", "2.1", "泽市监罚〔2020〕10号", "晋城市甲食品有限公司", usccA)})
	if _, err := e.sweep(); err != nil {
		t.Fatal(err)
	}
	e.mock.punishRows = 6 // the last decision was revoked
	// Nothing is owed for the enterprise: an incremental sweep keeps its
	// last observation and cannot see the withdrawal.
	if res, err := e.sweep(); err != nil || res.Lookups != 0 {
		t.Fatal(res, err)
	}
	if p, _, _ := e.st.Publication(context.Background(), e.srv.URL+"/pun/AAA#C006"); p.State != gongkai.Current {
		t.Errorf("C006 = %+v after an incremental sweep, want current", p)
	}
	// The full re-check (full_every, --full) looks it up again.
	e.full = true
	res, err := e.sweep()
	if err != nil || res.Observed != 1 {
		t.Fatal(res, err)
	}
	p, ok, _ := e.st.Publication(context.Background(), e.srv.URL+"/pun/AAA#C006")
	if !ok || p.State != gongkai.Withdrawn {
		t.Errorf("C006 = %+v, want withdrawn", p)
	}
	p, _, _ = e.st.Publication(context.Background(), e.srv.URL+"/pun/AAA#C005")
	if p.State != gongkai.Current {
		t.Errorf("C005 = %+v, want current", p)
	}
}

func TestParseSearchStripsHighlights(t *testing.T) {
	page := credit.ParseSearch("http://x/search", `<a class="search_list_item db" href="/%7Bx%7D"><h1>晋城市<font color=red>甲</font>公司</h1><div class="div-map2"><span class="g3">`+usccA+`</span></div></a>`)
	if !page.Recognised || len(page.Results) != 1 || page.Results[0].Name != "晋城市甲公司" || page.Results[0].Href != "http://x/%7Bx%7D" {
		t.Errorf("%+v", page)
	}
}
