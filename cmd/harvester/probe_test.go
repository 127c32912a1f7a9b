package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/catalogue"
	"gongkai/internal/browsertest"
	"gongkai/sim"
	"gongkai/sources/config"
	"gongkai/sources/harvest"
	"gongkai/store"
)

// harvestURLs harvests a configuration once into a fresh store and returns
// the website publications' URLs per "county|column".
func harvestURLs(t *testing.T, ctx context.Context, cfg *config.Config) map[string][]string {
	t.Helper()
	st, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := harvest.New(harvest.Options{Config: cfg, Store: st, NoCredit: true, Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	pubs, err := st.Publications(ctx, store.PublicationQuery{Channel: catalogue.Website, IncludeWithdrawn: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, p := range pubs {
		k := p.County + "|" + p.Column
		out[k] = append(out[k], p.URL)
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

var probeItemsLine = regexp.MustCompile(`(?m)^(\s+url: )(".*")\n(\s+items: )\[.*\]  # 请核对$`)

// TestProbeConfigHarvestsLikeHandWritten: for every column of the
// simulated world (default and unfamiliar), the configuration probe
// writes from the column URLs alone, with only its items lists replaced,
// harvests exactly the publications the hand-written configuration does.
func TestProbeConfigHarvestsLikeHandWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("harvests the simulated world twice per variant")
	}
	for _, v := range []struct {
		name     string
		opts     sim.Options
		counties []string // "" = all
		browser  bool
		columns  int // at least
		items    int // at least, harvested by the hand-written config
	}{
		{"unfamiliar=false", sim.Options{Seed: 7, Size: sim.Small}, nil, false, 24, 100},
		{"unfamiliar=true", sim.Options{Seed: 7, Size: sim.Small, Unfamiliar: true}, nil, false, 24, 100},
		// The 集约化 county and the county with the JavaScript-only
		// column; the latter needs the browser (CI=true: fails without it).
		{"jsonapi+script-list", sim.Options{Seed: 7, Size: sim.Small, JSONAPI: true, ScriptList: true},
			[]string{sim.JSONAPICounty, sim.ScriptListCounty}, true, 8, 50},
	} {
		t.Run(v.name, func(t *testing.T) {
			if v.browser {
				browsertest.Path(t)
			}
			w, err := sim.Generate(v.opts)
			if err != nil {
				t.Fatal(err)
			}
			srv, err := w.Serve()
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
			defer cancel()
			hand, err := config.Parse("sites.yaml", w.SitesYAML(srv))
			if err != nil {
				t.Fatal(err)
			}
			if v.counties != nil {
				hand.Counties = slices.DeleteFunc(hand.Counties, func(c config.County) bool { return !slices.Contains(v.counties, c.County) })
			}
			var probed strings.Builder
			probed.WriteString("harvest: {delay: 0s, max_pages: 400}\ncounties:\n")
			columns := 0
			for _, county := range hand.Counties {
				items := map[string][]string{}
				var urls []string
				for _, src := range county.Sources {
					for _, col := range src.Columns {
						urls = append(urls, col.URL)
						items[col.URL] = col.Items
						columns++
					}
				}
				args := append([]string{"probe", "--delay", "0s", "--county", county.County}, urls...)
				code, out, stderr := runProgram(t, ctx, args...)
				if code != 0 {
					t.Fatalf("%s: probe exit %d: %s\n%s", county.County, code, stderr, out)
				}
				if strings.Contains(out, "无法判断") {
					t.Logf("%s: probe is unsure:\n%s", county.County, out)
				}
				// The only hand edit: the items lists.
				out = probeItemsLine.ReplaceAllStringFunc(out, func(m string) string {
					g := probeItemsLine.FindStringSubmatch(m)
					var u string
					fmt.Sscanf(g[2], "%q", &u)
					q := make([]string, len(items[u]))
					for i, it := range items[u] {
						q[i] = fmt.Sprintf("%q", it)
					}
					return g[1] + g[2] + "\n" + g[3] + "[" + strings.Join(q, ", ") + "]"
				})
				_, block, ok := strings.Cut(out, "counties:\n")
				if !ok {
					t.Fatalf("%s: probe printed no counties: block:\n%s", county.County, out)
				}
				probed.WriteString(block)
			}
			pcfg, err := config.Parse("probed.yaml", []byte(probed.String()))
			if err != nil {
				t.Fatalf("probe's configuration does not load: %v\n%s", err, probed.String())
			}
			want := harvestURLs(t, ctx, hand)
			got := harvestURLs(t, ctx, pcfg)
			checked, total := 0, 0
			for _, county := range hand.Counties {
				for _, src := range county.Sources {
					for _, col := range src.Columns {
						k := county.County + "|" + col.Name
						if !slices.Equal(got[k], want[k]) {
							t.Errorf("%s %s: probe's config harvested %d items, the hand-written one %d\nprobe only: %v\nhand only: %v",
								county.County, col.Name, len(got[k]), len(want[k]), minus(got[k], want[k]), minus(want[k], got[k]))
						}
						checked++
						total += len(want[k])
					}
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("probe's config harvested a column the hand-written one has not: %s (%d items)", k, len(got[k]))
				}
			}
			if total < v.items {
				t.Errorf("the hand-written config harvested only %d items: nothing was compared", total)
			}
			t.Logf("%d columns, %d items compared", checked, total)
			if checked != columns || columns < v.columns {
				t.Errorf("compared %d of %d columns", checked, columns)
			}
		})
	}
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
