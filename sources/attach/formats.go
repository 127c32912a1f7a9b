package attach

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"gongkai"
	"io"
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"
	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"

	"gongkai/internal/textenc"
)

func zipHas(data []byte, name string) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if f.Name == name {
			return true
		}
	}
	return false
}

// oleKind tells an old Word document from an old Excel workbook by the
// streams inside the compound file.
func oleKind(data []byte) string {
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return Unknown
	}
	for {
		f, err := r.Next()
		if err != nil {
			return Unknown
		}
		switch f.Name {
		case "Workbook", "Book":
			return XLS
		case "WordDocument":
			return DOC
		}
	}
}

// ---- XLSX ----

func readXLSX(data []byte) ([]gongkai.Sheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("无法打开 XLSX: %w", err)
	}
	defer f.Close()
	var out []gongkai.Sheet
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, fmt.Errorf("工作表 %s: %w", name, err)
		}
		out = append(out, gongkai.Sheet{Name: name, Rows: tidyRows(rows)})
	}
	return out, nil
}

// tidyRows trims cells, drops trailing empty cells and empty rows, so that
// rows compare and print cleanly.
func tidyRows(rows [][]string) [][]string {
	out := make([][]string, 0, len(rows))
	for _, r := range rows {
		cells := make([]string, len(r))
		last := -1
		for i, c := range r {
			cells[i] = strings.TrimSpace(strings.Join(strings.FieldsFunc(c, unicode.IsSpace), " "))
			if cells[i] != "" {
				last = i
			}
		}
		if last >= 0 {
			out = append(out, cells[:last+1])
		}
	}
	return out
}

// ---- CSV ----

// decodeText is the attachment's text in UTF-8; undecodable bytes become
// U+FFFD rather than failing the whole attachment.
func decodeText(data []byte) string {
	s, err := textenc.Decode(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return s
}

func readCSV(name string, data []byte) (gongkai.Sheet, error) {
	text := decodeText(data)
	first, _, _ := strings.Cut(text, "\n")
	sep := ','
	for _, c := range []rune{'\t', ';', '，'} {
		if strings.Count(first, string(c)) > strings.Count(first, string(sep)) {
			sep = c
		}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = sep
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return gongkai.Sheet{}, fmt.Errorf("CSV 格式有误: %w", err)
	}
	return gongkai.Sheet{Name: name, Rows: tidyRows(rows)}, nil
}

// ---- DOCX ----

// readDOCX reads word/document.xml: paragraphs become lines, tabs and
// breaks are kept, and every table also becomes a sheet (penalty tables
// are often Word tables).
func readDOCX(data []byte) (string, []gongkai.Sheet, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", nil, fmt.Errorf("无法打开 DOCX: %w", err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return "", nil, errors.New("DOCX 中没有 word/document.xml")
	}
	rc, err := doc.Open()
	if err != nil {
		return "", nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, 64<<20))
	var (
		text   strings.Builder
		para   strings.Builder
		sheets []gongkai.Sheet
		// A stack of tables being read (tables nest in cells).
		tables [][][]string
		row    [][]string // per table depth: the row being read
		cell   []*strings.Builder
		inText bool
	)
	flushPara := func() {
		line := strings.TrimSpace(para.String())
		para.Reset()
		if len(cell) > 0 {
			c := cell[len(cell)-1]
			if c.Len() > 0 && line != "" {
				c.WriteString(" ")
			}
			c.WriteString(line)
		}
		if line != "" {
			text.WriteString(line + "\n")
		}
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, fmt.Errorf("DOCX 内容有误: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				para.WriteString("\t")
			case "br", "cr":
				para.WriteString("\n")
			case "tbl":
				tables = append(tables, nil)
				row = append(row, nil)
			case "tr":
				if len(row) > 0 {
					row[len(row)-1] = nil
				}
			case "tc":
				cell = append(cell, &strings.Builder{})
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				flushPara()
			case "tc":
				if len(cell) > 0 && len(row) > 0 {
					c := cell[len(cell)-1]
					cell = cell[:len(cell)-1]
					row[len(row)-1] = append(row[len(row)-1], c.String())
				}
			case "tr":
				if len(tables) > 0 {
					tables[len(tables)-1] = append(tables[len(tables)-1], row[len(row)-1])
				}
			case "tbl":
				if len(tables) > 0 {
					tb := tables[len(tables)-1]
					tables, row = tables[:len(tables)-1], row[:len(row)-1]
					if rows := tidyRows(tb); len(rows) > 0 {
						sheets = append(sheets, gongkai.Sheet{Name: fmt.Sprintf("表格%d", len(sheets)+1), Rows: rows})
					}
				}
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
	}
	return strings.TrimSpace(text.String()), sheets, nil
}

// ---- PDF ----

// readPDF reads the text layer row by row (ledongthuc/pdf loses line
// breaks between text moves in GetPlainText), normalising white space.
func readPDF(data []byte) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("PDF 无法解析: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("无法打开 PDF: %w", err)
	}
	var lines []string
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		lines = append(lines, pageLines(p)...)
	}
	if len(lines) == 0 {
		// Fall back to the plain stream of text.
		if rd, err := r.GetPlainText(); err == nil {
			b, _ := io.ReadAll(rd)
			for _, l := range strings.Split(string(b), "\n") {
				if l = normaliseSpace(l); l != "" {
					lines = append(lines, l)
				}
			}
		}
	}
	if len(lines) == 0 {
		return "", errors.New("PDF 没有可提取的文字层（可能是扫描件）")
	}
	return strings.Join(lines, "\n"), nil
}

// pageLines groups a page's glyphs into lines by their baseline (Content
// follows every text-positioning operator, unlike GetTextByRow, which only
// follows Tm), left to right, with a space where glyphs are far apart.
func pageLines(p pdf.Page) (lines []string) {
	defer func() {
		if recover() != nil {
			lines = nil
		}
	}()
	texts := p.Content().Text
	type line struct {
		y     float64
		glyph []pdf.Text
	}
	var ls []*line
	for _, t := range texts {
		var l *line
		for _, c := range ls {
			if math.Abs(c.y-t.Y) < math.Max(1, t.FontSize*0.3) {
				l = c
				break
			}
		}
		if l == nil {
			l = &line{y: t.Y}
			ls = append(ls, l)
		}
		l.glyph = append(l.glyph, t)
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].y > ls[j].y })
	for _, l := range ls {
		sort.SliceStable(l.glyph, func(i, j int) bool { return l.glyph[i].X < l.glyph[j].X })
		var b strings.Builder
		end := math.Inf(-1)
		for _, g := range l.glyph {
			if b.Len() > 0 && g.X-end > math.Max(g.FontSize, 1)*0.8 {
				b.WriteByte(' ')
			}
			b.WriteString(g.S)
			end = g.X + g.W
		}
		if s := normaliseSpace(b.String()); s != "" {
			lines = append(lines, s)
		}
	}
	return lines
}

func normaliseSpace(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == 0 }), " ")
}

// ---- legacy Word ----

func readDOC(data []byte) (string, error) {
	return "", fmt.Errorf("%w: 旧版 Word（.doc）文档无法提取文字，请人工查看", ErrUnsupported)
}

// ---- legacy Excel ----

// readXLS: no maintained pure-Go reader of BIFF8 workbooks exists (the
// known ones are unmaintained since 2017–2021); saying so beats reading
// them wrong. The harvester records the error next to the attachment, and
// the file name and link text still count for decision numbers.
func readXLS(data []byte) ([]gongkai.Sheet, error) {
	return nil, fmt.Errorf("%w: 旧版 Excel（.xls）工作簿暂不能读取，请人工查看或另存为 .xlsx", ErrUnsupported)
}
