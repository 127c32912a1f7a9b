package textenc

import (
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func TestDecode(t *testing.T) {
	const want = "𠮷野家,喆,堃"
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(want))
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(want))
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(want))
	for name, in := range map[string][]byte{
		"utf-8":          []byte(want),
		"utf-8 with BOM": append([]byte{0xEF, 0xBB, 0xBF}, want...),
		"utf-16le BOM":   utf16le,
		"utf-16be BOM":   utf16be,
		"gb18030":        gb,
	} {
		got, err := Decode(in)
		if err != nil || got != want {
			t.Errorf("%s: Decode = %q, %v; want %q", name, got, err, want)
		}
	}
}
