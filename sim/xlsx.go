package sim

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

var passHeaders = []string{"序号", "抽样编号", "标称生产企业名称", "标称生产企业地址", "被抽样单位名称", "被抽样单位地址",
	"食品名称", "规格型号", "生产日期/批号", "分类", "公告号", "公告日期", "任务来源", "备注"}

var failHeaders = []string{"序号", "抽样编号", "标称生产企业名称", "标称生产企业地址", "被抽样单位名称", "被抽样单位地址",
	"食品名称", "规格型号", "商标", "生产日期/批号", "不合格项目║检验结果║标准值", "分类", "公告号", "公告日期", "任务来源", "检验机构", "备注"}

// samplingXLSX writes the notice's result workbook: a 合格 and/or a 不合格
// sheet, each with a merged title row above the header, as real notices do.
func (s *Site) samplingXLSX(a *Attachment) ([]byte, error) {
	e := a.entry
	f := excelize.NewFile()
	defer f.Close()
	issue := issueOf(e.Title)
	sheets := []bool{true, false}
	if a.pass != nil {
		sheets = []bool{*a.pass}
	}
	for i, pass := range sheets {
		name := "合格"
		hdr := passHeaders
		title := "食品安全监督抽检产品合格信息"
		if !pass {
			name, hdr, title = "不合格", failHeaders, "食品安全监督抽检不合格产品信息"
		}
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		last, _ := excelize.CoordinatesToCellName(len(hdr), 1)
		if err := f.MergeCell(name, "A1", last); err != nil {
			return nil, err
		}
		if err := f.SetCellValue(name, "A1", title); err != nil {
			return nil, err
		}
		if err := f.SetSheetRow(name, "A2", &hdr); err != nil {
			return nil, err
		}
		row := 3
		for _, sm := range e.samples {
			if sm.Pass != pass {
				continue
			}
			var vals []any
			if pass {
				vals = []any{row - 2, sm.No, sm.Producer, sm.ProdAddr, sm.Sampled.Name, sm.Sampled.Address,
					sm.Product, sm.Spec, sm.Batch, sm.Category, issue, e.Published.String(), sm.Source, ""}
			} else {
				vals = []any{row - 2, sm.No, sm.Producer, sm.ProdAddr, sm.Sampled.Name, sm.Sampled.Address,
					sm.Product, sm.Spec, sm.Trademark, sm.Batch, sm.FailItem, sm.Category, issue, e.Published.String(), sm.Source, sm.Agency, ""}
			}
			cell := fmt.Sprintf("A%d", row)
			if err := f.SetSheetRow(name, cell, &vals); err != nil {
				return nil, err
			}
			row++
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// issueOf extracts "2020年第5期" from a notice title.
func issueOf(title string) string {
	start := -1
	r := []rune(title)
	for i := range r {
		if r[i] == '（' {
			start = i + 1
		}
	}
	if start < 0 {
		return ""
	}
	end := start
	for end < len(r) && r[end] != '）' {
		end++
	}
	return string(r[start:end])
}
