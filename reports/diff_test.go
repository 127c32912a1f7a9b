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
