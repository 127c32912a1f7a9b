package main

import (
	"io"
	"strconv"
	"strings"

	"gongkai/audit"
	"gongkai/internal/texttable"
)

// writeFindingsTable writes findings as the query command's terminal
// table, then a line counting them by status.
func writeFindingsTable(w io.Writer, findings []audit.Finding) error {
	header := []string{"县区", "事项", "编号", "渠道", "状态", "形成日期", "应公开日期", "公开日期", "逾期工作日", "问题", "名称"}
	rows := make([][]string, len(findings))
	count := map[audit.Status]int{}
	for i := range findings {
		f := &findings[i]
		late := ""
		if f.Status == audit.Late {
			late = strconv.Itoa(f.LateWorkdays)
		}
		var problems []string
		for _, k := range audit.FlagKinds(*f) {
			if k != f.Status.Label() {
				problems = append(problems, k)
			}
		}
		rows[i] = []string{f.County, f.Item, f.RecordNo, f.Channel, f.Status.Label(), f.FormedOn, f.Due, f.Published, late, strings.Join(problems, "、"), f.Title}
		count[f.Status]++
	}
	if err := texttable.Write(w, header, rows, 40); err != nil {
		return err
	}
	var parts []string
	for _, s := range audit.Statuses {
		if count[s] > 0 {
			parts = append(parts, s.Label()+" "+strconv.Itoa(count[s]))
		}
	}
	summary := "共 " + strconv.Itoa(len(findings)) + " 条"
	if len(parts) > 0 {
		summary += "：" + strings.Join(parts, "，")
	}
	_, err := io.WriteString(w, summary+"\n")
	return err
}
