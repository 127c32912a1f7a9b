package reports

import (
	"io"
	"strings"

	"gongkai/internal/texttable"
)

// RenderFindingsTable writes findings as the query command's table, then
// a line counting them by status.
func RenderFindingsTable(w io.Writer, findings []Finding) error {
	header := []string{"县区", "事项", "编号", "渠道", "状态", "形成日期", "应公开日期", "公开日期", "逾期工作日", "问题", "名称"}
	rows := make([][]string, len(findings))
	count := map[Status]int{}
	for i := range findings {
		f := &findings[i]
		late := ""
		if f.Status == Late {
			late = csvCell(f.LateWorkdays)
		}
		var problems []string
		for _, k := range FlagKinds(*f) {
			if k != f.Status.Label() {
				problems = append(problems, k)
			}
		}
		rows[i] = []string{f.County, f.Item, f.RecordNo, f.Channel, f.Status.Label(), f.FormedOn, f.Due, f.Published, late, joinList(problems), f.Title}
		count[f.Status]++
	}
	if err := texttable.Write(w, header, rows, 40); err != nil {
		return err
	}
	var parts []string
	for _, s := range Statuses {
		if count[s] > 0 {
			parts = append(parts, s.Label()+" "+csvCell(count[s]))
		}
	}
	summary := "共 " + csvCell(len(findings)) + " 条"
	if len(parts) > 0 {
		summary += "：" + strings.Join(parts, "，")
	}
	_, err := io.WriteString(w, summary+"\n")
	return err
}
