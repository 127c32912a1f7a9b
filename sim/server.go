package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"gongkai/calendar"
	"gongkai/region"
)

// Faults switch misbehaviour on for one server. Rates are shares of
// requests; each decision is a pure function of (seed, URL, attempt), so a
// retry of a failed request can succeed and runs are reproducible.
type Faults struct {
	ErrorRate    float64       `json:"error_rate"`    // share answered 500/502/503
	SlowRate     float64       `json:"slow_rate"`     // share delayed by Slow
	Slow         time.Duration `json:"-"`             // JSON: "slow": "300ms"
	TruncateRate float64       `json:"truncate_rate"` // share whose body is cut off mid-way
	ResetRate    float64       `json:"reset_rate"`    // share whose connection is reset
	DownColumns  []string      `json:"down_columns"`  // column names (行政处罚) or slugs always answered 503
	DownPages    []string      `json:"down_pages"`    // paths (/col/index_2.shtml) or paths with query always answered 500
	RateLimit    int           `json:"rate_limit"`    // requests per second; beyond: 429 (or 403) with Retry-After
}

// MarshalJSON writes Slow as a Go duration string.
func (f Faults) MarshalJSON() ([]byte, error) {
	type plain Faults
	out := struct {
		plain
		Slow string `json:"slow,omitempty"`
	}{plain: plain(f)}
	if f.Slow > 0 {
		out.Slow = f.Slow.String()
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads Slow as a duration string ("300ms") or nanoseconds.
func (f *Faults) UnmarshalJSON(b []byte) error {
	type plain Faults
	var in struct {
		plain
		Slow json.RawMessage `json:"slow"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*f = Faults(in.plain)
	if len(in.Slow) > 0 && string(in.Slow) != "null" {
		var s string
		if err := json.Unmarshal(in.Slow, &s); err == nil {
			d, err := time.ParseDuration(s)
			if err != nil {
				return fmt.Errorf("slow: %w", err)
			}
			f.Slow = d
		} else {
			var ns int64
			if err := json.Unmarshal(in.Slow, &ns); err != nil {
				return fmt.Errorf("slow: %w", err)
			}
			f.Slow = time.Duration(ns)
		}
	}
	return nil
}

// RequestStats counts the requests a server answered, by kind. A 304 is
// counted as NotModified only.
type RequestStats struct {
	Total       int `json:"total"`
	List        int `json:"list"`
	Detail      int `json:"detail"`
	Attachment  int `json:"attachment"`
	NotModified int `json:"not_modified"`
	Redirect    int `json:"redirect"`
	Other       int `json:"other"`
	Challenge   int `json:"challenge"`
	Faults      int `json:"faults"` // injected errors, resets, truncations, rate-limit answers
	// MaxInFlight is the most requests the site was answering at once
	// (politeness across harvester processes is checked against it).
	MaxInFlight int `json:"max_in_flight"`
}

// Server runs the world's listeners on loopback.
type Server struct {
	w       *World
	sites   []*siteServer // in region.Jincheng order
	credit  *siteServer
	servers []*http.Server
	wg      sync.WaitGroup
}

type siteServer struct {
	w    *World
	site *Site // nil for the credit mock
	name string
	url  string

	mu       sync.Mutex
	faults   Faults
	attempts map[string]int
	stats    RequestStats
	winStart time.Time
	winCount int
	inFlight int
}

// Serve starts one listener per county site and one for the credit mock,
// all on 127.0.0.1 with ephemeral ports.
func (w *World) Serve() (*Server, error) { return w.ServeOn("") }

// ServeOn is Serve with fixed ports: base "127.0.0.1:18000" puts the counties
// on 18000–18005 (division-code order) and the credit mock on 18006. An
// empty base means ephemeral ports.
func (w *World) ServeOn(base string) (*Server, error) {
	host, port := "127.0.0.1", 0
	if base != "" {
		h, p, err := net.SplitHostPort(base)
		if err != nil {
			return nil, fmt.Errorf("sim: 地址 %q 无效: %w", base, err)
		}
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("sim: 端口 %q 无效", p)
		}
		if h != "" {
			host = h
		}
	}
	srv := &Server{w: w}
	listen := func(i int) (net.Listener, error) {
		addr := net.JoinHostPort(host, "0")
		if port > 0 {
			addr = net.JoinHostPort(host, strconv.Itoa(port+i))
		}
		return net.Listen("tcp", addr)
	}
	start := func(ss *siteServer, l net.Listener) {
		ss.url = "http://" + l.Addr().String()
		hs := &http.Server{Handler: ss, ReadHeaderTimeout: 10 * time.Second}
		srv.servers = append(srv.servers, hs)
		srv.wg.Add(1)
		go func() {
			defer srv.wg.Done()
			hs.Serve(l)
		}()
	}
	for i, s := range w.sites {
		l, err := listen(i)
		if err != nil {
			srv.Close()
			return nil, err
		}
		ss := &siteServer{w: w, site: s, name: s.County.Name, attempts: map[string]int{}}
		srv.sites = append(srv.sites, ss)
		start(ss, l)
	}
	l, err := listen(len(w.sites))
	if err != nil {
		srv.Close()
		return nil, err
	}
	srv.credit = &siteServer{w: w, name: "gsxt", attempts: map[string]int{}}
	start(srv.credit, l)
	w.mu.Lock()
	w.srv = srv
	w.mu.Unlock()
	return srv, nil
}

// Close stops every listener and waits for them.
func (s *Server) Close() {
	for _, hs := range s.servers {
		hs.Close()
	}
	s.wg.Wait()
}

func (s *Server) lookup(name string) *siteServer {
	switch name {
	case "gsxt", "credit", "国家企业信用信息公示系统":
		return s.credit
	}
	c, ok := region.Lookup(name)
	if !ok {
		return nil
	}
	for _, ss := range s.sites {
		if ss.site.County.Code == c.Code {
			return ss
		}
	}
	return nil
}

// SiteURL is the base URL (scheme, host, port; no trailing slash) of a
// county's site; "" for an unknown county.
func (s *Server) SiteURL(county string) string {
	if ss := s.lookup(county); ss != nil && ss.site != nil {
		return ss.url
	}
	return ""
}

// CreditURL is the base URL of the credit-system mock.
func (s *Server) CreditURL() string { return s.credit.url }

// URL joins a county's base URL and a path from truth.json.
func (s *Server) URL(county, path string) string { return s.SiteURL(county) + path }

// SetFaults switches faults for a county's site ("gsxt" for the credit mock).
func (s *Server) SetFaults(county string, f Faults) {
	if ss := s.lookup(county); ss != nil {
		ss.mu.Lock()
		ss.faults = f
		ss.mu.Unlock()
	}
}

// Requests returns the request counts of a county's site ("gsxt" for the
// credit mock).
func (s *Server) Requests(county string) RequestStats {
	if ss := s.lookup(county); ss != nil {
		ss.mu.Lock()
		defer ss.mu.Unlock()
		return ss.stats
	}
	return RequestStats{}
}

// Attempts returns how often each request (method and URI) reached a
// county's site ("gsxt": the credit mock) since the last reset.
func (s *Server) Attempts(county string) map[string]int {
	if ss := s.lookup(county); ss != nil {
		ss.mu.Lock()
		defer ss.mu.Unlock()
		return maps.Clone(ss.attempts)
	}
	return nil
}

// ResetRequests zeroes every server's counts and attempt history.
func (s *Server) ResetRequests() {
	for _, ss := range append(slices.Clone(s.sites), s.credit) {
		ss.mu.Lock()
		ss.stats = RequestStats{}
		ss.attempts = map[string]int{}
		ss.mu.Unlock()
	}
}

func (ss *siteServer) count(k reqKind, status int) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.stats.Total++
	switch {
	case status == http.StatusNotModified:
		ss.stats.NotModified++
	case k == reqList:
		ss.stats.List++
	case k == reqDetail:
		ss.stats.Detail++
	case k == reqAttachment:
		ss.stats.Attachment++
	case k == reqRedirect:
		ss.stats.Redirect++
	case k == reqChallenge:
		ss.stats.Challenge++
	default:
		ss.stats.Other++
	}
}

func (ss *siteServer) countFault() {
	ss.mu.Lock()
	ss.stats.Total++
	ss.stats.Faults++
	ss.mu.Unlock()
}

// begin records the attempt and decides rate limiting under the lock.
func (ss *siteServer) begin(key string) (f Faults, attempt int, limited bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	f = ss.faults
	ss.attempts[key]++
	attempt = ss.attempts[key]
	if f.RateLimit > 0 {
		now := time.Now()
		if now.Sub(ss.winStart) >= time.Second {
			ss.winStart, ss.winCount = now, 0
		}
		ss.winCount++
		limited = ss.winCount > f.RateLimit
	}
	return f, attempt, limited
}

func (ss *siteServer) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		ss.admin(rw, r)
		return
	}
	ss.mu.Lock()
	ss.inFlight++
	ss.stats.MaxInFlight = max(ss.stats.MaxInFlight, ss.inFlight)
	ss.mu.Unlock()
	defer func() {
		ss.mu.Lock()
		ss.inFlight--
		ss.mu.Unlock()
	}()
	// The world's clock: the Date header carries the simulated day (with
	// the real time of day), so a harvester can date its observations in
	// the world's time rather than the machine's.
	rw.Header().Set("Date", ss.w.Clock().UTC().Format(http.TimeFormat))
	if r.Method == http.MethodHead && ss.site != nil && ss.site.uf.noHead {
		ss.count(reqOther, http.StatusMethodNotAllowed)
		http.Error(rw, "HEAD not allowed", http.StatusMethodNotAllowed)
		return
	}
	key := r.Method + " " + r.URL.RequestURI()
	f, attempt, limited := ss.begin(key)
	seed := ss.w.opts.Seed
	at := strconv.Itoa(attempt)
	if limited {
		ss.countFault()
		rw.Header().Set("Retry-After", "1")
		status := http.StatusTooManyRequests
		if ss.site != nil && (ss.site.Family == FamGeneric || ss.site.Family == FamTRSList) {
			status = http.StatusForbidden
		}
		http.Error(rw, http.StatusText(status), status)
		return
	}
	if f.ResetRate > 0 && hash01(seed, "reset", key, at) < f.ResetRate {
		ss.countFault()
		resetConnection(rw)
		return
	}
	if f.ErrorRate > 0 && hash01(seed, "error", key, at) < f.ErrorRate {
		ss.countFault()
		codes := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}
		code := codes[int(hash01(seed, "code", key, at)*3)]
		http.Error(rw, http.StatusText(code), code)
		return
	}
	now := ss.w.AsOf()
	if ss.site == nil {
		ss.serveCredit(rw, r, now, f, key, at)
		return
	}
	if pageDown(f, r) {
		ss.countFault()
		http.Error(rw, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	res := ss.site.route(r, now)
	if res.col != nil && columnDown(f, res.col) {
		ss.countFault()
		http.Error(rw, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
		return
	}
	ss.write(rw, r, res, f, key, at)
}

func pageDown(f Faults, r *http.Request) bool {
	for _, p := range f.DownPages {
		if p == r.URL.Path || p == r.URL.RequestURI() {
			return true
		}
	}
	return false
}

func columnDown(f Faults, c *Column) bool {
	for _, name := range f.DownColumns {
		if name == c.Name || name == c.Slug {
			return true
		}
	}
	return false
}

func (ss *siteServer) write(rw http.ResponseWriter, r *http.Request, res response, f Faults, key, at string) {
	h := rw.Header()
	if res.location != "" {
		h.Set("Location", res.location)
		// Counted before the answer leaves: a client that reads the count
		// after its answer must find its own request in it.
		ss.count(res.kind, res.status)
		rw.WriteHeader(res.status)
		return
	}
	if res.ctype != "" {
		h.Set("Content-Type", res.ctype)
	} else {
		h["Content-Type"] = nil // keep net/http from sniffing one
	}
	if res.status == http.StatusOK {
		s := ss.site
		var etag string
		if s.ETag && res.kind != reqOther {
			sum := sha256.Sum256(res.body)
			etag = `"` + hex.EncodeToString(sum[:8]) + `"`
			h.Set("ETag", etag)
		}
		var lm time.Time
		if s.LastModified && !res.modified.IsZero() {
			lm = time.Date(res.modified.Year(), res.modified.Month(), res.modified.Day(), 0, 0, 0, 0, calendar.China).UTC()
			h.Set("Last-Modified", lm.Format(http.TimeFormat))
		}
		if notModified(r, etag, lm) {
			ss.count(res.kind, http.StatusNotModified)
			rw.WriteHeader(http.StatusNotModified)
			return
		}
	}
	seed := ss.w.opts.Seed
	if f.SlowRate > 0 && f.Slow > 0 && hash01(seed, "slow", key, at) < f.SlowRate {
		select {
		case <-time.After(f.Slow):
		case <-r.Context().Done():
			return
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(res.body)))
	if f.TruncateRate > 0 && len(res.body) > 1 && hash01(seed, "truncate", key, at) < f.TruncateRate {
		ss.countFault()
		rw.WriteHeader(res.status)
		rw.Write(res.body[:len(res.body)/2])
		if fl, ok := rw.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler) // closes the connection short of Content-Length
	}
	ss.count(res.kind, res.status)
	rw.WriteHeader(res.status)
	if r.Method != http.MethodHead {
		rw.Write(res.body)
	}
}

func notModified(r *http.Request, etag string, lm time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if etag == "" {
			return false
		}
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimSpace(t)
			if t == etag || t == "W/"+etag || t == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !lm.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !lm.After(t)
	}
	return false
}

// resetConnection closes the TCP connection with RST (SO_LINGER 0).
func resetConnection(rw http.ResponseWriter) {
	hj, ok := rw.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

func (ss *siteServer) serveCredit(rw http.ResponseWriter, r *http.Request, now calendar.Date, f Faults, key, at string) {
	seed := ss.w.opts.Seed
	if f.SlowRate > 0 && f.Slow > 0 && hash01(seed, "slow", key, at) < f.SlowRate {
		select {
		case <-time.After(f.Slow):
		case <-r.Context().Done():
			return
		}
	}
	rec := &statusRecorder{ResponseWriter: rw}
	kind := ss.w.creditHandler(rec, r, now)
	ss.count(kind, rec.status)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// ---- admin endpoints (loopback only, never faulted or counted) ----

func (ss *siteServer) admin(rw http.ResponseWriter, r *http.Request) {
	w := ss.w
	switch r.URL.Path {
	case "/_sim/advance":
		if r.Method != http.MethodPost {
			http.Error(rw, "POST only", http.StatusMethodNotAllowed)
			return
		}
		d, err := calendar.ParseISO(r.URL.Query().Get("to"))
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		w.AdvanceTo(d)
		fmt.Fprintf(rw, "as_of=%s\n", d)
	case "/_sim/faults":
		target := ss
		if name := r.URL.Query().Get("county"); name != "" {
			target = nil
			if srv := w.server(); srv != nil {
				target = srv.lookup(name)
			}
			if target == nil {
				http.Error(rw, "unknown county "+name, http.StatusNotFound)
				return
			}
		}
		if r.Method == http.MethodPost {
			var f Faults
			body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err := json.Unmarshal(body, &f); err != nil {
				http.Error(rw, err.Error(), http.StatusBadRequest)
				return
			}
			target.mu.Lock()
			target.faults = f
			target.mu.Unlock()
		}
		target.mu.Lock()
		b, _ := json.Marshal(target.faults)
		target.mu.Unlock()
		rw.Header().Set("Content-Type", "application/json")
		rw.Write(b)
	case "/_sim/stats":
		ss.mu.Lock()
		b, _ := json.Marshal(ss.stats)
		ss.mu.Unlock()
		rw.Header().Set("Content-Type", "application/json")
		rw.Write(b)
	case "/_sim/truth.json":
		rw.Header().Set("Content-Type", "application/json")
		rw.Write(w.Truth().JSON())
	case "/_sim/records.csv":
		rw.Header().Set("Content-Type", "text/csv; charset=utf-8")
		rw.Write(w.RecordsCSV())
	case "/_sim/sites.yaml":
		if srv := w.server(); srv != nil {
			rw.Header().Set("Content-Type", "application/yaml; charset=utf-8")
			rw.Write(w.SitesYAML(srv))
			return
		}
		http.NotFound(rw, r)
	default:
		http.NotFound(rw, r)
	}
}

// server returns the running server of this world (for admin lookups
// across listeners); set by Serve.
func (w *World) server() *Server {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.srv
}
