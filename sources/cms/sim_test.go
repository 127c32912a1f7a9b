package cms_test

import (
	"context"
	"fmt"
	"gongkai"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/ident"
	"gongkai/sim"
	"gongkai/sources/attach"
	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// crawled is what a straightforward walk of one column yields.
type crawled struct {
	pages    int
	entries  []cms.Entry
	rejected []string
	capped   bool
	declared int // the first page's DeclaredTotal
}

func walkColumn(t *testing.T, ctx context.Context, f *fetch.Fetcher, col config.Column) crawled {
	t.Helper()
	var out crawled
	queue := []fetch.Request{cms.FirstPage(col)}
	seen := map[string]bool{}
	for idx := 0; idx < len(queue); idx++ {
		req := queue[idx]
		key := req.URL + "|" + req.Form.Encode()
		if seen[key] {
			t.Fatalf("%s: page requested twice: %s", col.Name, key)
		}
		seen[key] = true
		resp, err := f.Fetch(ctx, req)
		if err != nil {
			t.Fatalf("%s page %d: %v", col.Name, idx, err)
		}
		lr, err := cms.ParseList(col, resp, idx)
		if err != nil {
			t.Fatalf("%s page %d (%s): %v", col.Name, idx, req.URL, err)
		}
		if lr.End {
			t.Fatalf("%s page %d (%s) reported End: the walk asked for a page past the last", col.Name, idx, req.URL)
		}
		if idx == 0 {
			out.declared = lr.DeclaredTotal
		} else if lr.DeclaredTotal != 0 && lr.DeclaredTotal != out.declared {
			t.Errorf("%s page %d declares %d entries, the first page %d", col.Name, idx, lr.DeclaredTotal, out.declared)
		}
		out.pages++
		out.entries = append(out.entries, lr.Entries...)
		out.rejected = append(out.rejected, lr.Rejected...)
		out.capped = out.capped || lr.Capped
		queue = append(queue, lr.Next...)
	}
	return out
}

type harvested struct {
	pub   gongkai.Publication
	entry cms.Entry
}

func harvestDetail(t *testing.T, ctx context.Context, f *fetch.Fetcher, county config.County, src config.Source, col config.Column, e cms.Entry) harvested {
	resp, err := f.Fetch(ctx, fetch.Request{URL: e.URL, Kind: fetch.KindDetail, Charset: col.Charset})
	if err != nil {
		t.Errorf("%s: %v", e.URL, err)
		return harvested{}
	}
	d, err := cms.ParseDetail(col, e, resp)
	if err != nil || d.NotFound {
		t.Errorf("%s: %v (not found %v)", e.URL, err, d.NotFound)
		return harvested{}
	}
	var atts []gongkai.Attachment
	for _, l := range d.Links {
		a := gongkai.Attachment{URL: l.URL, Name: l.Name}
		r, err := f.Fetch(ctx, fetch.Request{URL: l.URL, Kind: fetch.KindAttachment})
		if err != nil || r.Status != 200 {
			t.Errorf("attachment %s: %v", l.URL, err)
			continue
		}
		a.MediaType, a.Size, a.Evidence = r.MediaType, int64(len(r.Body)), r.Digest
		a.Text, a.Sheets, err = attach.Extract(l.Name, r.MediaType, r.Body)
		if err != nil {
			t.Errorf("attachment %s: %v", l.Name, err)
		}
		atts = append(atts, a)
	}
	return harvested{pub: cms.BuildPublication(county, src, col, e, d, atts), entry: e}
}

func calendarDate(s string) (calendar.Date, error) {
	if i := strings.IndexAny(s, " 　"); i > 0 {
		s = s[:i]
	}
	return calendar.ParseDate(s)
}

func hasYear(s string) bool {
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
			if digits == 4 {
				return true
			}
		} else {
			digits = 0
		}
	}
	return false
}

// haystack is everything a publication shows, as text.
func haystack(p gongkai.Publication) string {
	var b strings.Builder
	b.WriteString(p.Title + "\n" + p.Body + "\n")
	for _, d := range p.Disclosures {
		b.WriteString(d.Text + "\n")
		for _, v := range d.Fields {
			b.WriteString(v + "\n")
		}
	}
	for _, a := range p.Attachments {
		b.WriteString(a.Name + "\n" + a.Text + "\n")
		for _, sh := range a.Sheets {
			for _, r := range sh.Rows {
				b.WriteString(strings.Join(r, " ") + "\n")
			}
		}
	}
	return b.String()
}

func recordKey(no string) string {
	if d, ok := ident.ParseDecisionNo(no); ok {
		return d.Key()
	}
	return no
}

// TestSimulatedWorld walks every column of the six simulated county sites
// with the configuration the world generates, and checks every published
// page against truth.json: its title, the date it declares, and the record
// numbers it shows.
func TestSimulatedWorld(t *testing.T) {
	if testing.Short() {
		t.Skip("walks six simulated sites")
	}
	w, err := sim.Generate(sim.Options{Seed: 7, Size: sim.Small})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cfg, err := config.Parse("sites.yaml", w.SitesYAML(srv))
	if err != nil {
		t.Fatalf("the world's sites.yaml does not load: %v", err)
	}
	var hosts []string
	for _, cs := range cfg.AllSources() {
		hosts = append(hosts, cs.Source.Hosts...)
	}
	h := cfg.Harvest
	h.PerHost = 4
	f, err := fetch.New(h, hosts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	truth := w.Truth()
	for _, county := range cfg.Counties {
		t.Run(county.County, func(t *testing.T) {
			base := srv.SiteURL(county.County)
			got := map[string]harvested{}
			declaring := 0
			var mu sync.Mutex
			for _, src := range county.Sources {
				for _, col := range src.Columns {
					c := walkColumn(t, ctx, f, col)
					if c.capped {
						t.Errorf("%s: capped at %d pages", col.Name, c.pages)
					}
					// Where the site declares its entry count (共N条, Hanweb
					// totalRecord), it is what the walk listed, kept or not.
					if c.declared > 0 && c.declared != len(c.entries)+len(c.rejected) {
						t.Errorf("%s: declares %d entries, the walk listed %d (+%d rejected)", col.Name, c.declared, len(c.entries), len(c.rejected))
					}
					if c.declared > 0 {
						declaring++
					}
					var wg sync.WaitGroup
					sem := make(chan struct{}, 4)
					for _, e := range c.entries {
						mu.Lock()
						_, dup := got[e.URL]
						mu.Unlock()
						if dup {
							t.Errorf("%s listed in two columns", e.URL)
						}
						wg.Add(1)
						sem <- struct{}{}
						go func(e cms.Entry) {
							defer func() { <-sem; wg.Done() }()
							hv := harvestDetail(t, ctx, f, county, src, col, e)
							mu.Lock()
							got[e.URL] = hv
							mu.Unlock()
						}(e)
					}
					wg.Wait()
				}
			}
			want := 0
			for _, p := range truth.Pages {
				if p.County != county.County || p.Channel != "政府网站" || !p.Withdrawn.IsZero() || p.Kind == "offsite" {
					continue
				}
				want++
				u := base + p.URL
				hv, ok := got[u]
				if !ok {
					t.Errorf("not harvested: %s %q", u, p.Title)
					continue
				}
				pub := hv.pub
				if pub.Title != p.Title {
					t.Errorf("%s: title %q, want %q", p.URL, pub.Title, p.Title)
				}
				if pub.Declared != p.Published {
					t.Errorf("%s: declared %s (from %s), want %s", p.URL, pub.Declared, pub.DeclaredFrom, p.Published)
				}
				// A list date without a year is resolved against the server's
				// Date header; the simulated server sends the real clock, not
				// the world's day, so only full list dates can be checked here.
				if hasYear(hv.entry.DateText) && hv.entry.Date != p.Published {
					t.Errorf("%s: list date %s (%q), want %s", p.URL, hv.entry.Date, hv.entry.DateText, p.Published)
				}
				if v := pub.Metadata["发布日期"]; v != "" {
					if d, _ := calendarDate(v); d != p.Published {
						t.Errorf("%s: 发布日期 label %q, want %s", p.URL, v, p.Published)
					}
				}
				switch county.County {
				case "城区", "沁水县", "阳城县", "高平市": // the 信息公开 label table
					for _, k := range []string{"索引号", "发布机构", "主题分类"} {
						if pub.Metadata[k] == "" {
							t.Errorf("%s: metadata %s missing: %v", p.URL, k, pub.Metadata)
						}
					}
					if _, ok := pub.Metadata["文号"]; !ok {
						t.Errorf("%s: 文号 label not read (even empty): %v", p.URL, pub.Metadata)
					}
				case "陵川县":
					if pub.Metadata["Maketime"] == "" || pub.DeclaredFrom != "PubDate" {
						t.Errorf("%s: Maketime %q, declared from %s", p.URL, pub.Metadata["Maketime"], pub.DeclaredFrom)
					}
				}
				shown := haystack(pub)
				for _, no := range p.RecordNos {
					_, isDecision := ident.ParseDecisionNo(no)
					// Decision numbers are always shown (perhaps written
					// differently); other numbers count when the page or its
					// attachments show them (inspection batches of some
					// counties and events print none).
					if !isDecision && !strings.Contains(shown, no) {
						continue
					}
					if !slices.Contains(pub.RecordNos, recordKey(no)) {
						t.Errorf("%s (%s): record %s not found among %v", p.URL, p.Kind, no, pub.RecordNos)
					}
				}
				if len(p.Attachments) != len(pub.Attachments) {
					t.Errorf("%s: %d attachments, want %d", p.URL, len(pub.Attachments), len(p.Attachments))
				}
			}
			if len(got) != want {
				var extra []string
				for u := range got {
					extra = append(extra, u)
				}
				t.Errorf("harvested %d pages, truth has %d visible", len(got), want)
				_ = extra
			}
			if (county.County == "陵川县" || county.County == "泽州县") && declaring == 0 {
				t.Errorf("no column of %s declared its entry count (共N条 / totalRecord)", county.County)
			}
			t.Logf("%s: %d pages checked, %d columns declaring their entry count", county.County, want, declaring)
		})
	}
	_ = fmt.Sprint
}
