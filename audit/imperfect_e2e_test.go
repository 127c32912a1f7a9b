package audit_test

import (
	"context"
	"path"
	"strings"
	"testing"

	"gongkai/audit"
	"gongkai/catalogue"
	"gongkai/sim"
	"gongkai/sources/config"
	"gongkai/sources/harvest"
)

// Issue 8: a deliberately imperfect configuration — pages named one off
// from the site's (a declared page answers 404), a list whose entries the
// selector cannot see (as when a script fills it in) — and a list page
// answering 500 on every attempt, over a full sweep and three incremental
// ones: the affected records are unverified with the column's reason, and
// no record the world published is called missing.
func TestImperfectConfigNeverAccuses(t *testing.T) {
	if testing.Short() {
		t.Skip("harvests a simulated world four times")
	}
	e := newE2EWorld(t, 4242)
	var downPages []string
	for ci := range e.cfg.Counties {
		county := &e.cfg.Counties[ci]
		for si := range county.Sources {
			for k := range county.Sources[si].Columns {
				col := &county.Sources[si].Columns[k]
				switch {
				case col.Paging.Kind == config.PagingCreatePageHTML && col.Paging.Template == "":
					col.Paging.Template = "index_{n}.shtml" // the site's page 2 is index_1
				case county.County == "沁水县":
					col.List.Item = "div.filled-by-script li"
				case county.County == "阳城县" && col.Paging.Kind == config.PagingIntertid:
					dir, file := path.Split(pathOf(col.URL))
					ext := path.Ext(file)
					downPages = append(downPages, dir+strings.TrimSuffix(file, ext)+"_2"+ext)
				}
			}
		}
	}
	e.srv.SetFaults("阳城县", sim.Faults{DownPages: downPages})
	e.cfg.Harvest.Retries = 1

	clock := sim.ObserverClock(e.w.AsOf()) // one clock: it must not run backwards
	for i := range 4 {
		h, err := harvest.New(harvest.Options{Config: e.cfg, Store: e.st, Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		sums, err := h.Sweep(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sums {
			if s.County != "" && s.Full != (i == 0) {
				t.Errorf("sweep %d of %s: full=%v", i, s.County, s.Full)
			}
		}
	}
	e.clock = clock
	r := e.build(t)
	truth := e.w.Truth()
	status := map[string]string{}
	for _, tr := range truth.Records {
		status[tr.County+"|"+tr.Item+"|"+recordKey(tr.RecordNo)+"|"+string(tr.Channel)] = tr.Status
	}
	reasons := map[string]int{}
	for _, f := range r.Findings {
		want := status[f.County+"|"+f.Item+"|"+recordKey(f.RecordNo)+"|"+f.Channel]
		if f.Status == audit.Missing && want != sim.StatusMissing {
			t.Errorf("false accusation: %s %s %s on %s is missing, the world says %s (notes %v)", f.County, f.Item, f.RecordNo, f.Channel, want, f.Notes)
		}
		if f.Status != audit.Unverified || f.Channel != string(catalogue.Website) {
			continue
		}
		for _, why := range []string{"而栏目声明共", "未识别到任何条目", "HTTP 500"} {
			if strings.Contains(strings.Join(f.Notes, " "), why) {
				reasons[why]++
			}
		}
	}
	t.Logf("unverified findings by reason: %v", reasons)
	for _, why := range []string{"而栏目声明共", "未识别到任何条目"} {
		if reasons[why] == 0 {
			t.Errorf("no unverified finding gives the reason %q", why)
		}
	}
	if len(downPages) > 0 && reasons["HTTP 500"] == 0 {
		t.Logf("the pages answering 500 (%v) hold no expected record", downPages)
	}
	// The sources say why, too.
	var said []string
	for _, s := range r.Sources {
		for _, c := range s.Columns {
			if !c.Complete {
				said = append(said, s.County+" "+c.Column+": "+c.Reason)
			}
		}
	}
	if len(said) == 0 {
		t.Fatal("no incomplete column in the report's sources")
	}
	for _, l := range said {
		if strings.HasSuffix(l, ": ") {
			t.Errorf("incomplete column without a reason: %s", l)
		}
	}
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
