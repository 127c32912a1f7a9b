package attach

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	sheet := "合格产品"
	f.SetSheetName("Sheet1", sheet)
	f.MergeCell(sheet, "A1", "D1")
	f.SetCellValue(sheet, "A1", "食品安全监督抽检产品合格信息")
	for i, row := range [][]any{
		{"序号", "抽样编号", "被抽样单位名称", "食品名称"},
		{1, "DC20140525000123", "泽州县某某超市", "挂面"},
		{2, "DC20140525000124", "泽州县喆堃商店", "食用植物油"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow(sheet, cell, &row)
	}
	f.NewSheet("不合格产品")
	f.SetSheetRow("不合格产品", "A1", &[]any{"序号", "抽样编号"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	text, sheets, err := Extract("1.2025年第5期食品监督抽检产品合格信息.xlsx", "application/octet-stream", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if text != "" || len(sheets) != 2 || sheets[0].Name != sheet || sheets[1].Name != "不合格产品" {
		t.Fatalf("sheets %+v", sheets)
	}
	rows := sheets[0].Rows
	if len(rows) != 4 || rows[0][0] != "食品安全监督抽检产品合格信息" || rows[3][1] != "DC20140525000124" || rows[3][2] != "泽州县喆堃商店" || rows[2][0] != "1" {
		t.Fatalf("rows %q", rows)
	}
}

func TestCSV(t *testing.T) {
	const content = "决定书文号,当事人,处罚日期\n\"泽市监罚〔2020〕12号\",王䶮,2020-07-27\n泽市监罚〔2020〕13号,\"某某有限公司, 分店\",2020/7/28\n"
	gbk, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(content))
	for name, data := range map[string][]byte{
		"utf8.csv":     []byte(content),
		"utf8-bom.csv": append([]byte("\xef\xbb\xbf"), content...),
		"gbk.csv":      gbk,
	} {
		_, sheets, err := Extract(name, "text/csv", data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		rows := sheets[0].Rows
		if len(rows) != 3 || rows[0][0] != "决定书文号" || rows[1][1] != "王䶮" || rows[2][1] != "某某有限公司, 分店" || sheets[0].Name != strings.TrimSuffix(name, ".csv") {
			t.Errorf("%s: %q", name, rows)
		}
	}
	// Tab-separated export with a .csv name.
	_, sheets, err := Extract("t.csv", "", []byte("文号\t当事人\n泽市监罚〔2020〕1号\t甲\n"))
	if err != nil || len(sheets[0].Rows[1]) != 2 {
		t.Errorf("tabs: %v %q", err, sheets)
	}
}

func docx(t *testing.T, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body + `</w:body></w:document>`,
	}
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	zw.Close()
	return buf.Bytes()
}

func TestDOCX(t *testing.T) {
	p := func(runs ...string) string {
		var b strings.Builder
		b.WriteString("<w:p>")
		for _, r := range runs {
			if r == "\t" {
				b.WriteString("<w:r><w:tab/></w:r>")
				continue
			}
			b.WriteString(`<w:r><w:t xml:space="preserve">` + r + "</w:t></w:r>")
		}
		b.WriteString("</w:p>")
		return b.String()
	}
	cell := func(s string) string { return "<w:tc>" + p(s) + "</w:tc>" }
	body := p("行政处罚决定书") + p("泽市监罚", "〔2020〕12号") + p("当事人：", "张喆") +
		"<w:tbl><w:tr>" + cell("决定书文号") + cell("当事人") + "</w:tr><w:tr>" + cell("泽市监罚〔2020〕13号") + cell("李堃") + "</w:tr></w:tbl>" +
		p("罚款", "\t", "5000元")
	text, sheets, err := Extract("决定书.docx", "", docx(t, body))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"行政处罚决定书\n", "泽市监罚〔2020〕12号\n", "当事人：张喆\n", "罚款\t5000元"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if len(sheets) != 1 || len(sheets[0].Rows) != 2 || sheets[0].Rows[1][0] != "泽市监罚〔2020〕13号" || sheets[0].Rows[1][1] != "李堃" {
		t.Errorf("table: %+v", sheets)
	}
}

// cjkPDF writes a minimal PDF whose text layer uses STSong-Light with the
// UniGB-UCS2-H CMap, one line per text line (the form ledongthuc/pdf reads).
func cjkPDF(lines ...string) []byte {
	var content strings.Builder
	content.WriteString("BT\n/F1 12 Tf\n50 780 Td\n")
	for i, l := range lines {
		if i > 0 {
			content.WriteString("0 -18 Td\n")
		}
		content.WriteString("<")
		for _, r := range l {
			fmt.Fprintf(&content, "%04X", r)
		}
		content.WriteString("> Tj\n")
	}
	content.WriteString("ET\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [5 0 R] >>",
		"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestPDF(t *testing.T) {
	data := cjkPDF("高平市市场监督管理局", "行政处罚决定书", "高市监罚字〔2020〕第0012号", "当事人：  某某   有限公司")
	text, sheets, err := Extract("P020200805123456789012.pdf", "application/pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	want := "高平市市场监督管理局\n行政处罚决定书\n高市监罚字〔2020〕第0012号\n当事人： 某某 有限公司"
	if text != want || sheets != nil {
		t.Fatalf("text %q\nwant %q", text, want)
	}
}

func TestPDFWithoutTextLayer(t *testing.T) {
	data := cjkPDF()
	_, _, err := Extract("scan.pdf", "application/pdf", data)
	if err == nil || !strings.Contains(err.Error(), "文字层") {
		t.Fatalf("err %v", err)
	}
}

func TestUnsupportedAndBrokenFilesAreErrorsNotPanics(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
	cases := map[string][]byte{
		"old.xls":     ole,
		"old.doc":     ole,
		"archive.zip": []byte("PK\x03\x04garbage"),
		"image.jpg":   {0xff, 0xd8, 0xff, 0xe0},
		"broken.pdf":  []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"),
		"broken.xlsx": append([]byte("PK\x03\x04"), bytes.Repeat([]byte{1}, 100)...),
		"empty.csv":   {},
	}
	for name, data := range cases {
		_, _, err := Extract(name, "", data)
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	for _, name := range []string{"old.xls", "old.doc", "image.jpg"} {
		if _, _, err := Extract(name, "", cases[name]); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "不支持") {
			t.Errorf("%s: %v is not a clear 不支持 error", name, err)
		}
	}
}

func TestDetect(t *testing.T) {
	var buf bytes.Buffer
	f := excelize.NewFile()
	f.Write(&buf)
	cases := []struct {
		name, mt string
		data     []byte
		want     string
	}{
		{"download.jsp", "application/octet-stream", buf.Bytes(), XLSX}, // the bytes decide
		{"a.docx", "", docx(t, ""), DOCX},
		{"a.bin", "", cjkPDF("x"), PDF},
		{"a.csv", "", []byte("a,b"), CSV},
		{"a", "text/csv; charset=gbk", []byte("a,b"), CSV},
		{"a.txt", "", []byte("x"), Text},
	}
	for _, c := range cases {
		if got := Detect(c.name, c.mt, c.data); got != c.want {
			t.Errorf("%s: %q want %q", c.name, got, c.want)
		}
	}
}

// A CSV saved as Excel's "Unicode text" (UTF-16LE with BOM) keeps
// characters outside the BMP (surrogate pairs), such as 𠮷.
func TestUTF16CSVKeepsSupplementaryCharacters(t *testing.T) {
	utf16le, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("企业名称\t结果\n𠮷野家餐饮店\t合格\n"))
	if err != nil {
		t.Fatal(err)
	}
	sh, err := readCSV("抽检结果.csv", utf16le)
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Rows) != 2 || sh.Rows[1][0] != "𠮷野家餐饮店" {
		t.Fatalf("rows = %q", sh.Rows)
	}
}
