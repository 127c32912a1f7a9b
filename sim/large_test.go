package sim

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/catalogue"
)

// TestLargeWorld checks the benchmark world: at least 30,000 pages, built
// in seconds, served from the model.
func TestLargeWorld(t *testing.T) {
	if testing.Short() {
		t.Skip("large world in -short mode")
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	w, err := Generate(Options{Seed: 1, Size: Large})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if took > 20*time.Second {
		t.Errorf("large world took %v to generate", took)
	}
	details, lists := 0, 0
	now := w.AsOf()
	for _, s := range w.sites {
		for _, c := range s.Columns {
			vis, _ := c.visibleEntries(now)
			lists += pageCount(len(vis), c.PerPage)
			for _, e := range vis {
				if e.kind != kindOffsite {
					details++
				}
			}
		}
	}
	t.Logf("generated in %v: %d detail pages, %d list pages, %d records, heap %d MiB",
		took, details, lists, len(w.recs), (after.HeapAlloc-before.HeapAlloc)>>20)
	if details+lists < 30000 {
		t.Errorf("large world has %d pages, want ≥ 30,000", details+lists)
	}
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	f := newFetcher(t)
	for _, s := range w.sites {
		c := s.Columns[0]
		vis, _ := c.visibleEntries(now)
		var e *Entry
		for _, x := range vis[len(vis)/2:] {
			if x.kind != kindOffsite {
				e = x
				break
			}
		}
		body := text(f.mustGet(srv.URL(s.County.Name, e.Path)))
		if !strings.Contains(body, e.Title) {
			t.Errorf("%s: %s does not show its title", s.County.Name, e.Path)
		}
		if s.Family != FamHanweb {
			n := pageCount(len(vis), c.PerPage)
			var last string
			switch s.Family {
			case FamTRS, FamTRSCount:
				last = c.Dir + "index_" + itoa(n-1) + ".shtml"
			case FamIntertid:
				last = c.Dir + "index_" + itoa(n) + ".shtml"
			case FamTRSList:
				last = c.Dir + "list_" + itoa(n) + ".html"
			case FamGeneric:
				last = s.columnURL(c) + "&page=" + itoa(n)
			}
			f.mustGet(srv.URL(s.County.Name, last))
		}
	}
	web := 0
	for _, p := range w.Truth().Pages {
		if p.Channel == catalogue.Website {
			web++
		}
	}
	if web < 30000 {
		t.Errorf("truth lists %d website pages", web)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func BenchmarkGenerateLarge(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(Options{Seed: 1, Size: Large}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerateSmall(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(Options{Seed: 1, Size: Small}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderDetail measures rendering detail pages of the large
// world on request.
func BenchmarkRenderDetail(b *testing.B) {
	w, err := Generate(Options{Seed: 1, Size: Large})
	if err != nil {
		b.Fatal(err)
	}
	var es []*Entry
	for _, s := range w.sites {
		for _, e := range s.entries {
			if e.kind != kindOffsite && e.visible(w.AsOf()) {
				es = append(es, e)
			}
		}
	}
	now := w.AsOf()
	i := 0
	for b.Loop() {
		e := es[i%len(es)]
		e.site.renderDetail(e, now)
		i++
	}
}
