package reports

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"gongkai/audit"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestRenderJSONUsesContractNamesAndRoundTrips(t *testing.T) {
	r := renderSampleReport()
	var buf bytes.Buffer
	if err := RenderJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	for _, k := range []string{"as_of", "generated_at", "catalogue", "sources", "findings", "coverage", "items"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("top-level key %q missing", k)
		}
	}
	f0 := raw["findings"].([]any)[0].(map[string]any)
	want := map[string]any{"county": "泽州县", "item": "2.1", "record_no": "泽市监罚〔2020〕12号", "channel": "政府网站",
		"status": "late", "formed_on": "2020-07-01", "due": "2020-07-29", "published": "2020-08-05", "late_workdays": 5.0,
		"url": "http://xxgk.zezhou.gov.cn/zfxxgk/202008/t20200805_1.shtml", "evidence": "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		"missing_elements": []any{"处罚依据"}, "title": renderXSSTitle}
	for k, v := range want {
		if !reflect.DeepEqual(f0[k], v) {
			t.Errorf("findings[0].%s = %#v, want %#v", k, f0[k], v)
		}
	}
	c0 := raw["coverage"].([]any)[1].(map[string]any)
	for _, k := range []string{"county", "item", "expected", "ontime", "late", "missing", "pending", "unverified", "published_items", "score"} {
		if _, ok := c0[k]; !ok {
			t.Errorf("coverage key %q missing", k)
		}
	}
	s0 := raw["sources"].([]any)[0].(map[string]any)
	for _, k := range []string{"county", "source", "channel", "complete", "last_sync", "errors"} {
		if _, ok := s0[k]; !ok {
			t.Errorf("sources key %q missing", k)
		}
	}
	i0 := raw["items"].([]any)[0].(map[string]any)
	for _, k := range []string{"county", "channel", "url", "title", "item", "published", "first_seen", "record_nos"} {
		if _, ok := i0[k]; !ok {
			t.Errorf("items key %q missing", k)
		}
	}
	// Harvested text is written as itself, not \u003c-escaped: JSON is
	// not HTML, and auditors read these files.
	if !strings.Contains(buf.String(), `"title":"<script>alert(1)</script>`) {
		t.Errorf("title not written literally")
	}
	dateRE := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	for _, f := range raw["findings"].([]any) {
		for _, k := range []string{"formed_on", "due", "published"} {
			if v, ok := f.(map[string]any)[k].(string); ok && !dateRE.MatchString(v) {
				t.Errorf("%s = %q is not YYYY-MM-DD", k, v)
			}
		}
	}
	back, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Errorf("round trip changed the report:\n got %+v\nwant %+v", back, r)
	}
}

func TestRenderJSONWritesOneListElementPerLine(t *testing.T) {
	for _, r := range []*audit.Report{renderSampleReport(), {AsOf: "2020-12-31", Sources: []audit.SourceState{}, Findings: []audit.Finding{},
		Coverage: []audit.Coverage{}, Counties: []audit.CountyIndex{}, Items: []audit.Item{}}} {
		var got bytes.Buffer
		if err := RenderJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		// The same JSON value as encoding/json writes …
		var a, b any
		if err := json.Unmarshal(got.Bytes(), &a); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, got.String())
		}
		json.Unmarshal(want, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("streamed JSON differs from encoding/json:\n%s\n---\n%s", got.String(), want)
		}
		// … laid out one field, one list element per line.
		lines := strings.Split(strings.TrimSuffix(got.String(), "\n"), "\n")
		wantLines := 2 + len(a.(map[string]any)) + len(r.Sources) + len(r.Findings) + len(r.Coverage) + len(r.Counties) + len(r.Items) + len(r.Ambiguities)
		for _, list := range []int{len(r.Sources), len(r.Findings), len(r.Coverage), len(r.Counties), len(r.Items), len(r.Ambiguities)} {
			if list > 0 {
				wantLines++ // the closing bracket
			}
		}
		if len(lines) != wantLines {
			t.Errorf("%d lines, want %d:\n%s", len(lines), wantLines, got.String())
		}
		if len(r.Findings) > 0 {
			i := slices.Index(lines, `  "findings": [`)
			if i < 0 || !strings.HasPrefix(lines[i+1], `    {"county":"泽州县","item":"2.1","record_no":"泽市监罚〔2020〕12号"`) {
				t.Errorf("findings do not start one per line:\n%s", got.String())
			}
		}
	}
}

func TestRenderJSONWritesEmptyListsAsArrays(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderJSON(&buf, &audit.Report{AsOf: "2020-12-31"}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"sources", "findings", "coverage", "items"} {
		if !strings.Contains(buf.String(), `"`+k+`": []`) {
			t.Errorf("%s is not an empty array in %s", k, buf.String())
		}
	}
}

func TestRenderXLSXSheetsHeadersFiltersAndRows(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderXLSX(&buf, renderSampleReport()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, XLSXSheets) {
		t.Fatalf("sheets = %v, want %v", got, XLSXSheets)
	}
	for _, must := range []string{"汇总", "明细", "逾期", "未公开", "待核实", "已采集"} {
		if !slices.Contains(XLSXSheets, must) {
			t.Errorf("sheet %s missing", must)
		}
	}
	wantRows := map[string]int{"汇总": 1 + 3, "覆盖情况": 1 + 7, "明细": 1 + 7, "逾期": 1 + 1, "未公开": 1 + 1,
		"待核实": 1 + 1, "发布日期存疑": 1 + 1, "已采集": 1 + 4, "栏目健康": 1, "来源": 1 + 3}
	var findingHeaders []string
	for _, c := range findingColumns {
		findingHeaders = append(findingHeaders, c.Header)
	}
	for sheet, n := range wantRows {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != n {
			t.Errorf("%s: %d rows, want %d", sheet, len(rows), n)
		}
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: header row not frozen: %+v", sheet, panes)
		}
		if slices.Contains([]string{"明细", "逾期", "未公开", "待核实", "发布日期存疑"}, sheet) && !slices.Equal(rows[0], findingHeaders) {
			t.Errorf("%s headers = %v", sheet, rows[0])
		}
	}
	late, _ := f.GetRows("逾期")
	if late[1][3] != "泽市监罚〔2020〕12号" || late[1][7] != "逾期公开" || late[1][12] != "5" {
		t.Errorf("逾期 row = %v", late[1])
	}
	unverified, _ := f.GetRows("待核实")
	if unverified[1][4] != `=HYPERLINK("http://evil")` {
		t.Errorf("title cell = %q", unverified[1][4])
	}
	if formula, _ := f.GetCellFormula("待核实", "E2"); formula != "" {
		t.Errorf("harvested text became a formula: %q", formula)
	}
	summary, _ := f.GetRows("汇总")
	if !slices.Equal(summary[0][:4], []string{"县区", "指数", "及时性", "完整性"}) || summary[1][0] != "城区" || summary[1][1] != "60%" {
		t.Errorf("汇总 = %v", summary[:2])
	}
	if w, _ := f.GetColWidth("明细", "E"); w < 20 {
		t.Errorf("明细 title column width %v", w)
	}

	// The autofilter is in the sheet XML over the whole table.
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	filters := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, _ := zf.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if m := regexp.MustCompile(`<autoFilter ref="\$?A\$?1:\$?([A-Z]+)\$?(\d+)"`).FindSubmatch(data); m != nil {
			filters++
		} else {
			t.Errorf("%s has no autofilter", zf.Name)
		}
	}
	if filters != len(XLSXSheets) {
		t.Errorf("%d sheets with autofilter, want %d", filters, len(XLSXSheets))
	}
	n := 0
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" {
			n++
			last := string(rune('A' + len(findingColumns) - 1)) // one column per finding column
			if d.Scope == "明细" && d.RefersTo != "'明细'!$A$1:$"+last+"$8" && d.RefersTo != "'明细'!A1:"+last+"8" {
				t.Errorf("明细 filter range %q", d.RefersTo)
			}
		}
	}
	if n != len(XLSXSheets) {
		t.Errorf("%d filter ranges defined, want %d", n, len(XLSXSheets))
	}
}

func TestRenderXLSXSummarisesHugeItemLists(t *testing.T) {
	r := renderSampleReport()
	for len(r.Items) <= XLSXMaxItems {
		r.Items = append(r.Items, r.Items[0])
	}
	var buf bytes.Buffer
	if err := RenderXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("已采集")
	if len(rows) != 2 || !strings.Contains(rows[1][4], "JSON") {
		t.Errorf("已采集 = %d rows: %v", len(rows), rows[min(1, len(rows)-1)])
	}
	if details, _ := f.GetRows("明细"); len(details) != 1+len(r.Findings) {
		t.Errorf("明细 has %d rows", len(details))
	}
}

func TestRenderCSVHasBOMChineseHeadersAndOneRowPerFinding(t *testing.T) {
	var buf bytes.Buffer
	r := renderSampleReport()
	if err := RenderCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if !bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 BOM: % x", data[:3])
	}
	rows, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(r.Findings) {
		t.Fatalf("%d rows, want %d", len(rows), 1+len(r.Findings))
	}
	if rows[0][0] != "县区" || rows[0][3] != "编号" || rows[0][7] != "状态" {
		t.Errorf("header = %v", rows[0])
	}
	if rows[1][4] != renderXSSTitle || rows[1][7] != "逾期公开" || rows[1][8] != "逾期公开、要素不全" || rows[1][12] != "5" {
		t.Errorf("row 1 = %v", rows[1])
	}
	if rows[3][8] != "发布日期存疑" {
		t.Errorf("row 3 flags = %q", rows[3][8])
	}
	if rows[5][4] != `'=HYPERLINK("http://evil")` {
		t.Errorf("formula-like text not neutralised: %q", rows[5][4])
	}
	if rows[2][12] != "" {
		t.Errorf("on-time row has late workdays %q", rows[2][12])
	}
}

func TestRenderMarkdownHasSummaryMatrixAndEscapedFlags(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderMarkdown(&buf, renderSampleReport()); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for _, want := range []string{
		"# 食品药品监管领域政务公开核查报告",
		"- 截止日期：2020-12-31",
		"| 逾期公开 | 1 |",
		"| 县区 | 1.1 | 1.3 | 2.1 | 2.2 | 3.1 | 3.4 |",
		"| 泽州县 | — | 100% · 1/1 | 75% · 1/2 | — | 0% · 0/1 | — |",
		"| 城区 | — | — | — | 100% · 1/1 | — | 50% · 栏目 |",
		"| 高平市 | — | — | — | — | — | — |",
		"## 问题清单（4 条）",
		"泽市监罚〔2020〕12号",
		"[链接](<http://xxgk.zezhou.gov.cn/zfxxgk/202008/t20200805_1.shtml>)",
		"| 高平市 | 高平市人民政府信息公开 | 政府网站 | 否 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(md, "<b>") || strings.Contains(md, "<script>") {
		t.Errorf("harvested markup not escaped")
	}
	if strings.Contains(md, "](<javascript:") {
		t.Errorf("javascript: URL became a link")
	}
	// Every matrix row has as many cells as the header.
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| 泽州县 | —") && strings.Count(line, " |") != 7 {
			t.Errorf("matrix row has wrong cell count: %s", line)
		}
	}
}

func TestRenderHTMLIsSelfContainedAndEscaped(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderHTML(&buf, renderSampleReport()); err != nil {
		t.Fatal(err)
	}
	h := buf.String()
	if strings.Contains(h, "<script>alert(1)") || strings.Contains(h, "<b>有限公司") {
		t.Errorf("harvested markup reached the page unescaped")
	}
	if !strings.Contains(h, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("escaped title missing")
	}
	if strings.Contains(h, `href="javascript:`) {
		t.Errorf("javascript: URL became a link")
	}
	if !strings.Contains(h, `<link rel="icon" href="data:,">`) {
		t.Errorf("no inline favicon: the browser would request /favicon.ico")
	}
	for _, external := range []string{`src="http`, `src="//`, `rel="stylesheet"`, "@import", "url(", "ZgotmplZ\"" + ">"} {
		if strings.Contains(h, external) {
			t.Errorf("page references %q", external)
		}
	}
	if n := strings.Count(h, `<td class="cell `); n != 3*6 {
		t.Errorf("%d matrix cells, want 18", n)
	}
	if n := strings.Count(h, "<svg "); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}
	if n := strings.Count(h, "<tr class=\"st-"); n != 4 {
		t.Errorf("%d flag rows, want 4", n)
	}
	if !strings.Contains(h, `style="background:#1f77b4"`) {
		t.Errorf("legend colour was filtered out")
	}
}

func TestParseFormats(t *testing.T) {
	got, err := ParseFormats([]string{"xlsx,html", "json", "html"})
	if err != nil || !slices.Equal(got, []string{"json", "html", "xlsx"}) {
		t.Errorf("got %v, %v", got, err)
	}
	if got, _ := ParseFormats([]string{"all"}); !slices.Equal(got, Formats) {
		t.Errorf("all = %v", got)
	}
	if _, err := ParseFormats([]string{"pdf"}); err == nil || !strings.Contains(err.Error(), "pdf") {
		t.Errorf("pdf accepted: %v", err)
	}
	if _, err := ParseFormats(nil); err == nil {
		t.Errorf("no format accepted")
	}
}

// Text taken from sites is written as itself (no \u003c for <), and any
// byte sequence survives a round trip as encoding/json reads it.
func TestRenderJSONWritesHarvestedTextAsItself(t *testing.T) {
	r := &audit.Report{AsOf: "2020-12-31", Findings: []audit.Finding{{County: "泽州县", RecordNo: "<script>&amp;</script>"},
		{County: "城区", Title: "a\"b\\c\n\t\u2028😀"}}}
	var buf bytes.Buffer
	if err := RenderJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"record_no":"<script>&amp;</script>"`) {
		t.Errorf("HTML characters escaped or missing:\n%s", buf.String())
	}
	back, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if back.Findings[0].RecordNo != r.Findings[0].RecordNo || back.Findings[1].Title != r.Findings[1].Title {
		t.Errorf("round trip changed the text: %+v", back.Findings)
	}
}

// Elements the tool could not read are shown as 要素无法核实 in every
// format, apart from the missing ones.
func TestRenderUnverifiableElements(t *testing.T) {
	r := renderSampleReport()
	i := slices.IndexFunc(r.Findings, func(f audit.Finding) bool { return f.RecordNo == "城市监罚〔2020〕1号" })
	r.Findings[i].UnverifiableElements = []string{"违法事实", "处罚依据"}
	r.Findings[i].Notes = []string{"要素无法核实：附件「决定书.pdf」无法读取（PDF 没有可提取的文字层（可能是扫描件））"}
	for _, format := range Formats {
		var b bytes.Buffer
		if err := Render(&b, r, format); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		switch format {
		case "json":
			if !strings.Contains(out, `"unverifiable_elements":["违法事实","处罚依据"]`) {
				t.Errorf("json: no unverifiable_elements")
			}
		case "csv":
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := slices.Index(rows[0], "要素无法核实")
			if col < 0 || rows[i+1][col] != "违法事实、处罚依据" || rows[i+1][slices.Index(rows[0], "缺少要素")] != "" ||
				!strings.Contains(rows[i+1][slices.Index(rows[0], "问题")], audit.FlagElementsUnverified) {
				t.Errorf("csv: header %v, row %v", rows[0], rows[i+1])
			}
		case "html", "md":
			if !strings.Contains(out, "要素无法核实") || !strings.Contains(out, "违法事实、处罚依据") {
				t.Errorf("%s: the unverifiable elements are not shown", format)
			}
		}
	}
}
