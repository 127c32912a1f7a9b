// Package calendar knows mainland-China working days: which days are worked
// (statutory holidays and make-up working days included) and how to count
// them for disclosure deadlines. It also owns the civil Date type used across
// gongkai, and the parser for the date forms that appear on government sites.
package calendar

import (
	"fmt"
	"time"
)

// Date is a civil date without time zone. The zero Date means "unknown".
// It is stored as days since 1970-01-01 plus one, so that the zero value is
// distinguishable from 1970-01-01 and dates compare with < and ==.
type Date int32

// Of returns the date y-m-d (normalised the way time.Date normalises).
func Of(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(t.Unix()/86400 + 1)
}

// FromTime returns the civil date of t in t's location.
func FromTime(t time.Time) Date {
	if t.IsZero() {
		return 0
	}
	return Of(t.Year(), t.Month(), t.Day())
}

// IsZero reports whether d is the unknown date.
func (d Date) IsZero() bool { return d == 0 }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Unix(int64(d-1)*86400, 0).UTC() }

// Year, Month and Day return the parts of d.
func (d Date) Year() int             { return d.Time().Year() }
func (d Date) Month() time.Month     { return d.Time().Month() }
func (d Date) Day() int              { return d.Time().Day() }
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// AddDays returns d moved by n calendar days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return d.Time().Format("2006-01-02")
}

// Chinese formats d the way users write dates: 2020年7月27日.
func (d Date) Chinese() string {
	if d == 0 {
		return ""
	}
	t := d.Time()
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// MarshalText writes YYYY-MM-DD (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := ParseISO(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseISO parses exactly YYYY-MM-DD.
func ParseISO(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, fmt.Errorf("不是 YYYY-MM-DD 格式的日期: %q", s)
	}
	return FromTime(t), nil
}
