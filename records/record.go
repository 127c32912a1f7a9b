// Package records holds the expected records — the things a county bureau
// should disclose, as the municipal office lists them — and reads them from
// the office's CSV and XLSX files (see contracts.md §2).
package records

import (
	"slices"
	"strings"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/ident"
)

// Record is one thing that should be disclosed.
type Record struct {
	County    string              `json:"county"`    // official name, e.g. 泽州县
	Item      string              `json:"item"`      // catalogue item code, e.g. 2.1
	RecordNo  string              `json:"record_no"` // as the office wrote it
	Title     string              `json:"title,omitempty"`
	Party     string              `json:"party,omitempty"`
	USCC      string              `json:"uscc,omitempty"`
	FormedOn  calendar.Date       `json:"formed_on"`
	Procedure string              `json:"procedure,omitempty"` // 普通 / 简易
	Penalty   string              `json:"penalty,omitempty"`   // 警告, 罚款 …
	Channels  []catalogue.Channel `json:"channels,omitempty"`  // override of the item's channels
	Source    string              `json:"source,omitempty"`    // file it was imported from
}

// Key identifies a record for replacement on re-import: county, item and
// the record number's NumberKey, so that 泽市监罚[2020]1号 re-imported after
// 泽市监罚〔2020〕1号 replaces it. RecordNo keeps the spelling as written.
func (r Record) Key() string { return r.County + "|" + r.Item + "|" + NumberKey(r.RecordNo) }

// NumberKey is the form record numbers are compared in: a decision number
// by its canonical key (ident.DecisionNo.Key: brackets, full-width digits,
// 第, 字, leading zeros and spaces do not matter), anything else full-width
// folded, spaces collapsed and upper-cased.
func NumberKey(no string) string {
	if d, ok := ident.ParseDecisionNo(no); ok {
		return d.Key()
	}
	return strings.ToUpper(ident.Fold(no))
}

// ExpectedChannels returns the channels the record must appear on: the
// override if given, else the item's channels; 简易程序 and warning-only
// penalties are not expected on the enterprise credit publicity system
// (市场监督管理行政处罚信息公示规定 Art. 6/9).
func (r Record) ExpectedChannels(it catalogue.Item) []catalogue.Channel {
	chans := it.Channels
	if len(r.Channels) > 0 {
		chans = r.Channels
	}
	out := make([]catalogue.Channel, 0, len(chans))
	for _, ch := range chans {
		if ch == catalogue.Credit && !r.creditExpected() {
			continue
		}
		out = append(out, ch)
	}
	return out
}

func (r Record) creditExpected() bool {
	if r.Procedure == "简易" {
		return false
	}
	if r.Penalty != "" && isWarningOnly(r.Penalty) {
		return false
	}
	return true
}

func isWarningOnly(p string) bool {
	parts := splitList(p)
	return len(parts) > 0 && !slices.ContainsFunc(parts, func(s string) bool { return s != "警告" })
}

// splitList splits a list written with 、 ; ； , ， or spaces.
func splitList(s string) []string {
	var out []string
	cur := []rune{}
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch r {
		case '、', ';', '；', ',', '，', ' ', '\t', '　':
			flush()
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}
