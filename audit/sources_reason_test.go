package audit

import (
	"gongkai"
	"testing"
	"time"

	"gongkai/catalogue"
	"gongkai/store"
)

// An incomplete column's reason reaches the report: the source's entry
// lists its columns with the reason, and a record it could hold is
// unverified with the reason in its note. (reports' TestSourcesReasonRendered
// shows JSON and the 来源完整性 table carrying it.)
func TestSourcesSayWhyAColumnIsIncomplete(t *testing.T) {
	f := newAuditFixture(t)
	f.records(penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01"))
	// A sweep after the due date whose penalty column is incomplete, with its reason; a
	// blank column beside it.
	const reason = "第 3 页（http://zezhou.example/xzcf/index_2.shtml）应答 HTTP 404，而栏目声明共 5 页"
	id, err := f.st.BeginSweep(f.ctx, gongkai.Sweep{Source: zezhouSite, County: zezhou, Channel: catalogue.Website, Started: at("2020-09-01")})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []gongkai.ColumnOutcome{
		{Column: colPenalty, Items: []string{"2.1"}, ListPages: 4, ListFailed: 1, Reason: reason, FailedPages: []string{"http://zezhou.example/xzcf/index_2.shtml"},
			Errors: []string{"http://zezhou.example/xzcf/index_2.shtml: HTTP 404"}, ObservedAt: at("2020-09-01").Add(time.Minute)},
		{Column: "通知公告", Complete: true, Blank: true, ListPages: 1, ObservedAt: at("2020-09-01").Add(time.Minute)},
	} {
		if _, err := f.st.Apply(f.ctx, store.Batch{SweepID: id, At: c.ObservedAt, Column: &c}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.st.FinishSweep(f.ctx, id, at("2020-09-01").Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	r := f.build("2020-09-30")

	found := false
	for _, s := range r.Sources {
		if s.Source != zezhouSite {
			continue
		}
		for _, c := range s.Columns {
			switch c.Column {
			case colPenalty:
				found = true
				if c.Complete || c.Reason != reason {
					t.Errorf("column %+v", c)
				}
			case "通知公告":
				if !c.Complete || !c.Blank || c.Reason != "" {
					t.Errorf("blank column %+v", c)
				}
			}
		}
		if s.Complete {
			t.Errorf("source %+v is complete", s)
		}
	}
	if !found {
		t.Fatalf("sources lack the incomplete column: %+v", r.Sources)
	}
	got := finding(t, r, "泽市监罚〔2020〕1号", catalogue.Website)
	if got.Status != Unverified || !hasNote(got, "而栏目声明共 5 页") {
		t.Errorf("a record of the incomplete column: %s %v", got.Status, got.Notes)
	}
}
