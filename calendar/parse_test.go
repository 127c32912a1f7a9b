package calendar

import (
	"testing"
)

func TestParseDateForms(t *testing.T) {
	cases := map[string]string{
		"2020-07-27":                "2020-07-27",
		"2020-7-27":                 "2020-07-27",
		"2020-7-7":                  "2020-07-07",
		"2020/7/27":                 "2020-07-27",
		"2020/07/27":                "2020-07-27",
		"2020.7.27":                 "2020-07-27",
		"2025年08月26日":               "2025-08-26",
		"2025年8月26日":                "2025-08-26",
		"2025 年 8 月 26 日":           "2025-08-26",
		"2025年8月26":                 "2025-08-26",
		"[2020-07-27]":              "2020-07-27",
		"【2020-07-27】":              "2020-07-27",
		"(2020-07-27)":              "2020-07-27",
		" 2020-07-27 ":              "2020-07-27",
		"2019-09-18 06:23":          "2019-09-18",
		"2019-09-18 06:23:45":       "2019-09-18",
		"2019-09-18T06:23:45":       "2019-09-18",
		"2019-09-18 06:23:45.0":     "2019-09-18",
		"2020年7月27日 10:30":          "2020-07-27",
		"2020年7月27日10时30分":          "2020-07-27",
		"２０２０－０７－２７":                "2020-07-27",
		"２０２０年７月２７日":                "2020-07-27",
		"2020　年7月27日":               "2020-07-27",
		"2020-02-29":                "2020-02-29",
		"1595779200000":             "2020-07-27", // 2020-07-26T16:00:00Z = 00:00 in China
		"1595865599000":             "2020-07-27", // 23:59:59 China time
		"2020-07-26T16:00:00Z":      "2020-07-27",
		"2020-07-27T08:00:00+08:00": "2020-07-27",
	}
	for in, want := range cases {
		got, err := ParseDate(in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", in, err)
			continue
		}
		if got.String() != want {
			t.Errorf("ParseDate(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestParseDateRejects(t *testing.T) {
	for _, in := range []string{
		"", "   ", "2020-02-30", "2021-02-29", "2020-13-01", "2020-00-10", "2020-07-00",
		"2020-07-32", "07-27", "2020-07", "2020/07-27", "2020-07-271", "20200727",
		"159577920000", "2020-07-27 abc", "二〇二〇年七月", "1800-01-01", "2020-07-27 25",
		"发布时间：2020-07-27", "2020年13月1日",
	} {
		if d, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %s, want an error", in, d)
		}
	}
}

func TestParseListDate(t *testing.T) {
	ref := Of(2020, 3, 15)
	cases := map[string]string{
		"03-15":      "2020-03-15",
		"03-14":      "2020-03-14",
		"3/16":       "2019-03-16", // after ref: last year
		"12-31":      "2019-12-31",
		"7月27日":      "2019-07-27",
		"02-29":      "2020-02-29",
		"2018-05-01": "2018-05-01", // full dates pass through
		"[01-02]":    "2020-01-02",
	}
	for in, want := range cases {
		got, err := ParseListDate(in, ref)
		if err != nil {
			t.Errorf("ParseListDate(%q): %v", in, err)
			continue
		}
		if got.String() != want {
			t.Errorf("ParseListDate(%q) = %s, want %s", in, got, want)
		}
	}
	// 02-29 seen in 2021 belongs to 2020, the last leap year.
	if got, err := ParseListDate("02-29", Of(2021, 6, 1)); err != nil || got.String() != "2020-02-29" {
		t.Errorf("02-29 in 2021: %s %v", got, err)
	}
	for _, in := range []string{"02-30", "13-01", "x", ""} {
		if got, err := ParseListDate(in, ref); err == nil {
			t.Errorf("ParseListDate(%q) = %s, want error", in, got)
		}
	}
	if _, err := ParseListDate("03-01", 0); err == nil {
		t.Error("no reference date accepted")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2020-07-27", "2020/7/27", "2020年7月27日", "[2020-07-27]",
		"2019-09-18 06:23:45", "1595779200000", "２０２０．７．２７", "2020-07-26T16:00:00Z", "07-27"} {
		f.Add(s)
	}
	ref := Of(2020, 12, 31)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err == nil {
			back, err := ParseDate(d.String())
			if err != nil || back != d {
				t.Fatalf("ParseDate(%q) = %s does not round-trip: %s %v", s, d, back, err)
			}
			if back2, err := ParseISO(d.String()); err != nil || back2 != d {
				t.Fatalf("ParseISO(%s) = %s %v", d, back2, err)
			}
		}
		if ld, err := ParseListDate(s, ref); err == nil {
			if back, err := ParseDate(ld.String()); err != nil || back != ld {
				t.Fatalf("ParseListDate(%q) = %s does not round-trip", s, ld)
			}
		}
	})
}
