package harvest_test

// Incremental credit lookups against the simulated world: what a sweep
// looks up again, and what it keeps from earlier observations.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"gongkai"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
	"gongkai/sim"
	"gongkai/sources/credit"
	"gongkai/sources/harvest"
	"gongkai/store"
)

// creditOnly keeps the counties but drops their sites: the sweeps of
// these tests are the credit system's alone.
func creditOnly(e *simEnv) {
	for i := range e.cfg.Counties {
		e.cfg.Counties[i].Sources = nil
	}
}

// creditSweep sweeps on the world's clock and returns the credit
// source's summary and the keys of the targets it looked up.
func (e *simEnv) creditSweep(t *testing.T, opts ...func(*harvest.Options)) (harvest.Summary, map[string]bool) {
	t.Helper()
	if e.clock == nil || e.clockDay != e.w.AsOf() {
		e.clock, e.clockDay = sim.ObserverClock(e.w.AsOf()), e.w.AsOf()
	}
	sums := e.sweep(t, append([]func(*harvest.Options){func(o *harvest.Options) { o.Now = e.clock }}, opts...)...)
	var sum harvest.Summary
	for _, s := range sums {
		if s.Credit != nil {
			sum = s
		}
	}
	if sum.Credit == nil {
		t.Fatal("no credit sweep")
	}
	looks, err := e.st.CreditLookups(context.Background(), store.CreditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, l := range looks {
		if !l.At.Before(sum.Started) && !l.At.After(sum.Finished) {
			keys[l.Key] = true
		}
	}
	if len(keys) != sum.Credit.Looked {
		t.Errorf("%d enterprises have lookups in the sweep, its summary says %d", len(keys), sum.Credit.Looked)
	}
	return sum, keys
}

// importWorldRecords imports the world's records as of its current day.
func (e *simEnv) importWorldRecords(t *testing.T) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "records.csv")
	if err := os.WriteFile(path, e.w.RecordsCSV(), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, err := records.ReadFile(path, catalogue.Default(), calendar.Default())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.ImportRecords(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	e.recs = recs
}

// creditTargets are the world's lookup targets by key.
func (e *simEnv) creditTargets() map[string]credit.Target {
	out := map[string]credit.Target{}
	for _, t := range credit.Targets(e.recs, catalogue.Default(), nil) {
		out[t.Key] = t
	}
	return out
}

// dueLatest is a record's due date (latest of its range).
func dueLatest(t *testing.T, r records.Record) calendar.Date {
	t.Helper()
	it, ok := catalogue.Default().Item(r.Item)
	if !ok {
		t.Fatalf("no item %s", r.Item)
	}
	due, err := calendar.Default().DueRange(r.FormedOn, it.TimeLimit.Workdays)
	if err != nil {
		t.Fatal(err)
	}
	return due.Latest
}

// awaitable are the targets an incremental sweep on day may look up for a
// record the system did not show (shown: at the last sweep): one not due
// or past due by at most credit.AwaitDays.
func awaitable(t *testing.T, e *simEnv, day calendar.Date, shown map[string]bool) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for key, tg := range e.creditTargets() {
		for _, r := range tg.Records {
			if day-dueLatest(t, r) <= credit.AwaitDays && !shown[r.County+"|"+recordKey(r.RecordNo)] {
				out[key] = true
			}
		}
	}
	return out
}

// shownBy are the credit records the truth shows (on time or late) on the
// world's current day.
func shownBy(w *sim.World) map[string]bool {
	out := map[string]bool{}
	for _, tr := range w.Truth().Records {
		if tr.Channel == catalogue.Credit && (tr.Status == sim.StatusOnTime || tr.Status == sim.StatusLate) {
			out[tr.County+"|"+recordKey(tr.RecordNo)] = true
		}
	}
	return out
}

// unobservedAfter are the targets whose latest lookup did not observe the system.
func unobservedAfter(t *testing.T, st store.Store) map[string]bool {
	t.Helper()
	looks, err := st.CreditLookups(context.Background(), store.CreditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	latest := map[string]gongkai.CreditLookup{}
	for _, l := range looks {
		k := l.County + "|" + l.Key
		if p, ok := latest[k]; !ok || l.At.After(p.At) {
			latest[k] = l
		}
	}
	out := map[string]bool{}
	for _, l := range latest {
		if !l.Observed {
			out[l.Key] = true
		}
	}
	return out
}

func TestE2ECreditSecondSweepLooksUpOnlyWhatIsOwed(t *testing.T) {
	e := newSimEnv(t)
	creditOnly(e)
	first, _ := e.creditSweep(t)
	firstReq := e.srv.Requests("gsxt")
	if !first.Full || first.Credit.Looked != first.Credit.Targets || first.Credit.Targets < 100 {
		t.Fatalf("first sweep %+v: want a full one over the world's targets", *first.Credit)
	}
	unobserved := unobservedAfter(t, e.st)

	// Again the same day: only the walls are tried again (absences are
	// awaited day by day).
	e.srv.ResetRequests()
	second, looked := e.creditSweep(t)
	req := e.srv.Requests("gsxt")
	c := second.Credit
	t.Logf("first sweep: %d targets, %d requests; second: %d looked up %v, %d carried, %+v",
		first.Credit.Targets, firstReq.Total, c.Looked, c.Why, c.Carried, req)
	if second.Full || c.Why[credit.Unobserved] != c.Planned() {
		t.Errorf("nothing changed, yet the second sweep looked up %v", c.Why)
	}
	// Every wall is tried again: the challenged county's enterprises and
	// those the system did not find.
	challenged := 0
	for key := range unobserved {
		if !looked[key] {
			t.Errorf("%s was not observed and is not looked up again", key)
		}
	}
	for _, tg := range e.creditTargets() {
		if slices.Contains(tg.Counties, sim.ChallengedCounty) {
			challenged++
			if !looked[tg.Key] {
				t.Errorf("challenged %s (%s) not looked up again", tg.Key, tg.Party)
			}
		}
	}
	if challenged == 0 || c.Why[credit.Unobserved] != len(unobserved) {
		t.Errorf("%d challenged enterprises, %d unobserved, %d retried", challenged, len(unobserved), c.Why[credit.Unobserved])
	}
	for key := range looked {
		if !unobserved[key] {
			t.Errorf("%s looked up again, though it was observed", key)
		}
	}
	// The sim's request counter agrees with the summary, and the
	// carried enterprises cost nothing.
	if req.Total != second.Pages || req.Total == 0 || req.Total > firstReq.Total/5 {
		t.Errorf("second sweep made %d requests (summary %d), the first %d", req.Total, second.Pages, firstReq.Total)
	}
	if c.Carried != c.Targets-c.Looked || c.Carried < c.Targets/2 {
		t.Errorf("summary %+v", *c)
	}
	// The counties' outcomes account for every target and date their
	// completeness by the oldest observation they rest on.
	sweeps, err := e.st.Sweeps(context.Background(), store.SweepQuery{Source: e.cfg.Credit.Name, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	listed := 0
	for _, col := range sweeps[0].Columns {
		listed += col.Listed
		if col.Column != sim.ChallengedCounty && col.Listed > col.Details && !col.ObservedAt.Before(second.Started) {
			t.Errorf("%s: %d of %d targets carried, yet observed at %v (sweep started %v)", col.Column, col.Listed-col.Details, col.Listed, col.ObservedAt, second.Started)
		}
	}
	if listed < c.Targets {
		t.Errorf("columns list %d targets, the sweep had %d", listed, c.Targets)
	}

	// A record imported for an enterprise observed and carried: the next
	// sweep looks it up (and the walls again), nothing else.
	var known credit.Target
	for _, tg := range e.creditTargets() {
		if !unobserved[tg.Key] && tg.USCC != "" && (known.Key == "" || tg.Key < known.Key) {
			known = tg
		}
	}
	r := known.Records[0]
	r.RecordNo += "-补"
	if _, err := e.st.ImportRecords(context.Background(), []records.Record{r}); err != nil {
		t.Fatal(err)
	}
	e.srv.ResetRequests()
	third, looked := e.creditSweep(t)
	if !looked[known.Key] || len(looked) != len(unobserved)+1 || third.Credit.Why[credit.RecordsChanged] != 1 {
		t.Errorf("after importing %s for %s: looked up %d (%v), want the walls and %s", r.RecordNo, known.Key, len(looked), third.Credit.Why, known.Key)
	}
	if req := e.srv.Requests("gsxt"); req.Total != third.Pages || req.Total > len(unobserved)+6 {
		t.Errorf("after an import: %d requests (summary %d) for %d walls and one lookup", req.Total, third.Pages, len(unobserved))
	}
}

// TestE2ECreditWeekLater: a week on, new records are looked up, records
// not shown that became due are looked up, walls are tried again — and
// nothing else but records the system does not show yet.
func TestE2ECreditWeekLater(t *testing.T) {
	start := weekWithCreditDue(t)
	t.Logf("first sweep on %s", start)
	e := newSimEnvAt(t, e2eSeed, start)
	creditOnly(e)
	e.creditSweep(t)
	before := e.creditTargets()
	prints := map[string]string{}
	for key, tg := range before {
		for _, c := range tg.Counties {
			prints[c+"|"+key] = credit.Fingerprint(tg, c)
		}
	}
	unobserved := unobservedAfter(t, e.st)
	shown := shownBy(e.w) // at the first sweep

	day := start.AddDays(7)
	e.w.AdvanceTo(day)
	e.importWorldRecords(t)
	e.srv.ResetRequests()
	sum, looked := e.creditSweep(t)
	c := sum.Credit
	t.Logf("week later: %d targets, looked up %d %v, carried %d, %d requests", c.Targets, c.Looked, c.Why, c.Carried, e.srv.Requests("gsxt").Total)

	owed := map[string]string{}
	for key, tg := range e.creditTargets() {
		for _, county := range tg.Counties {
			if prints[county+"|"+key] != credit.Fingerprint(tg, county) {
				owed[key] = "new or changed records"
			}
		}
		for _, r := range tg.Records {
			if d := dueLatest(t, r); d >= start && d < day && !shown[r.County+"|"+recordKey(r.RecordNo)] {
				owed[key] = "due on " + d.String()
			}
		}
		if unobserved[key] {
			owed[key] = "unobserved"
		}
	}
	newly, imported := 0, 0
	for key, why := range owed {
		switch {
		case strings.HasPrefix(why, "due"):
			newly++
		case strings.HasPrefix(why, "new"):
			imported++
		}
		if !looked[key] {
			t.Errorf("%s (%s) not looked up", key, why)
		}
	}
	if newly == 0 || imported == 0 {
		t.Fatalf("the week brought %d newly due and %d new or changed targets: the world did not move as expected", newly, imported)
	}
	awaited := awaitable(t, e, day, shown)
	for key := range looked {
		if owed[key] == "" && !awaited[key] {
			t.Errorf("%s looked up though nothing is owed", key)
		}
	}
	if c.Why[credit.NewlyDue] == 0 || c.Why[credit.RecordsChanged]+c.Why[credit.Never] == 0 || c.Carried == 0 {
		t.Errorf("summary %+v", *c)
	}
	// Lookups that started from the company page found before read the
	// same rows as a search would: nothing the system did not change
	// becomes a new version.
	if sum.Changed != 0 || sum.Withdrawn != 0 {
		t.Errorf("the week changed %d and withdrew %d credit rows; the simulated system changes none", sum.Changed, sum.Withdrawn)
	}
}

// weekWithCreditDue finds a day from which, within a week, a record the
// credit system does not show becomes due and a new credit record is formed.
func weekWithCreditDue(t *testing.T) calendar.Date {
	t.Helper()
	w, err := sim.Generate(sim.Options{Seed: e2eSeed, Size: sim.Small})
	if err != nil {
		t.Fatal(err)
	}
	for day := w.AsOf().AddDays(-70); day < w.AsOf().AddDays(-7); day++ {
		w.AdvanceTo(day)
		due, formed := false, false
		for _, tr := range w.Truth().Records {
			if tr.Channel != catalogue.Credit || tr.County == sim.ChallengedCounty {
				continue
			}
			if tr.Status != sim.StatusOnTime && tr.Status != sim.StatusLate && tr.Due >= day && tr.Due < day.AddDays(7) {
				due = true
			}
		}
		w.AdvanceTo(day.AddDays(7))
		for _, tr := range w.Truth().Records {
			if tr.Channel == catalogue.Credit && tr.FormedOn > day {
				formed = true
			}
		}
		if due && formed {
			return day
		}
	}
	t.Fatal("no week in which an unshown credit record becomes due")
	return 0
}

// rowFilter is a proxy in front of the credit mock that can hide one
// table's rows: a disclosure withdrawn from the system.
type rowFilter struct {
	proxy *httputil.ReverseProxy
	mu    sync.Mutex
	hide  string // path of the data URL whose rows are hidden
}

func (f *rowFilter) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.proxy.ServeHTTP(w, r) }

func newRowFilter(t *testing.T, target string) (*rowFilter, string) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	f := &rowFilter{proxy: httputil.NewSingleHostReverseProxy(u)}
	f.proxy.ModifyResponse = func(resp *http.Response) error {
		f.mu.Lock()
		hide := f.hide
		f.mu.Unlock()
		if hide == "" || resp.Request.URL.EscapedPath() != hide {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var tab map[string]any
		if err := json.Unmarshal(b, &tab); err != nil {
			return fmt.Errorf("data table %s: %w", hide, err)
		}
		tab["data"], tab["recordsTotal"], tab["recordsFiltered"], tab["totalPage"] = []any{}, 0, 0, 0
		b, _ = json.Marshal(tab)
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func TestE2ECreditFullSweepFindsWithdrawal(t *testing.T) {
	e := newSimEnv(t)
	creditOnly(e)
	filter, proxyURL := newRowFilter(t, e.srv.CreditURL())
	e.cfg.Credit.URL = proxyURL
	e.creditSweep(t)
	_, looked := e.creditSweep(t)

	// An enterprise the second sweep did not look up, with one
	// punishment row: the system withdraws it.
	pubs := publications(t, e.st, catalogue.Credit)
	rows := map[string][]gongkai.Publication{} // data URL → rows
	for _, p := range pubs {
		if p.Disclosures[0].Kind == "credit-punishment" {
			du := p.URL[:strings.Index(p.URL, "#")]
			rows[du] = append(rows[du], p)
		}
	}
	targets := e.creditTargets()
	var gone gongkai.Publication
	for _, du := range slices.Sorted(func(yield func(string) bool) {
		for k := range rows {
			if !yield(k) {
				return
			}
		}
	}) {
		p := rows[du][0]
		if _, ok := targets[p.Disclosures[0].USCCs[0]]; ok && len(rows[du]) == 1 && !looked[p.Disclosures[0].USCCs[0]] {
			gone = p
			break
		}
	}
	if gone.URL == "" {
		t.Fatal("no carried enterprise with a single punishment row")
	}
	u, _ := url.Parse(gone.URL)
	filter.mu.Lock()
	filter.hide = u.EscapedPath()
	filter.mu.Unlock()

	// An incremental sweep keeps the last observation of the enterprise…
	inc, looked := e.creditSweep(t)
	if looked[gone.Disclosures[0].USCCs[0]] || inc.Withdrawn != 0 {
		t.Errorf("incremental sweep looked the enterprise up (%v) or withdrew %d rows", looked[gone.Disclosures[0].USCCs[0]], inc.Withdrawn)
	}
	if p, _, _ := e.st.Publication(context.Background(), gone.URL); p.State != gongkai.Current {
		t.Errorf("%s is %s after an incremental sweep", gone.URL, p.State)
	}
	// …the full re-check (full_every, --full) looks every target up and
	// finds the row withdrawn.
	full, looked := e.creditSweep(t, func(o *harvest.Options) { o.Full = true })
	if !full.Full || full.Credit.Why[credit.Full] != full.Credit.Targets || len(looked) != full.Credit.Targets || full.Credit.Carried != 0 {
		t.Errorf("full re-check %+v looked up %d", *full.Credit, len(looked))
	}
	p, _, _ := e.st.Publication(context.Background(), gone.URL)
	if p.State != gongkai.Withdrawn || full.Withdrawn != 1 {
		t.Errorf("%s is %s after the full re-check (%d withdrawn), want withdrawn", gone.URL, p.State, full.Withdrawn)
	}
	if p.Withdrawn.Before(full.Started) || p.Withdrawn.After(full.Finished) {
		t.Errorf("withdrawn at %v", p.Withdrawn)
	}
}
