package audit

import (
	"testing"

	"gongkai/catalogue"
)

// Two events of one name, two notices of that name (the large world's
// 沁水县 and 高平市 3.2 disagreements): the earlier record is paired with the
// earlier notice, so neither is made late by a guess, and both findings
// say the match is not unique.
func TestInterchangeableRecordsAreNotMadeLateOrMissing(t *testing.T) {
	const title = "2020年食品安全宣传周启动仪式"
	f := newAuditFixture(t)
	f.records(
		eventRecord("XCZ-2020-03", title, "2020-09-04"), // due 2020-09-15 (7 working days)
		eventRecord("XCZ-2020-05", title, "2020-09-16"), // due 2020-09-25
	)
	f.siteSweep("2020-10-25", nil,
		eventPage("http://zz/e1", title, "2020-09-10"),
		eventPage("http://zz/e2", title, "2020-09-22"),
	)
	r := f.build("2020-10-30")
	for _, c := range []struct{ no, url, rival string }{
		{"XCZ-2020-03", "http://zz/e1", "XCZ-2020-05"},
		{"XCZ-2020-05", "http://zz/e2", "XCZ-2020-03"},
	} {
		got := finding(t, r, c.no, catalogue.Website)
		if got.Status != OnTime || got.URL != c.url || !hasNote(got, NoteAmbiguous) || !hasNote(got, c.rival) {
			t.Errorf("%s: %s %s %v, want ontime at %s naming %s", c.no, got.Status, got.URL, got.Notes, c.url, c.rival)
		}
	}

	// One notice both could be (published after both formings): it is
	// the later record's on time; the earlier one has none left — one of
	// the two is unpublished in substance — and its finding names the
	// rival that took the notice.
	g := newAuditFixture(t)
	g.records(
		eventRecord("XCZ-2020-03", title, "2020-09-04"),
		eventRecord("XCZ-2020-05", title, "2020-09-16"),
	)
	g.siteSweep("2020-10-25", nil, eventPage("http://zz/e2", title, "2020-09-22"))
	r = g.build("2020-10-30")
	first, second := finding(t, r, "XCZ-2020-03", catalogue.Website), finding(t, r, "XCZ-2020-05", catalogue.Website)
	if second.Status != OnTime || second.URL != "http://zz/e2" || !hasNote(second, "XCZ-2020-03") {
		t.Errorf("later record: %s %s %v, want ontime naming its rival", second.Status, second.URL, second.Notes)
	}
	if first.Status != Missing || !hasNote(first, NoteAmbiguous) || !hasNote(first, "XCZ-2020-05") {
		t.Errorf("earlier record: %s %v, want missing naming its rival", first.Status, first.Notes)
	}

	// A notice published before the later record was formed can only be
	// the earlier one's: the later one is missing, as proven as ever.
	h := newAuditFixture(t)
	h.records(
		eventRecord("XCZ-2020-03", title, "2020-09-04"),
		eventRecord("XCZ-2020-05", title, "2020-09-16"),
	)
	h.siteSweep("2020-10-25", nil, eventPage("http://zz/e1", title, "2020-09-10"))
	r = h.build("2020-10-30")
	if got := finding(t, r, "XCZ-2020-03", catalogue.Website); got.Status != OnTime || hasNote(got, NoteAmbiguous) {
		t.Errorf("earlier record: %s %v, want ontime, unique", got.Status, got.Notes)
	}
	if got := finding(t, r, "XCZ-2020-05", catalogue.Website); got.Status != Missing {
		t.Errorf("later record: %s %v, want missing", got.Status, got.Notes)
	}
}
