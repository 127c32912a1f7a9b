package matcher

import (
	"fmt"
	"gongkai"
	"strconv"
	"strings"
	"testing"

	"gongkai/catalogue"
	"gongkai/records"
)

// benchCounty is a county's worth of publications and records: full-text
// decisions (numbered pages), a penalty table of rows, sampling notices
// and event pages, with one record for each.
func benchCounty() ([]*gongkai.Publication, []records.Record) {
	var pubs []*gongkai.Publication
	var recs []records.Record
	for i := 1; i <= 300; i++ {
		no := fmt.Sprintf("泽市监罚〔2020〕%d号", i)
		body := strings.Replace(fullDecision, "泽市监罚〔2020〕15号", no, 1)
		pubs = append(pubs, page(fmt.Sprintf("http://x/p%d", i), "泽州县市场监督管理局行政处罚决定书（"+no+"）", body, "2020-07-10", "2.1", "2.2"))
		recs = append(recs, records.Record{County: "泽州县", Item: "2.1", RecordNo: no, Party: "泽州县福满多超市", Title: "经营超过保质期的食品案", FormedOn: day("2020-07-01")})
	}
	table := page("http://x/table", "泽州县市场监督管理局2020年7月行政处罚案件信息公开表", "", "2020-07-20", "2.1", "2.2")
	for i := 1; i <= 200; i++ {
		no := fmt.Sprintf("泽市监罚〔2020〕%d号", 1000+i)
		table.Disclosures = append(table.Disclosures, gongkai.Disclosure{Kind: "table-row", Ref: fmt.Sprintf("表格第%d行", i), DecisionNos: []string{no},
			Text: no + " | 甲超市" + strconv.Itoa(i) + " | 销售过期食品", Fields: map[string]string{"决定书文号": no, "当事人": "甲超市" + strconv.Itoa(i), "案件名称": "甲超市销售过期食品案",
				"违法事实": "销售过期食品", "处罚依据": "《中华人民共和国食品安全法》第一百二十四条", "处罚种类和内容": "罚款5000元", "处罚日期": "2020-07-01"}})
		recs = append(recs, records.Record{County: "泽州县", Item: "2.1", RecordNo: no, Party: "甲超市" + strconv.Itoa(i), FormedOn: day("2020-07-01")})
	}
	pubs = append(pubs, table)
	for i := 1; i <= 100; i++ {
		no := fmt.Sprintf("DC20200525%06d", i)
		p := page(fmt.Sprintf("http://x/s%d", i), fmt.Sprintf("泽州县2020年第%d期食品安全监督抽检信息公告", i),
			"本次抽检由泽州县市场监督管理局组织实施，委托晋城市检验检测中心承检，检验依据为GB 2762-2017等。\n序号 抽样编号 被抽样单位名称 样品名称\n1 "+no+" 泽州县好运来超市 大米",
			"2020-06-01", "1.3")
		recs = append(recs, records.Record{County: "泽州县", Item: "1.3", RecordNo: no, Title: "大米", FormedOn: day("2020-05-25")})
		pubs = append(pubs, p)
	}
	for i := 1; i <= 100; i++ {
		title := fmt.Sprintf("泽州县开展第%d届食品安全宣传周活动", i)
		pubs = append(pubs, page(fmt.Sprintf("http://x/e%d", i), title, "活动时间：2020年6月15日\n活动地点：文化广场\n活动形式：现场咨询", "2020-06-16", "3.4"))
		recs = append(recs, records.Record{County: "泽州县", Item: "3.4", RecordNo: fmt.Sprintf("XC-2020-%03d", i), Title: title, FormedOn: day("2020-06-15")})
	}
	return pubs, recs
}

func BenchmarkClassify(b *testing.B) {
	pubs, _ := benchCounty()
	r := DefaultRules()
	for b.Loop() {
		for _, p := range pubs {
			r.Classify(p)
		}
	}
}

func BenchmarkUnits(b *testing.B) {
	pubs, _ := benchCounty()
	for b.Loop() {
		for _, p := range pubs {
			Units(p, Classification{Item: p.Candidates[0]})
		}
	}
}

func BenchmarkElementCheck(b *testing.B) {
	pubs, _ := benchCounty()
	var units []*Unit
	for _, p := range pubs {
		units = append(units, Units(p, Classification{Item: p.Candidates[0]})...)
	}
	cat := catalogue.Default()
	for b.Loop() {
		c := DefaultRules().NewElementChecker()
		for _, u := range units {
			it, _ := cat.Item(u.Class.Item)
			c.Check(it, u)
		}
	}
}

func BenchmarkLink(b *testing.B) {
	pubs, recs := benchCounty()
	r := DefaultRules()
	var units []*Unit
	for _, p := range pubs {
		units = append(units, Units(p, r.Classify(p))...)
	}
	channels := make([][]catalogue.Channel, len(recs))
	for i := range channels {
		channels[i] = []catalogue.Channel{catalogue.Website}
	}
	for b.Loop() {
		for _, u := range units {
			u.grams, u.gramsDone = nil, false
		}
		l := NewLinker(r)
		l.Add(units...)
		l.Link(recs, channels)
	}
}

func BenchmarkTitleGrams(b *testing.B) {
	titles := []string{"泽州县市场监督管理局关于开展2020年食品安全宣传周活动的通知", "泽州县2020年第5期食品安全监督抽检信息公告",
		"行政处罚决定书（泽市监罚〔2020〕12号）", "晋城市城区市场监管局2020年7月行政处罚案件信息公开表"}
	for b.Loop() {
		for _, t := range titles {
			titleGrams(t)
		}
	}
}
