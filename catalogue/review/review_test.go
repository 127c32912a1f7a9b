package review

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/catalogue"
	"gongkai/catalogue/review/internal/examplecat"
)

const (
	faithfulFile = "../../examples/county-catalogue.xlsx"
	faultsFile   = "../../examples/county-catalogue-faults.xlsx"
)

func reviewFile(t *testing.T, path string) *Result {
	t.Helper()
	tab, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Review(catalogue.Default(), "泽州县", tab)
}

func rowRules(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%d %s", f.Row, f.Rule))
	}
	slices.Sort(out)
	return out
}

func plantedRowRules(ps []examplecat.Planted) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%d %s", p.Row, p.Rule))
	}
	slices.Sort(out)
	return out
}

func TestFaithfulExampleHasNoFindings(t *testing.T) {
	res := reviewFile(t, faithfulFile)
	if len(res.Findings) != 0 {
		t.Fatalf("findings in the faithful copy: %+v", res.Findings)
	}
}

// The faithful example has two header rows and the 一级事项 merged over its
// rows: every row must carry its group, and the channel cell its line breaks.
func TestTwoHeaderRowsAndMergedCellsAreRead(t *testing.T) {
	tab, err := ReadFile(faithfulFile)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Title != examplecat.FaithfulTitle || tab.Sheet != "本级目录" {
		t.Errorf("title %q sheet %q", tab.Title, tab.Sheet)
	}
	if len(tab.Rows) != 17 || tab.Rows[0].Line != examplecat.FirstDataRow {
		t.Fatalf("%d rows, first at line %d", len(tab.Rows), tab.Rows[0].Line)
	}
	wantGroup := map[string]string{"1": "1. 监督检查", "2": "2. 行政处罚", "3": "3. 公共服务", "4": "4. 行政许可"}
	for _, r := range tab.Rows {
		code, _ := splitCode(r.Get(FieldL2))
		if g := r.Get(FieldL1); g != wantGroup[code[:1]] {
			t.Errorf("row %d (%s): 一级事项 %q", r.Line, code, g)
		}
		if !strings.Contains(r.Get(FieldChannels), "\n") || !isTicked(r.Get(FieldAudAll)) || !isTicked(r.Get(FieldModeActive)) {
			t.Errorf("row %d: channels %q audience %q mode %q", r.Line, r.Get(FieldChannels), r.Get(FieldAudAll), r.Get(FieldModeActive))
		}
	}
	// 1.7 is the seventh row of the merged 监督检查 range: its value is only in the range's first cell.
	if tab.Rows[6].Get(FieldL2) != "1.7由县级组织的医疗器械抽检" {
		t.Errorf("row 7: %q", tab.Rows[6].Get(FieldL2))
	}
	if isTicked(tab.Rows[1].Get(FieldLevelCounty)) || !isTicked(tab.Rows[0].Get(FieldLevelCounty)) {
		t.Errorf("县级 ticks: 1.1 %q, 1.2 %q", tab.Rows[0].Get(FieldLevelCounty), tab.Rows[1].Get(FieldLevelCounty))
	}
}

func TestFaultsExampleYieldsExactlyItsPlantedFindings(t *testing.T) {
	res := reviewFile(t, faultsFile)
	_, planted := examplecat.Faults()
	if got, want := rowRules(res.Findings), plantedRowRules(planted); !reflect.DeepEqual(got, want) {
		t.Fatalf("findings (row rule):\n got %q\nwant %q\n%+v", got, want, res.Findings)
	}
	for _, f := range res.Findings {
		if f.Column == "" || f.Item == "" || f.Message == "" {
			t.Errorf("incomplete finding %+v", f)
		}
	}
}

// The shipped XLSX files are what the generator makes (so they can be remade),
// and the faults file documents its faults in its 说明 sheet.
func TestShippedExamplesMatchTheGenerator(t *testing.T) {
	dir := t.TempDir()
	rows, planted := examplecat.Faults()
	for _, c := range []struct {
		shipped, title string
		rows           []examplecat.Row
		notes          [][]string
	}{
		{faithfulFile, examplecat.FaithfulTitle, examplecat.Faithful(), nil},
		{faultsFile, examplecat.FaultsTitle, rows, examplecat.FaultsNotes(planted)},
	} {
		f, err := examplecat.XLSX(c.title, c.rows, c.notes)
		if err != nil {
			t.Fatal(err)
		}
		gen := filepath.Join(dir, filepath.Base(c.shipped))
		if err := f.SaveAs(gen); err != nil {
			t.Fatal(err)
		}
		want, err := ReadFile(gen)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(c.shipped)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Rows, want.Rows) || got.Title != want.Title {
			t.Errorf("%s differs from the generator's output: run go run ./catalogue/review/internal/examplecat/gen", c.shipped)
		}
	}
}

func TestCSVExportIsReviewedLikeTheWorkbook(t *testing.T) {
	rows, planted := examplecat.Faults()
	res := reviewBytes(t, examplecat.CSV(examplecat.FaultsTitle, rows), "faults.csv")
	if got, want := rowRules(res.Findings), plantedRowRules(planted); !reflect.DeepEqual(got, want) {
		t.Fatalf("CSV findings:\n got %q\nwant %q", got, want)
	}
	// Excel in China saves CSV in the ANSI code page (GBK; GB18030 has ☑).
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(examplecat.CSV(examplecat.FaithfulTitle, examplecat.Faithful()))
	if err != nil {
		t.Fatal(err)
	}
	if res := reviewBytes(t, gbk, "faithful.csv"); len(res.Findings) != 0 {
		t.Fatalf("GBK CSV of the faithful copy: %+v", res.Findings)
	}
}

func reviewBytes(t *testing.T, data []byte, name string) *Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return reviewFile(t, path)
}

func saveXLSX(t *testing.T, rows []examplecat.Row) string {
	t.Helper()
	f, err := examplecat.XLSX("测试目录", rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "c.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// One header row, words instead of ticks, no merged cells (the 一级事项 only
// on its group's first row).
func TestOneHeaderRowWithWords(t *testing.T) {
	rows := examplecat.Faithful()
	f, err := examplecat.OneHeaderXLSX(rows)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "one.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	if res := reviewFile(t, path); len(res.Findings) != 0 {
		t.Fatalf("faithful, one header row: %+v", res.Findings)
	}
	rows[7].Levels = []string{"县级"} // 2.1 drops 乡级
	rows[7].Mode = "依申请"
	if f, err = examplecat.OneHeaderXLSX(rows); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	if got := rowRules(reviewFile(t, path).Findings); !reflect.DeepEqual(got, []string{"9 level.dropped", "9 mode.dropped"}) {
		t.Fatalf("findings %q", got)
	}
}

// Allowed changes become the county's rules: the accepted variant carries the
// added 三级事项, the stricter limits (the loosest of an item's rows) and the
// channels every row adds, and catalogue.ApplyVariant reads it.
func TestAcceptedCatalogueBecomesTheCountyVariant(t *testing.T) {
	rows := examplecat.Faithful()
	r11 := rows[0]
	r11.L3, r11.Time = "食品销售者监督检查", "信息形成或变更之日起10个工作日内"
	r11b := r11
	r11b.L3, r11b.Time = "餐饮服务提供者监督检查", "信息形成或变更之日起15个工作日内"
	r11.Channels = append(r11.Channels, catalogue.WeMedia) // on one row only: not required of the item
	rows = append([]examplecat.Row{r11, r11b}, rows[1:]...)
	rows[14].Channels = append(rows[14].Channels, catalogue.ServiceCenter) // 3.3 (one row added above)
	rows[13].Content += "、处置结果"                                            // 3.2
	rows[8].Content += "、处罚履行方式和期限"                                        // 2.1
	rows[0].Content += "、整改措施"                                             // 1.1, one 三级事项 only: a comment
	rows[2].Levels = []string{"县级"}                                        // 1.2 adds a level
	rows[2].Basis += "《市场监督管理行政执法责任制规定》"                                   // and a basis
	res := Review(catalogue.Default(), "泽州县", mustRead(t, saveXLSX(t, rows)))
	if len(res.Findings) != 0 {
		t.Fatalf("allowed changes reported: %+v", res.Findings)
	}
	data, err := VariantYAML(catalogue.Default(), res, "c.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	v, err := catalogue.ApplyVariantBytes(catalogue.Default(), data, "v.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	it, _ := v.Item("1.1")
	if v.County != "泽州县" || !reflect.DeepEqual(it.Sub, []string{"食品销售者监督检查", "餐饮服务提供者监督检查"}) ||
		it.TimeLimit.Workdays != 15 || it.HasChannel(catalogue.WeMedia) {
		t.Errorf("1.1 = %+v\n%s", it, data)
	}
	if it, _ := v.Item("3.3"); !it.HasChannel(catalogue.ServiceCenter) {
		t.Errorf("3.3 channels %v", it.Channels)
	}
	// Added elements become the county's requirement (before this key
	// existed they were only a comment).
	if it, _ := v.Item("3.2"); !slices.Contains(it.Elements, "处置结果") {
		t.Errorf("3.2 elements %v\n%s", it.Elements, data)
	}
	if it, _ := v.Item("2.1"); !slices.Contains(it.Elements, "处罚履行方式和期限") {
		t.Errorf("2.1 elements %v\n%s", it.Elements, data)
	}
	if it, _ := v.Item("1.1"); slices.Contains(it.Elements, "整改措施") || !bytes.Contains(data, []byte("# 1.1 部分三级事项增加的公开内容: 整改措施")) {
		t.Errorf("1.1 elements %v (an element of one 三级事项 is no requirement of the item)\n%s", it.Elements, data)
	}
	if it, _ := v.Item("1.2"); !slices.Equal(it.Levels, []string{"县级"}) || !slices.Contains(it.Basis, "《市场监督管理行政执法责任制规定》") {
		t.Errorf("1.2 levels %v basis %v\n%s", it.Levels, it.Basis, data)
	}
	for _, want := range []string{"    elements:\n      - \"处置结果\"", "食品生产经营许可服务指南", "食品生产经营许可基本信息"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("variant lacks %q:\n%s", want, data)
		}
	}
	if _, err := VariantYAML(catalogue.Default(), reviewFile(t, faultsFile), "f.xlsx"); err == nil {
		t.Error("a catalogue with findings was accepted")
	}
}

func mustRead(t *testing.T, path string) *Table {
	t.Helper()
	tab, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestHeaderWithoutRequiredColumnsNamesFileAndRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(path, []byte("标题\n序号,一级事项,二级事项,公开内容（要素）\n1,监督检查,1.1食品生产经营监督检查,检查制度\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(path)
	if err == nil || !strings.Contains(err.Error(), "bad.csv: 第2行表头缺少列: 公开依据、公开时限、公开渠道和载体、公开对象、公开方式、公开层级") {
		t.Fatalf("err = %v", err)
	}
}

func TestCellReaders(t *testing.T) {
	for s, want := range map[string]int{"信息形成之日起20个工作日内": 20, "信息形成之日起 7 个工作日内": 7, "十五个工作日内": 15, "二十个工作日": 20, "七个工作日": 7, "20日内": 0} {
		if got, _ := parseWorkdays(s); got != want {
			t.Errorf("parseWorkdays(%q) = %d, want %d", s, got, want)
		}
	}
	chs, unk := channelsOf("√政府网站 □两微一端\n☑其他: 国家企业信用信息公示系统")
	if !reflect.DeepEqual(chs, []catalogue.Channel{catalogue.Website, catalogue.Credit}) || unk != nil {
		t.Errorf("channels %v unknown %v", chs, unk)
	}
	chs, unk = channelsOf("政府网站、公示栏、县融媒体中心")
	if !reflect.DeepEqual(chs, []catalogue.Channel{catalogue.Website, catalogue.Bulletin}) || !reflect.DeepEqual(unk, []string{"县融媒体中心"}) {
		t.Errorf("channels %v unknown %v", chs, unk)
	}
	if got := tickedWords("☑县级 □乡级", "县级", "乡级"); !got["县级"] || got["乡级"] {
		t.Errorf("levels %v", got)
	}
	for s, want := range map[string][2]string{"1.1食品生产经营监督检查": {"1.1", "食品生产经营监督检查"}, "2.行政处罚": {"2", "行政处罚"},
		"3.4 食品药品安全宣传周": {"3.4", "食品药品安全宣传周"}, "一、监督检查": {"一", "监督检查"}, "食品安全抽检": {"", "食品安全抽检"}} {
		if c, n := splitCode(s); c != want[0] || n != want[1] {
			t.Errorf("splitCode(%q) = %q %q", s, c, n)
		}
	}
}

// A 二级事项 with a different number and an unrecognisable name is an extra
// item, and the municipal one it replaced is missing; a new 一级事项 holding
// municipal items is a renamed group.
func TestExtraItemAndRenamedGroup(t *testing.T) {
	rows := examplecat.Faithful()
	rows[2].L2 = "1.9网络餐饮专项整治" // replaces 1.3
	for i := 7; i <= 10; i++ {
		rows[i].L1 = "2. 执法办案" // 行政处罚 renamed
	}
	res := Review(catalogue.Default(), "泽州县", mustRead(t, saveXLSX(t, rows)))
	want := []string{"6 framework.extra", "11 framework.group_renamed", "0 framework.missing"}
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%d %s", f.Row, f.Rule))
	}
	if !reflect.DeepEqual(got, want) { // in the order of the file, absent items last
		t.Fatalf("findings %q, want %q\n%+v", got, want, res.Findings)
	}
}

// A word added to a name, other punctuation or numbering, and the items in
// another order are the county's choice, not findings; an item listed twice
// apart is.
func TestMildRenamesAndReorderingAreAllowed(t *testing.T) {
	rows := examplecat.Faithful()
	rows[0].L2 = "（一）食品生产经营日常监督检查"
	rows[3].L2 = "1.4 药品零售、医疗器械经营监督检查"
	rows[7], rows[8] = rows[8], rows[7] // 2.2 before 2.1
	rows[7].L2 = "2.1药品监管行政处罚"          // and renumbered
	res := Review(catalogue.Default(), "泽州县", mustRead(t, saveXLSX(t, rows)))
	if len(res.Findings) != 0 {
		t.Fatalf("findings %+v", res.Findings)
	}
	rows = append(rows, rows[0])
	rows[len(rows)-1].L1 = rows[len(rows)-2].L1
	res = Review(catalogue.Default(), "泽州县", mustRead(t, saveXLSX(t, rows)))
	if got := rowRules(res.Findings); !reflect.DeepEqual(got, []string{"21 framework.duplicate"}) {
		t.Fatalf("findings %q", got)
	}
}
