package sim

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/records"
	"gongkai/region"
)

func smallWorld(t testing.TB, seed int64) *World {
	t.Helper()
	w, err := Generate(Options{Seed: seed, Size: Small})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// renderAll renders every page, list page and attachment of the world at
// its current day, keyed by path, so two worlds can be compared.
func renderAll(t testing.TB, w *World) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	now := w.AsOf()
	for _, s := range w.sites {
		for _, c := range s.Columns {
			vis, _ := c.visibleEntries(now)
			for i := range pageCount(len(vis), c.PerPage) {
				out[s.County.Code+"|list|"+c.Name+"|"+string(rune('0'+i))] = s.renderList(c, i, now)
			}
			if s.Family == FamHanweb {
				out[s.County.Code+"|col|"+c.Name] = s.hanwebColumn(c, now)
			}
		}
		for _, e := range s.entries {
			if e.kind == kindOffsite || !e.visible(now) {
				continue
			}
			out[s.County.Code+"|"+e.Path] = s.renderDetail(e, now)
			for _, a := range e.attachments {
				res := s.attachmentResponse(a, now)
				if a.Dead && res.status == 404 {
					continue // a planted dead link (unfamiliar world)
				}
				if res.status != 200 {
					t.Fatalf("%s: attachment %s: %d %s", e.Path, a.Path, res.status, res.body)
				}
				out[s.County.Code+"|"+a.Path] = res.body
			}
		}
	}
	return out
}

func TestSameSeedGivesIdenticalOutput(t *testing.T) {
	a, b := smallWorld(t, 42), smallWorld(t, 42)
	if !bytes.Equal(a.RecordsCSV(), b.RecordsCSV()) {
		t.Error("records.csv differs between two worlds of the same seed")
	}
	if !bytes.Equal(a.Truth().JSON(), b.Truth().JSON()) {
		t.Error("truth.json differs between two worlds of the same seed")
	}
	pa, pb := renderAll(t, a), renderAll(t, b)
	if len(pa) != len(pb) {
		t.Fatalf("page sets differ: %d vs %d", len(pa), len(pb))
	}
	for k, v := range pa {
		if !bytes.Equal(v, pb[k]) {
			t.Errorf("page %s differs between two worlds of the same seed", k)
		}
	}
	c := smallWorld(t, 43)
	if bytes.Equal(a.RecordsCSV(), c.RecordsCSV()) {
		t.Error("seeds 42 and 43 gave the same records.csv")
	}
}

func TestSmallWorldIsSmallAndComplete(t *testing.T) {
	start := time.Now()
	w := smallWorld(t, 1)
	if d := time.Since(start); d > time.Second {
		t.Errorf("small world took %v to generate", d)
	}
	tr := w.Truth()
	var web int
	items := map[string]bool{}
	statuses := map[string]map[string]int{}
	kinds := map[string]bool{}
	for _, p := range tr.Pages {
		if p.Channel == catalogue.Website {
			web++
		}
		kinds[p.Kind] = true
	}
	variants := map[string]int{}
	for _, r := range tr.Records {
		items[r.Item] = true
		for _, v := range strings.Split(r.Variant, ",") {
			variants[string(r.Channel)+"/"+v]++
		}
		if statuses[string(r.Channel)] == nil {
			statuses[string(r.Channel)] = map[string]int{}
		}
		statuses[string(r.Channel)][r.Status]++
	}
	if web < 200 || web > 1000 {
		t.Errorf("small world has %d website pages, want a few hundred", web)
	}
	for _, code := range catalogue.Default().Codes() {
		if !items[code] {
			t.Errorf("no expected record for item %s", code)
		}
	}
	for _, st := range []string{StatusOnTime, StatusLate, StatusMissing, StatusPending} {
		if statuses[string(catalogue.Website)][st] == 0 {
			t.Errorf("no website record is %s", st)
		}
	}
	for _, st := range []string{StatusOnTime, StatusLate, StatusMissing, StatusUnverified} {
		if statuses[string(catalogue.Credit)][st] == 0 {
			t.Errorf("no credit record is %s", st)
		}
	}
	for _, k := range []string{"penalty-page", "penalty-pdf", "penalty-table", "inspection-batch", "sampling-notice",
		"device-sampling", "event", "news", "credit-punishment", "credit-spotcheck", "credit-ranins"} {
		if !kinds[k] {
			t.Errorf("no page of kind %s", k)
		}
	}
	backdated := 0
	for _, r := range tr.Records {
		if r.Appeared != 0 {
			backdated++
		}
	}
	if backdated == 0 {
		t.Error("no backdated page")
	}
	for _, v := range []string{"政府网站/docno", "政府网站/element", "国家企业信用信息公示系统/docno"} {
		if variants[v] == 0 {
			t.Errorf("no found record with variant %s", v)
		}
	}
	t.Logf("%d website pages, statuses %v, variants %v", web, statuses, variants)
}

func TestRecordsCSVImportsAsContractSays(t *testing.T) {
	w := smallWorld(t, 7)
	rows, err := csv.NewReader(bytes.NewReader(w.RecordsCSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "县区,事项,编号,名称,当事人,统一社会信用代码,形成日期,程序,处罚种类,渠道" {
		t.Fatalf("header %s", got)
	}
	cat := catalogue.Default()
	now := w.AsOf()
	seen := map[string]bool{}
	for i, row := range rows[1:] {
		if _, ok := region.Lookup(row[0]); !ok {
			t.Errorf("row %d: county %q", i+2, row[0])
		}
		if _, ok := cat.Item(row[1]); !ok {
			t.Errorf("row %d: item %q", i+2, row[1])
		}
		key := row[0] + "|" + row[1] + "|" + row[2]
		if seen[key] {
			t.Errorf("row %d: duplicate record %s", i+2, key)
		}
		seen[key] = true
		if row[5] != "" {
			if err := ident.CheckUSCC(row[5]); err != nil {
				t.Errorf("row %d: %v", i+2, err)
			} else if div := row[5][2:8]; !strings.HasPrefix(div, "1405") {
				t.Errorf("row %d: USCC %s is not registered in Jincheng", i+2, row[5])
			}
		}
		d, err := calendar.ParseISO(row[6])
		if err != nil || d > now {
			t.Errorf("row %d: formed_on %q (as of %s)", i+2, row[6], now)
		}
		if strings.HasPrefix(row[1], "2.") {
			if _, ok := ident.ParseDecisionNo(row[2]); !ok {
				t.Errorf("row %d: %q is not a decision number", i+2, row[2])
			}
		}
		if strings.HasPrefix(row[1], "1.3") || strings.HasPrefix(row[1], "1.7") {
			if got := ident.FindSamplingNos(row[2]); len(got) != 1 || got[0] != row[2] {
				t.Errorf("row %d: %q is not a sampling number (%v)", i+2, row[2], got)
			}
		}
	}
}

// TestTruthIsConsistent recomputes every due date with the calendar and
// checks each status against its dates, the catalogue and the record.
func TestTruthIsConsistent(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		w := smallWorld(t, seed)
		checkTruth(t, w)
		w.AdvanceTo(w.AsOf().AddDays(45))
		checkTruth(t, w)
	}
}

func checkTruth(t *testing.T, w *World) {
	t.Helper()
	cal := calendar.Default()
	cat := catalogue.Default()
	tr := w.Truth()
	now := tr.AsOf
	expected := map[string]records.Record{}
	for _, rec := range w.recs {
		expected[rec.rec.Key()] = rec.rec
	}
	perRecord := map[string][]catalogue.Channel{}
	for _, r := range tr.Records {
		key := records.Record{County: r.County, Item: r.Item, RecordNo: r.RecordNo}.Key()
		if _, ok := expected[key]; !ok {
			t.Fatalf("truth names unknown record %s", key)
		}
		perRecord[key] = append(perRecord[key], r.Channel)
		it, _ := cat.Item(r.Item)
		due, err := cal.AddWorkdays(r.FormedOn, it.TimeLimit.Workdays)
		if err != nil || due != r.Due {
			t.Errorf("%s: due %s, calendar says %s (%v)", key, r.Due, due, err)
		}
		switch r.Status {
		case StatusOnTime:
			if r.URL == "" || (!r.Published.IsZero() && r.Published > r.Due) || r.Published > now {
				t.Errorf("%s %s ontime but published %s due %s url %q", key, r.Channel, r.Published, r.Due, r.URL)
			}
			if r.Published.IsZero() && !(r.Channel == catalogue.Credit && r.Form != "credit-punishment") {
				t.Errorf("%s %s: ontime without a declared date on %s", key, r.Channel, r.Form)
			}
		case StatusLate:
			n, err := cal.WorkdaysBetween(r.Due, r.Published)
			if r.URL == "" || r.Published <= r.Due || r.Published > now || err != nil || n != r.LateWorkdays || n < 1 {
				t.Errorf("%s %s late: published %s due %s late_workdays %d (calendar %d)", key, r.Channel, r.Published, r.Due, r.LateWorkdays, n)
			}
		case StatusMissing:
			if r.URL != "" || now <= r.Due {
				t.Errorf("%s %s missing but url %q, due %s, as of %s", key, r.Channel, r.URL, r.Due, now)
			}
		case StatusPending:
			if r.URL != "" || now > r.Due {
				t.Errorf("%s %s pending but url %q, due %s, as of %s", key, r.Channel, r.URL, r.Due, now)
			}
		case StatusUnverified:
			if r.Channel != catalogue.Credit || r.County != ChallengedCounty || now <= r.Due {
				t.Errorf("%s %s unverified outside the challenged county or before due %s", key, r.Channel, r.Due)
			}
		default:
			t.Errorf("%s: unknown status %q", key, r.Status)
		}
		if r.Channel == catalogue.Credit && r.County == ChallengedCounty && r.Status != StatusUnverified && r.Status != StatusPending {
			t.Errorf("%s: credit record of the challenged county is %s", key, r.Status)
		}
		if r.Appeared != 0 && (r.Appeared <= r.Published || r.Appeared > now) {
			t.Errorf("%s: appeared %s, declared %s, as of %s", key, r.Appeared, r.Published, now)
		}
		if r.Variant == "" && (r.WrittenAs != "" || len(r.MissingElements) > 0) {
			t.Errorf("%s: variant empty but written_as %q missing %v", key, r.WrittenAs, r.MissingElements)
		}
		if r.WrittenAs != "" {
			a, okA := ident.ParseDecisionNo(r.RecordNo)
			b, okB := ident.ParseDecisionNo(r.WrittenAs)
			if !okA || !okB || a.Key() != b.Key() || r.WrittenAs == r.RecordNo {
				t.Errorf("%s: written as %q does not normalise to the record number", key, r.WrittenAs)
			}
		}
		for _, el := range r.MissingElements {
			if !slices.Contains(it.Elements, el) {
				t.Errorf("%s: missing element %q is not an element of item %s", key, el, r.Item)
			}
		}
		// Unverifiable elements: only where nothing can be read (a scan),
		// never also missing.
		if (len(r.UnverifiableElements) > 0) != (r.Form == "penalty-scan") {
			t.Errorf("%s: unverifiable %v on form %s", key, r.UnverifiableElements, r.Form)
		}
		for _, el := range r.UnverifiableElements {
			if !slices.Contains(it.Elements, el) || slices.Contains(r.MissingElements, el) {
				t.Errorf("%s: unverifiable element %q is not an element of item %s or is also missing", key, el, r.Item)
			}
		}
	}
	for _, p := range tr.Pages {
		if p.Pinned && (p.Item != "" || len(p.RecordNos) != 0 || p.Kind != "note") {
			t.Errorf("pinned page %s carries item %q records %v kind %s", p.URL, p.Item, p.RecordNos, p.Kind)
		}
	}
	// Every record formed by as_of has exactly its observable channels.
	for key, rec := range expected {
		if rec.FormedOn > now {
			if perRecord[key] != nil {
				t.Errorf("%s formed after as_of but in truth", key)
			}
			continue
		}
		it, _ := cat.Item(rec.Item)
		var want []catalogue.Channel
		for _, ch := range rec.ExpectedChannels(it) {
			if ch.Observable() {
				want = append(want, ch)
			}
		}
		if !slices.Equal(perRecord[key], want) {
			t.Errorf("%s: truth channels %v, expected %v", key, perRecord[key], want)
		}
	}
	// Pages: each found record's URL is a page that carries it.
	pages := map[string]TruthPage{}
	for _, p := range tr.Pages {
		if p.Channel == catalogue.Website {
			pages[p.County+"|"+p.URL] = p
		}
	}
	for _, r := range tr.Records {
		if r.Channel != catalogue.Website || r.URL == "" {
			continue
		}
		p, ok := pages[r.County+"|"+r.URL]
		if !ok || !slices.Contains(p.RecordNos, r.RecordNo) || p.Published != r.Published || p.Withdrawn != 0 {
			t.Errorf("%s %s: page %s does not carry it (%+v)", r.County, r.RecordNo, r.URL, p)
		}
		if p.Item != r.Item && !(p.Kind == "penalty-table" && strings.HasPrefix(r.Item, "2.")) {
			t.Errorf("%s %s: page item %s, record item %s", r.County, r.RecordNo, p.Item, r.Item)
		}
	}
}

func TestDecisionNumbersRepeatAcrossYearsAndBureaus(t *testing.T) {
	w := smallWorld(t, 1)
	tr := w.Truth()
	byNumber := map[string]map[string]bool{} // "county|number" → keys
	city := 0
	for _, p := range tr.Pages {
		if p.Channel != catalogue.Website || !strings.HasPrefix(p.Item, "2.") {
			continue
		}
		for _, no := range p.RecordNos {
			d, ok := ident.ParseDecisionNo(no)
			if !ok {
				t.Errorf("%s: %q on a penalty page is not a decision number", p.URL, no)
				continue
			}
			if strings.HasPrefix(d.Prefix, "晋市监") {
				city++
			}
			k := p.County + "|" + string(rune('0'+d.Number%10)) + strings.Repeat("#", d.Number/10)
			if byNumber[k] == nil {
				byNumber[k] = map[string]bool{}
			}
			byNumber[k][d.Key()] = true
		}
	}
	repeats := 0
	for _, keys := range byNumber {
		if len(keys) > 1 {
			repeats++
		}
	}
	if city == 0 {
		t.Error("no city decision (晋市监罚…) on any county list")
	}
	if repeats == 0 {
		t.Error("no decision number repeats across years on one county's lists")
	}
}

// TestDecisionNumbersUniquePerBureauAndYear: whatever the start day, one
// bureau never issues the same number twice in a year.
func TestDecisionNumbersUniquePerBureauAndYear(t *testing.T) {
	for _, start := range []calendar.Date{calendar.Of(2020, time.January, 1), calendar.Of(2020, time.July, 1)} {
		w, err := Generate(Options{Seed: 9, Start: start, AsOf: calendar.Of(2021, time.June, 30), Size: Small})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		cases := append([]*penaltyCase{}, w.extra...)
		for _, rec := range w.recs {
			if rec.pen != nil {
				cases = append(cases, rec.pen)
			}
		}
		for _, pc := range cases {
			d, ok := ident.ParseDecisionNo(pc.DocNo)
			if !ok {
				t.Fatalf("%q does not parse", pc.DocNo)
			}
			if other, dup := seen[d.Key()]; dup {
				t.Errorf("start %s: %s issued twice (%s / %s)", start, d.Key(), other, pc.CaseName)
			}
			seen[d.Key()] = pc.CaseName
		}
	}
}
