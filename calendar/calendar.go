package calendar

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"sort"
	"sync"
	"time"
)

// The State Council's holiday notices 2019–2026 in NateScarlet/holiday-cn
// format (MIT; see holidays/SOURCE).
//
//go:embed holidays/*.json
var embeddedHolidays embed.FS

// UnknownYearError is returned when a question needs a year for which no
// holiday notice was loaded. gongkai never guesses working days: a wrong
// guess would turn into a false "late" finding against a county.
type UnknownYearError struct {
	Year int
	// Reason says why the year is needed when it is not the date's own year
	// (late December depends on the next year's notice).
	Reason string
}

func (e *UnknownYearError) Error() string {
	msg := fmt.Sprintf("没有 %d 年的节假日安排数据，无法计算工作日", e.Year)
	if e.Reason != "" {
		msg += "（" + e.Reason + "）"
	}
	return msg + "；请用 holiday-cn 格式的文件补充该年数据"
}

// dayEntry is one day listed in a holiday notice.
type dayEntry struct {
	off    bool // true: a holiday; false: a make-up working day (调休上班)
	name   string
	notice int // the notice year (file) that listed the day
}

// Calendar answers working-day questions for the years whose holiday
// notice it holds. The zero Calendar knows no year; use Default.
// A Calendar is safe for concurrent readers once loading is finished.
type Calendar struct {
	days  map[Date]dayEntry
	years map[int]bool // notice years loaded: a year is known only if its own file was
}

// holidayFile is the holiday-cn file format.
type holidayFile struct {
	Year   *int     `json:"year"`
	Papers []string `json:"papers"`
	Days   []struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay *bool  `json:"isOffDay"`
	} `json:"days"`
}

var (
	defaultOnce sync.Once
	defaultCal  *Calendar
)

// Default returns a calendar with the embedded 2019–2026 data. Each call
// returns a fresh copy, so LoadFile on it does not affect other callers.
func Default() *Calendar {
	defaultOnce.Do(func() {
		c := &Calendar{}
		entries, err := embeddedHolidays.ReadDir("holidays")
		if err != nil {
			panic("calendar: embedded holidays missing: " + err.Error())
		}
		for _, e := range entries {
			name := path.Join("holidays", e.Name())
			data, err := embeddedHolidays.ReadFile(name)
			if err != nil {
				panic("calendar: " + err.Error())
			}
			if err := c.Load(data, name); err != nil {
				panic("calendar: embedded data invalid: " + err.Error())
			}
		}
		defaultCal = c
	})
	return defaultCal.clone()
}

func (c *Calendar) clone() *Calendar {
	out := &Calendar{days: make(map[Date]dayEntry, len(c.days)), years: make(map[int]bool, len(c.years))}
	for k, v := range c.days {
		out.days[k] = v
	}
	for k, v := range c.years {
		out.years[k] = v
	}
	return out
}

// LoadFile adds (or replaces) one year from a file in holiday-cn format,
// e.g. a 2027.json written after the State Council's notice for 2027.
func (c *Calendar) LoadFile(filename string) error {
	data, err := os.ReadFile(filename)
	if err != nil {
		return fmt.Errorf("读取节假日文件失败: %w", err)
	}
	return c.Load(data, filename)
}

// Load adds (or replaces) one notice year from holiday-cn JSON; name is used
// in error messages. Loading a year that is already known replaces the days
// that year's notice listed before.
func (c *Calendar) Load(data []byte, name string) error {
	var f holidayFile
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%s: 不是 holiday-cn 格式的 JSON: %v", name, err)
	}
	if f.Year == nil {
		return fmt.Errorf("%s: 缺少 year 字段", name)
	}
	year := *f.Year
	if year < 1949 || year > 2200 {
		return fmt.Errorf("%s: year %d 不合理", name, year)
	}
	parsed := make(map[Date]dayEntry, len(f.Days))
	for i, d := range f.Days {
		date, err := ParseISO(d.Date)
		if err != nil {
			return fmt.Errorf("%s: days[%d]: %v", name, i, err)
		}
		if d.IsOffDay == nil {
			return fmt.Errorf("%s: days[%d] (%s): 缺少 isOffDay", name, i, d.Date)
		}
		// A notice covers its own year and, for the New Year holiday, the
		// end of December before it; anything else is a broken file.
		if date.Year() != year && !(date.Year() == year-1 && date.Month() == time.December) {
			return fmt.Errorf("%s: days[%d]: 日期 %s 不属于 %d 年的节假日安排", name, i, d.Date, year)
		}
		if _, dup := parsed[date]; dup {
			return fmt.Errorf("%s: days[%d]: 日期 %s 重复", name, i, d.Date)
		}
		parsed[date] = dayEntry{off: *d.IsOffDay, name: d.Name, notice: year}
	}
	if c.days == nil {
		c.days = map[Date]dayEntry{}
		c.years = map[int]bool{}
	}
	for d, e := range c.days {
		if e.notice == year {
			delete(c.days, d)
		}
	}
	for d, e := range parsed {
		c.days[d] = e
	}
	c.years[year] = true
	return nil
}

// Years returns the notice years the calendar holds, ascending.
func (c *Calendar) Years() []int {
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// KnowsYear reports whether the notice for year y was loaded.
func (c *Calendar) KnowsYear(y int) bool { return c.years[y] }

// lateDecember is the first December day that the next year's notice can
// change: the New Year holiday's make-up working days fall on the last
// weekend of December (e.g. 2018-12-29 was worked under the 2019 notice),
// and the last Saturday of December is never before the 25th.
const lateDecember = 25

// Check returns an *UnknownYearError if the calendar cannot tell whether d
// is a working day: its year's notice is missing, or d is in the last week
// of December and the next year's notice (which may move days there) is.
func (c *Calendar) Check(d Date) error {
	if d.IsZero() {
		return fmt.Errorf("日期为空")
	}
	y := d.Year()
	if !c.years[y] {
		return &UnknownYearError{Year: y}
	}
	if d.Month() == time.December && d.Day() >= lateDecember && !c.years[y+1] {
		if _, listed := c.days[d]; !listed {
			return &UnknownYearError{Year: y + 1, Reason: fmt.Sprintf("%s 可能因 %d 年元旦调休而改变", d, y+1)}
		}
	}
	return nil
}

// IsWorkday reports whether d is a working day: listed make-up days are
// worked, listed holidays are not, other days follow Monday–Friday.
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	if err := c.Check(d); err != nil {
		return false, err
	}
	return c.isWorkday(d), nil
}

func (c *Calendar) isWorkday(d Date) bool {
	if e, ok := c.days[d]; ok {
		return !e.off
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// HolidayName returns the holiday or make-up day name listed for d (春节,
// 国庆节 …), or "" for an ordinary day.
func (c *Calendar) HolidayName(d Date) string { return c.days[d].name }

// AddWorkdays returns the n-th working day after d, the day d itself not
// counted (民法典 Art. 201): the due date of something formed on d with a
// limit of n working days. n = 0 gives d; negative n counts backwards.
func (c *Calendar) AddWorkdays(d Date, n int) (Date, error) {
	if err := c.Check(d); err != nil {
		return 0, err
	}
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if err := c.Check(d); err != nil {
			return 0, err
		}
		if c.isWorkday(d) {
			n--
		}
	}
	return d, nil
}

// WorkdaysBetween counts the working days in (a, b]: how many working days
// after a the day b is. It is negative when b is before a, so that
// WorkdaysBetween(due, published) > 0 means published late by that many
// working days.
func (c *Calendar) WorkdaysBetween(a, b Date) (int, error) {
	if b < a {
		n, err := c.WorkdaysBetween(b, a)
		return -n, err
	}
	if err := c.Check(a); err != nil {
		return 0, err
	}
	n := 0
	for d := a + 1; d <= b; d++ {
		if err := c.Check(d); err != nil {
			return 0, err
		}
		if c.isWorkday(d) {
			n++
		}
	}
	return n, nil
}
