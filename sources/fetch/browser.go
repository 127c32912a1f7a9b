package fetch

// Pages that only render with JavaScript (render: browser): the page is
// loaded in headless Chromium, but the browser never touches the network
// itself. Every request the page makes is paused (CDP Fetch domain) and
// either refused (a host outside the scope, or a resource the list cannot
// need: images, styles, fonts, media) or made by this Fetcher as a plain
// request — through the same per-host gate, retries, scope checks and body
// cap as every other request — and handed to the page with
// Fetch.fulfillRequest. So politeness and scope are the HTTP engine's, and
// each exchange becomes the same WARC response/request records. The
// rendered DOM is one more record, a WARC resource.

import (
	"context"
	"errors"
	"fmt"
	"gongkai"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	cdpfetch "github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"gongkai/sources/config"
)

// Render asks for a page to be loaded in the browser.
type Render struct {
	// Wait is a CSS selector the rendered page must show before its DOM is
	// read; "" = wait until the page's network falls idle.
	Wait string
	// Timeout bounds the load and the wait; 0 = the harvest timeout.
	Timeout time.Duration
	// Hosts the page may reach (the source's scope); empty = the Fetcher's.
	Hosts []string
}

// ErrNoBrowser is returned for a rendered request when no Chromium is installed.
var ErrNoBrowser = errors.New("未安装 Chromium（render: browser 需要它：apt-get install -y chromium）")

// idleQuiet is how long a page's network must stay quiet to count as idle.
const idleQuiet = 500 * time.Millisecond

// ChromiumPath finds Debian's chromium; "" when it is not installed.
func ChromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// ChromiumOptions are the allocator options for an offline headless
// Chromium at path with a window of width × height and its temporary files
// under tmpDir: no host resolves but 127.0.0.1, and none of the background
// traffic Chromium makes at start (docs in /work/shared: testing.md).
// The harvester's pages never need a resolver: the Fetcher makes their
// requests.
func ChromiumOptions(path, tmpDir string, width, height int) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.WindowSize(width, height),
		chromedp.Env("TMPDIR=" + tmpDir),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,InterestFeedContentSuggestions,CertificateTransparencyComponentUpdater,AutofillServerCommunication"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
	}
}

// browser is the one Chromium of a Fetcher and its siblings, started on
// first use and closed by CloseBrowser.
type browser struct {
	mu     sync.Mutex
	ctx    context.Context // the browser's chromedp context; nil = not running
	cancel func()
	tmp    string
	starts int // how many times it was started (tests)
}

func (b *browser) get() (context.Context, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx != nil {
		return b.ctx, nil
	}
	path := ChromiumPath()
	if path == "" {
		return nil, ErrNoBrowser
	}
	tmp, err := os.MkdirTemp("", "gongkai-chromium-")
	if err != nil {
		return nil, fmt.Errorf("启动 Chromium 失败: %w", err)
	}
	// The browser outlives every request: its context is not theirs.
	// Every request of a page is made by the Fetcher (fulfilled over CDP);
	// what the browser would fetch on its own (a favicon, say) goes to a
	// proxy that does not exist, loopback included.
	opts := append(ChromiumOptions(path, tmp, 1280, 900),
		chromedp.ProxyServer("http://127.0.0.1:9"), chromedp.Flag("proxy-bypass-list", "<-loopback>"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("启动 Chromium 失败: %w", err)
	}
	b.ctx, b.tmp = bctx, tmp
	b.cancel = func() { cancelBrowser(); cancelAlloc() }
	b.starts++
	return bctx, nil
}

func (b *browser) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx == nil {
		return
	}
	b.cancel()
	os.RemoveAll(b.tmp)
	b.ctx, b.cancel, b.tmp = nil, nil, ""
}

// CloseBrowser ends the Chromium this Fetcher (or a sibling) started, if
// any; the next rendered request starts a new one. The harvester calls it
// at the end of each sweep.
func (f *Fetcher) CloseBrowser() { f.browser.close() }

// BrowserStarts reports how many times a Chromium was started for this
// Fetcher and its siblings.
func (f *Fetcher) BrowserStarts() int {
	f.browser.mu.Lock()
	defer f.browser.mu.Unlock()
	return f.browser.starts
}

// pageLoad is what one rendered page's requests did.
type pageLoad struct {
	f     *Fetcher
	r     Request
	hosts []string

	inflight atomic.Int64
	mu       sync.Mutex
	last     time.Time // the last request paused or answered
	doc      *Response // the answer to the top document
	docErr   error
	captures []gongkai.Capture
	blocked  []string
	failed   []string
}

func (p *pageLoad) touch() {
	p.mu.Lock()
	p.last = time.Now()
	p.mu.Unlock()
}

// wanted are the resource types a list can depend on; the rest is refused
// (it would only cost the site requests).
func wanted(t network.ResourceType) bool {
	switch t {
	case network.ResourceTypeDocument, network.ResourceTypeScript, network.ResourceTypeXHR, network.ResourceTypeFetch:
		return true
	}
	return false
}

// hopHeaders are response headers the browser must not see again: the
// Fetcher already removed the content encoding and read the whole body.
var hopHeaders = map[string]bool{"Content-Encoding": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true, "Keep-Alive": true}

// handle answers one paused request.
func (p *pageLoad) handle(ctx, tab context.Context, ev cdpfetch.EventRequestPaused) {
	defer p.inflight.Add(-1)
	defer p.touch()
	fail := func(reason network.ErrorReason) {
		chromedp.Call(tab, cdpfetch.FailRequest, cdpfetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: reason})
	}
	u, err := url.Parse(ev.Request.URL)
	isDoc := ev.ResourceType == network.ResourceTypeDocument
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https"):
		p.block(ev.Request.URL, "不是 http(s) 地址")
		fail(network.ErrorReasonBlockedByClient)
		return
	case !config.HostInScope(p.hosts, u.Host):
		p.block(ev.Request.URL, "不在采集范围内")
		fail(network.ErrorReasonBlockedByClient)
		return
	case !wanted(ev.ResourceType):
		p.block(ev.Request.URL, "不需要的资源（"+string(ev.ResourceType)+"）")
		fail(network.ErrorReasonBlockedByClient)
		return
	}
	req := Request{Method: ev.Request.Method, URL: ev.Request.URL, Kind: p.r.Kind, Charset: p.r.Charset, Header: http.Header{}, Cookies: p.r.Cookies}
	for k, v := range ev.Request.Headers {
		switch http.CanonicalHeaderKey(k) {
		case "Accept", "Content-Type", "X-Requested-With", "Referer":
			req.Header.Set(k, fmt.Sprint(v))
		}
	}
	if ev.Request.HasPostData {
		var body []byte
		for _, e := range ev.Request.PostDataEntries {
			body = append(body, e.Bytes...)
		}
		if strings.HasPrefix(strings.ToLower(req.Header.Get("Content-Type")), "application/x-www-form-urlencoded") {
			if form, err := url.ParseQuery(string(body)); err == nil {
				req.Form = form
				req.Header.Del("Content-Type")
			}
		}
		if req.Form == nil {
			req.Body = body
			if req.Body == nil {
				req.Body = []byte{}
			}
		}
	}
	resp, err := p.f.Fetch(ctx, req)
	p.mu.Lock()
	if isDoc && p.doc == nil && p.docErr == nil {
		p.doc, p.docErr = resp, err
	}
	if err != nil {
		p.failed = append(p.failed, fmt.Sprintf("%s: %v", ev.Request.URL, err))
	} else if resp.Capture.ID != "" {
		p.captures = append(p.captures, resp.Capture)
	}
	p.mu.Unlock()
	if err != nil {
		fail(network.ErrorReasonFailed)
		return
	}
	var headers []*cdpfetch.HeaderEntry
	for k, vs := range resp.Header {
		if hopHeaders[http.CanonicalHeaderKey(k)] {
			continue
		}
		for _, v := range vs {
			headers = append(headers, &cdpfetch.HeaderEntry{Name: k, Value: v})
		}
	}
	body := resp.Body
	if body == nil {
		body = []byte{}
	}
	chromedp.Call(tab, cdpfetch.FulfillRequest, cdpfetch.FulfillRequestParams{
		RequestID: ev.RequestID, ResponseCode: int64(resp.Status), ResponseHeaders: headers, Body: body,
	})
}

func (p *pageLoad) block(u, why string) {
	p.mu.Lock()
	p.blocked = append(p.blocked, u+"（"+why+"）")
	p.mu.Unlock()
}

// render loads r.URL in the browser and answers with the rendered DOM.
// The answer is a failure (an error, or the document's own non-2xx or
// challenge answer) whenever the list cannot be shown to be rendered: the
// page is then not observed, never read as empty.
func (f *Fetcher) render(ctx context.Context, r Request) (*Response, error) {
	if r.Form != nil || r.Body != nil || (r.Method != "" && !strings.EqualFold(r.Method, http.MethodGet)) {
		return nil, fmt.Errorf("render: browser 只能打开 GET 页面：%s", r.URL)
	}
	timeout := r.Browser.Timeout
	if timeout <= 0 {
		timeout = f.h.Timeout
	}
	hosts := normHosts(r.Browser.Hosts)
	if len(hosts) == 0 {
		hosts = f.hosts
	}
	bctx, err := f.browser.get()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	tab, closeTab := chromedp.NewContext(bctx)
	// The page's requests end with the page: none keeps a host's slot
	// after render returns.
	pctx, endPage := context.WithCancel(ctx)
	var handlers sync.WaitGroup
	loopDone := make(chan struct{})
	opened := false
	defer func() {
		endPage()
		closeTab() // ends the event loop below: no handler starts after it
		if opened {
			<-loopDone
		}
		handlers.Wait()
	}()
	stop := context.AfterFunc(ctx, closeTab)
	defer stop()
	if err := chromedp.Do(tab); err != nil {
		return nil, fmt.Errorf("打开浏览器标签页失败: %w", err)
	}
	p := &pageLoad{f: f, r: r, hosts: hosts, last: time.Now()}
	paused := chromedp.Events(tab, cdpfetch.RequestPaused)
	opened = true
	go func() {
		defer close(loopDone)
		for ev, err := range paused {
			if err != nil {
				return
			}
			p.inflight.Add(1)
			p.touch()
			handlers.Add(1)
			go func() {
				defer handlers.Done()
				p.handle(pctx, tab, ev)
			}()
		}
	}()
	if _, err := chromedp.Call(tab, cdpfetch.Enable, cdpfetch.EnableParams{Patterns: []*cdpfetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		return nil, fmt.Errorf("浏览器拦截请求失败: %w", err)
	}
	wctx, cancel := context.WithTimeout(tab, timeout)
	defer cancel()
	navErr := chromedp.Do(wctx, chromedp.Navigate(r.URL))
	// Quiet is counted from the load event: the scripts it ran may have
	// asked for data the loop below has not been told of yet.
	p.touch()
	p.mu.Lock()
	doc, docErr := p.doc, p.docErr
	p.mu.Unlock()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case docErr != nil:
		return nil, docErr
	case doc == nil && navErr != nil:
		return nil, fmt.Errorf("浏览器打开 %s 失败: %w", r.URL, navErr)
	case doc == nil:
		return nil, fmt.Errorf("浏览器打开 %s 时没有请求页面本身", r.URL)
	case !doc.OK() || doc.Challenge:
		// The server's own answer is the observation (a 404, a 503, a
		// challenge): no DOM to wait for.
		out := *doc
		out.Network = p.snapshot(doc.Capture.ID)
		out.Blocked = p.blockedList()
		return &out, nil
	case navErr != nil:
		return nil, fmt.Errorf("浏览器打开 %s 失败: %w", r.URL, navErr)
	}
	if err := p.wait(wctx, r.Browser.Wait); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s: %w", r.URL, err)
	}
	dom, err := chromedp.Run(wctx, chromedp.Evaluate[string](`(document.doctype ? "<!DOCTYPE " + document.doctype.name + ">\n" : "") + document.documentElement.outerHTML`))
	if err != nil {
		return nil, fmt.Errorf("读取 %s 渲染后的页面失败: %w", r.URL, err)
	}
	final, err := chromedp.Run(wctx, chromedp.Location())
	if err != nil || final == "" || final == "about:blank" {
		final = doc.FinalURL
	}
	at := time.Now()
	capture, err := buildResource(final, at, "text/html; charset=utf-8", []byte(dom), doc.Capture.ID)
	if err != nil {
		return nil, err
	}
	capture.Status = doc.Status
	out := &Response{
		URL: r.URL, FinalURL: doc.FinalURL, Status: doc.Status, Header: doc.Header.Clone(),
		Body: []byte(dom), HTML: dom, Charset: "utf-8", MediaType: "text/html",
		Capture: capture, Digest: capture.PayloadDigest, FetchedAt: at, Elapsed: time.Since(start),
		Network: p.snapshot(""), Blocked: p.blockedList(),
	}
	// The rendered DOM has no validators of its own: the document's would
	// let a conditional request skip the scripts' data.
	out.Header.Del("ETag")
	out.Header.Del("Last-Modified")
	out.Header.Del("Content-Encoding")
	out.Header.Set("Content-Type", "text/html; charset=utf-8") // the DOM as read: whatever the document's charset was
	out.Header.Del("Content-Length")
	return out, nil
}

// wait waits for the selector to match, or for the network to fall idle.
func (p *pageLoad) wait(ctx context.Context, selector string) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if selector != "" {
			found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf("document.querySelector(%q) !== null", selector)))
			if err == nil && found {
				return nil
			}
		} else {
			p.mu.Lock()
			quiet := time.Since(p.last)
			p.mu.Unlock()
			if p.inflight.Load() == 0 && quiet >= idleQuiet {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			if selector != "" {
				return fmt.Errorf("等待页面渲染出 %q 超时", selector)
			}
			return errors.New("等待页面的网络请求结束超时")
		case <-tick.C:
		}
	}
}

// snapshot returns the exchanges' captures so far, without the one named.
func (p *pageLoad) snapshot(except string) []gongkai.Capture {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []gongkai.Capture
	for _, c := range p.captures {
		if c.ID != except {
			out = append(out, c)
		}
	}
	return out
}

func (p *pageLoad) blockedList() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append(append([]string(nil), p.blocked...), p.failed...)
}

// buildResource makes the WARC resource record of a rendered DOM (ISO
// 28500 §6.6: content not from a network exchange), concurrent to the
// response record of the document it was rendered from.
func buildResource(target string, at time.Time, contentType string, body []byte, concurrentTo string) (gongkai.Capture, error) {
	id, err := newRecordID()
	if err != nil {
		return gongkai.Capture{}, err
	}
	at = at.UTC().Truncate(time.Second)
	digest := PayloadDigest(body)
	fields := [][2]string{
		{"WARC-Type", "resource"},
		{"WARC-Record-ID", id},
		{"WARC-Date", at.Format("2006-01-02T15:04:05Z")},
		{"WARC-Target-URI", target},
		{"Content-Type", contentType},
	}
	if concurrentTo != "" {
		fields = append(fields, [2]string{"WARC-Concurrent-To", concurrentTo})
	}
	rec, err := writeRecord(fields, digest, body)
	if err != nil {
		return gongkai.Capture{}, err
	}
	return gongkai.Capture{ID: id, URL: target, At: at, Type: "resource", Status: http.StatusOK, PayloadDigest: digest, WARC: rec}, nil
}
