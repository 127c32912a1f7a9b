package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// The HTTP stack, outermost first:
//
//	colly's http.Client     cookie jar, redirects (checked against the scope by Fetch)
//	gateTransport           per-host politeness; remembers the final answer of each hop
//	retryablehttp           retries with capped Retry-After and jittered back-off;
//	                        the inner client returns redirects unfollowed (colly follows them)
//	                        and PassthroughErrorHandler hands the last 5xx up instead of an error
//	bufferTransport         reads the whole body under the size cap, so a reset mid-body
//	                        is a retryable error and an oversized body is refused early
//	http.Transport          no proxy from the environment, no transparent gzip (the WARC
//	                        record keeps the bytes as sent)

// ErrBodyTooLarge is returned when a body exceeds Harvest.MaxBody.
var ErrBodyTooLarge = errors.New("响应体超过大小上限")

// ErrOffScope is returned for a request or redirect to a host outside the source's scope.
var ErrOffScope = errors.New("地址不在采集范围内")

// bufferTransport reads each response body completely (at most max bytes).
type bufferTransport struct {
	base http.RoundTripper
	max  int64
}

func (t *bufferTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if t.max > 0 && resp.ContentLength > t.max {
		return nil, fmt.Errorf("%w: %s 声明 %d 字节，上限 %d", ErrBodyTooLarge, req.URL, resp.ContentLength, t.max)
	}
	var r io.Reader = resp.Body
	if t.max > 0 {
		r = io.LimitReader(resp.Body, t.max+1)
	}
	// Read into one buffer sized by Content-Length when the server gave
	// one (io.ReadAll would grow from 512 bytes, copying as it goes).
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("读取响应体失败: %w", err)
	}
	body := buf.Bytes()
	if t.max > 0 && int64(len(body)) > t.max {
		return nil, fmt.Errorf("%w: %s 超过 %d 字节", ErrBodyTooLarge, req.URL, t.max)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	// Fetch takes the final answer's bytes from here, not from the body
	// the clients above hand on (http.Client's timeout wraps it): each
	// attempt overwrites the last, and the one returned is the last made.
	if x := exchangeFrom(req.Context()); x != nil {
		x.mu.Lock()
		x.attemptBody = body
		x.mu.Unlock()
	}
	return resp, nil
}

// Gate keeps per-host politeness: Acquire waits until a request to host may
// start (a free slot of the host's concurrency, its delay since the last
// start, any pause) and returns the function that frees the slot; Pause
// holds every request to host back until the given time (Retry-After).
// hostGate is the in-process one; sources/fetch/redisgate shares one
// across processes.
type Gate interface {
	Acquire(ctx context.Context, host string) (release func(), err error)
	Pause(host string, until time.Time)
}

// hostGate keeps per-host politeness shared by every caller of the fetchers
// built from one New: at most perHost requests in flight to a host, a
// delay between them, and pauses asked for with Retry-After.
type hostGate struct {
	perHost int
	delay   time.Duration

	mu    sync.Mutex
	hosts map[string]*hostState
}

type hostState struct {
	slots chan struct{}

	mu          sync.Mutex
	next        time.Time // earliest start of the next request (delay after the last one)
	pausedUntil time.Time // Retry-After
}

func newHostGate(perHost int, delay time.Duration) *hostGate {
	if perHost < 1 {
		perHost = 1
	}
	return &hostGate{perHost: perHost, delay: delay, hosts: map[string]*hostState{}}
}

func (g *hostGate) state(host string) *hostState {
	host = strings.ToLower(host)
	g.mu.Lock()
	defer g.mu.Unlock()
	s, ok := g.hosts[host]
	if !ok {
		s = &hostState{slots: make(chan struct{}, g.perHost)}
		g.hosts[host] = s
	}
	return s
}

// Acquire waits for a free slot and for the host's delay and pauses.
func (g *hostGate) Acquire(ctx context.Context, host string) (release func(), err error) {
	s := g.state(host)
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for {
		s.mu.Lock()
		ready := s.next
		if s.pausedUntil.After(ready) {
			ready = s.pausedUntil
		}
		s.mu.Unlock()
		wait := time.Until(ready)
		if wait <= 0 {
			break
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-s.slots
			return nil, ctx.Err()
		}
	}
	return func() {
		s.mu.Lock()
		s.next = time.Now().Add(g.delay)
		s.mu.Unlock()
		<-s.slots
	}, nil
}

// Pause keeps every request to host waiting until the given time.
func (g *hostGate) Pause(host string, until time.Time) {
	s := g.state(host)
	s.mu.Lock()
	if until.After(s.pausedUntil) {
		s.pausedUntil = until
	}
	s.mu.Unlock()
}

// exchange is what Fetch learns from the transport about one logical
// request: the final hop's request and response (body already buffered).
type exchange struct {
	mu    sync.Mutex
	req   *http.Request
	resp  *http.Response
	body  []byte
	at    time.Time
	scope []string // the Fetcher's hosts, for the redirect check
	// attemptBody is the body bufferTransport read in the latest attempt
	// of the hop under way.
	attemptBody []byte
}

type exchangeKey struct{}

func exchangeFrom(ctx context.Context) *exchange {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	return x
}

// gateTransport applies politeness to each hop and records the answer.
type gateTransport struct {
	gate   Gate
	next   http.RoundTripper
	capRA  time.Duration
	notify func(host string, wait time.Duration) // optional: a host asked us to wait
}

func (t *gateTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	release, err := t.gate.Acquire(req.Context(), req.URL.Host)
	if err != nil {
		return nil, err
	}
	defer release()
	at := time.Now()
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	// A last answer that still asks us to wait (retries exhausted, or none
	// configured) holds the host back for the following requests too.
	if wait, ok := retryAfter(resp, t.capRA); ok {
		t.gate.Pause(req.URL.Host, time.Now().Add(wait))
	}
	// The body is in memory already: bufferTransport read it and left the
	// bytes of the last attempt in the exchange.
	x := exchangeFrom(req.Context())
	var body []byte
	if x != nil {
		x.mu.Lock()
		body, x.attemptBody = x.attemptBody, nil
		x.mu.Unlock()
	}
	if body == nil {
		body = readKnownLength(resp.Body, resp.ContentLength)
	}
	resp.Body.Close()
	if x == nil {
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	}
	x.mu.Lock()
	x.req, x.resp, x.body, x.at = req, resp, body, at
	x.mu.Unlock()
	// Fetch takes the answer from the exchange; colly, above, would only
	// read the body into a copy of its own that nobody uses (and gunzip
	// it, which Uncompressed tells it not to: Fetch decodes the bytes as
	// they were sent). A redirect's body is not needed either.
	resp.Body = http.NoBody
	resp.Uncompressed = true
	return resp, nil
}

// readKnownLength reads r to its end into one buffer sized by n (when n is
// known), where io.ReadAll would grow from 512 bytes copying as it goes.
func readKnownLength(r io.Reader, n int64) []byte {
	if n < 0 {
		b, _ := io.ReadAll(r)
		return b
	}
	var buf bytes.Buffer
	buf.Grow(int(n) + bytes.MinRead)
	buf.ReadFrom(r)
	return buf.Bytes()
}

// isChallengeStatus: 加速乐 answers 521 with a cookie script; 412 is the
// same family. Retrying them without a new cookie only burns the session.
func isChallengeStatus(code int) bool { return code == 521 || code == 412 }

// retryPolicy decides which answers are worth another attempt.
func retryPolicy(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return false, err
		}
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	code := resp.StatusCode
	switch {
	case isChallengeStatus(code):
		return false, nil
	case code == http.StatusTooManyRequests:
		return true, nil
	case code == http.StatusForbidden:
		return resp.Header.Get("Retry-After") != "", nil
	case code == 0 || code >= 500 && code != http.StatusNotImplemented:
		return true, nil
	}
	return false, nil
}

// retryAfter reads a Retry-After on the statuses that use it, capped.
func retryAfter(resp *http.Response, capRA time.Duration) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusForbidden:
	default:
		return 0, false
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	var wait time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		wait = time.Duration(secs) * time.Second
		if secs > int64(capRA/time.Second)+1 { // avoid overflow on absurd values
			wait = capRA
		}
	} else if t, err := http.ParseTime(v); err == nil {
		wait = time.Until(t)
		if wait < 0 {
			wait = 0
		}
	} else {
		return 0, false
	}
	if capRA > 0 && wait > capRA {
		wait = capRA
	}
	return wait, true
}

// backoff waits as the server asked (Retry-After, capped) or exponentially,
// with jitter so that many workers do not return in step.
func backoff(gate Gate, capRA time.Duration) retryablehttp.Backoff {
	return func(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
		if wait, ok := retryAfter(resp, capRA); ok {
			if resp.Request != nil {
				gate.Pause(resp.Request.URL.Host, time.Now().Add(wait))
			}
			return wait + jitter(wait/10+time.Millisecond)
		}
		d := min
		for i := 0; i < attempt && d < max; i++ {
			d *= 2
		}
		if d > max {
			d = max
		}
		return d/2 + jitter(d/2+1)
	}
}

func jitter(upTo time.Duration) time.Duration {
	if upTo <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(upTo)))
}

// ErrTooLarge is another name of ErrBodyTooLarge.
var ErrTooLarge = ErrBodyTooLarge
