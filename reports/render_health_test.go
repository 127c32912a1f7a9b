package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/audit"
)

// healthReport is the sample report with two columns' health: a stale
// news column with a dead link and a re-dated page, and a blank one.
func healthReport() *audit.Report {
	r := renderSampleReport()
	r.ColumnHealth = []audit.ColumnHealth{
		{County: "城区", Source: "chengqu", Column: "工作动态", URL: "http://cq.example/gzdt/", Kind: "news", AllowedDays: 14,
			Newest: "2020-11-30", DaysWithoutNew: 31, Items: 12, Complete: true, Stale: true,
			DeadLinks: []audit.DeadLink{{Page: "http://cq.example/gzdt/1.shtml", PageCapture: "urn:uuid:page", Link: "http://cq.example/gzdt/a.pdf", Error: "HTTP 404"},
				{Page: "http://cq.example/gzdt/1.shtml", PageCapture: "urn:uuid:page", Link: "http://cq.example/old/n.html", Name: "原通知", Error: "HTTP 404",
					Type: audit.DeadInternal, LinkCapture: "urn:uuid:check"}},
			Redated:  []audit.Redated{{URL: "http://cq.example/gzdt/2.shtml", From: "2020-11-01", To: "2020-11-30", CaptureID: "urn:uuid:v2"}},
			Verdict:  "超期未更新（最近一条 2020-11-30）；有失效链接 1 个；有发布日期被改动的信息 1 条",
			Evidence: []audit.HealthEvidence{{URL: "http://cq.example/gzdt/2.shtml", CaptureID: "urn:uuid:v2", Note: "栏目中最新的一条信息"}}},
		{County: "泽州县", Source: "zezhou", Column: "投诉举报", URL: "http://zz.example/tsjb", Kind: "catalogue", AllowedDays: 183,
			Complete: true, Blank: true, Verdict: audit.HealthBlank,
			Evidence: []audit.HealthEvidence{{URL: "http://zz.example/tsjb", CaptureID: "urn:uuid:list", Note: "列表为空，网站显示无信息"}}},
	}
	return r
}

// The 栏目健康 section: the same rows, verdicts and evidence in JSON, HTML,
// Markdown and the XLSX sheet.
func TestRenderColumnHealth(t *testing.T) {
	r := healthReport()
	var js bytes.Buffer
	if err := RenderJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var back struct {
		ColumnHealth []audit.ColumnHealth `json:"column_health"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.ColumnHealth) != 2 || !back.ColumnHealth[0].Stale ||
		back.ColumnHealth[0].DeadLinks[0].Error != "HTTP 404" || !back.ColumnHealth[1].Blank {
		t.Fatalf("column_health round trip: %v %+v", err, back.ColumnHealth)
	}

	var html, md bytes.Buffer
	if err := RenderHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	if err := RenderMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"html": html.String(), "md": md.String()} {
		for _, want := range []string{"栏目健康", "工作动态", "动态类", "超期未更新", "空白栏目", "失效链接：http://cq.example/gzdt/a.pdf（HTTP 404）见于 http://cq.example/gzdt/1.shtml",
			"失效链接（正文中的站内链接“原通知”）：http://cq.example/old/n.html（HTTP 404）见于 http://cq.example/gzdt/1.shtml（采集记录 urn:uuid:page）；检查记录 urn:uuid:check",
			"发布日期改动：http://cq.example/gzdt/2.shtml 由 2020-11-01 改为 2020-11-30", "urn:uuid:list", "国办秘函〔2019〕19号"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: %q missing", name, want)
			}
		}
	}

	var x bytes.Buffer
	if err := RenderXLSX(&x, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("栏目健康")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || strings.Join(rows[0], ",") != strings.Join(healthHeader, ",") {
		t.Fatalf("栏目健康 rows: %q", rows)
	}
	if rows[1][2] != "工作动态" || rows[1][5] != "31" || rows[1][6] != "14" || rows[1][9] != "2" || !strings.Contains(rows[1][12], "超期未更新") ||
		rows[2][7] != "是" || rows[2][12] != audit.HealthBlank {
		t.Errorf("栏目健康 cells: %q", rows[1:])
	}
}
