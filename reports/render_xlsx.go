package reports

import (
	"archive/zip"
	"errors"
	"fmt"
	"gongkai/audit"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// XLSXMaxItems is how many harvested items the 已采集 sheet lists. A
// province-scale report holds hundreds of thousands, which would double the
// workbook's size and the time to write it; above the limit the sheet says
// so and points to the JSON report, which always lists every item.
const XLSXMaxItems = 100000

// XLSXSheets are the sheets RenderXLSX writes, in order.
var XLSXSheets = []string{"汇总", "覆盖情况", "明细", "逾期", "未公开", "待核实", "发布日期存疑", "已采集", "栏目健康", "来源", "说明"}

// RenderXLSX writes the report as a workbook: 汇总 (one row per county),
// 覆盖情况 (county × item), 明细 (every finding), 逾期 / 未公开 / 待核实 /
// 发布日期存疑 (the flagged findings by kind), 已采集 (harvested items), 来源
// (how completely each source was observed) and 说明 (what the report is).
// Every table has Chinese headers, an autofilter and a frozen header row.
// Sheets are streamed, so a province-scale report stays within memory.
func RenderXLSX(w io.Writer, r *audit.Report) error {
	v := newRenderView(r)
	f := excelize.NewFile()
	defer f.Close()
	// The default deflate level spends as long compressing a province-scale
	// workbook as writing it; the fastest level costs a little size.
	// klauspost's deflate at its fastest level takes half the time of the
	// standard library's (the workbook is compressed in one pass after
	// every sheet is written, so this is wall time).
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return zw
	})
	if err := f.SetSheetName("Sheet1", XLSXSheets[0]); err != nil {
		return err
	}
	for _, s := range XLSXSheets[1:] {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	var tables []xlsxTable
	add := func(sheet string, cols []xlsxCol, fill func(emit func([]any) error) error) {
		tables = append(tables, xlsxTable{sheet: sheet, cols: cols, fill: fill, rows: xlsxSheetRows(v, sheet)})
	}

	// 汇总: one row per county.
	summary := []xlsxCol{{"县区", 12}, {"指数", 8}, {"及时性", 8}, {"完整性", 8}, {"应公开", 8}, {"按时公开", 9},
		{"逾期公开", 9}, {"未公开", 8}, {"未到期", 8}, {"待核实", 8}, {"已采集条目", 11}}
	add("汇总", summary, func(emit func([]any) error) error {
		for _, c := range v.counties {
			t := v.totals[c]
			if t == nil {
				t = &audit.Coverage{}
			}
			var score, timely, complete any = "", "", ""
			if ix := v.index[c]; ix != nil {
				score = excelize.Cell{StyleID: st.percent, Value: ix.Score}
				timely = excelize.Cell{StyleID: st.percent, Value: ix.Timely}
				complete = excelize.Cell{StyleID: st.percent, Value: ix.Complete}
			}
			if err := emit([]any{c, score, timely, complete, t.Expected, t.OnTime, t.Late, t.Missing, t.Pending, t.Unverified, t.PublishedItems}); err != nil {
				return err
			}
		}
		return nil
	})

	// 覆盖情况: one row per county × item, in matrix order.
	coverage := []xlsxCol{{"县区", 12}, {"事项", 6}, {"事项名称", 30}, {"应公开记录", 10}, {"应公开", 8}, {"按时公开", 9}, {"逾期公开", 9},
		{"未公开", 8}, {"未到期", 8}, {"待核实", 8}, {"已采集条目", 11}, {"得分", 8}, {"评分依据", 14}, {"说明", 60}}
	add("覆盖情况", coverage, func(emit func([]any) error) error {
		for _, c := range v.counties {
			for _, it := range v.items {
				cell := v.cells[[2]string{c, it}]
				if cell == nil {
					continue
				}
				var score any = excelize.Cell{StyleID: st.percent, Value: cell.Score}
				if !scored(cell) {
					score = ""
				}
				if err := emit([]any{c, it, ItemName(it), cell.Records, cell.Expected, cell.OnTime, cell.Late, cell.Missing, cell.Pending,
					cell.Unverified, cell.PublishedItems, score, basisLabel(cell.Basis), cell.Note}); err != nil {
					return err
				}
			}
		}
		return nil
	})

	// 明细 and the flag sheets share the finding columns.
	cols := make([]xlsxCol, len(findingColumns))
	for i, c := range findingColumns {
		cols[i] = xlsxCol{c.Header, c.Width}
	}
	findingSheet := func(sheet string, keep func(*audit.Finding) bool) {
		add(sheet, cols, func(emit func([]any) error) error {
			row := make([]any, len(findingColumns))
			for i := range r.Findings {
				fd := &r.Findings[i]
				if !keep(fd) {
					continue
				}
				for j, c := range findingColumns {
					row[j] = c.Value(fd)
				}
				if err := emit(row); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for _, s := range []struct {
		sheet string
		keep  func(*audit.Finding) bool
	}{
		{"明细", func(*audit.Finding) bool { return true }},
		{"逾期", func(f *audit.Finding) bool { return f.Status == audit.Late }},
		{"未公开", func(f *audit.Finding) bool { return f.Status == audit.Missing }},
		{"待核实", func(f *audit.Finding) bool { return f.Status == audit.Unverified }},
		{"发布日期存疑", func(f *audit.Finding) bool { return audit.HasBackdateDoubt(*f) }},
	} {
		findingSheet(s.sheet, s.keep)
	}

	// 已采集: every harvested publication the report lists.
	items := []xlsxCol{{"县区", 12}, {"渠道", 16}, {"事项", 6}, {"事项名称", 24}, {"标题", 50}, {"公开日期", 12},
		{"首次发现", 20}, {"编号", 30}, {"状态", 10}, {"归类依据", 30}, {"链接", 50}}
	add("已采集", items, func(emit func([]any) error) error {
		if len(r.Items) > XLSXMaxItems {
			return emit([]any{"", "", "", "", fmt.Sprintf("共采集 %d 条，超过 %d 条，本表不逐条列出；完整清单见 JSON 报告的 items", len(r.Items), XLSXMaxItems)})
		}
		for _, it := range r.Items {
			if err := emit([]any{it.County, it.Channel, it.Item, ItemName(it.Item), it.Title, it.Published, it.FirstSeen,
				joinList(it.RecordNos), publicationStateLabel(it.State), it.Reason, it.URL}); err != nil {
				return err
			}
		}
		return nil
	})

	// 栏目健康: whether each website column is kept up.
	var hcols []xlsxCol
	for _, h := range healthHeader {
		w := 10.0
		switch h {
		case "县区", "来源", "栏目", "类型", "最新信息日期":
			w = 14
		case "结论":
			w = 40
		case "证据", "栏目地址":
			w = 60
		}
		hcols = append(hcols, xlsxCol{h, w})
	}
	add("栏目健康", hcols, func(emit func([]any) error) error {
		for i := range r.ColumnHealth {
			cells := healthCells(&r.ColumnHealth[i])
			row := make([]any, len(cells))
			for j, c := range cells {
				row[j] = c
			}
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	})

	// 来源: how completely each source was observed.
	sources := []xlsxCol{{"县区", 12}, {"来源", 24}, {"渠道", 16}, {"完整观察", 10}, {"最近同步", 22}, {"错误数", 8}, {"未完整观察的栏目", 40}}
	add("来源", sources, func(emit func([]any) error) error {
		for _, s := range r.Sources {
			if err := emit([]any{s.County, s.Source, s.Channel, yesNo(s.Complete), s.LastSync, s.Errors, failedText(s)}); err != nil {
				return err
			}
		}
		return nil
	})

	// 说明: what the report is and what the statuses mean.
	about := []xlsxCol{{"项目", 16}, {"内容", 80}}
	add("说明", about, func(emit func([]any) error) error {
		rows := [][]any{
			{"报告", ReportTitle},
			{"截止日期", r.AsOf},
			{"审核期间", periodText(r)},
			{"依据目录", r.Catalogue},
			{"生成时间", r.GeneratedAt},
		}
		for _, s := range audit.Statuses {
			rows = append(rows, []any{s.Label(), statusMeaning(s)})
		}
		rows = append(rows,
			[]any{audit.FlagBackdated, "页面声明的发布日期早于采集记录：在该日期之后完整观察到的列表中并无此条目，首次发现时间见“首次发现”"},
			[]any{audit.FlagIncomplete, "已公开，但缺少目录规定的公开内容（要素），见“缺少要素”"},
			[]any{audit.FlagElementsUnverified, "已公开，但部分内容无法读取（扫描件、不支持的附件格式、附件下载失败），其中的要素无法核实，不计为缺少，见“要素无法核实”和“备注”"},
		)
		for _, row := range rows {
			if err := emit(row); err != nil {
				return err
			}
		}
		return nil
	})
	if err := writeXLSXTables(f, st, tables); err != nil {
		return err
	}
	return f.Write(w)
}

// statusMeaning explains a status in one sentence (contracts.md §3).
func statusMeaning(s audit.Status) string {
	switch s {
	case audit.OnTime:
		return "已找到，且在应公开日期（含当日）之前公开"
	case audit.Late:
		return "已找到，但晚于应公开日期公开；“逾期工作日”为晚了几个工作日"
	case audit.Missing:
		return "未找到；已过应公开日期，且应公开的所有位置在该日期之后都被完整观察过"
	case audit.Pending:
		return "未找到，截止日期时尚未到应公开日期"
	case audit.Unverified:
		return "未找到，且应公开的位置未能完整观察（网站无法访问、验证页面、同步不完整），不作未公开认定"
	}
	return ""
}

// publicationStateLabel is a harvested publication's state in Chinese.
func publicationStateLabel(s string) string {
	switch s {
	case "current", "":
		return "在线"
	case "changed":
		return "在线（有修改）"
	case "withdrawn":
		return "已撤下"
	}
	return s
}

type xlsxCol struct {
	Header string
	Width  float64
}

// xlsxKind types a column's cells: the report carries dates, times and
// URLs as text (the JSON contract); the office sorts and filters them as
// dates and opens links with a click.
type xlsxKind int

const (
	xlsxText     xlsxKind = iota
	xlsxDate              // YYYY-MM-DD → a date cell
	xlsxDateTime          // RFC 3339 → a date-and-time cell, in the time's own zone (China)
	xlsxURL               // http(s) URL → a hyperlink
)

// xlsxKindOf says how a column is typed, by its header: the same headers
// mean the same thing on every sheet.
func xlsxKindOf(header string) xlsxKind {
	switch header {
	case "形成日期", "应公开日期", "公开日期":
		return xlsxDate
	case "首次发现", "最近同步":
		return xlsxDateTime
	case "链接":
		return xlsxURL
	}
	return xlsxText
}

type xlsxStyles struct{ header, percent, date, dateTime, link int }

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "7F8FA6", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "center"},
	})
	if err != nil {
		return xlsxStyles{}, err
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9}) // 0%
	if err != nil {
		return xlsxStyles{}, err
	}
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd"), Alignment: &excelize.Alignment{Horizontal: "left"}})
	if err != nil {
		return xlsxStyles{}, err
	}
	dateTime, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss"), Alignment: &excelize.Alignment{Horizontal: "left"}})
	if err != nil {
		return xlsxStyles{}, err
	}
	link, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}})
	if err != nil {
		return xlsxStyles{}, err
	}
	return xlsxStyles{header: header, percent: pct, date: date, dateTime: dateTime, link: link}, nil
}

func ptr[T any](v T) *T { return &v }

// xlsxTyped turns a text value of a typed column into its cell: a date,
// a date and time, or a link. Text that does not parse stays as it is.
// Text cells are always written as strings, never as formulas, so a
// harvested title starting with = + - @ stays text; the only formula
// written is HYPERLINK over a URL quoted as a string literal.
func xlsxTyped(st xlsxStyles, kind xlsxKind, v any) any {
	s, ok := v.(string)
	if !ok || s == "" {
		return v
	}
	switch kind {
	case xlsxDate:
		if d, err := time.Parse("2006-01-02", s); err == nil {
			return excelize.Cell{StyleID: st.date, Value: d}
		}
	case xlsxDateTime:
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			// Excel has no zones: the cell shows the wall-clock time the
			// report states (China time).
			wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
			return excelize.Cell{StyleID: st.dateTime, Value: wall}
		}
	case xlsxURL:
		// HYPERLINK takes at most 255 characters; a longer URL stays text.
		if (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")) && len(s) <= 255 && !strings.ContainsAny(s, "\r\n") {
			return excelize.Cell{StyleID: st.link, Value: s, Formula: `HYPERLINK("` + strings.ReplaceAll(s, `"`, `""`) + `")`}
		}
	}
	return v
}

// xlsxTable is one sheet's table: its columns and the rows fill emits.
type xlsxTable struct {
	sheet string
	cols  []xlsxCol
	fill  func(emit func([]any) error) error
	rows  int        // about how many rows: the biggest sheets start first
	kinds []xlsxKind // per column, set by writeXLSXTables
}

// xlsxSheetRows estimates a sheet's rows for scheduling.
func xlsxSheetRows(v *renderView, sheet string) int {
	switch sheet {
	case "明细":
		return len(v.r.Findings)
	case "已采集":
		if len(v.r.Items) > XLSXMaxItems {
			return 1
		}
		return len(v.r.Items)
	case "逾期":
		return v.status[audit.Late]
	case "未公开":
		return v.status[audit.Missing]
	case "待核实":
		return v.status[audit.Unverified]
	case "发布日期存疑":
		return v.backdate
	case "覆盖情况":
		return len(v.r.Coverage)
	}
	return 0
}

// writeXLSXTables streams the tables into their sheets: the header row
// (styled, frozen), the rows, and an autofilter over all of it. The sheets
// are filled concurrently — each stream writer owns its sheet; what the
// workbook shares (defined names for the filters, the package parts) is
// touched under a lock — so a province-scale workbook uses every core.
func writeXLSXTables(f *excelize.File, st xlsxStyles, tables []xlsxTable) error {
	writers := make([]*excelize.StreamWriter, len(tables))
	for i, t := range tables {
		tables[i].kinds = make([]xlsxKind, len(t.cols))
		for j, c := range t.cols {
			tables[i].kinds[j] = xlsxKindOf(c.Header)
		}
		if err := setXLSXPrint(f, t.sheet); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(t.sheet)
		if err != nil {
			return err
		}
		for j, c := range t.cols {
			if err := sw.SetColWidth(j+1, j+1, c.Width); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
			return err
		}
		header := make([]any, len(t.cols))
		for j, c := range t.cols {
			header[j] = excelize.Cell{StyleID: st.header, Value: c.Header}
		}
		if err := sw.SetRow("A1", header, excelize.RowOpts{Height: 20}); err != nil {
			return err
		}
		writers[i] = sw
	}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs = make([]error, len(tables))
		sem  = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	)
	order := make([]int, len(tables))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return tables[b].rows - tables[a].rows })
	for _, i := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = fillXLSXTable(f, st, writers[i], tables[i], &mu)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// setXLSXPrint sets a sheet up for printing: A4 landscape, every column
// on the page width (as many pages down as it takes), the header row
// repeated on every page. Set before the sheet is streamed: the stream
// writer keeps the sheet's settings.
func setXLSXPrint(f *excelize.File, sheet string) error {
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: ptr(9), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$1", Scope: sheet})
}

func fillXLSXTable(f *excelize.File, st xlsxStyles, sw *excelize.StreamWriter, t xlsxTable, mu *sync.Mutex) error {
	rowNum := 1
	err := t.fill(func(values []any) error {
		rowNum++
		// An empty cell is left out rather than written as an empty
		// string: a third of a findings table is empty.
		for i, v := range values {
			if v == "" {
				values[i] = nil
			} else if i < len(t.kinds) && t.kinds[i] != xlsxText {
				values[i] = xlsxTyped(st, t.kinds[i], v)
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, rowNum)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, values)
	})
	if err != nil {
		return fmt.Errorf("工作表 %s: %w", t.sheet, err)
	}
	last, err := excelize.CoordinatesToCellName(len(t.cols), rowNum)
	if err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	if err := f.AutoFilter(t.sheet, "A1:"+last, nil); err != nil {
		return err
	}
	return sw.Flush()
}
