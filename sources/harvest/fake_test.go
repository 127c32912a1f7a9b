package harvest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"gongkai"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/store"
	_ "gongkai/store/sqlite"
)

// fakeSite is a tiny in-memory web site: URL → page. It answers
// conditional GETs with 304 and counts requests.
type fakeSite struct {
	mu       sync.Mutex
	pages    map[string]fakePage
	requests []string       // "KIND URL [304]"
	fail     map[string]int // URL → remaining failures (HTTP 500); negative: always
	seq      int
	// hook, when set, sees every request before it is answered (outside
	// the lock); an error fails the request.
	hook func(ctx context.Context, req fetch.Request) error
	// headStatus, when set, answers every HEAD (a server refusing HEAD: 405).
	headStatus int
}

type fakePage struct {
	status int
	body   string
}

func newFakeSite() *fakeSite {
	return &fakeSite{pages: map[string]fakePage{}, fail: map[string]int{}}
}

func (s *fakeSite) set(u, body string) {
	s.mu.Lock()
	s.pages[u] = fakePage{status: 200, body: body}
	s.mu.Unlock()
}

func (s *fakeSite) remove(u string) {
	s.mu.Lock()
	delete(s.pages, u)
	s.mu.Unlock()
}

func (s *fakeSite) reset() {
	s.mu.Lock()
	s.requests = nil
	s.mu.Unlock()
}

func (s *fakeSite) log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func digestOf(b string) string {
	h := sha256.Sum256([]byte(b))
	return "sha256:" + hex.EncodeToString(h[:])
}

func (s *fakeSite) Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.hook != nil {
		if err := s.hook(ctx, req); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	now := time.Now()
	capture := func(status int, typ, digest string) gongkai.Capture {
		return gongkai.Capture{ID: fmt.Sprintf("<urn:uuid:fake-%d-%d>", now.UnixNano(), s.seq), URL: req.URL, At: now, Type: typ, Status: status, PayloadDigest: digest}
	}
	if req.Method == http.MethodHead {
		// Logged with the method: link checks are the only HEADs.
		if s.headStatus != 0 {
			s.requests = append(s.requests, req.Kind+" HEAD "+req.URL+" "+strconv.Itoa(s.headStatus))
			return &fetch.Response{URL: req.URL, FinalURL: req.URL, Status: s.headStatus, Header: http.Header{}, Capture: capture(s.headStatus, "response", "")}, nil
		}
		status := 200
		if _, ok := s.pages[req.URL]; !ok {
			status = 404
		}
		s.requests = append(s.requests, req.Kind+" HEAD "+req.URL+" "+strconv.Itoa(status))
		return &fetch.Response{URL: req.URL, FinalURL: req.URL, Status: status, Header: http.Header{}, Capture: capture(status, "response", "")}, nil
	}
	if n := s.fail[req.URL]; n != 0 {
		if n > 0 {
			s.fail[req.URL] = n - 1
		}
		s.requests = append(s.requests, req.Kind+" "+req.URL+" 500")
		return &fetch.Response{URL: req.URL, FinalURL: req.URL, Status: 500, Header: http.Header{}, Capture: capture(500, "response", "")}, nil
	}
	p, ok := s.pages[req.URL]
	if !ok {
		s.requests = append(s.requests, req.Kind+" "+req.URL+" 404")
		return &fetch.Response{URL: req.URL, FinalURL: req.URL, Status: 404, Header: http.Header{}, Capture: capture(404, "response", digestOf(""))}, nil
	}
	d := digestOf(p.body)
	etag := `"` + d[7:23] + `"`
	h := http.Header{}
	h.Set("ETag", etag)
	if req.ETag == etag {
		s.requests = append(s.requests, req.Kind+" "+req.URL+" 304")
		return &fetch.Response{URL: req.URL, FinalURL: req.URL, Status: 304, Header: h, NotModified: true, Capture: capture(304, "revisit", req.PrevDigest), Digest: req.PrevDigest}, nil
	}
	s.requests = append(s.requests, req.Kind+" "+req.URL)
	c := capture(p.status, "revisit", d)
	if req.PrevDigest != d {
		// A real record, so that a later 304 can be answered from it.
		var err error
		if c, err = fetch.ResponseRecord(req.URL, now, p.status, h, []byte(p.body)); err != nil {
			return nil, err
		}
	}
	return &fetch.Response{URL: req.URL, FinalURL: req.URL, Status: p.status, Header: h, Body: []byte(p.body), HTML: p.body, Capture: c, Digest: d}, nil
}

// fakeFamily reads the fake site's line formats:
//
//	list:   "E url|title|YYYY-MM-DD" per entry, "N url" for the next page,
//	        "P n" the declared page count, "D n" the declared number of
//	        entries, "R url" a link listed but not followed (off-site),
//	        "EMPTY" the site's empty-list marker
//	detail: "T title", "A url|name" per attachment, "L url|name" per link
//	        of the body (cms.Detail.BodyLinks), other lines are body;
//	        "GONE" means 页面不存在
type fakeFamily struct{}

func (fakeFamily) FirstPage(col config.Column) fetch.Request {
	return fetch.Request{Method: http.MethodGet, URL: col.URL, Kind: "list"}
}

func (fakeFamily) ParseList(col config.Column, resp *fetch.Response, page int) (cms.ListResult, error) {
	var lr cms.ListResult
	for _, line := range strings.Split(resp.HTML, "\n") {
		switch {
		case strings.HasPrefix(line, "E "):
			f := strings.Split(line[2:], "|")
			d, err := calendar.ParseDate(f[2])
			if err != nil {
				return lr, err
			}
			lr.Entries = append(lr.Entries, cms.Entry{URL: f[0], Title: f[1], Date: d, DateText: f[2]})
		case strings.HasPrefix(line, "N "):
			lr.Next = append(lr.Next, fetch.Request{Method: http.MethodGet, URL: line[2:], Kind: "list"})
		case strings.HasPrefix(line, "P "):
			lr.PageCount, _ = strconv.Atoi(line[2:])
		case strings.HasPrefix(line, "D "):
			lr.DeclaredTotal, _ = strconv.Atoi(line[2:])
		case strings.HasPrefix(line, "R "):
			lr.Rejected = append(lr.Rejected, line[2:])
		case line == "EMPTY":
			lr.EmptyMarker = true
		}
	}
	lr.End = len(lr.Next) == 0
	return lr, nil
}

func (fakeFamily) ParseDetail(col config.Column, e cms.Entry, resp *fetch.Response) (cms.Detail, error) {
	var d cms.Detail
	var body []string
	for _, line := range strings.Split(resp.HTML, "\n") {
		switch {
		case line == "GONE":
			d.NotFound = true
		case strings.HasPrefix(line, "T "):
			d.Title = line[2:]
		case strings.HasPrefix(line, "A "):
			f := strings.SplitN(line[2:], "|", 2)
			d.Links = append(d.Links, cms.Link{URL: f[0], Name: f[1]})
		case strings.HasPrefix(line, "L "):
			f := strings.SplitN(line[2:], "|", 2)
			d.BodyLinks = append(d.BodyLinks, cms.Link{URL: f[0], Name: f[1]})
		default:
			body = append(body, line)
		}
	}
	d.Body = strings.Join(body, "\n")
	return d, nil
}

func (fakeFamily) BuildPublication(county config.County, src config.Source, col config.Column, e cms.Entry, d cms.Detail, atts []gongkai.Attachment) gongkai.Publication {
	p := gongkai.Publication{
		URL: e.URL, County: county.County, Channel: "政府网站", Source: src.Name, Column: col.Name, Candidates: col.Items,
		Title: d.Title, Declared: e.Date, DeclaredFrom: "list", Body: d.Body, Attachments: atts,
	}
	parts := []string{p.Title, p.Declared.String(), p.Body}
	for _, a := range atts {
		parts = append(parts, a.URL, a.Evidence, a.Text)
	}
	p.ContentHash = digestOf(strings.Join(parts, "\x00"))
	return p
}

// openStore opens a fresh SQLite store in the test's temp dir.
func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "sqlite://"+filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// fakeConfig is one county with one source and the given columns.
func fakeConfig(fullEvery int, cols ...config.Column) *config.Config {
	h := config.DefaultHarvest()
	h.FullEvery = fullEvery
	h.Delay = 0
	return &config.Config{
		Path:    "test.yaml",
		Harvest: h,
		Counties: []config.County{{County: "泽州县", Code: "140525", Sources: []config.Source{{
			Name: "泽州县政府信息公开", Preset: "trs", Hosts: []string{"site.test"}, Columns: cols,
		}}}},
	}
}
