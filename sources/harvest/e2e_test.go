package harvest_test

import (
	"bufio"
	"context"
	"fmt"
	"gongkai"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/records"
	"gongkai/sim"
	"gongkai/sources/config"
	"gongkai/sources/harvest"
	"gongkai/store"
	_ "gongkai/store/sqlite"
)

// simEnv is a simulated world served on loopback, its sites.yaml, and a store.
type simEnv struct {
	only     []string // counties swept; empty = all
	w        *sim.World
	srv      *sim.Server
	cfgPath  string
	cfg      *config.Config
	storeURL string
	st       store.Store
	recs     []records.Record
	// clock is the world's clock for the day clockDay (creditSweep): one
	// per day, so that it never runs backwards between sweeps.
	clock    func() time.Time
	clockDay calendar.Date
}

const e2eSeed = 20201231

func newSimEnv(t *testing.T) *simEnv {
	t.Helper()
	return newSimEnvAt(t, e2eSeed, 0)
}

// newSimEnvAt generates the world of seed and, when day is given, moves it
// to that day before anything is served (back in time included).
func newSimEnvAt(t *testing.T, seed int64, day calendar.Date) *simEnv {
	t.Helper()
	w, err := sim.Generate(sim.Options{Seed: seed, Size: sim.Small})
	if err != nil {
		t.Fatal(err)
	}
	if !day.IsZero() {
		w.AdvanceTo(day)
	}
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	e := &simEnv{w: w, srv: srv, cfgPath: filepath.Join(dir, "sites.yaml"), storeURL: "sqlite://" + filepath.Join(dir, "gongkai.db")}
	if err := os.WriteFile(e.cfgPath, w.SitesYAML(srv), 0o644); err != nil {
		t.Fatal(err)
	}
	if e.cfg, err = config.Load(e.cfgPath); err != nil {
		t.Fatal(err)
	}
	e.cfg.Harvest.Delay = 0
	e.cfg.Harvest.RetryWait = time.Millisecond
	e.cfg.Harvest.RetryWaitMax = 5 * time.Millisecond
	csvPath := filepath.Join(dir, "records.csv")
	if err := os.WriteFile(csvPath, w.RecordsCSV(), 0o644); err != nil {
		t.Fatal(err)
	}
	if e.recs, err = records.ReadFile(csvPath, catalogue.Default(), calendar.Default()); err != nil {
		t.Fatal(err)
	}
	e.st = e.open(t)
	if _, err := e.st.ImportRecords(context.Background(), e.recs); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *simEnv) open(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), e.storeURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func (e *simEnv) sweep(t *testing.T, opts ...func(*harvest.Options)) []harvest.Summary {
	t.Helper()
	o := harvest.Options{Config: e.cfg, Store: e.st, Only: e.only}
	for _, f := range opts {
		f(&o)
	}
	h, err := harvest.New(o)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := h.Sweep(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

func totals(sums []harvest.Summary) harvest.Summary {
	tot := harvest.Summary{Complete: true}
	for _, s := range sums {
		tot.Add(s)
	}
	return tot
}

// siteTotals totals the county sites' sweeps (not the credit system's).
func siteTotals(sums []harvest.Summary) harvest.Summary {
	var sites []harvest.Summary
	for _, s := range sums {
		if s.County != "" {
			sites = append(sites, s)
		}
	}
	return totals(sites)
}

// recordKey normalises a record number the way matching compares them.
func recordKey(s string) string {
	if d, ok := ident.ParseDecisionNo(s); ok {
		return d.Key()
	}
	return strings.ToUpper(strings.Join(strings.Fields(ident.Fold(s)), ""))
}

func publications(t *testing.T, st store.Store, ch catalogue.Channel) map[string]gongkai.Publication {
	t.Helper()
	pubs, err := st.Publications(context.Background(), store.PublicationQuery{Channel: ch, IncludeWithdrawn: true, WithBodies: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]gongkai.Publication{}
	for _, p := range pubs {
		out[p.URL] = p
	}
	return out
}

func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		if j := strings.Index(u[i+3:], "/"); j >= 0 {
			return u[i+3+j:]
		}
		return "/"
	}
	return u
}

// checkWebsite compares every published page of the truth with the store:
// title, declared date, record numbers, attachments, state.
func checkWebsite(t *testing.T, e *simEnv, truth *sim.Truth) {
	t.Helper()
	pubs := publications(t, e.st, catalogue.Website)
	var problems []string
	seen, textOnly := 0, 0
	for _, tp := range truth.Pages {
		if tp.Channel != catalogue.Website || !slices.Contains(e.counties(), tp.County) {
			continue
		}
		seen++
		u := e.srv.URL(tp.County, tp.URL)
		p, ok := pubs[u]
		if !ok && !tp.Withdrawn.IsZero() {
			continue // withdrawn before any sweep could see it
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("%s %s: not harvested (%s)", tp.County, tp.URL, tp.Title))
			continue
		}
		if !tp.Withdrawn.IsZero() {
			if p.State != gongkai.Withdrawn {
				problems = append(problems, fmt.Sprintf("%s: state %s, want withdrawn", tp.URL, p.State))
			}
			continue
		}
		if p.State == gongkai.Withdrawn {
			problems = append(problems, fmt.Sprintf("%s: withdrawn, but still published", tp.URL))
		}
		if strings.Join(strings.Fields(p.Title), "") != strings.Join(strings.Fields(tp.Title), "") {
			problems = append(problems, fmt.Sprintf("%s: title %q, want %q", tp.URL, p.Title, tp.Title))
		}
		if p.Declared != tp.Published {
			problems = append(problems, fmt.Sprintf("%s: declared %s (%s), want %s", tp.URL, p.Declared, p.DeclaredFrom, tp.Published))
		}
		// A record number counts as harvested when it is among the numbers
		// found or a value of a structured field (a table's 检查编号 column),
		// where matching can read it.
		have := map[string]bool{}
		for _, n := range p.RecordNos {
			have[recordKey(n)] = true
		}
		for _, d := range p.Disclosures {
			for _, v := range d.Fields {
				have[recordKey(v)] = true
			}
		}
		text := p.Body
		for _, d := range p.Disclosures {
			text += "\n" + d.Text
		}
		for _, a := range p.Attachments {
			text += "\n" + a.Text
		}
		for _, n := range tp.RecordNos {
			switch {
			case have[recordKey(n)]:
			case !recognised(n):
				// Numbers of no recognised shape (JCJL-…, XFTS-…): the truth
				// lists the records a page satisfies, and event and
				// inspection pages often do not print the office's number;
				// matching links those by party, title and date.
				if strings.Contains(ident.Fold(text), ident.Fold(n)) {
					textOnly++
				}
			default:
				problems = append(problems, fmt.Sprintf("%s: record number %s not found (have %v)", tp.URL, n, p.RecordNos))
			}
		}
		var atts []string
		for _, a := range p.Attachments {
			atts = append(atts, pathOf(a.URL))
			if a.Error != "" {
				problems = append(problems, fmt.Sprintf("%s: attachment %s: %s", tp.URL, a.URL, a.Error))
			}
		}
		for _, want := range tp.Attachments {
			if !slices.Contains(atts, want) {
				problems = append(problems, fmt.Sprintf("%s: attachment %s missing (have %v)", tp.URL, want, atts))
			}
		}
		if len(p.Metadata) == 0 {
			problems = append(problems, fmt.Sprintf("%s: no metadata", tp.URL))
		}
	}
	if seen == 0 {
		t.Fatal("truth lists no website pages")
	}
	if textOnly > 0 {
		t.Logf("%d record numbers of other shapes appear only in running text", textOnly)
	}
	report(t, "website", problems)
}

// checkCredit compares the credit-channel records of the truth with the
// store: found rows carry the record's number (punishments, 双随机) with
// the declared 公示日期; the challenged county's lookups are unobserved.
func checkCredit(t *testing.T, e *simEnv, truth *sim.Truth) {
	t.Helper()
	pubs := publications(t, e.st, catalogue.Credit)
	byNo := map[string][]gongkai.Publication{}
	byParty := map[string][]gongkai.Publication{}
	for _, p := range pubs {
		for _, n := range p.RecordNos {
			byNo[recordKey(n)] = append(byNo[recordKey(n)], p)
		}
		for _, d := range p.Disclosures {
			for _, party := range d.Parties {
				byParty[ident.NormaliseParty(party)] = append(byParty[ident.NormaliseParty(party)], p)
			}
			for _, code := range d.USCCs {
				byParty[code] = append(byParty[code], p)
			}
		}
	}
	party := map[string]string{}
	for _, r := range e.recs {
		party[r.County+"|"+r.RecordNo] = ident.NormaliseParty(r.Party)
		if r.USCC != "" {
			party[r.County+"|"+r.RecordNo] = r.USCC
		}
	}
	var problems []string
	found := 0
	for _, tr := range truth.Records {
		if tr.Channel != catalogue.Credit {
			continue
		}
		switch tr.Status {
		case sim.StatusOnTime, sim.StatusLate:
		default:
			continue
		}
		found++
		switch tr.Form {
		case "credit-punishment", "credit-ranins":
			ps := byNo[recordKey(tr.RecordNo)]
			if len(ps) == 0 {
				problems = append(problems, fmt.Sprintf("%s %s (%s): no credit row", tr.County, tr.RecordNo, tr.Form))
				continue
			}
			if tr.Form == "credit-punishment" && ps[0].Declared != tr.Published {
				problems = append(problems, fmt.Sprintf("%s: declared %s, want %s", tr.RecordNo, ps[0].Declared, tr.Published))
			}
		case "credit-spotcheck":
			ps := byParty[party[tr.County+"|"+tr.RecordNo]]
			if !slices.ContainsFunc(ps, func(p gongkai.Publication) bool { return p.Disclosures[0].Kind == "credit-inspection" }) {
				problems = append(problems, fmt.Sprintf("%s %s: no spot-check row for %s", tr.County, tr.RecordNo, party[tr.County+"|"+tr.RecordNo]))
			}
		}
	}
	if found == 0 {
		t.Fatal("truth finds nothing on the credit system")
	}
	looks, err := e.st.CreditLookups(context.Background(), store.CreditQuery{County: sim.ChallengedCounty})
	if err != nil {
		t.Fatal(err)
	}
	if len(looks) == 0 {
		problems = append(problems, "no lookups for the challenged county")
	}
	for _, l := range looks {
		if l.Observed || l.Reason == "" {
			problems = append(problems, fmt.Sprintf("challenged lookup %s observed=%v reason=%q", l.Key, l.Observed, l.Reason))
		}
	}
	report(t, "credit", problems)
}

// recognised reports whether a record number has a shape the extractors
// know: a decision number or a sampling number.
func recognised(n string) bool {
	if _, ok := ident.ParseDecisionNo(n); ok {
		return true
	}
	return len(ident.FindSamplingNos(n)) > 0
}

func report(t *testing.T, what string, problems []string) {
	t.Helper()
	if len(problems) == 0 {
		return
	}
	sort.Strings(problems)
	n := len(problems)
	if n > 40 && os.Getenv("E2E_ALL") == "" {
		problems = append(problems[:40], "…")
	}
	t.Errorf("%s: %d problems:\n%s", what, n, strings.Join(problems, "\n"))
}

func TestE2EFullHarvestMatchesTruth(t *testing.T) {
	e := newSimEnv(t)
	sums := e.sweep(t)
	tot := totals(sums)
	t.Logf("first sweep: pages %d, new %d, errors %d", tot.Pages, tot.New, tot.Errors)
	for _, s := range sums {
		for _, c := range s.Columns {
			if !c.Complete && s.County != "" {
				t.Errorf("%s %s column %s incomplete: %v", s.County, s.Source, c.Column, c.Errors)
			}
		}
	}
	truth := e.w.Truth()
	checkWebsite(t, e, truth)
	checkCredit(t, e, truth)
}

// lighten restricts a secondary test to two counties (Hanweb and the
// generic family) when the race detector makes every sweep slow.
func (e *simEnv) lighten() {
	if raceEnabled {
		e.only = []string{"陵川县", "泽州县"}
	}
}

// counties are the counties the test sweeps.
func (e *simEnv) counties() []string {
	if len(e.only) > 0 {
		return e.only
	}
	return e.w.Counties()
}

// siteRequests sums the swept county sites' request counts.
func siteRequests(e *simEnv) sim.RequestStats {
	var tot sim.RequestStats
	for _, c := range e.counties() {
		r := e.srv.Requests(c)
		tot.Total += r.Total
		tot.List += r.List
		tot.Detail += r.Detail
		tot.Attachment += r.Attachment
		tot.NotModified += r.NotModified
		tot.Redirect += r.Redirect
		tot.Other += r.Other
		tot.Faults += r.Faults
	}
	return tot
}

func TestE2ESecondSweepFetchesOnlyListPages(t *testing.T) {
	e := newSimEnv(t)
	e.lighten()
	first := totals(e.sweep(t))
	validators := listValidators(t, e)
	e.srv.ResetRequests()
	sums := e.sweep(t)
	tot := siteTotals(sums)
	req := siteRequests(e)
	t.Logf("first sweep %d pages; second sweep: %+v", first.Pages, req)
	if tot.New+tot.Changed+tot.Withdrawn != 0 || tot.Full {
		t.Errorf("second sweep changed things: %+v", tot)
	}
	for _, s := range sums {
		if s.County != "" && (!s.Complete || s.Full) {
			t.Errorf("%s: complete %v full %v", s.County, s.Complete, s.Full)
		}
	}
	if req.Detail != 0 || req.Attachment != 0 || req.List+req.NotModified == 0 || req.List+req.NotModified != req.Total {
		t.Errorf("second sweep requests %+v, want list pages only", req)
	}
	if req.List+req.NotModified > first.Pages/5 {
		t.Errorf("second sweep read %d list pages of %d first-sweep requests", req.List+req.NotModified, first.Pages)
	}
	// Unchanged list pages of a site that sends validators are asked for
	// conditionally and answered 304 (and still observed: the sweep is
	// complete and changed nothing); a site without validators answers 200.
	for _, c := range e.counties() {
		r := e.srv.Requests(c)
		t.Logf("%s (validators %v): %+v", c, validators[c], r)
		switch {
		case validators[c] && (r.NotModified == 0 || r.List != 0):
			t.Errorf("%s sends validators, but %d list pages answered 200 and %d 304: want every one 304", c, r.List, r.NotModified)
		case !validators[c] && r.NotModified != 0:
			t.Errorf("%s sends no validators, yet %d answers were 304", c, r.NotModified)
		}
	}

	// A full re-walk re-checks every detail with conditional requests:
	// 304 where the site supports it, and no attachment is fetched again.
	// It reads each source's fetch state once, never per URL.
	e.srv.ResetRequests()
	reads := &stateReads{Store: e.st}
	fullSums := e.sweep(t, func(o *harvest.Options) { o.Full = true; o.Store = reads })
	full := siteTotals(fullSums)
	// Every source reads its states once: the credit system's are the
	// fingerprints of its lookups.
	sources := len(fullSums)
	if n, m := reads.perURL.Load(), reads.perSource.Load(); n != 0 || int(m) != sources {
		t.Errorf("a full re-walk read %d fetch states per URL and %d per source, want 0 and %d", n, m, sources)
	}
	req = siteRequests(e)
	t.Logf("full re-walk: %+v", req)
	if full.New+full.Changed+full.Withdrawn != 0 || !full.Complete {
		t.Errorf("full re-walk changed things: %+v", full)
	}
	if req.NotModified == 0 || req.Attachment != 0 {
		t.Errorf("full re-walk requests %+v: want 304s and no attachments", req)
	}
}

// stateReads counts a store's fetch-state reads; it keeps the store's
// group commit.
type stateReads struct {
	store.Store
	perURL, perSource atomic.Int32
}

func (r *stateReads) FetchState(ctx context.Context, u string) (store.FetchState, bool, error) {
	r.perURL.Add(1)
	return r.Store.FetchState(ctx, u)
}

func (r *stateReads) FetchStates(ctx context.Context, prefixes []string) ([]store.FetchState, error) {
	r.perSource.Add(1)
	return r.Store.FetchStates(ctx, prefixes)
}

func (r *stateReads) ApplyBatches(ctx context.Context, bs []store.Batch) ([]store.BatchResult, error) {
	return r.Store.(store.GroupApplier).ApplyBatches(ctx, bs)
}

// listValidators probes each swept county's first list page: does the
// site send ETag or Last-Modified with it?
func listValidators(t *testing.T, e *simEnv) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, county := range e.cfg.Counties {
		if !slices.Contains(e.counties(), county.County) {
			continue
		}
		for _, src := range county.Sources {
			if len(src.Columns) == 0 {
				continue
			}
			resp, err := http.Get(src.Columns[0].URL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			out[county.County] = resp.Header.Get("ETag") != "" || resp.Header.Get("Last-Modified") != ""
		}
	}
	return out
}

// weekWithEditAndWithdrawal finds a world and a week in it in which a page
// published before the week is edited and another withdrawn.
func weekWithEditAndWithdrawal(t *testing.T) (seed int64, from calendar.Date, counties []string) {
	t.Helper()
	for seed := int64(1); seed <= 30; seed++ {
		w, err := sim.Generate(sim.Options{Seed: seed, Size: sim.Small})
		if err != nil {
			t.Fatal(err)
		}
		var edits, withdrawals []sim.TruthPage
		for _, p := range w.Truth().Pages {
			if p.Channel != catalogue.Website {
				continue
			}
			if !p.Edited.IsZero() && p.Published < p.Edited && (p.Withdrawn.IsZero() || p.Edited < p.Withdrawn) {
				edits = append(edits, p)
			}
			if !p.Withdrawn.IsZero() && p.Published < p.Withdrawn {
				withdrawals = append(withdrawals, p)
			}
		}
		for _, ed := range edits {
			for _, wd := range withdrawals {
				first, last := min(ed.Edited, wd.Withdrawn), max(ed.Edited, wd.Withdrawn)
				if last-first > 6 || max(ed.Published, wd.Published) >= first {
					continue
				}
				from := first - 1
				counties := []string{ed.County, wd.County}
				// A county that publishes something new that week, too.
				for _, p := range w.Truth().Pages {
					if p.Channel == catalogue.Website && p.Published > from && p.Published <= from+7 && (p.Withdrawn.IsZero() || p.Withdrawn > from+7) {
						if !slices.Contains(counties, p.County) {
							counties = append(counties, p.County)
						}
						break
					}
				}
				return seed, from, counties
			}
		}
	}
	t.Fatal("no simulated world has an edit and a withdrawal within a week")
	return 0, 0, nil
}

func TestE2EWeekLaterFindsNewEditedAndWithdrawn(t *testing.T) {
	// Harvest the day before a week in which a page is edited and another
	// withdrawn, then again a week later.
	seed, from, counties := weekWithEditAndWithdrawal(t)
	e := newSimEnvAt(t, seed, from)
	if raceEnabled {
		e.only = slices.Compact(counties)
		slices.Sort(e.only)
		e.only = slices.Compact(e.only)
	}
	t.Logf("seed %d, first sweep on %s", seed, from)
	e.sweep(t)
	before := publications(t, e.st, catalogue.Website)
	start := e.w.AsOf()
	e.w.AdvanceTo(start.AddDays(7))
	truth := e.w.Truth()
	var newPages, edited, withdrawn int
	for _, tp := range truth.Pages {
		if tp.Channel != catalogue.Website || !slices.Contains(e.counties(), tp.County) {
			continue
		}
		_, known := before[e.srv.URL(tp.County, tp.URL)]
		switch {
		case !known && tp.Withdrawn.IsZero():
			newPages++
		case known && tp.Withdrawn > start:
			withdrawn++
		case known && tp.Edited > start:
			edited++
		}
	}
	t.Logf("the week brought %d new pages, %d edits, %d withdrawals", newPages, edited, withdrawn)
	if newPages == 0 || edited == 0 || withdrawn == 0 {
		t.Fatal("the world did not move as this test expects")
	}
	e.srv.ResetRequests()
	tot := siteTotals(e.sweep(t))
	req := siteRequests(e)
	t.Logf("incremental sweep: %+v; new %d changed %d withdrawn %d", req, tot.New, tot.Changed, tot.Withdrawn)
	after := publications(t, e.st, catalogue.Website)
	webNew := 0
	for u := range after {
		if _, ok := before[u]; !ok {
			webNew++
		}
	}
	if webNew != newPages || tot.New != newPages {
		t.Errorf("incremental sweep found %d new pages (summary %d), the world has %d", webNew, tot.New, newPages)
	}
	// Only what changed is fetched: the new details (and withdrawal checks
	// of recent items), plus the list pages leading to them.
	if req.Detail > newPages+edited+withdrawn+len(e.counties())*4 || req.List > 3*len(e.cfg.AllSources())*6 {
		t.Errorf("incremental sweep fetched %d details and %d list pages for %d new, %d edited, %d withdrawn", req.Detail, req.List, newPages, edited, withdrawn)
	}
	// The scheduled full re-walk catches edits and withdrawals anywhere.
	full := siteTotals(e.sweep(t, func(o *harvest.Options) { o.Full = true }))
	t.Logf("full re-walk: changed %d withdrawn %d", full.Changed, full.Withdrawn)
	checkWebsite(t, e, truth)
	after = publications(t, e.st, catalogue.Website)
	var changed, gone int
	for _, p := range after {
		switch p.State {
		case gongkai.Changed:
			changed++
			vs, err := e.st.Versions(context.Background(), p.URL)
			if err != nil || len(vs) < 2 {
				t.Errorf("%s changed but has %d versions (%v)", p.URL, len(vs), err)
			}
		case gongkai.Withdrawn:
			gone++
		}
	}
	if changed < edited || gone < withdrawn {
		t.Errorf("store shows %d changed and %d withdrawn publications; the world edited %d and withdrew %d", changed, gone, edited, withdrawn)
	}
}

func faultyConfig(e *simEnv) {
	e.cfg.Harvest.Retries = 8
	e.cfg.Harvest.RetryWait = time.Millisecond
	e.cfg.Harvest.RetryWaitMax = 10 * time.Millisecond
	e.cfg.Harvest.Timeout = 5 * time.Second
}

// contentOf is what a store holds: URL → content hash, state and version.
func contentOf(t *testing.T, st store.Store) map[string]string {
	t.Helper()
	pubs, err := st.Publications(context.Background(), store.PublicationQuery{IncludeWithdrawn: true})
	if err != nil {
		t.Fatal(err)
	}
	// Keyed by path: two worlds of the same seed differ only in their ports.
	out := map[string]string{}
	for _, p := range pubs {
		key := p.County + " " + pathOf(p.URL)
		if _, dup := out[key]; dup {
			t.Errorf("duplicate publication %s", p.URL)
		}
		out[key] = fmt.Sprintf("%s %s v%d", p.ContentHash, p.State, p.Version)
	}
	return out
}

func diffContent(t *testing.T, want, got map[string]string) {
	t.Helper()
	var diffs []string
	for u, w := range want {
		if g, ok := got[u]; !ok {
			diffs = append(diffs, "missing "+u)
		} else if g != w {
			diffs = append(diffs, fmt.Sprintf("%s: %s, want %s", u, g, w))
		}
	}
	for u := range got {
		if _, ok := want[u]; !ok {
			diffs = append(diffs, "extra "+u)
		}
	}
	report(t, "store content", diffs)
}

func TestE2EFaultsStillCompleteWithSameItems(t *testing.T) {
	e := newSimEnv(t)
	e.lighten()
	faultyConfig(e)
	for _, c := range e.counties() {
		e.srv.SetFaults(c, sim.Faults{ErrorRate: 0.2, SlowRate: 0.1, Slow: 30 * time.Millisecond, ResetRate: 0.05})
	}
	sums := e.sweep(t)
	req := siteRequests(e)
	t.Logf("faulty sweep: %d requests, %d injected faults", req.Total, req.Faults)
	if req.Faults < req.Total/10 {
		t.Fatalf("only %d of %d requests were faulty", req.Faults, req.Total)
	}
	for _, s := range sums {
		if s.County != "" && !s.Complete {
			t.Errorf("%s incomplete under faults: %+v", s.County, s.Columns)
		}
	}
	got := contentOf(t, e.st)

	// The same world without faults, into a fresh store.
	for _, c := range e.counties() {
		e.srv.SetFaults(c, sim.Faults{})
	}
	e.storeURL = "sqlite://" + filepath.Join(t.TempDir(), "clean.db")
	e.st = e.open(t)
	if _, err := e.st.ImportRecords(context.Background(), e.recs); err != nil {
		t.Fatal(err)
	}
	e.sweep(t)
	diffContent(t, contentOf(t, e.st), got)
}

func TestE2EColumnDownIsIncompleteAlone(t *testing.T) {
	e := newSimEnv(t)
	e.lighten()
	e.cfg.Harvest.Retries = 1
	const county, column = "泽州县", "行政处罚"
	e.srv.SetFaults(county, sim.Faults{DownColumns: []string{column}})
	sums := e.sweep(t)
	var sawColumn bool
	for _, s := range sums {
		for _, c := range s.Columns {
			down := s.County == county && c.Column == column
			sawColumn = sawColumn || down
			if down == c.Complete && s.County != "" {
				t.Errorf("%s %s: complete=%v errors=%v", s.County, c.Column, c.Complete, c.Errors)
			}
		}
	}
	if !sawColumn {
		t.Fatalf("no outcome for %s %s", county, column)
	}
	sweeps, err := e.st.Sweeps(context.Background(), store.SweepQuery{County: county})
	if err != nil || len(sweeps) != 1 || sweeps[0].Complete() {
		t.Errorf("stored sweep %+v %v", sweeps, err)
	}
}

// childEnv makes TestE2EChildHarvest run a sweep: the SIGKILL test
// re-executes the test binary with it to have a process it can kill.
const childEnv = "GONGKAI_HARVEST_CHILD"

// TestE2EChildHarvest is the killable harvester process of
// TestE2EKilledAndResumed; on its own it does nothing.
func TestE2EChildHarvest(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("runs only as the child of TestE2EKilledAndResumed")
	}
	cfg, err := config.Load(os.Getenv("GONGKAI_CONFIG"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Harvest.Delay = 0
	st, err := store.Open(context.Background(), os.Getenv("GONGKAI_STORE"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var only []string
	if o := os.Getenv("GONGKAI_ONLY"); o != "" {
		only = strings.Split(o, ",")
	}
	h, err := harvest.New(harvest.Options{Config: cfg, Store: st, Only: only, Observer: harvest.ObserverFunc(func(ev harvest.Event) {
		if ev.Kind == harvest.Committed {
			fmt.Fprintln(os.Stdout, "committed")
		}
	})})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(os.Stdout, "sweep done")
}

func TestE2EKilledAndResumed(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("parent only")
	}
	e := newSimEnv(t)
	e.lighten()
	// The reference: an uninterrupted sweep of the same world into its own
	// store, counting its commits to choose kill points inside a sweep.
	var commits atomic.Int64
	e.sweep(t, func(o *harvest.Options) {
		o.Observer = harvest.ObserverFunc(func(ev harvest.Event) {
			if ev.Kind == harvest.Committed {
				commits.Add(1)
			}
		})
	})
	commitsPerSweep := int(commits.Load())
	want := contentOf(t, e.st)
	e.storeURL = "sqlite://" + filepath.Join(t.TempDir(), "killed.db")
	e.st = e.open(t)
	if _, err := e.st.ImportRecords(context.Background(), e.recs); err != nil {
		t.Fatal(err)
	}

	child := func(killAfter int) (commits int, finished bool) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestE2EChildHarvest$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"=1", "GONGKAI_CONFIG="+e.cfgPath, "GONGKAI_STORE="+e.storeURL, "GONGKAI_ONLY="+strings.Join(e.only, ","))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			switch sc.Text() {
			case "committed":
				commits++
				if commits == killAfter {
					cmd.Process.Signal(syscall.SIGKILL)
				}
			case "sweep done":
				finished = true
			}
		}
		err = cmd.Wait()
		if killAfter > 0 && commits >= killAfter {
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Errorf("child after %d commits: %v, want killed", commits, err)
			}
		} else if err != nil {
			t.Fatalf("child: %v", err)
		}
		return commits, finished
	}
	// Kill early (list pages only), in the middle and late; then let a run
	// finish. Until one finishes, every run is a full re-walk (no full sweep
	// has completed), so each has about commitsPerSweep commits.
	for _, n := range []int{3, commitsPerSweep / 3, commitsPerSweep * 2 / 3} {
		commits, finished := child(n)
		t.Logf("killed after %d of about %d commits", commits, commitsPerSweep)
		if finished {
			t.Fatalf("the sweep finished before %d commits; kill points must be inside it", n)
		}
	}
	if _, finished := child(0); !finished {
		t.Fatal("the resumed sweep did not finish")
	}
	// The killed runs left unfinished sweeps (a county may finish before a
	// late kill); the last run finished every source.
	sweeps, err := e.st.Sweeps(context.Background(), store.SweepQuery{})
	if err != nil {
		t.Fatal(err)
	}
	unfinished := 0
	newest := map[string]gongkai.Sweep{}
	for _, sw := range sweeps {
		if sw.Finished.IsZero() {
			unfinished++
		}
		if _, ok := newest[sw.Source]; !ok {
			newest[sw.Source] = sw
		}
	}
	if unfinished < 3 {
		t.Errorf("%d unfinished sweeps, want at least one per kill", unfinished)
	}
	for src, sw := range newest {
		if sw.Finished.IsZero() || sw.Interrupted {
			t.Errorf("last sweep of %s did not finish: %+v", src, sw)
		}
	}
	diffContent(t, want, contentOf(t, e.st))
}
