package audit

import (
	"cmp"
	"fmt"
	"gongkai"
	"math"
	"slices"
	"strings"

	"gongkai/calendar"
	"gongkai/catalogue"
)

// inPeriod reports whether a publication belongs to the report's period:
// declared within it (an undated one always does), or carrying a record
// of the period.
func (a *audit) inPeriod(cr *countyRun, p *gongkai.Publication) bool {
	if len(cr.match.RecordNos(p)) > 0 {
		return true
	}
	d := p.Declared
	if d.IsZero() {
		for _, x := range p.Disclosures {
			if !x.Date.IsZero() {
				d = x.Date
				break
			}
		}
	}
	if d.IsZero() {
		return true
	}
	return (a.o.From.IsZero() || d >= a.o.From) && (a.o.To.IsZero() || d <= a.o.To)
}

// publishedOf is the date a publication is listed with.
func publishedOf(p *gongkai.Publication) calendar.Date {
	if !p.Declared.IsZero() {
		return p.Declared
	}
	for _, d := range p.Disclosures {
		if !d.Date.IsZero() {
			return d.Date
		}
	}
	return 0
}

func (a *audit) itemOf(cr *countyRun, p *gongkai.Publication, county string) Item {
	cls := cr.match.Class(p)
	it := Item{County: county, Channel: string(p.Channel), URL: p.URL, Title: p.Title, Item: cls.Item,
		Published: cr.date(publishedOf(p)), FirstSeen: cr.rfc(p.FirstSeen), State: string(p.State), Reason: cls.Reason}
	// The publication's own numbers, and those of the records linked to it
	// that it does not write; copied only when there are any to add (the
	// publication is the audit's and dropped with it).
	it.RecordNos = p.RecordNos
	copied := false
	for _, no := range cr.match.RecordNos(p) {
		if !slices.Contains(it.RecordNos, no) {
			if !copied {
				it.RecordNos, copied = slices.Clip(slices.Clone(it.RecordNos)), true
			}
			it.RecordNos = append(it.RecordNos, no)
		}
	}
	return it
}

// listItems adds the county's publications to Report.Items.
func (a *audit) listItems(cr *countyRun) {
	cr.out.items = make([]Item, 0, len(cr.pubs))
	for _, p := range cr.pubs {
		if !a.inPeriod(cr, p) {
			continue
		}
		it := a.itemOf(cr, p, cr.county)
		if a.o.Item != "" && it.Item != a.o.Item {
			continue
		}
		cr.out.items = append(cr.out.items, it)
	}
	for _, p := range cr.credit {
		linked := len(cr.match.RecordNos(p)) > 0
		county := p.County
		if county == "" && linked {
			county = cr.county
		}
		it := a.itemOf(cr, p, county)
		cr.out.credit = append(cr.out.credit, &creditItem{Item: it, pub: p, linked: linked, inPeriod: a.inPeriod(cr, p)})
	}
}

// mergeCreditItems keeps one listing per credit row: rows whose county is
// unknown are reached from every county, and are listed as the county whose
// record they carry when there is one.
func (a *audit) mergeCreditItems(cis []*creditItem) {
	for _, ci := range cis {
		if prev, ok := a.creditItems[ci.pub]; ok && (prev.linked || !ci.linked) {
			continue
		}
		a.creditItems[ci.pub] = ci
	}
}

// creditItem is a credit row's listing, kept until every county ran.
type creditItem struct {
	Item
	pub      *gongkai.Publication
	linked   bool
	inPeriod bool
}

// creditItemsByCounty returns the credit rows to list, per county, each
// county's sorted as Report.Items is.
func (a *audit) creditItemsByCounty() map[string][]Item {
	out := map[string][]Item{}
	for _, ci := range a.creditItems {
		if !ci.inPeriod || a.o.Item != "" && ci.Item.Item != a.o.Item {
			continue
		}
		if a.o.County != "" && ci.County != a.o.County {
			continue
		}
		out[ci.County] = append(out[ci.County], ci.Item)
	}
	for _, items := range out {
		sortStable(items, compareItemsInCounty)
	}
	return out
}

// coverage aggregates the county's findings per catalogue item and scores them.
func (a *audit) coverage(cr *countyRun, findings []Finding) {
	byItem := map[string][]*Finding{}
	for i := range findings {
		byItem[findings[i].Item] = append(byItem[findings[i].Item], &findings[i])
	}
	published := map[string]int{}
	titles := map[string][]string{}
	latest := map[string]calendar.Date{}
	inPeriodCount := map[string]int{}
	count := func(p *gongkai.Publication) {
		if !a.inPeriod(cr, p) {
			return
		}
		cls := cr.match.Class(p)
		if cls.Item == "" {
			return
		}
		published[cls.Item]++
		if p.Channel != catalogue.Website {
			return
		}
		titles[cls.Item] = append(titles[cls.Item], p.Title)
		if d := publishedOf(p); !d.IsZero() && d <= a.o.AsOf {
			inPeriodCount[cls.Item]++
			if d > latest[cls.Item] {
				latest[cls.Item] = d
			}
		}
	}
	for _, p := range cr.pubs {
		count(p)
	}
	for _, p := range cr.credit {
		if p.County == cr.county {
			count(p)
		}
	}

	var idx countyTotals
	codes := cr.cat.Codes()
	for code := range byItem {
		if !slices.Contains(codes, code) {
			codes = append(codes, code) // a record of an item the county's catalogue lacks
		}
	}
	for _, code := range codes {
		if a.o.Item != "" && code != a.o.Item {
			continue
		}
		it, ok := cr.cat.Item(code)
		if !ok {
			it, _ = a.o.Default.Item(code)
		}
		c := Coverage{County: cr.county, Item: code, PublishedItems: published[code]}
		fs := byItem[code]
		recNos := map[string]bool{}
		points, incomplete, unread := 0.0, 0, 0
		var lacking []string
		for _, f := range fs {
			c.Expected++
			recNos[f.RecordNo] = true
			switch f.Status {
			case OnTime:
				c.OnTime++
			case Late:
				c.Late++
			case Missing:
				c.Missing++
			case Pending:
				c.Pending++
			case Unverified:
				c.Unverified++
			}
			idx.add(f)
			if f.Status == OnTime || f.Status == Late {
				if len(f.MissingElements) > 0 {
					incomplete++
					for _, e := range f.MissingElements {
						if !slices.Contains(lacking, e) {
							lacking = append(lacking, e)
						}
					}
				}
				if len(f.UnverifiableElements) > 0 {
					unread++ // not counted against the county: the tool could not read them
				}
				if f.Status == OnTime && len(f.MissingElements) == 0 {
					points++
				} else {
					points += 0.5
				}
			}
		}
		c.Records = len(recNos)
		var notes []string
		if due := c.OnTime + c.Late + c.Missing; due > 0 {
			c.Basis = BasisRecords
			c.Score = round3(points / float64(due))
			if c.Late > 0 {
				notes = append(notes, fmt.Sprintf("逾期 %d 条", c.Late))
			}
			if c.Missing > 0 {
				notes = append(notes, fmt.Sprintf("未公开 %d 条", c.Missing))
			}
			if incomplete > 0 {
				notes = append(notes, fmt.Sprintf("要素不全 %d 条（缺：%s）", incomplete, strings.Join(lacking, "、")))
			}
			if unread > 0 {
				notes = append(notes, fmt.Sprintf("要素无法核实 %d 条（内容无法读取，不计为缺少）", unread))
			}
			if c.Pending+c.Unverified > 0 {
				notes = append(notes, fmt.Sprintf("未到期 %d 条、待核实 %d 条不计入得分", c.Pending, c.Unverified))
			}
		} else {
			a.judgeColumn(cr, &c, inPeriodCount[code], latest[code], &notes)
		}
		if miss := a.rules.MissingColumnElements(it, titles[code]); len(miss) > 0 && (c.Expected > 0 || published[code] > 0) {
			notes = append(notes, "栏目中未见："+strings.Join(miss, "、"))
		}
		c.Note = strings.Join(notes, "；")
		if c.Basis != BasisNone {
			idx.scores = append(idx.scores, c.Score)
		}
		cr.out.coverage = append(cr.out.coverage, c)
	}
	cr.out.index = idx.index(cr.county)
}

// judgeColumn scores an item with nothing due by the presence and
// freshness of its publications (the State Council's website checks: a
// notice column with nothing new for six months is not being updated).
func (a *audit) judgeColumn(cr *countyRun, c *Coverage, n int, latest calendar.Date, notes *[]string) {
	if c.Expected > 0 {
		*notes = append(*notes, fmt.Sprintf("应公开记录均未到期或待核实（未到期 %d 条、待核实 %d 条），不计分", c.Pending, c.Unverified))
		c.Basis = BasisNone
		return
	}
	if n == 0 {
		c.Basis = BasisNone
		*notes = append(*notes, "无应公开记录，期内也未见该事项的公开信息，不计分")
		return
	}
	c.Basis = BasisColumn
	staleBefore := calendar.FromTime(a.o.AsOf.Time().AddDate(0, -staleMonths, 0))
	if latest < staleBefore {
		c.Score = 0.5
		*notes = append(*notes, fmt.Sprintf(noteStaleTemplate, latest, staleMonths))
		return
	}
	c.Score = 1
	*notes = append(*notes, fmt.Sprintf("无应公开记录；期内有 %d 条该事项的公开信息，最近一次 %s", n, latest))
}

// countyTotals accumulate a county's index.
type countyTotals struct {
	ontime, late, missing int
	found, complete       int
	scores                []float64
}

func (t *countyTotals) add(f *Finding) {
	switch f.Status {
	case OnTime:
		t.ontime++
	case Late:
		t.late++
	case Missing:
		t.missing++
	}
	if (f.Status == OnTime || f.Status == Late) && f.Channel == string(catalogue.Website) {
		t.found++
		if len(f.MissingElements) == 0 {
			t.complete++
		}
	}
}

// index: the overall score is the mean of the county's item scores (each
// catalogue item weighs the same, as INAI weighs obligations); timeliness
// is the share of due disclosures published on time; completeness the
// share of found website disclosures showing every required element.
func (t *countyTotals) index(county string) CountyIndex {
	ci := CountyIndex{County: county}
	if len(t.scores) > 0 {
		s := 0.0
		for _, x := range t.scores {
			s += x
		}
		ci.Score = round3(s / float64(len(t.scores)))
	}
	if due := t.ontime + t.late + t.missing; due > 0 {
		ci.Timely = round3(float64(t.ontime) / float64(due))
	}
	if t.found > 0 {
		ci.Complete = round3(float64(t.complete) / float64(t.found))
	}
	return ci
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// sourceStates reports, per source, its latest sweep.
func (a *audit) sourceStates() []SourceState {
	latest := map[string]*gongkai.Sweep{}
	for i := range a.sweeps {
		s := &a.sweeps[i]
		if p, ok := latest[s.Source]; !ok || s.Started.After(p.Started) {
			latest[s.Source] = s
		}
	}
	var out []SourceState
	for _, s := range latest {
		if a.o.County != "" && s.County != "" && s.County != a.o.County {
			continue
		}
		ss := SourceState{County: s.County, Source: s.Source, Channel: string(cmp.Or(s.Channel, catalogue.Website)),
			Complete: s.Complete(), LastSync: rfcTime(cmp.Or(s.Finished, s.Started))}
		for _, c := range s.Columns {
			ss.Errors += c.ListFailed + c.DetailsFailed
			if !c.Complete {
				ss.Failed = append(ss.Failed, c.Column)
			}
			ss.Columns = append(ss.Columns, SourceColumn{Column: c.Column, Complete: c.Complete, Reason: c.Why(), Blank: c.Blank})
		}
		if s.Channel == catalogue.Credit {
			end := cmp.Or(s.Finished, a.o.Now)
			failed := 0
			for _, ls := range a.lookups {
				for _, l := range ls {
					if !l.Observed && !l.At.Before(s.Started) && !l.At.After(end) {
						failed++
					}
				}
			}
			if failed > 0 {
				ss.Errors += failed
				ss.Complete = false
				ss.Failed = append(ss.Failed, fmt.Sprintf("%d 家企业的查询未能完成", failed))
			}
		}
		if s.Finished.IsZero() || s.Interrupted {
			ss.Failed = append(ss.Failed, "采集未正常结束")
		}
		out = append(out, ss)
	}
	// Places never swept.
	for _, p := range a.places {
		if _, ok := latest[p.Source]; ok || a.o.County != "" && p.County != "" && p.County != a.o.County {
			continue
		}
		if slices.ContainsFunc(out, func(s SourceState) bool { return s.Source == p.Source }) {
			continue
		}
		out = append(out, SourceState{County: p.County, Source: p.Source, Channel: string(cmp.Or(p.Channel, catalogue.Website)), Failed: []string{"从未采集"}})
	}
	slices.SortFunc(out, func(x, y SourceState) int {
		return cmp.Or(compareCounties(x.County, y.County), strings.Compare(x.Source, y.Source))
	})
	return out
}

// Report order: county (division code order, then name), then within a
// county as below. Each county's part is sorted by its own worker; the
// counties are merged in order.

func compareFindingsInCounty(x, y *Finding) int {
	if c := catalogue.CompareCodes(x.Item, y.Item); c != 0 {
		return c
	}
	if c := strings.Compare(x.FormedOn, y.FormedOn); c != 0 {
		return c
	}
	if c := strings.Compare(x.RecordNo, y.RecordNo); c != 0 {
		return c
	}
	return strings.Compare(x.Channel, y.Channel)
}

func compareItemsInCounty(x, y *Item) int {
	if c := strings.Compare(x.Channel, y.Channel); c != 0 {
		return c
	}
	if c := strings.Compare(x.Published, y.Published); c != 0 {
		return c
	}
	return strings.Compare(x.URL, y.URL)
}

// sortStable orders xs by compare, keeping equal elements in their order.
// It sorts indexes and moves each element once: findings and items are
// structs of a dozen strings, and a sort moves its elements many times.
func sortStable[T any](xs []T, compare func(x, y *T) int) {
	idx := make([]int32, len(xs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(i, j int32) int { return compare(&xs[i], &xs[j]) })
	sorted := make([]T, len(xs))
	for k, i := range idx {
		sorted[k] = xs[i]
	}
	copy(xs, sorted)
}

// mergeSorted appends to dst the elements of two lists sorted by compare,
// in that order (a before b when equal).
func mergeSorted[T any](dst, a, b []T, compare func(x, y *T) int) []T {
	for len(a) > 0 && len(b) > 0 {
		if compare(&b[0], &a[0]) < 0 {
			dst, b = append(dst, b[0]), b[1:]
		} else {
			dst, a = append(dst, a[0]), a[1:]
		}
	}
	return append(append(dst, a...), b...)
}

// sortCounty orders one county's part of the report.
func (out *countyOut) sort() {
	sortStable(out.findings, compareFindingsInCounty)
	sortStable(out.items, compareItemsInCounty)
	slices.SortStableFunc(out.coverage, func(x, y Coverage) int { return catalogue.CompareCodes(x.Item, y.Item) })
	slices.SortStableFunc(out.ambiguities, func(x, y Ambiguity) int {
		return cmp.Or(catalogue.CompareCodes(x.Item, y.Item), strings.Compare(x.RecordNo, y.RecordNo))
	})
}
