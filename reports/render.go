// Package reports renders an audit.Report as JSON (the contract in
// contracts.md §4), HTML (with SVG charts), XLSX, CSV and Markdown, and
// compares two reports week over week (Diff). It judges nothing: every
// status, score and flag comes from package audit.
package reports

// This file holds what every renderer shares: the list of formats, the
// dispatcher, and renderView — the orderings, totals and flags derived from
// a Report once, so that JSON, HTML, XLSX, CSV and Markdown state the same
// facts in the same order.

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gongkai/audit"
	"gongkai/catalogue"
)

// Formats are the report formats, in the order they are documented.
var Formats = []string{"json", "html", "xlsx", "csv", "md"}

// FormatExt is the file extension (with the dot) of a format.
func FormatExt(format string) string { return "." + format }

// ParseFormats reads one or more formats written as repeated flags or
// comma-separated ("html,xlsx"); "all" means every format. Duplicates are
// dropped and the result keeps the documented order.
func ParseFormats(values []string) ([]string, error) {
	want := map[string]bool{}
	for _, v := range values {
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '，' || r == ' ' }) {
			p := strings.ToLower(strings.TrimSpace(part))
			if p == "markdown" {
				p = "md"
			}
			if p == "all" {
				for _, f := range Formats {
					want[f] = true
				}
				continue
			}
			if !slices.Contains(Formats, p) {
				return nil, fmt.Errorf("不支持的报告格式 %q（可用: %s）", part, strings.Join(Formats, "、"))
			}
			want[p] = true
		}
	}
	var out []string
	for _, f := range Formats {
		if want[f] {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("未指定报告格式（可用: %s）", strings.Join(Formats, "、"))
	}
	return out, nil
}

// Render writes r in the named format.
func Render(w io.Writer, r *audit.Report, format string) error {
	switch format {
	case "json":
		return RenderJSON(w, r)
	case "html":
		return RenderHTML(w, r)
	case "xlsx":
		return RenderXLSX(w, r)
	case "csv":
		return RenderCSV(w, r)
	case "md", "markdown":
		return RenderMarkdown(w, r)
	}
	return fmt.Errorf("不支持的报告格式 %q", format)
}

// ItemName returns the catalogue name of an item code (食品生产经营行政处罚
// for 2.1), or "" for a code the seed catalogue does not know (a county's
// own 三级事项).
func ItemName(code string) string {
	renderItemNamesOnce.Do(func() {
		renderItemNames = map[string]string{}
		for _, it := range catalogue.Default().Items {
			renderItemNames[it.Code] = it.Name
		}
	})
	return renderItemNames[code]
}

var (
	renderItemNamesOnce sync.Once
	renderItemNames     map[string]string
)

// renderView is a Report with the orderings and totals the renderers share.
type renderView struct {
	r        *audit.Report
	counties []string // report order: county index, then coverage, findings, sources
	items    []string // item codes, catalogue order
	cells    map[[2]string]*audit.Coverage
	index    map[string]*audit.CountyIndex
	totals   map[string]*audit.Coverage // per county, summed over items
	all      audit.Coverage             // summed over everything
	status   map[audit.Status]int       // findings by status
	flags    []int                      // indexes into r.Findings that carry flags
	backdate int                        // findings with 发布日期存疑
	partial  int                        // findings with missing elements
	unread   int                        // findings with unverifiable elements
}

func newRenderView(r *audit.Report) *renderView {
	v := &renderView{
		r:      r,
		cells:  map[[2]string]*audit.Coverage{},
		index:  map[string]*audit.CountyIndex{},
		totals: map[string]*audit.Coverage{},
		status: map[audit.Status]int{},
	}
	seen := map[string]bool{}
	addCounty := func(c string) {
		if c != "" && !seen[c] {
			seen[c] = true
			v.counties = append(v.counties, c)
		}
	}
	itemSeen := map[string]bool{}
	addItem := func(code string) {
		if code != "" && !itemSeen[code] {
			itemSeen[code] = true
			v.items = append(v.items, code)
		}
	}
	for i := range r.Counties {
		addCounty(r.Counties[i].County)
		v.index[r.Counties[i].County] = &r.Counties[i]
	}
	for i := range r.Coverage {
		c := &r.Coverage[i]
		addCounty(c.County)
		addItem(c.Item)
		v.cells[[2]string{c.County, c.Item}] = c
		t := v.totals[c.County]
		if t == nil {
			t = &audit.Coverage{County: c.County}
			v.totals[c.County] = t
		}
		for _, acc := range []*audit.Coverage{t, &v.all} {
			acc.Expected += c.Expected
			acc.OnTime += c.OnTime
			acc.Late += c.Late
			acc.Missing += c.Missing
			acc.Pending += c.Pending
			acc.Unverified += c.Unverified
			acc.PublishedItems += c.PublishedItems
		}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		addCounty(f.County)
		addItem(f.Item)
		v.status[f.Status]++
		if audit.HasBackdateDoubt(*f) {
			v.backdate++
		}
		if len(f.MissingElements) > 0 {
			v.partial++
		}
		if len(f.UnverifiableElements) > 0 {
			v.unread++
		}
		if len(audit.FlagKinds(*f)) > 0 {
			v.flags = append(v.flags, i)
		}
	}
	for _, s := range r.Sources {
		addCounty(s.County)
	}
	slices.SortStableFunc(v.items, catalogue.CompareCodes)
	return v
}

// flagFindings returns the flagged findings in report order.
func (v *renderView) flagFindings() []*audit.Finding {
	out := make([]*audit.Finding, len(v.flags))
	for i, idx := range v.flags {
		out[i] = &v.r.Findings[idx]
	}
	return out
}

// scored reports whether a coverage cell's score means something. Reports
// from before Basis existed have it empty and are taken as scored.
func scored(c *audit.Coverage) bool { return c.Basis != audit.BasisNone }

// basisLabel says in Chinese what a cell's score rests on.
func basisLabel(basis string) string {
	switch basis {
	case audit.BasisRecords, "":
		return "应公开记录"
	case audit.BasisColumn:
		return "栏目更新情况"
	case audit.BasisNone:
		return "无可判定"
	}
	return basis
}

// judged is the number of records whose status is settled either way:
// on time, late or missing (pending and unverified are not judged).
func judged(c *audit.Coverage) int { return c.OnTime + c.Late + c.Missing }

// ontimeRate is ontime / judged, ok=false when nothing was judged.
func ontimeRate(c *audit.Coverage) (float64, bool) {
	n := judged(c)
	if n == 0 {
		return 0, false
	}
	return float64(c.OnTime) / float64(n), true
}

// percent formats a 0..1 ratio as a whole percentage.
func percent(x float64) string { return strconv.FormatFloat(x*100, 'f', 0, 64) + "%" }

// periodText is the audited period in Chinese, or "" when open.
func periodText(r *audit.Report) string {
	switch {
	case r.From != "" && r.To != "":
		return r.From + " 至 " + r.To
	case r.From != "":
		return r.From + " 起"
	case r.To != "":
		return "至 " + r.To
	}
	return ""
}

// itemLabel is "2.1 食品生产经营行政处罚", or the code alone.
func itemLabel(code string) string {
	if n := ItemName(code); n != "" {
		return code + " " + n
	}
	return code
}

// joinList joins a list for one table cell.
func joinList(xs []string) string { return strings.Join(xs, "、") }

// failedText is a source's 未完整观察的栏目 cell: each incomplete column with
// its reason, the source's other notes, then its blank columns.
func failedText(s audit.SourceState) string {
	why := map[string]string{}
	for _, c := range s.Columns {
		if !c.Complete && c.Reason != "" {
			why[c.Column] = c.Reason
		}
	}
	parts := make([]string, 0, len(s.Failed))
	for _, f := range s.Failed {
		if r := why[f]; r != "" {
			f += "（" + r + "）"
		}
		parts = append(parts, f)
	}
	for _, c := range s.Columns {
		if c.Blank {
			parts = append(parts, c.Column+"（空栏目：站点显示暂无信息）")
		}
	}
	return joinList(parts)
}
