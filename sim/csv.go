package sim

import (
	"bytes"
	"encoding/csv"
)

// recordsHeader is the import format of contracts.md §2, in Chinese.
var recordsHeader = []string{"县区", "事项", "编号", "名称", "当事人", "统一社会信用代码", "形成日期", "程序", "处罚种类", "渠道"}

// RecordsCSV is the office's list of expected records formed up to the
// world's current day, in the import format (UTF-8, Chinese headers).
func (w *World) RecordsCSV() []byte {
	now := w.AsOf()
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(recordsHeader)
	for _, rec := range w.recs {
		r := rec.rec
		if r.FormedOn > now {
			continue
		}
		cw.Write([]string{r.County, r.Item, r.RecordNo, r.Title, r.Party, r.USCC, r.FormedOn.String(), r.Procedure, r.Penalty, ""})
	}
	cw.Flush()
	return b.Bytes()
}
