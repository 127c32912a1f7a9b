package harvest

import (
	"context"
	"fmt"
	"gongkai"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/sources/config"
	"gongkai/store"
)

const colURL = "http://site.test/col/index.shtml"

// item is one entry of the fake column.
type item struct {
	id    int
	title string
	date  string
}

// items returns n entries, newest first: id i is dated 2020-01-(28-i) and
// has one attachment when i is even.
func items(n int) []item {
	var out []item
	for i := range n {
		out = append(out, item{id: i, title: fmt.Sprintf("公告%d", i), date: fmt.Sprintf("2020-01-%02d", 28-i)})
	}
	return out
}

// layout publishes the items three per list page, with their details.
func layout(site *fakeSite, its []item) {
	perPage := 3
	pages := (len(its) + perPage - 1) / perPage
	for p := range pages {
		var b strings.Builder
		for _, it := range its[p*perPage : min(len(its), (p+1)*perPage)] {
			fmt.Fprintf(&b, "E http://site.test/col/t%d.shtml|%s|%s\n", it.id, it.title, it.date)
			detail := fmt.Sprintf("T %s\n正文 %d\n", it.title, it.id)
			if it.id%2 == 0 {
				detail += fmt.Sprintf("A http://site.test/col/P%d.csv|附件%d.csv\n", it.id, it.id)
				site.set(fmt.Sprintf("http://site.test/col/P%d.csv", it.id), fmt.Sprintf("文号,当事人\n泽市监罚〔2020〕%d号,某公司\n", it.id))
			}
			site.set(fmt.Sprintf("http://site.test/col/t%d.shtml", it.id), detail)
		}
		if p+1 < pages {
			fmt.Fprintf(&b, "N http://site.test/col/index_%d.shtml\n", p)
		}
		u := colURL
		if p > 0 {
			u = fmt.Sprintf("http://site.test/col/index_%d.shtml", p-1)
		}
		site.set(u, b.String())
	}
}

func buildColumn(site *fakeSite, n int) { layout(site, items(n)) }

func testColumn() config.Column {
	return config.Column{Name: "行政处罚", URL: colURL, Items: []string{"2.1"}}
}

func newTestHarvester(t *testing.T, st store.Store, site *fakeSite, cfg *config.Config, opts ...func(*Options)) *Harvester {
	t.Helper()
	o := Options{Config: cfg, Store: st, Fetcher: site, Family: fakeFamily{}}
	for _, f := range opts {
		f(&o)
	}
	h, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func sweepOnce(t *testing.T, h *Harvester) Summary {
	t.Helper()
	sums, err := h.Sweep(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 1 {
		t.Fatalf("got %d summaries, want 1", len(sums))
	}
	return sums[0]
}

func countKind(reqs []string, kind string) int {
	n := 0
	for _, r := range reqs {
		if strings.HasPrefix(r, kind+" ") {
			n++
		}
	}
	return n
}

func TestFirstSweepStoresEverythingWithAttachments(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 7)
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sum := sweepOnce(t, h)
	if sum.New != 7 || sum.Errors != 0 || !sum.Complete || !sum.Full {
		t.Fatalf("summary %+v", sum)
	}
	reqs := site.log()
	if got := countKind(reqs, "list"); got != 3 {
		t.Errorf("list fetches = %d, want 3", got)
	}
	if got := countKind(reqs, "attachment"); got != 4 {
		t.Errorf("attachment fetches = %d, want 4", got)
	}
	p, ok, err := st.Publication(context.Background(), "http://site.test/col/t2.shtml")
	if err != nil || !ok {
		t.Fatalf("publication t2: %v %v", ok, err)
	}
	if p.Title != "公告2" || p.Declared.String() != "2020-01-26" || len(p.Attachments) != 1 || p.Attachments[0].Name != "附件2.csv" || p.Attachments[0].Size == 0 {
		t.Errorf("t2 = %+v", p)
	}
	if p.CaptureID == "" || p.Evidence == "" || p.Attachments[0].CaptureID == "" {
		t.Errorf("evidence missing: %+v", p)
	}
	sweeps, err := st.Sweeps(context.Background(), store.SweepQuery{})
	if err != nil || len(sweeps) != 1 {
		t.Fatalf("sweeps %v %v", sweeps, err)
	}
	if !sweeps[0].Complete() || len(sweeps[0].Columns) != 1 || sweeps[0].Columns[0].ListPages != 3 || sweeps[0].Columns[0].Details != 7 {
		t.Errorf("sweep %+v", sweeps[0])
	}
}

func TestIncrementalSweepFetchesOnlyFirstListPage(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 7)
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sweepOnce(t, h)
	site.reset()
	sum := sweepOnce(t, h)
	if sum.Full || sum.New != 0 || sum.Changed != 0 || !sum.Complete {
		t.Fatalf("summary %+v", sum)
	}
	// Asked conditionally, answered 304: the page is read from its last answer.
	if reqs := site.log(); !slices.Equal(reqs, []string{"list " + colURL + " 304"}) {
		t.Errorf("requests = %v, want only the first list page, answered 304", reqs)
	}
	if sum.NotModified != 1 {
		t.Errorf("summary %+v: want the list page counted not modified", sum)
	}
}

func TestIncrementalSweepFindsNewAndEditedItemsAtTheTop(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 7)
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sweepOnce(t, h)

	// Two new items at the top push everything down a page; item 1's title
	// is edited on the list and on its page.
	its := append([]item{{id: 100, title: "新公告100", date: "2020-02-02"}, {id: 101, title: "新公告101", date: "2020-02-01"}}, items(7)...)
	its[3].title = "公告1（更正）"
	layout(site, its)
	site.reset()
	sum := sweepOnce(t, h)
	if sum.Full || sum.New != 2 || sum.Changed != 1 || !sum.Complete {
		t.Fatalf("summary %+v", sum)
	}
	// Page 1 holds 100, 101, 0; page 2 holds 1 (edited), 2, 3; the walk
	// stops once a full page's worth of known entries was met (on page 3).
	reqs := site.log()
	if got := countKind(reqs, "list"); got != 3 {
		t.Errorf("list fetches %d: %v", got, reqs)
	}
	if got := countKind(reqs, "detail"); got != 3 {
		t.Errorf("detail fetches %d: %v", got, reqs)
	}
	p, _, _ := st.Publication(context.Background(), "http://site.test/col/t1.shtml")
	if p.Title != "公告1（更正）" || p.State != gongkai.Changed {
		t.Errorf("t1 = %+v", p)
	}
}

func TestFullSweepUsesConditionalGetsAndFindsWithdrawals(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 7)
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(1, testColumn()))
	sweepOnce(t, h)

	// Item 4 leaves the list and its page answers 404; item 5's body is
	// edited without any change on the list.
	its := items(7)
	layout(site, append(its[:4:4], its[5:]...))
	site.remove("http://site.test/col/t4.shtml")
	site.set("http://site.test/col/t5.shtml", "T 公告5\n正文 5 已更正\n")
	site.reset()
	sum := sweepOnce(t, h)
	if !sum.Full || sum.Withdrawn != 1 || sum.Changed != 1 || sum.New != 0 || !sum.Complete {
		t.Fatalf("summary %+v", sum)
	}
	reqs := site.log()
	var notModified int
	for _, r := range reqs {
		if strings.HasPrefix(r, "detail ") && strings.HasSuffix(r, " 304") {
			notModified++
		}
	}
	// Details 0,1,2,3,6 unchanged → 304; their attachments are not fetched.
	if notModified != 5 || countKind(reqs, "attachment") != 0 {
		t.Errorf("requests %v", reqs)
	}
	p, ok, _ := st.Publication(context.Background(), "http://site.test/col/t4.shtml")
	if !ok || p.State != gongkai.Withdrawn {
		t.Errorf("t4 = %+v, want withdrawn", p)
	}
	p, _, _ = st.Publication(context.Background(), "http://site.test/col/t5.shtml")
	if p.State != gongkai.Changed || p.Version != 2 {
		t.Errorf("t5 = %+v, want changed version 2", p)
	}
}

func TestFailedDetailMakesColumnIncompleteAndIsRetried(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 4)
	site.fail["http://site.test/col/t1.shtml"] = 1
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sum := sweepOnce(t, h)
	if sum.Complete || sum.Errors != 1 || sum.New != 3 {
		t.Fatalf("summary %+v", sum)
	}
	fs, ok, _ := st.FetchState(context.Background(), "http://site.test/col/t1.shtml")
	if !ok || fs.ErrorCount != 1 || fs.LastStatus != 500 || fs.LastError == "" {
		t.Errorf("fetch state %+v", fs)
	}
	sweeps, _ := st.Sweeps(context.Background(), store.SweepQuery{})
	if c := sweeps[0].Columns[0]; c.Complete || c.DetailsFailed != 1 || len(c.Errors) != 1 || !strings.Contains(c.Errors[0], "t1.shtml") {
		t.Errorf("column %+v", c)
	}
	site.reset()
	sum = sweepOnce(t, h)
	if !sum.Complete || sum.New != 1 {
		t.Fatalf("second summary %+v", sum)
	}
	if reqs := site.log(); countKind(reqs, "detail") != 1 {
		t.Errorf("second sweep requests %v", reqs)
	}
}

func TestCancelledSweepIsRecordedInterrupted(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 7)
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	var commits atomic.Int32
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()), func(o *Options) {
		o.Observer = ObserverFunc(func(e Event) {
			if e.Kind == Committed && commits.Add(1) == 3 {
				cancel()
			}
		})
		o.Config.Harvest.PerHost = 1
	})
	sums, err := h.Sweep(ctx)
	if err == nil {
		t.Error("want the cancellation reported")
	}
	if len(sums) != 1 || !sums[0].Interrupted || sums[0].Complete {
		t.Fatalf("summaries %+v", sums)
	}
	sweeps, _ := st.Sweeps(context.Background(), store.SweepQuery{})
	if len(sweeps) != 1 || !sweeps[0].Interrupted || sweeps[0].Finished.IsZero() {
		t.Fatalf("sweep %+v", sweeps)
	}
	// The next run resumes: what was committed is known, the rest is fetched.
	site.reset()
	h2 := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sum := sweepOnce(t, h2)
	pubs, _ := st.Publications(context.Background(), store.PublicationQuery{})
	if len(pubs) != 7 || !sum.Complete {
		t.Fatalf("after resume: %d publications, summary %+v", len(pubs), sum)
	}
}

func TestFullEveryCountsSweeps(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 3)
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(3, testColumn()))
	var got []bool
	for range 7 {
		got = append(got, sweepOnce(t, h).Full)
		time.Sleep(time.Millisecond)
	}
	want := []bool{true, false, false, true, false, false, true}
	if !slices.Equal(got, want) {
		t.Errorf("full sweeps %v, want %v", got, want)
	}
}

func TestListShowingOtherTitleThanDetailStaysUnchanged(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 4)
	// The list shows a short title, the page a longer, different one.
	site.set("http://site.test/col/t0.shtml", "T 泽州县市场监督管理局关于公告0的完整标题\n正文\n")
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sweepOnce(t, h)
	site.reset()
	sum := sweepOnce(t, h)
	if reqs := site.log(); len(reqs) != 1 || sum.New+sum.Changed != 0 {
		t.Errorf("second sweep: %v, summary %+v", reqs, sum)
	}
}

func TestListedLinkToMissingPageIsObservedNotFailed(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 4)
	site.remove("http://site.test/col/t1.shtml")                 // 404
	site.set("http://site.test/col/t2.shtml", "GONE\nT 页面不存在\n") // 200 with 页面不存在
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sum := sweepOnce(t, h)
	if !sum.Complete || sum.New != 2 || sum.Errors != 0 {
		t.Fatalf("summary %+v", sum)
	}
	for _, u := range []string{"http://site.test/col/t1.shtml", "http://site.test/col/t2.shtml"} {
		if _, ok, _ := st.Publication(context.Background(), u); ok {
			t.Errorf("%s stored as a publication", u)
		}
		fs, ok, _ := st.FetchState(context.Background(), u)
		if !ok || fs.ErrorCount != 1 || !strings.Contains(fs.LastError, "不存在") {
			t.Errorf("%s fetch state %+v", u, fs)
		}
	}
	// They are looked at again next sweep, in case the pages appear.
	site.set("http://site.test/col/t1.shtml", "T 公告1\n正文\n")
	site.reset()
	sum = sweepOnce(t, h)
	if sum.New != 1 || countKind(site.log(), "detail") != 2 {
		t.Errorf("second sweep %+v, requests %v", sum, site.log())
	}
}

// forgetfulStore has lost every capture's record.
type forgetfulStore struct{ store.Store }

func (forgetfulStore) Capture(context.Context, string) (gongkai.Capture, bool, error) {
	return gongkai.Capture{}, false, nil
}

// TestListNotModifiedWithoutItsRecordIsFetchedAgain: a list page answered
// 304 whose last answer cannot be read back is asked for again without
// validators; the sweep still observes it, and the 304 is kept as evidence.
func TestListNotModifiedWithoutItsRecordIsFetchedAgain(t *testing.T) {
	site := newFakeSite()
	buildColumn(site, 7)
	st := openStore(t)
	sweepOnce(t, newTestHarvester(t, st, site, fakeConfig(5, testColumn())))
	site.reset()
	sum := sweepOnce(t, newTestHarvester(t, forgetfulStore{st}, site, fakeConfig(5, testColumn())))
	if reqs := site.log(); !slices.Equal(reqs, []string{"list " + colURL + " 304", "list " + colURL}) {
		t.Errorf("requests %v, want the 304 and a plain GET", reqs)
	}
	if !sum.Complete || sum.New+sum.Changed+sum.Withdrawn != 0 || sum.Columns[0].ListPages != 1 {
		t.Errorf("summary %+v", sum)
	}
	var records []string
	st.Captures(context.Background(), func(c gongkai.Capture) error {
		if c.URL == colURL {
			records = append(records, fmt.Sprint(c.Status))
		}
		return nil
	})
	if !slices.Equal(records, []string{"200", "304", "200"}) {
		t.Errorf("records of the list page: %v, want the first answer, the 304 and the second answer", records)
	}
}
