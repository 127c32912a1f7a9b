// Package sim is gongkai's simulated publication world: six Jincheng county
// sites built on different CMS families, a mock of the enterprise credit
// publicity system, and the ground truth of what was expected, published,
// late or missing. It is deterministic from a seed, serves itself on
// loopback, and can be moved on in time.
//
// Production packages must not import sim; tests and cmd/simworld do.
package sim

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/region"
)

// Size selects the world's volume.
type Size int

const (
	// Small is for unit tests: a few hundred pages.
	Small Size = iota
	// Large is for benchmarks: at least 30,000 pages.
	Large
)

// ParseSize reads "small" or "large".
func ParseSize(s string) (Size, error) {
	switch s {
	case "small", "":
		return Small, nil
	case "large":
		return Large, nil
	}
	return Small, fmt.Errorf("未知的规模 %q（应为 small 或 large）", s)
}

func (s Size) String() string {
	if s == Large {
		return "large"
	}
	return "small"
}

// Options configure Generate.
type Options struct {
	Seed  int64
	Start calendar.Date // first day records are formed; default: one year before AsOf
	AsOf  calendar.Date // the world's "today"; default 2020-12-31
	Size  Size
	// Unfamiliar switches every county to a variant of its family that
	// real sites show and the product once mishandled (a Hanweb column
	// with a variable ajaxParam, an intertid list declaring only
	// _pageCount, scanned PDFs, decisions in prose, sampling notices with
	// the basis in prose, 404号 decisions, news columns carrying
	// activities, a pinned note, a script-filled shell column and a blank
	// column); see sim/README.md. Off, the world is byte-identical to the
	// familiar one.
	Unfamiliar bool
	// JSONAPI moves 高平市 onto a provincial "集约化" platform: every
	// column page is an empty shell whose script fetches the list from
	// /api/cms/list?channelId=…&pageNo=N ({"total", "data": [{"title",
	// "url", "publishDate"}]}); detail pages stay HTML. Records, pages and
	// truth are as without it.
	JSONAPI bool
	// ScriptList makes 城区's 食品安全抽检 column render only with
	// JavaScript: its list pages carry the entries as an XOR-encoded,
	// base64 inline string that a script decodes into the list (neither
	// the HTML nor an endpoint holds them plainly). Truth as without it.
	ScriptList bool
}

// World is a generated scenario with its sites, credit system and truth.
// All methods are safe for concurrent use.
type World struct {
	opts    Options
	cal     *calendar.Calendar
	cat     *catalogue.Catalogue
	horizon calendar.Date // the last day anything is generated for

	sites  []*Site
	recs   []*simRecord
	ents   [][]*enterprise
	extra  []*penaltyCase // cases without an expected record (history, the city's)
	credit *creditWorld

	// challenged is the county whose enterprises the credit mock always
	// answers with a captcha challenge.
	challenged int

	mu    sync.RWMutex
	now   calendar.Date
	truth *Truth
	srv   *Server // the latest Serve, for admin endpoints

	onAdvance []func(calendar.Date)
}

// The counties and the column the JSONAPI and ScriptList options change.
const (
	JSONAPICounty    = "高平市"
	ScriptListCounty = "城区"
	ScriptListColumn = "食品安全抽检"
)

// ChallengedCounty is the county whose enterprises are always answered with
// a challenge on the credit mock: its credit-channel records are unverified.
const ChallengedCounty = "阳城县"

// Generate builds a world deterministically from o.Seed.
func Generate(o Options) (*World, error) {
	if o.AsOf.IsZero() {
		o.AsOf = calendar.Of(2020, time.December, 31)
	}
	if o.Start.IsZero() {
		o.Start = calendar.Of(o.AsOf.Year()-1, o.AsOf.Month(), o.AsOf.Day()+1)
	}
	if o.Start >= o.AsOf {
		return nil, errors.New("sim: Start 必须早于 AsOf")
	}
	cal := calendar.Default()
	// The horizon lets AdvanceTo show new items after AsOf; it stays inside
	// the calendar's data so every due date can be computed.
	horizon := o.AsOf.AddDays(180)
	if limit := calendar.Of(2026, time.October, 31); horizon > limit {
		horizon = limit
	}
	if horizon < o.AsOf {
		return nil, fmt.Errorf("sim: AsOf %s 超出日历数据范围", o.AsOf)
	}
	for _, d := range []calendar.Date{o.Start, horizon} {
		if _, err := cal.IsWorkday(d); err != nil {
			return nil, fmt.Errorf("sim: %s 不在日历数据范围内: %w", d, err)
		}
	}
	w := &World{
		opts:    o,
		cal:     cal,
		cat:     catalogue.Default(),
		horizon: horizon,
		now:     o.AsOf,
	}
	for i, c := range region.Jincheng {
		if c.Name == ChallengedCounty {
			w.challenged = i
		}
	}
	w.sites = newSites(o.Size, o.Unfamiliar)
	for _, s := range w.sites {
		switch {
		case o.JSONAPI && s.County.Name == JSONAPICounty:
			s.jsonAPI = true
		case o.ScriptList && s.County.Name == ScriptListCounty:
			// Shorter pages, so that the script-built list has a second
			// page to reach.
			c := s.columnByName(ScriptListColumn)
			c.ScriptList, c.PerPage = true, (c.PerPage+2)/3
		}
	}
	g := newGenerator(w)
	if err := g.run(); err != nil {
		return nil, err
	}
	return w, nil
}

// AsOf returns the world's current day.
func (w *World) AsOf() calendar.Date {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.now
}

// Clock is the world's current time: its day with the real time of day
// (Beijing time), as the servers send it in the Date header.
func (w *World) Clock() time.Time {
	now := w.AsOf()
	t := time.Now().In(calendar.China)
	return time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), t.Second(), 0, calendar.China)
}

// Seed returns the seed the world was generated from.
func (w *World) Seed() int64 { return w.opts.Seed }

// Unfamiliar reports whether the world was generated with Options.Unfamiliar.
func (w *World) Unfamiliar() bool { return w.opts.Unfamiliar }

// Counties returns the official county names in division-code order.
func (w *World) Counties() []string { return region.Names() }

// Family returns the CMS family of a county's site.
func (w *World) Family(county string) Family {
	if s := w.site(county); s != nil {
		return s.Family
	}
	return ""
}

// AdvanceTo moves the world to day d: items published up to d appear, pages
// edited or withdrawn up to d change, and the truth is recomputed. Moving
// backwards is allowed (the model is a pure function of the day).
func (w *World) AdvanceTo(d calendar.Date) {
	w.mu.Lock()
	w.now = d
	w.truth = nil
	hooks := slices.Clone(w.onAdvance)
	w.mu.Unlock()
	for _, fn := range hooks {
		fn(d)
	}
}

// OnAdvance registers fn to run after every AdvanceTo (also the admin
// endpoint's), e.g. to rewrite truth.json.
func (w *World) OnAdvance(fn func(calendar.Date)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.onAdvance = append(w.onAdvance, fn)
}

func (w *World) site(county string) *Site {
	c, ok := region.Lookup(county)
	if !ok {
		return nil
	}
	for _, s := range w.sites {
		if s.County.Code == c.Code {
			return s
		}
	}
	return nil
}

// shownFrom is the first day the entry is served (its declared date, or
// later for a backdated page).
func (e *Entry) shownFrom() calendar.Date {
	if e.appearsOn > e.Published {
		return e.appearsOn
	}
	return e.Published
}

// visible reports whether an entry can be seen on day now.
func (e *Entry) visible(now calendar.Date) bool {
	return e.shownFrom() <= now && (e.withdrawnOn.IsZero() || e.withdrawnOn > now)
}

// titleAt is the entry's title as shown on day now.
func (e *Entry) titleAt(now calendar.Date) string {
	if e.editedTitle != "" && !e.editedOn.IsZero() && e.editedOn <= now {
		return e.editedTitle
	}
	return e.Title
}

// declaredOn is the publication date the entry's page and the lists
// declare on day now: Published, or the moved date of a redated entry.
func (e *Entry) declaredOn(now calendar.Date) calendar.Date {
	if e.redated != 0 && e.editedOn != 0 && e.editedOn <= now {
		return e.redated
	}
	return e.Published
}

// changedAt is the last day the entry's page changed, as of now.
func (e *Entry) changedAt(now calendar.Date) calendar.Date {
	d := e.shownFrom()
	if !e.editedOn.IsZero() && e.editedOn <= now && e.editedOn > d {
		d = e.editedOn
	}
	return d
}

// visibleEntries returns the column's entries visible on day now, newest
// first, and the last day anything in the column changed.
func (c *Column) visibleEntries(now calendar.Date) ([]*Entry, calendar.Date) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cacheAt == now && c.visible != nil {
		return c.visible, c.lastMod
	}
	vis := make([]*Entry, 0, len(c.entries))
	var last calendar.Date
	for _, e := range c.entries {
		if e.visible(now) {
			vis = append(vis, e)
			if d := e.changedAt(now); d > last {
				last = d
			}
		} else if !e.withdrawnOn.IsZero() && e.withdrawnOn <= now && e.withdrawnOn > last && e.shownFrom() <= now {
			last = e.withdrawnOn
		}
	}
	c.cacheAt, c.visible, c.lastMod = now, vis, last
	return vis, last
}

// sortEntries orders entries newest first, as every list shows them.
func sortEntries(es []*Entry) {
	slices.SortStableFunc(es, func(a, b *Entry) int {
		if a.pinned != b.pinned {
			if a.pinned {
				return -1
			}
			return 1
		}
		if a.Published != b.Published {
			return int(b.Published) - int(a.Published)
		}
		if a.Clock != b.Clock {
			return b.Clock - a.Clock
		}
		return b.ID - a.ID
	})
}

// ObserverClock is the clock to harvest a simulated world with: the evening
// of the world's day d, running on in real time from the call, so that sweep
// history (observed after a due date, first seen after a complete
// observation) is in the world's time rather than the machine's.
func ObserverClock(d calendar.Date) func() time.Time {
	base := time.Date(d.Year(), d.Month(), d.Day(), 20, 0, 0, 0, calendar.China)
	start := time.Now()
	return func() time.Time { return base.Add(time.Since(start)) }
}
