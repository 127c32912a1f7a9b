package review

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteJSON writes {"county":…, "findings":[{"row","column","item","rule","message"}]}.
func (res *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(res)
}

func rowText(row int) string {
	if row == 0 {
		return "全表"
	}
	return fmt.Sprintf("第%d行", row)
}

// WriteText writes the findings for a reader, one block per finding.
func (res *Result) WriteText(w io.Writer, file string) error {
	if len(res.Findings) == 0 {
		_, err := fmt.Fprintf(w, "%s本级目录审核：%s 符合市级目录和本级目录编制规则，没有不符合项。\n", res.County, file)
		return err
	}
	if _, err := fmt.Fprintf(w, "%s本级目录审核：%s 共%d处不符合（“全表”指文件中缺少的事项）\n\n", res.County, file, len(res.Findings)); err != nil {
		return err
	}
	for _, f := range res.Findings {
		if _, err := fmt.Fprintf(w, "%s  %s  %s  [%s]\n    %s\n", rowText(f.Row), f.Column, f.Item, f.Rule, f.Message); err != nil {
			return err
		}
	}
	return nil
}

// XLSX returns the findings as a workbook (sheet 审核意见), for the office
// to send back to the county.
func (res *Result) XLSX(file string) (*excelize.File, error) {
	f := excelize.NewFile()
	sheet := "审核意见"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	title := fmt.Sprintf("%s本级目录审核意见（%s），共%d处不符合", res.County, file, len(res.Findings))
	if len(res.Findings) == 0 {
		title = fmt.Sprintf("%s本级目录审核意见（%s）：没有不符合项", res.County, file)
	}
	rows := [][]any{{title}, {"行", "列", "事项", "规则", "说明"}}
	for _, fd := range res.Findings {
		rows = append(rows, []any{rowText(fd.Row), fd.Column, fd.Item, fd.Rule, fd.Message})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return nil, err
		}
	}
	for col, width := range map[string]float64{"A": 8, "B": 16, "C": 40, "D": 24, "E": 80} {
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return nil, err
		}
	}
	return f, nil
}
