package sim

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// writePDF writes a minimal valid PDF 1.4 whose text layer uses the
// predefined CJK font STSong-Light with the UniGB-UCS2-H CMap and UCS-2BE
// hex strings: the form pure-Go readers (ledongthuc/pdf) and poppler decode.
// Lines longer than wrap runes are wrapped; pages hold linesPerPage lines.
func writePDF(lines []string) []byte {
	const wrap, linesPerPage, size, leading = 36, 44, 12, 17
	var wrapped []string
	for _, l := range lines {
		for utf8.RuneCountInString(l) > wrap {
			r := []rune(l)
			wrapped = append(wrapped, string(r[:wrap]))
			l = string(r[wrap:])
		}
		wrapped = append(wrapped, l)
	}
	var pages [][]string
	for len(wrapped) > 0 {
		n := min(len(wrapped), linesPerPage)
		pages = append(pages, wrapped[:n])
		wrapped = wrapped[n:]
	}
	if len(pages) == 0 {
		pages = [][]string{{""}}
	}

	var objs []string // objs[i] is object i+1
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	catalog := add("") // filled below
	pagesObj := add("")
	font := add("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [" +
		fmt.Sprint(len(objs)+2) + " 0 R] >>")
	desc := add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
	add(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor %d 0 R /DW 1000 >>", desc))
	var kids []string
	for _, pl := range pages {
		// One text object per line: readers put a line break between text
		// objects (ledongthuc/pdf also panics on T* with a two-byte CMap).
		var cs strings.Builder
		for i, l := range pl {
			fmt.Fprintf(&cs, "BT\n/F1 %d Tf\n50 %d Td\n<", size, 790-i*leading)
			for _, r := range l {
				if r > 0xFFFF {
					r = 0x3013 // 〓: outside UCS-2
				}
				fmt.Fprintf(&cs, "%04X", r)
			}
			cs.WriteString("> Tj\nET\n")
		}
		content := add(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", cs.Len(), cs.String()))
		pg := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", pagesObj, font, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", pg))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))

	return assemblePDF(objs, catalog)
}

// assemblePDF writes objects (objs[i] is object i+1) as a PDF file with its
// cross-reference table; root is the catalog's object number.
func assemblePDF(objs []string, root int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
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
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, root, xref)
	return b.Bytes()
}

// penaltyPDF is the decision document attached to a PDF-only penalty page.
func (s *Site) decisionPDF(e *Entry) []byte {
	switch {
	case e.kind == kindPenaltyScan:
		return writeScanPDF(int64(e.ID), e.Path)
	case s.uf.prose:
		return s.proseDecisionPDF(e)
	}
	lines := []string{s.Org, "行政处罚决定书", e.docNoShown, ""}
	for _, f := range s.penaltyFields(e) {
		lines = append(lines, f[1]+"："+f[2])
	}
	lines = append(lines, "", "如不服本处罚决定，可在收到本决定书之日起六十日内申请行政复议，或者六个月内依法提起行政诉讼。",
		"", s.Org, e.pen.Decided.Chinese())
	return writePDF(lines)
}
