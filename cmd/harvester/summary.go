package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"gongkai/calendar"
	"gongkai/internal/texttable"
	"gongkai/sources/credit"
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
	var table [][]string
	var total harvest.Summary
	total.Complete = true
	for _, r := range rows {
		total.Add(r)
		table = append(table, []string{r.County, itoa(r.Pages), itoa(r.NotModified), itoa(r.New), itoa(r.Changed), itoa(r.Withdrawn), itoa(r.Errors), yesNo(r)})
	}
	if len(rows) > 1 {
		table = append(table, []string{"合计", itoa(total.Pages), itoa(total.NotModified), itoa(total.New), itoa(total.Changed), itoa(total.Withdrawn), itoa(total.Errors), yesNo(total)})
	}
	texttable.Write(w, header, table, 0)
	for _, s := range sums {
		if line := creditLine(s); line != "" {
			fmt.Fprintln(w)
			fmt.Fprintln(w, line)
		}
	}

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
		if s.County == "" && (s.Credit != nil && s.Credit.Targets == 0 || s.Credit == nil && s.Pages == 0 && len(s.Columns) == 0) && !s.Interrupted {
			notes = append(notes, fmt.Sprintf("%s: 存储中没有需要在该系统查询的应公开记录（先用 reporter import 导入记录，下次采集时查询）", where))
		}
		if s.DeadLinks > 0 {
			notes = append(notes, fmt.Sprintf("%s: 检查正文中的站内链接 %d 个，其中 %d 个失效（见报告的栏目健康）", where, s.LinksChecked, s.DeadLinks))
		}
		for _, c := range s.Columns {
			if c.Complete {
				if c.Blank {
					notes = append(notes, fmt.Sprintf("%s「%s」为空栏目：站点显示暂无信息，没有任何条目", where, c.Column))
				}
				continue
			}
			msg := fmt.Sprintf("%s「%s」未完整采集：%s（列表页失败 %d，详情失败 %d）", where, c.Column, c.Why(), c.ListFailed, c.DetailsFailed)
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

// creditLine says what the credit sweep looked up and what it judged on
// earlier observations ("" for other sources, or when there was nothing
// to look up), e.g. 信用查询：本次查询 3 家（上次未能查看 2、新到期 1），沿用上次观察 120 家（最早 …）.
func creditLine(s harvest.Summary) string {
	c := s.Credit
	if c == nil || c.Targets == 0 {
		return ""
	}
	var why []string
	for _, r := range credit.Reasons {
		if n := c.Why[r]; n > 0 {
			why = append(why, fmt.Sprintf("%s %d", r.Label(), n))
		}
	}
	line := fmt.Sprintf("%s: 信用查询：本次查询 %d 家", s.Source, c.Looked)
	if len(why) > 0 {
		line += "（" + strings.Join(why, "、") + "）"
	}
	if n := c.Planned() - c.Looked; n > 0 {
		line += fmt.Sprintf("，%d 家因中断未查询", n)
	}
	if c.Carried > 0 {
		line += fmt.Sprintf("，沿用上次观察 %d 家（最早一次查询于 %s；每 full_every 次采集或 --full 时全部重查）",
			c.Carried, c.OldestCarried.In(calendar.China).Format("2006-01-02 15:04"))
	}
	return line
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
