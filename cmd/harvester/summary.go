package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"gongkai/sources/harvest"
)

// countyRows totals the sources' summaries per county (the credit system
// gets its own row), in the order the summaries come.
func countyRows(sums []harvest.Summary) []harvest.Summary {
	var rows []harvest.Summary
	index := map[string]int{}
	for _, s := range sums {
		name := s.County
		if name == "" {
			name = s.Source
		}
		i, ok := index[name]
		if !ok {
			i = len(rows)
			index[name] = i
			rows = append(rows, harvest.Summary{County: name, Complete: true})
		}
		rows[i].Add(s)
	}
	return rows
}

// printSummary writes the end-of-run table: per county 页面, 新增, 变更,
// 撤下, 错误, 完整; then what was not observed.
func printSummary(w io.Writer, sums []harvest.Summary) {
	rows := countyRows(sums)
	header := []string{"县区/来源", "页面", "未变", "新增", "变更", "撤下", "错误", "完整"}
	table := [][]string{header}
	var total harvest.Summary
	total.Complete = true
	for _, r := range rows {
		total.Add(r)
		table = append(table, []string{r.County, itoa(r.Pages), itoa(r.NotModified), itoa(r.New), itoa(r.Changed), itoa(r.Withdrawn), itoa(r.Errors), yesNo(r)})
	}
	if len(rows) > 1 {
		table = append(table, []string{"合计", itoa(total.Pages), itoa(total.NotModified), itoa(total.New), itoa(total.Changed), itoa(total.Withdrawn), itoa(total.Errors), yesNo(total)})
	}
	writeTable(w, table)

	var notes []string
	for _, s := range sums {
		where := s.County
		if where == "" {
			where = s.Source
		} else {
			where += " " + s.Source
		}
		if s.Interrupted {
			notes = append(notes, fmt.Sprintf("%s: 采集被中断，已完成的部分已保存，下次运行继续", where))
		}
		if s.County == "" && s.Pages == 0 && len(s.Columns) == 0 && !s.Interrupted {
			notes = append(notes, fmt.Sprintf("%s: 存储中没有需要在该系统查询的应公开记录（先用 reporter import 导入记录，下次采集时查询）", where))
		}
		for _, c := range s.Columns {
			if c.Complete {
				continue
			}
			msg := fmt.Sprintf("%s「%s」未完整采集: 列表页失败 %d，详情失败 %d", where, c.Column, c.ListFailed, c.DetailsFailed)
			notes = append(notes, msg)
			for i, e := range c.Errors {
				if i == 3 {
					notes = append(notes, fmt.Sprintf("    …… 另有 %d 条", len(c.Errors)-3))
					break
				}
				notes = append(notes, "    "+e)
			}
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintln(w, n)
		}
		fmt.Fprintln(w, "\n未完整采集的栏目在报告中标为“待核实”，不会判为未公开。")
	}
}

func yesNo(s harvest.Summary) string {
	switch {
	case s.Interrupted:
		return "中断"
	case s.Complete:
		return "是"
	}
	return "否"
}

func itoa(n int) string { return strconv.Itoa(n) }

// writeTable aligns columns by display width (CJK characters are two
// columns wide on a terminal); numbers are right-aligned.
func writeTable(w io.Writer, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], displayWidth(c))
			}
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-displayWidth(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if i > 0 && isNumber(c) {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c)
				if i < len(r)-1 {
					b.WriteString(pad)
				}
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// displayWidth counts East Asian wide characters as two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r < 0x1100:
		return 1
	case unicode.Is(unicode.Han, r),
		r >= 0x1100 && r <= 0x115F, // Hangul Jamo
		r >= 0x2E80 && r <= 0xA4CF, // CJK radicals … Yi
		r >= 0xAC00 && r <= 0xD7A3, // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF, // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60, // full-width forms
		r >= 0xFFE0 && r <= 0xFFE6:
		return 2
	}
	return 1
}
