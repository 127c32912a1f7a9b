package main

import (
	"bytes"
	"context"
	"encoding/json"
	"gongkai"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
	"gongkai/reports"
	"gongkai/store"
)

// testWorld is a small audited county: 泽州县 with one penalty column and
// four penalty records — one published on time, one late, one never, one
// not yet due at the end of 2020.
type testWorld struct {
	dir, config, storeURL string
}

const testColumnURL = "http://127.0.0.1:9/xxgk/xzcf/index.shtml"

func newTestWorld(t *testing.T) *testWorld {
	t.Helper()
	return newTestWorldIn(t, "")
}

// newTestWorldIn builds the test world in the store at storeURL ("": a
// fresh SQLite store in the world's directory).
func newTestWorldIn(t *testing.T, storeURL string) *testWorld {
	t.Helper()
	dir := t.TempDir()
	if storeURL == "" {
		storeURL = "sqlite://" + filepath.Join(dir, "gongkai.db")
	}
	w := &testWorld{dir: dir, config: filepath.Join(dir, "sites.yaml"), storeURL: storeURL}
	cfg := `counties:
  - county: 泽州县
    sources:
      - name: zezhou
        preset: trs
        columns:
          - {name: 行政处罚, url: "` + testColumnURL + `", items: ["2.1"]}
`
	if err := os.WriteFile(w.config, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, w.storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	formed := calendar.Of(2020, 3, 2)
	var recs []records.Record
	for _, no := range []string{"泽市监罚〔2020〕1号", "泽市监罚〔2020〕2号", "泽市监罚〔2020〕3号"} {
		recs = append(recs, records.Record{County: "泽州县", Item: "2.1", RecordNo: no, Title: "某超市销售过期食品案",
			FormedOn: formed, Procedure: "简易", Channels: []catalogue.Channel{catalogue.Website}})
	}
	recs = append(recs, records.Record{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕4号", Title: "<script>alert(1)</script>",
		FormedOn: calendar.Of(2020, 12, 20), Procedure: "简易", Channels: []catalogue.Channel{catalogue.Website}})
	if _, err := st.ImportRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	w.sweep(t, time.Date(2020, 6, 1, 2, 0, 0, 0, calendar.China),
		testPenaltyPage("泽市监罚〔2020〕1号", calendar.Of(2020, 3, 10)),
		testPenaltyPage("泽市监罚〔2020〕2号", calendar.Of(2020, 5, 6)))
	return w
}

func testPenaltyPage(no string, declared calendar.Date) gongkai.Publication {
	url := "http://127.0.0.1:9/xxgk/xzcf/" + declared.Time().Format("200601") + "/t" + declared.Time().Format("20060102") + "_" + no[len(no)-4:len(no)-3] + ".shtml"
	return gongkai.Publication{URL: url, County: "泽州县", Channel: catalogue.Website, Source: "zezhou", Column: "行政处罚",
		Candidates: []string{"2.1"}, Title: "行政处罚决定书（" + no + "）", Declared: declared, DeclaredFrom: "list",
		Body:        "案件名称：某超市销售过期食品案。当事人：某超市。处罚时间：2020年3月2日。违法事实：销售过期食品。处罚依据：《食品安全法》第一百二十四条。处罚种类和内容：警告。作出处罚决定部门：泽州县市场监督管理局。",
		ContentHash: "h-" + no, Evidence: "sha256:" + strings.Repeat("ab", 32)}
}

// sweep records one complete sweep of the column at `at` that saw pubs.
func (w *testWorld) sweep(t *testing.T, at time.Time, pubs ...gongkai.Publication) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, w.storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id, err := st.BeginSweep(ctx, gongkai.Sweep{Source: "zezhou", County: "泽州县", Channel: catalogue.Website, Started: at})
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Apply(ctx, store.Batch{SweepID: id, At: at, Publications: pubs,
		Column: &gongkai.ColumnOutcome{Column: "行政处罚", Items: []string{"2.1"}, Complete: true, ListPages: 1, Details: len(pubs), ObservedAt: at}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishSweep(ctx, id, at.Add(time.Minute), false); err != nil {
		t.Fatal(err)
	}
}

// runReporter runs the reporter with args and returns exit code, stdout, stderr.
func runReporter(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := program.Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func statusOf(rep *audit.Report, recordNo string) audit.Status {
	for _, f := range rep.Findings {
		if f.RecordNo == recordNo && f.Channel == string(catalogue.Website) {
			return f.Status
		}
	}
	return ""
}

func TestReportWritesEveryFormatIntoADirectory(t *testing.T) {
	w := newTestWorld(t)
	out := filepath.Join(w.dir, "out")
	code, stdout, stderr := runReporter(t, "report", "--store", w.storeURL, "--config", w.config, "--as-of", "2020年12月31日",
		"--format", "json,html", "--format", "xlsx", "--format", "csv,md", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range reports.Formats {
		p := filepath.Join(out, "report-2020-12-31."+f)
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("%s not written: %v", p, err)
		}
		if !strings.Contains(stdout, p) {
			t.Errorf("stdout does not say where %s is: %s", f, stdout)
		}
	}
	data, _ := os.ReadFile(filepath.Join(out, "report-2020-12-31.json"))
	rep, err := reports.ReadJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]audit.Status{"泽市监罚〔2020〕1号": audit.OnTime, "泽市监罚〔2020〕2号": audit.Late,
		"泽市监罚〔2020〕3号": audit.Missing, "泽市监罚〔2020〕4号": audit.Pending}
	for no, st := range want {
		if got := statusOf(rep, no); got != st {
			t.Errorf("%s: %s, want %s", no, got, st)
		}
	}
	if rep.AsOf != "2020-12-31" {
		t.Errorf("as_of = %q", rep.AsOf)
	}
	html, _ := os.ReadFile(filepath.Join(out, "report-2020-12-31.html"))
	if !bytes.Contains(html, []byte("泽市监罚〔2020〕2号")) || bytes.Contains(html, []byte("<script>alert(1)")) {
		t.Errorf("HTML report wrong")
	}
	xf, err := excelize.OpenFile(filepath.Join(out, "report-2020-12-31.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	if rows, _ := xf.GetRows("逾期"); len(rows) != 2 || rows[1][3] != "泽市监罚〔2020〕2号" {
		t.Errorf("逾期 sheet = %v", rows)
	}
}

func TestReportSingleFileAndStdout(t *testing.T) {
	w := newTestWorld(t)
	p := filepath.Join(w.dir, "r.md")
	if code, _, stderr := runReporter(t, "report", "--store", w.storeURL, "--config", w.config, "--as-of", "2020-12-31", "--format", "md", "--out", p); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if md, _ := os.ReadFile(p); !strings.Contains(string(md), "| 泽州县 |") {
		t.Errorf("markdown report lacks the county:\n%s", md)
	}
	code, stdout, stderr := runReporter(t, "report", "--store", w.storeURL, "--config", w.config, "--as-of", "2020-12-31",
		"--county", "140525", "--item", "2.1", "--format", "json", "--out", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(stdout), &raw); err != nil || raw["as_of"] != "2020-12-31" {
		t.Errorf("stdout is not the JSON report: %v %.200s", err, stdout)
	}
}

func TestReportBadArgumentsExitTwoWithOneChineseLine(t *testing.T) {
	w := newTestWorld(t)
	base := []string{"report", "--store", w.storeURL, "--config", w.config}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "json", "--out", "x"}, "缺少 --as-of"},
		{[]string{"--as-of", "2020-13-45", "--format", "json", "--out", "x"}, "不是有效日期"},
		{[]string{"--as-of", "2020-12-31", "--format", "pdf", "--out", "x"}, "不支持的报告格式"},
		{[]string{"--as-of", "2020-12-31", "--out", "x"}, "缺少 --format"},
		{[]string{"--as-of", "2020-12-31", "--format", "json"}, "缺少 --out"},
		{[]string{"--as-of", "2020-12-31", "--format", "json", "--out", "x", "--county", "朝阳区"}, "未知县区"},
		{[]string{"--as-of", "2020-12-31", "--format", "json", "--out", "x", "--item", "9.9"}, "未知目录事项"},
		{[]string{"--as-of", "2020-12-31", "--format", "json", "--out", "x", "--from", "2020-06-01", "--to", "2020-05-01"}, "早于"},
		{[]string{"--as-of", "2020-12-31", "--format", "json,html", "--out", "-"}, "标准输出"},
		{[]string{"--as-of", "2020-12-31", "--format", "json", "--out", "x", "stray"}, "多余的参数"},
	} {
		code, stdout, stderr := runReporter(t, append(slices.Clone(base), tc.args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", tc.args, code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if !strings.Contains(lines[len(lines)-1], tc.want) || stdout != "" {
			t.Errorf("%v: stderr %q, want a line with %q", tc.args, stderr, tc.want)
		}
	}
	if code, _, stderr := runReporter(t, "report", "--as-of", "2020-12-31", "--format", "json", "--out", "x"); code != 2 || !strings.Contains(stderr, "缺少 --config") {
		t.Errorf("missing --config: exit %d %q", code, stderr)
	}
	// An unreadable config or a store that does not exist is a failure (1).
	if code, _, stderr := runReporter(t, "report", "--config", filepath.Join(w.dir, "nope.yaml"), "--as-of", "2020-12-31", "--format", "json", "--out", "x"); code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("missing config: exit %d %q", code, stderr)
	}
	if code, _, stderr := runReporter(t, "report", "--store", "sqlite://"+filepath.Join(w.dir, "typo.db"), "--config", w.config, "--as-of", "2020-12-31", "--format", "json", "--out", "x"); code != 1 || !strings.Contains(stderr, "不存在") {
		t.Errorf("missing store: exit %d %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "typo.db")); err == nil {
		t.Errorf("a mistyped store path created an empty database")
	}
}
