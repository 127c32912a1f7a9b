package harvest

import (
	"context"
	"fmt"
	"gongkai"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/sources/fetch"
	"gongkai/store"
)

// lastOutcome is the one column outcome of the newest sweep.
func lastOutcome(t *testing.T, st store.Store) gongkai.ColumnOutcome {
	t.Helper()
	sweeps, err := st.Sweeps(context.Background(), store.SweepQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(sweeps) != 1 || len(sweeps[0].Columns) != 1 {
		t.Fatalf("sweeps %+v, want one with one column", sweeps)
	}
	return sweeps[0].Columns[0]
}

func pageURL(i int) string {
	if i == 0 {
		return colURL
	}
	return fmt.Sprintf("http://site.test/col/index_%d.shtml", i)
}

// declaredLayout publishes n entries, three per page, the first page
// declaring the page count (P) and listing every further page, as
// createPageHTML and count variables do. Pages are named index_1, index_2 …
func declaredLayout(site *fakeSite, n int, extra string) {
	its := items(n)
	pages := (n + 2) / 3
	for p := range pages {
		var b strings.Builder
		if p == 0 {
			fmt.Fprintf(&b, "P %d\n%s", pages, extra)
			for i := 1; i < pages; i++ {
				fmt.Fprintf(&b, "N %s\n", pageURL(i))
			}
		}
		for _, it := range its[p*3 : min(n, (p+1)*3)] {
			fmt.Fprintf(&b, "E http://site.test/col/t%d.shtml|%s|%s\n", it.id, it.title, it.date)
			site.set(fmt.Sprintf("http://site.test/col/t%d.shtml", it.id), fmt.Sprintf("T %s\n正文 %d\n", it.title, it.id))
		}
		site.set(pageURL(p), b.String())
	}
}

func TestDeclaredPageAnswering404IsAFailureNotTheEnd(t *testing.T) {
	site := newFakeSite()
	declaredLayout(site, 13, "") // 5 pages
	site.remove(pageURL(2))      // the third page answers 404
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sum := sweepOnce(t, h)
	if sum.Complete {
		t.Fatalf("a declared page answered 404 and the column is complete: %+v", sum)
	}
	c := lastOutcome(t, st)
	want := "第 3 页（" + pageURL(2) + "）应答 HTTP 404，而栏目声明共 5 页"
	if c.Complete || !strings.Contains(c.Reason, want) {
		t.Errorf("reason %q, want it to contain %q", c.Reason, want)
	}
	if !slices.Equal(c.FailedPages, []string{pageURL(2)}) || c.DeclaredPages != 5 || c.ListFailed != 1 {
		t.Errorf("outcome %+v", c)
	}
	// The pages after the gap were still read.
	if reqs := site.log(); !slices.Contains(reqs, "list "+pageURL(4)) {
		t.Errorf("requests %v: the last declared page was not asked for", reqs)
	}
	if c.Listed != 10 {
		t.Errorf("listed %d, want 10 (13 less the 3 of the missing page)", c.Listed)
	}
}

func TestDeclaredPageShowingNothingIsAFailure(t *testing.T) {
	site := newFakeSite()
	declaredLayout(site, 9, "")
	site.set(pageURL(1), "页面不存在\n")
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	if sum := sweepOnce(t, h); sum.Complete {
		t.Fatalf("summary %+v", sum)
	}
	c := lastOutcome(t, st)
	if want := "第 2 页（" + pageURL(1) + "）"; !strings.Contains(c.Reason, want) || !strings.Contains(c.Reason, "而栏目声明共 3 页") {
		t.Errorf("reason %q", c.Reason)
	}
}

func Test404PastAnUndeclaredEndEndsTheList(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 6) // two pages, next links, no declared count
	// The second page links to a third that does not exist.
	site.set("http://site.test/col/index_0.shtml", "E http://site.test/col/t3.shtml|公告3|2020-01-25\nE http://site.test/col/t4.shtml|公告4|2020-01-24\nE http://site.test/col/t5.shtml|公告5|2020-01-23\nN http://site.test/col/index_9.shtml\n")
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	if sum := sweepOnce(t, h); !sum.Complete {
		t.Fatalf("summary %+v: a 404 past a list that declares nothing ends it", sum)
	}
	if c := lastOutcome(t, st); c.Reason != "" || c.Listed != 6 || len(c.FailedPages) != 0 {
		t.Errorf("outcome %+v", c)
	}
}

func TestDeclaredTotalMustAgreeWithEntriesSeen(t *testing.T) {
	site := newFakeSite()
	declaredLayout(site, 7, "D 10\n")
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	if sum := sweepOnce(t, h); sum.Complete {
		t.Fatalf("summary %+v", sum)
	}
	c := lastOutcome(t, st)
	if c.Reason != "栏目声明 10 条，只见到 7 条" || c.DeclaredTotal != 10 || c.Listed != 7 {
		t.Errorf("outcome %+v", c)
	}

	// Links listed but not followed (to other sites) count towards the total.
	site3 := newFakeSite()
	declaredLayout(site3, 7, "D 8\nR http://other.test/a.html\n")
	st3 := openStore(t)
	if sum := sweepOnce(t, newTestHarvester(t, st3, site3, fakeConfig(5, testColumn()))); !sum.Complete {
		t.Fatalf("with an off-site entry: %+v", sum)
	}
	if c := lastOutcome(t, st3); c.Listed != 8 {
		t.Errorf("listed %d, want 8", c.Listed)
	}

	// A site may list one link twice; its total counts both items.
	site4 := newFakeSite()
	declaredLayout(site4, 7, "D 9\nR http://other.test/a.html\nR http://other.test/a.html\n")
	st4 := openStore(t)
	if sum := sweepOnce(t, newTestHarvester(t, st4, site4, fakeConfig(5, testColumn()))); !sum.Complete {
		t.Fatalf("with a link listed twice: %+v", sum)
	}
	if c := lastOutcome(t, st4); c.Listed != 8 || c.Reason != "" {
		t.Errorf("outcome %+v, want 8 distinct links and no reason", c)
	}

	// When they agree the column is complete.
	site2 := newFakeSite()
	declaredLayout(site2, 7, "D 7\n")
	st2 := openStore(t)
	if sum := sweepOnce(t, newTestHarvester(t, st2, site2, fakeConfig(5, testColumn()))); !sum.Complete {
		t.Fatalf("summary %+v", sum)
	}
}

func TestColumnListingNothingProvesNothing(t *testing.T) {
	site := newFakeSite()
	site.set(colURL, "<div id=list></div>\n")
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	if sum := sweepOnce(t, h); sum.Complete {
		t.Fatalf("an empty list is complete: %+v", sum)
	}
	if c := lastOutcome(t, st); c.Complete || c.Reason != "未识别到任何条目" || c.Blank {
		t.Errorf("outcome %+v", c)
	}

	// The site's own empty-list marker: a blank column, observed.
	site.set(colURL, "EMPTY\n")
	if sum := sweepOnce(t, h); !sum.Complete {
		t.Fatalf("summary %+v", sum)
	}
	if c := lastOutcome(t, st); !c.Complete || !c.Blank || c.Reason != "" {
		t.Errorf("outcome %+v, want a complete blank column", c)
	}
}

func TestFailedDetailsAreTheReason(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 5)
	site.fail["http://site.test/col/t1.shtml"] = -1
	site.fail["http://site.test/col/t3.shtml"] = -1
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sweepOnce(t, h)
	if c := lastOutcome(t, st); c.Complete || c.Reason != "2 个条目的详情未能采集" {
		t.Errorf("outcome %+v", c)
	}
}

func TestCancelledColumnSaysInterrupted(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 7)
	ctx, cancel := context.WithCancel(context.Background())
	site.hook = func(_ context.Context, req fetch.Request) error {
		if req.Kind == fetch.KindDetail {
			cancel()
		}
		return nil
	}
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	h.Sweep(ctx)
	if c := lastOutcome(t, st); c.Complete || !strings.Contains(c.Reason, "采集被中断") {
		t.Errorf("outcome %+v", c)
	}
}

// Issue 8, failure 3: entries listed on page 2 by an interrupted incremental
// sweep, whose details were not committed, are found by the next sweep
// although page 1 now shows only known entries.
func TestInterruptedIncrementalSweepResumesBeyondEntriesItCommitted(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 7)
	st := openStore(t)
	cfg := fakeConfig(5, testColumn())
	cfg.Harvest.PerHost = 1
	h := newTestHarvester(t, st, site, cfg)
	if sum := sweepOnce(t, h); !sum.Complete {
		t.Fatalf("first sweep %+v", sum)
	}
	time.Sleep(2 * time.Millisecond)

	// Six new entries: pages 1 and 2 hold only new ones.
	var its []item
	for i := range 6 {
		its = append(its, item{id: 100 + i, title: fmt.Sprintf("新公告%d", 100+i), date: fmt.Sprintf("2020-02-%02d", 10-i)})
	}
	layout(site, append(its, items(7)...))
	// Interrupt when the first entry of page 2 is asked for, once page 1's
	// three are committed.
	ctx, cancel := context.WithCancel(context.Background())
	site.hook = func(_ context.Context, req fetch.Request) error {
		if req.URL != "http://site.test/col/t103.shtml" {
			return nil
		}
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			n := 0
			for _, id := range []int{100, 101, 102} {
				if _, ok, _ := st.Publication(context.Background(), fmt.Sprintf("http://site.test/col/t%d.shtml", id)); ok {
					n++
				}
			}
			if n == 3 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cancel()
		return context.Canceled
	}
	sums, _ := h.Sweep(ctx)
	if len(sums) != 1 || sums[0].Complete {
		t.Fatalf("interrupted sweep %+v", sums)
	}
	if _, ok, _ := st.Publication(context.Background(), "http://site.test/col/t103.shtml"); ok {
		t.Fatal("test setup: t103 was committed by the interrupted sweep")
	}
	site.hook = nil
	time.Sleep(2 * time.Millisecond)

	site.reset()
	sum := sweepOnce(t, h)
	if sum.Full || !sum.Complete {
		t.Fatalf("resumed sweep %+v", sum)
	}
	for _, id := range []int{103, 104, 105} {
		if _, ok, _ := st.Publication(context.Background(), fmt.Sprintf("http://site.test/col/t%d.shtml", id)); !ok {
			t.Errorf("t%d never stored: the resumed walk stopped at entries the interrupted sweep committed (requests %v)", id, site.log())
		}
	}
	// Once complete again, an incremental sweep stops at the first page.
	time.Sleep(2 * time.Millisecond)
	site.reset()
	if sum := sweepOnce(t, h); !sum.Complete || countKind(site.log(), "list") != 1 {
		t.Errorf("next sweep %+v, requests %v", sum, site.log())
	}
}

// A list page that fails on every attempt keeps its column incomplete, and
// every incremental sweep asks for it again, although the entries before it
// would otherwise end the walk.
func TestFailedListPageIsAskedAgainUntilItAnswers(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 9) // pages colURL, index_0, index_1
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(10, testColumn()))
	if sum := sweepOnce(t, h); !sum.Complete {
		t.Fatalf("first sweep %+v", sum)
	}
	bad := "http://site.test/col/index_1.shtml"
	site.fail[bad] = -1
	full := newTestHarvester(t, st, site, fakeConfig(10, testColumn()), func(o *Options) { o.Full = true })
	if sum := sweepOnce(t, full); sum.Complete {
		t.Fatalf("full sweep with a failing page %+v", sum)
	}
	for i := range 3 {
		time.Sleep(2 * time.Millisecond)
		site.reset()
		sum := sweepOnce(t, h)
		if sum.Full {
			t.Fatalf("sweep %d is full", i)
		}
		if !slices.Contains(site.log(), "list "+bad+" 500") {
			t.Errorf("incremental sweep %d did not ask for the failed page again: %v", i, site.log())
		}
		c := lastOutcome(t, st)
		if sum.Complete || c.Complete || !strings.Contains(c.Reason, "第 3 页（"+bad+"）应答 HTTP 500") ||
			!slices.Equal(c.FailedPages, []string{bad}) {
			t.Errorf("incremental sweep %d: summary complete %v, outcome %+v", i, sum.Complete, c)
		}
	}
	// Once it answers, the column is complete again.
	delete(site.fail, bad)
	site.reset()
	if sum := sweepOnce(t, h); !sum.Complete || !slices.Contains(site.log(), "list "+bad) {
		t.Errorf("after recovery: %+v, requests %v", sum, site.log())
	}
	time.Sleep(2 * time.Millisecond)
	site.reset()
	if sum := sweepOnce(t, h); !sum.Complete || countKind(site.log(), "list") != 1 {
		t.Errorf("then: %+v, requests %v", sum, site.log())
	}
}

// A first page read as empty while later pages list entries: the newest
// entries are exactly the ones lost, so the column is not complete.
func TestEmptyFirstPageWithFullerLaterPagesIsIncomplete(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 6)
	site.set(colURL, "N http://site.test/col/index_0.shtml\n") // page 1's entries not recognised
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sweepOnce(t, h)
	if c := lastOutcome(t, st); c.Complete || c.Reason != "第 1 页（"+colURL+"）未识别到任何条目，其后的页却有条目" {
		t.Errorf("outcome %+v", c)
	}
}
