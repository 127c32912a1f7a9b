// Package fetch is gongkai's HTTP engine: colly v2 over go-retryablehttp,
// wired the way sites.md says a trustworthy auditor's crawler must be.
//
//   - Politeness per host, shared by every caller of fetchers made by one
//     New (and its WithHosts siblings): PerHost requests in flight, a delay
//     between them, and pauses when a host answers 429/503/403 with
//     Retry-After (capped).
//   - Retries of transport errors and 5xx with jittered exponential
//     back-off; never of the challenge answers 521/412. The final answer,
//     whatever its status, comes back as a Response: a 404 or a 503 after
//     the last retry is an observation, not a crash.
//   - Scope: requests and redirects only to the configured hosts.
//   - A body-size cap, checked before and while reading.
//   - Conditional GET (ETag, Last-Modified) and own charset decoding.
//   - Evidence: each answer becomes a WARC record (response, or revisit
//     when the payload is unchanged or the server said 304), one gzip
//     member with SHA-256 block and payload digests.
package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"gongkai"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/hashicorp/go-retryablehttp"

	"gongkai/sources/config"
)

// Request kinds (for logs, metrics and the harvester's bookkeeping).
const (
	KindList       = "list"
	KindDetail     = "detail"
	KindAttachment = "attachment"
	KindCredit     = "credit"
)

// Request is one fetch.
type Request struct {
	Method string // GET unless Form is set (then POST)
	URL    string
	Form   url.Values  // sent as application/x-www-form-urlencoded
	Header http.Header // extra request headers
	// Body is sent as it is (with Header's Content-Type) when Form is nil:
	// a script's POST as the browser made it (render: browser).
	Body []byte

	// Conditional GET: the validators of the last answer for this URL.
	ETag, LastModified string

	// The last capture of this URL: when the new payload's digest equals
	// PrevDigest the capture is a revisit record referring to it.
	PrevDigest    string
	PrevCaptureID string
	PrevCaptureAt time.Time

	Cookies map[string]string // sent as a Cookie header (a session a person opened)
	Kind    string            // list | detail | attachment | credit
	Charset string            // "" or "auto": detect; else force this charset for decoding

	// Browser, when set, loads the page in headless Chromium and answers
	// with the DOM its scripts built (see browser.go); every request the
	// page makes goes through this Fetcher as a plain request.
	Browser *Render
}

// Response is the final answer to a Request.
type Response struct {
	URL         string // as requested
	FinalURL    string // after redirects
	Status      int
	Header      http.Header
	Body        []byte // payload (content-encoding removed)
	HTML        string // decoded text for HTML, XML, JSON and other text; "" for binary files
	Charset     string // the charset HTML was decoded with
	MediaType   string // from Content-Type, lower case, without parameters
	NotModified bool   // 304 to a conditional request
	Challenge   bool   // 521/412 or an anti-bot challenge page: the page was not observed
	Capture     gongkai.Capture
	Digest      string // sha256:… of the payload (for NotModified: Request.PrevDigest)
	FetchedAt   time.Time
	Elapsed     time.Duration

	// Network (rendered pages only): the captures of the exchanges the
	// page made (its document, scripts, XHR/fetch calls), Capture being
	// the rendered DOM; evidence to commit with Capture.
	Network []gongkai.Capture
	// Blocked (rendered pages only): the requests the page tried and the
	// browser was not allowed to make (hosts outside the scope, images,
	// styles, fonts), with the reason.
	Blocked []string
}

// OK reports a 2xx answer.
func (r *Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

// Fetcher fetches within one scope. It is safe for concurrent use.
type Fetcher struct {
	h         config.Harvest
	hosts     []string
	collector *colly.Collector
	gate      Gate
	browser   *browser // shared with the WithHosts siblings; started on first use
}

// Option configures New.
type Option func(*options)

type options struct{ gate Gate }

// WithGate makes the Fetcher keep its politeness through g instead of a
// gate of its own (several processes sharing one host's limits).
func WithGate(g Gate) Option { return func(o *options) { o.gate = g } }

// New builds a Fetcher for the harvest policy, limited to hosts (host or
// host:port; a host without port matches any port; empty = any host).
func New(h config.Harvest, hosts []string, opts ...Option) (*Fetcher, error) {
	h = h.WithDefaults()
	var o options
	for _, f := range opts {
		f(&o)
	}
	var gate Gate = o.gate
	if gate == nil {
		gate = newHostGate(h.PerHost, h.Delay)
	}

	base := &http.Transport{
		Proxy:                 nil, // never an environment proxy: scope is checked on real hosts
		DialContext:           (&net.Dialer{Timeout: h.Timeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   h.PerHost + 1,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   h.Timeout,
		ResponseHeaderTimeout: h.Timeout,
		DisableCompression:    true,
	}
	rc := &retryablehttp.Client{
		HTTPClient: &http.Client{
			Transport: &bufferTransport{base: base, max: h.MaxBody},
			// colly must see each redirect to check it against the scope.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Timeout:       h.Timeout,
		},
		Logger:       nil,
		RetryWaitMin: h.RetryWait,
		RetryWaitMax: h.RetryWaitMax,
		RetryMax:     h.Retries,
		CheckRetry:   retryPolicy,
		Backoff:      backoff(gate, h.RetryAfterCap),
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}

	c := colly.NewCollector(
		colly.UserAgent(h.UserAgent),
		colly.AllowURLRevisit(),
		colly.IgnoreRobotsTxt(),
		colly.ParseHTTPErrorResponse(), // 204/206/304/4xx/5xx reach us as answers, not errors
		colly.MaxBodySize(0),           // bufferTransport enforces the cap with an error, not a silent cut
	)
	c.WithTransport(&gateTransport{gate: gate, next: &retryablehttp.RoundTripper{Client: rc}, capRA: h.RetryAfterCap})
	c.SetRequestTimeout(0) // per attempt in the inner client; the caller's context bounds the whole
	c.SetRedirectHandler(checkRedirect)
	return &Fetcher{h: h, hosts: normHosts(hosts), collector: c, gate: gate, browser: &browser{}}, nil
}

// WithHosts returns a Fetcher with another scope that shares this one's
// connections, cookies and per-host politeness.
func (f *Fetcher) WithHosts(hosts []string) *Fetcher {
	g := *f
	g.hosts = normHosts(hosts)
	return &g
}

// Hosts returns the scope.
func (f *Fetcher) Hosts() []string { return append([]string(nil), f.hosts...) }

func normHosts(hosts []string) []string {
	out := make([]string, 0, len(hosts))
	for _, h := range hosts {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			out = append(out, h)
		}
	}
	return out
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("重定向次数过多（%d 次）", len(via))
	}
	if x := exchangeFrom(req.Context()); x != nil && !config.HostInScope(x.scope, req.URL.Host) {
		return fmt.Errorf("%w: 重定向到 %s", ErrOffScope, req.URL)
	}
	return nil
}

// Fetch performs one request and returns its final answer. It blocks until
// the answer (after retries and redirects) is in. The error is non-nil only
// when there is no answer to show: a transport failure after the retries,
// a refused off-scope request or redirect, a body over the cap, or ctx
// ending; a final 404 or 5xx is a Response with its Status.
func (f *Fetcher) Fetch(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(r.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("无效的地址 %q", r.URL)
	}
	if !config.HostInScope(f.hosts, u.Host) {
		return nil, fmt.Errorf("%w: %s", ErrOffScope, r.URL)
	}
	if r.Browser != nil {
		return f.render(ctx, r)
	}
	method := strings.ToUpper(r.Method)
	var body io.Reader
	hdr := http.Header{}
	for k, vs := range r.Header {
		for _, v := range vs {
			hdr.Add(k, v)
		}
	}
	if r.Form != nil {
		if method == "" {
			method = http.MethodPost
		}
		body = strings.NewReader(r.Form.Encode())
		hdr.Set("Content-Type", "application/x-www-form-urlencoded")
	} else if r.Body != nil {
		if method == "" {
			method = http.MethodPost
		}
		body = bytes.NewReader(r.Body)
	}
	if method == "" {
		method = http.MethodGet
	}
	if r.ETag != "" {
		hdr.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		hdr.Set("If-Modified-Since", r.LastModified)
	}
	if len(r.Cookies) > 0 {
		var parts []string
		for k, v := range r.Cookies {
			parts = append(parts, (&http.Cookie{Name: k, Value: v}).String())
		}
		hdr.Set("Cookie", strings.Join(parts, "; "))
	}
	hdr.Set("User-Agent", f.h.UserAgent)
	if hdr.Get("Accept-Language") == "" {
		hdr.Set("Accept-Language", "zh-CN,zh;q=0.9")
	}

	x := &exchange{scope: f.hosts}
	c := f.collector.Clone()
	c.Context = context.WithValue(ctx, exchangeKey{}, x)
	var collyErr error
	c.OnError(func(_ *colly.Response, err error) { collyErr = err })
	start := time.Now()
	err = c.Request(method, r.URL, body, nil, hdr)
	if err == nil {
		err = collyErr
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	x.mu.Lock()
	req, resp, payload, at := x.req, x.resp, x.body, x.at
	x.mu.Unlock()
	if err != nil || resp == nil {
		if err == nil {
			err = errors.New("没有收到应答")
		}
		return nil, fmt.Errorf("获取 %s 失败: %w", r.URL, err)
	}
	out := &Response{
		URL:       r.URL,
		FinalURL:  req.URL.String(),
		Status:    resp.StatusCode,
		Header:    resp.Header.Clone(),
		FetchedAt: at,
		Elapsed:   time.Since(start),
	}
	out.Body = decodeContentEncoding(payload, resp.Header.Get("Content-Encoding"))
	out.MediaType = mediaType(resp.Header.Get("Content-Type"), out.Body)
	out.NotModified = resp.StatusCode == http.StatusNotModified && (r.ETag != "" || r.LastModified != "")
	if isTextual(out.MediaType) {
		out.HTML, out.Charset = Decode(out.Body, resp.Header.Get("Content-Type"), r.Charset)
	}
	out.Challenge = LooksLikeChallenge(out.Status, out.Body)
	// The request record: the final hop as sent. A form body goes with the
	// request that carried it (a 303 turns a POST into a bodiless GET).
	ri := &requestInput{Method: req.Method, URL: req.URL, Proto: req.Proto, Header: req.Header, Host: req.Host}
	if r.Form != nil && req.Method != http.MethodGet && req.Method != http.MethodHead {
		ri.Body = []byte(r.Form.Encode())
	} else if r.Body != nil && req.Method != http.MethodGet && req.Method != http.MethodHead {
		ri.Body = r.Body
	}
	capture, err := buildCapture(captureInput{
		Request: ri,
		URL:     out.FinalURL, At: at, Proto: resp.Proto, StatusLine: resp.Status, Status: resp.StatusCode,
		Header: resp.Header, Body: payload,
		NotModified: out.NotModified, PrevDigest: r.PrevDigest, PrevCapture: r.PrevCaptureID,
		PrevURL: r.URL, PrevCaptured: r.PrevCaptureAt,
	})
	if err != nil {
		return nil, err
	}
	out.Capture = capture
	out.Digest = capture.PayloadDigest
	if out.NotModified && out.Digest == "" {
		out.Digest = r.PrevDigest
	}
	return out, nil
}

func decodeContentEncoding(body []byte, enc string) []byte {
	var r io.ReadCloser
	var err error
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "gzip", "x-gzip":
		r, err = gzip.NewReader(bytes.NewReader(body))
	case "deflate":
		r = flate.NewReader(bytes.NewReader(body))
	default:
		return body
	}
	if err != nil {
		return body
	}
	defer r.Close()
	out, err := io.ReadAll(r)
	if err != nil {
		return body
	}
	return out
}

func mediaType(contentType string, body []byte) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && mt != "" && mt != "application/octet-stream" {
		return strings.ToLower(mt)
	}
	if len(body) == 0 {
		return ""
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	return mt
}

func isTextual(mt string) bool {
	switch {
	case mt == "":
		return false
	case strings.HasPrefix(mt, "text/"):
		return true
	case strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "/xml"), strings.HasSuffix(mt, "json"),
		strings.Contains(mt, "javascript"):
		return true
	}
	return false
}

// LooksLikeChallenge recognises an anti-bot answer: the 加速乐 statuses, or
// a small page whose only job is to set a clearance cookie and reload.
//
// It runs on every answer, so it searches the bytes as they are: the
// markers are JavaScript identifiers and a cookie name, which are case
// sensitive (a script writing DOCUMENT.COOKIE would not run); only the
// HTML tag <a is matched in either case.
func LooksLikeChallenge(status int, body []byte) bool {
	if isChallengeStatus(status) {
		return true
	}
	if len(body) > 32<<10 {
		return false
	}
	if bytes.Contains(body, []byte("__jsl_clearance")) {
		return true
	}
	// A cookie-setting script that reloads the page, on a page without a
	// single link, is a challenge, not content.
	return bytes.Contains(body, []byte("document.cookie")) &&
		(bytes.Contains(body, []byte("location.reload")) || bytes.Contains(body, []byte("location.href"))) &&
		!bytes.Contains(body, []byte("<a ")) && !bytes.Contains(body, []byte("<A "))
}
