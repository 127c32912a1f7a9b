package reports

import (
	"bufio"
	"fmt"
	"gongkai/audit"
	"io"
	"strings"
)

// ReportTitle is the title every rendering of a report carries.
const ReportTitle = "食品药品监管领域政务公开核查报告"

// RenderMarkdown writes the summary, the county × item score matrix, the
// flags and the state of the sources as Markdown tables. Harvested text is
// escaped so that it cannot break a table or inject markup.
func RenderMarkdown(w io.Writer, r *audit.Report) error {
	v := newRenderView(r)
	b := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }

	p("# %s\n\n", ReportTitle)
	p("- 截止日期：%s\n", mdText(r.AsOf))
	if pt := periodText(r); pt != "" {
		p("- 审核期间：%s\n", mdText(pt))
	}
	if r.Catalogue != "" {
		p("- 依据目录：%s\n", mdText(r.Catalogue))
	}
	p("- 生成时间：%s\n", mdText(r.GeneratedAt))
	p("- 县区：%d 个；应公开记录 × 渠道：%d 条；已采集条目：%d 条\n\n", len(v.counties), len(r.Findings), len(r.Items))

	p("## 概况\n\n| 状态 | 数量 |\n|---|---:|\n")
	for _, s := range audit.Statuses {
		p("| %s | %d |\n", s.Label(), v.status[s])
	}
	p("| %s | %d |\n| %s | %d |\n| %s | %d |\n\n", audit.FlagBackdated, v.backdate, audit.FlagIncomplete, v.partial, audit.FlagElementsUnverified, v.unread)

	p("## 县区指数\n\n| 县区 | 指数 | 及时性 | 完整性 | 应公开 | 按时 | 逾期 | 未公开 | 未到期 | 待核实 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, c := range v.counties {
		t := v.totals[c]
		if t == nil {
			t = &audit.Coverage{}
		}
		score, timely, complete := "—", "—", "—"
		if ix := v.index[c]; ix != nil {
			score, timely, complete = percent(ix.Score), percent(ix.Timely), percent(ix.Complete)
		}
		p("| %s | %s | %s | %s | %d | %d | %d | %d | %d | %d |\n", mdText(c), score, timely, complete,
			t.Expected, t.OnTime, t.Late, t.Missing, t.Pending, t.Unverified)
	}
	p("\n")

	p("## 县区 × 事项得分矩阵\n\n单元格：得分 · 按时公开数/应公开数；“栏目”表示无应公开记录、按栏目更新情况评分；— 表示无统计或无可判定。\n\n| 县区 |")
	for _, it := range v.items {
		p(" %s |", mdText(it))
	}
	p("\n|---|%s\n", strings.Repeat("---:|", len(v.items)))
	for _, c := range v.counties {
		p("| %s |", mdText(c))
		for _, it := range v.items {
			cell := v.cells[[2]string{c, it}]
			switch {
			case cell == nil || !scored(cell):
				p(" — |")
			case cell.Basis == audit.BasisColumn:
				p(" %s · 栏目 |", percent(cell.Score))
			default:
				p(" %s · %d/%d |", percent(cell.Score), cell.OnTime, cell.Expected)
			}
		}
		p("\n")
	}
	p("\n事项：")
	for i, it := range v.items {
		if i > 0 {
			p("；")
		}
		p("%s", mdText(itemLabel(it)))
	}
	p("。\n\n")

	flags := v.flagFindings()
	p("## 问题清单（%d 条）\n\n", len(flags))
	if len(flags) == 0 {
		p("没有逾期、未公开、待核实、发布日期存疑、要素不全或要素无法核实的记录。\n\n")
	} else {
		p("| 县区 | 事项 | 编号 | 渠道 | 问题 | 形成日期 | 应公开日期 | 公开日期 | 逾期工作日 | 缺少要素 | 要素无法核实 | 证据 | 备注 |\n|---|---|---|---|---|---|---|---|---:|---|---|---|---|\n")
		for _, f := range flags {
			late := ""
			if f.Status == audit.Late {
				late = fmt.Sprint(f.LateWorkdays)
			}
			p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				mdText(f.County), mdText(f.Item), mdText(f.RecordNo), mdText(f.Channel),
				mdText(joinList(audit.FlagKinds(*f))), mdText(f.FormedOn), mdText(f.Due), mdText(f.Published), late,
				mdText(joinList(f.MissingElements)), mdText(joinList(f.UnverifiableElements)), mdEvidence(f), mdText(strings.Join(f.Notes, "；")))
		}
		p("\n")
	}

	if len(r.Ambiguities) > 0 {
		p("## 无法确定的匹配（%d 条）\n\n| 县区 | 事项 | 编号 | 渠道 | 候选 |\n|---|---|---|---|---|\n", len(r.Ambiguities))
		for _, a := range r.Ambiguities {
			p("| %s | %s | %s | %s | %s |\n", mdText(a.County), mdText(a.Item), mdText(a.RecordNo), mdText(a.Channel), mdText(joinList(a.Candidates)))
		}
		p("\n")
	}

	p("## 栏目健康\n\n%s\n\n", mdText(healthRulesText))
	if len(r.ColumnHealth) == 0 {
		p("没有网站栏目。\n\n")
	} else {
		p("|%s|\n|%s\n", " "+strings.Join(healthHeader, " | ")+" ", strings.Repeat("---|", len(healthHeader)))
		for i := range r.ColumnHealth {
			cells := healthCells(&r.ColumnHealth[i])
			for j := range cells {
				cells[j] = strings.ReplaceAll(mdText(cells[j]), "\n", "<br>")
			}
			p("| %s |\n", strings.Join(cells, " | "))
		}
		p("\n")
	}

	p("## 来源完整性\n\n")
	if len(r.Sources) == 0 {
		p("没有来源同步记录。\n")
	} else {
		p("| 县区 | 来源 | 渠道 | 完整观察 | 最近同步 | 错误数 | 未完整观察的栏目 |\n|---|---|---|---|---|---:|---|\n")
		for _, s := range r.Sources {
			p("| %s | %s | %s | %s | %s | %d | %s |\n", mdText(s.County), mdText(s.Source), mdText(s.Channel),
				yesNo(s.Complete), mdText(s.LastSync), s.Errors, mdText(failedText(s)))
		}
	}
	return b.Flush()
}

// mdEvidence is the evidence cell: a link to the page (only http(s) URLs
// become links) and the stored copy's digest.
func mdEvidence(f *audit.Finding) string {
	var parts []string
	if f.URL != "" {
		if strings.HasPrefix(f.URL, "http://") || strings.HasPrefix(f.URL, "https://") {
			parts = append(parts, "[链接](<"+strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "|", "%7C").Replace(f.URL)+">)")
		} else {
			parts = append(parts, mdText(f.URL))
		}
	}
	if f.Evidence != "" {
		parts = append(parts, "`"+strings.ReplaceAll(strings.ReplaceAll(f.Evidence, "`", ""), "|", "")+"`")
	}
	if f.FirstSeen != "" {
		parts = append(parts, "首次发现 "+mdText(f.FirstSeen))
	}
	return strings.Join(parts, " ")
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "<", `\<`, ">", `\>`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdText escapes text for a Markdown table cell.
func mdText(s string) string { return mdEscaper.Replace(s) }

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
