package sim

import (
	"golang.org/x/text/encoding/simplifiedchinese"
)

// encode turns a rendered page into the site's bytes: UTF-8, or GB18030 for
// the sites whose <meta> says gb2312 (real GBK sites serve GB18030 bytes
// whenever a name needs a character outside GB2312).
func (s *Site) encode(text string) []byte {
	if s.Charset == "utf-8" {
		return []byte(text)
	}
	out, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		// Every Unicode scalar is encodable in GB18030; this cannot happen.
		panic("sim: GB18030 encoding failed: " + err.Error())
	}
	return []byte(out)
}
