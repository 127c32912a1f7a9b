// Package harvest syncs the configured publication sources into the store.
//
// It has the shape of Prometheus' scrape manager: a Harvester runs one loop
// per source (the counties' bureau sites in parallel, the credit system
// beside them), politeness per host lives in the one Fetcher they share, and
// every result reaches the store through Store.Apply — one Batch per unit of
// work (a list page, a detail page with its attachments, a credit lookup).
// A URL counts as done only after its Batch is committed, so a crash loses at
// most the units in flight and the next run resumes: what was committed is
// simply known.
//
// A sweep of a bureau site walks each column's list pages. Incremental
// sweeps stop at the first run of already-known, unchanged entries; every
// FullEvery-th sweep of a source walks every page, re-checks every known
// detail with a conditional GET and looks for withdrawals (gone from the
// list and 404 or 页面不存在).
package harvest

import (
	"context"
	"errors"
	"fmt"
	"gongkai"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/region"
	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/store"
)

// Fetcher performs HTTP exchanges; *fetch.Fetcher implements it.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// Family reads a CMS family's list and detail pages. The default is the cms
// package (which dispatches on each column's preset); tests substitute fakes.
type Family interface {
	FirstPage(col config.Column) fetch.Request
	ParseList(col config.Column, resp *fetch.Response, page int) (cms.ListResult, error)
	ParseDetail(col config.Column, e cms.Entry, resp *fetch.Response) (cms.Detail, error)
	BuildPublication(county config.County, src config.Source, col config.Column, e cms.Entry, d cms.Detail, atts []gongkai.Attachment) gongkai.Publication
}

// Options configure a Harvester.
type Options struct {
	Config *config.Config
	Store  store.Store
	// Fetcher defaults to fetch.New over every configured host.
	Fetcher Fetcher
	// Family defaults to the cms package.
	Family Family
	// Catalogue decides which records the credit system must show and,
	// with Calendar, when they are due; default catalogue.Default().
	Catalogue *catalogue.Catalogue
	// Calendar gives the working days due dates are counted in (the
	// credit lookups owed once a record is due); default calendar.Default().
	Calendar *calendar.Calendar
	// Only restricts the sweep to these counties (official name, short name or code).
	Only []string
	// Full forces a full re-walk of every source regardless of FullEvery.
	Full bool
	// KnownRun is how many consecutive known, unchanged list entries end an
	// incremental walk of a column; 0 means one full list page.
	KnownRun int
	// NoCredit skips the credit-system lookups even when configured.
	NoCredit bool
	// Observer receives progress events.
	Observer Observer
	// Logger receives structured logs; default discards.
	Logger *slog.Logger
	// Executor executes the sweep's detail units elsewhere (several
	// machines); nil executes them in this process.
	Executor Executor
	// Now is the clock; default time.Now. It must not run backwards from
	// one sweep of a store to the next: an incremental walk stops only at
	// entries committed before the column's last complete observation.
	Now func() time.Time
}

// Harvester runs sweeps.
type Harvester struct {
	cfg     *config.Config
	st      store.Store
	fetcher Fetcher
	family  Family
	cat     *catalogue.Catalogue
	cal     *calendar.Calendar
	opts    Options
	obs     Observer
	log     *slog.Logger
	now     func() time.Time
	units   unitRuns // ExecuteDetail's state (workers)
}

// New checks the options and builds a Harvester.
func New(o Options) (*Harvester, error) {
	if o.Config == nil {
		return nil, errors.New("harvest: no configuration")
	}
	if o.Store == nil {
		return nil, errors.New("harvest: no store")
	}
	h := &Harvester{cfg: o.Config, st: o.Store, fetcher: o.Fetcher, family: o.Family, cat: o.Catalogue, cal: o.Calendar, opts: o, obs: o.Observer, log: o.Logger, now: o.Now}
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.obs == nil {
		h.obs = ObserverFunc(func(Event) {})
	}
	if h.family == nil {
		h.family = cmsFamily{}
	}
	if h.cat == nil {
		h.cat = catalogue.Default()
	}
	if h.cal == nil {
		h.cal = calendar.Default()
	}
	for _, name := range o.Only {
		if _, ok := h.findCounty(name); !ok {
			return nil, fmt.Errorf("配置 %s 中没有县区 %q", o.Config.Path, name)
		}
	}
	if h.fetcher == nil {
		f, err := fetch.New(o.Config.Harvest, Hosts(o.Config))
		if err != nil {
			return nil, err
		}
		h.fetcher = f
	}
	return h, nil
}

// Hosts lists every host the configuration allows the fetcher to reach.
func Hosts(c *config.Config) []string {
	var hosts []string
	add := func(h string) {
		h = strings.ToLower(strings.TrimSpace(h))
		if h != "" && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	for _, county := range c.Counties {
		for _, src := range county.Sources {
			for _, h := range sourceHosts(src) {
				add(h)
			}
		}
	}
	if c.Credit != nil {
		if u, err := url.Parse(c.Credit.URL); err == nil {
			add(u.Host)
		}
	}
	return hosts
}

// sourceHosts lists a source's hosts and its columns' hosts, as given.
func sourceHosts(src config.Source) []string {
	hosts := slices.Clone(src.Hosts)
	for _, col := range src.Columns {
		if u, err := url.Parse(col.URL); err == nil {
			hosts = append(hosts, u.Host)
		}
	}
	return hosts
}

// findCounty resolves a county given by official name, short name or code.
func (h *Harvester) findCounty(name string) (config.County, bool) {
	want := strings.TrimSpace(name)
	if rc, ok := region.Lookup(want); ok {
		want = rc.Name
	}
	for _, c := range h.cfg.Counties {
		if c.County == want || c.County == strings.TrimSpace(name) || (c.Code != "" && c.Code == strings.TrimSpace(name)) {
			return c, true
		}
	}
	return config.County{}, false
}

// Counties returns the counties this harvester sweeps, in configuration order.
func (h *Harvester) Counties() []config.County {
	if len(h.opts.Only) == 0 {
		return h.cfg.Counties
	}
	var out []config.County
	for _, c := range h.cfg.Counties {
		for _, name := range h.opts.Only {
			if got, _ := h.findCounty(name); got.County == c.County {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// Sweep runs one sweep of every selected source: the bureau sites of every
// county in parallel, and the credit-system lookups. It returns one Summary
// per source. Site failures are recorded in the store and the summaries, not
// returned as errors; the error is non-nil only when the store fails or the
// context is cancelled (the summaries then say what was done).
func (h *Harvester) Sweep(ctx context.Context) ([]Summary, error) {
	var (
		mu        sync.Mutex
		summaries []Summary
		firstErr  error
		wg        sync.WaitGroup
	)
	record := func(s Summary, err error) {
		mu.Lock()
		defer mu.Unlock()
		summaries = append(summaries, s)
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	counties := h.Counties()
	// One appender for every source: their batches share transactions.
	app := newAppender(h.st)
	for _, county := range counties {
		for _, src := range county.Sources {
			wg.Add(1)
			go func() {
				defer wg.Done()
				record(h.sweepSource(ctx, app, county, src))
			}()
		}
	}
	if h.cfg.Credit != nil && !h.opts.NoCredit {
		wg.Add(1)
		go func() {
			defer wg.Done()
			record(h.sweepCredit(ctx, app, counties))
		}()
	}
	wg.Wait()
	app.close()
	// The browser of render: browser lives for one sweep.
	if b, ok := h.fetcher.(interface{ CloseBrowser() }); ok {
		b.CloseBrowser()
	}
	// Keep the configuration's order so tables and logs are stable.
	order := map[string]int{}
	for i, c := range counties {
		order[c.County] = i
	}
	slices.SortStableFunc(summaries, func(a, b Summary) int {
		ai, aok := order[a.County]
		bi, bok := order[b.County]
		switch {
		case !aok && bok:
			return 1
		case aok && !bok:
			return -1
		case ai != bi:
			return ai - bi
		}
		return strings.Compare(a.Source, b.Source)
	})
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	return summaries, firstErr
}

// emit stamps and forwards an event.
func (h *Harvester) emit(e Event) {
	if e.At.IsZero() {
		e.At = h.now()
	}
	h.obs.Event(e)
}

// isFull decides whether this sweep of a source is a full re-walk: when
// forced, when the source has never completed a full sweep, or when
// FullEvery-1 sweeps have run since the last completed full one.
func (h *Harvester) isFull(ctx context.Context, county, source string) (bool, error) {
	if h.opts.Full {
		return true, nil
	}
	every := h.cfg.Harvest.FullEvery
	if every <= 1 {
		return true, nil
	}
	sweeps, err := h.st.Sweeps(ctx, store.SweepQuery{Source: source, County: county, Limit: every + 1})
	if err != nil {
		return false, err
	}
	for i, s := range sweeps {
		if s.Full && !s.Finished.IsZero() && !s.Interrupted {
			return i+1 >= every, nil
		}
	}
	// Either no completed full sweep yet, or more than FullEvery sweeps back.
	return true, nil
}

// cmsFamily is the production Family: the cms package.
type cmsFamily struct{}

func (cmsFamily) FirstPage(col config.Column) fetch.Request { return cms.FirstPage(col) }
func (cmsFamily) ParseList(col config.Column, resp *fetch.Response, page int) (cms.ListResult, error) {
	return cms.ParseList(col, resp, page)
}
func (cmsFamily) ParseDetail(col config.Column, e cms.Entry, resp *fetch.Response) (cms.Detail, error) {
	return cms.ParseDetail(col, e, resp)
}
func (cmsFamily) BuildPublication(county config.County, src config.Source, col config.Column, e cms.Entry, d cms.Detail, atts []gongkai.Attachment) gongkai.Publication {
	return cms.BuildPublication(county, src, col, e, d, atts)
}
