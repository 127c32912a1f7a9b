package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/internal/redistest"
	"gongkai/reports"
)

// TestReportAndServeSameOnRedis: on the shared Redis store, `reporter
// report` and `reporter serve` answer what they answer on SQLite for the
// same world (issue 11). The stamp of when a report was generated is the
// only difference allowed.
func TestReportAndServeSameOnRedis(t *testing.T) {
	redisURL, _ := redistest.URL(t)
	worlds := map[string]*testWorld{"sqlite": newTestWorld(t), "redis": newTestWorldIn(t, redisURL)}
	reported := map[string]any{}
	served := map[string]any{}
	for name, w := range worlds {
		code, stdout, stderr := runReporter(t, "report", "--store", w.storeURL, "--config", w.config, "--as-of", "2020-12-31",
			"--format", "json", "--out", "-")
		if code != 0 {
			t.Fatalf("%s: reporter report: exit %d: %s", name, code, stderr)
		}
		rep, err := reports.ReadJSON(strings.NewReader(stdout))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rep.Findings) != 4 {
			t.Errorf("%s: %d findings, want the world's 4", name, len(rep.Findings))
		}
		rep.GeneratedAt = ""
		reported[name] = rep

		af := auditFlags{storeURL: w.storeURL, configPath: w.config}
		a, err := af.open(context.Background(), io.Discard)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h := newServeHandler(a, "")
		h.now = func() time.Time { return time.Date(2020, 12, 31, 9, 0, 0, 0, calendar.China) }
		srv := httptest.NewServer(h)
		code, _, body := get(t, srv.URL+"/api/report?as_of=2020-12-31&county=泽州县&item=2.1")
		srv.Close()
		a.close()
		if code != 200 {
			t.Fatalf("%s: /api/report: %d %.200s", name, code, body)
		}
		var raw map[string]any
		if err := json.Unmarshal([]byte(body), &raw); err != nil {
			t.Fatalf("%s: /api/report: %v", name, err)
		}
		if fs, _ := raw["findings"].([]any); len(fs) == 0 {
			t.Errorf("%s: /api/report lists no findings: %.200s", name, body)
		}
		delete(raw, "generated_at")
		served[name] = raw
	}
	if !reflect.DeepEqual(reported["sqlite"], reported["redis"]) {
		t.Errorf("reporter report differs between the stores:\nsqlite %+v\nredis  %+v", reported["sqlite"], reported["redis"])
	}
	if !reflect.DeepEqual(served["sqlite"], served["redis"]) {
		t.Errorf("reporter serve's /api/report differs between the stores:\nsqlite %v\nredis  %v", served["sqlite"], served["redis"])
	}
}
