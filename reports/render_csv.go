package reports

import (
	"encoding/csv"
	"gongkai/audit"
	"io"
	"strconv"
	"strings"
)

// findingColumn is one column of the per-finding tables (CSV, the XLSX
// 明细/逾期/未公开/待核实 sheets, the query command's table).
type findingColumn struct {
	Header string
	Width  float64 // XLSX column width in characters
	Value  func(f *audit.Finding) any
}

// findingColumns are the columns of a finding row, in order.
var findingColumns = []findingColumn{
	{"县区", 10, func(f *audit.Finding) any { return f.County }},
	{"事项", 6, func(f *audit.Finding) any { return f.Item }},
	{"事项名称", 22, func(f *audit.Finding) any { return ItemName(f.Item) }},
	{"编号", 24, func(f *audit.Finding) any { return f.RecordNo }},
	{"名称", 30, func(f *audit.Finding) any { return f.Title }},
	{"当事人", 20, func(f *audit.Finding) any { return f.Party }},
	{"渠道", 16, func(f *audit.Finding) any { return f.Channel }},
	{"状态", 10, func(f *audit.Finding) any { return f.Status.Label() }},
	{"问题", 16, func(f *audit.Finding) any { return joinList(audit.FlagKinds(*f)) }},
	{"形成日期", 12, func(f *audit.Finding) any { return f.FormedOn }},
	{"应公开日期", 12, func(f *audit.Finding) any { return f.Due }},
	{"公开日期", 12, func(f *audit.Finding) any { return f.Published }},
	{"逾期工作日", 10, func(f *audit.Finding) any {
		if f.Status != audit.Late && f.LateWorkdays == 0 {
			return ""
		}
		return f.LateWorkdays
	}},
	{"缺少要素", 24, func(f *audit.Finding) any { return joinList(f.MissingElements) }},
	{"要素无法核实", 24, func(f *audit.Finding) any { return joinList(f.UnverifiableElements) }},
	{"首次发现", 20, func(f *audit.Finding) any { return f.FirstSeen }},
	{"链接", 40, func(f *audit.Finding) any { return f.URL }},
	{"证据摘要", 30, func(f *audit.Finding) any { return f.Evidence }},
	{"匹配依据", 16, func(f *audit.Finding) any { return f.MatchedBy }},
	{"备注", 40, func(f *audit.Finding) any { return strings.Join(f.Notes, "；") }},
}

// RenderCSV writes one row per finding with Chinese headers, as UTF-8 with
// a byte-order mark so that Excel opens the Chinese text correctly.
func RenderCSV(w io.Writer, r *audit.Report) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := make([]string, len(findingColumns))
	for i, c := range findingColumns {
		header[i] = c.Header
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(findingColumns))
	for i := range r.Findings {
		f := &r.Findings[i]
		for j, c := range findingColumns {
			row[j] = csvCell(c.Value(f))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell formats a value for CSV. Text that a spreadsheet would take for a
// formula (=, +, -, @ first) gets a leading apostrophe: harvested titles and
// party names must never execute when the file is opened.
func csvCell(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			return "'" + x
		}
		return x
	}
	return ""
}
