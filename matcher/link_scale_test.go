package matcher

import (
	"gongkai"
	"slices"
	"testing"

	"gongkai/catalogue"
	"gongkai/records"
)

func linkAll(t *testing.T, recs []records.Record, ch catalogue.Channel, pubs ...*gongkai.Publication) []Link {
	t.Helper()
	l := NewLinker(nil)
	r := DefaultRules()
	for _, p := range pubs {
		l.Add(Units(p, r.Classify(p))...)
	}
	channels := make([][]catalogue.Channel, len(recs))
	for i := range channels {
		channels[i] = []catalogue.Channel{ch}
	}
	return l.Link(recs, channels)
}

// Two events of one name and two notices of that name, both after both
// formings (the large world's 沁水县 YJCZ-140521-2020-06/09): closeness
// after forming gave the earlier notice to the later record and made the
// earlier one late. They are paired in order — earlier record, earlier
// notice — and each names its rival.
func TestLinkInterchangeableRecordsPairedInOrder(t *testing.T) {
	const title = "沁水县食品安全事故应急预案（2020年11月）"
	recs := []records.Record{
		{County: "泽州县", Item: "3.2", RecordNo: "YJCZ-140521-2020-06", Title: title, FormedOn: day("2020-11-03")},
		{County: "泽州县", Item: "3.2", RecordNo: "YJCZ-140521-2020-09", Title: title, FormedOn: day("2020-11-06")},
	}
	early := page("http://x/1110", title, "", "2020-11-10", "3.2")
	late := page("http://x/1202", title, "", "2020-12-02", "3.2")
	links := linkAll(t, recs, catalogue.Website, late, early)
	if got := urls(links[0]); !slices.Equal(got, []string{"http://x/1110"}) || links[0].Ambiguous {
		t.Errorf("earlier record: %v (ambiguous %v), want the earlier notice", got, links[0].Ambiguous)
	}
	if got := urls(links[1]); !slices.Equal(got, []string{"http://x/1202"}) {
		t.Errorf("later record: %v, want the later notice", got)
	}
	if !slices.Equal(links[0].Interchangeable, []int{1}) || !slices.Equal(links[1].Interchangeable, []int{0}) {
		t.Errorf("rivals not named: %v %v", links[0].Interchangeable, links[1].Interchangeable)
	}

	// A title only one record carries is not shared.
	other := records.Record{County: "泽州县", Item: "3.2", RecordNo: "YJCZ-140521-2020-10", Title: "沁水县食品安全事故应急演练（2020年12月）", FormedOn: day("2020-12-01")}
	drill := page("http://x/drill", other.Title, "", "2020-12-03", "3.2")
	links = linkAll(t, []records.Record{other}, catalogue.Website, drill, early)
	if got := urls(links[0]); !slices.Equal(got, []string{"http://x/drill"}) || len(links[0].Interchangeable) != 0 {
		t.Errorf("unique title: %v rivals %v", got, links[0].Interchangeable)
	}
}

// Two inspections of one enterprise on one day and one credit row (the
// large world's 陵川县 JCJL-140524-2020-0055/0058): the row could be either
// record's, and the first in line took it. The website row found by
// 0055's own number gives its result (符合要求); the credit row says 基本符合:
// it is 0058's inspection, and 0055 has none on the credit system.
func TestLinkCreditRowToTheInspectionItsResultFits(t *testing.T) {
	const uscc = "91140524MAHJ2NQQE3"
	recs := []records.Record{
		{County: "泽州县", Item: "1.1", RecordNo: "JCJL-140524-2020-0055", Title: "食品生产经营监督检查", Party: "陵川县喆丰饭店", USCC: uscc, FormedOn: day("2020-02-17")},
		{County: "泽州县", Item: "1.1", RecordNo: "JCJL-140524-2020-0058", Title: "食品生产经营监督检查", Party: "陵川县喆丰饭店", USCC: uscc, FormedOn: day("2020-02-17")},
	}
	batch := inspectionBatch(map[string]string{"检查编号": "JCJL-140524-2020-0055", "被检查单位名称": "陵川县喆丰饭店",
		"统一社会信用代码": uscc, "检查日期": "2020-02-17", "检查结果": "符合要求"})
	row := func(result string) *gongkai.Publication {
		return &gongkai.Publication{URL: "c#1", County: "泽州县", Channel: catalogue.Credit, Title: "陵川县喆丰饭店 抽查检查结果信息",
			Disclosures: []gongkai.Disclosure{{Kind: "credit-inspection", USCCs: []string{uscc}, Parties: []string{"陵川县喆丰饭店"},
				Fields: map[string]string{"日期": "2020-02-17", "类型": "检查", "检查实施机关": "陵川县市场监督管理局", "结果": result}}}}
	}
	link := func(result string) (web0, cred0, web1, cred1 Link) {
		l := NewLinker(nil)
		for _, p := range []*gongkai.Publication{batch, row(result)} {
			l.Add(Units(p, DefaultRules().Classify(p))...)
		}
		both := []catalogue.Channel{catalogue.Website, catalogue.Credit}
		links := l.Link(recs, [][]catalogue.Channel{both, both})
		return links[0], links[1], links[2], links[3]
	}

	web0, cred0, web1, cred1 := link("基本符合")
	if len(web0.Matches) != 1 || !web0.Matches[0].Strong {
		t.Fatalf("0055 not found on the website by its number: %+v", web0)
	}
	if len(web1.Matches) != 0 {
		t.Errorf("0058 found on the website: %v", urls(web1))
	}
	if len(cred0.Matches) != 0 || len(cred0.Interchangeable) != 0 {
		t.Errorf("0055 took a credit row whose result contradicts its own: %v rivals %v", urls(cred0), cred0.Interchangeable)
	}
	if got := urls(cred1); !slices.Equal(got, []string{"c#1"}) || len(cred1.Interchangeable) != 0 {
		t.Errorf("0058: %v rivals %v, want the credit row as its own", got, cred1.Interchangeable)
	}

	// Nothing tells them apart (the same result): one takes the row, and
	// both name the other — the report says which is unpublished is a
	// choice.
	_, cred0, _, cred1 = link("符合要求")
	if len(cred0.Matches)+len(cred1.Matches) != 1 {
		t.Fatalf("the one row linked %d times", len(cred0.Matches)+len(cred1.Matches))
	}
	if !slices.Equal(cred0.Interchangeable, []int{1}) || !slices.Equal(cred1.Interchangeable, []int{0}) {
		t.Errorf("rivals not named: %v %v", cred0.Interchangeable, cred1.Interchangeable)
	}
}

// A notice published seven months after forming, classified to the
// record's item and named as the record is, is the record's disclosure
// published late; next year's event of the same name is not.
func TestLinkVeryLatePublicationByTitle(t *testing.T) {
	rec := records.Record{County: "泽州县", Item: "3.3", RecordNo: "TSJB-140525-2020-02", Title: "泽州县2020年食品药品投诉举报处理情况通报", FormedOn: day("2020-03-02")}
	late := page("http://x/late", "泽州县2020年食品药品投诉举报处理情况通报", "受理投诉举报的途径：12315", "2020-10-05", "3.3")
	l := linkOne(t, rec, catalogue.Website, late)
	if got := urls(l); !slices.Equal(got, []string{"http://x/late"}) {
		t.Fatalf("very late notice not linked: %v", got)
	}
	next := page("http://x/2021", "泽州县2021年食品药品投诉举报处理情况通报", "受理投诉举报的途径：12315", "2021-03-05", "3.3")
	if l := linkOne(t, rec, catalogue.Website, next); len(l.Matches) != 0 {
		t.Errorf("next year's notice taken for this year's: %v", urls(l))
	}
	tooLate := page("http://x/old", rec.Title, "受理投诉举报的途径：12315", "2022-05-05", "3.3")
	if l := linkOne(t, rec, catalogue.Website, tooLate); len(l.Matches) != 0 {
		t.Errorf("a notice more than two years after forming linked by name: %v", urls(l))
	}
	// Within the usual window nothing changes: a title loosely alike links.
	near := page("http://x/near", "泽州县食品药品投诉举报处理情况通报（2020年）", "", "2020-03-20", "3.3")
	if l := linkOne(t, rec, catalogue.Website, near); len(l.Matches) != 1 {
		t.Errorf("a close notice within the window not linked")
	}
}

// Groups of records alike stay apart: a link joins only the links it
// shares a unit with (a path-halving step once sent every chain to link 0,
// naming unrelated records as rivals).
func TestUnionFindKeepsGroupsApart(t *testing.T) {
	u := unionFind{}
	u.union(5, 3)
	u.union(7, 5)
	u.union(9, 8)
	if u.find(7) != 3 || u.find(5) != 3 || u.find(9) != 8 {
		t.Errorf("roots: 7→%d 5→%d 9→%d, want 3 3 8", u.find(7), u.find(5), u.find(9))
	}
	if u.find(1) != 1 || u.find(0) != 0 || u.find(7) == u.find(9) {
		t.Errorf("unrelated links merged: 1→%d 0→%d", u.find(1), u.find(0))
	}
}
