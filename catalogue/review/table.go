// Package review checks a county's catalogue (本级目录), as the county sends
// it to the municipal office (XLSX, or CSV exported from it, in the seed
// document's table layout), against the municipal catalogue and the rules
// the seed states for compiling it, and turns an accepted one into the
// county variant file the audit reads (catalogue.ApplyVariant).
package review

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/textenc"
)

// Field is a column of the catalogue table, by what it holds.
type Field int

// The table's columns. Audience, Mode and Level are either one column of
// words (全社会 / 主动 / 县级、乡级) or split into one tick column per option.
const (
	FieldNone Field = iota
	FieldSeq
	FieldL1
	FieldL2
	FieldL3
	FieldContent
	FieldBasis
	FieldTime
	FieldSubject
	FieldChannels
	FieldAudience // words
	FieldAudAll
	FieldAudSpecial
	FieldMode // words
	FieldModeActive
	FieldModeRequest
	FieldLevel // words
	FieldLevelCounty
	FieldLevelTown
)

// ColumnName is the name findings use for a column (the seed's header).
func (f Field) ColumnName() string {
	switch f {
	case FieldSeq:
		return "序号"
	case FieldL1:
		return "一级事项"
	case FieldL2:
		return "二级事项"
	case FieldL3:
		return "三级事项"
	case FieldContent:
		return "公开内容（要素）"
	case FieldBasis:
		return "公开依据"
	case FieldTime:
		return "公开时限"
	case FieldSubject:
		return "公开主体"
	case FieldChannels:
		return "公开渠道和载体"
	case FieldAudience, FieldAudAll, FieldAudSpecial:
		return "公开对象"
	case FieldMode, FieldModeActive, FieldModeRequest:
		return "公开方式"
	case FieldLevel, FieldLevelCounty, FieldLevelTown:
		return "公开层级"
	}
	return ""
}

// Row is one data row of the table, merged cells already filled in: every
// cell of a merged range carries the range's value, and an empty 一级事项
// (or an empty 二级事项 on a row that has a 三级事项) takes the value above,
// which is how a merged cell looks once exported to CSV.
type Row struct {
	Line  int              // row of the sheet (XLSX) or number of the record (CSV), 1-based: the row a spreadsheet shows
	Cells map[Field]string // trimmed cell text; line breaks kept
}

// Get returns the cell of f ("" when absent).
func (r Row) Get(f Field) string { return r.Cells[f] }

// Table is a county catalogue as read from the file.
type Table struct {
	File  string
	Sheet string // XLSX only
	Title string // the text above the header, when any
	// Fields are the columns found, for the checks that need a column to exist.
	Fields []Field
	Rows   []Row
}

// Has reports whether the table has a column for f.
func (t *Table) Has(f Field) bool { return slices.Contains(t.Fields, f) }

// ReadFile reads a county catalogue: .xlsx through excelize (the first
// sheet that has the table's header), anything else as CSV.
func ReadFile(path string) (*Table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取本级目录失败: %w", err)
	}
	if strings.EqualFold(filepath.Ext(path), ".xlsx") || bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ReadXLSX(bytes.NewReader(data), path)
	}
	return ReadCSV(data, path)
}

// ReadXLSX reads the first sheet of the workbook that has the header.
func ReadXLSX(r io.Reader, name string) (*Table, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("%s: 不是可读取的 XLSX 文件: %v", name, err)
	}
	defer f.Close()
	var firstErr error
	for _, sheet := range f.GetSheetList() {
		grid, err := sheetGrid(f, sheet)
		if err != nil {
			return nil, fmt.Errorf("%s: 工作表“%s”: %v", name, sheet, err)
		}
		lines := make([]int, len(grid))
		for i := range grid {
			lines[i] = i + 1
		}
		t, err := fromGrid(grid, lines, name)
		if err == nil {
			t.Sheet = sheet
			return t, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = fmt.Errorf("%s: 工作簿中没有工作表", name)
	}
	return nil, firstErr
}

// sheetGrid returns the sheet's cells with every merged range filled with
// its value (excelize gives the value in the top-left cell only).
func sheetGrid(f *excelize.File, sheet string) ([][]string, error) {
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, err
	}
	merges, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil, err
	}
	set := func(r, c int, v string) {
		for len(rows) <= r {
			rows = append(rows, nil)
		}
		for len(rows[r]) <= c {
			rows[r] = append(rows[r], "")
		}
		rows[r][c] = v
	}
	for _, m := range merges {
		c1, r1, err := excelize.CellNameToCoordinates(m.GetStartAxis())
		if err != nil {
			return nil, err
		}
		c2, r2, err := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err != nil {
			return nil, err
		}
		v := m.GetCellValue()
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				set(r-1, c-1, v)
			}
		}
	}
	return rows, nil
}

// ReadCSV reads a CSV export (comma- or tab-separated, any encoding
// textenc.Decode knows).
func ReadCSV(data []byte, name string) (*Table, error) {
	text, err := textenc.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, "\t") > strings.Count(first, ",") {
		r.Comma = '\t'
	}
	var grid [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: CSV 格式错误: %v", name, err)
		}
		// The record's number, not its first line: a cell with line breaks
		// spans lines, and the office opens the CSV in a spreadsheet.
		grid = append(grid, rec)
		lines = append(lines, len(grid))
	}
	return fromGrid(grid, lines, name)
}

func cell(row []string, c int) string {
	if c < len(row) {
		return strings.TrimSpace(strings.ReplaceAll(row[c], "\r\n", "\n"))
	}
	return ""
}

// headerField maps one header label to its field.
func headerField(label string) Field {
	l := squeeze(label)
	switch {
	case l == "":
		return FieldNone
	case l == "序号" || l == "编号":
		return FieldSeq
	case strings.HasPrefix(l, "一级"):
		return FieldL1
	case strings.HasPrefix(l, "二级"):
		return FieldL2
	case strings.HasPrefix(l, "三级"):
		return FieldL3
	case strings.HasPrefix(l, "公开内容"):
		return FieldContent
	case strings.HasPrefix(l, "公开依据"):
		return FieldBasis
	case strings.HasPrefix(l, "公开时限"):
		return FieldTime
	case strings.HasPrefix(l, "公开主体"):
		return FieldSubject
	case strings.HasPrefix(l, "公开渠道"):
		return FieldChannels
	case l == "全社会":
		return FieldAudAll
	case strings.HasPrefix(l, "特定群体"):
		return FieldAudSpecial
	case strings.HasPrefix(l, "公开对象"):
		return FieldAudience
	case l == "主动":
		return FieldModeActive
	case l == "依申请":
		return FieldModeRequest
	case strings.HasPrefix(l, "公开方式"):
		return FieldMode
	case l == "县级":
		return FieldLevelCounty
	case l == "乡级":
		return FieldLevelTown
	case strings.HasPrefix(l, "公开层级"):
		return FieldLevel
	}
	return FieldNone
}

// squeeze removes all white space (line breaks inside cells included).
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000', '\u00a0':
			return -1
		}
		return r
	}, s)
}

func isHeaderRow(row []string) bool {
	var seq, items bool
	for c := range row {
		switch headerField(cell(row, c)) {
		case FieldSeq:
			seq = true
		case FieldL1, FieldL2:
			items = true
		}
		if squeeze(cell(row, c)) == "公开事项" {
			items = true
		}
	}
	return seq && items
}

// isSubHeaderRow reports whether row is the second header row (一级事项,
// 二级事项, 全社会 … under the first row's 公开事项, 公开对象 …).
func isSubHeaderRow(row []string) bool {
	n := 0
	for c := range row {
		switch headerField(cell(row, c)) {
		case FieldL1, FieldL2, FieldL3: // 全社会, 主动 … are also what data cells say
			n++
		}
	}
	return n >= 2
}

func fromGrid(grid [][]string, lines []int, name string) (*Table, error) {
	h := slices.IndexFunc(grid, isHeaderRow)
	if h < 0 || h > 20 {
		return nil, fmt.Errorf("%s: 找不到目录表头（应有“序号”“公开事项/一级事项、二级事项、三级事项”“公开内容（要素）”等列）", name)
	}
	t := &Table{File: name}
	for _, row := range grid[:h] {
		for c := range row {
			if s := cell(row, c); s != "" && t.Title == "" {
				t.Title = squeeze(s)
			}
		}
	}
	width := len(grid[h])
	two := h+1 < len(grid) && isSubHeaderRow(grid[h+1])
	if two {
		width = max(width, len(grid[h+1]))
	}
	cols := make([]Field, width)
	for c := range cols {
		f := headerField(cell(grid[h], c))
		if two {
			if f2 := headerField(cell(grid[h+1], c)); f2 != FieldNone {
				f = f2
			}
		}
		if f != FieldNone && slices.Contains(cols, f) {
			return nil, fmt.Errorf("%s: 第%d行: 表头“%s”出现两次", name, lines[h], f.ColumnName())
		}
		cols[c] = f
		if f != FieldNone {
			t.Fields = append(t.Fields, f)
		}
	}
	var missing []string
	need := func(label string, any ...Field) {
		if !slices.ContainsFunc(any, t.Has) {
			missing = append(missing, label)
		}
	}
	need("二级事项", FieldL2)
	need("一级事项", FieldL1)
	need("公开内容（要素）", FieldContent)
	need("公开依据", FieldBasis)
	need("公开时限", FieldTime)
	need("公开渠道和载体", FieldChannels)
	need("公开对象", FieldAudience, FieldAudAll)
	need("公开方式", FieldMode, FieldModeActive)
	need("公开层级", FieldLevel, FieldLevelCounty, FieldLevelTown)
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: 第%d行表头缺少列: %s", name, lines[h], strings.Join(missing, "、"))
	}
	start := h + 1
	if two {
		start++
	}
	var prev Row
	for i := start; i < len(grid); i++ {
		row := grid[i]
		if isHeaderRow(row) || isSubHeaderRow(row) { // the header repeated on each printed page
			continue
		}
		r := Row{Line: lines[i], Cells: map[Field]string{}}
		for c, f := range cols {
			if f != FieldNone {
				if s := cell(row, c); s != "" {
					r.Cells[f] = s
				}
			}
		}
		if len(r.Cells) == 0 {
			continue
		}
		// A merged cell exported to CSV keeps its value in the first row only.
		if r.Get(FieldL1) == "" && prev.Get(FieldL1) != "" {
			r.Cells[FieldL1] = prev.Get(FieldL1)
		}
		if r.Get(FieldL2) == "" && r.Get(FieldL3) != "" && prev.Get(FieldL2) != "" {
			r.Cells[FieldL2] = prev.Get(FieldL2)
		}
		t.Rows = append(t.Rows, r)
		prev = r
	}
	return t, nil
}
