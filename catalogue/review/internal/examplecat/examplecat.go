// Package examplecat builds the example county catalogues shipped in
// examples/ (a faithful copy of the municipal catalogue plus the two
// licensing entries, and a copy with planted faults), in the seed's table
// layout, so that the binary XLSX files can be remade (gen/) and the tests
// know what each file holds.
package examplecat

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongkai/catalogue"
)

// Row is one row of a county catalogue table.
type Row struct {
	L1, L2, L3 string
	Content    string
	Basis      string
	Time       string
	Subject    string
	Channels   []catalogue.Channel
	OtherEmpty bool // 其他： ticked without naming a channel (the seed's 1.3)
	Audience   string
	Mode       string
	Levels     []string
}

// Planted is one fault planted in the faults example: the sheet row (0 for
// an absent item) and the rule the review must report.
type Planted struct {
	Row  int
	Rule string
	Note string
}

// FirstDataRow is the sheet row of the first item in the XLSX files: a
// title row and two header rows come first.
const FirstDataRow = 4

var groupNumber = map[string]string{"监督检查": "1", "行政处罚": "2", "公共服务": "3"}

func fromItem(it catalogue.Item) Row {
	return Row{
		L1:         groupNumber[it.Group] + ". " + it.Group,
		L2:         it.Code + it.Name,
		Content:    it.Content,
		Basis:      strings.Join(it.Basis, ""),
		Time:       it.TimeLimit.Text,
		Subject:    it.Subject,
		Channels:   slices.Clone(it.Channels),
		OtherEmpty: it.ChannelsNote != "",
		Audience:   "全社会",
		Mode:       "主动",
		Levels:     slices.Clone(it.Levels),
	}
}

func licensing() []Row {
	return []Row{{
		L1: "4. 行政许可", L2: "4.1食品生产经营许可服务指南",
		Content:  "许可依据、申请条件、申请材料、办理流程、办理时限、收费标准、咨询方式等（本局无许可事权时援引有权部门的服务指南或链接）",
		Basis:    "《食品安全法》《政府信息公开条例》《食品生产许可管理办法》《食品经营许可管理办法》",
		Time:     "信息形成或变更之日起20个工作日内",
		Subject:  "市场监督管理部门",
		Channels: []catalogue.Channel{catalogue.Website}, Audience: "全社会", Mode: "主动", Levels: []string{"县级"},
	}, {
		L1: "4. 行政许可", L2: "4.2食品生产经营许可基本信息",
		Content:  "许可证编号、经营者名称、法定代表人（负责人）、住所、许可项目、有效期限等",
		Basis:    "《食品安全法》《政府信息公开条例》《食品生产许可管理办法》《食品经营许可管理办法》",
		Time:     "许可决定作出之日起7个工作日内",
		Subject:  "市场监督管理部门",
		Channels: []catalogue.Channel{catalogue.Website}, Audience: "全社会", Mode: "主动", Levels: []string{"县级"},
	}}
}

// Faithful is the municipal catalogue as a county copies it, plus the two
// licensing entries: a review finds nothing.
func Faithful() []Row {
	var rows []Row
	for _, it := range catalogue.Default().Items {
		rows = append(rows, fromItem(it))
	}
	return append(rows, licensing()...)
}

// Faults is the faithful catalogue with planted faults (and some allowed
// changes that must not be findings), and the planted faults by sheet row.
func Faults() ([]Row, []Planted) {
	cat := catalogue.Default()
	byCode := map[string]Row{}
	for _, it := range cat.Items {
		byCode[it.Code] = fromItem(it)
	}
	var rows []Row
	var planted []Planted
	plant := func(rule, note string) {
		planted = append(planted, Planted{Row: FirstDataRow + len(rows) - 1, Rule: rule, Note: note})
	}
	r := byCode["1.1"]
	r.Channels = append(r.Channels, catalogue.WeMedia) // allowed: a channel added on every row
	r.L3 = "食品生产企业监督检查"                                // allowed: a 三级事项
	rows = append(rows, r)
	r.L3 = "食品经营违法行为行政处罚"
	rows = append(rows, r)
	plant("sub.crosses", "1.1 监督检查下的三级事项“食品经营违法行为行政处罚”实为行政处罚")
	planted = append(planted, Planted{Row: 0, Rule: "framework.missing", Note: "删去了二级事项 1.2 特殊食品生产经营监督检查"})
	r = byCode["1.3"]
	r.Content = strings.Replace(r.Content, "、检验机构", "", 1)
	rows = append(rows, r)
	plant("content.element_removed", "1.3 公开内容删去了要素“检验机构”")
	r = byCode["1.4"]
	r.Content = strings.Replace(r.Content, "检查结果等", "检查结果、整改情况等", 1) // allowed: an element added
	rows = append(rows, r)
	r = byCode["1.5"]
	r.Channels = []catalogue.Channel{catalogue.Website}
	rows = append(rows, r)
	plant("channel.credit_dropped", "1.5 未勾选“其他：国家企业信用信息公示系统”")
	r = byCode["1.6"]
	r.Basis = strings.Replace(r.Basis, "《食品药品安全监督管理办法》", "", 1)
	rows = append(rows, r)
	plant("basis.removed", "1.6 公开依据删去了《食品药品安全监督管理办法》")
	rows = append(rows, byCode["1.7"])
	r = byCode["2.3"]
	r.L1 = byCode["1.1"].L1
	rows = append(rows, r)
	plant("framework.moved", "2.3 医疗器械监管行政处罚移到一级事项“监督检查”下")
	r = byCode["2.1"]
	r.Time = "行政处罚决定形成之日起30个工作日内"
	r.Levels = []string{"县级"}
	rows = append(rows, r)
	plant("time.looser", "2.1 公开时限放宽为30个工作日（市级20个）")
	plant("level.dropped", "2.1 未勾选公开层级“乡级”")
	r = byCode["2.2"]
	r.Mode = "依申请"
	rows = append(rows, r)
	plant("mode.dropped", "2.2 公开方式改为依申请")
	rows = append(rows, byCode["2.4"])
	r = byCode["3.1"]
	r.Time = "信息形成之日起5个工作日内" // allowed: stricter
	rows = append(rows, r)
	r = byCode["3.2"]
	r.L3 = "食品安全消费提示警示"
	rows = append(rows, r)
	plant("sub.overlap", "3.2 下的三级事项“食品安全消费提示警示”与二级事项 3.1 重叠")
	r = byCode["3.3"]
	r.Channels = slices.DeleteFunc(r.Channels, func(c catalogue.Channel) bool { return c == catalogue.WeMedia })
	rows = append(rows, r)
	plant("channel.dropped", "3.3 未勾选公开渠道“两微一端”")
	r = byCode["3.4"]
	r.L2 = "3.4科普活动信息"
	rows = append(rows, r)
	plant("framework.renamed", "3.4 改名为“科普活动信息”，无法辨认")
	rows = append(rows, licensing()[0])
	planted = append(planted, Planted{Row: 0, Rule: "licensing.missing", Note: "未列入食品生产经营许可基本信息"})
	return rows, planted
}

// Allowed describes the allowed changes in Faults, for the 说明 sheet.
var Allowed = []string{
	"1.1 增加三级事项“食品生产企业监督检查”，两行均增加公开渠道“两微一端”（允许）",
	"1.4 增加公开内容要素“整改情况”（允许）",
	"3.1 公开时限收紧为5个工作日（允许）",
}

// channelOptions are the options the seed's 公开渠道和载体 cell offers, in order.
var channelOptions = []catalogue.Channel{catalogue.Website, catalogue.WeMedia, catalogue.Broadcast, catalogue.Print,
	catalogue.ServiceCenter, catalogue.ServiceDesk, catalogue.Bulletin, catalogue.Push}

func box(on bool) string {
	if on {
		return "☑"
	}
	return "□"
}

// channelCell writes the channels as the seed does: every option with a
// box, one per line.
func (r Row) channelCell() string {
	var lines []string
	opts := slices.Clone(channelOptions)
	for _, ch := range r.Channels {
		if ch != catalogue.Credit && !slices.Contains(opts, ch) {
			opts = append(opts, ch)
		}
	}
	for _, ch := range opts {
		lines = append(lines, box(slices.Contains(r.Channels, ch))+string(ch))
	}
	switch {
	case slices.Contains(r.Channels, catalogue.Credit):
		lines = append(lines, "☑其他："+string(catalogue.Credit))
	case r.OtherEmpty:
		lines = append(lines, "☑其他：")
	default:
		lines = append(lines, "□其他")
	}
	return strings.Join(lines, "\n")
}

func tick(on bool) string {
	if on {
		return "√"
	}
	return ""
}

// Header rows of the two-row layout (the seed's).
var (
	header1 = []string{"序号", "公开事项", "", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "", "公开方式", "", "公开层级", ""}
	header2 = []string{"", "一级事项", "二级事项", "三级事项", "", "", "", "", "", "全社会", "特定群体（请写明）", "主动", "依申请", "县级", "乡级"}
)

func (r Row) cells(seq int) []string {
	return []string{fmt.Sprint(seq), r.L1, r.L2, r.L3, r.Content, r.Basis, r.Time, r.Subject, r.channelCell(),
		tick(r.Audience == "全社会"), "", tick(r.Mode == "主动"), tick(r.Mode == "依申请"),
		tick(slices.Contains(r.Levels, "县级")), tick(slices.Contains(r.Levels, "乡级"))}
}

// XLSX writes rows in the seed's layout: a title row, two header rows with
// merged cells, the 一级事项 (and a 二级事项 spanning 三级 rows) merged over
// its rows. notes, when given, go to a second sheet 说明.
func XLSX(title string, rows []Row, notes [][]string) (*excelize.File, error) {
	f := excelize.NewFile()
	sheet := "本级目录"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	set := func(r, c int, v string) error {
		name, err := excelize.CoordinatesToCellName(c, r)
		if err != nil {
			return err
		}
		return f.SetCellStr(sheet, name, v)
	}
	merge := func(c1, r1, c2, r2 int) error {
		a, _ := excelize.CoordinatesToCellName(c1, r1)
		b, _ := excelize.CoordinatesToCellName(c2, r2)
		return f.MergeCell(sheet, a, b)
	}
	if err := set(1, 1, title); err != nil {
		return nil, err
	}
	if err := merge(1, 1, len(header1), 1); err != nil {
		return nil, err
	}
	for c := range header1 {
		if err := set(2, c+1, header1[c]); err != nil {
			return nil, err
		}
		if header2[c] != "" {
			if err := set(3, c+1, header2[c]); err != nil {
				return nil, err
			}
		}
	}
	// 序号 and the single columns span both header rows; 公开事项 … span their sub-columns.
	for c := 1; c <= len(header1); c++ {
		if header2[c-1] == "" {
			if err := merge(c, 2, c, 3); err != nil {
				return nil, err
			}
		}
	}
	for _, m := range [][2]int{{2, 4}, {10, 11}, {12, 13}, {14, 15}} {
		if err := merge(m[0], 2, m[1], 2); err != nil {
			return nil, err
		}
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return nil, err
	}
	// Merged ranges: the 一级事项 over its group's rows; the 二级事项 and every
	// cell its 三级 rows share over those rows. A merged range keeps its value
	// in the top-left cell only, as Excel does.
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = r.cells(i + 1)
	}
	for c := range header1 {
		if c == 0 || c == 3 { // 序号, 三级事项: one per row
			for i := range rows {
				if err := set(FirstDataRow+i, c+1, cells[i][c]); err != nil {
					return nil, err
				}
			}
			continue
		}
		start := 0
		for i := 1; i <= len(rows); i++ {
			if i < len(rows) && sameRange(rows, cells, start, i, c) {
				continue
			}
			if err := set(FirstDataRow+start, c+1, cells[start][c]); err != nil {
				return nil, err
			}
			if i-1 > start {
				if err := merge(c+1, FirstDataRow+start, c+1, FirstDataRow+i-1); err != nil {
					return nil, err
				}
			}
			start = i
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(header1), FirstDataRow+len(rows)-1)
	if err := f.SetCellStyle(sheet, "A2", last, wrap); err != nil {
		return nil, err
	}
	for c, w := range []float64{6, 12, 22, 20, 40, 50, 22, 14, 30, 6, 10, 6, 6, 6, 6} {
		name, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(sheet, name, name, w); err != nil {
			return nil, err
		}
	}
	if len(notes) > 0 {
		if _, err := f.NewSheet("说明"); err != nil {
			return nil, err
		}
		for i, n := range notes {
			for c, v := range n {
				name, _ := excelize.CoordinatesToCellName(c+1, i+1)
				if err := f.SetCellStr("说明", name, v); err != nil {
					return nil, err
				}
			}
		}
		if err := f.SetColWidth("说明", "C", "C", 70); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// sameRange reports whether row i continues the merged range of column c
// that starts at row start.
func sameRange(rows []Row, cells [][]string, start, i, c int) bool {
	if rows[i].L1 != rows[start].L1 {
		return false
	}
	if c == 1 {
		return true
	}
	return rows[i].L2 == rows[start].L2 && cells[i][c] == cells[start][c]
}

// CSV writes rows as Excel exports the two-header-row sheet: merged cells
// keep their value in the first row only.
func CSV(title string, rows []Row) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{title})
	_ = w.Write(header1)
	_ = w.Write(header2)
	for i, r := range rows {
		cells := r.cells(i + 1)
		if i > 0 && rows[i-1].L1 == r.L1 {
			cells[1] = ""
		}
		if i > 0 && rows[i-1].L2 == r.L2 {
			cells[2] = ""
		}
		_ = w.Write(cells)
	}
	w.Flush()
	return b.Bytes()
}

// OneHeaderXLSX writes rows with a single header row and the 公开对象 /
// 公开方式 / 公开层级 and channels as words, without merged cells (the
// 一级事项 written on its first row only), as some counties send it.
func OneHeaderXLSX(rows []Row) (*excelize.File, error) {
	f := excelize.NewFile()
	head := []string{"序号", "一级事项", "二级事项", "三级事项", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "公开方式", "公开层级"}
	if err := f.SetSheetRow("Sheet1", "A1", &head); err != nil {
		return nil, err
	}
	for i, r := range rows {
		var chs []string
		for _, ch := range r.Channels {
			chs = append(chs, string(ch))
		}
		l1 := r.L1
		if i > 0 && rows[i-1].L1 == r.L1 {
			l1 = ""
		}
		cells := []any{i + 1, l1, r.L2, r.L3, r.Content, r.Basis, r.Time, r.Subject, strings.Join(chs, "、"),
			r.Audience, r.Mode, strings.Join(r.Levels, "、")}
		name, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow("Sheet1", name, &cells); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// Titles of the example files.
const (
	FaithfulTitle = "泽州县食品药品监管领域基层政务公开标准目录"
	FaultsTitle   = "泽州县食品药品监管领域基层政务公开标准目录（含审核示例错误）"
)

// FaultsNotes is the 说明 sheet of the faults example.
func FaultsNotes(planted []Planted) [][]string {
	notes := [][]string{{"行", "规则", "说明（本文件为审核示例，故意设置了以下错误）"}}
	for _, p := range planted {
		row := fmt.Sprint(p.Row)
		if p.Row == 0 {
			row = "—"
		}
		notes = append(notes, []string{row, p.Rule, p.Note})
	}
	notes = append(notes, []string{"", "", "以下为允许的调整，不应报告："})
	for _, a := range Allowed {
		notes = append(notes, []string{"", "", a})
	}
	return notes
}
