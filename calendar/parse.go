package calendar

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var (
	// 2020-07-27, 2020/7/27, 2020.7.27 — one separator used twice.
	numericDate = regexp.MustCompile(`^(\d{4})\s*([-/.])\s*(\d{1,2})\s*([-/.])\s*(\d{1,2})`)
	// 2020年7月27日, 2020年07月27 (日 is sometimes dropped before a time).
	chineseDate = regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?`)
	// 07-27, 7/27, 7月27日 — list pages often drop the year.
	monthDay = regexp.MustCompile(`^(\d{1,2})\s*(?:([-/.])|月)\s*(\d{1,2})\s*日?`)
	// What may follow a date: a time of day, optionally with seconds and
	// fractions (zones are handled by parseZoned). It must be separated from
	// a numeric date by a space or T, so that 2020-07-271 is not 27 + "1".
	timeTail    = regexp.MustCompile(`^(?:\s*[Tt]?\s*\d{1,2}\s*[:时]\s*\d{1,2}(?:\s*[:分]\s*\d{1,2}(?:\.\d+)?\s*秒?)?\s*分?)?$`)
	epochMillis = regexp.MustCompile(`^\d{13}$`)
)

// ParseDate reads a full date in any form found on government sites and in
// office spreadsheets: 2020-07-27, 2020-7-27, 2020/7/27, 2020.7.27,
// 2020年7月27日, [2020-07-27], with a trailing time (2019-09-18 06:23,
// 06:23:45), full-width digits, RFC 3339 with a zone (converted to China
// time), or epoch milliseconds (13 digits, read in China time).
// Impossible dates such as 2020-02-30 are errors.
func ParseDate(s string) (Date, error) {
	in := s
	s = normaliseDateText(s)
	if s == "" {
		return 0, fmt.Errorf("日期为空")
	}
	if epochMillis.MatchString(s) {
		ms, _ := strconv.ParseInt(s, 10, 64)
		d := FromTime(time.UnixMilli(ms).In(China))
		if err := checkYear(d.Year(), in); err != nil {
			return 0, err
		}
		return d, nil
	}
	if d, ok := parseZoned(s); ok {
		return d, checkYear(d.Year(), in)
	}
	var y, m, dd, rest string
	if g := numericDate.FindStringSubmatch(s); g != nil && g[2] == g[4] {
		y, m, dd, rest = g[1], g[3], g[5], s[len(g[0]):]
	} else if g := chineseDate.FindStringSubmatch(s); g != nil {
		y, m, dd, rest = g[1], g[2], g[3], s[len(g[0]):]
	} else {
		return 0, fmt.Errorf("无法识别的日期 %q", in)
	}
	if !validTail(rest, s[:len(s)-len(rest)]) {
		return 0, fmt.Errorf("无法识别的日期 %q", in)
	}
	yi, _ := strconv.Atoi(y)
	return makeDate(yi, m, dd, in)
}

// ParseListDate is ParseDate that also accepts a month and day without a
// year (07-27, 7/27, 7月27日), as list pages print them; the year is the
// latest one that puts the date on or before ref (the day the list was
// read), since a list cannot show a future publication.
func ParseListDate(s string, ref Date) (Date, error) {
	if d, err := ParseDate(s); err == nil {
		return d, nil
	}
	in := s
	s = normaliseDateText(s)
	g := monthDay.FindStringSubmatch(s)
	if g == nil || !validTail(s[len(g[0]):], g[0]) {
		return 0, fmt.Errorf("无法识别的日期 %q", in)
	}
	if ref.IsZero() {
		return 0, fmt.Errorf("日期 %q 没有年份，且没有参考日期", in)
	}
	// Walk back at most 8 years: enough to find a leap year for 02-29.
	var firstErr error
	for y := ref.Year(); y >= ref.Year()-8; y-- {
		d, err := makeDate(y, g[1], g[3], in)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if d <= ref {
			return d, nil
		}
	}
	if firstErr == nil {
		firstErr = fmt.Errorf("无法确定日期 %q 的年份", in)
	}
	return 0, firstErr
}

// validTail reports whether rest, the text after the date part head, is
// empty or a time of day properly separated from the date.
func validTail(rest, head string) bool {
	if rest == "" {
		return true
	}
	if !strings.HasSuffix(head, "日") && !strings.HasSuffix(head, " ") && rest[0] != ' ' && rest[0] != 'T' && rest[0] != 't' {
		return false
	}
	return timeTail.MatchString(rest)
}

func makeDate(y int, ms, ds, in string) (Date, error) {
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if err := checkYear(y, in); err != nil {
		return 0, err
	}
	if m < 1 || m > 12 {
		return 0, fmt.Errorf("日期 %q 的月份 %d 不存在", in, m)
	}
	if d < 1 || d > daysIn(y, time.Month(m)) {
		return 0, fmt.Errorf("日期 %q 不存在: %d年%d月没有%d日", in, y, m, d)
	}
	return Of(y, time.Month(m), d), nil
}

// checkYear keeps dates in a range where YYYY-MM-DD round-trips and that
// can be a disclosure: anything else is a typo or a misread number.
func checkYear(y int, in string) error {
	if y < 1900 || y > 2199 {
		return fmt.Errorf("日期 %q 的年份 %d 超出范围 (1900–2199)", in, y)
	}
	return nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseZoned handles RFC 3339 timestamps with an explicit zone: the date is
// the civil date in China at that instant.
func parseZoned(s string) (Date, bool) {
	if !strings.ContainsAny(s, "Zz+") && strings.Count(s, "-") < 3 {
		return 0, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return FromTime(t.In(China)), true
		}
	}
	return 0, false
}

// normaliseDateText folds full-width characters to ASCII, the ideographic
// space to a space, trims, and removes one pair of surrounding brackets
// ([2020-07-27], 【2020-07-27】, (2020-07-27)).
func normaliseDateText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000 || unicode.IsSpace(r):
			r = ' '
		case r == '【' || r == '〔' || r == '［':
			r = '['
		case r == '】' || r == '〕' || r == '］':
			r = ']'
		}
		b.WriteRune(r)
	}
	s = strings.TrimSpace(b.String())
	for _, p := range [][2]string{{"[", "]"}, {"(", ")"}} {
		if strings.HasPrefix(s, p[0]) && strings.HasSuffix(s, p[1]) {
			s = strings.TrimSpace(s[1 : len(s)-1])
			break
		}
	}
	return s
}
