package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"gongkai/internal/texttable"
	"strings"
	"testing"

	"gongkai/audit"
)

func TestQueryLatePenaltiesOfACountyThisYear(t *testing.T) {
	w := newTestWorld(t)
	code, stdout, stderr := runReporter(t, "query", "--store", w.storeURL, "--config", w.config, "--as-of", "2020-12-31",
		"--county", "泽州", "--item", "2", "--status", "逾期", "--year", "2020")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 4 { // header, rule, one row, summary
		t.Fatalf("table:\n%s", stdout)
	}
	if !strings.Contains(lines[2], "泽市监罚〔2020〕2号") || !strings.Contains(lines[2], "逾期公开") || lines[3] != "共 1 条：逾期公开 1" {
		t.Errorf("table:\n%s", stdout)
	}
	// Columns line up in display width: the 状态 column starts at the same
	// terminal column in the header and the row.
	at := func(line, cell string) int { return texttable.Width(line[:strings.Index(line, cell)]) }
	if at(lines[0], "状态") != at(lines[2], "逾期公开") {
		t.Errorf("状态 column misaligned:\n%s", stdout)
	}
}

func TestQueryJSONAndCSV(t *testing.T) {
	w := newTestWorld(t)
	code, stdout, stderr := runReporter(t, "query", "--store", w.storeURL, "--config", w.config, "--as-of", "2020-12-31",
		"--status", "late,missing", "--channel", "网站", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var found []audit.Finding
	if err := json.Unmarshal([]byte(stdout), &found); err != nil {
		t.Fatal(err)
	}
	if len(found) != 2 || found[0].Status == found[1].Status {
		t.Errorf("late,missing = %+v", found)
	}
	var raw []map[string]any
	json.Unmarshal([]byte(stdout), &raw)
	if raw[0]["record_no"] == nil || raw[0]["formed_on"] == nil {
		t.Errorf("JSON does not use the contract names: %v", raw[0])
	}

	code, stdout, _ = runReporter(t, "query", "--store", w.storeURL, "--config", w.config, "--as-of", "2020-12-31", "--format", "csv", "--status", "flagged")
	if code != 0 || !strings.HasPrefix(stdout, "\uFEFF") {
		t.Fatalf("csv: exit %d %q", code, stdout)
	}
	rows, err := csv.NewReader(bytes.NewReader([]byte(strings.TrimPrefix(stdout, "\uFEFF")))).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "县区" {
		t.Errorf("csv rows = %v, %v", rows, err)
	}

	code, stdout, _ = runReporter(t, "query", "--store", w.storeURL, "--config", w.config, "--as-of", "2020-12-31", "--status", "ontime", "--format", "json")
	if code != 0 || !strings.Contains(stdout, "泽市监罚〔2020〕1号") || strings.Contains(stdout, "2号") {
		t.Errorf("ontime query: %d %s", code, stdout)
	}
	code, stdout, _ = runReporter(t, "query", "--store", w.storeURL, "--config", w.config, "--as-of", "2020-12-31", "--channel", "信用", "--format", "json")
	if code != 0 || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("credit-channel query should be empty: %d %s", code, stdout)
	}
}

func TestQueryBadFilters(t *testing.T) {
	w := newTestWorld(t)
	base := []string{"query", "--store", w.storeURL, "--config", w.config}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--status", "lat"}, "未知状态"},
		{[]string{"--channel", "微博"}, "未知渠道"},
		{[]string{"--item", "4"}, "未知目录事项"},
		{[]string{"--format", "xml"}, "不支持的输出格式"},
		{[]string{"--year", "2020", "--from", "2020-01-01"}, "不能与"},
	} {
		code, _, stderr := runReporter(t, append(append([]string{}, base...), tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d %q", tc.args, code, stderr)
		}
	}
}
