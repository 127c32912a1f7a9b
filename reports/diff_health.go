package reports

// Week-over-week change of column health (栏目健康): columns that went
// stale or recovered, went blank or listed again, dead links found and
// fixed, pages re-dated or withdrawn since last week.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"gongkai/audit"
)

// Kinds of column health change (ColumnChange.Change).
const (
	ColumnNewlyStale    = "newly_stale"
	ColumnRecovered     = "recovered" // stale last week, a new item since
	ColumnNewlyBlank    = "newly_blank"
	ColumnNoLongerBlank = "no_longer_blank"
	ColumnNewDeadLink   = "new_dead_link"
	ColumnFixedDead     = "fixed_dead_link"
	ColumnNewRedated    = "new_redated"
	ColumnNewWithdrawn  = "new_withdrawn"
)

// columnChangeLabels are the change kinds as users read them, in the order
// the changes are listed.
var columnChangeLabels = map[string]string{
	ColumnNewlyStale:    "新出现超期未更新",
	ColumnRecovered:     "恢复更新",
	ColumnNewlyBlank:    "新出现空白栏目",
	ColumnNoLongerBlank: "不再空白",
	ColumnNewDeadLink:   "新增失效链接",
	ColumnFixedDead:     "失效链接已消除",
	ColumnNewRedated:    "新增发布日期被改动",
	ColumnNewWithdrawn:  "新增撤下信息",
}

var columnChangeOrder = []string{ColumnNewlyStale, ColumnRecovered, ColumnNewlyBlank, ColumnNoLongerBlank,
	ColumnNewDeadLink, ColumnFixedDead, ColumnNewRedated, ColumnNewWithdrawn}

// ColumnChangeLabel is a change kind in Chinese.
func ColumnChangeLabel(kind string) string { return cmp.Or(columnChangeLabels[kind], kind) }

// ColumnChange is one change of a column's health between the reports.
type ColumnChange struct {
	County string `json:"county"`
	Source string `json:"source"`
	Column string `json:"column"`
	URL    string `json:"url,omitempty"`
	Change string `json:"change"` // newly_stale, recovered, newly_blank, no_longer_blank, new_dead_link, fixed_dead_link, new_redated, new_withdrawn
	Label  string `json:"label"`  // the change in Chinese
	// Page and Link: the page concerned (dead link: the page it is on)
	// and the dead link.
	Page      string `json:"page,omitempty"`
	Link      string `json:"link,omitempty"`
	CaptureID string `json:"capture_id,omitempty"` // the capture that shows the change ("" for one that went away)
	Summary   string `json:"summary"`              // one Chinese sentence
}

func columnKey(h audit.ColumnHealth) string { return h.County + "\x1f" + h.Source + "\x1f" + h.Column }

// diffColumns compares the column health of two reports. A column the
// previous report did not have is compared with a healthy empty one, as a
// first week's flags are all new.
func diffColumns(prev, cur *audit.Report) []ColumnChange {
	before := map[string]*audit.ColumnHealth{}
	for i := range prev.ColumnHealth {
		before[columnKey(prev.ColumnHealth[i])] = &prev.ColumnHealth[i]
	}
	out := []ColumnChange{}
	for i := range cur.ColumnHealth {
		a := &cur.ColumnHealth[i]
		b := before[columnKey(*a)]
		if b == nil {
			b = &audit.ColumnHealth{}
		}
		add := func(kind, page, link, capture, summary string) {
			out = append(out, ColumnChange{County: a.County, Source: a.Source, Column: a.Column, URL: a.URL,
				Change: kind, Label: ColumnChangeLabel(kind), Page: page, Link: link, CaptureID: capture, Summary: summary})
		}
		evidence := func(h *audit.ColumnHealth) (string, string) {
			if len(h.Evidence) == 0 {
				return "", ""
			}
			return h.Evidence[0].URL, h.Evidence[0].CaptureID
		}
		switch {
		case a.Stale && !b.Stale:
			page, capture := evidence(a)
			add(ColumnNewlyStale, page, "", capture, fmt.Sprintf("最近一条信息 %s，已 %d 天无新信息（%s栏目限 %d 天）",
				a.Newest, a.DaysWithoutNew, audit.KindLabel(a.Kind), a.AllowedDays))
		case b.Stale && !a.Stale && a.Newest > b.Newest:
			// Only a newer item is a recovery: a column merely not observed
			// completely this week is not.
			add(ColumnRecovered, "", "", "", fmt.Sprintf("上期最近一条为 %s，本期已有 %s 的新信息", b.Newest, a.Newest))
		}
		switch {
		case a.Blank && !b.Blank:
			page, capture := evidence(a)
			add(ColumnNewlyBlank, page, "", capture, "栏目列表为空")
		case b.Blank && !a.Blank && a.Items > 0:
			add(ColumnNoLongerBlank, "", "", "", fmt.Sprintf("栏目现有 %d 条信息", a.Items))
		}
		deadKey := func(d audit.DeadLink) string { return d.Page + "\x1f" + d.Link }
		wasDead := map[string]bool{}
		for _, d := range b.DeadLinks {
			wasDead[deadKey(d)] = true
		}
		isDead := map[string]bool{}
		for _, d := range a.DeadLinks {
			isDead[deadKey(d)] = true
			if !wasDead[deadKey(d)] {
				add(ColumnNewDeadLink, d.Page, d.Link, d.PageCapture, fmt.Sprintf("页面“%s”中的链接 %s 失效（%s）", cmp.Or(d.PageTitle, d.Page), d.Link, d.Error))
			}
		}
		for _, d := range b.DeadLinks {
			if isDead[deadKey(d)] {
				continue
			}
			why := "已修复或已从页面移除"
			if slices.ContainsFunc(a.Withdrawn, func(w audit.HealthEvidence) bool { return w.URL == d.Page }) {
				why = "所在页面已撤下"
			}
			add(ColumnFixedDead, d.Page, d.Link, "", fmt.Sprintf("页面“%s”中上期失效的链接 %s 本期不再列为失效（%s）", cmp.Or(d.PageTitle, d.Page), d.Link, why))
		}
		wasRedated := map[string]bool{}
		for _, r := range b.Redated {
			wasRedated[r.URL+"\x1f"+r.To] = true
		}
		for _, r := range a.Redated {
			if !wasRedated[r.URL+"\x1f"+r.To] {
				add(ColumnNewRedated, r.URL, "", r.CaptureID, fmt.Sprintf("“%s”的发布日期由 %s 改为 %s", cmp.Or(r.Title, r.URL), r.From, r.To))
			}
		}
		wasWithdrawn := map[string]bool{}
		for _, w := range b.Withdrawn {
			wasWithdrawn[w.URL] = true
		}
		for _, w := range a.Withdrawn {
			if !wasWithdrawn[w.URL] {
				when := ""
				if w.Date != "" {
					when = "于 " + w.Date + " "
				}
				add(ColumnNewWithdrawn, w.URL, "", w.CaptureID, fmt.Sprintf("“%s”%s已从栏目中撤下", cmp.Or(w.Title, w.URL), when))
			}
		}
	}
	rank := map[string]int{}
	for i, h := range cur.ColumnHealth {
		if _, ok := rank[columnKey(h)]; !ok {
			rank[columnKey(h)] = i
		}
	}
	slices.SortStableFunc(out, func(x, y ColumnChange) int {
		return cmp.Or(cmp.Compare(slices.Index(columnChangeOrder, x.Change), slices.Index(columnChangeOrder, y.Change)),
			cmp.Compare(rank[x.County+"\x1f"+x.Source+"\x1f"+x.Column], rank[y.County+"\x1f"+y.Source+"\x1f"+y.Column]),
			strings.Compare(x.Page, y.Page), strings.Compare(x.Link, y.Link))
	})
	return out
}

// columnChangeCounts is "新出现超期未更新 1 个栏目，新增失效链接 2 个 …" for
// the kinds present, in the listing order.
func columnChangeCounts(list []ColumnChange) string {
	n := map[string]int{}
	for _, c := range list {
		n[c.Change]++
	}
	var parts []string
	for _, k := range columnChangeOrder {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", ColumnChangeLabel(k), n[k]))
		}
	}
	return strings.Join(parts, "，")
}

// mdColumnChanges writes the column health section of 变化.md.
func mdColumnChanges(p func(string, ...any), list []ColumnChange) {
	p("## 栏目健康变化（%d 项）\n\n", len(list))
	if len(list) == 0 {
		p("无。\n\n")
		return
	}
	p("%s。\n\n", columnChangeCounts(list))
	p("| 县区 | 栏目 | 变化 | 说明 | 页面 | 证据 |\n|---|---|---|---|---|---|\n")
	for _, c := range list {
		page := ""
		if c.Page != "" {
			page = mdLink(c.Page)
		}
		if c.Link != "" {
			page += " → " + mdLink(c.Link)
		}
		ev := ""
		if c.CaptureID != "" {
			ev = "`" + strings.NewReplacer("`", "", "|", "").Replace(c.CaptureID) + "`"
		}
		p("| %s | %s | %s | %s | %s | %s |\n", mdText(c.County), mdText(c.Source+" / "+c.Column), mdText(c.Label), mdText(c.Summary), page, ev)
	}
	p("\n")
}

// mdLink is a URL as a Markdown link (text when it is no web address).
func mdLink(u string) string {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return "[链接](<" + strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "|", "%7C").Replace(u) + ">)"
	}
	return mdText(u)
}
