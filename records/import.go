package records

//go:generate go run ./internal/exampledata/gen -out ../examples

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/internal/textenc"
	"gongkai/region"
)

// RowError is one problem in an input file, printed FILE:ROW: column: reason.
// Row is the spreadsheet row number (the header is row 1 when it is the
// first row); Column is the header as written in the file.
type RowError struct {
	File   string
	Row    int
	Column string
	Reason string
}

func (e RowError) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Row, e.Column, e.Reason)
}

// FileErrors lists every problem found in one file. A file with any error
// imports nothing (contracts.md §2).
type FileErrors struct {
	File string
	Rows []RowError
}

// Error prints one line per problem.
func (e *FileErrors) Error() string {
	lines := make([]string, len(e.Rows))
	for i, r := range e.Rows {
		lines[i] = r.Error()
	}
	return strings.Join(lines, "\n")
}

// column is one input column of contracts.md §2.
type column struct {
	key      string // English header
	zh       string // Chinese header
	required bool
}

var columns = []column{
	{"county", "县区", true},
	{"item", "事项", true},
	{"record_no", "编号", true},
	{"title", "名称", false},
	{"party", "当事人", false},
	{"uscc", "统一社会信用代码", false},
	{"formed_on", "形成日期", true},
	{"procedure", "程序", false},
	{"penalty", "处罚种类", false},
	{"channels", "渠道", false},
}

// matchHeader returns the column key a header names, or "".
// Headers are compared trimmed, full-width folded and case-insensitively;
// "record no" and "record-no" are read as record_no.
func matchHeader(h string) (key string, chinese bool) {
	h = strings.ToLower(ident.Fold(strings.TrimPrefix(h, "\ufeff")))
	h = strings.NewReplacer(" ", "_", "-", "_").Replace(h)
	for _, c := range columns {
		if h == c.key {
			return c.key, false
		}
		if h == c.zh {
			return c.key, true
		}
	}
	return "", false
}

// sheet is a table read from a file: rows of cells with their spreadsheet
// row numbers.
type sheet struct {
	rows    [][]string
	rowNums []int
	// serialDates: numeric cells may be Excel date serials (XLSX only).
	serialDates bool
	date1904    bool
}

// ReadFile reads expected records from a CSV (UTF-8 with or without BOM,
// GBK/GB18030 as Excel writes it, or UTF-16 "Unicode text") or XLSX file
// (the sheet named 记录 or records, else the first sheet), validates every
// row against the catalogue and calendar, and returns the records. If any
// row is bad it returns no records and a *FileErrors listing every problem.
// cat and cal default to catalogue.Default() and calendar.Default().
//
// record_no must be unique per county within a file; decision numbers are
// compared by their normalised key, so 泽市监罚〔2020〕12号 and
// 泽市监罚[2020]12号 are the same record.
//
// A row's county must be one of Jincheng's six (name, short name or code)
// or a county-level division code of the bundled table (region.Division);
// ReadFileIn also accepts the counties a configuration names.
func ReadFile(path string, cat *catalogue.Catalogue, cal *calendar.Calendar) ([]Record, error) {
	return ReadFileIn(path, cat, cal, nil)
}

// ReadFileIn is ReadFile for a deployment whose sites.yaml names the
// counties: a row's county may be any of them (name, short name or code).
// Counties that are neither configured, nor Jincheng's, nor a valid
// division code are still rejected, with FILE:ROW: column: reason.
func ReadFileIn(path string, cat *catalogue.Catalogue, cal *calendar.Calendar, counties region.Set) ([]Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: 无法读取: %w", path, err)
	}
	var sh *sheet
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case ext == ".xls":
		return nil, fmt.Errorf("%s: 不支持旧版 Excel (.xls) 文件，请另存为 .xlsx 或 CSV", path)
	case ext == ".xlsx" || ext == ".xlsm" || bytes.HasPrefix(data, []byte("PK\x03\x04")):
		sh, err = readXLSX(data)
	default:
		sh, err = readCSV(data)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return parseSheet(sh, path, cat, cal, counties)
}

// lookupCounty resolves a row's county: a configured county, one of
// Jincheng's six, or a division code (or unique name) of the bundled table.
func lookupCounty(v string, counties region.Set) (region.County, bool) {
	if c, ok := counties.Lookup(v); ok {
		return c, true
	}
	if c, ok := region.Lookup(v); ok {
		return c, true
	}
	if c, ok := region.Division(v); ok {
		return c, true
	}
	return region.DivisionByName(v)
}

func readCSV(data []byte) (*sheet, error) {
	text, err := textenc.Decode(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	// Excel's "Unicode text" is tab-separated; a header line with tabs and
	// no commas marks it.
	firstLine, _, _ := strings.Cut(text, "\n")
	if strings.Contains(firstLine, "\t") && !strings.Contains(firstLine, ",") {
		r.Comma = '\t'
	}
	sh := &sheet{}
	// Row numbers follow the spreadsheet view: one per record, plus one per
	// blank line the CSV reader skips; a quoted cell spanning lines is still
	// one row.
	prevEndLine, row := 0, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("第%d行: CSV 格式错误: %v", pe.StartLine, pe.Err)
			}
			return nil, err
		}
		startLine, _ := r.FieldPos(0)
		row += 1 + max(0, startLine-prevEndLine-1)
		last := len(rec) - 1
		lastLine, _ := r.FieldPos(last)
		prevEndLine = lastLine + strings.Count(rec[last], "\n")
		sh.rows = append(sh.rows, rec)
		sh.rowNums = append(sh.rowNums, row)
	}
	return sh, nil
}

func readXLSX(data []byte) (*sheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("不是有效的 XLSX 文件: %v", err)
	}
	defer f.Close()
	names := f.GetSheetList()
	if len(names) == 0 {
		return nil, fmt.Errorf("工作簿中没有工作表")
	}
	name := names[0]
	for _, n := range names {
		if t := strings.ToLower(strings.TrimSpace(n)); t == "记录" || t == "records" {
			name = n
			break
		}
	}
	// Raw values: a date cell gives its serial number whatever its display
	// format (which excelize would render as e.g. 07-27-20).
	rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("无法读取工作表 %q: %v", name, err)
	}
	sh := &sheet{serialDates: true}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		sh.date1904 = *props.Date1904
	}
	for i, r := range rows {
		sh.rows = append(sh.rows, r)
		sh.rowNums = append(sh.rowNums, i+1)
	}
	return sh, nil
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseSheet finds the header (the first non-blank row), maps columns and
// validates each data row.
func parseSheet(sh *sheet, file string, cat *catalogue.Catalogue, cal *calendar.Calendar, counties region.Set) ([]Record, error) {
	if cat == nil {
		cat = catalogue.Default()
	}
	if cal == nil {
		cal = calendar.Default()
	}
	fe := &FileErrors{File: file}
	add := func(row int, col, format string, a ...any) {
		fe.Rows = append(fe.Rows, RowError{File: file, Row: row, Column: col, Reason: fmt.Sprintf(format, a...)})
	}
	hi := 0
	for hi < len(sh.rows) && blank(sh.rows[hi]) {
		hi++
	}
	if hi == len(sh.rows) {
		add(1, "表头", "文件为空，没有表头")
		return nil, fe
	}
	header, headerRow := sh.rows[hi], sh.rowNums[hi]

	index := map[string]int{}      // column key → cell index
	written := map[string]string{} // column key → header as written
	chinese := 0
	for i, h := range header {
		key, zh := matchHeader(h)
		if key == "" {
			continue // unknown columns are allowed and ignored
		}
		if zh {
			chinese++
		}
		if _, dup := index[key]; dup {
			add(headerRow, strings.TrimSpace(h), "与“%s”列重复", written[key])
			continue
		}
		index[key] = i
		written[key] = strings.TrimSpace(h)
	}
	for _, c := range columns {
		if _, ok := index[c.key]; c.required && !ok {
			name := c.key
			if chinese > 0 || len(index) == 0 {
				name = c.zh
			}
			add(headerRow, name, "缺少必填列（%s / %s）", c.zh, c.key)
		}
	}
	if len(fe.Rows) > 0 {
		return nil, fe
	}

	seen := map[string]int{} // county|record key → first row
	var out []Record
	source := filepath.Base(file)
	for ri := hi + 1; ri < len(sh.rows); ri++ {
		cells, rowNum := sh.rows[ri], sh.rowNums[ri]
		if blank(cells) {
			continue
		}
		get := func(key string) string {
			i, ok := index[key]
			if !ok || i >= len(cells) {
				return ""
			}
			return strings.TrimSpace(cells[i])
		}
		bad := func(key, format string, a ...any) { add(rowNum, written[key], format, a...) }
		rec := Record{Source: source}

		if v := get("county"); v == "" {
			bad("county", "不能为空")
		} else if c, ok := lookupCounty(ident.Fold(v), counties); !ok {
			names := region.Names()
			if len(counties) > 0 {
				names = counties.Names()
			}
			bad("county", "未知县区 %q（应为%s之一或其6位区划代码）", v, strings.Join(names, "、"))
		} else {
			rec.County = c.Name
		}

		if v := ident.Fold(get("item")); v == "" {
			bad("item", "不能为空")
		} else if _, ok := cat.Item(v); !ok {
			bad("item", "目录中没有事项 %q（应为 1.1 … 3.4）", v)
		} else {
			rec.Item = v
		}

		rec.RecordNo = get("record_no")
		if rec.RecordNo == "" {
			bad("record_no", "不能为空")
		} else if rec.County != "" {
			key := rec.County + "|" + NumberKey(rec.RecordNo)
			if first, dup := seen[key]; dup {
				bad("record_no", "编号 %q 与第%d行重复", rec.RecordNo, first)
			} else {
				seen[key] = rowNum
			}
		}

		rec.Title = get("title")
		rec.Party = get("party")
		rec.Penalty = get("penalty")

		if v := get("uscc"); v != "" {
			code := strings.ToUpper(strings.ReplaceAll(ident.Fold(v), " ", ""))
			if err := ident.CheckUSCC(code); err != nil {
				var ue *ident.USCCError
				if errors.As(err, &ue) {
					bad("uscc", "%q %s", v, ue.Reason)
				} else {
					bad("uscc", "%v", err)
				}
			} else {
				rec.USCC = code
			}
		}

		if v := get("formed_on"); v == "" {
			bad("formed_on", "不能为空")
		} else if d, err := parseFormedOn(v, sh); err != nil {
			bad("formed_on", "%v", err)
		} else if !cal.KnowsYear(d.Year()) {
			bad("formed_on", "没有 %d 年的节假日安排数据，无法计算公开期限（日期 %s）", d.Year(), d)
		} else {
			rec.FormedOn = d
		}

		switch v := strings.TrimSuffix(get("procedure"), "程序"); v {
		case "", "普通", "简易":
			rec.Procedure = v
		default:
			bad("procedure", "程序应为“普通”或“简易”，不是 %q", get("procedure"))
		}

		if v := get("channels"); v != "" {
			for _, name := range splitChannels(v) {
				ch, ok := catalogue.ParseChannel(name)
				if !ok {
					bad("channels", "未知公开渠道 %q", name)
					continue
				}
				if !containsChannel(rec.Channels, ch) {
					rec.Channels = append(rec.Channels, ch)
				}
			}
		}
		out = append(out, rec)
	}
	if len(fe.Rows) > 0 {
		return nil, fe
	}
	return out, nil
}

// parseFormedOn reads a date as written, or an Excel date serial from an
// XLSX cell.
func parseFormedOn(v string, sh *sheet) (calendar.Date, error) {
	d, err := calendar.ParseDate(v)
	if err == nil || !sh.serialDates {
		return d, err
	}
	serial, ferr := strconv.ParseFloat(v, 64)
	if ferr != nil || serial < 1 || serial >= 2958466 {
		return 0, err
	}
	t, terr := excelize.ExcelDateToTime(serial, sh.date1904)
	if terr != nil {
		return 0, err
	}
	d = calendar.FromTime(t)
	if d.Year() < 1900 || d.Year() > 2199 {
		return 0, err
	}
	return d, nil
}

// splitChannels splits a channel list on 、 ; ； (contracts.md §2). Commas
// are not separators: they are the CSV delimiter.
func splitChannels(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ';' || r == '；' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func containsChannel(list []catalogue.Channel, ch catalogue.Channel) bool {
	for _, c := range list {
		if c == ch {
			return true
		}
	}
	return false
}
