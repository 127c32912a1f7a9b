// Package exampledata holds the bundled expected records,
// examples/records.csv and examples/records.xlsx, as one table so the two
// files agree. Credit codes are computed here (registration division 1405xx,
// check character from ident.USCCCheckChar) rather than typed by hand.
//
// Regenerate the files from records/ with `go generate` (see the
// go:generate line in import.go), i.e. go run ./internal/exampledata/gen.
package exampledata

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/ident"
)

// uscc completes a 17-character body with its check character.
func uscc(body string) string {
	c, err := ident.USCCCheckChar(body)
	if err != nil {
		panic(fmt.Sprintf("exampledata: bad USCC body %s: %v", body, err))
	}
	return body + string(c)
}

// row is one expected record; formed is written as given in the CSV.
// xlsxDate, when set, is written to the XLSX as a real date cell instead.
type row struct {
	county, item, recordNo, title, party, usccCode, formed, procedure, penalty, channels string
	xlsxDate                                                                             time.Time
}

func rows() []row {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	return []row{
		{"泽州县", "2.1", "泽市监罚〔2020〕12号", "销售超过保质期食品案", "泽州县巴公镇某某副食店", uscc("92140525MA0GRX7K1"), "2020-07-01", "普通", "罚款、没收违法所得", "", time.Time{}},
		{"泽州县", "2.1", "泽市监罚〔2020〕15号", "未按规定公示食品经营许可证案", "泽州县某某餐馆", uscc("92140525MA0H2C3D4"), "2020/7/15", "简易", "警告", "", time.Time{}},
		{"140525", "2.2", "泽市监罚〔2020〕18号", "销售劣药案", "晋城市某某大药房有限公司", uscc("91140525MA0K5LL2X"), "2020年8月3日", "普通", "罚款", "", d(2020, 8, 3)},
		{"高平市", "2.1", "高市监罚字〔2020〕第0031号", "生产不符合食品安全标准的食品案", "高平市某某食品有限公司", uscc("91140581MA0JX1Y2Q"), "2020年08月12日", "普通", "罚款、没收违法所得", "", time.Time{}},
		{"高平", "2.2", "高市监罚字〔2020〕第0045号", "未按规定储存药品案", "高平市某某药店", uscc("92140581MA0K8P9R3"), "2020.9.3", "普通", "警告", "", time.Time{}},
		{"阳城县", "2.3", "阳市监罚〔2020〕7号", "经营无注册证医疗器械案", "阳城县某某医疗器械经营部", uscc("92140522MA0GT4U5W"), "2020-06-22", "普通", "罚款", "", d(2020, 6, 22)},
		{"阳城县", "2.1", "阳市监罚〔2020〕9号", "餐饮服务环境不符合要求案", "阳城县某某饭店", uscc("92140522MA0H6J7K8"), "2020-10-09", "普通", "罚款", "政府网站；国家企业信用信息公示系统", time.Time{}},
		{"城区", "2.4", "城区市监罚〔2020〕21号", "经营过期化妆品案", "晋城市城区某某化妆品店", uscc("92140502MA0GM3N4P"), "2020-9-28", "普通", "罚款、没收违法所得", "", time.Time{}},
		{"陵川县", "2.1", "陵市监罚〔2020〕3号", "销售未检疫肉品案", "陵川县某某肉食店", uscc("92140524MA0HA1B2C"), "2020-12-28", "普通", "罚款", "", d(2020, 12, 28)},
		{"沁水县", "1.3", "DC20200525140521", "食品安全监督抽检信息公告（2020年第3期）", "沁水县某某超市", uscc("92140521MA0GD5E6F"), "2020-05-25", "", "", "", time.Time{}},
		{"陵川县", "1.3", "DC20200610140524", "食品安全监督抽检信息公告（2020年第4期）", "陵川县某某粮油店", "", "[2020-06-10]", "", "", "", time.Time{}},
		{"泽州县", "1.7", "QX20200901140525", "医疗器械监督抽检结果", "泽州县某某诊所", "", "2020-09-01 10:30", "", "", "", time.Time{}},
		{"泽州县", "1.1", "ZZJC-2020-031", "2020年第三季度食品生产经营日常监督检查结果", "", "", "2020-09-30", "", "", "", time.Time{}},
		{"泽州县", "1.2", "ZZTS-2020-003", "保健食品经营企业专项检查结果", "泽州县某某保健品店", uscc("92140525MA0J4K5L6"), "２０２０－１０－２０", "", "", "", time.Time{}},
		{"高平市", "1.1", "GPJC-2020-07", "校园周边食品经营专项检查结果", "", "", "2020/11/6", "", "", "", time.Time{}},
		{"阳城县", "1.4", "YCYP-2020-015", "药品零售企业监督检查结果", "阳城县某某大药房", uscc("92140522MA0HQ2R3T"), "2020年7月20日", "", "", "", time.Time{}},
		{"140502", "1.5", "CQHZ-2020-004", "化妆品经营企业监督检查结果", "", "", "2020-08-18", "", "", "", time.Time{}},
		{"沁水县", "1.6", "QSYL-2020-002", "医疗机构药品质量安全检查结果", "沁水县某某卫生院", "", "2020-11-11", "", "", "", time.Time{}},
		{"泽州县", "3.1", "ZZ-TS-2020-02", "关于中秋国庆期间食品安全的消费提示", "", "", "2020-09-25", "", "", "", time.Time{}},
		{"高平市", "3.2", "GP-YJ-2020-01", "食品安全事故应急处置情况", "", "", "2020-08-26", "", "", "", time.Time{}},
		{"城区", "3.3", "CQ-TS-2020-01", "食品药品投诉举报渠道公告", "", "", "2020-03-16", "", "", "政府网站、两微一端", time.Time{}},
		{"陵川县", "3.4", "LC-XC-2020-01", "2020年食品安全宣传周活动", "", "", "2020-06-15", "", "", "", time.Time{}},
	}
}

var chineseHeader = []string{"县区", "事项", "编号", "名称", "当事人", "统一社会信用代码", "形成日期", "程序", "处罚种类", "渠道"}
var englishHeader = []string{"county", "item", "record_no", "title", "party", "uscc", "formed_on", "procedure", "penalty", "channels"}

func (r row) cells() []string {
	return []string{r.county, r.item, r.recordNo, r.title, r.party, r.usccCode, r.formed, r.procedure, r.penalty, r.channels}
}

// CSV renders the rows with Chinese headers, UTF-8 without BOM, CRLF line
// ends as Excel writes them.
func CSV() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	_ = w.Write(chineseHeader)
	for _, r := range rows() {
		_ = w.Write(r.cells())
	}
	w.Flush()
	return buf.Bytes()
}

// XLSX renders the rows with English headers in a sheet named 记录, after a
// notes sheet (so readers must pick the sheet by name), with some dates as
// real date cells and the rest as text.
func XLSX() (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "说明"); err != nil {
		return nil, err
	}
	if err := f.SetCellValue("说明", "A1", "gongkai 示例：应公开记录。数据在“记录”工作表，列名见 contracts.md §2。"); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet("记录"); err != nil {
		return nil, err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return nil, err
	}
	if err := f.SetSheetRow("记录", "A1", &englishHeader); err != nil {
		return nil, err
	}
	for i, r := range rows() {
		cells := make([]any, 0, 10)
		for _, c := range r.cells() {
			cells = append(cells, c)
		}
		axis := fmt.Sprintf("A%d", i+2)
		if err := f.SetSheetRow("记录", axis, &cells); err != nil {
			return nil, err
		}
		if !r.xlsxDate.IsZero() {
			cell := fmt.Sprintf("G%d", i+2)
			if err := f.SetCellValue("记录", cell, r.xlsxDate); err != nil {
				return nil, err
			}
			if err := f.SetCellStyle("记录", cell, cell, dateStyle); err != nil {
				return nil, err
			}
		}
	}
	return f, nil
}
