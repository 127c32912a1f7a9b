package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// What the office does with the workbook: sort by date, click a link,
// print a sheet on A4 with its header on every page.
func TestRenderXLSXDatesLinksAndPrintSetup(t *testing.T) {
	r := renderSampleReport()
	r.Findings[0].Title = "+86 热线；-1 号；@所有人"
	var buf bytes.Buffer
	if err := RenderXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	col := func(sheet, header string) string {
		t.Helper()
		rows, _ := f.GetRows(sheet)
		for i, h := range rows[0] {
			if h == header {
				name, _ := excelize.ColumnNumberToName(i + 1)
				return name
			}
		}
		t.Fatalf("%s has no column %s", sheet, header)
		return ""
	}
	numFmt := func(sheet, cell string) string {
		t.Helper()
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil {
			return ""
		}
		return *st.CustomNumFmt
	}
	raw := func(sheet, cell string) string {
		v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		return v
	}

	// 逾期 row 2 is the late finding of the fixture.
	due := col("逾期", "应公开日期") + "2"
	if v, _ := f.GetCellValue("逾期", due); v != "2020-07-29" {
		t.Errorf("应公开日期 shows %q", v)
	}
	// 2020-07-29 is day 44041 of Excel's 1900 calendar: a number, not text.
	if typ, _ := f.GetCellType("逾期", due); raw("逾期", due) != "44041" || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("应公开日期 stored as %q (type %v), want the date serial 44041", raw("逾期", due), typ)
	}
	if got := numFmt("逾期", due); got != "yyyy-mm-dd" {
		t.Errorf("应公开日期 number format %q", got)
	}
	seen := col("逾期", "首次发现") + "2"
	// 2020-08-06 02:00 China time, as the report states it.
	if v, _ := f.GetCellValue("逾期", seen); v != "2020-08-06 02:00:00" || !strings.HasPrefix(raw("逾期", seen), "44049.083") {
		t.Errorf("首次发现 shows %q, raw %q", v, raw("逾期", seen))
	}
	sync := col("来源", "最近同步") + "2"
	if v, _ := f.GetCellValue("来源", sync); v != "2021-01-03 02:00:00" {
		t.Errorf("最近同步 shows %q", v)
	}
	// A finding without a published date leaves the cell empty.
	if v, _ := f.GetCellValue("未公开", col("未公开", "公开日期")+"2"); v != "" {
		t.Errorf("未公开 公开日期 %q", v)
	}

	link := col("逾期", "链接") + "2"
	formula, _ := f.GetCellFormula("逾期", link)
	const u = "http://xxgk.zezhou.gov.cn/zfxxgk/202008/t20200805_1.shtml"
	if formula != `HYPERLINK("`+u+`")` {
		t.Errorf("链接 formula %q", formula)
	}
	if v, _ := f.GetCellValue("逾期", link); v != u {
		t.Errorf("链接 shows %q, want the URL", v)
	}
	if items, _ := f.GetRows("已采集"); len(items) > 1 {
		if formula, _ := f.GetCellFormula("已采集", col("已采集", "链接")+"2"); !strings.HasPrefix(formula, `HYPERLINK("http`) {
			t.Errorf("已采集 链接 formula %q", formula)
		}
	}

	// Formula-looking harvested text stays text: no formula, the text as is.
	for _, c := range []struct{ sheet, header string }{{"逾期", "名称"}, {"待核实", "名称"}} {
		cell := col(c.sheet, c.header) + "2"
		if formula, _ := f.GetCellFormula(c.sheet, cell); formula != "" {
			t.Errorf("%s %s became a formula: %q", c.sheet, cell, formula)
		}
	}
	if v, _ := f.GetCellValue("逾期", col("逾期", "名称")+"2"); v != "+86 热线；-1 号；@所有人" {
		t.Errorf("名称 %q", v)
	}

	titles := map[string]string{}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" {
			titles[d.Scope] = d.RefersTo
		}
	}
	for _, sheet := range XLSXSheets {
		lay, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if lay.Orientation == nil || *lay.Orientation != "landscape" || lay.Size == nil || *lay.Size != 9 ||
			lay.FitToWidth == nil || *lay.FitToWidth != 1 || lay.FitToHeight == nil || *lay.FitToHeight != 0 {
			t.Errorf("%s page layout: %+v", sheet, lay)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fit to page not set (%v)", sheet, err)
		}
		if want := "'" + sheet + "'!$1:$1"; titles[sheet] != want {
			t.Errorf("%s: print titles %q, want %q", sheet, titles[sheet], want)
		}
		// Set before streaming, the settings survive the stream writer.
		if panes, _ := f.GetPanes(sheet); !panes.Freeze {
			t.Errorf("%s lost its frozen header", sheet)
		}
	}
}
