package credit

// Which targets a sweep looks up (incremental credit lookups).
//
// The system can only be searched, one enterprise at a time, through the
// one polite browser session the office holds: repeating every lookup in
// every sweep does not scale (a province's ~25k enterprises would take
// about seven hours a week). A sweep therefore looks up a target only
// when something about it is owed:
//
//   - never looked up in one of its counties;
//   - its latest lookup there did not observe the system (challenge,
//     captcha, login wall, error, enterprise not found): retried;
//   - its records there were imported or changed since its last observed
//     lookup (the records' fingerprint, kept as the fetch state of the
//     target's search, differs);
//   - one of its records the system does not show yet (by the rows seen so
//     far) became due since its last observed lookup: the audit's
//     "missing" needs an observation after the due date;
//   - one of its records the system does not show yet is not due, or past
//     due by at most AwaitDays: it is looked for again in every sweep (on
//     a later day than the last look), so that an early publication is
//     found before the due date and a late one at the next sweep, and an
//     absence is seen again before the audit repeats it.
//
// Every other target keeps its last observation, and every target is
// looked up again on the full-walk cadence (harvest.full_every, --full),
// which also finds rows withdrawn from the system. The audit judges each
// record only on the lookups actually made, each with its own time.

import (
	"crypto/sha256"
	"encoding/hex"
	"gongkai"
	"net/url"
	"slices"
	"strings"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/records"
	"gongkai/store"
)

// AwaitDays is how long after its due date a record the system does not
// show yet is looked for in every sweep. SAMR's rules give 20 working
// days to publish a decision on the system; publications later than four
// months after that are found by the full-walk cadence instead.
const AwaitDays = 120

// Why says why a sweep looks a target up, or that it does not.
type Why int

const (
	// Carried: not looked up in this sweep; its last observation stands.
	Carried Why = iota
	// Full: the full-walk cadence (harvest.full_every) or --full.
	Full
	// Never: never looked up in one of its counties.
	Never
	// Unobserved: the latest lookup did not observe the system.
	Unobserved
	// RecordsChanged: records imported or changed since the last observed lookup.
	RecordsChanged
	// NewlyDue: a record not shown yet became due since the last observed lookup.
	NewlyDue
	// Awaited: a record not shown yet, not due or recently due.
	Awaited
)

// Label names the reason in Chinese, for summaries and logs.
func (w Why) Label() string {
	switch w {
	case Full:
		return "完整重查"
	case Never:
		return "未查询过"
	case Unobserved:
		return "上次未能查看"
	case RecordsChanged:
		return "记录新增或变更"
	case NewlyDue:
		return "新到期"
	case Awaited:
		return "尚未见到公示"
	}
	return "沿用上次观察"
}

// Reasons lists the reasons a target is looked up, in the order of precedence.
var Reasons = []Why{Full, Never, Unobserved, RecordsChanged, NewlyDue, Awaited}

// Decision is what a sweep does with one target.
type Decision struct {
	Target Target
	Why    Why
	// LastObserved is, per county, the time of the observed lookup a
	// carried target is judged on.
	LastObserved map[string]time.Time
}

// History is what earlier sweeps left of the targets: their lookups, the
// fingerprints of the records each observed lookup was made for, and the
// rows the system showed.
type History struct {
	latest   map[string]gongkai.CreditLookup // county|key → latest lookup
	observed map[string]gongkai.CreditLookup // county|key → latest observed lookup
	prints   map[string]string               // county|key → records fingerprint
	byUSCC   map[string][]*gongkai.Publication
	byName   map[string][]*gongkai.Publication
}

// NewHistory indexes the stored lookups (any order), the fetch states of
// the search URL (StateURL) and the source's known rows.
func NewHistory(lookups []gongkai.CreditLookup, states []store.FetchState, rows []gongkai.Publication) *History {
	h := &History{latest: map[string]gongkai.CreditLookup{}, observed: map[string]gongkai.CreditLookup{}, prints: map[string]string{},
		byUSCC: map[string][]*gongkai.Publication{}, byName: map[string][]*gongkai.Publication{}}
	for _, l := range lookups {
		k := l.County + "|" + l.Key
		if p, ok := h.latest[k]; !ok || l.At.After(p.At) {
			h.latest[k] = l
		}
		if p, ok := h.observed[k]; l.Observed && (!ok || l.At.After(p.At)) {
			h.observed[k] = l
		}
	}
	for _, s := range states {
		v, err := url.ParseQuery(s.Form)
		if err != nil || v.Get("target") == "" {
			continue
		}
		h.prints[v.Get("county")+"|"+v.Get("target")] = s.ContentHash
	}
	for i := range rows {
		p := &rows[i]
		if u := strings.ToUpper(p.Metadata["统一社会信用代码"]); u != "" {
			h.byUSCC[u] = append(h.byUSCC[u], p)
		}
		if n := p.Metadata["企业名称"]; n != "" {
			k := ident.NormaliseParty(n)
			h.byName[k] = append(h.byName[k], p)
		}
	}
	return h
}

// Schedule decides, target by target, what one sweep looks up.
type Schedule struct {
	Full      bool
	Now       time.Time
	Calendar  *calendar.Calendar
	Catalogue *catalogue.Catalogue
	History   *History
}

// Decide says whether the sweep looks t up, and why. An owed lookup
// starts from the company page the last observed one found (the full
// re-check repeats the search, which also re-checks that page).
func (s Schedule) Decide(t Target) Decision {
	d := Decision{Target: t, Why: Full}
	if s.Full {
		return d
	}
	today := calendar.FromTime(s.Now.In(calendar.China))
	d.Why, d.LastObserved = Carried, map[string]time.Time{}
	for _, county := range t.Counties {
		why, at := s.decideIn(t, county, today)
		if why != Carried && (d.Why == Carried || why < d.Why) {
			d.Why = why
		}
		d.LastObserved[county] = at
	}
	if d.Why == Carried {
		return d
	}
	d.LastObserved = nil
	var seen time.Time
	for _, county := range t.Counties {
		if l, ok := s.History.observed[county+"|"+t.Key]; ok && l.CompanyURL != "" && l.At.After(seen) {
			d.Target.CompanyURL, seen = l.CompanyURL, l.At
		}
	}
	return d
}

// decideIn decides for one of the target's counties and returns the time
// of the last observed lookup there.
func (s Schedule) decideIn(t Target, county string, today calendar.Date) (Why, time.Time) {
	k := county + "|" + t.Key
	latest, ok := s.History.latest[k]
	if !ok {
		return Never, time.Time{}
	}
	if !latest.Observed {
		return Unobserved, time.Time{}
	}
	obs := s.History.observed[k]
	if s.History.prints[k] != Fingerprint(t, county) {
		return RecordsChanged, obs.At
	}
	seen := calendar.FromTime(obs.At.In(calendar.China))
	why := Carried
	for _, r := range t.Records {
		if r.County != county || s.History.shows(t, r) {
			// Once the system showed a record, the audit dates it by that
			// row: nothing is owed until the full re-check.
			continue
		}
		due, ok := s.dueLatest(r)
		if !ok {
			continue // no time limit to tell
		}
		if due < today && seen <= due {
			return NewlyDue, obs.At
		}
		// Awaited day by day: a lookup made earlier today already saw it.
		if seen < today && today-due <= AwaitDays {
			why = Awaited
		}
	}
	return why, obs.At
}

// dueLatest is the latest the record's due date can be by the catalogue
// the harvester was given (county variants are only stricter, so their
// due dates come no later).
func (s Schedule) dueLatest(r records.Record) (calendar.Date, bool) {
	it, ok := s.Catalogue.Item(r.Item)
	if !ok {
		return 0, false
	}
	due, err := s.Calendar.DueRange(r.FormedOn, it.TimeLimit.Workdays)
	if err != nil {
		return 0, false
	}
	return due.Latest, true
}

// shows reports whether a row the system showed for the enterprise can be
// the record's: of its item's group, carrying its number or its date. A
// guess only decides whether to look again; the audit links rows to
// records by its own rules.
func (h *History) shows(t Target, r records.Record) bool {
	rows := h.byName[t.Key]
	if t.USCC != "" {
		rows = h.byUSCC[t.USCC]
	}
	no, day := records.NumberKey(r.RecordNo), r.FormedOn.String()
	for _, p := range rows {
		if !slices.Contains(p.Candidates, r.Item) {
			continue
		}
		for _, n := range p.RecordNos {
			if records.NumberKey(n) == no {
				return true
			}
		}
		for _, v := range p.Metadata {
			if v == day {
				return true
			}
		}
	}
	return false
}

// Fingerprint is the hash of what the target's records in county say: a
// lookup made for other records (a new decision of the same enterprise,
// a corrected date or code) is owed again.
func Fingerprint(t Target, county string) string {
	var parts []string
	for _, r := range t.Records {
		if r.County != county {
			continue
		}
		chans := make([]string, len(r.Channels))
		for i, c := range r.Channels {
			chans[i] = string(c)
		}
		parts = append(parts, strings.Join([]string{r.Key(), r.RecordNo, r.Title, r.Party, r.USCC, r.FormedOn.String(),
			r.Procedure, r.Penalty, strings.Join(chans, "、")}, "\x1f"))
	}
	slices.Sort(parts)
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1e")))
	return "records:" + hex.EncodeToString(sum[:16])
}

// StateURL is the URL under which a target's fetch state is kept: the
// system's search, with the county and target key as its form.
func StateURL(systemURL string) string { return resolve(systemURL, "/corp-query-search-1.html") }

// stateForm is the form naming a target's fetch state.
func stateForm(county, key string) string {
	return url.Values{"county": {county}, "target": {key}}.Encode()
}
