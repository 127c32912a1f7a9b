// Package storetest is the conformance suite every store.Store backend must
// pass. A backend's tests call
//
//	storetest.Run(t, func(t *testing.T) store.Store { … a new, empty store … })
//
// The suite only uses the store.Store interface, so what it asserts is the
// contract callers may rely on, whichever backend they are given.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"gongkai"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
	"gongkai/store"
)

// Run runs the suite. open must return a new, empty store and arrange for it
// to be closed when the test ends (t.Cleanup).
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st store.Store)
	}{
		{"ImportRecords", testImportRecords},
		{"ImportRecordsAtomic", testImportRecordsAtomic},
		{"ImportRecordsRespelled", testImportRecordsRespelled},
		{"PublicationLifeCycle", testPublicationLifeCycle},
		{"WithdrawnAndBack", testWithdrawnAndBack},
		{"IdempotentReapply", testIdempotentReapply},
		{"StaleObservation", testStaleObservation},
		{"FetchState", testFetchState},
		{"PageLinks", testPageLinks},
		{"Sweeps", testSweeps},
		{"CreditLookups", testCreditLookups},
		{"Captures", testCaptures},
		{"PublicationQueries", testPublicationQueries},
		{"BatchAtomic", testBatchAtomic},
		{"BatchValidation", testBatchValidation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// base is a fixed instant in China Standard Time; backends may return times
// in another location, so times are compared with Equal.
var base = time.Date(2026, 3, 2, 9, 30, 0, 123456789, calendar.China)

func at(hours int) time.Time { return base.Add(time.Duration(hours) * time.Hour) }

// --- records -------------------------------------------------------------

func sampleRecords() []records.Record {
	return []records.Record{{
		County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2026〕12号",
		Title: "某某超市销售过期食品案", Party: "泽州县某某超市有限公司", USCC: "91140525MA0KXXXX1X",
		FormedOn: calendar.Of(2026, 2, 10), Procedure: "普通", Penalty: "警告、罚款",
		Channels: []catalogue.Channel{catalogue.Website, catalogue.Credit}, Source: "records.csv",
	}, {
		County: "泽州县", Item: "1.1", RecordNo: "JC-2026-001", Title: "双随机抽查",
		FormedOn: calendar.Of(2026, 1, 5), Source: "records.csv",
	}, {
		County: "高平市", Item: "2.1", RecordNo: "高市监罚〔2026〕3号", Party: "张**",
		FormedOn: calendar.Of(2026, 2, 1), Procedure: "简易", Penalty: "警告", Source: "records.csv",
	}}
}

func testImportRecords(t *testing.T, st store.Store) {
	ctx := context.Background()
	recs := sampleRecords()
	requireAllFieldsSet(t, recs[0])

	sum, err := st.ImportRecords(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.ImportSummary{Added: 3}); sum != want {
		t.Errorf("first import = %+v, want %+v", sum, want)
	}
	got, err := st.Records(ctx, store.RecordQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, "all records", got, recs)

	sum, err = st.ImportRecords(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.ImportSummary{Unchanged: 3}); sum != want {
		t.Errorf("identical re-import = %+v, want %+v", sum, want)
	}

	// One record edited, one whose only change is its channel list, one new.
	edited := slices.Clone(recs)
	edited[0].Title = "某某超市销售过期食品案（更正）"
	edited[1].Channels = []catalogue.Channel{catalogue.Website}
	edited = append(edited, records.Record{County: "陵川县", Item: "3.1", RecordNo: "LC-1", FormedOn: calendar.Of(2026, 2, 20)})
	sum, err = st.ImportRecords(ctx, edited)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.ImportSummary{Added: 1, Replaced: 2, Unchanged: 1}); sum != want {
		t.Errorf("edited re-import = %+v, want %+v", sum, want)
	}
	got, err = st.Records(ctx, store.RecordQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, "after edit", got, edited)

	// The same rows from another file: content unchanged, provenance updated.
	moved := slices.Clone(edited)
	for i := range moved {
		moved[i].Source = "records.xlsx"
	}
	sum, err = st.ImportRecords(ctx, moved)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.ImportSummary{Unchanged: len(moved)}); sum != want {
		t.Errorf("same rows from another file = %+v, want %+v", sum, want)
	}
	got, err = st.Records(ctx, store.RecordQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, "after import from another file", got, moved)
	edited = moved

	got, err = st.Records(ctx, store.RecordQuery{County: "泽州县"})
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, "county filter", got, edited[:2])
	got, err = st.Records(ctx, store.RecordQuery{Item: "2.1"})
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, "item filter", got, []records.Record{edited[0], edited[2]})
	got, err = st.Records(ctx, store.RecordQuery{County: "泽州县", Item: "2.1"})
	if err != nil {
		t.Fatal(err)
	}
	assertRecords(t, "county and item filter", got, edited[:1])
	got, err = st.Records(ctx, store.RecordQuery{County: "沁水县"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("county without records returned %d records", len(got))
	}
}

func testImportRecordsAtomic(t *testing.T, st store.Store) {
	ctx := context.Background()
	recs := sampleRecords()
	bad := append(slices.Clone(recs), records.Record{County: "泽州县", Item: "2.1"}) // no record number
	if _, err := st.ImportRecords(ctx, bad); err == nil {
		t.Fatal("import of a record without record number succeeded")
	}
	got, err := st.Records(ctx, store.RecordQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("failed import left %d records", len(got))
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := st.ImportRecords(cancelled, recs); err == nil {
		t.Fatal("import with a cancelled context succeeded")
	}
	if got, _ := st.Records(ctx, store.RecordQuery{}); len(got) != 0 {
		t.Fatalf("cancelled import left %d records", len(got))
	}
}

// A record number written another way (brackets, full-width digits, 第,
// spaces) is the same record: the re-import replaces it and its spelling
// becomes the one shown.
func testImportRecordsRespelled(t *testing.T, st store.Store) {
	ctx := context.Background()
	recs := sampleRecords()
	if _, err := st.ImportRecords(ctx, recs); err != nil {
		t.Fatal(err)
	}
	for i, spelling := range []string{"泽市监罚[2026]12号", "泽市监罚（２０２６）第012号", "泽市监罚 〔2026〕 12 号"} {
		again := slices.Clone(recs)
		again[0].RecordNo = spelling
		again[1].RecordNo = " jc-2026-001 " // folded text key: case and outer spaces do not matter
		sum, err := st.ImportRecords(ctx, again)
		if err != nil {
			t.Fatal(err)
		}
		want := store.ImportSummary{Replaced: 2, Unchanged: 1}
		if i > 0 {
			want = store.ImportSummary{Replaced: 1, Unchanged: 2}
		}
		if sum != want {
			t.Errorf("re-import as %s = %+v, want %+v", spelling, sum, want)
		}
		got, err := st.Records(ctx, store.RecordQuery{})
		if err != nil {
			t.Fatal(err)
		}
		assertRecords(t, "after re-import as "+spelling, got, again)
	}
}

func assertRecords(t *testing.T, what string, got, want []records.Record) {
	t.Helper()
	byKey := func(rs []records.Record) []records.Record {
		rs = slices.Clone(rs)
		sort.Slice(rs, func(i, j int) bool { return rs[i].Key() < rs[j].Key() })
		return rs
	}
	got, want = byKey(got), byKey(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// --- publications ----------------------------------------------------------

// samplePublication returns a publication with every field the harvester
// fills set, so that a round trip proves each one is stored.
func samplePublication(url, hash string) gongkai.Publication {
	return gongkai.Publication{
		URL:          url,
		County:       "泽州县",
		Channel:      catalogue.Website,
		Source:       "zezhou-gov",
		Column:       "行政处罚",
		Candidates:   []string{"2.1", "2.2"},
		Title:        "泽州县市场监督管理局行政处罚信息公示（" + hash + "）",
		Declared:     calendar.Of(2026, 2, 14),
		DeclaredFrom: "PubDate",
		Metadata:     map[string]string{"索引号": "11140525MB1234567X/2026-00012", "发布机构": "泽州县市场监督管理局", "生成日期": "2026-02-13"},
		Body:         "当事人泽州县某某超市有限公司销售过期食品……" + hash,
		Attachments: []gongkai.Attachment{{
			URL: url + "/fj1.xlsx", Name: "附件1 抽检合格名单.xlsx", MediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			Size: 12345, Evidence: "sha256:aa", CaptureID: "<urn:uuid:att-" + hash + ">",
			Text:   "合格名单 " + hash,
			Sheets: []gongkai.Sheet{{Name: "合格", Rows: [][]string{{"序号", "抽样编号"}, {"1", "DC26140525000123"}}}},
			Error:  "第二个工作表无法读取",
		}, {
			URL: url + "/fj2.pdf", Name: "附件2.pdf", Size: 99, Error: "超过大小上限",
		}},
		Disclosures: []gongkai.Disclosure{{
			Kind: "table-row", Ref: "表格第3行", Fields: map[string]string{"行政处罚决定书文号": "泽市监罚〔2026〕12号"},
			Text: "泽州县某某超市有限公司 警告、罚款", Date: calendar.Of(2026, 2, 14),
			DecisionNos: []string{"泽市监罚〔2026〕12号"}, SamplingNos: []string{"DC26140525000123"},
			USCCs: []string{"91140525MA0KXXXX1X"}, Parties: []string{"泽州县某某超市有限公司"},
		}},
		RecordNos:   []string{"泽市监罚〔2026〕12号"},
		ContentHash: hash,
		CaptureID:   "<urn:uuid:page-" + hash + ">",
		Evidence:    "sha256:" + hash,
	}
}

// lifeFields are decided by the store, not by the caller.
var lifeFields = []string{"FirstSeen", "LastSeen", "State", "Version", "Withdrawn"}

func mustApply(t *testing.T, st store.Store, b store.Batch) store.BatchResult {
	t.Helper()
	res, err := st.Apply(context.Background(), b)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return res
}

func mustPublication(t *testing.T, st store.Store, url string) gongkai.Publication {
	t.Helper()
	p, ok, err := st.Publication(context.Background(), url)
	if err != nil {
		t.Fatalf("Publication(%s): %v", url, err)
	}
	if !ok {
		t.Fatalf("Publication(%s): not found", url)
	}
	return p
}

func mustVersions(t *testing.T, st store.Store, url string) []gongkai.Publication {
	t.Helper()
	vs, err := st.Versions(context.Background(), url)
	if err != nil {
		t.Fatalf("Versions(%s): %v", url, err)
	}
	return vs
}

// assertContent compares what the caller supplied (every field except the
// life-cycle ones) and, when given, the life-cycle fields.
func assertContent(t *testing.T, what string, got, want gongkai.Publication) {
	t.Helper()
	g, w := got, want
	for _, p := range []*gongkai.Publication{&g, &w} {
		p.FirstSeen, p.LastSeen, p.State, p.Version, p.Withdrawn = time.Time{}, time.Time{}, "", 0, time.Time{}
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: content differs\n got %+v\nwant %+v", what, g, w)
	}
}

func assertLife(t *testing.T, what string, p gongkai.Publication, state gongkai.PubState, version int, first, last, withdrawn time.Time) {
	t.Helper()
	if p.State != state || p.Version != version || !p.FirstSeen.Equal(first) || !p.LastSeen.Equal(last) || !p.Withdrawn.Equal(withdrawn) {
		t.Errorf("%s: state=%s version=%d first=%v last=%v withdrawn=%v; want %s %d %v %v %v", what,
			p.State, p.Version, p.FirstSeen, p.LastSeen, p.Withdrawn, state, version, first, last, withdrawn)
	}
}

func testPublicationLifeCycle(t *testing.T, st store.Store) {
	const a, b = "http://zezhou.example/xzcf/a.html", "http://zezhou.example/xzcf/b.html"
	var zero time.Time
	pa1 := samplePublication(a, "h1")
	requireAllFieldsSet(t, pa1, lifeFields...)
	requireAllFieldsSet(t, pa1.Attachments[0])
	requireAllFieldsSet(t, pa1.Disclosures[0])
	pb := samplePublication(b, "hb")

	// First sight: version 1, current, first seen = last seen = At.
	res := mustApply(t, st, store.Batch{At: at(1), Publications: []gongkai.Publication{pa1, pb}})
	if want := (store.BatchResult{New: 2}); res != want {
		t.Errorf("first sight = %+v, want %+v", res, want)
	}
	got := mustPublication(t, st, a)
	assertContent(t, "a v1", got, pa1)
	assertLife(t, "a v1", got, gongkai.Current, 1, at(1), at(1), zero)

	// Same hash: only LastSeen and the where-found fields move; content
	// fields of the observation are not taken (the hash says nothing changed).
	again := samplePublication(a, "h1")
	again.Candidates = []string{"2.1"}
	again.Column = "行政处罚公示"
	again.Title = "a title the hash does not cover"
	res = mustApply(t, st, store.Batch{At: at(2), Publications: []gongkai.Publication{again}})
	if want := (store.BatchResult{Unchanged: 1}); res != want {
		t.Errorf("unchanged = %+v, want %+v", res, want)
	}
	got = mustPublication(t, st, a)
	assertLife(t, "a unchanged", got, gongkai.Current, 1, at(1), at(2), zero)
	if !slices.Equal(got.Candidates, []string{"2.1"}) || got.Column != "行政处罚公示" {
		t.Errorf("unchanged: candidates=%v column=%q, want the new ones", got.Candidates, got.Column)
	}
	if got.Title != pa1.Title {
		t.Errorf("unchanged: title=%q, want the stored %q", got.Title, pa1.Title)
	}

	// Different hash: a new version, state changed, first seen kept.
	pa2 := samplePublication(a, "h2")
	pa2.Attachments = nil
	pa2.Metadata = map[string]string{"索引号": "X/2026-00013"}
	res = mustApply(t, st, store.Batch{At: at(3), Publications: []gongkai.Publication{pa2}})
	if want := (store.BatchResult{Changed: 1}); res != want {
		t.Errorf("changed = %+v, want %+v", res, want)
	}
	got = mustPublication(t, st, a)
	assertContent(t, "a v2", got, pa2)
	assertLife(t, "a v2", got, gongkai.Changed, 2, at(1), at(3), zero)

	// List sightings move LastSeen of known publications, ignore unknown URLs.
	res = mustApply(t, st, store.Batch{At: at(4), Seen: []string{a, b, "http://zezhou.example/unknown.html"}})
	if res != (store.BatchResult{}) {
		t.Errorf("seen-only batch = %+v, want zero counts", res)
	}
	assertLife(t, "a seen", mustPublication(t, st, a), gongkai.Changed, 2, at(1), at(4), zero)
	assertLife(t, "b seen", mustPublication(t, st, b), gongkai.Current, 1, at(1), at(4), zero)
	if _, ok, err := st.Publication(context.Background(), "http://zezhou.example/unknown.html"); ok || err != nil {
		t.Errorf("a sighting of an unknown URL created a publication (ok=%v err=%v)", ok, err)
	}

	// History: oldest first, each version with its own content and the
	// span it was observed in.
	vs := mustVersions(t, st, a)
	if len(vs) != 2 {
		t.Fatalf("versions of a = %d, want 2", len(vs))
	}
	// pa2 was the last observation, so its where-found fields are current.
	assertContent(t, "a history v1", vs[0], withLocation(pa1, pa2))
	assertContent(t, "a history v2", vs[1], pa2)
	if vs[0].Version != 1 || vs[1].Version != 2 {
		t.Errorf("history versions = %d, %d; want 1, 2", vs[0].Version, vs[1].Version)
	}
	if !vs[0].FirstSeen.Equal(at(1)) || !vs[0].LastSeen.Equal(at(2)) {
		t.Errorf("history v1 seen %v..%v, want %v..%v", vs[0].FirstSeen, vs[0].LastSeen, at(1), at(2))
	}
	if !vs[1].FirstSeen.Equal(at(3)) || !vs[1].LastSeen.Equal(at(4)) {
		t.Errorf("history v2 seen %v..%v, want %v..%v", vs[1].FirstSeen, vs[1].LastSeen, at(3), at(4))
	}
	if vs, err := st.Versions(context.Background(), "http://nowhere.example/"); err != nil || len(vs) != 0 {
		t.Errorf("Versions of an unknown URL = %d, %v; want none", len(vs), err)
	}
}

// withLocation returns content with the where-found fields of loc: versions
// report the publication's current location.
func withLocation(content, loc gongkai.Publication) gongkai.Publication {
	content.County, content.Channel, content.Source, content.Column, content.Candidates =
		loc.County, loc.Channel, loc.Source, loc.Column, loc.Candidates
	return content
}

func testWithdrawnAndBack(t *testing.T, st store.Store) {
	ctx := context.Background()
	const a, b = "http://gaoping.example/a.html", "http://gaoping.example/b.html"
	var zero time.Time
	mustApply(t, st, store.Batch{At: at(1), Publications: []gongkai.Publication{samplePublication(a, "a1"), samplePublication(b, "b1")}})

	res := mustApply(t, st, store.Batch{At: at(2), Withdrawn: []string{b, "http://gaoping.example/never.html"}})
	if want := (store.BatchResult{Withdrawn: 1}); res != want {
		t.Errorf("withdraw = %+v, want %+v", res, want)
	}
	assertLife(t, "b withdrawn", mustPublication(t, st, b), gongkai.Withdrawn, 1, at(1), at(1), at(2))
	if _, ok, _ := st.Publication(ctx, "http://gaoping.example/never.html"); ok {
		t.Error("withdrawing an unknown URL created a publication")
	}
	// Withdrawing again changes nothing (the first withdrawal time stays).
	res = mustApply(t, st, store.Batch{At: at(3), Withdrawn: []string{b}})
	if res != (store.BatchResult{}) {
		t.Errorf("second withdrawal = %+v, want zero counts", res)
	}
	assertLife(t, "b withdrawn twice", mustPublication(t, st, b), gongkai.Withdrawn, 1, at(1), at(1), at(2))

	current, err := st.Publications(ctx, store.PublicationQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if urls := urlsOf(current); !slices.Equal(urls, []string{a}) {
		t.Errorf("Publications without withdrawn = %v, want [%s]", urls, a)
	}
	all, err := st.Publications(ctx, store.PublicationQuery{IncludeWithdrawn: true})
	if err != nil {
		t.Fatal(err)
	}
	if urls := urlsOf(all); !slices.Equal(urls, []string{a, b}) {
		t.Errorf("Publications with withdrawn = %v, want [%s %s]", urls, a, b)
	}

	// A sighting from before the withdrawal (a stale batch) changes nothing.
	if res := mustApply(t, st, store.Batch{At: at(1).Add(time.Minute), Seen: []string{b}}); res != (store.BatchResult{}) {
		t.Errorf("stale sighting = %+v, want zero counts", res)
	}
	assertLife(t, "b after a stale sighting", mustPublication(t, st, b), gongkai.Withdrawn, 1, at(1), at(1), at(2))

	// Sighted again (on its list, answering 304): back, as a new version
	// with its last content.
	res = mustApply(t, st, store.Batch{At: at(4), Seen: []string{b}})
	if want := (store.BatchResult{Changed: 1}); res != want {
		t.Errorf("sighting of a withdrawn page = %+v, want %+v", res, want)
	}
	got := mustPublication(t, st, b)
	assertLife(t, "b sighted again", got, gongkai.Current, 2, at(1), at(4), zero)
	assertContent(t, "b sighted again", got, samplePublication(b, "b1"))

	// Withdrawn again, then observed again with the same content: another
	// version, current.
	mustApply(t, st, store.Batch{At: at(5), Withdrawn: []string{b}})
	res = mustApply(t, st, store.Batch{At: at(6), Publications: []gongkai.Publication{samplePublication(b, "b1")}})
	if want := (store.BatchResult{Changed: 1}); res != want {
		t.Errorf("reappearance = %+v, want %+v", res, want)
	}
	got = mustPublication(t, st, b)
	assertLife(t, "b back", got, gongkai.Current, 3, at(1), at(6), zero)
	assertContent(t, "b back", got, samplePublication(b, "b1"))
	vs := mustVersions(t, st, b)
	if len(vs) != 3 {
		t.Fatalf("versions of b = %d, want 3", len(vs))
	}
	// Each version's span: v1 until the withdrawal, v2 from the sighting.
	for i, span := range [][2]time.Time{{at(1), at(1)}, {at(4), at(4)}, {at(6), at(6)}} {
		if !vs[i].FirstSeen.Equal(span[0]) || !vs[i].LastSeen.Equal(span[1]) || vs[i].Version != i+1 {
			t.Errorf("b v%d: version %d seen %v..%v, want %v..%v", i+1, vs[i].Version, vs[i].FirstSeen, vs[i].LastSeen, span[0], span[1])
		}
	}
	// Re-applying the sighting changes nothing more.
	if res := mustApply(t, st, store.Batch{At: at(6), Seen: []string{b}}); res != (store.BatchResult{}) {
		t.Errorf("sighting of a current page = %+v, want zero counts", res)
	}

	// a: edited, withdrawn, back with its first content — changed, since
	// it was edited since first seen.
	mustApply(t, st, store.Batch{At: at(6), Publications: []gongkai.Publication{samplePublication(a, "a2")}})
	mustApply(t, st, store.Batch{At: at(7), Withdrawn: []string{a}})
	res = mustApply(t, st, store.Batch{At: at(8), Publications: []gongkai.Publication{samplePublication(a, "a1")}})
	if want := (store.BatchResult{Changed: 1}); res != want {
		t.Errorf("a back = %+v, want %+v", res, want)
	}
	got = mustPublication(t, st, a)
	assertLife(t, "a back", got, gongkai.Changed, 3, at(1), at(8), zero)
	vs = mustVersions(t, st, a)
	var hashes []string
	for _, v := range vs {
		hashes = append(hashes, v.ContentHash)
	}
	if !slices.Equal(hashes, []string{"a1", "a2", "a1"}) {
		t.Errorf("history hashes of a = %v, want [a1 a2 a1]", hashes)
	}
}

func urlsOf(ps []gongkai.Publication) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.URL)
	}
	sort.Strings(out)
	return out
}

// fullBatch touches every part of the store.
func fullBatch(sweepID int64, when time.Time, urls ...string) store.Batch {
	b := store.Batch{SweepID: sweepID, At: when}
	for i, u := range urls {
		id := fmt.Sprintf("<urn:uuid:%s>", u)
		b.Captures = append(b.Captures, gongkai.Capture{ID: id, URL: u, At: when, Type: "response", Status: 200,
			PayloadDigest: "sha256:" + u, WARC: []byte("WARC/1.1\r\n" + u)})
		b.FetchStates = append(b.FetchStates, store.FetchState{URL: u, ETag: `"e` + u + `"`, ContentHash: "h" + u,
			LastStatus: 200, LastFetched: when, CaptureID: id})
		p := samplePublication(u, "h"+u)
		p.CaptureID = id
		b.Publications = append(b.Publications, p)
		b.Credit = append(b.Credit, gongkai.CreditLookup{County: "泽州县", Key: fmt.Sprintf("9114052500000000%02d", i), At: when, Observed: true})
	}
	b.Column = &gongkai.ColumnOutcome{Column: "行政处罚", Items: []string{"2.1"}, Complete: true, ListPages: 1,
		Details: len(urls), ObservedAt: when}
	return b
}

func testIdempotentReapply(t *testing.T, st store.Store) {
	ctx := context.Background()
	id, err := st.BeginSweep(ctx, gongkai.Sweep{Source: "zezhou-gov", County: "泽州县", Channel: catalogue.Website, Started: at(0)})
	if err != nil {
		t.Fatal(err)
	}
	old := "http://zezhou.example/old.html"
	mustApply(t, st, store.Batch{SweepID: id, At: at(1), Publications: []gongkai.Publication{samplePublication(old, "o")}})

	b := fullBatch(id, at(2), "http://zezhou.example/1.html", "http://zezhou.example/2.html")
	b.Publications = append(b.Publications, samplePublication(old, "o-edited"))
	b.Seen = []string{"http://zezhou.example/1.html"}
	first := mustApply(t, st, b)
	if want := (store.BatchResult{New: 2, Changed: 1}); first != want {
		t.Errorf("first apply = %+v, want %+v", first, want)
	}
	snapshot := func() string {
		var sb strings.Builder
		ps, err := st.Publications(ctx, store.PublicationQuery{IncludeWithdrawn: true, WithBodies: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			fmt.Fprintf(&sb, "%s v%d %s %d %d\n", p.URL, p.Version, p.State, p.FirstSeen.UnixNano(), p.LastSeen.UnixNano())
			fmt.Fprintf(&sb, "  versions %d\n", len(mustVersions(t, st, p.URL)))
		}
		n := 0
		if err := st.Captures(ctx, func(gongkai.Capture) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		cl, err := st.CreditLookups(ctx, store.CreditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		sw, err := st.Sweeps(ctx, store.SweepQuery{})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sb, "captures %d credit %d sweeps %d columns %d\n", n, len(cl), len(sw), len(sw[0].Columns))
		return sb.String()
	}
	before := snapshot()
	second := mustApply(t, st, b)
	if want := (store.BatchResult{Unchanged: 3}); second != want {
		t.Errorf("re-apply = %+v, want %+v", second, want)
	}
	if after := snapshot(); after != before {
		t.Errorf("re-applying a committed batch changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// A withdrawal replayed is a no-op too.
	w := store.Batch{SweepID: id, At: at(3), Withdrawn: []string{old}}
	if res := mustApply(t, st, w); res.Withdrawn != 1 {
		t.Errorf("withdraw = %+v", res)
	}
	before = snapshot()
	if res := mustApply(t, st, w); res != (store.BatchResult{}) {
		t.Errorf("replayed withdrawal = %+v, want zero counts", res)
	}
	if after := snapshot(); after != before {
		t.Errorf("replayed withdrawal changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// testStaleObservation: a batch replayed after later ones were committed
// (its At is older than what the store holds) must not roll history back.
func testStaleObservation(t *testing.T, st store.Store) {
	const u = "http://qinshui.example/p.html"
	old := store.Batch{At: at(1), Publications: []gongkai.Publication{samplePublication(u, "v1")}}
	mustApply(t, st, old)
	mustApply(t, st, store.Batch{At: at(2), Publications: []gongkai.Publication{samplePublication(u, "v2")}})
	res := mustApply(t, st, old)
	if want := (store.BatchResult{Unchanged: 1}); res != want {
		t.Errorf("stale replay = %+v, want %+v", res, want)
	}
	got := mustPublication(t, st, u)
	if got.ContentHash != "v2" || got.Version != 2 || !got.LastSeen.Equal(at(2)) {
		t.Errorf("after stale replay: hash=%s version=%d last=%v; want v2, 2, %v", got.ContentHash, got.Version, got.LastSeen, at(2))
	}
	if n := len(mustVersions(t, st, u)); n != 2 {
		t.Errorf("versions after stale replay = %d, want 2", n)
	}

	// A withdrawal observed before the last sighting is stale as well.
	mustApply(t, st, store.Batch{At: at(4), Seen: []string{u}})
	if res := mustApply(t, st, store.Batch{At: at(3), Withdrawn: []string{u}}); res.Withdrawn != 0 {
		t.Errorf("stale withdrawal counted %d", res.Withdrawn)
	}
	if p := mustPublication(t, st, u); p.State == gongkai.Withdrawn {
		t.Error("a withdrawal older than the last sighting withdrew the page")
	}
}

// --- fetch state -------------------------------------------------------------

func testFetchState(t *testing.T, st store.Store) {
	ctx := context.Background()
	const u = "http://zezhou.example/list/index_2.html"
	if _, ok, err := st.FetchState(ctx, u); ok || err != nil {
		t.Fatalf("FetchState of a new URL: ok=%v err=%v", ok, err)
	}
	f := store.FetchState{URL: u, ETag: `W/"5f3a-1"`, LastModified: "Mon, 02 Mar 2026 01:30:00 GMT",
		ContentHash: "sha256:abc", LastStatus: 200, LastFetched: at(1), ErrorCount: 2, LastError: "连接被重置",
		CaptureID: "<urn:uuid:1>"}
	requireAllFieldsSet(t, f, "Form")
	mustApply(t, st, store.Batch{At: at(1), FetchStates: []store.FetchState{f}})
	got, ok, err := st.FetchState(ctx, u)
	if err != nil || !ok {
		t.Fatalf("FetchState: ok=%v err=%v", ok, err)
	}
	assertFetchState(t, got, f)

	// The harvester writes the whole state each time: it replaces.
	f2 := store.FetchState{URL: u, ContentHash: "sha256:def", LastStatus: 304, LastFetched: at(2)}
	mustApply(t, st, store.Batch{At: at(2), FetchStates: []store.FetchState{f2}})
	got, _, err = st.FetchState(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	assertFetchState(t, got, f2)

	// A POST to the same URL is a request of its own; FetchState answers
	// for the GET only.
	post := store.FetchState{URL: u, Form: "page=2&col=1", ETag: `"p2"`, LastStatus: 200, LastFetched: at(3)}
	other := store.FetchState{URL: "http://gaoping.example/a.html", LastStatus: 404, LastFetched: at(3)}
	mustApply(t, st, store.Batch{At: at(3), FetchStates: []store.FetchState{post, other}})
	got, _, err = st.FetchState(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	assertFetchState(t, got, f2)

	// FetchStates reads every request under the prefixes, nothing else.
	all, err := st.FetchStates(ctx, []string{"http://zezhou.example/", "https://zezhou.example/"})
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]store.FetchState{}
	for _, s := range all {
		byKey[s.URL+"#"+s.Form] = s
	}
	if len(all) != 2 || len(byKey) != 2 {
		t.Fatalf("FetchStates returned %+v, want the GET and the POST of %s", all, u)
	}
	assertFetchState(t, byKey[u+"#"], f2)
	assertFetchState(t, byKey[u+"#"+post.Form], post)
	if none, err := st.FetchStates(ctx, []string{"http://zezhou.example.org/"}); err != nil || len(none) != 0 {
		t.Errorf("FetchStates of another host: %+v, %v", none, err)
	}

	// List signatures are kept per entry and replaced.
	e1 := store.ListEntry{URL: "http://zezhou.example/art/1.html", Signature: "sha256:s1", Seen: at(1)}
	e2 := store.ListEntry{URL: "http://gaoping.example/art/2.html", Signature: "sha256:s2", Seen: at(1)}
	requireAllFieldsSet(t, e1)
	mustApply(t, st, store.Batch{At: at(1), ListEntries: []store.ListEntry{e1, e2}})
	e1.Signature, e1.Seen = "sha256:s1b", at(4)
	mustApply(t, st, store.Batch{At: at(4), ListEntries: []store.ListEntry{e1}})
	es, err := st.ListEntries(ctx, []string{"http://zezhou.example/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].URL != e1.URL || es[0].Signature != e1.Signature || !es[0].Seen.Equal(e1.Seen) {
		t.Errorf("ListEntries = %+v, want [%+v]", es, e1)
	}
}

// testPageLinks: a page's internal links are replaced as a whole; queries
// by page prefix, and DeadOnly keeps the pages with a dead link, each with
// all its links.
func testPageLinks(t *testing.T, st store.Store) {
	ctx := context.Background()
	p1, p2, p3 := "http://zezhou.example/art/1.html", "http://zezhou.example/art/2.html", "http://gaoping.example/art/3.html"
	dead := store.PageLink{URL: "http://zezhou.example/gone.html", Name: "相关通知", Status: 404, Error: "HTTP 404", CheckedAt: at(1), CaptureID: "urn:uuid:c1"}
	requireAllFieldsSet(t, dead)
	ok := store.PageLink{URL: "http://zezhou.example/art/2.html", Name: "上一篇", Status: 200, CheckedAt: at(1), CaptureID: "urn:uuid:c2"}
	mustApply(t, st, store.Batch{At: at(1), PageLinks: []store.PageLinks{
		{Page: p1, Links: []store.PageLink{ok, dead}},
		{Page: p2, Links: []store.PageLink{ok}},
		{Page: p3, Links: []store.PageLink{{URL: "http://gaoping.example/x.html", Error: "获取失败: connection refused", CheckedAt: at(1)}}},
	}})
	all, err := st.PageLinks(ctx, store.PageLinkQuery{})
	if err != nil {
		t.Fatal(err)
	}
	pages := func(pls []store.PageLinks) string {
		var out []string
		for _, pl := range pls {
			var ls []string
			for _, l := range pl.Links {
				ls = append(ls, l.URL)
			}
			out = append(out, pl.Page+"="+strings.Join(ls, ","))
		}
		return strings.Join(out, " ")
	}
	if got, want := pages(all), p3+"=http://gaoping.example/x.html "+p1+"="+ok.URL+","+dead.URL+" "+p2+"="+ok.URL; got != want {
		t.Errorf("PageLinks = %s\nwant %s", got, want)
	}
	deadOnly, err := st.PageLinks(ctx, store.PageLinkQuery{Prefixes: []string{"http://zezhou.example/"}, DeadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(deadOnly) != 1 || deadOnly[0].Page != p1 || len(deadOnly[0].Links) != 2 {
		t.Fatalf("DeadOnly under zezhou = %s", pages(deadOnly))
	}
	got := deadOnly[0].Links[1] // links in URL order
	if got.URL != dead.URL || got.Name != dead.Name || got.Status != dead.Status || got.Error != dead.Error ||
		!got.CheckedAt.Equal(dead.CheckedAt) || got.CaptureID != dead.CaptureID || !got.Dead() || deadOnly[0].Links[0].Dead() {
		t.Errorf("dead link = %+v, want %+v", got, dead)
	}
	// The page parsed again without the dead link: it has only the live one;
	// a page without links now has none stored.
	mustApply(t, st, store.Batch{At: at(2), PageLinks: []store.PageLinks{{Page: p1, Links: []store.PageLink{ok}}, {Page: p3}}})
	if pls, err := st.PageLinks(ctx, store.PageLinkQuery{DeadOnly: true}); err != nil || len(pls) != 0 {
		t.Errorf("DeadOnly after the fix = %s, %v", pages(pls), err)
	}
	if pls, err := st.PageLinks(ctx, store.PageLinkQuery{Prefixes: []string{"http://gaoping.example/", p1}}); err != nil || pages(pls) != p1+"="+ok.URL {
		t.Errorf("PageLinks after the fix = %s, %v", pages(pls), err)
	}
}

func assertFetchState(t *testing.T, got, want store.FetchState) {
	t.Helper()
	if !got.LastFetched.Equal(want.LastFetched) {
		t.Errorf("LastFetched = %v, want %v", got.LastFetched, want.LastFetched)
	}
	got.LastFetched, want.LastFetched = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("fetch state:\n got %+v\nwant %+v", got, want)
	}
}

// --- sweeps --------------------------------------------------------------

func testSweeps(t *testing.T, st store.Store) {
	ctx := context.Background()
	s1, err := st.BeginSweep(ctx, gongkai.Sweep{Source: "zezhou-gov", County: "泽州县", Channel: catalogue.Website, Full: true, Started: at(1)})
	if err != nil {
		t.Fatal(err)
	}
	s2, err := st.BeginSweep(ctx, gongkai.Sweep{Source: "gaoping-gov", County: "高平市", Channel: catalogue.Website, Started: at(2)})
	if err != nil {
		t.Fatal(err)
	}
	if s1 == s2 {
		t.Fatalf("two sweeps got the same ID %d", s1)
	}

	penalties := gongkai.ColumnOutcome{Column: "行政处罚", Items: []string{"2.1", "2.2"}, Complete: true,
		ListPages: 3, Details: 40, ObservedAt: at(1)}
	sampling := gongkai.ColumnOutcome{Column: "抽检信息", Items: []string{"1.2"}, Complete: false,
		ListPages: 5, ListFailed: 1, Details: 12, DetailsFailed: 2, ObservedAt: at(1),
		Errors:        []string{"http://zezhou.example/cj/index_4.html: 503", "http://zezhou.example/cj/9.html: 超时"},
		Reason:        "第 5 页（http://zezhou.example/cj/index_4.html）应答 HTTP 503，而栏目声明共 5 页；2 个条目的详情未能采集",
		FailedPages:   []string{"http://zezhou.example/cj/index_4.html", "http://zezhou.example/dataproxy.jsp#col=1&unitid=7"},
		DeclaredPages: 5, DeclaredTotal: 70, Listed: 56}
	requireAllFieldsSet(t, sampling, "Complete", "Blank") // penalties covers Complete=true, notices Blank
	notices := gongkai.ColumnOutcome{Column: "通知公告", Complete: true, Blank: true, ListPages: 1, DeclaredPages: 1, ObservedAt: at(1)}
	mustApply(t, st, store.Batch{SweepID: s1, At: at(1), Column: &notices})
	mustApply(t, st, store.Batch{SweepID: s1, At: at(1), Column: &penalties})
	mustApply(t, st, store.Batch{SweepID: s1, At: at(1), Column: &sampling})
	// The same column again replaces its outcome (one row per column).
	penalties.ListPages, penalties.Details = 4, 41
	mustApply(t, st, store.Batch{SweepID: s1, At: at(1), Column: &penalties})
	if err := st.FinishSweep(ctx, s1, at(1).Add(30*time.Minute), false); err != nil {
		t.Fatal(err)
	}

	sweeps, err := st.Sweeps(ctx, store.SweepQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sweeps) != 2 || sweeps[0].ID != s2 || sweeps[1].ID != s1 {
		t.Fatalf("Sweeps = %v, want IDs [%d %d] (newest first)", sweepIDs(sweeps), s2, s1)
	}
	got := sweeps[1]
	if got.Source != "zezhou-gov" || got.County != "泽州县" || got.Channel != catalogue.Website || !got.Full ||
		!got.Started.Equal(at(1)) || !got.Finished.Equal(at(1).Add(30*time.Minute)) || got.Interrupted {
		t.Errorf("sweep fields = %+v", got)
	}
	if len(got.Columns) != 3 {
		t.Fatalf("sweep has %d columns, want 3", len(got.Columns))
	}
	assertColumn(t, got.Columns[0], notices)
	assertColumn(t, got.Columns[1], penalties)
	assertColumn(t, got.Columns[2], sampling)
	if w := got.Columns[2].Why(); w != sampling.Reason {
		t.Errorf("Why() = %q, want the reason", w)
	}
	if w := got.Columns[1].Why(); w != "" {
		t.Errorf("Why() of a complete column = %q", w)
	}
	if got.Complete() {
		t.Error("sweep with an incomplete column is Complete")
	}
	if sweeps[0].Complete() {
		t.Error("unfinished sweep is Complete")
	}
	if len(sweeps[0].Columns) != 0 {
		t.Errorf("sweep without outcomes has %d columns", len(sweeps[0].Columns))
	}

	// The failed column observed fully later in the same sweep.
	sampling.Complete, sampling.Errors, sampling.ListFailed, sampling.DetailsFailed = true, nil, 0, 0
	mustApply(t, st, store.Batch{SweepID: s1, At: at(1), Column: &sampling})
	sweeps, err = st.Sweeps(ctx, store.SweepQuery{Source: "zezhou-gov"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sweeps) != 1 || !sweeps[0].Complete() {
		t.Errorf("zezhou sweep after the column recovered: %+v, want one complete sweep", sweeps)
	}

	if err := st.FinishSweep(ctx, s2, at(3), true); err != nil {
		t.Fatal(err)
	}
	sweeps, err = st.Sweeps(ctx, store.SweepQuery{County: "高平市"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sweeps) != 1 || sweeps[0].ID != s2 || !sweeps[0].Interrupted || sweeps[0].Complete() {
		t.Errorf("interrupted sweep: %+v", sweeps)
	}
	sweeps, err = st.Sweeps(ctx, store.SweepQuery{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(sweeps) != 1 || sweeps[0].ID != s2 {
		t.Errorf("Limit 1 = %v, want [%d]", sweepIDs(sweeps), s2)
	}
	if sweeps, err := st.Sweeps(ctx, store.SweepQuery{Source: "nobody"}); err != nil || len(sweeps) != 0 {
		t.Errorf("unknown source: %v %v", sweeps, err)
	}

	if err := st.FinishSweep(ctx, 987654, at(4), false); err == nil {
		t.Error("FinishSweep of an unknown sweep succeeded")
	}

	// Outcomes given at BeginSweep are kept like those from batches.
	s3, err := st.BeginSweep(ctx, gongkai.Sweep{Source: "credit", Started: at(5), Columns: []gongkai.ColumnOutcome{{Column: "查询", Complete: true}}})
	if err != nil {
		t.Fatal(err)
	}
	sweeps, err = st.Sweeps(ctx, store.SweepQuery{Source: "credit"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sweeps) != 1 || sweeps[0].ID != s3 || len(sweeps[0].Columns) != 1 || sweeps[0].Columns[0].Column != "查询" {
		t.Errorf("credit sweep = %+v", sweeps)
	}
}

func sweepIDs(ss []gongkai.Sweep) []int64 {
	var ids []int64
	for _, s := range ss {
		ids = append(ids, s.ID)
	}
	return ids
}

func assertColumn(t *testing.T, got, want gongkai.ColumnOutcome) {
	t.Helper()
	if !got.ObservedAt.Equal(want.ObservedAt) {
		t.Errorf("column %s observed %v, want %v", want.Column, got.ObservedAt, want.ObservedAt)
	}
	got.ObservedAt, want.ObservedAt = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("column outcome:\n got %+v\nwant %+v", got, want)
	}
}

// --- credit lookups ------------------------------------------------------------

func testCreditLookups(t *testing.T, st store.Store) {
	ctx := context.Background()
	ok1 := gongkai.CreditLookup{County: "泽州县", Key: "91140525MA0KXXXX1X", Party: "泽州县某某超市有限公司", At: at(1),
		Observed: true, Reason: "找到 2 条处罚", CompanyURL: "http://gsxt.example/company/1", CaptureID: "<urn:uuid:c1>"}
	requireAllFieldsSet(t, ok1)
	walled := gongkai.CreditLookup{County: "泽州县", Key: "91140525MA0KXXXX1X", At: at(3), Observed: false, Reason: "验证码"}
	other := gongkai.CreditLookup{County: "高平市", Key: "张**", At: at(2), Observed: true}
	mustApply(t, st, store.Batch{At: at(1), Credit: []gongkai.CreditLookup{ok1}})
	mustApply(t, st, store.Batch{At: at(3), Credit: []gongkai.CreditLookup{walled, other}})

	all, err := st.CreditLookups(ctx, store.CreditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertCredit(t, "all", all, []gongkai.CreditLookup{walled, other, ok1})
	byKey, err := st.CreditLookups(ctx, store.CreditQuery{Key: "91140525MA0KXXXX1X"})
	if err != nil {
		t.Fatal(err)
	}
	assertCredit(t, "by key", byKey, []gongkai.CreditLookup{walled, ok1})
	byCounty, err := st.CreditLookups(ctx, store.CreditQuery{County: "高平市"})
	if err != nil {
		t.Fatal(err)
	}
	assertCredit(t, "by county", byCounty, []gongkai.CreditLookup{other})

	// A lookup without its own time takes the batch's.
	mustApply(t, st, store.Batch{At: at(5), Credit: []gongkai.CreditLookup{{County: "陵川县", Key: "K"}}})
	got, err := st.CreditLookups(ctx, store.CreditQuery{County: "陵川县"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].At.Equal(at(5)) {
		t.Errorf("lookup without time = %+v, want At %v", got, at(5))
	}
}

func assertCredit(t *testing.T, what string, got, want []gongkai.CreditLookup) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d lookups, want %d: %+v", what, len(got), len(want), got)
	}
	for i := range got {
		g, w := got[i], want[i]
		if !g.At.Equal(w.At) {
			t.Errorf("%s[%d]: At %v, want %v", what, i, g.At, w.At)
		}
		g.At, w.At = time.Time{}, time.Time{}
		if g != w {
			t.Errorf("%s[%d]:\n got %+v\nwant %+v", what, i, g, w)
		}
	}
}

// --- captures ------------------------------------------------------------

func testCaptures(t *testing.T, st store.Store) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	big := make([]byte, 1<<20+7)
	for i := range big {
		big[i] = byte(rng.UintN(256))
	}
	big[0], big[len(big)-1] = 0, 0
	c1 := gongkai.Capture{ID: "<urn:uuid:00000000-0000-4000-8000-000000000001>", URL: "http://zezhou.example/a.html",
		At: at(1), Type: "response", Status: 200, PayloadDigest: "sha256:01", WARC: big,
		Request: []byte{0x1f, 0x8b, 1, 2, 0}, County: "泽州县"}
	requireAllFieldsSet(t, c1)
	c2 := gongkai.Capture{ID: "<urn:uuid:2>", URL: "http://zezhou.example/a.html", At: at(2), Type: "revisit", Status: 304,
		PayloadDigest: "sha256:01", WARC: []byte{0x1f, 0x8b, 0, 0, 0xff}}
	c3 := gongkai.Capture{ID: "<urn:uuid:3>", URL: "http://zezhou.example/b.html", At: at(1), Type: "metadata"}
	mustApply(t, st, store.Batch{At: at(2), Captures: []gongkai.Capture{c2, c1}})
	mustApply(t, st, store.Batch{At: at(3), Captures: []gongkai.Capture{c3}})

	for _, want := range []gongkai.Capture{c1, c2, c3} {
		got, ok, err := st.Capture(ctx, want.ID)
		if err != nil || !ok {
			t.Fatalf("Capture(%s): ok=%v err=%v", want.ID, ok, err)
		}
		if string(got.WARC) != string(want.WARC) {
			t.Errorf("Capture(%s): %d bytes back, want the %d stored byte for byte", want.ID, len(got.WARC), len(want.WARC))
		}
		if string(got.Request) != string(want.Request) {
			t.Errorf("Capture(%s): request record %x, want %x", want.ID, got.Request, want.Request)
		}
		assertCaptureMeta(t, got, want)
	}

	// A capture without a county of its own takes the county of the
	// publication it is evidence of, else its sweep's.
	sweep, err := st.BeginSweep(ctx, gongkai.Sweep{Source: "lingchuan-gov", County: "陵川县", Started: at(4)})
	if err != nil {
		t.Fatal(err)
	}
	c4 := gongkai.Capture{ID: "<urn:uuid:4>", URL: "http://lingchuan.example/list.html", At: at(4), Type: "response", Status: 200, WARC: []byte{1}}
	c5 := gongkai.Capture{ID: "<urn:uuid:5>", URL: "http://zezhou.example/c.html", At: at(4), Type: "response", Status: 200, WARC: []byte{1}}
	pub := samplePublication("http://zezhou.example/c.html", "h-c")
	pub.County, pub.CaptureID = "泽州县", c5.ID
	mustApply(t, st, store.Batch{SweepID: sweep, At: at(4), Captures: []gongkai.Capture{c4, c5}, Publications: []gongkai.Publication{pub}})
	// A credit sweep has no county: a lookup's search pages take the county
	// of the lookup committed with them.
	creditSweep, err := st.BeginSweep(ctx, gongkai.Sweep{Source: "credit", Channel: catalogue.Credit, Started: at(5)})
	if err != nil {
		t.Fatal(err)
	}
	c6 := gongkai.Capture{ID: "<urn:uuid:6>", URL: "http://credit.example/search", At: at(5), Type: "response", Status: 200, WARC: []byte{1}}
	mustApply(t, st, store.Batch{SweepID: creditSweep, At: at(5), Captures: []gongkai.Capture{c6},
		Credit: []gongkai.CreditLookup{{County: "高平市", Key: "k6", At: at(5), Observed: true}}})
	for id, want := range map[string]string{c4.ID: "陵川县", c5.ID: "泽州县", c6.ID: "高平市"} {
		got, _, err := st.Capture(ctx, id)
		if err != nil || got.County != want {
			t.Errorf("Capture(%s).County = %q (err %v), want %q", id, got.County, err, want)
		}
	}
	if _, ok, err := st.Capture(ctx, "<urn:uuid:missing>"); ok || err != nil {
		t.Errorf("Capture of a missing ID: ok=%v err=%v", ok, err)
	}

	var listed []gongkai.Capture
	if err := st.Captures(ctx, func(c gongkai.Capture) error { listed = append(listed, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 6 {
		t.Fatalf("Captures listed %d, want 6", len(listed))
	}
	c4.County, c5.County, c6.County = "陵川县", "泽州县", "高平市"
	for i, want := range []gongkai.Capture{c2, c1, c3, c4, c5, c6} { // commit order
		if listed[i].County != want.County {
			t.Errorf("Captures listing: %s County %q, want %q", want.ID, listed[i].County, want.County)
		}
		if len(listed[i].WARC) != 0 {
			t.Errorf("Captures listing filled WARC of %s", listed[i].ID)
		}
		assertCaptureMeta(t, listed[i], want)
	}
	stop := errors.New("stop")
	n := 0
	if err := st.Captures(ctx, func(gongkai.Capture) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("Captures with a failing callback: err=%v after %d calls, want stop after 1", err, n)
	}
}

func assertCaptureMeta(t *testing.T, got, want gongkai.Capture) {
	t.Helper()
	if !got.At.Equal(want.At) {
		t.Errorf("capture %s At %v, want %v", want.ID, got.At, want.At)
	}
	if got.ID != want.ID || got.URL != want.URL || got.Type != want.Type || got.Status != want.Status || got.PayloadDigest != want.PayloadDigest {
		t.Errorf("capture metadata:\n got %s %s %s %d %s\nwant %s %s %s %d %s", got.ID, got.URL, got.Type, got.Status, got.PayloadDigest,
			want.ID, want.URL, want.Type, want.Status, want.PayloadDigest)
	}
}

// --- queries ------------------------------------------------------------------

func testPublicationQueries(t *testing.T, st store.Store) {
	ctx := context.Background()
	mk := func(url, county string, ch catalogue.Channel, source string) gongkai.Publication {
		p := samplePublication(url, "h-"+url)
		p.County, p.Channel, p.Source = county, ch, source
		return p
	}
	pubs := []gongkai.Publication{
		mk("http://zezhou.example/1", "泽州县", catalogue.Website, "zezhou-gov"),
		mk("http://zezhou.example/2", "泽州县", catalogue.Website, "zezhou-gov"),
		mk("http://credit.example/z#1", "泽州县", catalogue.Credit, "credit"),
		mk("http://gaoping.example/1", "高平市", catalogue.Website, "gaoping-gov"),
		mk("http://credit.example/g#1", "高平市", catalogue.Credit, "credit"),
	}
	mustApply(t, st, store.Batch{At: at(1), Publications: pubs})
	byURL := map[string]gongkai.Publication{}
	for _, p := range pubs {
		byURL[p.URL] = p
	}

	cases := []struct {
		q    store.PublicationQuery
		want []string
	}{
		{store.PublicationQuery{}, []string{pubs[0].URL, pubs[1].URL, pubs[2].URL, pubs[3].URL, pubs[4].URL}},
		{store.PublicationQuery{County: "泽州县"}, []string{pubs[0].URL, pubs[1].URL, pubs[2].URL}},
		{store.PublicationQuery{Channel: catalogue.Credit}, []string{pubs[2].URL, pubs[4].URL}},
		{store.PublicationQuery{County: "高平市", Channel: catalogue.Website}, []string{pubs[3].URL}},
		{store.PublicationQuery{Source: "credit"}, []string{pubs[2].URL, pubs[4].URL}},
		{store.PublicationQuery{Source: "zezhou-gov", County: "泽州县"}, []string{pubs[0].URL, pubs[1].URL}},
		{store.PublicationQuery{County: "沁水县"}, nil},
	}
	for _, c := range cases {
		for _, bodies := range []bool{false, true} {
			q := c.q
			q.WithBodies = bodies
			got, err := st.Publications(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			want := slices.Clone(c.want)
			sort.Strings(want)
			if urls := urlsOf(got); !slices.Equal(urls, want) {
				t.Errorf("%+v: got %v, want %v", q, urls, want)
				continue
			}
			for _, p := range got {
				full := byURL[p.URL]
				if bodies {
					assertContent(t, "with bodies "+p.URL, p, full)
				} else {
					assertContent(t, "listing "+p.URL, p, withoutBodies(full))
				}
				assertLife(t, "listing "+p.URL, p, gongkai.Current, 1, at(1), at(1), time.Time{})
			}
		}
	}
	if _, ok, err := st.Publication(ctx, "http://nowhere.example/"); ok || err != nil {
		t.Errorf("Publication of an unknown URL: ok=%v err=%v", ok, err)
	}
}

// withoutBodies is what a listing without WithBodies returns: no body, no
// extracted attachment text or tables, no disclosures; everything else.
func withoutBodies(p gongkai.Publication) gongkai.Publication {
	p.Body, p.Disclosures = "", nil
	atts := make([]gongkai.Attachment, len(p.Attachments))
	for i, a := range p.Attachments {
		a.Text, a.Sheets = "", nil
		atts[i] = a
	}
	if len(atts) == 0 {
		atts = nil
	}
	p.Attachments = atts
	return p
}

// --- atomicity and validation ------------------------------------------------

func testBatchAtomic(t *testing.T, st store.Store) {
	ctx := context.Background()
	const known = "http://zezhou.example/known.html"
	mustApply(t, st, store.Batch{At: at(1), Publications: []gongkai.Publication{samplePublication(known, "k1")}})

	assertNothingFrom := func(what string, b store.Batch) {
		t.Helper()
		for _, c := range b.Captures {
			if _, ok, err := st.Capture(ctx, c.ID); ok || err != nil {
				t.Errorf("%s: capture %s stored (err %v)", what, c.ID, err)
			}
		}
		for _, f := range b.FetchStates {
			if _, ok, err := st.FetchState(ctx, f.URL); ok || err != nil {
				t.Errorf("%s: fetch state %s stored (err %v)", what, f.URL, err)
			}
		}
		for _, e := range b.ListEntries {
			if es, err := st.ListEntries(ctx, []string{e.URL}); len(es) > 0 || err != nil {
				t.Errorf("%s: list entry %s stored (err %v)", what, e.URL, err)
			}
		}
		for _, p := range b.Publications {
			if p.URL == known || p.URL == "" {
				continue
			}
			if _, ok, err := st.Publication(ctx, p.URL); ok || err != nil {
				t.Errorf("%s: publication %s stored (err %v)", what, p.URL, err)
			}
		}
		if cl, err := st.CreditLookups(ctx, store.CreditQuery{}); err != nil || len(cl) != 0 {
			t.Errorf("%s: %d credit lookups stored (err %v)", what, len(cl), err)
		}
		n := 0
		if err := st.Captures(ctx, func(gongkai.Capture) error { n++; return nil }); err != nil || n != 0 {
			t.Errorf("%s: %d captures listed (err %v)", what, n, err)
		}
		p := mustPublication(t, st, known)
		if p.Version != 1 || p.ContentHash != "k1" || !p.LastSeen.Equal(at(1)) || p.State != gongkai.Current {
			t.Errorf("%s: the known publication moved: version %d hash %s last %v state %s", what, p.Version, p.ContentHash, p.LastSeen, p.State)
		}
		if vs := mustVersions(t, st, known); len(vs) != 1 {
			t.Errorf("%s: known publication has %d versions", what, len(vs))
		}
	}

	// Everything valid except the column outcome, which names a sweep that
	// does not exist and is applied last.
	b := fullBatch(424242, at(2), "http://zezhou.example/n1.html", "http://zezhou.example/n2.html")
	b.Publications = append(b.Publications, samplePublication(known, "k2"))
	b.Seen = []string{known}
	b.Withdrawn = []string{known}
	if _, err := st.Apply(ctx, b); err == nil {
		t.Fatal("Apply with a column outcome of an unknown sweep succeeded")
	}
	assertNothingFrom("unknown sweep", b)

	// A publication without URL after valid ones.
	b = fullBatch(0, at(2), "http://zezhou.example/n3.html")
	b.Column = nil
	b.Publications = append(b.Publications, samplePublication(known, "k3"), gongkai.Publication{Title: "无地址"})
	if _, err := st.Apply(ctx, b); err == nil {
		t.Fatal("Apply with a publication without URL succeeded")
	}
	assertNothingFrom("publication without URL", b)

	// A cancelled context.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	b = fullBatch(0, at(2), "http://zezhou.example/n4.html")
	b.Column = nil
	if _, err := st.Apply(cancelled, b); err == nil {
		t.Fatal("Apply with a cancelled context succeeded")
	}
	assertNothingFrom("cancelled context", b)
}

func testBatchValidation(t *testing.T, st store.Store) {
	ctx := context.Background()
	bad := map[string]store.Batch{
		"no time":                 {Publications: []gongkai.Publication{samplePublication("http://x.example/1", "h")}},
		"capture without ID":      {At: at(1), Captures: []gongkai.Capture{{URL: "http://x.example/1"}}},
		"fetch state without URL": {At: at(1), FetchStates: []store.FetchState{{ETag: "x"}}},
		"list entry without URL":  {At: at(1), ListEntries: []store.ListEntry{{Signature: "x"}}},
		"page links without page": {At: at(1), PageLinks: []store.PageLinks{{Links: []store.PageLink{{URL: "http://x.example/a"}}}}},
		"page link without URL":   {At: at(1), PageLinks: []store.PageLinks{{Page: "http://x.example/1", Links: []store.PageLink{{Name: "x"}}}}},
		"column without sweep":    {At: at(1), Column: &gongkai.ColumnOutcome{Column: "c", Complete: true}},
	}
	for name, b := range bad {
		if _, err := st.Apply(ctx, b); err == nil {
			t.Errorf("%s: Apply succeeded", name)
		}
	}
	if _, err := st.BeginSweep(ctx, gongkai.Sweep{Started: at(1)}); err == nil {
		t.Error("BeginSweep without source succeeded")
	}
	// An empty batch is fine.
	if res, err := st.Apply(ctx, store.Batch{At: at(1)}); err != nil || res != (store.BatchResult{}) {
		t.Errorf("empty batch: %+v, %v", res, err)
	}
}

// requireAllFieldsSet fails when a fixture leaves an exported field zero,
// so that a field added to a store type later is caught by the round-trip
// tests until the fixture (and every backend) covers it.
func requireAllFieldsSet(t *testing.T, v any, except ...string) {
	t.Helper()
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		if !f.IsExported() || slices.Contains(except, f.Name) {
			continue
		}
		if rv.Field(i).IsZero() {
			t.Fatalf("test fixture %T leaves %s zero: extend the fixture so the round trip covers it", v, f.Name)
		}
	}
}
