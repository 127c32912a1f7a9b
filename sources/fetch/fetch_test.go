package fetch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"gongkai/sources/config"
)

func fastHarvest() config.Harvest {
	h := config.DefaultHarvest()
	h.Delay = 0
	h.RetryWait = 5 * time.Millisecond
	h.RetryWaitMax = 20 * time.Millisecond
	h.Timeout = 5 * time.Second
	return h
}

func hostOf(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

func newFetcher(t *testing.T, h config.Harvest, srv ...*httptest.Server) *Fetcher {
	t.Helper()
	var hosts []string
	for _, s := range srv {
		hosts = append(hosts, hostOf(t, s.URL))
	}
	f, err := New(h, hosts)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func get(t *testing.T, f *Fetcher, u string) *Response {
	t.Helper()
	resp, err := f.Fetch(context.Background(), Request{URL: u, Kind: KindList})
	if err != nil {
		t.Fatalf("Fetch(%s): %v", u, err)
	}
	return resp
}

func TestRetriesServerErrorsThenSucceeds(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "<html><body>好</body></html>")
	}))
	defer srv.Close()
	resp := get(t, newFetcher(t, fastHarvest(), srv), srv.URL+"/a")
	if resp.Status != 200 || hits.Load() != 3 || !strings.Contains(resp.HTML, "好") {
		t.Fatalf("status %d after %d hits, html %q", resp.Status, hits.Load(), resp.HTML)
	}
}

func TestFinalServerErrorIsAResponse(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "broken", http.StatusInternalServerError)
	}))
	defer srv.Close()
	h := fastHarvest()
	h.Retries = 2
	resp := get(t, newFetcher(t, h, srv), srv.URL+"/a")
	if resp.Status != 500 || hits.Load() != 3 {
		t.Fatalf("status %d, hits %d; want 500 after 3 attempts", resp.Status, hits.Load())
	}
	if resp.Capture.Type != "response" || resp.Capture.Status != 500 {
		t.Errorf("a failed answer is still evidence: %+v", resp.Capture)
	}
}

func TestChallengeStatusesAreNotRetried(t *testing.T) {
	for _, code := range []int{521, 412} {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			http.SetCookie(w, &http.Cookie{Name: "__jsluid_h", Value: "x"})
			w.WriteHeader(code)
			fmt.Fprint(w, `<script>document.cookie="__jsl_clearance_s=1";location.href=location.pathname</script>`)
		}))
		resp := get(t, newFetcher(t, fastHarvest(), srv), srv.URL+"/")
		srv.Close()
		if resp.Status != code || !resp.Challenge || hits.Load() != 1 {
			t.Errorf("%d: status %d challenge %v hits %d", code, resp.Status, resp.Challenge, hits.Load())
		}
	}
}

func TestChallengePageWith200(t *testing.T) {
	body := []byte(`<html><script>document.cookie=('_')+('_jsl_clearance_s=17')+';path=/';location.href=location.pathname+location.search</script></html>`)
	if !LooksLikeChallenge(200, body) {
		t.Error("cookie-and-reload page not recognised")
	}
	if LooksLikeChallenge(200, []byte(`<html><body><a href="/x">行政处罚</a><script>document.cookie="a=1"</script></body></html>`)) {
		t.Error("a normal page with a cookie script is not a challenge")
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	start := time.Now()
	resp := get(t, newFetcher(t, fastHarvest(), srv), srv.URL+"/")
	if el := time.Since(start); resp.Status != 200 || el < time.Second {
		t.Fatalf("status %d after %v; want 200 after waiting ≥1s", resp.Status, el)
	}
}

func TestRetryAfterCapped(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	h := fastHarvest()
	h.RetryAfterCap = 200 * time.Millisecond
	start := time.Now()
	resp := get(t, newFetcher(t, h, srv), srv.URL+"/")
	el := time.Since(start)
	if resp.Status != 200 || el < 200*time.Millisecond || el > 3*time.Second {
		t.Fatalf("status %d after %v; want 200 after about the 200ms cap", resp.Status, el)
	}
}

// A host that says "wait" makes every caller wait, not only the one that
// was told (the Retry-After is honoured for the host).
func TestRetryAfterHoldsTheHost(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	h := fastHarvest()
	h.Retries = 0
	f := newFetcher(t, h, srv)
	if r := get(t, f, srv.URL+"/1"); r.Status != 429 {
		t.Fatalf("first status %d", r.Status)
	}
	start := time.Now()
	if r := get(t, f, srv.URL+"/2"); r.Status != 200 {
		t.Fatalf("second status %d", r.Status)
	}
	if el := time.Since(start); el < 800*time.Millisecond {
		t.Fatalf("second request went after %v; the host asked for 1s", el)
	}
}

func TestOneRequestInFlightPerHostWithDelay(t *testing.T) {
	var inFlight, maxInFlight atomic.Int32
	var mu sync.Mutex
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		inFlight.Add(-1)
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	h := fastHarvest()
	h.Delay = 50 * time.Millisecond
	f := newFetcher(t, h, srv)
	// Two fetchers sharing the politeness (siblings) and four callers.
	g := f.WithHosts(f.Hosts())
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ff := f
			if i%2 == 1 {
				ff = g
			}
			if _, err := ff.Fetch(context.Background(), Request{URL: fmt.Sprintf("%s/%d", srv.URL, i)}); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if maxInFlight.Load() != 1 {
		t.Errorf("max in flight %d, want 1", maxInFlight.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < 60*time.Millisecond {
			t.Errorf("gap %d = %v; want ≥ request time + 50ms delay", i, gap)
		}
	}
}

func TestPerHostAllowsConfiguredParallelism(t *testing.T) {
	var inFlight, maxInFlight atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		if n > maxInFlight.Load() {
			maxInFlight.Store(n)
		}
		<-release
		inFlight.Add(-1)
	}))
	defer srv.Close()
	h := fastHarvest()
	h.PerHost = 2
	f := newFetcher(t, h, srv)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); f.Fetch(context.Background(), Request{URL: srv.URL}) }()
	}
	time.Sleep(200 * time.Millisecond)
	close(release)
	wg.Wait()
	if maxInFlight.Load() != 2 {
		t.Errorf("max in flight %d, want 2", maxInFlight.Load())
	}
}

func TestRedirects(t *testing.T) {
	var outsideHits atomic.Int32
	outside := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		outsideHits.Add(1)
		fmt.Fprint(w, "outside")
	}))
	defer outside.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, outside.URL+"/trap", http.StatusFound)
		case "/moved":
			http.Redirect(w, r, "/here", http.StatusMovedPermanently)
		case "/here":
			fmt.Fprint(w, "here")
		}
	}))
	defer srv.Close()
	f := newFetcher(t, fastHarvest(), srv)
	_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/away"})
	if !errors.Is(err, ErrOffScope) || outsideHits.Load() != 0 {
		t.Fatalf("off-scope redirect: err %v, outside hits %d", err, outsideHits.Load())
	}
	resp := get(t, f, srv.URL+"/moved")
	if resp.FinalURL != srv.URL+"/here" || string(resp.Body) != "here" || resp.Capture.URL != srv.URL+"/here" {
		t.Fatalf("in-scope redirect: final %s body %q", resp.FinalURL, resp.Body)
	}
	if _, err := f.Fetch(context.Background(), Request{URL: outside.URL + "/x"}); !errors.Is(err, ErrOffScope) {
		t.Fatalf("off-scope request: %v", err)
	}
}

func TestBodyCap(t *testing.T) {
	big := strings.Repeat("x", 4096)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			for i := 0; i < 4; i++ {
				io.WriteString(w, big[:1024])
				w.(http.Flusher).Flush()
			}
			return
		}
		if r.URL.Path == "/small" {
			io.WriteString(w, big[:1000])
			return
		}
		w.Header().Set("Content-Length", "4096")
		io.WriteString(w, big)
	}))
	defer srv.Close()
	h := fastHarvest()
	h.MaxBody = 1024
	f := newFetcher(t, h, srv)
	for _, p := range []string{"/declared", "/chunked"} {
		if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + p}); !errors.Is(err, ErrBodyTooLarge) {
			t.Errorf("%s: err %v, want ErrBodyTooLarge", p, err)
		}
	}
	if r := get(t, f, srv.URL+"/small"); len(r.Body) != 1000 {
		t.Errorf("body under the cap cut: %d", len(r.Body))
	}
}

func TestNotFoundAndNoContentAreResponses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/204":
			w.WriteHeader(http.StatusNoContent)
		case "/206":
			w.Header().Set("Content-Range", "bytes 0-1/10")
			w.WriteHeader(http.StatusPartialContent)
			io.WriteString(w, "ab")
		default:
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, "<html><body>页面不存在</body></html>")
		}
	}))
	defer srv.Close()
	f := newFetcher(t, fastHarvest(), srv)
	for path, code := range map[string]int{"/204": 204, "/206": 206, "/gone": 404} {
		if r := get(t, f, srv.URL+path); r.Status != code {
			t.Errorf("%s: status %d", path, r.Status)
		}
	}
}

func TestConditionalGetAndRevisits(t *testing.T) {
	const page = "<html><head><meta charset=utf-8></head><body>行政处罚决定书</body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 03 Aug 2020 08:00:00 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	defer srv.Close()
	f := newFetcher(t, fastHarvest(), srv)
	first := get(t, f, srv.URL+"/p")
	if first.Capture.Type != "response" || first.Digest != PayloadDigest([]byte(page)) {
		t.Fatalf("first capture %+v digest %s", first.Capture, first.Digest)
	}
	// Conditional GET: 304, recorded as a server-not-modified revisit.
	second, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/p", ETag: first.Header.Get("ETag"),
		PrevDigest: first.Digest, PrevCaptureID: first.Capture.ID, PrevCaptureAt: first.FetchedAt})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Status != 304 || second.Capture.Type != "revisit" || second.Digest != first.Digest {
		t.Fatalf("304: %+v / capture %+v", second, second.Capture)
	}
	rec := readBack(t, second.Capture.WARC)
	if rec.header("WARC-Profile") != gowarc.ProfileServerNotModifiedV1_1 || rec.header("WARC-Refers-To") != first.Capture.ID {
		t.Errorf("304 revisit headers: %v", rec.headers)
	}
	// Unconditional refetch with the same payload: identical-payload revisit.
	third, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/p", PrevDigest: first.Digest, PrevCaptureID: first.Capture.ID})
	if err != nil {
		t.Fatal(err)
	}
	if third.NotModified || third.Capture.Type != "revisit" || third.Capture.PayloadDigest != first.Digest || string(third.Body) != page {
		t.Fatalf("identical payload: %+v", third.Capture)
	}
	rec = readBack(t, third.Capture.WARC)
	if rec.header("WARC-Profile") != gowarc.ProfileIdenticalPayloadDigestV1_1 || rec.header("WARC-Payload-Digest") != first.Digest {
		t.Errorf("revisit headers: %v", rec.headers)
	}
	// A changed payload is a full response again.
	fourth, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/p", PrevDigest: "sha256:00"})
	if err != nil || fourth.Capture.Type != "response" {
		t.Fatalf("changed payload: %v %+v", err, fourth.Capture)
	}
}

type readRecord struct {
	headers map[string]string
	block   []byte
}

func (r readRecord) header(k string) string { return r.headers[k] }

// readBack checks a capture the way an archive reader would: exactly one
// gzip member, gowarc strict validation with digests, and the digests
// recomputed independently.
func readBack(t *testing.T, data []byte) readRecord {
	t.Helper()
	// Exactly one gzip member.
	br := bytes.NewReader(data)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if err := zr.Reset(br); err != io.EOF {
		t.Fatalf("more than one gzip member in a capture (%v)", err)
	}
	u := gowarc.NewUnmarshaler(gowarc.WithStrictValidation())
	rec, off, validation, err := u.Unmarshal(bufio.NewReader(bytes.NewReader(data)))
	if err != nil || off != 0 || len(validation) > 0 {
		t.Fatalf("gowarc strict read: err %v off %d validation %v", err, off, validation)
	}
	if v, err := rec.ValidateDigest(); err != nil || len(v) > 0 {
		t.Fatalf("gowarc digest validation: %v %v", err, v)
	}
	rec.Close()

	// Independent parse: header block, then Content-Length bytes, then CRLFCRLF.
	head, rest, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok || !bytes.HasPrefix(head, []byte("WARC/1.1\r\n")) {
		t.Fatalf("bad record head: %q", head)
	}
	hdr := map[string]string{}
	for _, line := range strings.Split(string(head), "\r\n")[1:] {
		k, v, _ := strings.Cut(line, ":")
		hdr[k] = strings.TrimSpace(v)
	}
	var n int
	fmt.Sscan(hdr["Content-Length"], &n)
	if len(rest) != n+4 || !bytes.HasSuffix(rest, []byte("\r\n\r\n")) {
		t.Fatalf("content length %d, block+end %d", n, len(rest))
	}
	block := rest[:n]
	sum := sha256.Sum256(block)
	if want := "sha256:" + hex.EncodeToString(sum[:]); hdr["WARC-Block-Digest"] != want {
		t.Errorf("block digest %s, recomputed %s", hdr["WARC-Block-Digest"], want)
	}
	if hdr["WARC-Type"] == "response" {
		_, payload, _ := bytes.Cut(block, []byte("\r\n\r\n"))
		if got := PayloadDigest(payload); hdr["WARC-Payload-Digest"] != got {
			t.Errorf("payload digest %s, recomputed %s", hdr["WARC-Payload-Digest"], got)
		}
	}
	for _, k := range []string{"WARC-Record-ID", "WARC-Date", "WARC-Target-URI", "WARC-Type"} {
		if hdr[k] == "" && !(k == "WARC-Target-URI" && hdr["WARC-Type"] == "warcinfo") { // a warcinfo describes the file, not a resource
			t.Errorf("missing %s", k)
		}
	}
	if !strings.HasPrefix(hdr["WARC-Record-ID"], "<urn:uuid:") {
		t.Errorf("record id %q", hdr["WARC-Record-ID"])
	}
	if _, err := time.Parse(time.RFC3339, hdr["WARC-Date"]); err != nil {
		t.Errorf("WARC-Date %q: %v", hdr["WARC-Date"], err)
	}
	return readRecord{headers: hdr, block: block}
}

func TestWARCResponseRecord(t *testing.T) {
	page := "<html><body>泽市监罚〔2020〕12号</body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	}))
	defer srv.Close()
	resp := get(t, newFetcher(t, fastHarvest(), srv), srv.URL+"/t20200805_1.shtml")
	rec := readBack(t, resp.Capture.WARC)
	if rec.header("WARC-Type") != "response" || rec.header("WARC-Target-URI") != srv.URL+"/t20200805_1.shtml" ||
		rec.header("Content-Type") != "application/http;msgtype=response" {
		t.Errorf("headers: %v", rec.headers)
	}
	if !bytes.HasPrefix(rec.block, []byte("HTTP/1.1 200 OK\r\n")) || !bytes.HasSuffix(rec.block, []byte(page)) {
		t.Errorf("block: %q", rec.block)
	}
	if resp.Capture.ID != rec.header("WARC-Record-ID") || resp.Capture.PayloadDigest != PayloadDigest([]byte(page)) || resp.Capture.Status != 200 {
		t.Errorf("capture: %+v", resp.Capture)
	}
}

// Two captures concatenated are two members with distinct, increasing
// offsets — what a WARC file writer downstream will rely on.
func TestCapturesConcatenateIntoAWARCFile(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.URL.Path) }))
	defer srv.Close()
	f := newFetcher(t, fastHarvest(), srv)
	a, b := get(t, f, srv.URL+"/a"), get(t, f, srv.URL+"/b")
	file := append(append([]byte{}, a.Capture.WARC...), b.Capture.WARC...)
	rd, err := gowarc.NewWarcFileReaderFromStream(bytes.NewReader(file), 0, gowarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	var offsets []int64
	for {
		r, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Validation) > 0 {
			t.Errorf("validation: %v", r.Validation)
		}
		offsets = append(offsets, r.Offset)
		r.WarcRecord.Close()
	}
	if len(offsets) != 2 || offsets[0] != 0 || offsets[1] != int64(len(a.Capture.WARC)) {
		t.Fatalf("offsets %v (first member %d bytes)", offsets, len(a.Capture.WARC))
	}
}

func TestTransportFailuresRetriedThenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var accepts atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepts.Add(1)
			c.Close() // reset before any answer
		}
	}()
	defer ln.Close()
	h := fastHarvest()
	h.Retries = 2
	f, _ := New(h, []string{ln.Addr().String()})
	_, err = f.Fetch(context.Background(), Request{URL: "http://" + ln.Addr().String() + "/"})
	if err == nil || accepts.Load() != 3 {
		t.Fatalf("err %v after %d connections; want an error after 3", err, accepts.Load())
	}
}

func TestResetMidBodyIsRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Content-Length", "1000")
			io.WriteString(w, "partial")
			w.(http.Flusher).Flush()
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		io.WriteString(w, "complete")
	}))
	defer srv.Close()
	resp := get(t, newFetcher(t, fastHarvest(), srv), srv.URL+"/")
	if string(resp.Body) != "complete" || hits.Load() != 2 {
		t.Fatalf("body %q after %d hits", resp.Body, hits.Load())
	}
}

func TestContextCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := newFetcher(t, fastHarvest(), srv).Fetch(ctx, Request{URL: srv.URL})
	if err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
}

func TestPostFormCookiesAndGzip(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		c, _ := r.Cookie("__jsl_clearance_s")
		got := fmt.Sprintf("%s col=%s start=%s cookie=%v", r.Method, r.PostForm.Get("col"), r.URL.Query().Get("startrecord"), c != nil && c.Value == "abc")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, got)
		zw.Close()
	}))
	defer srv.Close()
	f := newFetcher(t, fastHarvest(), srv)
	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/module/web/jpage/dataproxy.jsp?startrecord=46",
		Form: url.Values{"col": {"1"}}, Cookies: map[string]string{"__jsl_clearance_s": "abc"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.HTML != "POST col=1 start=46 cookie=true" {
		t.Fatalf("got %q", resp.HTML)
	}
	rec := readBack(t, resp.Capture.WARC)
	if !bytes.Contains(rec.block, []byte("Content-Encoding: gzip")) {
		t.Error("the WARC record must keep the bytes as transferred")
	}
}

func TestWARCEdgeCases(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/empty" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("X-Odd", "a\tb")
		io.WriteString(w, "same")
	}))
	defer srv.Close()
	f := newFetcher(t, fastHarvest(), srv)
	for _, req := range []Request{
		{URL: srv.URL + "/empty"},
		{URL: srv.URL + "/附件/行政处罚.pdf?name=泽州"},
		// A revisit whose original record is unknown: no WARC-Refers-To.
		{URL: srv.URL + "/p", PrevDigest: PayloadDigest([]byte("same"))},
	} {
		resp, err := f.Fetch(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		rec := readBack(t, resp.Capture.WARC)
		if strings.ContainsAny(rec.header("WARC-Target-URI"), " 附") {
			t.Errorf("target URI not escaped: %s", rec.header("WARC-Target-URI"))
		}
		if req.PrevDigest != "" && (resp.Capture.Type != "revisit" || rec.header("WARC-Refers-To") != "") {
			t.Errorf("revisit without a reference: %v", rec.headers)
		}
	}
}

// Request URLs are normalised as a browser (and colly, before) would: the
// capture names the URL the server was asked for, percent-encoded.
func TestURLsAreNormalisedAsBrowsersDo(t *testing.T) {
	var asked atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Store(r.URL.RequestURI())
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	f := newFetcher(t, fastHarvest(), srv)
	resp := get(t, f, srv.URL+"/公开/列表 1.html?name=中文")
	const want = "/%E5%85%AC%E5%BC%80/%E5%88%97%E8%A1%A8%201.html?name=%E4%B8%AD%E6%96%87"
	if got := asked.Load(); got != want {
		t.Errorf("server was asked for %v, want %s", got, want)
	}
	if resp.FinalURL != srv.URL+want || resp.Capture.URL != srv.URL+want || resp.URL != srv.URL+"/公开/列表 1.html?name=中文" {
		t.Errorf("URL %s, final %s, capture %s", resp.URL, resp.FinalURL, resp.Capture.URL)
	}
}

// A capture is dated when its exchange began, after the politeness wait.
func TestCaptureIsDatedAfterThePolitenessWait(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	defer srv.Close()
	h := fastHarvest()
	h.Delay = 300 * time.Millisecond
	f := newFetcher(t, h, srv)
	get(t, f, srv.URL+"/a")
	asked := time.Now()
	resp := get(t, f, srv.URL+"/b")
	if wait := resp.FetchedAt.Sub(asked); wait < 250*time.Millisecond {
		t.Errorf("capture dated %v after the request was made, want after the %v delay", wait, h.Delay)
	}
	if d := resp.FetchedAt.Sub(resp.Capture.At); d < 0 || d >= time.Second { // WARC-Date has whole seconds
		t.Errorf("capture at %v, response fetched at %v", resp.Capture.At, resp.FetchedAt)
	}
}

// Every exchange keeps its request record, linked to the response by
// WARC-Concurrent-To: a POST with its form body (a Hanweb dataproxy page
// is one URL for every page number), the final hop after a redirect.
func TestWARCRequestRecords(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/dataproxy.jsp?startrecord=1", http.StatusSeeOther)
			return
		}
		r.ParseForm()
		io.WriteString(w, r.Method+" "+r.Form.Encode())
	}))
	defer srv.Close()
	f := newFetcher(t, fastHarvest(), srv)
	form := url.Values{"col": {"1"}, "webid": {"2"}, "columnid": {"行政处罚"}}
	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/dataproxy.jsp?startrecord=1", Form: form})
	if err != nil {
		t.Fatal(err)
	}
	req := readBack(t, resp.Capture.Request)
	body := form.Encode()
	if req.header("WARC-Type") != "request" || req.header("WARC-Concurrent-To") != resp.Capture.ID ||
		req.header("WARC-Target-URI") != resp.Capture.URL || req.header("Content-Type") != "application/http;msgtype=request" ||
		req.header("WARC-Date") == "" || req.header("WARC-Payload-Digest") != PayloadDigest([]byte(body)) {
		t.Errorf("request record headers: %v", req.headers)
	}
	u, _ := url.Parse(srv.URL)
	for _, want := range []string{"POST /dataproxy.jsp?startrecord=1 HTTP/1.1\r\n", "\r\nHost: " + u.Host + "\r\n",
		"\r\nContent-Type: application/x-www-form-urlencoded\r\n", fmt.Sprintf("\r\nContent-Length: %d\r\n", len(body)),
		"\r\nUser-Agent: " + fastHarvest().WithDefaults().UserAgent + "\r\n", "\r\n\r\n" + body} {
		if !bytes.Contains(req.block, []byte(want)) && !bytes.HasPrefix(req.block, []byte(want)) {
			t.Errorf("request block lacks %q:\n%s", want, req.block)
		}
	}
	if !bytes.HasSuffix(req.block, []byte(body)) {
		t.Errorf("request block does not end with the form: %q", req.block)
	}

	// A 303 turns the POST into a GET of the new place: the request
	// recorded is that GET, without a body.
	resp, err = f.Fetch(context.Background(), Request{URL: srv.URL + "/old", Form: form})
	if err != nil {
		t.Fatal(err)
	}
	req = readBack(t, resp.Capture.Request)
	if !bytes.HasPrefix(req.block, []byte("GET /dataproxy.jsp?startrecord=1 HTTP/1.1\r\n")) || !bytes.HasSuffix(req.block, []byte("\r\n\r\n")) ||
		req.header("WARC-Payload-Digest") != "" || req.header("WARC-Concurrent-To") != resp.Capture.ID {
		t.Errorf("request after a 303: %v\n%q", req.headers, req.block)
	}
	if string(resp.Body) != "GET startrecord=1" {
		t.Errorf("body after the 303: %q", resp.Body)
	}
}

func TestWARCInfoRecord(t *testing.T) {
	rec, id, err := WARCInfo(time.Date(2021, 1, 5, 8, 0, 0, 0, time.UTC), "e.warc.gz", [][2]string{{"software", "gongkai/1.0"}, {"format", "WARC File Format 1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	r := readBack(t, rec)
	if r.header("WARC-Type") != "warcinfo" || r.header("WARC-Record-ID") != id || r.header("WARC-Filename") != "e.warc.gz" ||
		r.header("Content-Type") != "application/warc-fields" || r.header("WARC-Date") != "2021-01-05T08:00:00Z" ||
		string(r.block) != "software: gongkai/1.0\r\nformat: WARC File Format 1.1\r\n" {
		t.Errorf("warcinfo: %v %q", r.headers, r.block)
	}
}
