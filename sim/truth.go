package sim

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/region"
)

// Truth is what a correct auditor must conclude at the world's as-of day,
// and what was actually published. It is written as truth.json.
//
// URLs are paths (with query) relative to the site that serves them: prefix
// Server.SiteURL(county) for website pages and Server.CreditURL() for the
// credit system, so that the file does not depend on the ports of a run.
type Truth struct {
	Seed    int64         `json:"seed"`
	AsOf    calendar.Date `json:"as_of"`
	Records []TruthRecord `json:"records"`
	Pages   []TruthPage   `json:"pages"`
	// Columns is the health of every website column (unfamiliar world
	// only; the default world's truth.json is unchanged).
	Columns []TruthColumn `json:"columns,omitempty"`
}

// TruthColumn is what a column health check must conclude about one
// website column at as_of. The allowances are the State Council's website
// indicators: news columns 14 days, other kinds six calendar months,
// static columns never stale.
type TruthColumn struct {
	County string `json:"county"`
	Column string `json:"column"`
	Kind   string `json:"kind"`
	// Newest is the latest date a served page of the column declares
	// (links to other sites not counted); zero for a column with none.
	Newest calendar.Date `json:"newest,omitempty"`
	Stale  bool          `json:"stale"`
	Blank  bool          `json:"blank"`
	// DeadLinks are the links inside served pages that answer 404, each
	// "page path -> link path" (the link as the page writes it).
	DeadLinks []string `json:"dead_links,omitempty"`
	// Redated are the pages whose declared date moved after they were
	// first served: "path: from -> to".
	Redated []string `json:"redated,omitempty"`
	// Withdrawn are the paths of the column's pages withdrawn by as_of.
	Withdrawn []string `json:"withdrawn,omitempty"`
}

// Statuses of contracts.md §3.
const (
	StatusOnTime     = "ontime"
	StatusLate       = "late"
	StatusMissing    = "missing"
	StatusPending    = "pending"
	StatusUnverified = "unverified"
)

// TruthRecord is the expected status of one record on one observable
// channel (政府网站, 国家企业信用信息公示系统). Channels gongkai cannot observe
// (两微一端, 公示栏) have no entries.
type TruthRecord struct {
	County          string            `json:"county"`
	Item            string            `json:"item"`
	RecordNo        string            `json:"record_no"`
	Channel         catalogue.Channel `json:"channel"`
	Status          string            `json:"status"`
	FormedOn        calendar.Date     `json:"formed_on"`
	Due             calendar.Date     `json:"due"`
	Published       calendar.Date     `json:"published"` // declared date; "" when not found or the channel declares none
	LateWorkdays    int               `json:"late_workdays"`
	URL             string            `json:"url"` // where it was found ("" if not)
	MissingElements []string          `json:"missing_elements"`
	// UnverifiableElements are the item's elements no reader can see on
	// the found page (a scanned PDF without a text layer): an auditor must
	// report them as 要素无法核实, never as missing. Only the unfamiliar
	// world has them.
	UnverifiableElements []string `json:"unverifiable_elements,omitempty"`
	// Variant says how the found disclosure differs from the record:
	// "docno" (decision number written differently, see WrittenAs),
	// "element" (a required element left out), both joined by ",", or "".
	Variant   string `json:"variant"`
	WrittenAs string `json:"written_as,omitempty"`
	// Form is how it was published: penalty-page, penalty-pdf,
	// penalty-table, inspection-batch, sampling-notice, device-sampling,
	// event, credit-punishment, credit-spotcheck, credit-ranins; in the
	// unfamiliar world also penalty-scan (a page linking an image-only PDF).
	Form string `json:"form,omitempty"`
	// Appeared is set when the page is backdated: the day it was first
	// served. The status still follows the declared date (contracts.md §3);
	// an auditor with sweep history should add 发布日期存疑.
	Appeared calendar.Date `json:"appeared,omitempty"`
}

// TruthPage is one published page (or credit-system row) with its true
// catalogue item ("" for noise) and the record numbers it carries: numbers
// of expected records as records.csv writes them, and the numbers of cases
// no record expects (the city's decisions, last year's).
type TruthPage struct {
	URL       string            `json:"url"`
	County    string            `json:"county"`
	Channel   catalogue.Channel `json:"channel"`
	Item      string            `json:"item"`
	RecordNos []string          `json:"record_nos"`
	Title     string            `json:"title"`
	Published calendar.Date     `json:"published"`
	Kind      string            `json:"kind"`
	Column    string            `json:"column,omitempty"`
	// Attachments are the paths of the files the page links to.
	Attachments []string      `json:"attachments,omitempty"`
	Edited      calendar.Date `json:"edited,omitempty"`    // last edit up to as_of
	Withdrawn   calendar.Date `json:"withdrawn,omitempty"` // gone since this day (404 / 页面不存在)
	// Appeared is set for a backdated page: the first day it was served,
	// later than the date it declares.
	Appeared calendar.Date `json:"appeared,omitempty"`
	// Pinned marks a note that heads its list regardless of date (置顶).
	Pinned bool `json:"pinned,omitempty"`
	// Unobservable marks credit rows of the challenged county: published,
	// but the mock never lets a program see them.
	Unobservable bool `json:"unobservable,omitempty"`
}

// Truth returns the ground truth at the world's current day.
func (w *World) Truth() *Truth {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.truth == nil {
		w.truth = w.computeTruth(w.now)
	}
	return w.truth
}

// JSON is truth.json: indented, stable byte for byte for a seed and day.
func (t *Truth) JSON() []byte {
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		panic("sim: truth is not serialisable: " + err.Error())
	}
	return append(b, '\n')
}

func (w *World) computeTruth(now calendar.Date) *Truth {
	t := &Truth{Seed: w.opts.Seed, AsOf: now, Records: []TruthRecord{}, Pages: []TruthPage{}}
	for _, rec := range w.recs {
		if rec.rec.FormedOn > now {
			continue
		}
		for _, o := range []*outcome{rec.web, rec.cred} {
			if o != nil {
				t.Records = append(t.Records, w.recordTruth(rec, o, now))
			}
		}
	}
	for ci, s := range w.sites {
		var pages []TruthPage
		for _, e := range s.entries {
			if e.kind == kindOffsite || e.shownFrom() > now {
				continue
			}
			pages = append(pages, entryTruth(e, now))
		}
		for _, ent := range w.ents[ci] {
			for k := range ent.creditRows {
				for _, row := range ent.creditRows[k] {
					if row.visible <= now {
						pages = append(pages, w.creditRowTruth(row))
					}
				}
			}
		}
		slices.SortStableFunc(pages, func(a, b TruthPage) int {
			if a.Channel != b.Channel {
				if a.Channel == catalogue.Website {
					return -1
				}
				return 1
			}
			if c := strings.Compare(a.URL, b.URL); c != 0 {
				return c
			}
			if c := strings.Compare(a.Item, b.Item); c != 0 {
				return c
			}
			return strings.Compare(strings.Join(a.RecordNos, ","), strings.Join(b.RecordNos, ","))
		})
		t.Pages = append(t.Pages, pages...)
		if w.opts.Unfamiliar {
			for _, c := range s.Columns {
				t.Columns = append(t.Columns, columnTruth(s, c, now))
			}
		}
	}
	return t
}

// columnTruth is the health of column c on day now.
func columnTruth(s *Site, c *Column, now calendar.Date) TruthColumn {
	tc := TruthColumn{County: s.County.Name, Column: c.Name, Kind: c.kind()}
	for _, e := range c.entries {
		if e.kind == kindOffsite || e.shownFrom() > now {
			continue
		}
		if !e.visible(now) {
			tc.Withdrawn = append(tc.Withdrawn, e.Path)
			continue
		}
		if d := e.declaredOn(now); d > tc.Newest && d <= now {
			tc.Newest = d
		}
		if d := e.declaredOn(now); d != e.Published {
			tc.Redated = append(tc.Redated, fmt.Sprintf("%s: %s -> %s", e.Path, e.Published, d))
		}
		for _, a := range e.attachments {
			if a.Dead {
				tc.DeadLinks = append(tc.DeadLinks, e.Path+" -> "+a.LinkPath)
			}
		}
		for _, l := range e.bodyLinks {
			if l.Dead && (l.DeadUntil == 0 || now < l.DeadUntil) {
				tc.DeadLinks = append(tc.DeadLinks, e.Path+" -> "+l.Href)
			}
		}
	}
	tc.Blank = tc.Newest == 0 && c.Blank
	switch tc.Kind {
	case "static":
	case "news":
		tc.Stale = tc.Newest != 0 && now-tc.Newest > 14
	default:
		tc.Stale = tc.Newest != 0 && tc.Newest < calendar.FromTime(now.Time().AddDate(0, -6, 0))
	}
	slices.Sort(tc.DeadLinks)
	slices.Sort(tc.Redated)
	slices.Sort(tc.Withdrawn)
	return tc
}

func (w *World) recordTruth(rec *simRecord, o *outcome, now calendar.Date) TruthRecord {
	tr := TruthRecord{
		County: rec.rec.County, Item: rec.rec.Item, RecordNo: rec.rec.RecordNo, Channel: o.channel,
		FormedOn: rec.rec.FormedOn, Due: rec.due, MissingElements: []string{},
	}
	found, dated := false, true
	var pub calendar.Date
	switch o.channel {
	case catalogue.Website:
		if e := o.entry; e != nil && e.visible(now) {
			found, pub, tr.URL, tr.Form = true, e.Published, e.Path, e.kind.String()
			if e.appearsOn > e.Published {
				tr.Appeared = e.appearsOn
			}
		}
	case catalogue.Credit:
		if rec.county == w.challenged {
			// The mock answers every lookup of this county with a challenge:
			// nothing can be found, so the record is pending until due and
			// unverified after.
			tr.Status = StatusUnverified
			if now <= rec.due {
				tr.Status = StatusPending
			}
			return tr
		}
		if row := o.credit; row != nil && row.visible <= now {
			found, pub, tr.URL = true, row.visible, row.ent.creditKey
			tr.Form = []string{"credit-punishment", "credit-spotcheck", "credit-ranins"}[row.kind]
			dated = row.kind == rowPunishment
		}
	}
	if !found {
		if now <= rec.due {
			tr.Status = StatusPending
		} else {
			tr.Status = StatusMissing
		}
		return tr
	}
	var variants []string
	if o.writtenAs != "" {
		variants = append(variants, "docno")
		tr.WrittenAs = o.writtenAs
	}
	if len(o.missing) > 0 {
		variants = append(variants, "element")
		tr.MissingElements = slices.Clone(o.missing)
	}
	if len(o.unverifiable) > 0 {
		tr.UnverifiableElements = slices.Clone(o.unverifiable)
	}
	tr.Variant = strings.Join(variants, ",")
	if !dated {
		// No declared date: on time unless sweep history proves otherwise,
		// and these rows only ever appear before their due day.
		tr.Status = StatusOnTime
		return tr
	}
	tr.Published = pub
	if pub <= rec.due {
		tr.Status = StatusOnTime
		return tr
	}
	tr.Status = StatusLate
	n, err := w.cal.WorkdaysBetween(rec.due, pub)
	if err == nil {
		tr.LateWorkdays = n
	}
	return tr
}

func entryTruth(e *Entry, now calendar.Date) TruthPage {
	p := TruthPage{
		URL: e.Path, County: e.site.County.Name, Channel: catalogue.Website, Item: e.item,
		RecordNos: []string{}, Title: e.titleAt(now), Published: e.declaredOn(now), Kind: e.kind.String(), Column: e.col.Name,
	}
	if e.withdrawnOn > 0 && e.withdrawnOn <= now {
		p.Withdrawn = e.withdrawnOn
		p.Title = e.titleAt(e.withdrawnOn - 1)
	}
	if e.appearsOn > e.Published {
		p.Appeared = e.appearsOn
	}
	p.Pinned = e.pinned
	if e.editedOn > 0 && e.editedOn <= now && (p.Withdrawn == 0 || e.editedOn < p.Withdrawn) {
		p.Edited = e.editedOn
	}
	for _, r := range e.records {
		p.RecordNos = append(p.RecordNos, r.rec.RecordNo)
	}
	p.RecordNos = append(p.RecordNos, e.otherNos...)
	for _, a := range e.attachments {
		p.Attachments = append(p.Attachments, a.LinkPath)
	}
	return p
}

func (w *World) creditRowTruth(row *creditRow) TruthPage {
	p := TruthPage{
		URL: row.ent.creditKey, County: region.Jincheng[row.ent.county].Name, Channel: catalogue.Credit,
		Title: row.ent.Name, Kind: []string{"credit-punishment", "credit-spotcheck", "credit-ranins"}[row.kind],
		Unobservable: row.ent.county == w.challenged,
	}
	switch {
	case row.rec != nil:
		p.Item, p.RecordNos = row.rec.rec.Item, []string{row.rec.rec.RecordNo}
	case row.pen != nil:
		p.Item, p.RecordNos = row.pen.Item, []string{row.pen.DocNo}
	}
	if row.kind == rowPunishment {
		p.Published = row.visible
	}
	return p
}
