package credit_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
	"gongkai/sources/credit"
	"gongkai/store"
)

// at is a time of day on a civil date, China time.
func at(d calendar.Date, hour int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, calendar.China)
}

// TestIncrementalLookups walks one enterprise set through the reasons a
// sweep looks a target up, checking the searches the mock saw.
func TestIncrementalLookups(t *testing.T) {
	formed := calendar.Of(2020, 7, 1)
	e := newEnv(t, []records.Record{
		rec("泽州县", "2.1", "泽市监罚〔2020〕10号", "晋城市甲食品有限公司", usccA), // shown by the system
		rec("泽州县", "1.1", "JC-1", "晋城市乙药店", usccB),              // never shown
		rec("泽州县", "2.1", "泽市监罚〔2020〕99号", "丙登录公司", ""),         // behind a login wall
	})
	it, _ := catalogue.Default().Item("2.1")
	due, err := calendar.Default().DueRange(formed, it.TimeLimit.Workdays)
	if err != nil {
		t.Fatal(err)
	}
	var clock time.Time
	e.now = func() time.Time { return clock }
	step := func(label string, now time.Time, wantLooked []string, want map[credit.Why]int) result {
		t.Helper()
		clock = now
		e.mock.mu.Lock()
		e.mock.searches = nil
		e.mock.mu.Unlock()
		res, err := e.sweep()
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		looks, err := e.st.CreditLookups(context.Background(), store.CreditQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range looks {
			if l.At.Equal(now) && !slices.Contains(got, l.Key) {
				got = append(got, l.Key)
			}
		}
		slices.Sort(got)
		slices.Sort(wantLooked)
		if !slices.Equal(got, wantLooked) {
			t.Errorf("%s: looked up %v, want %v", label, got, wantLooked)
		}
		// 甲's page, found before, shows its name: no search needed (until
		// it moves). 乙's shows neither name nor code: searched again.
		searched := slices.Sorted(slices.Values(e.mock.searches))
		var wantSearched []string
		for _, k := range wantLooked {
			if k != usccA || res.Credit.Why[credit.Full] > 0 || e.mock.moved {
				wantSearched = append(wantSearched, k)
			}
		}
		if !slices.Equal(searched, wantSearched) {
			t.Errorf("%s: searched %v, want %v", label, searched, wantSearched)
		}
		for _, why := range credit.Reasons {
			if res.Credit.Why[why] != want[why] {
				t.Errorf("%s: %d lookups %s, want %d (%v)", label, res.Credit.Why[why], why.Label(), want[why], res.Credit.Why)
			}
		}
		planned := res.Credit.Planned()
		if res.Credit.Targets != 3 || res.Credit.Looked != planned || res.Credit.Carried != res.Credit.Targets-planned {
			t.Errorf("%s: credit summary %+v", label, *res.Credit)
		}
		return res
	}

	// Before the due date: the first sweep is a full one (no full
	// re-check completed yet).
	day := formed.AddDays(1)
	step("first sweep", at(day, 10), []string{usccA, usccB, "丙登录公司"}, map[credit.Why]int{credit.Full: 3})
	// Nothing changed: only the wall is tried again.
	res := step("second sweep", at(day, 11), []string{"丙登录公司"}, map[credit.Why]int{credit.Unobserved: 1})
	if !res.Credit.OldestCarried.Equal(at(day, 10)) {
		t.Errorf("carried observations dated %v, want %v", res.Credit.OldestCarried, at(day, 10))
	}
	// The county's outcome covers every target, and does not claim to
	// have observed the carried ones now.
	sweeps, err := e.st.Sweeps(context.Background(), store.SweepQuery{Source: e.cred.Name, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	col := sweeps[0].Columns[0]
	if col.Listed != 3 || col.Details != 1 || col.DetailsFailed != 1 || col.Complete || !col.ObservedAt.Equal(at(day, 10)) {
		t.Errorf("incremental column outcome %+v", col)
	}

	// Records imported for known enterprises, one of them in a county
	// where it was never looked up: their lookups are owed.
	if _, err := e.st.ImportRecords(context.Background(), []records.Record{
		rec("泽州县", "1.1", "JC-2", "晋城市乙药店", usccB),
		rec("高平市", "2.1", "高市监罚〔2020〕5号", "晋城市甲食品有限公司", usccA),
	}); err != nil {
		t.Fatal(err)
	}
	step("after an import", at(day, 12), []string{usccA, usccB, "丙登录公司"}, map[credit.Why]int{credit.Never: 1, credit.RecordsChanged: 1, credit.Unobserved: 1})

	// The next day, still before the due date: what the system does not
	// show yet is looked for again (甲's decision in 泽州县 is shown).
	step("before due", at(day.AddDays(1), 10), []string{usccA, usccB, "丙登录公司"}, map[credit.Why]int{credit.Awaited: 2, credit.Unobserved: 1})

	// The due date passes: absence must be observed after it.
	day = due.Latest.AddDays(2)
	step("newly due", at(day, 10), []string{usccA, usccB, "丙登录公司"}, map[credit.Why]int{credit.NewlyDue: 2, credit.Unobserved: 1})
	// An absence is looked at again in every sweep while it is recent…
	step("awaited", at(day.AddDays(7), 10), []string{usccA, usccB, "丙登录公司"}, map[credit.Why]int{credit.Awaited: 2, credit.Unobserved: 1})
	// …and only on the full-walk cadence once it is old.
	step("old absence", at(due.Latest.AddDays(credit.AwaitDays+1), 10), []string{"丙登录公司"}, map[credit.Why]int{credit.Unobserved: 1})
	e.full = true
	step("full re-check", at(due.Latest.AddDays(credit.AwaitDays+1), 11), []string{usccA, usccB, "丙登录公司"}, map[credit.Why]int{credit.Full: 3})

	// 甲's page moves: the known URL answers 404, the lookup searches and
	// follows the new one, and is observed.
	e.full = false
	e.mock.moved = true
	if _, err := e.st.ImportRecords(context.Background(), []records.Record{rec("泽州县", "2.1", "泽市监罚〔2020〕11号", "晋城市甲食品有限公司", usccA)}); err != nil {
		t.Fatal(err)
	}
	now := at(due.Latest.AddDays(credit.AwaitDays+1), 12)
	step("moved page", now, []string{usccA, "丙登录公司"}, map[credit.Why]int{credit.RecordsChanged: 1, credit.Unobserved: 1})
	looks, _ := e.st.CreditLookups(context.Background(), store.CreditQuery{Key: usccA})
	if l := looks[0]; !l.At.Equal(now) || !l.Observed || !strings.Contains(l.CompanyURL, "1700000000000") {
		t.Errorf("lookup after the move %+v", l)
	}
}
