// Package textenc turns the bytes of text files that counties and sites
// produce (CSV exports, attachments) into UTF-8: the one decoder every
// reader of such files uses.
package textenc

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Decode reads text as office software writes it in China: a UTF-8 or
// UTF-16 byte-order mark decides (Excel's "Unicode text" is UTF-16LE with
// a BOM, surrogate pairs included); otherwise valid UTF-8 is kept and
// anything else is read as GB18030, the superset of GBK and GB2312.
func Decode(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:]), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", fmt.Errorf("UTF-16 文本无法解码: %v", err)
		}
		return string(out), nil
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("既不是 UTF-8 也不是 GBK/GB18030 编码: %v", err)
	}
	return string(out), nil
}
