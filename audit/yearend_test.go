package audit

import (
	"gongkai"
	"strings"
	"testing"

	"gongkai/catalogue"
	"gongkai/records"
)

// Due dates that fall in days the embedded holiday data (which ends with
// 2026) does not settle. A penalty decided on 2026-12-01 is due 20 working
// days later: 2026-12-27 at the earliest (every unknown day from 12-25
// worked), 2027-01-01 at the latest (12-28…30 taken by the New Year
// holiday); see calendar.TestDueRangeAcrossTheYearHandChecked.
func TestYearEndDueDatesAreBounded(t *testing.T) {
	f := newAuditFixture(t)
	f.records(
		penaltyRecord("泽市监罚〔2026〕1号", "2026-12-01"), // published before the earliest due date
		penaltyRecord("泽市监罚〔2026〕2号", "2026-12-01"), // after the latest
		penaltyRecord("泽市监罚〔2026〕3号", "2026-12-01"), // in between
		penaltyRecord("泽市监罚〔2026〕4号", "2026-12-01"), // not found
		penaltyRecord("泽市监罚〔2026〕5号", "2026-11-20"), // due 2026-12-18: exact
	)
	f.siteSweep("2027-01-06", nil,
		penaltyPage("http://zz/1", "泽市监罚〔2026〕1号", "2026-12-25"),
		penaltyPage("http://zz/2", "泽市监罚〔2026〕2号", "2027-01-05"),
		penaltyPage("http://zz/3", "泽市监罚〔2026〕3号", "2026-12-30"),
		penaltyPage("http://zz/5", "泽市监罚〔2026〕5号", "2026-12-21"),
	)
	r := f.build("2027-01-10")

	on := finding(t, r, "泽市监罚〔2026〕1号", catalogue.Website)
	if on.Status != OnTime || on.Due != "" || on.DueEarliest != "2026-12-27" || on.DueLatest != "2027-01-01" || !hasNote(on, "2027 年节假日安排") {
		t.Errorf("before the earliest due date: %s due %q %s…%s %v, want ontime with the range", on.Status, on.Due, on.DueEarliest, on.DueLatest, on.Notes)
	}
	// 2027-01-02/03 weekend, 01-04 may still be New Year's: at least 1 (01-05).
	late := finding(t, r, "泽市监罚〔2026〕2号", catalogue.Website)
	if late.Status != Late || late.LateWorkdays != 1 || !late.LateWorkdaysAtLeast || !hasNote(late, "逾期至少 1 个工作日") {
		t.Errorf("after the latest due date: %s late %d at least %v %v, want late by at least 1", late.Status, late.LateWorkdays, late.LateWorkdaysAtLeast, late.Notes)
	}
	mid := finding(t, r, "泽市监罚〔2026〕3号", catalogue.Website)
	if mid.Status != Unverified || !hasNote(mid, ReasonHolidaysUnknown) || mid.URL != "http://zz/3" {
		t.Errorf("within the range: %s %v, want unverified (%s) with its evidence", mid.Status, mid.Notes, ReasonHolidaysUnknown)
	}
	// Observed completely on 2027-01-06, after the latest due date.
	if gone := finding(t, r, "泽市监罚〔2026〕4号", catalogue.Website); gone.Status != Missing {
		t.Errorf("not found, observed after the latest due date: %s %v, want missing", gone.Status, gone.Notes)
	}
	exact := finding(t, r, "泽市监罚〔2026〕5号", catalogue.Website)
	if exact.Status != Late || exact.Due != "2026-12-18" || exact.DueEarliest != "" || exact.LateWorkdays != 1 || exact.LateWorkdaysAtLeast {
		t.Errorf("exact due date: %+v, want late by exactly 1 after 2026-12-18", exact)
	}

	// Not found, by as-of date and observation.
	for _, c := range []struct {
		asOf, observed, status, note string
	}{
		{"2026-12-27", "2026-12-26", "pending", ""},                       // as of the earliest due day: not yet due
		{"2026-12-30", "2026-12-29", "unverified", ReasonHolidaysUnknown}, // due or not, depending on 2027
		{"2027-01-10", "2026-12-31", "unverified", "栏目「行政处罚」"},            // observed only before the latest
		{"2027-01-10", "2027-01-02", "missing", ""},                       // observed after the latest
	} {
		g := newAuditFixture(t)
		g.records(penaltyRecord("泽市监罚〔2026〕4号", "2026-12-01"))
		g.siteSweep(c.observed, nil)
		got := finding(t, g.build(c.asOf), "泽市监罚〔2026〕4号", catalogue.Website)
		if string(got.Status) != c.status || c.note != "" && !hasNote(got, c.note) {
			t.Errorf("as of %s, observed %s: %s %v, want %s (%s)", c.asOf, c.observed, got.Status, got.Notes, c.status, c.note)
		}
	}
}

// A credit inspection row declares no date: it is late only if a complete
// lookup after the latest possible due date did not show it.
func TestYearEndUndatedCreditRow(t *testing.T) {
	rec := records.Record{County: zezhou, Item: "1.1", RecordNo: "JC-2026-001", USCC: yeUSCC, Party: "企业A", FormedOn: mustDay("2026-12-01")}
	row := gongkai.Publication{URL: "http://gsxt/ins#A", Title: "抽查检查结果信息", Disclosures: []gongkai.Disclosure{{
		Kind: "credit-inspection", USCCs: []string{yeUSCC},
		Fields: map[string]string{"insDate": "1796083200000", "insType_CN": "检查", "insRes_CN": "未发现问题", "insAuth_CN": "泽州县市场监督管理局"}}}}
	for _, c := range []struct {
		absentOn, status string
	}{
		{"2026-12-31", "ontime"}, // an absence before the latest due date proves nothing
		{"2027-01-06", "late"},
	} {
		f := newAuditFixture(t)
		f.records(rec)
		f.creditSweep(c.absentOn, creditLookup{key: yeUSCC, observed: true})
		f.creditSweep("2027-01-08", creditLookup{key: yeUSCC, observed: true, rows: []gongkai.Publication{row}})
		got := finding(t, f.build("2027-01-10"), "JC-2026-001", catalogue.Credit)
		if string(got.Status) != c.status || got.Status == Late && !got.LateWorkdaysAtLeast {
			t.Errorf("absent on %s: %s %v, want %s", c.absentOn, got.Status, got.Notes, c.status)
		}
		if !strings.Contains(strings.Join(got.Notes, "；"), NoteDateUnknown) {
			t.Errorf("absent on %s: notes %v lack %s", c.absentOn, got.Notes, NoteDateUnknown)
		}
	}
}

const yeUSCC = "91140525MA0GRB4L2T"
