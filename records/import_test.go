package records

import (
	"bytes"
	"errors"
	"fmt"
	"gongkai/region"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records/internal/exampledata"
)

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func read(t *testing.T, path string) []Record {
	t.Helper()
	recs, err := ReadFile(path, catalogue.Default(), calendar.Default())
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", path, err)
	}
	return recs
}

// withoutSource drops the Source field so records read from different
// files can be compared.
func withoutSource(recs []Record) []Record {
	out := make([]Record, len(recs))
	for i, r := range recs {
		r.Source = ""
		out[i] = r
	}
	return out
}

func TestExamplesImport(t *testing.T) {
	csvRecs := read(t, "../examples/records.csv")
	if len(csvRecs) != 22 {
		t.Fatalf("%d records from records.csv, want 22", len(csvRecs))
	}
	counties := map[string]bool{}
	items := map[string]bool{}
	for _, r := range csvRecs {
		counties[r.County] = true
		items[r.Item] = true
		if r.FormedOn.IsZero() || r.RecordNo == "" || r.Source != "records.csv" {
			t.Errorf("incomplete record %+v", r)
		}
	}
	if len(counties) != 6 || len(items) < 15 {
		t.Errorf("examples cover %d counties and %d items; want all 6 and 15", len(counties), len(items))
	}
	// Spot checks of the written forms.
	first := csvRecs[0]
	want := Record{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕12号", Title: "销售超过保质期食品案",
		Party: "泽州县巴公镇某某副食店", USCC: "92140525MA0GRX7K1N", FormedOn: calendar.Of(2020, 7, 1),
		Procedure: "普通", Penalty: "罚款、没收违法所得", Source: "records.csv"}
	if !reflect.DeepEqual(first, want) {
		t.Errorf("first record\n got %+v\nwant %+v", first, want)
	}
	byNo := map[string]Record{}
	for _, r := range csvRecs {
		byNo[r.RecordNo] = r
	}
	checks := map[string]string{
		"泽市监罚〔2020〕18号":     "2020-08-03", // 2020年8月3日, county given as 140525
		"高市监罚字〔2020〕第0045号": "2020-09-03", // 2020.9.3
		"DC20200610140524":  "2020-06-10", // [2020-06-10]
		"QX20200901140525":  "2020-09-01", // with a time
		"ZZTS-2020-003":     "2020-10-20", // full-width digits
	}
	for no, date := range checks {
		if got := byNo[no].FormedOn.String(); got != date {
			t.Errorf("%s formed_on = %s, want %s", no, got, date)
		}
	}
	if byNo["泽市监罚〔2020〕18号"].County != "泽州县" || byNo["CQHZ-2020-004"].County != "城区" || byNo["高市监罚字〔2020〕第0045号"].County != "高平市" {
		t.Error("county codes/short names not resolved to official names")
	}
	if got := byNo["阳市监罚〔2020〕9号"].Channels; !reflect.DeepEqual(got, []catalogue.Channel{catalogue.Website, catalogue.Credit}) {
		t.Errorf("channels = %v", got)
	}
	if got := byNo["CQ-TS-2020-01"].Channels; !reflect.DeepEqual(got, []catalogue.Channel{catalogue.Website, catalogue.WeMedia}) {
		t.Errorf("channels = %v", got)
	}

	xlsxRecs := read(t, "../examples/records.xlsx")
	if !reflect.DeepEqual(withoutSource(xlsxRecs), withoutSource(csvRecs)) {
		t.Errorf("records.xlsx and records.csv differ:\n%v\n%v", xlsxRecs, csvRecs)
	}
}

func TestExampleFilesAreGenerated(t *testing.T) {
	onDisk, err := os.ReadFile("../examples/records.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(onDisk, exampledata.CSV()) {
		t.Error("examples/records.csv is out of date: run go generate in records/")
	}
	// The XLSX has real date cells for some rows: check one is a number
	// formatted as a date, so the serial-date path is exercised.
	f, err := excelize.OpenFile("../examples/records.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.GetSheetList()[0] == "记录" {
		t.Error("records should not be the first sheet (the reader must pick it by name)")
	}
	raw, _ := f.GetCellValue("记录", "G4", excelize.Options{RawCellValue: true})
	if raw != "44046" { // 2020-08-03
		t.Errorf("G4 raw value = %q, want the serial 44046", raw)
	}
}

func TestThreeBadRowsGiveThreeErrors(t *testing.T) {
	csv := "县区,事项,编号,名称,形成日期,统一社会信用代码\n" +
		"泽州县,2.1,泽市监罚〔2020〕12号,案一,2020-07-01,92140525MA0GRX7K1N\n" +
		"晋中市,2.1,泽市监罚〔2020〕13号,案二,2020-07-02,\n" + // row 3: unknown county
		"泽州县,4.1,泽市监罚〔2020〕14号,案三,2020-07-03,\n" + // row 4: unknown item
		"泽州县,2.1,泽市监罚〔2020〕15号,案四,2020-07-04,92140525MA0GRX7K1M\n" + // row 5: check char
		"泽州县,2.1,泽市监罚〔2020〕16号,案五,2020-07-05,\n"
	p := writeFile(t, "bad.csv", []byte(csv))
	recs, err := ReadFile(p, nil, nil)
	if recs != nil {
		t.Errorf("returned %d records despite errors", len(recs))
	}
	var fe *FileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *FileErrors", err)
	}
	want := []string{
		p + `:3: 县区: 未知县区 "晋中市"（应为城区、沁水县、阳城县、陵川县、泽州县、高平市之一或其6位区划代码）`,
		p + `:4: 事项: 目录中没有事项 "4.1"（应为 1.1 … 3.4）`,
		p + `:5: 统一社会信用代码: "92140525MA0GRX7K1M" 校验码错误，应为N`,
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRowErrors(t *testing.T) {
	head := "County, ITEM ,record_no,formed_on,procedure,channels,uscc,备注\n"
	cases := []struct {
		name, row, want string
	}{
		{"bad date", "泽州县,2.1,A1,2020-02-30,,,,", `formed_on: 日期 "2020-02-30" 不存在: 2020年2月没有30日`},
		{"unreadable date", "泽州县,2.1,A1,July 27,,,,", `formed_on: 无法识别的日期 "July 27"`},
		{"year without calendar", "泽州县,2.1,A1,2027-03-01,,,,", `formed_on: 没有 2027 年的节假日安排数据，无法计算公开期限（日期 2027-03-01）`},
		{"year before calendar", "泽州县,2.1,A1,2018-03-01,,,,", `formed_on: 没有 2018 年的节假日安排数据`},
		{"empty date", "泽州县,2.1,A1,,,,,", `formed_on: 不能为空`},
		{"empty record_no", "泽州县,2.1,,2020-03-01,,,,", `record_no: 不能为空`},
		{"empty county", ",2.1,A1,2020-03-01,,,,", `County: 不能为空`},
		{"procedure", "泽州县,2.1,A1,2020-03-01,一般,,,", `procedure: 程序应为“普通”或“简易”，不是 "一般"`},
		{"channel", "泽州县,2.1,A1,2020-03-01,,政府网站;抖音,,", `channels: 未知公开渠道 "抖音"`},
		{"uscc length", "泽州县,2.1,A1,2020-03-01,,,9214052,", `uscc: "9214052" 长度不是18位（实际7位）`},
		{"uscc charset", "泽州县,2.1,A1,2020-03-01,,,92140525MA0GRX7KIN,", `uscc: "92140525MA0GRX7KIN" 第17位含非法字符 'I'`},
	}
	for _, tc := range cases {
		p := writeFile(t, "r.csv", []byte(head+tc.row+"\n"))
		_, err := ReadFile(p, nil, nil)
		var fe *FileErrors
		if !errors.As(err, &fe) || len(fe.Rows) != 1 {
			t.Errorf("%s: err = %v, want exactly one row error", tc.name, err)
			continue
		}
		if got := fe.Rows[0].Error(); !strings.HasPrefix(got, p+":2: "+tc.want) {
			t.Errorf("%s: %q, want prefix %q", tc.name, got, p+":2: "+tc.want)
		}
	}
}

func TestValuesNormalised(t *testing.T) {
	csv := "county,item,record_no,formed_on,procedure,uscc,party,unknown column\n" +
		"140581,２.１, 高市监罚字〔2020〕第0031号 ,2020年8月12日,普通程序, 91140581ma0jx1y2qy ,高平市某某食品有限公司,x\n" +
		"晋城市城区,3.1,CQ-1,1597161600000,简易,,,\n"
	recs := read(t, writeFile(t, "n.csv", []byte(csv)))
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if r.County != "高平市" || r.Item != "2.1" || r.RecordNo != "高市监罚字〔2020〕第0031号" || r.Procedure != "普通" ||
		r.USCC != "91140581MA0JX1Y2QY" || r.FormedOn != calendar.Of(2020, 8, 12) {
		t.Errorf("record = %+v", r)
	}
	if recs[1].County != "城区" || recs[1].FormedOn != calendar.Of(2020, 8, 12) || recs[1].Procedure != "简易" {
		t.Errorf("record = %+v", recs[1])
	}
}

func TestDuplicateRecordNoNamesFirstRow(t *testing.T) {
	csv := "县区,事项,编号,形成日期\n" +
		"泽州县,2.1,泽市监罚〔2020〕12号,2020-07-01\n" +
		"高平市,2.1,泽市监罚〔2020〕12号,2020-07-01\n" + // other county: allowed
		"\n" +
		"泽州县,2.2,泽市监罚[2020]第012号,2020-07-01\n" + // same decision, other form: row 5
		"泽州县,1.1,ZZJC-1,2020-07-01\n" +
		"泽州县,1.1,zzjc-1,2020-07-02\n" // row 7
	p := writeFile(t, "d.csv", []byte(csv))
	_, err := ReadFile(p, nil, nil)
	want := p + ":5: 编号: 编号 \"泽市监罚[2020]第012号\" 与第2行重复\n" +
		p + ":7: 编号: 编号 \"zzjc-1\" 与第6行重复"
	if err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
}

func TestMissingRequiredColumn(t *testing.T) {
	p := writeFile(t, "m.csv", []byte("县区,事项,名称\n泽州县,2.1,x\n泽州县,2.2,y\n"))
	_, err := ReadFile(p, nil, nil)
	want := p + ":1: 编号: 缺少必填列（编号 / record_no）\n" + p + ":1: 形成日期: 缺少必填列（形成日期 / formed_on）"
	if err == nil || err.Error() != want {
		t.Errorf("err =\n%v\nwant\n%s", err, want)
	}
	p = writeFile(t, "m2.csv", []byte("county,item,record_no\n泽州县,2.1,x\n"))
	_, err = ReadFile(p, nil, nil)
	if err == nil || err.Error() != p+":1: formed_on: 缺少必填列（形成日期 / formed_on）" {
		t.Errorf("err = %v", err)
	}
	p = writeFile(t, "m3.csv", []byte("county,县区,item,record_no,formed_on\n"))
	_, err = ReadFile(p, nil, nil)
	if err == nil || err.Error() != p+":1: 县区: 与“county”列重复" {
		t.Errorf("err = %v", err)
	}
	p = writeFile(t, "empty.csv", []byte("\n\n"))
	if _, err = ReadFile(p, nil, nil); err == nil || !strings.Contains(err.Error(), "文件为空") {
		t.Errorf("empty file: %v", err)
	}
}

func TestEncodings(t *testing.T) {
	utf8CSV := exampledata.CSV()
	base := withoutSource(read(t, writeFile(t, "u.csv", utf8CSV)))

	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(utf8CSV)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(gbk, utf8CSV) {
		t.Fatal("GB18030 encoding changed nothing")
	}
	if got := withoutSource(read(t, writeFile(t, "g.csv", gbk))); !reflect.DeepEqual(got, base) {
		t.Errorf("GBK CSV differs from UTF-8:\n%v\n%v", got, base)
	}
	bom := append([]byte{0xEF, 0xBB, 0xBF}, utf8CSV...)
	if got := withoutSource(read(t, writeFile(t, "b.csv", bom))); !reflect.DeepEqual(got, base) {
		t.Errorf("BOM CSV differs from UTF-8")
	}
	// Excel's "Unicode text": UTF-16LE with BOM, tab-separated.
	tabbed := strings.ReplaceAll(string(utf8CSV), ",", "\t")
	u16 := []byte{0xFF, 0xFE}
	for _, r := range tabbed {
		if r > 0xFFFF {
			t.Fatal("test data outside the BMP")
		}
		u16 = append(u16, byte(r), byte(r>>8))
	}
	if got := withoutSource(read(t, writeFile(t, "w.txt", u16))); !reflect.DeepEqual(got, base) {
		t.Errorf("UTF-16 text differs from UTF-8")
	}
}

func TestRowNumbersCountBlankAndMultilineRows(t *testing.T) {
	csv := "县区,事项,编号,名称,形成日期\r\n" +
		"泽州县,2.1,A1,\"两行\n名称\",2020-07-01\r\n" + // row 2 spans two lines
		"\r\n" + // row 3 blank
		",,,,\r\n" + // row 4 blank as Excel writes it
		"泽州县,2.1,A2,x,2020-13-01\r\n" // row 5
	p := writeFile(t, "rows.csv", []byte(csv))
	_, err := ReadFile(p, nil, nil)
	var fe *FileErrors
	if !errors.As(err, &fe) || len(fe.Rows) != 1 || fe.Rows[0].Row != 5 {
		t.Errorf("err = %v, want one error on row 5", err)
	}
}

func TestXLSXSheetsAndRows(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	// A single sheet with a blank first row and the header on row 2.
	rows := [][]any{
		nil,
		{"县区", "事项", "编号", "形成日期"},
		{"泽州县", 2.1, "泽市监罚〔2020〕12号", "2020/7/27"},
		nil,
		{"泽州县", "2.2", "泽市监罚〔2020〕13号", "2020-02-30"},
	}
	for i, r := range rows {
		if r == nil {
			continue
		}
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "x.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(p, nil, nil)
	want := p + `:5: 形成日期: 日期 "2020-02-30" 不存在: 2020年2月没有30日`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	if err := f.SetCellValue("Sheet1", "D5", "2020-02-28"); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	recs := read(t, p)
	if len(recs) != 2 || recs[0].Item != "2.1" || recs[0].FormedOn != calendar.Of(2020, 7, 27) {
		t.Errorf("records = %+v", recs)
	}
	// A numeric cell that is not a date serial stays an error.
	if err := f.SetCellValue("Sheet1", "D5", 20200228); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(p, nil, nil); err == nil || !strings.Contains(err.Error(), ":5: 形成日期: ") {
		t.Errorf("20200228 as a number: err = %v", err)
	}
}

func TestUnreadableInputs(t *testing.T) {
	if _, err := ReadFile(filepath.Join(t.TempDir(), "absent.csv"), nil, nil); err == nil {
		t.Error("missing file accepted")
	}
	p := writeFile(t, "old.xls", []byte("x"))
	if _, err := ReadFile(p, nil, nil); err == nil || !strings.Contains(err.Error(), ".xls") {
		t.Errorf("xls: %v", err)
	}
	p = writeFile(t, "broken.xlsx", []byte("PK\x03\x04garbage"))
	if _, err := ReadFile(p, nil, nil); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("broken xlsx: %v", err)
	}
	p = writeFile(t, "q.csv", []byte("县区,事项,编号,形成日期\n泽州县,\"2.1,x,2020-01-01\n"))
	if _, err := ReadFile(p, nil, nil); err == nil || !strings.Contains(err.Error(), "CSV 格式错误") {
		t.Errorf("bad quoting: %v", err)
	}
}

// TestAnyConfiguredCounty: a row of a configured county outside Jincheng
// is accepted; so is a valid division code; a county that is neither is
// rejected with FILE:ROW: column: reason.
func TestAnyConfiguredCounty(t *testing.T) {
	set := region.Set{{Code: "140105", Name: "小店区", Short: "小店"}}
	p := writeFile(t, "tz.csv", []byte("县区,事项,编号,形成日期\n小店,2.1,并小市监罚〔2020〕1号,2020-07-01\n140728,2.1,平市监罚〔2020〕2号,2020-07-02\n泽州县,2.1,泽市监罚〔2020〕3号,2020-07-03\n"))
	recs, err := ReadFileIn(p, nil, nil, set)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		got = append(got, r.County)
	}
	if strings.Join(got, ",") != "小店区,平遥县,泽州县" {
		t.Errorf("counties %v", got)
	}
	p = writeFile(t, "bad.csv", []byte("县区,事项,编号,形成日期\n小店,2.1,A1,2020-07-01\n太原市,2.1,A2,2020-07-01\n999999,2.1,A3,2020-07-01\n"))
	recs, err = ReadFileIn(p, nil, nil, set)
	if recs != nil || err == nil {
		t.Fatalf("bad counties accepted: %v %v", recs, err)
	}
	want := p + `:3: 县区: 未知县区 "太原市"（应为小店区之一或其6位区划代码）` + "\n" + p + `:4: 县区: 未知县区 "999999"（应为小店区之一或其6位区划代码）`
	if err.Error() != want {
		t.Errorf("errors:\n%s\nwant:\n%s", err, want)
	}
}
