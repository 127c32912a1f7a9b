package redis_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"gongkai"
	"gongkai/catalogue"
	"gongkai/internal/auditsetup"
	"gongkai/records"
	"gongkai/sim"
	"gongkai/sources/harvest"
	"gongkai/store"
	"gongkai/store/sqlite"
)

// The small simulated world harvested into Redis and into SQLite: the
// stores hold the same publications (every version, with bodies), the same
// sweep outcomes, the same credit lookups and the same evidence, up to the
// times of the two runs.
func TestHarvestSameAsSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("harvests the simulated world twice")
	}
	ctx := context.Background()
	raw := testURL(t)
	world, err := sim.Generate(sim.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := world.Serve()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	sites := filepath.Join(dir, "sites.yaml")
	if err := os.WriteFile(sites, world.SitesYAML(srv), 0o644); err != nil {
		t.Fatal(err)
	}
	setup, err := auditsetup.Load(sites, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	recordsPath := filepath.Join(dir, "records.csv")
	if err := os.WriteFile(recordsPath, world.RecordsCSV(), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, err := records.ReadFile(recordsPath, catalogue.Default(), setup.Calendar)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := sqlite.Open(ctx, filepath.Join(dir, "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	red := openURL(t, raw)

	for _, st := range []store.Store{lite, red} {
		// The records decide which credit lookups the sweep makes.
		if _, err := st.ImportRecords(ctx, recs); err != nil {
			t.Fatal(err)
		}
		h, err := harvest.New(harvest.Options{Config: setup.Config, Store: st, Now: sim.ObserverClock(world.AsOf())})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Sweep(ctx); err != nil {
			t.Fatalf("sweep into %T: %v", st, err)
		}
	}

	a, b := dump(t, lite), dump(t, red)
	if len(a.pubs) < 100 || len(a.credit) == 0 {
		t.Fatalf("only %d publications and %d credit lookups harvested: the world was not walked", len(a.pubs), len(a.credit))
	}
	if !reflect.DeepEqual(a.pubs, b.pubs) {
		for u, p := range a.pubs {
			if q := b.pubs[u]; !reflect.DeepEqual(p, q) {
				t.Errorf("publication %s differs:\nsqlite %+v\n redis %+v", u, p, q)
				break
			}
		}
		t.Errorf("publications: %d on SQLite, %d on Redis", len(a.pubs), len(b.pubs))
	}
	if !reflect.DeepEqual(a.columns, b.columns) {
		t.Errorf("column outcomes differ:\nsqlite %v\n redis %v", a.columns, b.columns)
	}
	if !reflect.DeepEqual(a.captures, b.captures) {
		t.Errorf("captures differ: %d on SQLite, %d on Redis", len(a.captures), len(b.captures))
	}
	if !reflect.DeepEqual(a.records, b.records) {
		t.Errorf("records differ: %d on SQLite, %d on Redis", len(a.records), len(b.records))
	}
	if !reflect.DeepEqual(a.credit, b.credit) {
		t.Errorf("credit lookups differ:\nsqlite %v\n redis %v", a.credit, b.credit)
	}
}

type storeDump struct {
	pubs     map[string][]gongkai.Publication // every version, times zeroed
	columns  []string
	captures []string
	credit   []string
	records  []records.Record
}

func dump(t *testing.T, st store.Store) storeDump {
	t.Helper()
	ctx := context.Background()
	d := storeDump{pubs: map[string][]gongkai.Publication{}}
	ps, err := st.Publications(ctx, store.PublicationQuery{IncludeWithdrawn: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		vs, err := st.Versions(ctx, p.URL)
		if err != nil {
			t.Fatal(err)
		}
		for i := range vs {
			vs[i].FirstSeen, vs[i].LastSeen = time.Time{}, time.Time{}
			// Capture IDs are random UUIDs, different in each run.
			vs[i].CaptureID = ""
			for j := range vs[i].Attachments {
				vs[i].Attachments[j].CaptureID = ""
			}
		}
		d.pubs[p.URL] = vs
	}
	sweeps, err := st.Sweeps(ctx, store.SweepQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sweeps {
		for _, c := range s.Columns {
			c.ObservedAt = time.Time{}
			d.columns = append(d.columns, fmt.Sprintf("%s %s %v %+v", s.Source, s.County, s.Complete(), c))
		}
	}
	sort.Strings(d.columns)
	if err := st.Captures(ctx, func(c gongkai.Capture) error {
		d.captures = append(d.captures, fmt.Sprintf("%s %s %d %s", c.URL, c.Type, c.Status, c.PayloadDigest))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(d.captures)
	cl, err := st.CreditLookups(ctx, store.CreditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cl {
		d.credit = append(d.credit, fmt.Sprintf("%s %s %s %v %s %s", c.County, c.Key, c.Party, c.Observed, c.Reason, c.CompanyURL))
	}
	sort.Strings(d.credit)
	if d.records, err = st.Records(ctx, store.RecordQuery{}); err != nil {
		t.Fatal(err)
	}
	return d
}
