package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/reports"
)

func TestScheduleOnceWritesWeeksAndWhatChanged(t *testing.T) {
	w := newTestWorld(t)
	out := filepath.Join(w.dir, "weekly")
	code, stdout, stderr := runReporter(t, "schedule", "--store", w.storeURL, "--config", w.config, "--out", out, "--once", "--as-of", "2020-06-03")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	week1 := filepath.Join(out, "2020-W23")
	for _, f := range []string{"report.html", "report.xlsx", "report.json", "changes.json", "变化.md"} {
		if _, err := os.Stat(filepath.Join(week1, f)); err != nil {
			t.Errorf("week 1: %s missing", f)
		}
	}
	if !strings.Contains(stdout, "首次报告") {
		t.Errorf("stdout: %s", stdout)
	}

	// A week later the county published the missing decision, late.
	w.sweep(t, time.Date(2020, 6, 9, 2, 0, 0, 0, calendar.China),
		testPenaltyPage("泽市监罚〔2020〕1号", calendar.Of(2020, 3, 10)),
		testPenaltyPage("泽市监罚〔2020〕2号", calendar.Of(2020, 5, 6)),
		testPenaltyPage("泽市监罚〔2020〕3号", calendar.Of(2020, 6, 8)))
	code, stdout, stderr = runReporter(t, "schedule", "--store", w.storeURL, "--config", w.config, "--out", out, "--once", "--as-of", "2020-06-10", "--format", "md")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	week2 := filepath.Join(out, "2020-W24")
	if _, err := os.Stat(filepath.Join(week2, "report.md")); err != nil {
		t.Errorf("week 2 markdown missing")
	}
	if _, err := os.Stat(filepath.Join(week2, "report.json")); err != nil {
		t.Errorf("week 2 json missing: it is always written for next week's comparison")
	}
	if !strings.Contains(stdout, "与 2020-W23 相比") {
		t.Errorf("stdout: %s", stdout)
	}
	data, _ := os.ReadFile(filepath.Join(week2, "changes.json"))
	var c reports.Changes
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if c.Previous != "2020-06-03" || c.Current != "2020-06-10" || len(c.Changed) != 1 || c.Changed[0].RecordNo != "泽市监罚〔2020〕3号" {
		t.Errorf("changes = %+v", c)
	}
	md, _ := os.ReadFile(filepath.Join(week2, "变化.md"))
	if !strings.Contains(string(md), "由未公开变为逾期公开") {
		t.Errorf("变化.md:\n%s", md)
	}
	// Column health changes have their section (none this week: the
	// penalty column is a catalogue column with six months' allowance).
	if c.Columns == nil || len(c.Columns) != 0 || !strings.Contains(string(md), "## 栏目健康变化（0 项）") || !strings.Contains(stdout, "栏目健康变化 0") {
		t.Errorf("column changes %+v; stdout %s; 变化.md:\n%s", c.Columns, stdout, md)
	}
}

func TestScheduleArguments(t *testing.T) {
	w := newTestWorld(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--once"}, "缺少 --out"},
		{[]string{"--out", "x", "--weekday", "8"}, "--weekday"},
		{[]string{"--out", "x", "--at", "25:00"}, "HH:MM"},
		{[]string{"--out", "x", "--as-of", "2020-06-03"}, "--once"},
	} {
		code, _, stderr := runReporter(t, append([]string{"schedule", "--store", w.storeURL, "--config", w.config}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d %q", tc.args, code, stderr)
		}
	}
}

func TestNextRunAndWeekDirectory(t *testing.T) {
	cst := calendar.China
	monday8 := time.Date(2020, 6, 8, 8, 0, 0, 0, cst)
	for _, tc := range []struct {
		now  time.Time
		want time.Time
	}{
		{time.Date(2020, 6, 3, 12, 0, 0, 0, cst), monday8},                                // Wednesday → next Monday
		{time.Date(2020, 6, 8, 7, 59, 0, 0, cst), monday8},                                // Monday before 08:00 → today
		{monday8, monday8.AddDate(0, 0, 7)},                                               // exactly at 08:00 → next week
		{time.Date(2020, 6, 8, 9, 0, 0, 0, cst), time.Date(2020, 6, 15, 8, 0, 0, 0, cst)}, // Monday after → next week
	} {
		if got := nextRun(tc.now, time.Monday, 8, 0); !got.Equal(tc.want) {
			t.Errorf("nextRun(%s) = %s, want %s", tc.now, got, tc.want)
		}
	}
	if got := nextRun(time.Date(2020, 6, 3, 12, 0, 0, 0, cst), time.Sunday, 23, 30); !got.Equal(time.Date(2020, 6, 7, 23, 30, 0, 0, cst)) {
		t.Errorf("Sunday run = %s", got)
	}
	for d, want := range map[calendar.Date]string{
		calendar.Of(2020, 12, 31): "2020-W53",
		calendar.Of(2021, 1, 3):   "2020-W53",
		calendar.Of(2021, 1, 4):   "2021-W01",
		calendar.Of(2019, 12, 30): "2020-W01",
	} {
		if got := isoWeekDir(d); got != want {
			t.Errorf("isoWeekDir(%s) = %s, want %s", d, got, want)
		}
	}
}
