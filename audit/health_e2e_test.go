package audit_test

// Column health (栏目健康) on the unfamiliar simulated world, moved on in
// time: stale and blank columns, dead links, changed declared dates and
// withdrawn pages as the world's truth (truth.json columns) says.

import (
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/reports"
	"gongkai/sim"
	"gongkai/sources/harvest"
)

// TestUnfamiliarColumnHealth harvests the unfamiliar world at 2020-12-31,
// then again 12 and 75 days later, the last a full re-walk that sees the
// withdrawals (the sim publishes until its horizon, so some columns go
// quiet, and one page per site is re-dated after the first sweep), and
// holds the report's column_health to the truth after each sweep.
func TestUnfamiliarColumnHealth(t *testing.T) {
	if testing.Short() {
		t.Skip("harvests the unfamiliar simulated world three times")
	}
	e := newUnfamiliarWorld(t, nil)
	var seen struct{ stale, blank, dead, redated, withdrawn int }
	for _, days := range []int{0, 12, 75} {
		if days > 0 {
			e.w.AdvanceTo(calendar.Of(2020, 12, 31).AddDays(days))
		}
		// Every exchange that checks an internal link, by method and URL.
		var mu sync.Mutex
		checks := map[string]int{}
		obs := harvest.ObserverFunc(func(ev harvest.Event) {
			if ev.Kind == harvest.Fetched && ev.FetchKind == "link" {
				mu.Lock()
				checks[ev.URL]++
				mu.Unlock()
			}
		})
		sums := e.harvestWith(t, harvest.Options{Full: days == 75, Observer: obs})
		r := e.build(t)
		truth := e.w.Truth()
		label := "as of " + e.w.AsOf().String()
		checkColumnHealth(t, label, e, r, truth)
		checkInternalLinks(t, label, r, truth, checks, sums)
		for _, tc := range truth.Columns {
			if tc.Stale {
				t.Logf("%s: stale: %s %s (%s, newest %s)", label, tc.County, tc.Column, tc.Kind, tc.Newest)
			}
			seen.stale += b2i(tc.Stale)
			seen.blank += b2i(tc.Blank)
			seen.dead += len(tc.DeadLinks)
			seen.redated += len(tc.Redated)
		}
		for _, h := range r.ColumnHealth {
			seen.withdrawn += len(h.Withdrawn)
		}
	}
	// The truth must hold each kind of finding at least once, or the
	// comparison proves nothing.
	if seen.stale == 0 || seen.blank == 0 || seen.dead == 0 || seen.redated == 0 || seen.withdrawn == 0 {
		t.Errorf("the truth lacks a kind of column finding: %+v", seen)
	}
	t.Logf("column findings over the three sweeps: %+v", seen)
}

// checkInternalLinks holds the internal dead links to what the harvest
// did: each link URL asked at most twice per sweep (HEAD, then GET where
// the server refuses HEAD), only internal links asked, each reported dead
// internal link with the capture of its check, and the sweeps' summaries
// counting each dead URL once (the world links one removed notice from
// two pages per site).
func checkInternalLinks(t *testing.T, label string, r *audit.Report, truth *sim.Truth, checks map[string]int, sums []harvest.Summary) {
	t.Helper()
	for u, n := range checks {
		if n > 2 {
			t.Errorf("%s: link %s asked %d times in one sweep", label, u, n)
		}
		if strings.Contains(u, "www.gov.cn") || strings.HasPrefix(u, "mailto:") || strings.Contains(u, "#") {
			t.Errorf("%s: not an internal link, yet checked: %s", label, u)
		}
	}
	internal, withEvidence := 0, 0
	deadURLs := map[string]bool{}
	for _, h := range r.ColumnHealth {
		for _, d := range h.DeadLinks {
			if d.Type != audit.DeadInternal {
				continue
			}
			internal++
			deadURLs[d.Link] = true
			if d.LinkCapture != "" && d.Checked != "" {
				withEvidence++
			}
		}
	}
	want := 0
	for _, tc := range truth.Columns {
		for _, d := range tc.DeadLinks {
			if strings.HasSuffix(d, ".html") {
				want++
			}
		}
	}
	if internal == 0 || internal != want || withEvidence != internal {
		t.Errorf("%s: %d dead internal links reported (%d with the check's capture), the truth has %d", label, internal, withEvidence, want)
	}
	dead := 0
	for _, s := range sums {
		dead += s.DeadLinks
	}
	if dead != len(deadURLs) {
		t.Errorf("%s: the sweeps count %d dead links, want %d (each dead URL once, however many pages link it)", label, dead, len(deadURLs))
	}
	t.Logf("%s: %d link exchanges for %d URLs; %d dead internal links on the pages, %d dead URLs", label, total(checks), len(checks), internal, len(deadURLs))
}

func total(m map[string]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkColumnHealth compares every website column of the report with the
// truth's column.
func checkColumnHealth(t *testing.T, label string, e *e2eWorld, r *audit.Report, truth *sim.Truth) {
	t.Helper()
	if len(truth.Columns) == 0 {
		t.Fatalf("%s: the truth has no columns section", label)
	}
	path := func(u string) string {
		p, err := url.Parse(u)
		if err != nil {
			return u
		}
		return p.RequestURI()
	}
	var problems []string
	found := 0
	for _, tc := range truth.Columns {
		i := slices.IndexFunc(r.ColumnHealth, func(h audit.ColumnHealth) bool { return h.County == tc.County && h.Column == tc.Column })
		if i < 0 {
			problems = append(problems, tc.County+" "+tc.Column+": not in column_health")
			continue
		}
		found++
		h := r.ColumnHealth[i]
		name := tc.County + " " + tc.Column
		if !h.Complete || h.Observed == "" {
			problems = append(problems, name+": not completely observed: "+h.Reason)
		}
		if h.Kind != tc.Kind {
			problems = append(problems, name+": kind "+h.Kind+", want "+tc.Kind)
		}
		want := ""
		if tc.Newest != 0 {
			want = tc.Newest.String()
		}
		if h.Newest != want {
			problems = append(problems, name+": newest "+h.Newest+", want "+want)
		}
		if h.Stale != tc.Stale || h.Blank != tc.Blank {
			problems = append(problems, name+": stale/blank "+yn(h.Stale)+"/"+yn(h.Blank)+", want "+yn(tc.Stale)+"/"+yn(tc.Blank)+" ("+h.Verdict+")")
		}
		if (h.Stale || h.Blank) && (len(h.Evidence) == 0 || h.Evidence[0].URL == "" || h.Evidence[0].CaptureID == "") {
			problems = append(problems, name+": stale or blank without evidence")
		}
		if tc.Blank && !strings.Contains(h.Verdict, audit.HealthBlank) || tc.Stale && !strings.Contains(h.Verdict, audit.HealthStale) {
			problems = append(problems, name+": verdict "+h.Verdict)
		}
		if !tc.Blank && !tc.Stale && len(tc.DeadLinks)+len(tc.Redated)+len(h.Withdrawn) == 0 && h.Verdict != audit.HealthOK {
			problems = append(problems, name+": verdict "+h.Verdict+", want "+audit.HealthOK)
		}
		if len(h.Undated) > 0 {
			problems = append(problems, name+": undated items, the world declares every date: "+h.Undated[0].URL)
		}
		var dead []string
		for _, d := range h.DeadLinks {
			dead = append(dead, path(d.Page)+" -> "+path(d.Link))
			if d.PageCapture == "" || d.Error == "" {
				problems = append(problems, name+": dead link without the page's capture or the error: "+d.Link)
			}
		}
		slices.Sort(dead)
		if !slices.Equal(dead, tc.DeadLinks) {
			problems = append(problems, name+": dead links "+strings.Join(dead, ", ")+"; want "+strings.Join(tc.DeadLinks, ", "))
		}
		var redated []string
		for _, x := range h.Redated {
			redated = append(redated, path(x.URL)+": "+x.From+" -> "+x.To)
			if x.FirstCapture == "" || x.CaptureID == "" || x.FirstCapture == x.CaptureID {
				problems = append(problems, name+": redated page without both captures: "+x.URL)
			}
		}
		slices.Sort(redated)
		if !slices.Equal(redated, tc.Redated) {
			problems = append(problems, name+": redated "+strings.Join(redated, ", ")+"; want "+strings.Join(tc.Redated, ", "))
		}
		// A withdrawal is seen only by a sweep that looks again after it:
		// never one the world did not make.
		for _, w := range h.Withdrawn {
			if !slices.Contains(tc.Withdrawn, path(w.URL)) {
				problems = append(problems, name+": withdrawn "+w.URL+", the truth has it published")
			}
		}
	}
	if n := len(r.ColumnHealth); n != found {
		problems = append(problems, "column_health has columns the truth does not")
	}
	for _, p := range problems {
		t.Errorf("%s: %s", label, p)
	}
}

func yn(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// TestUnfamiliarColumnHealthWeekOverWeek: two weekly sweeps of the
// unfamiliar world (as_of + 3 days and a week later) and the diff the
// weekly schedule writes beside the second report: its column health
// changes are exactly those between the truth's columns on the two days
// (the restored notice's link fixed, the re-dated pages, columns going
// stale), each with its page and, for what appeared, its capture.
func TestUnfamiliarColumnHealthWeekOverWeek(t *testing.T) {
	if testing.Short() {
		t.Skip("harvests the unfamiliar simulated world twice")
	}
	e := newUnfamiliarWorld(t, nil)
	start := calendar.Of(2020, 12, 31)
	var reps []*audit.Report
	var truths []*sim.Truth
	for _, days := range []int{3, 10} {
		e.w.AdvanceTo(start.AddDays(days))
		e.harvestWith(t, harvest.Options{})
		reps = append(reps, e.build(t))
		truths = append(truths, e.w.Truth())
	}
	path := func(u string) string {
		if p, err := url.Parse(u); err == nil {
			return p.RequestURI()
		}
		return u
	}
	var want []string
	before := map[string]sim.TruthColumn{}
	for _, tc := range truths[0].Columns {
		before[tc.County+" "+tc.Column] = tc
	}
	for _, tc := range truths[1].Columns {
		name := tc.County + " " + tc.Column
		b := before[name]
		switch {
		case tc.Stale && !b.Stale:
			want = append(want, name+" "+reports.ColumnNewlyStale)
		case b.Stale && !tc.Stale && tc.Newest > b.Newest:
			want = append(want, name+" "+reports.ColumnRecovered)
		}
		switch {
		case tc.Blank && !b.Blank:
			want = append(want, name+" "+reports.ColumnNewlyBlank)
		case b.Blank && !tc.Blank:
			want = append(want, name+" "+reports.ColumnNoLongerBlank)
		}
		for _, d := range tc.DeadLinks {
			if !slices.Contains(b.DeadLinks, d) {
				want = append(want, name+" "+reports.ColumnNewDeadLink+" "+d)
			}
		}
		for _, d := range b.DeadLinks {
			if !slices.Contains(tc.DeadLinks, d) {
				want = append(want, name+" "+reports.ColumnFixedDead+" "+d)
			}
		}
		for _, r := range tc.Redated {
			if !slices.Contains(b.Redated, r) {
				want = append(want, name+" "+reports.ColumnNewRedated+" "+r)
			}
		}
	}
	c := reports.Diff(reps[0], reps[1])
	var got []string
	kinds := map[string]bool{}
	for _, ch := range c.Columns {
		s := ch.County + " " + ch.Column + " " + ch.Change
		switch ch.Change {
		case reports.ColumnNewDeadLink, reports.ColumnFixedDead:
			s += " " + path(ch.Page) + " -> " + path(ch.Link)
		case reports.ColumnNewRedated:
			i := slices.IndexFunc(reps[1].ColumnHealth, func(h audit.ColumnHealth) bool { return h.County == ch.County && h.Column == ch.Column })
			for _, r := range reps[1].ColumnHealth[i].Redated {
				if r.URL == ch.Page {
					s += " " + path(r.URL) + ": " + r.From + " -> " + r.To
				}
			}
		}
		if ch.Change != reports.ColumnFixedDead && ch.Change != reports.ColumnRecovered && ch.Change != reports.ColumnNoLongerBlank && ch.CaptureID == "" {
			t.Errorf("%s: no capture as evidence", s)
		}
		if ch.Summary == "" || ch.Label == "" {
			t.Errorf("%s: no Chinese summary", s)
		}
		kinds[ch.Change] = true
		got = append(got, s)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("column changes:\n%s\nwant (truth):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The week must hold a fixed dead link and a re-dated page, or the
	// comparison proves little.
	if !kinds[reports.ColumnFixedDead] || !kinds[reports.ColumnNewRedated] {
		t.Errorf("the week lacks a fixed dead link or a re-dated page: %v", got)
	}
	var md strings.Builder
	if err := reports.RenderChangesMarkdown(&md, c); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"## 栏目健康变化（", "失效链接已消除", "新增发布日期被改动"} {
		if !strings.Contains(md.String(), w) {
			t.Errorf("变化.md lacks %q", w)
		}
	}
	t.Logf("%d column changes in the week: %v", len(got), got)
}
