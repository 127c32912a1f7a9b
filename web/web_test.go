package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongkai/audit"
	"gongkai/store"
	_ "gongkai/store/sqlite"
)

// emptyEnv is an Env over an empty store with the default catalogue.
type emptyEnv struct{ st store.Store }

func (e emptyEnv) Store() store.Store { return e.st }
func (e emptyEnv) Options(s Scope) (audit.Options, error) {
	return audit.Options{AsOf: s.AsOf, County: s.County, Item: s.Item}, nil
}
func (e emptyEnv) ExpandItems(spec string) ([]string, error) { return split(spec), nil }
func (e emptyEnv) Counties() []string                        { return nil }
func (e emptyEnv) ItemCodes() []string                       { return nil }
func (e emptyEnv) ColumnURL(county, column string) string    { return "" }

func newEmpty(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := New(emptyEnv{st}, Options{Capacity: 1})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func fetchURL(t *testing.T, u string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// Beyond the audit's capacity a request that needs a new audit gets 503 at
// once (a Chinese page, or JSON under /api/) instead of waiting in a queue.
func TestBusyAnswers503AtOnce(t *testing.T) {
	s, srv := newEmpty(t)
	s.sem <- struct{}{} // every audit slot taken
	start := time.Now()
	code, hdr, body := fetchURL(t, srv.URL+"/?as_of=2020-12-31")
	if code != 503 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") || !strings.Contains(body, "核查任务已满") || hdr.Get("Retry-After") == "" {
		t.Errorf("busy page: %d %v %s", code, hdr, body)
	}
	code, hdr, body = fetchURL(t, srv.URL+"/api/view?as_of=2020-12-31")
	var e map[string]string
	if json.Unmarshal([]byte(body), &e); code != 503 || !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") || e["error"] == "" {
		t.Errorf("busy api: %d %s", code, body)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("503 took %v", d)
	}
	<-s.sem
	if code, _, body := fetchURL(t, srv.URL+"/?as_of=2020-12-31"); code != 200 {
		t.Errorf("after the slot is free: %d %s", code, body)
	}
	if s.Builds() != 2 { // the view and the week before it
		t.Errorf("builds: %d", s.Builds())
	}
}

func TestSecurityHeadersAndNotFound(t *testing.T) {
	_, srv := newEmpty(t)
	code, hdr, body := fetchURL(t, srv.URL+"/nowhere")
	if code != 404 || !strings.Contains(body, "页面不存在") {
		t.Errorf("404 page: %d %s", code, body)
	}
	for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if hdr.Get(k) != want {
			t.Errorf("%s = %q", k, hdr.Get(k))
		}
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if _, hdr, _ := fetchURL(t, srv.URL+"/evidence/x"); !strings.Contains(hdr.Get("Content-Security-Policy"), "script-src 'none'") {
		t.Errorf("evidence CSP %q", hdr.Get("Content-Security-Policy"))
	}
	if code, hdr, _ := fetchURL(t, srv.URL+"/assets/style.css"); code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/css") {
		t.Errorf("embedded stylesheet: %d %v", code, hdr)
	}
	if code, _, body := fetchURL(t, srv.URL+"/api/nothing"); code != 404 || !strings.Contains(body, `"error"`) {
		t.Errorf("api 404: %d %s", code, body)
	}
}
