package audit

// The audit rules: from the store's contents to a Report.
//
// Build reads expected records, publications, sweeps and credit lookups;
// the matcher (Rules.Match, once per county) classifies each publication
// and links each record to the disclosures that satisfy it; the rules
// below give each record × channel
// its status (contracts.md §3), aggregate county × item coverage and score
// it in the manner of the transparency indices (domain.md):
//
//   - due = formed_on + N working days (N from the county's catalogue); the
//     forming day is not counted; publication on the due day is on time.
//   - published = the date the channel declares for the disclosure (a row's
//     公示日期, else the page's declared date) — never 生成日期, Maketime or
//     the first-seen time.
//   - not found and due ≥ as-of → pending: on the due day itself the county
//     still has the rest of the day.
//   - not found and due < as-of → missing only when every place that could
//     hold the record (each configured column of the county whose items
//     include the record's item; the credit system's lookup of the record's
//     enterprise) was fully observed on a day after the due date; otherwise
//     unverified, with a note naming the place that was not observed.
//   - a disclosure without a declared date (the credit system's inspection
//     rows) is on time with the note 发布日期未知 unless a complete
//     observation of its place after the due date, made before it was first
//     seen, proves it was not there yet — then late, by at least the
//     working days up to that observation.
//   - a declared date contradicted by the sweep history (the place was
//     completely observed after that date without the publication, which
//     was first seen later) keeps its status but carries the note
//     发布日期存疑 with the first-seen time.
//   - a disclosure that was later withdrawn still dates the record's
//     publication (withdrawal after publication is lawful: 市场监督管理行政
//     处罚信息公示规定 Art. 11, 13); the finding notes the withdrawal.
//   - a record found in several places by its own number (its page and a
//     monthly table) is dated by the earliest; the finding notes the others.
//   - two equally good candidates from different publications (matched by
//     name and date, not by a number) are an Ambiguity: the finding takes
//     their common status when they agree, and is unverified otherwise.
//
// Scores (Coverage, per county × item): each due disclosure counts 1 (on
// time and complete), 0.5 (late or incomplete) or 0 (missing); pending and
// unverified findings are left out of the denominator and named in the
// note (Basis "records"). An item with nothing due is judged by its
// publications in the period (Basis "column"): present and updated within
// six months 1, older 0.5 (the State Council's rule for notice columns);
// with nothing published it is not scored (Basis "none": nothing may have
// happened). Standing elements (检查制度, 投诉举报途径 …) no title shows are
// named in the note. Elements are judged on the website channel only:
// the credit system's fields are fixed by SAMR and no county can add one.
// The county index (CountyIndex) is the mean of its judged item scores
// (every item weighs the same, as INAI weighs obligations); timeliness is
// the share of due disclosures published on time, completeness the share
// of found website disclosures showing every element.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"gongkai"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/matcher"
	"gongkai/records"
	"gongkai/region"
	"gongkai/store"
)

// Options say what to audit and against what.
type Options struct {
	AsOf     calendar.Date
	From, To calendar.Date // period of formed_on (zero = open)
	County   string        // "" = all
	Item     string        // "" = all

	// Catalogues per county (county variants); a county missing here is
	// audited against Default (or catalogue.Default() when that is nil).
	Catalogues map[string]*catalogue.Catalogue
	Default    *catalogue.Catalogue
	Calendar   *calendar.Calendar
	// Places says where each county publishes what (from sites.yaml). When
	// nil, the places are taken from the column outcomes of the sweeps.
	Places []Place
	Now    time.Time      // generated_at
	Rules  *matcher.Rules // classification and element rules (nil = built-in)
}

// Place is a place a record can be disclosed: one column of a county's
// site, or the credit system (County "", Items every credit-channel item).
type Place struct {
	County  string
	Source  string
	Channel catalogue.Channel
	Column  string
	Items   []string
	// URL is the column's first list page and Kind what it publishes
	// (gongkai.ColumnKinds; "" = gongkai.DefaultColumnKind(Items)): the
	// column health reads them.
	URL  string
	Kind string
}

// Notes and reasons shown in findings (Chinese, user-facing).
const (
	NoteBackdate      = "发布日期存疑"
	NoteDateUnknown   = "发布日期未知"
	NoteWithdrawn     = "已撤下"
	NoteAmbiguous     = "匹配不唯一"
	staleMonths       = 6
	noteStaleTemplate = "栏目最近一次更新为 %s，已超过%d个月未更新（国办秘函〔2019〕19号：通知公告类栏目6个月未更新视为不更新）"
)

// ReasonHolidaysUnknown begins the note of a status that depends on
// working days the next year's holiday notice, not yet loaded, will settle.
const ReasonHolidaysUnknown = "待次年节假日安排公布"

// Build runs the audit.
func Build(ctx context.Context, st store.Store, o Options) (*Report, error) {
	a, err := newAudit(ctx, st, o)
	if err != nil {
		return nil, err
	}
	return a.run(ctx)
}

// audit holds one run's inputs and indexes.
type audit struct {
	st    store.Store
	o     Options
	cal   *calendar.Calendar
	rules *matcher.Rules

	recs     map[string][]records.Record // county → records in scope
	counties []string
	sweeps   []gongkai.Sweep
	obs      map[placeKey][]observation // complete observations of each column
	sweepsBy map[string][]gongkai.Sweep // source → sweeps, oldest first
	lookups  map[string][]gongkai.CreditLookup
	places   []Place
	placesIn map[string][]Place                // places by county
	noItems  map[string]bool                   // county|source|column of website places holding no item (items: [])
	credit   map[string][]*gongkai.Publication // county ("" = unknown) → credit rows

	report      *Report
	creditItems map[*gongkai.Publication]*creditItem

	// deadLinks: the stored pages with dead internal links, read once
	// for every county's column health (health.go).
	deadOnce  sync.Once
	deadLinks map[string][]store.PageLink
	deadErr   error
}

// observation is one complete observation of a column.
type observation struct {
	at    time.Time
	day   calendar.Date // of at, China time
	sweep *gongkai.Sweep
}

// placeKey names a column of a source.
type placeKey struct{ source, column string }

func newAudit(ctx context.Context, st store.Store, o Options) (*audit, error) {
	a := &audit{st: st, o: o, cal: o.Calendar, rules: o.Rules}
	if a.cal == nil {
		a.cal = calendar.Default()
	}
	if a.rules == nil {
		a.rules = matcher.DefaultRules()
	}
	if a.o.Now.IsZero() {
		a.o.Now = time.Now()
	}
	if a.o.AsOf.IsZero() {
		a.o.AsOf = calendar.FromTime(a.o.Now.In(calendar.China))
	}
	if a.o.Default == nil {
		a.o.Default = catalogue.Default()
	}

	// The four reads are independent: run them side by side (the store is
	// safe for concurrent use; the county workers rely on it too).
	var (
		recs       []records.Record
		lookups    []gongkai.CreditLookup
		creditPubs []*gongkai.Publication
		errs       [4]error
		wg         sync.WaitGroup
	)
	wg.Add(4)
	go func() {
		defer wg.Done()
		if recs, errs[0] = st.Records(ctx, store.RecordQuery{County: o.County, Item: o.Item}); errs[0] != nil {
			errs[0] = fmt.Errorf("读取应公开记录失败: %w", errs[0])
		}
	}()
	go func() {
		defer wg.Done()
		if a.sweeps, errs[1] = st.Sweeps(ctx, store.SweepQuery{}); errs[1] != nil {
			errs[1] = fmt.Errorf("读取采集记录失败: %w", errs[1])
		}
	}()
	go func() {
		defer wg.Done()
		if lookups, errs[2] = st.CreditLookups(ctx, store.CreditQuery{}); errs[2] != nil {
			errs[2] = fmt.Errorf("读取信用公示系统查询记录失败: %w", errs[2])
		}
	}()
	go func() {
		defer wg.Done()
		creditPubs, errs[3] = readPublications(ctx, st, store.PublicationQuery{Channel: catalogue.Credit, WithBodies: true, IncludeWithdrawn: true})
		if errs[3] != nil {
			errs[3] = fmt.Errorf("读取信用公示系统数据失败: %w", errs[3])
		}
	}()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	a.recs = map[string][]records.Record{}
	for _, r := range recs {
		if !o.From.IsZero() && r.FormedOn < o.From || !o.To.IsZero() && r.FormedOn > o.To {
			continue
		}
		a.recs[r.County] = append(a.recs[r.County], r)
	}
	a.indexSweeps()
	a.lookups = map[string][]gongkai.CreditLookup{}
	for _, l := range lookups {
		a.lookups[l.Key] = append(a.lookups[l.Key], l)
	}
	a.places = o.Places
	if a.places == nil {
		a.places = placesFromSweeps(a.sweeps)
	}
	a.noItems, a.placesIn = map[string]bool{}, map[string][]Place{}
	for _, pl := range a.places {
		a.placesIn[pl.County] = append(a.placesIn[pl.County], pl)
		if pl.Channel != catalogue.Credit && len(pl.Items) == 0 {
			a.noItems[pl.County+"|"+pl.Source+"|"+pl.Column] = true
		}
	}
	a.credit = map[string][]*gongkai.Publication{}
	for _, p := range creditPubs {
		a.credit[p.County] = append(a.credit[p.County], p)
	}
	a.counties = a.countyList()
	return a, nil
}

// pubChunk is how many publications readPublications allocates at a time.
const pubChunk = 256

// readPublications returns the publications q selects. From a store that
// streams them they are kept in fixed-size chunks rather than one growing
// slice: a county's or the credit system's few thousand publications
// would otherwise be copied on every doubling, a province's worth of
// garbage for nothing (the audit only needs pointers to them).
func readPublications(ctx context.Context, st store.Store, q store.PublicationQuery) ([]*gongkai.Publication, error) {
	s, ok := st.(store.PublicationStreamer)
	if !ok {
		pubs, err := st.Publications(ctx, q)
		out := make([]*gongkai.Publication, len(pubs))
		for i := range pubs {
			out[i] = &pubs[i]
		}
		return out, err
	}
	var out []*gongkai.Publication
	var chunk []gongkai.Publication
	err := s.EachPublication(ctx, q, func(p gongkai.Publication) error {
		if len(chunk) == cap(chunk) {
			chunk = make([]gongkai.Publication, 0, pubChunk)
		}
		chunk = append(chunk, p)
		out = append(out, &chunk[len(chunk)-1])
		return nil
	})
	return out, err
}

// indexSweeps keeps, per column, the complete observations, and per source
// the sweeps in time order.
func (a *audit) indexSweeps() {
	a.obs = map[placeKey][]observation{}
	a.sweepsBy = map[string][]gongkai.Sweep{}
	for i := range a.sweeps {
		s := &a.sweeps[i]
		a.sweepsBy[s.Source] = append(a.sweepsBy[s.Source], *s)
		for _, c := range s.Columns {
			if !c.Complete {
				continue
			}
			at := c.ObservedAt
			if at.IsZero() {
				at = cmp.Or(s.Finished, s.Started)
			}
			k := placeKey{s.Source, c.Column}
			a.obs[k] = append(a.obs[k], observation{at: at, day: calendar.FromTime(at.In(calendar.China)), sweep: s})
		}
	}
	for k := range a.sweepsBy {
		slices.SortFunc(a.sweepsBy[k], func(x, y gongkai.Sweep) int { return x.Started.Compare(y.Started) })
	}
}

// placesFromSweeps derives the places from what the harvester observed
// when the caller has no configuration to give.
func placesFromSweeps(sweeps []gongkai.Sweep) []Place {
	seen := map[string]bool{}
	var out []Place
	for _, s := range sweeps {
		if s.Channel == catalogue.Credit {
			if !seen["credit|"+s.Source] {
				seen["credit|"+s.Source] = true
				out = append(out, Place{Source: s.Source, Channel: catalogue.Credit})
			}
			continue
		}
		for _, c := range s.Columns {
			k := s.County + "|" + s.Source + "|" + c.Column
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, Place{County: s.County, Source: s.Source, Channel: cmp.Or(s.Channel, catalogue.Website), Column: c.Column, Items: c.Items})
		}
	}
	return out
}

// countyList is every county the run covers, official order first.
func (a *audit) countyList() []string {
	if a.o.County != "" {
		return []string{a.o.County}
	}
	set := map[string]bool{}
	for c := range a.recs {
		set[c] = true
	}
	for _, p := range a.places {
		if p.County != "" {
			set[p.County] = true
		}
	}
	for _, s := range a.sweeps {
		if s.County != "" {
			set[s.County] = true
		}
	}
	for c := range a.credit {
		if c != "" {
			set[c] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	slices.SortFunc(out, compareCounties)
	return out
}

// countyRank orders the Jincheng counties by division code; other counties
// (a province-wide configuration) follow in name order.
var countyRank = func() map[string]int {
	m := map[string]int{}
	for i, c := range region.Jincheng {
		m[c.Name], m[c.Short], m[c.Code] = i, i, i
	}
	return m
}()

func compareCounties(x, y string) int {
	rank := func(s string) int {
		if r, ok := countyRank[s]; ok {
			return r
		}
		return len(region.Jincheng)
	}
	return cmp.Or(cmp.Compare(rank(x), rank(y)), strings.Compare(x, y))
}

func (a *audit) catalogueOf(county string) *catalogue.Catalogue {
	if c, ok := a.o.Catalogues[county]; ok && c != nil {
		return c
	}
	return a.o.Default
}

func (a *audit) run(ctx context.Context) (*Report, error) {
	a.report = &Report{
		AsOf:         a.o.AsOf.String(),
		From:         a.o.From.String(),
		To:           a.o.To.String(),
		GeneratedAt:  a.o.Now.In(calendar.China).Format(time.RFC3339),
		Catalogue:    a.o.Default.Name,
		Findings:     []Finding{},
		Coverage:     []Coverage{},
		Counties:     []CountyIndex{},
		Items:        []Item{},
		ColumnHealth: []ColumnHealth{},
	}
	// Counties are independent: audit them in parallel, one worker per
	// core, and merge in county order so that the report does not depend
	// on scheduling.
	outs := make([]*countyOut, len(a.counties))
	errs := make([]error, len(a.counties))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(a.counties))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				outs[i], errs[i] = a.auditCounty(ctx, a.counties[i])
			}
		}()
	}
	for i := range a.counties {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	a.creditItems = map[*gongkai.Publication]*creditItem{}
	nf, ni, nc := 0, 0, 0
	for _, out := range outs {
		nf, ni, nc = nf+len(out.findings), ni+len(out.items)+len(out.credit), nc+len(out.coverage)
		a.mergeCreditItems(out.credit)
	}
	credit := a.creditItemsByCounty()
	a.report.Findings = make([]Finding, 0, nf)
	a.report.Items = make([]Item, 0, ni)
	a.report.Coverage = make([]Coverage, 0, nc)
	for i, out := range outs {
		county := a.counties[i]
		a.report.Findings = append(a.report.Findings, out.findings...)
		if c := credit[county]; len(c) > 0 {
			a.report.Items = mergeSorted(a.report.Items, out.items, c, compareItemsInCounty)
			delete(credit, county)
		} else {
			a.report.Items = append(a.report.Items, out.items...)
		}
		a.report.Coverage = append(a.report.Coverage, out.coverage...)
		a.report.Counties = append(a.report.Counties, out.index)
		a.report.Ambiguities = append(a.report.Ambiguities, out.ambiguities...)
		a.report.ColumnHealth = append(a.report.ColumnHealth, out.health...)
		outs[i] = nil // copied: let the county's part go
	}
	// Credit rows of counties the run did not cover (their county unknown).
	var rest []string
	for c := range credit {
		rest = append(rest, c)
	}
	slices.SortFunc(rest, compareCounties)
	for _, c := range rest {
		a.report.Items = append(a.report.Items, credit[c]...)
	}
	a.report.Sources = a.sourceStates()
	return a.report, nil
}

// countyOut is what one county's audit adds to the report.
type countyOut struct {
	findings    []Finding
	items       []Item
	coverage    []Coverage
	index       CountyIndex
	ambiguities []Ambiguity
	credit      []*creditItem // credit rows this county's run saw, listed once the counties are merged
	health      []ColumnHealth
}

// countyRun is the state of one county's audit.
type countyRun struct {
	county string
	cat    *catalogue.Catalogue
	pubs   []*gongkai.Publication // website publications of the county
	credit []*gongkai.Publication // credit rows the county's records may be on
	match  *matcher.Result        // final classes and links
	recs   []records.Record       // the county's records, as given to the matcher
	check  *matcher.ElementChecker
	terms  []terms // per record: its catalogue item and due date
	out    countyOut

	// The county's findings and items write the same days and sweep times
	// over and over: one string each.
	dates map[calendar.Date]string
	times map[int64]string // Unix seconds → rfcTime
}

// date is d.String(), shared.
func (cr *countyRun) date(d calendar.Date) string {
	s, ok := cr.dates[d]
	if !ok {
		s = d.String()
		cr.dates[d] = s
	}
	return s
}

// rfc is rfcTime(t), shared (rfcTime writes whole seconds).
func (cr *countyRun) rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	s, ok := cr.times[t.Unix()]
	if !ok {
		s = rfcTime(t)
		cr.times[t.Unix()] = s
	}
	return s
}

func (a *audit) auditCounty(ctx context.Context, county string) (*countyOut, error) {
	web, err := readPublications(ctx, a.st, store.PublicationQuery{County: county, Channel: catalogue.Website, WithBodies: true, IncludeWithdrawn: true})
	if err != nil {
		return nil, fmt.Errorf("读取 %s 的公开信息失败: %w", county, err)
	}
	cr := &countyRun{county: county, cat: a.catalogueOf(county),
		check: a.rules.NewElementChecker(), dates: map[calendar.Date]string{}, times: map[int64]string{}}
	cr.pubs = web
	cr.credit = append(cr.credit, a.credit[county]...)
	cr.credit = append(cr.credit, a.credit[""]...)

	recs := a.recs[county]
	cr.recs = recs
	channels := make([][]catalogue.Channel, len(recs))
	cr.terms = make([]terms, len(recs))
	for i, r := range recs {
		cr.terms[i] = a.termsOf(cr, &r)
		it := cr.terms[i].item
		for _, ch := range r.ExpectedChannels(it) {
			if ch.Observable() {
				channels[i] = append(channels[i], ch)
			}
		}
	}
	cr.match = a.rules.Match(matcher.Input{
		Publications: append(slices.Clone(cr.pubs), cr.credit...),
		NoItem: func(p *gongkai.Publication) bool {
			return p.Channel == catalogue.Website && a.noItems[p.County+"|"+p.Source+"|"+p.Column]
		},
		Records:  recs,
		Channels: channels,
		// Records the same evidence fits equally are paired so that as
		// many as possible are surely on time: the linker needs their due
		// dates.
		Due: func(r *records.Record) calendar.Date {
			if t := a.termsOf(cr, r); t.known && t.dueErr == nil {
				return t.due.Earliest
			}
			return 0
		},
	})
	cr.out.findings = make([]Finding, 0, len(cr.match.Links))
	for _, l := range cr.match.Links {
		cr.out.findings = append(cr.out.findings, a.judge(cr, &recs[l.Record], cr.terms[l.Record], l))
	}
	a.listItems(cr)
	a.coverage(cr, cr.out.findings)
	if cr.out.health, err = a.columnHealth(ctx, cr); err != nil {
		return nil, err
	}
	// A copy: a pointer into cr would keep the county's publications,
	// units and indexes alive until every county is done.
	out := cr.out
	out.sort()
	return &out, nil
}

// terms are what a record is judged against on each of its channels.
type terms struct {
	item   catalogue.Item // from the county's catalogue, else the default one
	known  bool           // the item is in either
	due    calendar.DueRange
	dueErr error
}

func (a *audit) termsOf(cr *countyRun, rec *records.Record) terms {
	var t terms
	if t.item, t.known = cr.cat.Item(rec.Item); !t.known {
		t.item, t.known = a.o.Default.Item(rec.Item)
	}
	if t.known {
		t.due, t.dueErr = a.cal.DueRange(rec.FormedOn, t.item.TimeLimit.Workdays)
	}
	return t
}

// judge gives one record on one channel its status.
func (a *audit) judge(cr *countyRun, rec *records.Record, t terms, l matcher.Link) Finding {
	f := Finding{County: rec.County, Item: rec.Item, RecordNo: rec.RecordNo, Title: rec.Title, Party: rec.Party,
		Channel: string(l.Channel), FormedOn: cr.date(rec.FormedOn)}
	it, due := t.item, t.due
	if !t.known {
		f.Status = Unverified
		f.Notes = append(f.Notes, fmt.Sprintf("目录中没有事项 %s，无法确定公开时限", rec.Item))
		return f
	}
	if t.dueErr != nil {
		f.Status = Unverified
		f.Notes = append(f.Notes, "无法计算到期日："+t.dueErr.Error())
		return f
	}
	if due.Exact() {
		f.Due = cr.date(due.Earliest)
	} else {
		f.DueEarliest, f.DueLatest = cr.date(due.Earliest), cr.date(due.Latest)
		f.Notes = append(f.Notes, fmt.Sprintf("到期日在 %s 至 %s 之间：%s 起的工作日取决于 %d 年节假日安排（尚未载入）",
			due.Earliest, due.Latest, due.Unknown, due.UnknownYear()))
	}
	switch {
	case len(l.Matches) == 0:
		a.notFound(&f, rec, l.Channel, due)
		if len(l.Interchangeable) > 0 {
			// Fewer disclosures than records alike: one of them is
			// unpublished in substance; the linker chose which in the
			// county's favour. Say so, and who the rivals are.
			f.Notes = append(f.Notes, fmt.Sprintf("%s：记录 %s 与本记录事项、名称、当事人相同，证据无法区分；找到的公开信息少于这些记录，已按使按时公开者最多的方式对应给它们。若某一公开信息实为本记录，则未公开的是与之对应的那条记录，请人工核对",
				NoteAmbiguous, cr.rivalNos(l)))
		}
		if l.Near != nil && (f.Status == Missing || f.Status == Unverified) {
			f.Notes = append(f.Notes, fmt.Sprintf("最接近的公开信息 %s（%s，%s）未达到匹配标准，请人工核对",
				l.Near.Unit.Pub.URL, cmp.Or(l.Near.Unit.Pub.Title, "无标题"), l.Near.By))
		}
	case l.Ambiguous:
		a.ambiguous(cr, &f, rec, it, l, due)
	default:
		m := bestMatch(l.Matches)
		a.found(cr, &f, rec, it, m, due)
		if len(l.Interchangeable) > 0 {
			f.Notes = append(f.Notes, fmt.Sprintf("%s：记录 %s 与本记录事项、名称、当事人相同，证据无法区分各自对应的公开信息；已按使按时公开者最多的方式对应（逾期须有证据），请人工核对",
				NoteAmbiguous, cr.rivalNos(l)))
		}
		if others := len(l.Matches) - 1; others > 0 {
			f.Notes = append(f.Notes, fmt.Sprintf("另有 %d 处公开", others))
		}
	}
	return f
}

// rivalNos lists the record numbers of a link's interchangeable records.
func (cr *countyRun) rivalNos(l matcher.Link) string {
	nos := make([]string, 0, len(l.Interchangeable))
	for _, i := range l.Interchangeable {
		nos = append(nos, cr.recs[i].RecordNo)
	}
	return strings.Join(nos, "、")
}

// bestMatch picks, among units carrying the record, the one that dates its
// publication: the earliest declared date (an undated one last), current
// before withdrawn, a row before the page that holds it.
func bestMatch(ms []matcher.Match) matcher.Match {
	return slices.MinFunc(ms, func(x, y matcher.Match) int {
		return cmp.Or(
			cmp.Compare(y.Score, x.Score),
			cmp.Compare(dateRank(x.Unit.Published), dateRank(y.Unit.Published)),
			cmp.Compare(withdrawnRank(x.Unit.Pub), withdrawnRank(y.Unit.Pub)),
			// The row that names the record rather than the page around it.
			cmp.Compare(rowRank(x.Unit), rowRank(y.Unit)),
			x.Unit.Pub.FirstSeen.Compare(y.Unit.Pub.FirstSeen),
			strings.Compare(x.Unit.Pub.URL, y.Unit.Pub.URL),
			cmp.Compare(x.Unit.Index, y.Unit.Index),
		)
	})
}

func dateRank(d calendar.Date) int64 {
	if d.IsZero() {
		return math.MaxInt64
	}
	return int64(d)
}

func rowRank(u *matcher.Unit) int {
	if u.IsRow() {
		return 0
	}
	return 1
}

func withdrawnRank(p *gongkai.Publication) int {
	if p.State == gongkai.Withdrawn {
		return 1
	}
	return 0
}

// found judges a record whose disclosure was found.
func (a *audit) found(cr *countyRun, f *Finding, rec *records.Record, it catalogue.Item, m matcher.Match, due calendar.DueRange) {
	u, p := m.Unit, m.Unit.Pub
	f.URL, f.Evidence = p.URL, p.Evidence
	f.FirstSeen = cr.rfc(p.FirstSeen)
	f.MatchedBy = m.By
	if u.Disc.Ref != "" {
		f.MatchedBy += "（" + u.Disc.Ref + "）"
	}
	if u.Published.IsZero() {
		a.undated(f, rec, u, due)
	} else {
		f.Published = cr.date(u.Published)
		if u.Published < rec.FormedOn {
			f.Notes = append(f.Notes, fmt.Sprintf("发布日期 %s 早于形成日期 %s，请核对记录或页面", u.Published, rec.FormedOn))
		}
		switch {
		case u.Published <= due.Earliest:
			f.Status = OnTime
		case u.Published > due.Latest:
			f.Status = Late
			a.setLate(f, due, u.Published)
		default:
			// Published within the range the due date can take: on time or
			// late depending on days not yet settled.
			f.Status = Unverified
			f.Notes = append(f.Notes, fmt.Sprintf("%s：发布日期 %s 在到期日可能的范围 %s 至 %s 之内，是否逾期须待 %d 年节假日安排公布后判定",
				ReasonHolidaysUnknown, u.Published, due.Earliest, due.Latest, due.UnknownYear()))
		}
		if note := a.backdated(rec, u); note != "" {
			f.Notes = append(f.Notes, note)
		}
	}
	if p.State == gongkai.Withdrawn {
		when := ""
		if !p.Withdrawn.IsZero() {
			when = "于 " + fmtTime(p.Withdrawn) + " "
		}
		f.Notes = append(f.Notes, NoteWithdrawn+"：该公开信息"+when+"已从栏目中撤下（公开状态按原发布日期判定）")
	}
	if p.Channel == catalogue.Website {
		ec := cr.check.Check(it, u)
		f.MissingElements, f.UnverifiableElements = ec.Missing, ec.Unverifiable
		if len(ec.Unverifiable) > 0 {
			f.Notes = append(f.Notes, FlagElementsUnverified+"："+ec.Why)
		}
	}
}

// setLate sets the working days a publication on `published` is late by:
// counted from the latest the due date can be, exact when the loaded
// notices settle the due date and every day up to the publication,
// otherwise the least it can be (LateWorkdaysAtLeast).
func (a *audit) setLate(f *Finding, due calendar.DueRange, published calendar.Date) {
	n, exact := a.cal.WorkdaysAtLeast(due.Latest, published)
	f.LateWorkdays = n
	if !exact || !due.Exact() {
		f.LateWorkdaysAtLeast = true
		f.Notes = append(f.Notes, fmt.Sprintf("逾期至少 %d 个工作日（确切天数%s）", n, ReasonHolidaysUnknown))
	}
}

// undated judges a disclosure whose channel declares no date: on time
// unless the sweep history proves it appeared after the due date.
func (a *audit) undated(f *Finding, rec *records.Record, u *matcher.Unit, due calendar.DueRange) {
	p := u.Pub
	// Only an observation after the latest the due date can be proves
	// lateness.
	proof := a.absentAfter(rec, p, due.Latest)
	if proof.IsZero() {
		f.Status = OnTime
		f.Notes = append(f.Notes, fmt.Sprintf("%s：该渠道未标注发布日期，首次发现于 %s，采集记录未显示其在到期日后仍未公开，按时处理", NoteDateUnknown, fmtTime(p.FirstSeen)))
		return
	}
	f.Status = Late
	d := calendar.FromTime(proof.In(calendar.China))
	// A lower bound in any case: the disclosure appeared some time after
	// the observation that did not show it.
	f.LateWorkdays, _ = a.cal.WorkdaysAtLeast(due.Latest, d)
	f.LateWorkdaysAtLeast = true
	f.Notes = append(f.Notes, fmt.Sprintf("%s：该渠道未标注发布日期；%s 于 %s（到期日 %s 之后）完整查看时尚未见到，首次发现于 %s，至少逾期 %d 个工作日",
		NoteDateUnknown, placeName(p), fmtTime(proof), dueText(due), fmtTime(p.FirstSeen), f.LateWorkdays))
}

// absentAfter returns the latest complete observation of the publication's
// place (placeName), made on a day after `after` and before the sweep that
// first saw the publication — proof that it was not there then.
func (a *audit) absentAfter(rec *records.Record, p *gongkai.Publication, after calendar.Date) time.Time {
	cutoff := a.sweepStartOf(p.Source, p.FirstSeen)
	var latest time.Time
	if p.Channel == catalogue.Credit {
		for _, key := range creditKeys(rec) {
			for _, l := range a.lookups[key] {
				if l.Observed && l.At.Before(cutoff) && calendar.FromTime(l.At.In(calendar.China)) > after && l.At.After(latest) {
					latest = l.At
				}
			}
		}
		return latest
	}
	for _, o := range a.obs[placeKey{p.Source, p.Column}] {
		if o.at.Before(cutoff) && o.day > after && o.at.After(latest) {
			latest = o.at
		}
	}
	return latest
}

// placeName names the place absentAfter observed, for a note.
func placeName(p *gongkai.Publication) string {
	if p.Channel == catalogue.Credit {
		return "信用公示系统对该企业的查询"
	}
	return fmt.Sprintf("栏目「%s」", p.Column)
}

// sweepStartOf returns the start of the sweep of source that was running
// at t (the sweep that first saw a publication first seen at t), or t.
func (a *audit) sweepStartOf(source string, t time.Time) time.Time {
	for _, s := range a.sweepsBy[source] {
		end := s.Finished
		if end.IsZero() {
			end = t
		}
		if !s.Started.After(t) && !end.Before(t) {
			return s.Started
		}
	}
	return t
}

// backdated returns the 发布日期存疑 note when the sweep history
// contradicts the declared date.
func (a *audit) backdated(rec *records.Record, u *matcher.Unit) string {
	p := u.Pub
	proof := a.absentAfter(rec, p, u.Published)
	if proof.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s：声明发布日期为 %s，但 %s 于 %s 完整查看时尚未见到，首次发现于 %s",
		NoteBackdate, u.Published, placeName(p), fmtTime(proof), fmtTime(p.FirstSeen))
}

// creditKeys are the keys a record's enterprise is looked up by.
func creditKeys(rec *records.Record) []string {
	var keys []string
	if rec.USCC != "" {
		keys = append(keys, rec.USCC)
	}
	if rec.Party != "" {
		keys = append(keys, ident.NormaliseParty(rec.Party))
		if n := strings.TrimSpace(rec.Party); n != keys[len(keys)-1] {
			keys = append(keys, n)
		}
	}
	return keys
}

// notFound judges a record with no disclosure on the channel: pending
// while not yet due, then missing only when every place was fully observed
// on a day after the due date, else unverified.
func (a *audit) notFound(f *Finding, rec *records.Record, ch catalogue.Channel, due calendar.DueRange) {
	if due.Earliest >= a.o.AsOf {
		f.Status = Pending
		return
	}
	if due.Latest >= a.o.AsOf {
		// Due or not yet due, depending on days not yet settled: neither
		// pending nor an accusation can be given.
		f.Status = Unverified
		f.Notes = append(f.Notes, fmt.Sprintf("%s：截至 %s 未见公开，到期日在 %s 至 %s 之间，是否已到期须待 %d 年节假日安排公布后判定",
			ReasonHolidaysUnknown, a.o.AsOf, due.Earliest, due.Latest, due.UnknownYear()))
		return
	}
	// Missing only when every place was fully observed after the latest
	// the due date can be.
	var unseen []string
	if ch == catalogue.Credit {
		unseen = a.creditUnseen(rec, due.Latest)
	} else {
		unseen = a.websiteUnseen(rec, due.Latest)
	}
	if len(unseen) == 0 {
		f.Status = Missing
		return
	}
	f.Status = Unverified
	f.Notes = append(f.Notes, unseen...)
}

// websiteUnseen lists the places of the record's item in its county that
// were not fully observed on a day after `after` (none: the absence is
// proven).
func (a *audit) websiteUnseen(rec *records.Record, after calendar.Date) []string {
	var unseen []string
	n := 0
	for _, pl := range a.placesIn[rec.County] {
		if pl.Channel != catalogue.Website && pl.Channel != "" || !slices.Contains(pl.Items, rec.Item) {
			continue
		}
		n++
		ok := false
		for _, o := range a.obs[placeKey{pl.Source, pl.Column}] {
			if o.day > after {
				ok = true
				break
			}
		}
		if !ok {
			unseen = append(unseen, fmt.Sprintf("栏目「%s」（%s）在到期日 %s 之后未被完整采集%s，无法确认是否公开",
				pl.Column, pl.Source, after, a.lastColumnProblem(pl)))
		}
	}
	if n == 0 {
		unseen = append(unseen, fmt.Sprintf("%s 没有配置可能发布事项 %s 的栏目，无法确认是否公开", rec.County, rec.Item))
	}
	return unseen
}

// lastColumnProblem describes why the column's latest observation was
// incomplete, for the note.
func (a *audit) lastColumnProblem(pl Place) string {
	ss := a.sweepsBy[pl.Source]
	for i := len(ss) - 1; i >= 0; i-- {
		for _, c := range ss[i].Columns {
			if c.Column != pl.Column {
				continue
			}
			if !c.Complete {
				msg := "（最近一次采集 " + fmtTime(cmp.Or(c.ObservedAt, ss[i].Started)) + " 未完整"
				if c.Reason != "" || len(c.Errors) > 0 {
					msg += "：" + c.Why()
				}
				return msg + "）"
			}
			return ""
		}
	}
	return "（从未采集）"
}

// creditUnseen says why the credit system's absence is not proven: no
// lookup of the record's enterprise observed on a day after `after`.
func (a *audit) creditUnseen(rec *records.Record, after calendar.Date) []string {
	if !slices.ContainsFunc(a.places, func(p Place) bool { return p.Channel == catalogue.Credit }) && !a.anyCreditSweep() {
		return []string{"未配置国家企业信用信息公示系统的采集，无法确认是否公示"}
	}
	keys := creditKeys(rec)
	if len(keys) == 0 {
		return []string{"记录没有统一社会信用代码或当事人名称，无法在信用公示系统中查询"}
	}
	var last *gongkai.CreditLookup
	for _, k := range keys {
		for i := range a.lookups[k] {
			l := &a.lookups[k][i]
			if l.Observed && calendar.FromTime(l.At.In(calendar.China)) > after {
				return nil
			}
			if last == nil || l.At.After(last.At) {
				last = l
			}
		}
	}
	switch {
	case last == nil:
		return []string{fmt.Sprintf("尚未在信用公示系统中查询该企业（%s），无法确认是否公示", keys[0])}
	case !last.Observed:
		return []string{fmt.Sprintf("信用公示系统查询未能完成（%s，%s），无法确认是否公示", cmp.Or(last.Reason, "未能查看"), fmtTime(last.At))}
	}
	return []string{fmt.Sprintf("信用公示系统最近一次查询该企业在 %s，不晚于到期日 %s，无法确认是否公示", fmtTime(last.At), after)}
}

func (a *audit) anyCreditSweep() bool {
	return slices.ContainsFunc(a.sweeps, func(s gongkai.Sweep) bool { return s.Channel == catalogue.Credit })
}

// ambiguous judges a record with equally good candidates from different
// publications: their common status if they agree, else unverified.
func (a *audit) ambiguous(cr *countyRun, f *Finding, rec *records.Record, it catalogue.Item, l matcher.Link, due calendar.DueRange) {
	amb := Ambiguity{County: rec.County, Item: rec.Item, RecordNo: rec.RecordNo, Channel: string(l.Channel)}
	var results []Finding
	agree := true
	for _, m := range l.Matches {
		amb.Candidates = append(amb.Candidates, m.Unit.Pub.URL)
		g := *f
		g.Notes = slices.Clone(f.Notes)
		a.found(cr, &g, rec, it, m, due)
		if len(results) > 0 && g.Status != results[0].Status {
			agree = false
		}
		results = append(results, g)
	}
	cr.out.ambiguities = append(cr.out.ambiguities, amb)
	if agree {
		*f = results[0]
		f.Notes = append(f.Notes, fmt.Sprintf("%s：有 %d 个同等匹配的公开信息，状态一致（%s）", NoteAmbiguous, len(results), strings.Join(amb.Candidates, "、")))
		return
	}
	var parts []string
	for _, r := range results {
		parts = append(parts, r.URL+"："+r.Status.Label())
	}
	f.Status = Unverified
	f.Notes = append(f.Notes, fmt.Sprintf("%s：有 %d 个同等匹配的公开信息且状态不一致（%s），需人工核实", NoteAmbiguous, len(results), strings.Join(parts, "；")))
}

// dueText writes a due date for a note: the day, or the range it can take.
func dueText(due calendar.DueRange) string {
	if due.Exact() {
		return due.Earliest.String()
	}
	return due.Earliest.String() + " 至 " + due.Latest.String()
}

// rfcTime writes a time for a report field: RFC 3339 in China time.
func rfcTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.China).Format(time.RFC3339)
}

// fmtTime writes a time in China time, to the second, for notes.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.China).Format("2006-01-02 15:04:05")
}
