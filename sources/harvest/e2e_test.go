package harvest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
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
	w        *sim.World
	srv      *sim.Server
	cfgPath  string
	cfg      *config.Config
	storeURL string
	st       store.Store
	recs     []records.Record
}

const e2eSeed = 20201231

func newSimEnv(t *testing.T) *simEnv {
	t.Helper()
	w, err := sim.Generate(sim.Options{Seed: e2eSeed, Size: sim.Small})
	if err != nil {
		t.Fatal(err)
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
	o := harvest.Options{Config: e.cfg, Store: e.st}
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

// recordKey normalises a record number the way matching compares them.
func recordKey(s string) string {
	if d, ok := ident.ParseDecisionNo(s); ok {
		return d.Key()
	}
	return strings.ToUpper(strings.Join(strings.Fields(ident.Fold(s)), ""))
}

func publications(t *testing.T, st store.Store, ch catalogue.Channel) map[string]store.Publication {
	t.Helper()
	pubs, err := st.Publications(context.Background(), store.PublicationQuery{Channel: ch, IncludeWithdrawn: true, WithBodies: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.Publication{}
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
		if tp.Channel != catalogue.Website {
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
			if p.State != store.Withdrawn {
				problems = append(problems, fmt.Sprintf("%s: state %s, want withdrawn", tp.URL, p.State))
			}
			continue
		}
		if p.State == store.Withdrawn {
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
	byNo := map[string][]store.Publication{}
	byParty := map[string][]store.Publication{}
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
			if !slices.ContainsFunc(ps, func(p store.Publication) bool { return p.Disclosures[0].Kind == "credit-inspection" }) {
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
