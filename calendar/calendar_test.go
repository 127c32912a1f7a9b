package calendar

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func d(s string) Date {
	v, err := ParseISO(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestDefaultKnowsEmbeddedYears(t *testing.T) {
	c := Default()
	got := c.Years()
	want := []int{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026}
	if len(got) != len(want) {
		t.Fatalf("Years() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Years() = %v, want %v", got, want)
		}
	}
}

func TestIsWorkdayHandChecked(t *testing.T) {
	c := Default()
	cases := []struct {
		date string
		work bool
		why  string
	}{
		{"2020-01-19", true, "Sunday, make-up day for the 2020 Spring Festival"},
		{"2020-01-20", true, "ordinary Monday"},
		{"2020-01-24", false, "Spring Festival eve"},
		{"2020-02-02", false, "Spring Festival extended to 02-02 (Sunday anyway)"},
		{"2020-01-31", false, "Friday within the extension"},
		{"2020-02-03", true, "first day back"},
		{"2020-09-27", true, "Sunday, make-up day for National Day"},
		{"2020-10-10", true, "Saturday, make-up day for National Day"},
		{"2020-10-11", false, "ordinary Sunday"},
		{"2020-10-09", true, "ordinary Friday"},
		{"2020-07-25", false, "ordinary Saturday"},
	}
	for _, tc := range cases {
		got, err := c.IsWorkday(d(tc.date))
		if err != nil {
			t.Fatalf("%s: %v", tc.date, err)
		}
		if got != tc.work {
			t.Errorf("IsWorkday(%s) = %v, want %v (%s)", tc.date, got, tc.work, tc.why)
		}
	}
	for day := d("2020-10-01"); day <= d("2020-10-08"); day++ {
		if w, err := c.IsWorkday(day); err != nil || w {
			t.Errorf("IsWorkday(%s) = %v, %v; want a holiday", day, w, err)
		}
	}
}

func TestAddWorkdaysHandChecked(t *testing.T) {
	c := Default()
	cases := []struct {
		from string
		n    int
		want string
		why  string
	}{
		// 2020-01-20 (Mon) + 20: 01-21,22,23 (3); 01-24..02-02 off (Spring
		// Festival, extended); 02-03..07 (8); 02-10..14 (13); 02-17..21 (18);
		// 02-24 (19), 02-25 (20).
		{"2020-01-20", 20, "2020-02-25", "domain.md example"},
		// The make-up Sunday counts: 01-17 (Fri) + 1 is Sunday 01-19.
		{"2020-01-17", 1, "2020-01-19", "make-up Sunday"},
		// National Day: 09-30 (Wed) + 1 skips 10-01..08, lands on Fri 10-09;
		// + 2 is the make-up Saturday 10-10.
		{"2020-09-30", 1, "2020-10-09", "National Day holiday skipped"},
		{"2020-09-30", 2, "2020-10-10", "make-up Saturday"},
		// Across New Year, hand-counted from holidays/2023.json, which lists
		// 2022-12-31 (Sat) and 2023-01-01..02 off, 01-21..27 off (Spring
		// Festival) and 01-28 (Sat), 01-29 (Sun) worked. From Fri 2022-12-30:
		// 01-03..06 (4); 01-09..13 (9); 01-16..20 (14); 01-21..27 off;
		// 01-28 (15), 01-29 (16); 01-30, 01-31, 02-01 (19), 02-02 (20).
		{"2022-12-30", 20, "2023-02-02", "across New Year and Spring Festival"},
		// 7-day limit across New Year 2021 (2021.json: 2021-01-01..03 off):
		// Tue 2020-12-29 → 12-30, 12-31 (2); 01-01 off; 01-04..08 (7).
		{"2020-12-29", 7, "2021-01-08", "7 working days across New Year"},
		{"2020-07-27", 0, "2020-07-27", "zero days"},
		{"2020-10-09", -1, "2020-09-30", "backwards over National Day"},
	}
	for _, tc := range cases {
		got, err := c.AddWorkdays(d(tc.from), tc.n)
		if err != nil {
			t.Fatalf("AddWorkdays(%s, %d): %v", tc.from, tc.n, err)
		}
		if got.String() != tc.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s (%s)", tc.from, tc.n, got, tc.want, tc.why)
		}
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := Default()
	cases := []struct {
		a, b string
		want int
	}{
		{"2020-01-20", "2020-02-25", 20},
		{"2020-02-25", "2020-01-20", -20},
		{"2020-07-27", "2020-07-27", 0},
		{"2020-09-30", "2020-10-10", 2},
		{"2020-07-24", "2020-07-27", 1}, // Fri → Mon
		{"2022-12-30", "2023-02-02", 20},
	}
	for _, tc := range cases {
		got, err := c.WorkdaysBetween(d(tc.a), d(tc.b))
		if err != nil {
			t.Fatalf("WorkdaysBetween(%s, %s): %v", tc.a, tc.b, err)
		}
		if got != tc.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestUnknownYearIsAnError(t *testing.T) {
	c := Default()
	var uy *UnknownYearError

	_, err := c.IsWorkday(d("2027-03-01"))
	if !errors.As(err, &uy) || uy.Year != 2027 {
		t.Fatalf("IsWorkday(2027-03-01) err = %v, want UnknownYearError{2027}", err)
	}
	if !strings.Contains(err.Error(), "2027") || !strings.Contains(err.Error(), "节假日") {
		t.Errorf("message should be Chinese and name the year: %q", err)
	}
	// A due date that runs into 2027 cannot be computed.
	if _, err := c.AddWorkdays(d("2026-12-10"), 20); !errors.As(err, &uy) || uy.Year != 2027 {
		t.Errorf("AddWorkdays into 2027: err = %v", err)
	}
	if _, err := c.WorkdaysBetween(d("2026-06-01"), d("2027-01-05")); !errors.As(err, &uy) {
		t.Errorf("WorkdaysBetween into 2027: err = %v", err)
	}
	// 2019.json lists 2018-12-29..31, but 2018's own notice was not
	// loaded: 2018 is unknown.
	if _, err := c.IsWorkday(d("2018-12-29")); !errors.As(err, &uy) || uy.Year != 2018 {
		t.Errorf("2018-12-29: err = %v, want unknown 2018", err)
	}
	if _, err := c.IsWorkday(d("2018-06-01")); !errors.As(err, &uy) {
		t.Errorf("2018-06-01: err = %v", err)
	}
	// The last week of 2026 depends on the 2027 notice (New Year make-up
	// days fall there), so it is unknown until 2027 is loaded.
	if _, err := c.IsWorkday(d("2026-12-28")); !errors.As(err, &uy) || uy.Year != 2027 {
		t.Errorf("2026-12-28: err = %v, want unknown 2027", err)
	}
	if w, err := c.IsWorkday(d("2026-12-24")); err != nil || !w {
		t.Errorf("2026-12-24 (Thu): %v %v", w, err)
	}
	// The zero Calendar knows nothing.
	var zero Calendar
	if _, err := zero.IsWorkday(d("2020-07-27")); !errors.As(err, &uy) {
		t.Errorf("zero calendar: err = %v", err)
	}
}

func TestLoadFileAddsYear(t *testing.T) {
	dir := t.TempDir()
	// A 2027 notice in holiday-cn format, including a late-December 2026
	// make-up day as such files can carry.
	file := filepath.Join(dir, "2027.json")
	data := `{"year": 2027, "papers": [], "days": [
		{"name": "元旦", "date": "2026-12-27", "isOffDay": false},
		{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
		{"name": "春节", "date": "2027-02-06", "isOffDay": false}
	]}`
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	c := Default()
	if err := c.LoadFile(file); err != nil {
		t.Fatal(err)
	}
	if !c.KnowsYear(2027) {
		t.Fatal("2027 not known after LoadFile")
	}
	cases := map[string]bool{
		"2026-12-27": true,  // Sunday made a working day by the 2027 notice
		"2026-12-28": true,  // ordinary Monday, now certain
		"2027-01-01": false, // listed holiday
		"2027-02-06": true,  // listed make-up Saturday
		"2027-03-01": true,  // unlisted Monday
		"2027-03-06": false, // unlisted Saturday
	}
	for s, want := range cases {
		got, err := c.IsWorkday(d(s))
		if err != nil || got != want {
			t.Errorf("IsWorkday(%s) = %v, %v; want %v", s, got, err, want)
		}
	}
	// Default copies are independent: another caller still lacks 2027.
	if Default().KnowsYear(2027) {
		t.Error("LoadFile on one calendar leaked into Default()")
	}
	// Reloading a year replaces that notice's days.
	replacement := `{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-04", "isOffDay": true}]}`
	if err := c.Load([]byte(replacement), "r.json"); err != nil {
		t.Fatal(err)
	}
	if w, _ := c.IsWorkday(d("2027-01-01")); !w {
		t.Error("2027-01-01 should follow Mon–Fri after the replacement")
	}
	if w, _ := c.IsWorkday(d("2027-01-04")); w {
		t.Error("2027-01-04 should be off after the replacement")
	}
}

func TestLoadRejectsBrokenFiles(t *testing.T) {
	cases := map[string]string{
		"not json":        `{`,
		"no year":         `{"days": []}`,
		"bad date":        `{"year": 2027, "days": [{"name": "x", "date": "2027-02-30", "isOffDay": true}]}`,
		"missing flag":    `{"year": 2027, "days": [{"name": "x", "date": "2027-02-03"}]}`,
		"foreign year":    `{"year": 2027, "days": [{"name": "x", "date": "2025-10-01", "isOffDay": true}]}`,
		"duplicated date": `{"year": 2027, "days": [{"name": "x", "date": "2027-01-01", "isOffDay": true}, {"name": "x", "date": "2027-01-01", "isOffDay": false}]}`,
	}
	for name, data := range cases {
		c := Default()
		err := c.Load([]byte(data), "user.json")
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), "user.json") {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
		if c.KnowsYear(2027) {
			t.Errorf("%s: a rejected file made 2027 known", name)
		}
	}
	if err := Default().LoadFile(filepath.Join(t.TempDir(), "absent.json")); err == nil {
		t.Error("missing file accepted")
	}
}

func TestEveryEmbeddedListedDayIsApplied(t *testing.T) {
	// Cross-check the loader against the raw files: every listed day of a
	// known year answers as listed.
	c := Default()
	n := 0
	for date, e := range c.days {
		if !c.KnowsYear(date.Year()) {
			continue
		}
		w, err := c.IsWorkday(date)
		if err != nil {
			t.Fatalf("%s: %v", date, err)
		}
		if w == e.off {
			t.Errorf("%s: IsWorkday=%v but listed isOffDay=%v", date, w, e.off)
		}
		n++
	}
	if n < 250 {
		t.Errorf("only %d listed days; embedded data incomplete?", n)
	}
	if c.HolidayName(d("2020-10-01")) != "国庆节、中秋节" {
		t.Errorf("HolidayName(2020-10-01) = %q", c.HolidayName(d("2020-10-01")))
	}
}
