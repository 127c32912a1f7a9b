package harvest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"gongkai/store"
)

// linkSite is a column of three pages: two link the same missing page,
// the first also a live page and an outside site.
func linkSite(site *fakeSite) {
	site.set(colURL, "E http://site.test/col/t1.shtml|通知一|2020-01-20\nE http://site.test/col/t2.shtml|通知二|2020-01-19\nE http://site.test/col/t3.shtml|通知三|2020-01-18\n")
	site.set("http://site.test/col/t1.shtml", "T 通知一\n正文\nL http://site.test/old/gone.html|原通知\nL http://site.test/col/t3.shtml|通知三\nL http://other.test/x.html|外站\n")
	site.set("http://site.test/col/t2.shtml", "T 通知二\n正文\nL http://site.test/old/gone.html|原通知\n")
	site.set("http://site.test/col/t3.shtml", "T 通知三\n正文\n")
}

func linkRequests(reqs []string) []string {
	var out []string
	for _, r := range reqs {
		if strings.HasPrefix(r, kindLink+" ") {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

func pageLinks(t *testing.T, st store.Store, dead bool) map[string][]store.PageLink {
	t.Helper()
	pls, err := st.PageLinks(context.Background(), store.PageLinkQuery{DeadOnly: dead})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]store.PageLink{}
	for _, pl := range pls {
		out[pl.Page] = pl.Links
	}
	return out
}

// Internal links are checked once per URL per sweep with HEAD, outside
// links not at all; the results are stored per page with the capture of
// the check; a dead link is checked again at the end of the next sweep
// (its page unchanged, not parsed again) and, once it answers, no page
// has a dead link.
func TestInternalLinksCheckedOncePerSweepAndAgainUntilFixed(t *testing.T) {
	site := newFakeSite()
	linkSite(site)
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sum := sweepOnce(t, h)
	want := []string{"link HEAD http://site.test/col/t3.shtml 200", "link HEAD http://site.test/old/gone.html 404"}
	if got := linkRequests(site.log()); !slices.Equal(got, want) {
		t.Errorf("link checks %q, want %q", got, want)
	}
	if sum.LinksChecked != 2 || sum.DeadLinks != 1 {
		t.Errorf("summary: %d links checked, %d dead; want 2 and 1", sum.LinksChecked, sum.DeadLinks)
	}
	all := pageLinks(t, st, false)
	t1, t2 := all["http://site.test/col/t1.shtml"], all["http://site.test/col/t2.shtml"]
	if len(t1) != 2 || len(t2) != 1 || len(all) != 2 {
		t.Fatalf("stored links: %+v", all)
	}
	// Links in URL order: col/t3 before old/gone.
	if d := t1[1]; d.URL != "http://site.test/old/gone.html" || d.Error != "HTTP 404" || d.Status != 404 || d.Name != "原通知" || d.CaptureID == "" || d.CheckedAt.IsZero() {
		t.Errorf("dead link stored as %+v", d)
	}
	if ok := t1[0]; ok.Dead() || ok.Status != 200 || t2[0].CaptureID != t1[1].CaptureID {
		t.Errorf("live link %+v; the second page's check %q must be the first's %q", ok, t2[0].CaptureID, t1[1].CaptureID)
	}
	// Every check's capture is committed once (evidence for the report).
	for _, l := range append(t1, t2...) {
		if _, ok, err := st.Capture(context.Background(), l.CaptureID); err != nil || !ok {
			t.Errorf("capture %s of %s not stored: %v", l.CaptureID, l.URL, err)
		}
	}

	// Next sweep: the pages are unchanged; only the dead link is asked
	// again, once for both pages, and is still dead.
	site.reset()
	sweepOnce(t, h)
	if got := linkRequests(site.log()); !slices.Equal(got, []string{"link HEAD http://site.test/old/gone.html 404"}) {
		t.Errorf("second sweep's link checks %q", got)
	}
	if dead := pageLinks(t, st, true); len(dead) != 2 {
		t.Errorf("dead after the second sweep: %+v", dead)
	}
	// The site puts the page back: the third sweep finds it alive.
	site.set("http://site.test/old/gone.html", "恢复的通知")
	site.reset()
	sum = sweepOnce(t, h)
	if dead := pageLinks(t, st, true); len(dead) != 0 || sum.DeadLinks != 0 || sum.LinksChecked != 1 {
		t.Errorf("after the fix: dead %+v, summary %d/%d", dead, sum.LinksChecked, sum.DeadLinks)
	}
	if len(pageLinks(t, st, false)["http://site.test/col/t1.shtml"]) != 2 {
		t.Errorf("the fixed page lost its other link: %+v", pageLinks(t, st, false))
	}
}

// A server refusing HEAD (405) gets a GET instead, and after the first
// refusal only GETs for the rest of the sweep.
func TestInternalLinksFallBackToGetWhereHeadIsRefused(t *testing.T) {
	site := newFakeSite()
	linkSite(site)
	site.headStatus = 405
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, testColumn()))
	sweepOnce(t, h)
	got := linkRequests(site.log())
	heads, gets := 0, 0
	for _, r := range got {
		if strings.Contains(r, " HEAD ") {
			heads++
		} else {
			gets++
		}
	}
	if heads != 1 || gets != 2 {
		t.Errorf("link checks %q: want one refused HEAD, then a GET of each link", got)
	}
	dead := pageLinks(t, st, true)
	if len(dead) != 2 || dead["http://site.test/col/t2.shtml"][0].Error != "HTTP 404" {
		t.Errorf("dead links after GET: %+v", dead)
	}
}
