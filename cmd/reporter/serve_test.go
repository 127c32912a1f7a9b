package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/audit"
	"gongkai/calendar"
)

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	w := newTestWorld(t)
	af := auditFlags{storeURL: w.storeURL, configPath: w.config}
	a, err := af.open(context.Background(), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	h := newServeHandler(a, "")
	h.now = func() time.Time { return time.Date(2020, 12, 31, 9, 0, 0, 0, calendar.China) }
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

func TestServeReportFindingsAndHealth(t *testing.T) {
	srv := newTestServer(t)

	code, hdr, body := get(t, srv.URL+"/")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !strings.Contains(body, "截至 2020-06-01") {
		// the default as-of is the last complete sweep's day, not today (issue 10)
		t.Errorf("/: %d %s %.200s", code, hdr.Get("Content-Type"), body)
	}
	code, _, body = get(t, srv.URL+"/?as_of=2020年6月3日")
	if code != 200 || !strings.Contains(body, "截至 2020-06-03") {
		t.Errorf("/?as_of: %d", code)
	}

	code, hdr, body = get(t, srv.URL+"/api/report?as_of=2020-12-31&county=泽州县&item=2.1")
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
		t.Fatalf("/api/report: %d %s", code, body)
	}
	var rep audit.Report
	if err := json.Unmarshal([]byte(body), &rep); err != nil || rep.AsOf != "2020-12-31" || len(rep.Findings) != 4 {
		t.Errorf("/api/report: %v %+v", err, rep)
	}

	code, _, body = get(t, srv.URL+"/api/findings?as_of=2020-12-31&status=late&item=2")
	var found []audit.Finding
	if err := json.Unmarshal([]byte(body), &found); code != 200 || err != nil || len(found) != 1 || found[0].RecordNo != "泽市监罚〔2020〕2号" {
		t.Errorf("/api/findings: %d %v %s", code, err, body)
	}
	code, _, body = get(t, srv.URL+"/api/findings?as_of=2020-12-31&status=pending&year=2020")
	if json.Unmarshal([]byte(body), &found); code != 200 || len(found) != 1 {
		t.Errorf("/api/findings pending: %d %s", code, body)
	}

	code, hdr, _ = get(t, srv.URL+"/report.xlsx?as_of=2020-12-31")
	if code != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "report-2020-12-31.xlsx") {
		t.Errorf("/report.xlsx: %d %v", code, hdr)
	}

	for _, bad := range []string{"/api/report?as_of=昨天", "/api/findings?status=lat", "/api/report?county=朝阳区", "/api/report?item=9.9", "/api/findings?channel=微博"} {
		code, _, body = get(t, srv.URL+bad)
		var e map[string]string
		if json.Unmarshal([]byte(body), &e); code != 400 || e["error"] == "" {
			t.Errorf("%s: %d %s", bad, code, body)
		}
	}
	if code, _, _ = get(t, srv.URL+"/report.pdf"); code != 404 {
		t.Errorf("/report.pdf: %d", code)
	}
	code, _, body = get(t, srv.URL+"/healthz")
	if code != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("/healthz: %d %s", code, body)
	}
}

// lockedBuffer is a bytes.Buffer safe for the server goroutine and the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeCommandListensAndStopsOnCancel(t *testing.T) {
	w := newTestWorld(t)
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- program.Run(ctx, []string{"serve", "--store", w.storeURL, "--config", w.config, "--addr", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	var base string
	for i := 0; i < 200 && base == ""; i++ {
		if _, after, ok := strings.Cut(stdout.String(), "http://"); ok {
			base = "http://" + strings.TrimSpace(after)
			base = strings.TrimSuffix(base, "/")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" {
		cancel()
		t.Fatalf("server did not start: %s %s", stdout.String(), stderr.String())
	}
	if code, _, body := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz: %d %s", code, body)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if code, _, stderr := runReporter(t, "serve", "--store", w.storeURL, "--config", w.config, "--county", "泽州县"); code != 2 || !strings.Contains(stderr, "请求参数") {
		t.Errorf("serve --county: %d %s", code, stderr)
	}
}
