package reports

// Week-over-week change: what the weekly schedule tells the office beside
// each report — flags that appeared, flags that were resolved, flags whose
// kind changed (an undisclosed record published late, an unverified one now
// observed missing) and how each county's index moved.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"gongkai/audit"
	"gongkai/catalogue"
	"io"
	"slices"
	"strings"
)

// Changes is the difference between two reports.
type Changes struct {
	Previous    string         `json:"previous_as_of"` // "" when there was no previous report
	Current     string         `json:"as_of"`
	GeneratedAt string         `json:"generated_at"`
	New         []FlagChange   `json:"new"`
	Resolved    []FlagChange   `json:"resolved"`
	Changed     []FlagChange   `json:"changed"`
	Statuses    []StatusDelta  `json:"statuses"`
	Counties    []CountyChange `json:"counties"`
	// Columns are the changes of column health (栏目健康): columns newly
	// stale or recovered, newly blank or listing again, dead links new and
	// gone, pages newly re-dated or withdrawn (diff_health.go).
	Columns []ColumnChange `json:"columns"`
}

// FlagChange is one finding whose flags differ between the reports.
// Before is nil for a record new to the report, After for one no longer in it.
type FlagChange struct {
	County      string         `json:"county"`
	Item        string         `json:"item"`
	RecordNo    string         `json:"record_no"`
	Channel     string         `json:"channel"`
	KindsBefore []string       `json:"kinds_before,omitempty"`
	KindsAfter  []string       `json:"kinds_after,omitempty"`
	Summary     string         `json:"summary"` // one Chinese sentence
	Before      *audit.Finding `json:"before,omitempty"`
	After       *audit.Finding `json:"after,omitempty"`
}

// StatusDelta counts one status in both reports.
type StatusDelta struct {
	Status audit.Status `json:"status"`
	Label  string       `json:"label"`
	Before int          `json:"before"`
	After  int          `json:"after"`
}

// CountyChange is a county's index in both reports; Before is nil for a
// county the previous report did not have.
type CountyChange struct {
	County string   `json:"county"`
	Before *float64 `json:"before,omitempty"`
	After  *float64 `json:"after,omitempty"`
}

// Empty reports whether no flag appeared, went or changed.
func (c *Changes) Empty() bool { return len(c.New)+len(c.Resolved)+len(c.Changed) == 0 }

// Diff compares the previous report with the current one, matching
// findings by (county, item, record_no, channel). prev may be nil (the first
// week): every current flag is then new.
func Diff(prev, cur *audit.Report) *Changes {
	if prev == nil {
		prev = &audit.Report{}
	}
	c := &Changes{Previous: prev.AsOf, Current: cur.AsOf, GeneratedAt: cur.GeneratedAt,
		New: []FlagChange{}, Resolved: []FlagChange{}, Changed: []FlagChange{}}
	before := make(map[string]*audit.Finding, len(prev.Findings))
	for i := range prev.Findings {
		before[audit.FindingKey(prev.Findings[i])] = &prev.Findings[i]
	}
	seen := make(map[string]bool, len(cur.Findings))
	for i := range cur.Findings {
		a := &cur.Findings[i]
		key := audit.FindingKey(*a)
		seen[key] = true
		b := before[key]
		ka := audit.FlagKinds(*a)
		var kb []string
		if b != nil {
			kb = audit.FlagKinds(*b)
		}
		ch := FlagChange{County: a.County, Item: a.Item, RecordNo: a.RecordNo, Channel: a.Channel,
			KindsBefore: kb, KindsAfter: ka, Before: b, After: a}
		switch {
		case len(ka) > 0 && len(kb) == 0:
			ch.Summary = "新增：" + joinList(ka) + findingDetail(a)
			c.New = append(c.New, ch)
		case len(ka) == 0 && len(kb) > 0:
			ch.Summary = "已解决：现为" + a.Status.Label() + findingDetail(a)
			c.Resolved = append(c.Resolved, ch)
		case len(ka) > 0 && (!slices.Equal(ka, kb) || a.Status != b.Status):
			ch.Summary = "由" + joinList(kb) + "变为" + joinList(ka) + findingDetail(a)
			c.Changed = append(c.Changed, ch)
		}
	}
	for i := range prev.Findings {
		b := &prev.Findings[i]
		if seen[audit.FindingKey(*b)] {
			continue
		}
		if kb := audit.FlagKinds(*b); len(kb) > 0 {
			c.Resolved = append(c.Resolved, FlagChange{County: b.County, Item: b.Item, RecordNo: b.RecordNo, Channel: b.Channel,
				KindsBefore: kb, Before: b, Summary: "本期报告已不含此记录（原为" + joinList(kb) + "）"})
		}
	}
	order := changeOrder(prev, cur)
	for _, list := range [][]FlagChange{c.New, c.Resolved, c.Changed} {
		slices.SortStableFunc(list, order)
	}

	pv, cv := newRenderView(prev), newRenderView(cur)
	for _, s := range audit.Statuses {
		c.Statuses = append(c.Statuses, StatusDelta{Status: s, Label: s.Label(), Before: pv.status[s], After: cv.status[s]})
	}
	counties := slices.Clone(cv.counties)
	for _, county := range pv.counties {
		if !slices.Contains(counties, county) {
			counties = append(counties, county)
		}
	}
	for _, county := range counties {
		cc := CountyChange{County: county}
		if ix := pv.index[county]; ix != nil {
			cc.Before = new(ix.Score)
		}
		if ix := cv.index[county]; ix != nil {
			cc.After = new(ix.Score)
		}
		c.Counties = append(c.Counties, cc)
	}
	c.Columns = diffColumns(prev, cur)
	return c
}

// findingDetail is the evidence part of a change's sentence.
func findingDetail(f *audit.Finding) string {
	var parts []string
	if f.Status == audit.Late {
		parts = append(parts, fmt.Sprintf("%s 公开，逾期 %d 个工作日", f.Published, f.LateWorkdays))
	}
	if f.Status == audit.Missing || f.Status == audit.Unverified {
		if f.Due != "" {
			parts = append(parts, "应于 "+f.Due+" 前公开")
		} else if f.DueLatest != "" {
			parts = append(parts, "应于 "+f.DueEarliest+" 至 "+f.DueLatest+" 之间的到期日前公开")
		}
	}
	if len(f.MissingElements) > 0 {
		parts = append(parts, "缺少"+joinList(f.MissingElements))
	}
	if len(f.UnverifiableElements) > 0 {
		parts = append(parts, audit.FlagElementsUnverified+"："+joinList(f.UnverifiableElements))
	}
	if len(parts) == 0 {
		return ""
	}
	return "（" + strings.Join(parts, "；") + "）"
}

// changeOrder sorts changes by county (current report's order), item and
// record number.
func changeOrder(prev, cur *audit.Report) func(a, b FlagChange) int {
	rank := map[string]int{}
	for _, r := range []*audit.Report{cur, prev} {
		for _, c := range newRenderView(r).counties {
			if _, ok := rank[c]; !ok {
				rank[c] = len(rank)
			}
		}
	}
	return func(a, b FlagChange) int {
		if d := rank[a.County] - rank[b.County]; d != 0 {
			return d
		}
		if d := catalogue.CompareCodes(a.Item, b.Item); d != 0 {
			return d
		}
		if d := strings.Compare(a.RecordNo, b.RecordNo); d != 0 {
			return d
		}
		return strings.Compare(a.Channel, b.Channel)
	}
}

// RenderChangesJSON writes the changes as indented JSON (changes.json).
func RenderChangesJSON(w io.Writer, c *Changes) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

// RenderChangesMarkdown writes the changes for people (变化.md).
func RenderChangesMarkdown(w io.Writer, c *Changes) error {
	b := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	if c.Previous == "" {
		p("# 本周变化（截至 %s，首次报告）\n\n没有上一期报告可比较；本期的 %d 条问题均列为新增。\n\n", mdText(c.Current), len(c.New))
	} else {
		p("# 本周变化（%s → %s）\n\n", mdText(c.Previous), mdText(c.Current))
		p("新增问题 %d 条，已解决 %d 条，情况变化 %d 条。栏目健康变化 %d 项。\n\n", len(c.New), len(c.Resolved), len(c.Changed), len(c.Columns))
	}
	p("| 状态 | 上期 | 本期 | 变化 |\n|---|---:|---:|---:|\n")
	for _, s := range c.Statuses {
		p("| %s | %d | %d | %+d |\n", s.Label, s.Before, s.After, s.After-s.Before)
	}
	p("\n")
	if len(c.Counties) > 0 {
		p("| 县区 | 上期指数 | 本期指数 |\n|---|---:|---:|\n")
		for _, cc := range c.Counties {
			p("| %s | %s | %s |\n", mdText(cc.County), optPercent(cc.Before), optPercent(cc.After))
		}
		p("\n")
	}
	section := func(title string, list []FlagChange) {
		p("## %s（%d 条）\n\n", title, len(list))
		if len(list) == 0 {
			p("无。\n\n")
			return
		}
		p("| 县区 | 事项 | 编号 | 渠道 | 说明 | 证据 |\n|---|---|---|---|---|---|\n")
		for _, ch := range list {
			ev := ""
			if ch.After != nil {
				ev = mdEvidence(ch.After)
			} else if ch.Before != nil {
				ev = mdEvidence(ch.Before)
			}
			p("| %s | %s | %s | %s | %s | %s |\n", mdText(ch.County), mdText(ch.Item), mdText(ch.RecordNo), mdText(ch.Channel), mdText(ch.Summary), ev)
		}
		p("\n")
	}
	section("新增问题", c.New)
	section("已解决", c.Resolved)
	section("情况变化", c.Changed)
	mdColumnChanges(p, c.Columns)
	return b.Flush()
}

func optPercent(x *float64) string {
	if x == nil {
		return "—"
	}
	return percent(*x)
}
