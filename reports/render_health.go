package reports

// The 栏目健康 (column health) section every renderer shows: the same
// columns and cells, from audit.Report.ColumnHealth.

import (
	"fmt"
	"strings"

	"gongkai/audit"
)

// healthHeader names the cells of a column health row.
var healthHeader = []string{"县区", "来源", "栏目", "类型", "最新信息日期", "未更新天数", "允许天数", "空白栏目",
	"无日期信息", "失效链接", "日期改动", "已撤下", "结论", "证据", "栏目地址"}

// healthCells is one column's row, in healthHeader's order.
func healthCells(h *audit.ColumnHealth) []string {
	days, allowed := "", "不考核"
	if h.Newest != "" {
		days = fmt.Sprint(h.DaysWithoutNew)
	}
	if h.AllowedDays > 0 {
		allowed = fmt.Sprint(h.AllowedDays)
	}
	return []string{h.County, h.Source, h.Column, audit.KindLabel(h.Kind), h.Newest, days, allowed, yesNo(h.Blank),
		fmt.Sprint(len(h.Undated)), fmt.Sprint(len(h.DeadLinks)), fmt.Sprint(len(h.Redated)), fmt.Sprint(len(h.Withdrawn)),
		h.Verdict, strings.Join(healthEvidence(h), "\n"), h.URL}
}

// healthOK reports whether the column has nothing to show.
func healthOK(h *audit.ColumnHealth) bool { return h.Verdict == audit.HealthOK }

// healthEvidence is one line per page that shows a finding, with the
// capture (WARC record) that holds it.
func healthEvidence(h *audit.ColumnHealth) []string {
	var out []string
	capture := func(id string) string {
		if id == "" {
			return ""
		}
		return "（采集记录 " + id + "）"
	}
	for _, e := range h.Evidence {
		out = append(out, fmt.Sprintf("%s：%s%s", e.Note, e.URL, capture(e.CaptureID)))
	}
	for _, e := range h.Undated {
		out = append(out, fmt.Sprintf("无发布日期：%s %s%s", e.Title, e.URL, capture(e.CaptureID)))
	}
	for _, d := range h.DeadLinks {
		if d.Type == audit.DeadInternal {
			check := ""
			if d.LinkCapture != "" {
				check = "；检查记录 " + d.LinkCapture
			}
			out = append(out, fmt.Sprintf("失效链接（正文中的站内链接“%s”）：%s（%s）见于 %s%s%s", d.Name, d.Link, d.Error, d.Page, capture(d.PageCapture), check))
			continue
		}
		out = append(out, fmt.Sprintf("失效链接：%s（%s）见于 %s%s", d.Link, d.Error, d.Page, capture(d.PageCapture)))
	}
	for _, r := range h.Redated {
		out = append(out, fmt.Sprintf("发布日期改动：%s 由 %s 改为 %s%s", r.URL, r.From, r.To, capture(r.CaptureID)))
	}
	for _, e := range h.Withdrawn {
		out = append(out, fmt.Sprintf("已撤下（%s）：%s %s%s", e.Date, e.Title, e.URL, capture(e.CaptureID)))
	}
	return out
}

// healthRulesText says what the section judges, for the reader.
const healthRulesText = "栏目健康依据采集历史判断：动态类栏目 2 周（14 天）、通知公告类和政策文件类栏目 6 个月无新信息为超期未更新" +
	"（国办秘函〔2019〕19号）；目录事项类栏目（行政处罚、抽检等）按 6 个月计；静态类栏目不考核更新。" +
	"栏目类型由 sites.yaml 的 kind 指定。最近一次采集未完整的栏目只标“待核实”，不认定超期或空白。" +
	"失效链接包括应答 4xx 的附件，以及正文中指向本站的链接应答 4xx、5xx、无法访问或显示本站“页面不存在”页（每次采集每个链接只检查一次）。"
