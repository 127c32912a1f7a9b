package harvest

// Internal links inside published items (栏目健康: 失效链接). A page's body
// links to other pages of the same site; a link that answers 404 or cannot
// be fetched is a dead link the office must see, with the page it is on.
// Links are checked through the source's fetcher (its per-host politeness
// and scope), each distinct URL at most once per sweep however many pages
// link it, with HEAD where the site allows it. A page's links are checked
// when the page is parsed (new or changed); links found dead are checked
// again at the end of every later sweep, so that a fixed link stops being
// reported.

import (
	"context"
	"fmt"
	"gongkai"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/store"
)

// kindLink labels the exchanges that check an internal link.
const kindLink = "link"

// linkChecks is what one sweep of a source learnt of internal links.
type linkChecks struct {
	mu     sync.Mutex
	byURL  map[string]*linkCheck
	noHead map[string]bool // hosts that refused HEAD in this sweep
	parsed map[string]bool // pages whose links were checked as parsed in this sweep
}

// linkCheck is the check of one URL; done is closed once it is known.
type linkCheck struct {
	done    chan struct{}
	status  int
	err     string // "" = the link answered
	skipped bool   // not observed (challenge, cancelled): nothing to store
	at      time.Time
	capture gongkai.Capture
	claimed bool // the capture went into a batch already
}

// internal reports whether link points into the site of page: the same
// host, or one of the source's configured hosts.
func (r *sourceRun) internal(page, link string) bool {
	lu, err := url.Parse(link)
	if err != nil || lu.Host == "" {
		return false
	}
	if pu, err := url.Parse(page); err == nil && strings.EqualFold(pu.Host, lu.Host) {
		return true
	}
	return config.InScope(r.src.Hosts, link)
}

// pageLinks checks the internal links among links found on page and
// returns them with their results, and the captures of the checks made
// for them (each capture goes into one batch only). ok is false when the
// sweep was cancelled meanwhile: the page's stored links are then left as
// they are.
func (r *sourceRun) pageLinks(ctx context.Context, page string, links []cms.Link) (store.PageLinks, []gongkai.Capture, bool) {
	r.links.mu.Lock()
	if r.links.parsed == nil {
		r.links.parsed = map[string]bool{}
	}
	r.links.parsed[page] = true
	r.links.mu.Unlock()
	pl := store.PageLinks{Page: page}
	var caps []gongkai.Capture
	for _, l := range links {
		if !r.internal(page, l.URL) {
			continue
		}
		c := r.checkLink(ctx, l.URL)
		if c == nil {
			return pl, nil, false
		}
		if c.skipped {
			continue
		}
		pl.Links = append(pl.Links, c.link(l.URL, l.Name))
		if cp := r.claim(c); cp.ID != "" {
			caps = append(caps, cp)
		}
	}
	return pl, caps, true
}

func (c *linkCheck) link(u, name string) store.PageLink {
	return store.PageLink{URL: u, Name: name, Status: c.status, Error: c.err, CheckedAt: c.at, CaptureID: c.capture.ID}
}

// claim hands out the check's capture once.
func (r *sourceRun) claim(c *linkCheck) gongkai.Capture {
	r.links.mu.Lock()
	defer r.links.mu.Unlock()
	if c.claimed || c.capture.ID == "" {
		return gongkai.Capture{}
	}
	c.claimed = true
	return c.capture
}

// checkLink returns the sweep's check of u, making it if no other worker
// has; nil when the context ends first.
func (r *sourceRun) checkLink(ctx context.Context, u string) *linkCheck {
	r.links.mu.Lock()
	if r.links.byURL == nil {
		r.links.byURL = map[string]*linkCheck{}
	}
	if c, ok := r.links.byURL[u]; ok {
		r.links.mu.Unlock()
		select {
		case <-c.done:
			return c
		case <-ctx.Done():
			return nil
		}
	}
	c := &linkCheck{done: make(chan struct{})}
	r.links.byURL[u] = c
	r.links.mu.Unlock()
	defer close(c.done)
	r.probeLink(ctx, u, c)
	if ctx.Err() != nil {
		c.skipped = true
		return nil
	}
	r.t.update(func(s *Summary) {
		if !c.skipped {
			s.LinksChecked++
			if c.err != "" {
				s.DeadLinks++
			}
		}
	})
	return c
}

// probeLink asks for u: HEAD unless the host refused it earlier in the
// sweep or the site answers missing pages with 200 (then only the page
// itself tells), else GET.
func (r *sourceRun) probeLink(ctx context.Context, u string, c *linkCheck) {
	host := ""
	if pu, err := url.Parse(u); err == nil {
		host = strings.ToLower(pu.Host)
	}
	r.links.mu.Lock()
	head := !r.links.noHead[host]
	r.links.mu.Unlock()
	if head && !r.softNotFoundSite(ctx) {
		resp, err := r.fetch(ctx, fetch.Request{Method: http.MethodHead, URL: u, Kind: kindLink})
		if err != nil || !headRefused(resp.Status) {
			r.judgeLink(ctx, u, c, resp, err, false)
			return
		}
		r.links.mu.Lock()
		if r.links.noHead == nil {
			r.links.noHead = map[string]bool{}
		}
		r.links.noHead[host] = true
		r.links.mu.Unlock()
		r.h.log.Info("host refuses HEAD; links checked with GET", "source", r.src.Name, "host", host, "status", resp.Status)
	}
	resp, err := r.fetch(ctx, fetch.Request{Method: http.MethodGet, URL: u, Kind: kindLink})
	r.judgeLink(ctx, u, c, resp, err, true)
}

// headRefused: the answers of a server that does not do HEAD.
func headRefused(status int) bool {
	return status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented || status == http.StatusBadRequest
}

// softNotFoundSite reports whether the site answers a missing page with
// 200 (it has a soft-404 profile): a HEAD's status says nothing there.
func (r *sourceRun) softNotFoundSite(ctx context.Context) bool {
	r.nf.once.Do(func() { r.nf.prof = r.probeNotFound(ctx) })
	return r.nf.prof != nil
}

// judgeLink records what an answer says of a link. Dead: 4xx, a final
// 5xx, a transport failure after the fetcher's retries, or (GET) the
// site's own missing page. A challenge observed nothing; a redirect off
// the configured hosts or a body over the cap did answer.
func (r *sourceRun) judgeLink(ctx context.Context, u string, c *linkCheck, resp *fetch.Response, err error, get bool) {
	c.at = r.h.now()
	switch {
	case err != nil && ctx.Err() != nil:
		c.skipped = true
	case err != nil && permanentFetchError(err):
	case err != nil:
		c.err = err.Error()
	case resp.Challenge:
		c.skipped = true
	default:
		c.status, c.capture = resp.Status, resp.Capture
		switch {
		case resp.Status >= 400:
			c.err = fmt.Sprintf("HTTP %d", resp.Status)
		case get && r.isSoftNotFound(ctx, resp):
			c.err = fmt.Sprintf("页面不存在（HTTP %d，与本站不存在页面的应答相同）", resp.Status)
		}
	}
	if c.err != "" {
		r.h.log.Info("dead internal link", "county", r.county.County, "source", r.src.Name, "url", u, "error", c.err)
	}
}

// recheckDeadLinks checks again, at the end of the sweep, the links found
// dead on the source's pages that this sweep did not parse, and stores
// each such page's links with the new results.
func (r *sourceRun) recheckDeadLinks(ctx context.Context) error {
	pls, err := r.h.st.PageLinks(ctx, store.PageLinkQuery{Prefixes: statePrefixes(r.src, maps.Keys(r.known)), DeadOnly: true})
	if err != nil {
		return fmt.Errorf("读取失效链接失败: %w", err)
	}
	for _, pl := range pls {
		p, known := r.known[pl.Page]
		r.links.mu.Lock()
		parsed := r.links.parsed[pl.Page]
		r.links.mu.Unlock()
		if !known || parsed || p.State == gongkai.Withdrawn {
			continue
		}
		b := store.Batch{SweepID: r.sweepID, At: r.h.now()}
		next := store.PageLinks{Page: pl.Page}
		for _, l := range pl.Links {
			if l.Dead() && r.internal(pl.Page, l.URL) {
				c := r.checkLink(ctx, l.URL)
				if c == nil {
					return nil
				}
				if !c.skipped {
					l = c.link(l.URL, l.Name)
					if cp := r.claim(c); cp.ID != "" {
						b.Captures = append(b.Captures, cp)
					}
				}
			}
			next.Links = append(next.Links, l)
		}
		b.PageLinks = []store.PageLinks{next}
		if err := r.apply(ctx, b); err != nil {
			return err
		}
	}
	return nil
}
