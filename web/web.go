// Package web is `reporter serve`: the office's web UI and JSON API over
// the store and the same audit code as the CLI. It lives in its own package
// (not in cmd/reporter) so that its handlers, templates and cache are one
// unit with a narrow dependency on the command (the Env interface): the
// command owns flag and configuration parsing, the UI owns pages.
//
// Routes:
//
//	/                      overview and the filtered findings (?as_of=&from=&to=&county=&item=&status=&channel=&q=)
//	/record                one record (?county=&item=&no=[&channel=] plus the view's parameters)
//	/evidence/{id}         a stored capture with its metadata, the copy in a sandboxed frame
//	/evidence/{id}/raw     the stored payload as fetched (scripts forbidden by CSP; ?download=1 as a file)
//	/evidence-of?url=      the last capture of a URL (redirect)
//	/export.{xlsx,csv,json} the current view's findings in that format
//	/api/view              the overview's data as JSON (same parameters)
//	/api/record            the record page's data as JSON
//	/assets/…              embedded stylesheet
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/store"
)

//go:embed templates/*.html assets/*
var files embed.FS

// Scope is what an audit is built for: the cache key beside the store's
// generation.
type Scope struct {
	AsOf     calendar.Date
	From, To string
	County   string
	Item     string // one item code ("" = all)
}

// Env is what the command provides: validated audit options and the
// configuration's names.
type Env interface {
	Store() store.Store
	// Options validates the scope and returns Build's options; an error is
	// the user's mistake (shown as 400).
	Options(s Scope) (audit.Options, error)
	// ExpandItems turns "2" or "2.1,2.2" into item codes (error = bad input).
	ExpandItems(spec string) ([]string, error)
	Counties() []string
	ItemCodes() []string
	// ColumnURL is the first list page of a county's column ("" if unknown).
	ColumnURL(county, column string) string
}

// Server is the http.Handler of `reporter serve`.
type Server struct {
	env   Env
	mux   *http.ServeMux
	sem   chan struct{} // audits running at once; beyond it, 503
	Now   func() time.Time
	token string

	mu     sync.Mutex
	cache  map[string]*cacheEntry
	order  []string // insertion order, for eviction
	builds int      // audits actually run (for tests and /healthz)
	pages  map[string][]byte
	porder []string

	genMu   sync.Mutex
	gen     string
	genAt   time.Time // when the record count was read
	sweepAt time.Time // when the newest sweep was read
	lastDay calendar.Date
}

type cacheEntry struct {
	done chan struct{}
	rep  *audit.Report
	err  error
}

// Options tune a Server.
type Options struct {
	// Capacity is how many audits may run at once (default 1): a
	// province-scale audit needs much memory, and 2 cores are shared.
	Capacity int
	// Token, when set, is required as "Authorization: Bearer <token>" or as
	// the password of HTTP basic auth (any user name).
	Token string
}

const cacheSize = 64

// New returns the UI over env.
func New(env Env, o Options) *Server {
	if o.Capacity <= 0 {
		o.Capacity = 1
	}
	s := &Server{env: env, mux: http.NewServeMux(), sem: make(chan struct{}, o.Capacity), Now: time.Now,
		token: o.Token, cache: map[string]*cacheEntry{}, pages: map[string][]byte{}}
	s.routes()
	return s
}

// Handle adds a route behind the server's headers and authentication.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Builds is the number of audits the server has run (cache misses).
func (s *Server) Builds() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.builds
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// The UI runs only its own embedded script (no inline script, so an
	// escaping mistake could not run harvested text); stored copies none.
	// Evidence pages run no script at all.
	if !strings.HasSuffix(r.URL.Path, "/raw") {
		scripts := "'self'"
		if strings.HasPrefix(r.URL.Path, "/evidence/") {
			scripts = "'none'"
		}
		h.Set("Content-Security-Policy", "default-src 'self'; script-src "+scripts+"; object-src 'none'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Frame-Options", "DENY")
	}
	if s.token != "" && !s.authorized(r) {
		h.Set("WWW-Authenticate", `Basic realm="gongkai", charset="UTF-8"`)
		s.fail(w, r, http.StatusUnauthorized, "需要登录（令牌）")
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) authorized(r *http.Request) bool {
	if a, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && a == s.token {
		return true
	}
	_, p, ok := r.BasicAuth()
	return ok && p == s.token
}

// errBusy: every audit slot is taken.
var errBusy = errors.New("busy")

// requestError is the user's mistake (400).
type requestError struct{ msg string }

func (e requestError) Error() string { return e.msg }

// genRecheck bounds how stale the generation may be: a burst of page loads
// shares one look at the store instead of one query each.
const genRecheck = 250 * time.Millisecond

// generation identifies the store's content cheaply: the newest sweep (id,
// finish time, column count) and the number of expected records. The
// sweep is re-read at most every genRecheck, the record count at most
// every 5 seconds (imports are rare and come from another process).
func (s *Server) generation(ctx context.Context) (string, error) {
	s.genMu.Lock()
	if s.gen != "" && time.Since(s.sweepAt) < genRecheck {
		g := s.gen
		s.genMu.Unlock()
		return g, nil
	}
	s.genMu.Unlock()
	st := s.env.Store()
	sw, err := st.Sweeps(ctx, store.SweepQuery{Limit: 1})
	if err != nil {
		return "", err
	}
	key := "none"
	if len(sw) > 0 {
		key = fmt.Sprintf("%d/%d/%t/%d", sw[0].ID, sw[0].Finished.UnixNano(), sw[0].Interrupted, len(sw[0].Columns))
	}
	s.genMu.Lock()
	defer s.genMu.Unlock()
	if strings.HasPrefix(s.gen, key+"|") && time.Since(s.genAt) < 5*time.Second {
		s.sweepAt = time.Now()
		return s.gen, nil
	}
	recs, err := st.Records(ctx, store.RecordQuery{})
	if err != nil {
		return "", err
	}
	gen := fmt.Sprintf("%s|%d", key, len(recs))
	if gen != s.gen {
		s.lastDay = 0
		all, err := st.Sweeps(ctx, store.SweepQuery{})
		if err != nil {
			return "", err
		}
		for _, x := range all { // newest first
			if x.Complete() {
				s.lastDay = calendar.FromTime(x.Finished.In(calendar.China))
				break
			}
		}
	}
	s.gen, s.genAt, s.sweepAt = gen, time.Now(), time.Now()
	return gen, nil
}

// defaultAsOf is the day of the last complete sweep, or today when none.
func (s *Server) defaultAsOf(ctx context.Context) (calendar.Date, error) {
	if _, err := s.generation(ctx); err != nil {
		return 0, err
	}
	s.genMu.Lock()
	d := s.lastDay
	s.genMu.Unlock()
	if d == 0 {
		d = calendar.FromTime(s.Now().In(calendar.China))
	}
	return d, nil
}

// report returns the audit for the scope, from the cache when the store
// has not changed. Concurrent requests for one key wait for one audit;
// a new audit beyond the capacity fails at once with errBusy.
func (s *Server) report(ctx context.Context, sc Scope) (*audit.Report, error) {
	opts, err := s.env.Options(sc)
	if err != nil {
		return nil, requestError{err.Error()}
	}
	gen, err := s.generation(ctx)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s|%s|%s|%s|%s|%s", gen, opts.AsOf, opts.From, opts.To, opts.County, opts.Item)
	s.mu.Lock()
	e, ok := s.cache[key]
	if !ok {
		select {
		case s.sem <- struct{}{}:
		default:
			s.mu.Unlock()
			return nil, errBusy
		}
		e = &cacheEntry{done: make(chan struct{})}
		s.cache[key] = e
		s.order = append(s.order, key)
		if len(s.order) > cacheSize {
			delete(s.cache, s.order[0])
			s.order = s.order[1:]
		}
		s.builds++
		s.mu.Unlock()
		// The audit outlives the request that started it: others wait on it.
		go func() {
			defer func() { <-s.sem }()
			e.rep, e.err = audit.Build(context.WithoutCancel(ctx), s.env.Store(), opts)
			if e.err != nil {
				s.mu.Lock()
				if s.cache[key] == e {
					delete(s.cache, key) // do not keep a failure
				}
				s.mu.Unlock()
			}
			close(e.done)
		}()
	} else {
		s.mu.Unlock()
	}
	select {
	case <-e.done:
		return e.rep, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

const pageCacheSize = 64

func (s *Server) pageCache(key string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.pages[key]
	return b, ok
}

func (s *Server) keepPage(key string, b []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pages[key]; ok {
		return
	}
	s.pages[key] = b
	s.porder = append(s.porder, key)
	if len(s.porder) > pageCacheSize {
		delete(s.pages, s.porder[0])
		s.porder = s.porder[1:]
	}
}
