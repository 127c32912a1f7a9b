package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"gongkai"
	"gongkai/internal/texttable"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/sim"
	"gongkai/sources/harvest"
	"gongkai/store"
)

func runProgram(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = program.Run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRunRejectsMissingAndBrokenConfig(t *testing.T) {
	code, _, stderr := runProgram(t, context.Background(), "run")
	if code != 1 || !strings.Contains(stderr, "--config") {
		t.Errorf("no config: code %d, stderr %q", code, stderr)
	}
	p := filepath.Join(t.TempDir(), "sites.yaml")
	os.WriteFile(p, []byte("counties:\n  - county: 太原市\n"), 0o644)
	code, _, stderr = runProgram(t, context.Background(), "run", "--config", p, "--store", "sqlite://"+filepath.Join(t.TempDir(), "x.db"))
	if code != 1 || !strings.Contains(stderr, "sites.yaml:2") {
		t.Errorf("bad config: code %d, stderr %q", code, stderr)
	}
	code, _, _ = runProgram(t, context.Background(), "run", "--bogus")
	if code != 2 {
		t.Errorf("bad flag: code %d, want 2", code)
	}
}

// seedStore writes two publications (one withdrawn) the way the harvester would.
func seedStore(t *testing.T) string {
	t.Helper()
	url := "sqlite://" + filepath.Join(t.TempDir(), "items.db")
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	id, err := st.BeginSweep(ctx, gongkai.Sweep{Source: "泽州", County: "泽州县", Channel: catalogue.Website, Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2020, 8, 5, 2, 0, 0, 0, time.UTC)
	_, err = st.Apply(ctx, store.Batch{SweepID: id, At: at, Publications: []gongkai.Publication{
		{URL: "http://x/t1.shtml", County: "泽州县", Channel: catalogue.Website, Source: "泽州", Column: "行政处罚",
			Title: "泽州县市场监督管理局行政处罚决定书（泽市监罚〔2020〕12号）", Declared: calendar.Of(2020, 8, 5), DeclaredFrom: "list",
			Metadata: map[string]string{"文号": "泽市监罚〔2020〕12号", "发布机构": "泽州县市场监督管理局"}, RecordNos: []string{"泽市监罚〔2020〕12号"},
			Attachments: []gongkai.Attachment{{URL: "http://x/P1.pdf", Name: "决定书.pdf", Size: 1234}}, ContentHash: "h1"},
		{URL: "http://x/t2.shtml", County: "泽州县", Channel: catalogue.Website, Source: "泽州", Column: "行政处罚",
			Title: "旧公告", Declared: calendar.Of(2020, 7, 1), ContentHash: "h2"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(ctx, store.Batch{SweepID: id, At: at.Add(time.Hour), Withdrawn: []string{"http://x/t2.shtml"}}); err != nil {
		t.Fatal(err)
	}
	return url
}

func TestItemsFormats(t *testing.T) {
	url := seedStore(t)
	code, out, stderr := runProgram(t, context.Background(), "items", "--store", url, "--format", "json")
	if code != 0 {
		t.Fatalf("json: %d %s", code, stderr)
	}
	var items []itemView
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].URL != "http://x/t1.shtml" || items[0].Declared != "2020-08-05" ||
		items[0].RecordNos[0] != "泽市监罚〔2020〕12号" || items[0].Attachments[0].Name != "决定书.pdf" ||
		items[0].Metadata["发布机构"] != "泽州县市场监督管理局" || items[1].State != gongkai.Withdrawn || items[1].Withdrawn == nil {
		t.Errorf("json items %+v", items)
	}

	code, out, _ = runProgram(t, context.Background(), "items", "--store", url, "--format", "csv", "--county", "泽州")
	if code != 0 {
		t.Fatal(code)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "县区" || rows[1][9] != "泽市监罚〔2020〕12号" || rows[2][11] != "已撤下" || rows[1][6] != "2020-08-05 10:00" {
		t.Errorf("csv %q %v", rows, err)
	}

	code, out, _ = runProgram(t, context.Background(), "items", "--store", url, "--current")
	if code != 0 || !strings.Contains(out, "共 1 条") || strings.Contains(out, "旧公告") {
		t.Errorf("table:\n%s", out)
	}
	code, _, _ = runProgram(t, context.Background(), "items", "--store", url, "--county", "太原")
	if code != 2 {
		t.Errorf("unknown county: code %d", code)
	}
}

func TestSummaryTableTotalsPerCounty(t *testing.T) {
	var b bytes.Buffer
	printSummary(&b, []harvest.Summary{
		{County: "城区", Source: "a", Pages: 10, New: 3, Complete: true},
		{County: "城区", Source: "b", Pages: 5, Changed: 1, Complete: true, LinksChecked: 4, DeadLinks: 1},
		{County: "泽州县", Source: "c", Pages: 7, Errors: 2, Complete: false, Columns: []gongkai.ColumnOutcome{
			{Column: "行政处罚", ListFailed: 1, Errors: []string{"http://x/index_1.shtml: HTTP 503"},
				Reason: "第 2 页（http://x/index_1.shtml）应答 HTTP 503，而栏目声明共 3 页"},
			{Column: "抽检信息", Complete: true},
			{Column: "通知公告", Complete: true, Blank: true},
			{Column: "监督检查", Reason: "未识别到任何条目"}}},
		{Source: "国家企业信用信息公示系统", Pages: 4, New: 2, Complete: true},
	})
	out := b.String()
	lines := strings.Split(out, "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`^县区/来源\s+页面\s+未变\s+新增\s+变更\s+撤下\s+错误\s+完整$`),
		regexp.MustCompile(`^-+(  -+){7}$`),
		regexp.MustCompile(`^城区\s+15\s+0\s+3\s+1\s+0\s+0\s+是$`),
		regexp.MustCompile(`^泽州县\s+7\s+0\s+0\s+0\s+0\s+2\s+否$`),
		regexp.MustCompile(`^国家企业信用信息公示系统\s+4\s+0\s+2\s+0\s+0\s+0\s+是$`),
		regexp.MustCompile(`^合计\s+26\s+0\s+5\s+1\s+0\s+2\s+否$`),
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("line %d = %q, want %s", i, lines[i], re)
		}
	}
	for _, want := range []string{
		"泽州县 c「行政处罚」未完整采集：第 2 页（http://x/index_1.shtml）应答 HTTP 503，而栏目声明共 3 页",
		"泽州县 c「监督检查」未完整采集：未识别到任何条目",
		"泽州县 c「通知公告」为空栏目",
		"城区 b: 检查正文中的站内链接 4 个，其中 1 个失效（见报告的栏目健康）",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("notes lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "抽检信息") {
		t.Errorf("a complete column is noted:\n%s", out)
	}
	// Columns line up under a terminal's double-width CJK.
	if texttable.Width(lines[2]) != texttable.Width(lines[3]) {
		t.Errorf("misaligned:\n%s\n%s", lines[2], lines[3])
	}
}

func TestServeExposesMetricsAndHealth(t *testing.T) {
	// A county site that is down: every sweep records errors, none crashes.
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer site.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sites.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`harvest: {delay: 0s, retries: 0}
counties:
  - county: 泽州县
    sources:
      - name: zezhou
        preset: trs
        columns:
          - {name: 行政处罚, url: "%s/xxgk/xzcf/index.shtml", items: ["2.1"]}
`, site.URL)), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		var errb bytes.Buffer
		done <- program.Run(ctx, []string{"serve", "--config", cfg, "--store", "sqlite://" + filepath.Join(dir, "s.db"),
			"--every", "1h", "--metrics", "127.0.0.1:0"}, pw, &errb)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var base string
	sweepDone := make(chan struct{})
	var once sync.Once
	go func() {
		for sc.Scan() {
			line := sc.Text()
			if m := regexp.MustCompile(`http://(\S+)/metrics`).FindStringSubmatch(line); m != nil && base == "" {
				base = "http://" + m[1]
			}
			if strings.HasPrefix(line, "泽州县") {
				once.Do(func() { close(sweepDone) })
			}
		}
	}()
	select {
	case <-sweepDone:
	case <-time.After(30 * time.Second):
		t.Fatal("no sweep summary printed")
	}
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/metrics")
	if code != 200 || !strings.Contains(body, `gongkai_harvest_pages_fetched_total{county="泽州县",kind="list",status="503"} 1`) ||
		!strings.Contains(body, `gongkai_harvest_sweep_complete{county="泽州县",source="zezhou"} 0`) ||
		!strings.Contains(body, `gongkai_harvest_errors_total{county="泽州县"} 1`) {
		t.Errorf("metrics:\n%s", body)
	}
	code, body = get("/healthz")
	var h struct {
		Status  string
		Running bool
		Sources []struct {
			County   string
			Complete bool
			Errors   int
		}
	}
	if err := json.Unmarshal([]byte(body), &h); err != nil || code != 200 || h.Status != "ok" || len(h.Sources) != 1 || h.Sources[0].Complete || h.Sources[0].Errors != 1 {
		t.Errorf("healthz %d %s", code, body)
	}
	cancel()
	select {
	case c := <-done:
		if c != 0 {
			t.Errorf("serve exit code %d", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on cancel")
	}
}

func TestRunAndItemsAgainstSimulatedWorld(t *testing.T) {
	w, err := sim.Generate(sim.Options{Seed: 7, Size: sim.Small})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "sites.yaml")
	if err := os.WriteFile(cfg, w.SitesYAML(srv), 0o644); err != nil {
		t.Fatal(err)
	}
	storeURL := "sqlite://" + filepath.Join(dir, "g.db")
	code, out, stderr := runProgram(t, context.Background(), "run", "--config", cfg, "--store", storeURL, "--only", "陵川县,140525", "--log", "json")
	if code != 0 {
		t.Fatalf("run: %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^陵川县\s+\d+\s+0\s+[1-9]\d*\s+0\s+0\s+0\s+是$`),
		regexp.MustCompile(`(?m)^泽州县\s+\d+\s+0\s+[1-9]\d*\s+0\s+0\s+0\s+是$`),
		regexp.MustCompile(`没有需要在该系统查询的应公开记录`),
	} {
		if !want.MatchString(out) {
			t.Errorf("summary lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "城区") {
		t.Errorf("--only swept other counties:\n%s", out)
	}
	// Logs are JSON lines when stderr is not a terminal.
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
	}
	if !strings.Contains(stderr, `"msg":"sweep done"`) {
		t.Errorf("no sweep log:\n%s", stderr)
	}

	code, out, _ = runProgram(t, context.Background(), "items", "--store", storeURL, "--format", "json", "--county", "陵川县")
	var items []itemView
	if code != 0 || json.Unmarshal([]byte(out), &items) != nil || len(items) == 0 {
		t.Fatalf("items: %d %.300s", code, out)
	}
	truth := map[string]sim.TruthPage{}
	for _, p := range w.Truth().Pages {
		if p.County == "陵川县" && p.Channel == catalogue.Website && p.Withdrawn.IsZero() {
			truth[srv.URL(p.County, p.URL)] = p
		}
	}
	if len(items) != len(truth) {
		t.Errorf("items lists %d publications of 陵川县, the world has %d", len(items), len(truth))
	}
	for _, it := range items {
		tp, ok := truth[it.URL]
		if !ok || it.Declared != tp.Published.String() || it.County != "陵川县" || it.FirstSeen.IsZero() || it.State != gongkai.Current {
			t.Errorf("item %+v vs truth %+v", it, tp)
		}
	}
}

func TestProgressDrawsPerCountyLines(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, start: time.Now().Add(-10 * time.Second), rows: map[string]*progressRow{}, stop: make(chan struct{}), done: make(chan struct{})}
	p.Event(harvest.Event{Kind: harvest.SweepStarted, County: "泽州县", Source: "s"})
	p.Event(harvest.Event{Kind: harvest.ListPlanned, County: "泽州县", Pages: 9})
	p.Event(harvest.Event{Kind: harvest.Queued, County: "泽州县", Pending: 10})
	for range 5 {
		p.Event(harvest.Event{Kind: harvest.Fetched, County: "泽州县", FetchKind: "detail", Status: 200})
	}
	p.Event(harvest.Event{Kind: harvest.Committed, County: "泽州县", Result: store.BatchResult{New: 4, Changed: 1}})
	p.Event(harvest.Event{Kind: harvest.Failed, County: "泽州县", URL: "http://x", Err: fmt.Errorf("HTTP 503")})
	p.Event(harvest.Event{Kind: harvest.SweepStarted, Source: "国家企业信用信息公示系统"})
	p.draw(false)
	out := b.String()
	if !regexp.MustCompile(`泽州县\s+页面\s+5\s+新增\s+4\s+变更\s+1\s+撤下\s+0\s+错误\s+1\s+预计剩余 \d+s`).MatchString(out) ||
		!strings.Contains(out, "国家企业信用信息公示系统") {
		t.Errorf("progress:\n%q", out)
	}
	b.Reset()
	p.Event(harvest.Event{Kind: harvest.SweepDone, County: "泽州县", Summary: &harvest.Summary{Complete: false}})
	p.draw(true)
	if out := b.String(); !strings.HasPrefix(out, "\x1b[3A") || !strings.Contains(out, "完成（不完整）") {
		t.Errorf("redraw:\n%q", out)
	}
}
