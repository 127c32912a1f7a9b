package harvest_test

import (
	"context"
	"fmt"
	"gongkai"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/sim"
	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/sources/harvest"
	"gongkai/store"
)

// sweepCtx runs one sweep with ctx; an error from a cancelled context is
// expected.
func (e *simEnv) sweepCtx(t *testing.T, ctx context.Context, opts ...func(*harvest.Options)) []harvest.Summary {
	t.Helper()
	o := harvest.Options{Config: e.cfg, Store: e.st, Only: e.only, NoCredit: true}
	for _, f := range opts {
		f(&o)
	}
	h, err := harvest.New(o)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := h.Sweep(ctx)
	if err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}
	return sums
}

// lostEntries lists, per "county|column", the published pages of the
// truth that the store does not hold.
func lostEntries(t *testing.T, e *simEnv) map[string][]string {
	t.Helper()
	pubs := publications(t, e.st, catalogue.Website)
	lost := map[string][]string{}
	for _, tp := range e.w.Truth().Pages {
		if tp.Channel != catalogue.Website || !tp.Withdrawn.IsZero() || !slices.Contains(e.counties(), tp.County) {
			continue
		}
		if _, ok := pubs[e.srv.URL(tp.County, tp.URL)]; !ok {
			k := tp.County + "|" + tp.Column
			lost[k] = append(lost[k], tp.URL)
		}
	}
	return lost
}

// completeButLost reports the columns a sweep called complete although the
// store lacks some of their published pages.
func completeButLost(t *testing.T, e *simEnv, sums []harvest.Summary) []string {
	t.Helper()
	lost := lostEntries(t, e)
	var bad []string
	for _, s := range sums {
		for _, c := range s.Columns {
			if l := lost[s.County+"|"+c.Column]; c.Complete && len(l) > 0 {
				bad = append(bad, fmt.Sprintf("%s %s: complete, %d published pages not harvested (%v)", s.County, c.Column, len(l), l[:min(3, len(l))]))
			}
		}
	}
	return bad
}

// Issue 8, failure 3: a world at 2020-03-31 harvested completely, moved to
// 2020-12-31, then incremental sweeps interrupted at several points; the
// next uninterrupted sweep holds every published page, and no sweep calls a
// column complete that lacks one.
func TestE2EInterruptedIncrementalSweepsLoseNothing(t *testing.T) {
	e := newSimEnvAt(t, e2eSeed, calendar.Of(2020, time.March, 31))
	e.lighten()
	e.cfg.Harvest.PerHost = 1
	e.sweepCtx(t, context.Background())
	if lost := lostEntries(t, e); len(lost) > 0 {
		t.Fatalf("the first full sweep lost pages: %v", lost)
	}
	e.w.AdvanceTo(calendar.Of(2020, time.December, 31))
	newPages := 0
	for _, tp := range e.w.Truth().Pages {
		if tp.Channel == catalogue.Website && tp.Published > calendar.Of(2020, time.March, 31) && slices.Contains(e.counties(), tp.County) {
			newPages++
		}
	}
	t.Logf("%d pages published since the first sweep", newPages)

	for _, n := range []int{3, newPages / 6, newPages / 3} {
		ctx, cancel := context.WithCancel(context.Background())
		var commits atomic.Int64
		sums := e.sweepCtx(t, ctx, func(o *harvest.Options) {
			o.Observer = harvest.ObserverFunc(func(ev harvest.Event) {
				if ev.Kind == harvest.Committed && commits.Add(1) == int64(n) {
					cancel()
				}
			})
		})
		cancel()
		for _, s := range sums {
			if s.Full {
				t.Fatalf("sweep of %s is full; the test needs incremental ones", s.County)
			}
		}
		t.Logf("interrupted after %d commits", commits.Load())
		if bad := completeButLost(t, e, sums); len(bad) > 0 {
			t.Errorf("interrupted at %d:\n%s", n, strings.Join(bad, "\n"))
		}
	}
	sums := e.sweepCtx(t, context.Background())
	if bad := completeButLost(t, e, sums); len(bad) > 0 {
		t.Errorf("resumed sweep:\n%s", strings.Join(bad, "\n"))
	}
	if lost := lostEntries(t, e); len(lost) > 0 {
		var lines []string
		for k, l := range lost {
			lines = append(lines, fmt.Sprintf("%s: %d lost, e.g. %v", k, len(l), l[:min(3, len(l))]))
		}
		slices.Sort(lines)
		t.Errorf("after the resumed sweep, published pages are not in the store:\n%s", strings.Join(lines, "\n"))
	}
}

// probeList reads a column's first list page as the harvester would.
func probeList(t *testing.T, e *simEnv, col config.Column) cms.ListResult {
	t.Helper()
	f, err := fetch.New(e.cfg.Harvest, harvest.Hosts(e.cfg))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := f.Fetch(context.Background(), cms.FirstPage(col))
	if err != nil {
		t.Fatal(err)
	}
	lr, err := cms.ParseList(col, resp, 0)
	if err != nil {
		t.Fatal(err)
	}
	return lr
}

// pagedColumn finds a column of the swept counties whose first page leads
// to at least minPages GET list pages, with ok(col) true.
func pagedColumn(t *testing.T, e *simEnv, minPages int, ok func(config.Column) bool) (string, config.Column, cms.ListResult) {
	t.Helper()
	for _, county := range e.cfg.Counties {
		if !slices.Contains(e.counties(), county.County) {
			continue
		}
		for _, src := range county.Sources {
			for _, col := range src.Columns {
				if !ok(col) {
					continue
				}
				lr := probeList(t, e, col)
				if len(lr.Next) >= minPages-1 && len(lr.Next[0].Form) == 0 {
					return county.County, col, lr
				}
			}
		}
	}
	t.Fatalf("no column with %d list pages", minPages)
	return "", config.Column{}, cms.ListResult{}
}

// outcomeOf is the outcome of one column in a sweep's summaries.
func outcomeOf(t *testing.T, sums []harvest.Summary, county, column string) gongkai.ColumnOutcome {
	t.Helper()
	for _, s := range sums {
		if s.County != county {
			continue
		}
		for _, c := range s.Columns {
			if c.Column == column {
				return c
			}
		}
	}
	t.Fatalf("no outcome for %s %s", county, column)
	return gongkai.ColumnOutcome{}
}

// A list page answering 500 on every attempt: a full sweep, then three
// incremental ones. Each asks for the page again and leaves the column
// incomplete, saying which page failed.
func TestE2EListPageDownStaysIncompleteAcrossIncrementalSweeps(t *testing.T) {
	e := newSimEnv(t)
	e.lighten()
	e.cfg.Harvest.Retries = 1
	county, col, lr := pagedColumn(t, e, 2, func(config.Column) bool { return true })
	down := lr.Next[0].URL
	e.srv.SetFaults(county, sim.Faults{DownPages: []string{pathOf(down)}})
	t.Logf("%s %s: page %s always answers 500", county, col.Name, down)

	for i := range 4 {
		var asked atomic.Int64
		sums := e.sweepCtx(t, context.Background(), func(o *harvest.Options) {
			o.Observer = harvest.ObserverFunc(func(ev harvest.Event) {
				if ev.Kind == harvest.Fetched && ev.URL == down {
					asked.Add(1)
				}
			})
		})
		c := outcomeOf(t, sums, county, col.Name)
		for _, s := range sums {
			if s.County == county && s.Full != (i == 0) {
				t.Errorf("sweep %d: full=%v", i, s.Full)
			}
		}
		if asked.Load() == 0 {
			t.Errorf("sweep %d did not ask for the failed page again", i)
		}
		if c.Complete || !strings.Contains(c.Reason, down) || !strings.Contains(c.Reason, "HTTP 500") ||
			!strings.Contains(c.Reason, "第 2 页") || !slices.Contains(c.FailedPages, down) {
			t.Errorf("sweep %d: outcome %+v", i, c)
		}
		time.Sleep(2 * time.Millisecond)
	}
	// Stored as well, for the reports.
	sweeps, err := e.st.Sweeps(context.Background(), store.SweepQuery{County: county, Limit: 1})
	if err != nil || len(sweeps) != 1 {
		t.Fatal(sweeps, err)
	}
	for _, c := range sweeps[0].Columns {
		if c.Column == col.Name && (c.Complete || c.Why() == "" || !strings.Contains(c.Why(), down)) {
			t.Errorf("stored outcome %+v", c)
		}
	}
	// It answers again: the column is complete.
	e.srv.SetFaults(county, sim.Faults{})
	if c := outcomeOf(t, e.sweepCtx(t, context.Background()), county, col.Name); !c.Complete || c.Reason != "" {
		t.Errorf("after recovery: %+v", c)
	}
}

// Issue 8, failure 2: pages named one off from what the site uses, so a page
// inside the declared range answers 404. The column is incomplete and says
// which page, instead of ending the list there.
func TestE2EDeclaredPageAnswering404IsIncomplete(t *testing.T) {
	e := newSimEnv(t)
	e.cfg.Harvest.Retries = 1
	county, col, lr := pagedColumn(t, e, 2, func(c config.Column) bool {
		return c.Paging.Kind == config.PagingCreatePageHTML && c.Paging.Template == ""
	})
	e.only = []string{county} // the one county with such a column, also under the race detector
	if lr.PageCount < 2 {
		t.Fatalf("%s %s declares %d pages", county, col.Name, lr.PageCount)
	}
	// index_{n} instead of index_{i}: page 2 is asked as index_2, so the
	// last declared page is one that does not exist.
	for ci := range e.cfg.Counties {
		for si := range e.cfg.Counties[ci].Sources {
			for k, c := range e.cfg.Counties[ci].Sources[si].Columns {
				if e.cfg.Counties[ci].County == county && c.Name == col.Name {
					e.cfg.Counties[ci].Sources[si].Columns[k].Paging.Template = "index_{n}.shtml"
				}
			}
		}
	}
	sums := e.sweepCtx(t, context.Background())
	c := outcomeOf(t, sums, county, col.Name)
	want := fmt.Sprintf("应答 HTTP 404，而栏目声明共 %d 页", lr.PageCount)
	if c.Complete || !strings.Contains(c.Reason, want) || len(c.FailedPages) == 0 {
		t.Errorf("outcome %+v, want incomplete with %q", c, want)
	}
	t.Logf("reason: %s", c.Reason)
}
