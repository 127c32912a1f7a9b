package calendar

import (
	"fmt"
	"time"
)

// Bounds on working days the loaded notices do not settle.
//
// Until the State Council publishes next year's holiday notice (usually in
// November or December), the days it will govern — the whole next year, and
// the last week of December, where the New Year holiday's make-up days can
// fall — are unknown. gongkai does not guess them; it bounds them:
//
//   - at the earliest, every unknown day is a working day (a make-up day
//     can turn a weekend into one, nothing makes a day more than worked);
//   - at the latest, Saturdays and Sundays are off (a weekend is never
//     less than off), and Monday to Friday are worked except that each
//     festival of 《全国年节及纪念日放假办法》 (2024 revision) may take up to
//     its budget of weekdays inside its window (festivalWindows): its
//     statutory days plus the weekdays a 调休 moves next to them.
//
// The windows and budgets are wider than every notice 2019–2026 (the test
// TestFestivalBudgetsCoverEveryNotice checks each one): 春节 never took
// more than 6 weekdays (2020, 2025, 2026), 国庆节 with 中秋节 6.

// festivalWindow is where a festival's holiday run can fall in the Gregorian
// year and how many weekdays it can take off.
type festivalWindow struct {
	name     string
	fromM    time.Month
	fromD    int
	toM      time.Month
	toD      int
	weekdays int
}

var festivalWindows = []festivalWindow{
	// The New Year run can start in the old year (2018-12-30 … 2019-01-01).
	{"元旦", time.December, 28, time.January, 4, 3},
	// 除夕 falls between 20 January and 19 February; runs start up to two
	// days before it and last up to nine days.
	{"春节", time.January, 18, time.February, 28, 7},
	{"清明节", time.April, 2, time.April, 8, 2},
	{"劳动节", time.April, 28, time.May, 8, 5},
	// 端午 falls between 28 May and 25 June.
	{"端午节", time.May, 26, time.June, 28, 2},
	// 中秋 falls between 7 September and 6 October, sometimes joined to 国庆节.
	{"中秋节", time.September, 6, time.October, 8, 2},
	{"国庆节", time.September, 27, time.October, 10, 7},
}

// festivalYear returns the year whose run of window w covers d, or false
// when d is outside the window.
func (w festivalWindow) festivalYear(d Date) (int, bool) {
	y, m, day := d.Year(), d.Month(), d.Day()
	from, to := mdKey(w.fromM, w.fromD), mdKey(w.toM, w.toD)
	md := mdKey(m, day)
	if from <= to {
		return y, md >= from && md <= to
	}
	// A window across the year's end belongs to the year it ends in.
	switch {
	case md >= from:
		return y + 1, true
	case md <= to:
		return y, true
	}
	return 0, false
}

func mdKey(m time.Month, d int) int { return int(m)*100 + d }

// known reports whether the loaded notices settle whether d is worked (the
// same rule as Check, without building an error).
func (c *Calendar) known(d Date) bool {
	y := d.Year()
	if !c.years[y] {
		return false
	}
	if d.Month() == time.December && d.Day() >= lateDecember && !c.years[y+1] {
		_, listed := c.days[d]
		return listed
	}
	return true
}

// holidayBudget tracks, over one walk through unknown days, how many
// weekdays each festival may still take.
type holidayBudget map[[2]int]int // (festival index, year) → weekdays taken

// takes reports whether the unknown weekday d is counted off at the latest:
// the first festival window covering d whose budget is not spent takes it.
// Taking the earliest weekdays of a window delays a count the most.
func (b holidayBudget) takes(d Date) bool {
	for i, w := range festivalWindows {
		y, ok := w.festivalYear(d)
		if !ok {
			continue
		}
		k := [2]int{i, y}
		if b[k] < w.weekdays {
			b[k]++
			return true
		}
	}
	return false
}

// workedAtLatest reports whether d counts as worked in the latest-case
// calendar: known days as they are, unknown ones per the budget.
func (c *Calendar) workedAtLatest(d Date, b holidayBudget) bool {
	if c.known(d) {
		return c.isWorkday(d)
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !b.takes(d)
}

// DueRange is a due date as far as the loaded holiday notices can tell:
// exact when Earliest == Latest.
type DueRange struct {
	Earliest, Latest Date
	// Unknown is the first day the count met whose working status the
	// loaded notices do not settle (zero when exact).
	Unknown Date
}

// Exact reports whether the loaded notices fix the due date.
func (r DueRange) Exact() bool { return r.Earliest == r.Latest }

// UnknownYear is the notice year the range waits for (0 when exact): the
// year of the first unknown day, or the next one for late December.
func (r DueRange) UnknownYear() int {
	if r.Unknown.IsZero() {
		return 0
	}
	if r.Unknown.Month() == time.December && r.Unknown.Day() >= lateDecember {
		return r.Unknown.Year() + 1
	}
	return r.Unknown.Year()
}

// DueRange returns the n-th working day after d (n ≥ 0, d not counted, as
// AddWorkdays) when the loaded notices settle every day the count passes;
// otherwise the earliest and latest it can be (see the bounds above). It
// errs only on a zero date or a negative n: where AddWorkdays refuses an
// unknown year, DueRange bounds it.
func (c *Calendar) DueRange(d Date, n int) (DueRange, error) {
	if d.IsZero() {
		return DueRange{}, fmt.Errorf("日期为空")
	}
	if n < 0 {
		return DueRange{}, fmt.Errorf("工作日数不能为负: %d", n)
	}
	var r DueRange
	// Earliest: unknown days worked.
	e := d
	for k := n; k > 0; {
		e = e.AddDays(1)
		if !c.known(e) {
			if r.Unknown.IsZero() {
				r.Unknown = e
			}
			k--
			continue
		}
		if c.isWorkday(e) {
			k--
		}
	}
	r.Earliest = e
	if r.Unknown.IsZero() {
		r.Latest = e
		return r, nil
	}
	budget := holidayBudget{}
	l := d
	for k := n; k > 0; {
		l = l.AddDays(1)
		if c.workedAtLatest(l, budget) {
			k--
		}
	}
	r.Latest = l
	return r, nil
}

// WorkdaysAtLeast counts the working days in (a, b] (b ≥ a) as
// WorkdaysBetween does when the loaded notices settle every day of it
// (exact true); otherwise it returns the fewest there can be — unknown days
// counted as in the latest-case calendar — and exact false.
func (c *Calendar) WorkdaysAtLeast(a, b Date) (n int, exact bool) {
	exact = true
	budget := holidayBudget{}
	for d := a + 1; d <= b; d++ {
		if !c.known(d) {
			exact = false
		}
		if c.workedAtLatest(d, budget) {
			n++
		}
	}
	return n, exact
}
