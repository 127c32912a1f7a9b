package calendar

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// calendarUpTo is the embedded data without the notices after year last:
// the calendar as it stood before the next year's notice was published.
func calendarUpTo(t *testing.T, last int) *Calendar {
	t.Helper()
	c := &Calendar{}
	entries, err := embeddedHolidays.ReadDir("holidays")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		y, err := strconv.Atoi(strings.TrimSuffix(e.Name(), ".json"))
		if err != nil || y > last {
			continue
		}
		data, err := embeddedHolidays.ReadFile(path.Join("holidays", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Load(data, e.Name()); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// Dates across 2026/2027 (the embedded data ends with 2026), counted by hand.
func TestDueRangeAcrossTheYearHandChecked(t *testing.T) {
	c := Default()
	cases := []struct {
		formed           string
		n                int
		earliest, latest string
		why              string
	}{
		// 11-23…27 (5), 11-30…12-04 (10), 12-07…11 (15), 12-14…18 (20): every day known.
		{"2026-11-20", 20, "2026-12-18", "2026-12-18", "exact before the last week of December"},
		// Known: 12-02…04 (3), 07…11 (8), 14…18 (13), 21…24 (17). Earliest: 12-25, 26, 27
		// all worked (20). Latest: 12-25 (18); 26/27 weekend; 28–30 元旦's 3 weekdays
		// off; 12-31 (19), 2027-01-01 (20).
		{"2026-12-01", 20, "2026-12-27", "2027-01-01", "spans the unknown New Year"},
		// Known: 12-21…24 (4). Earliest 12-25 (5), 26 (6), 27 (7). Latest: 12-25 (5),
		// 28–30 off, 12-31 (6), 01-01 (7).
		{"2026-12-18", 7, "2026-12-27", "2027-01-01", "7 working days"},
		// Earliest: every day from 12-25 worked: 12-24 + 20 = 2027-01-13. Latest: 12-25 (1),
		// 28–30 off, 12-31 (2), 01-01 (3), 01-04 (4), 05–08 (8), 11–15 (13); 春节's
		// window opens 01-18: 18–22 and 25–26 off (its 7 weekdays); 27–29 (16),
		// 02-01…04 (20).
		{"2026-12-24", 20, "2027-01-13", "2027-02-04", "the whole count in unknown days"},
		// 12-21 (1), 22 (2), 23 (3), 24 (4): before any unknown day.
		{"2026-12-18", 4, "2026-12-24", "2026-12-24", "ends on the last known day"},
	}
	for _, tc := range cases {
		r, err := c.DueRange(d(tc.formed), tc.n)
		if err != nil {
			t.Fatalf("%s + %d: %v", tc.formed, tc.n, err)
		}
		if r.Earliest.String() != tc.earliest || r.Latest.String() != tc.latest {
			t.Errorf("DueRange(%s, %d) = %s … %s, want %s … %s (%s)", tc.formed, tc.n, r.Earliest, r.Latest, tc.earliest, tc.latest, tc.why)
		}
		if r.Exact() != (tc.earliest == tc.latest) {
			t.Errorf("DueRange(%s, %d).Exact() = %v", tc.formed, tc.n, r.Exact())
		}
		if !r.Exact() && (r.Unknown != d("2026-12-25") || r.UnknownYear() != 2027) {
			t.Errorf("DueRange(%s, %d) waits for %s (%d), want 2026-12-25 (2027)", tc.formed, tc.n, r.Unknown, r.UnknownYear())
		}
		if r.Exact() {
			due, err := c.AddWorkdays(d(tc.formed), tc.n)
			if err != nil || due != r.Earliest {
				t.Errorf("exact DueRange(%s, %d) = %s, AddWorkdays %s %v", tc.formed, tc.n, r.Earliest, due, err)
			}
		}
	}
	// Once the 2027 notice is loaded the same question is exact again.
	withNext := Default()
	if err := withNext.Load([]byte(`{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`), "2027.json"); err != nil {
		t.Fatal(err)
	}
	// 12-25 (18), 28 (19), 29 (20) with no make-up day in the notice.
	r, err := withNext.DueRange(d("2026-12-01"), 20)
	if err != nil || !r.Exact() || r.Earliest != d("2026-12-29") {
		t.Errorf("with the 2027 notice: %+v %v, want exactly 2026-12-29", r, err)
	}
}

// The bounds hold: for every year whose successor's notice is embedded,
// hide that notice and check that the true due date lies inside the range
// and that the least count of working days is never above the true one.
func TestDueRangeContainsTheTrueDueDate(t *testing.T) {
	full := Default()
	for y := 2019; y <= 2025; y++ {
		before := calendarUpTo(t, y)
		for day := Of(y, time.November, 15); day <= Of(y, time.December, 31); day++ {
			for _, n := range []int{1, 5, 7, 20, 40} {
				truth, err := full.AddWorkdays(day, n)
				if err != nil {
					t.Fatal(err)
				}
				r, err := before.DueRange(day, n)
				if err != nil {
					t.Fatal(err)
				}
				if truth < r.Earliest || truth > r.Latest {
					t.Fatalf("%s + %d: true due %s outside %s … %s", day, n, truth, r.Earliest, r.Latest)
				}
				if r.Exact() && truth != r.Earliest {
					t.Fatalf("%s + %d: exact %s, true %s", day, n, r.Earliest, truth)
				}
				for _, k := range []int{1, 10, 30} {
					b := r.Latest.AddDays(k)
					least, exact := before.WorkdaysAtLeast(r.Latest, b)
					want, err := full.WorkdaysBetween(r.Latest, b)
					if err != nil {
						t.Fatal(err)
					}
					if least > want || exact && least != want {
						t.Fatalf("WorkdaysAtLeast(%s, %s) = %d (exact %v), true %d", r.Latest, b, least, exact, want)
					}
				}
			}
		}
	}
}

// Every weekday a notice 2019–2026 gave off lies in the window of its
// festival, within the festival's budget: the latest bound is never
// tighter than what the State Council has actually done.
func TestFestivalBudgetsCoverEveryNotice(t *testing.T) {
	c := Default()
	taken := map[[2]int]int{}
	var days []Date
	for day := range c.days {
		days = append(days, day)
	}
	slices.Sort(days)
	for _, day := range days {
		e := c.days[day]
		if !e.off || day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		placed := false
		for i, w := range festivalWindows {
			y, in := w.festivalYear(day)
			if !in || !strings.Contains(e.name, w.name) {
				continue
			}
			// 国庆节、中秋节 share one run; either budget may hold the day.
			if k := [2]int{i, y}; taken[k] < w.weekdays {
				taken[k]++
				placed = true
				break
			}
		}
		if !placed {
			t.Errorf("%s %s (%s): a weekday off outside every festival window or budget", day, day.Weekday(), e.name)
		}
	}
}

func TestDueRangeErrors(t *testing.T) {
	c := Default()
	if _, err := c.DueRange(0, 20); err == nil {
		t.Error("zero date accepted")
	}
	if _, err := c.DueRange(d("2026-12-01"), -1); err == nil {
		t.Error("negative count accepted")
	}
}
