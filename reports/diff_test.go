package reports

import (
	"bytes"
	"encoding/json"
	"gongkai/audit"
	"strings"
	"testing"
)

func TestDiffFindsNewResolvedAndChangedFlags(t *testing.T) {
	prev := renderSampleReport()
	cur := renderSampleReport()
	cur.AsOf = "2021-01-07"
	// 泽州县 3.1 消费提示: missing last week, published late this week.
	cur.Findings[3].Status = audit.Late
	cur.Findings[3].Published = "2021-01-05"
	cur.Findings[3].LateWorkdays = 240
	// 高平市 2.1: unverified last week, observed and found on time now.
	cur.Findings[4].Status = audit.OnTime
	cur.Findings[4].Published = "2020-11-20"
	cur.Findings[4].Notes = nil
	// 高平市 1.1 became due and was not published.
	cur.Findings[5].Status = audit.Missing
	// 城区 2.2 dropped out of the report (re-imported without it).
	cur.Findings = append(cur.Findings[:6:6], audit.Finding{County: "城区", Item: "2.3", RecordNo: "城市监罚〔2020〕9号",
		Channel: "政府网站", Status: audit.Missing, FormedOn: "2020-10-09", Due: "2020-11-06"})
	cur.Counties[1].Score = 0.61

	c := Diff(prev, cur)
	keys := func(list []FlagChange) []string {
		var out []string
		for _, ch := range list {
			out = append(out, ch.County+" "+ch.Item+" "+ch.RecordNo)
		}
		return out
	}
	if got := strings.Join(keys(c.New), "|"); got != "城区 2.3 城市监罚〔2020〕9号|高平市 1.1 高市监查〔2020〕3号" {
		t.Errorf("new = %s", got)
	}
	if got := strings.Join(keys(c.Resolved), "|"); got != "高平市 2.1 高市监罚〔2020〕7号" {
		t.Errorf("resolved = %s", got)
	}
	if got := strings.Join(keys(c.Changed), "|"); got != "泽州县 3.1 XF-2020-03" {
		t.Errorf("changed = %s", got)
	}
	if ch := c.Changed[0]; !strings.Contains(ch.Summary, "由未公开变为逾期公开") || !strings.Contains(ch.Summary, "逾期 240 个工作日") {
		t.Errorf("changed summary = %q", ch.Summary)
	}
	if c.Statuses[2].Status != audit.Missing || c.Statuses[2].Before != 1 || c.Statuses[2].After != 2 {
		t.Errorf("missing delta = %+v", c.Statuses[2])
	}
	if cc := c.Counties[1]; cc.County != "泽州县" || *cc.Before != 0.58 || *cc.After != 0.61 {
		t.Errorf("county change = %+v", cc)
	}

	var md bytes.Buffer
	if err := RenderChangesMarkdown(&md, c); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# 本周变化（2020-12-31 → 2021-01-07）", "新增问题 2 条，已解决 1 条，情况变化 1 条。",
		"| 未公开 | 1 | 2 | +1 |", "## 已解决（1 条）", "已解决：现为按时公开"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("变化.md lacks %q", want)
		}
	}
	var js bytes.Buffer
	if err := RenderChangesJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	var back Changes
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.New) != 2 || back.Previous != "2020-12-31" {
		t.Errorf("changes.json round trip: %v %+v", err, back)
	}
}

func TestDiffAgainstNothingMakesEveryFlagNew(t *testing.T) {
	cur := renderSampleReport()
	c := Diff(nil, cur)
	if len(c.New) != 4 || len(c.Resolved) != 0 || len(c.Changed) != 0 {
		t.Errorf("new %d resolved %d changed %d", len(c.New), len(c.Resolved), len(c.Changed))
	}
	if same := Diff(cur, renderSampleReport()); !same.Empty() {
		t.Errorf("identical reports differ: %+v", same)
	}
	var md bytes.Buffer
	RenderChangesMarkdown(&md, c)
	if !strings.Contains(md.String(), "首次报告") {
		t.Errorf("first report not said: %s", md.String())
	}
}

// Column health from one week to the next: every kind of change, matched
// by county, source and column, with its evidence, in JSON and in 变化.md.
func TestDiffColumnHealth(t *testing.T) {
	col := func(name string) audit.ColumnHealth {
		return audit.ColumnHealth{County: "泽州县", Source: "zezhou", Column: name, URL: "http://zz.example/" + name + "/",
			Kind: "news", AllowedDays: 14, Complete: true, Items: 3, Verdict: audit.HealthOK}
	}
	prev, cur := renderSampleReport(), renderSampleReport()
	cur.AsOf = "2021-01-07"
	a, b, c, d := col("工作动态"), col("通知公告"), col("政策文件"), col("行政处罚")
	a.Newest = "2020-12-20"
	b.Stale, b.Newest = true, "2020-06-01"
	c.Blank, c.Items = true, 0
	d.DeadLinks = []audit.DeadLink{{Page: "http://zz.example/p1.html", PageTitle: "通知一", Link: "http://zz.example/gone.html", Error: "HTTP 404"}}
	prev.ColumnHealth = []audit.ColumnHealth{a, b, c, d}
	a2, b2, c2, d2 := a, b, c, d
	a2.Stale, a2.DaysWithoutNew = true, 18
	a2.Evidence = []audit.HealthEvidence{{URL: "http://zz.example/n1.html", CaptureID: "urn:uuid:n1"}}
	b2.Stale, b2.Newest = false, "2021-01-04"
	c2.Blank, c2.Items = false, 1
	d2.DeadLinks = []audit.DeadLink{{Page: "http://zz.example/p2.html", PageTitle: "通知二", PageCapture: "urn:uuid:p2", Link: "http://zz.example/old.html", Error: "HTTP 404"}}
	d2.Redated = []audit.Redated{{URL: "http://zz.example/p3.html", Title: "通知三", From: "2020-12-01", To: "2021-01-05", CaptureID: "urn:uuid:p3"}}
	d2.Withdrawn = []audit.HealthEvidence{{URL: "http://zz.example/p1.html", Title: "通知一", Date: "2021-01-06", CaptureID: "urn:uuid:p1"}}
	cur.ColumnHealth = []audit.ColumnHealth{a2, b2, c2, d2}

	ch := Diff(prev, cur)
	var got []string
	for _, x := range ch.Columns {
		got = append(got, x.Column+" "+x.Change+" "+x.Page+" "+x.Link+" "+x.CaptureID)
	}
	want := []string{
		"工作动态 newly_stale http://zz.example/n1.html  urn:uuid:n1",
		"通知公告 recovered   ",
		"政策文件 no_longer_blank   ",
		"行政处罚 new_dead_link http://zz.example/p2.html http://zz.example/old.html urn:uuid:p2",
		"行政处罚 fixed_dead_link http://zz.example/p1.html http://zz.example/gone.html ",
		"行政处罚 new_redated http://zz.example/p3.html  urn:uuid:p3",
		"行政处罚 new_withdrawn http://zz.example/p1.html  urn:uuid:p1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("column changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, x := range ch.Columns {
		if x.Change == ColumnFixedDead && !strings.Contains(x.Summary, "所在页面已撤下") {
			t.Errorf("a dead link gone with its withdrawn page: %q", x.Summary)
		}
	}
	// Nothing changed: no column changes; a column new to the report is
	// compared with a healthy one.
	if same := Diff(cur, cur); len(same.Columns) != 0 {
		t.Errorf("identical reports: %+v", same.Columns)
	}
	first := Diff(nil, prev)
	if len(first.Columns) != 3 || first.Columns[0].Change != ColumnNewlyStale || first.Columns[1].Change != ColumnNewlyBlank {
		t.Errorf("first week: %+v", first.Columns)
	}

	var md bytes.Buffer
	if err := RenderChangesMarkdown(&md, ch); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"栏目健康变化 7 项。", "## 栏目健康变化（7 项）", "新出现超期未更新 1，恢复更新 1，不再空白 1，新增失效链接 1，失效链接已消除 1，新增发布日期被改动 1，新增撤下信息 1",
		"| 泽州县 | zezhou / 行政处罚 | 新增失效链接 | 页面“通知二”中的链接 http://zz.example/old.html 失效（HTTP 404） |",
		"“通知三”的发布日期由 2020-12-01 改为 2021-01-05", "`urn:uuid:p2`"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("变化.md lacks %q:\n%s", want, md.String())
		}
	}
	var js bytes.Buffer
	if err := RenderChangesJSON(&js, ch); err != nil {
		t.Fatal(err)
	}
	var back Changes
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Columns) != 7 || back.Columns[3].Label != "新增失效链接" {
		t.Errorf("changes.json round trip: %v %+v", err, back.Columns)
	}
	if !strings.Contains(js.String(), `"columns": [`) || !strings.Contains(js.String(), `"change": "fixed_dead_link"`) {
		t.Errorf("changes.json lacks the columns")
	}
}
