// Package attach extracts what matching needs from attachments: table rows
// from spreadsheets (XLSX, XLS) and CSV, text and tables from DOCX, text
// from PDFs with a text layer. Extraction never panics on a broken file:
// it returns an error the harvester records next to the attachment.
package attach

import (
	"bytes"
	"errors"
	"fmt"
	"gongkai"
	"path"
	"strings"
)

// ErrUnsupported is wrapped by errors for formats gongkai cannot read.
var ErrUnsupported = errors.New("不支持的附件格式")

// Format names.
const (
	XLSX    = "xlsx"
	XLS     = "xls"
	CSV     = "csv"
	DOCX    = "docx"
	DOC     = "doc"
	PDF     = "pdf"
	Text    = "txt"
	Unknown = ""
)

// Extract reads an attachment. name is the file name or link text (its
// extension helps when the media type is vague); the bytes decide first.
func Extract(name, mediaType string, data []byte) (text string, sheets []gongkai.Sheet, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, sheets, err = "", nil, fmt.Errorf("附件 %s 无法解析（文件损坏？）: %v", name, r)
		}
	}()
	if len(data) == 0 {
		return "", nil, fmt.Errorf("附件 %s 为空", name)
	}
	switch f := Detect(name, mediaType, data); f {
	case XLSX:
		sheets, err = readXLSX(data)
	case XLS:
		sheets, err = readXLS(data)
	case CSV:
		var sh gongkai.Sheet
		sh, err = readCSV(sheetName(name), data)
		sheets = []gongkai.Sheet{sh}
	case DOCX:
		text, sheets, err = readDOCX(data)
	case PDF:
		text, err = readPDF(data)
	case DOC:
		text, err = readDOC(data)
	case Text:
		text = decodeText(data)
	default:
		return "", nil, fmt.Errorf("%w: %s（%s）", ErrUnsupported, name, orUnknown(mediaType))
	}
	if err != nil {
		return "", nil, fmt.Errorf("附件 %s: %w", name, err)
	}
	return text, sheets, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "未知类型"
	}
	return s
}

func sheetName(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	return strings.TrimSuffix(base, path.Ext(base))
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Detect names the format of an attachment from its bytes, then its media
// type and file extension.
func Detect(name, mediaType string, data []byte) string {
	ext := strings.ToLower(path.Ext(name))
	mt := strings.ToLower(mediaType)
	switch {
	case bytes.HasPrefix(data, []byte("%PDF")):
		return PDF
	case bytes.HasPrefix(data, zipMagic):
		switch {
		case zipHas(data, "xl/workbook.xml"):
			return XLSX
		case zipHas(data, "word/document.xml"):
			return DOCX
		}
		return Unknown
	case bytes.HasPrefix(data, oleMagic):
		switch {
		case ext == ".doc" || ext == ".wps" || strings.Contains(mt, "msword"):
			return DOC
		case ext == ".xls" || ext == ".et" || strings.Contains(mt, "excel"):
			return XLS
		}
		return oleKind(data)
	}
	switch {
	case ext == ".csv" || strings.Contains(mt, "csv"):
		return CSV
	case ext == ".txt" || strings.HasPrefix(mt, "text/plain"):
		return Text
	}
	return Unknown
}
