package matcher

import (
	"gongkai"
	"strconv"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
)

func day(s string) calendar.Date {
	d, err := calendar.ParseISO(s)
	if err != nil {
		panic(err)
	}
	return d
}

func page(url, title, body string, declared string, candidates ...string) *gongkai.Publication {
	return &gongkai.Publication{URL: url, County: "泽州县", Channel: catalogue.Website, Column: "栏目", Title: title, Body: body,
		Declared: day(declared), Candidates: candidates, FirstSeen: time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)}
}

func linkOne(t *testing.T, rec records.Record, ch catalogue.Channel, pubs ...*gongkai.Publication) Link {
	t.Helper()
	l := NewLinker(nil)
	r := DefaultRules()
	for _, p := range pubs {
		l.Add(Units(p, r.Classify(p))...)
	}
	links := l.Link([]records.Record{rec}, [][]catalogue.Channel{{ch}})
	if len(links) != 1 {
		t.Fatalf("%d links", len(links))
	}
	return links[0]
}

func urls(l Link) []string {
	var out []string
	for _, m := range l.Matches {
		out = append(out, m.Unit.Pub.URL)
	}
	return out
}

func TestLinkDecisionNumberVariants(t *testing.T) {
	rec := records.Record{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕12号", FormedOn: day("2020-07-01")}
	for _, title := range []string{
		"行政处罚决定书（泽市监罚〔2020〕12号）",
		"泽市监罚字（２０２０）第０１２号行政处罚决定书",
		"泽市监罚[2020]12号",
		"泽市监罚【2020】0012号",
	} {
		l := linkOne(t, rec, catalogue.Website, page("http://x/1", title, "", "2020-07-20", "2.1"))
		if len(l.Matches) != 1 || !l.Matches[0].Strong {
			t.Errorf("%s: not linked: %+v", title, l)
		}
	}
}

func TestLinkDisambiguatesYearAndBureau(t *testing.T) {
	rec := records.Record{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕12号", Party: "泽州县好运来超市", FormedOn: day("2020-07-01")}
	city := page("http://x/city", "晋市监罚〔2020〕12号 行政处罚决定书", "当事人：泽州县好运来超市", "2020-07-10", "2.1")
	lastYear := page("http://x/2019", "泽市监罚〔2019〕12号 行政处罚决定书", "当事人：泽州县好运来超市", "2020-07-10", "2.1")
	l := linkOne(t, rec, catalogue.Website, city, lastYear)
	if len(l.Matches) != 0 {
		t.Fatalf("a city decision or last year's decision satisfied the county's record: %v", urls(l))
	}
}

func TestLinkPageWithoutDecisionNumberByPartyAndCase(t *testing.T) {
	// The page left its decision number out (an element missing): it is
	// still the record's disclosure, found by party and case name.
	rec := records.Record{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕12号", Party: "张三丰",
		Title: "张三丰销售过期食品案", FormedOn: day("2020-07-01")}
	p := page("http://x/p", "张**销售过期食品案行政处罚信息", "当事人：张**\n案件名称：张**销售过期食品案", "2020-07-20", "2.1")
	p.Disclosures = []gongkai.Disclosure{{Kind: "page", Parties: []string{"张**"}}}
	l := linkOne(t, rec, catalogue.Website, p)
	if len(l.Matches) != 1 || l.Matches[0].Strong {
		t.Fatalf("masked party page not linked weakly: %+v", l)
	}
	// But a page carrying another decision number is another case.
	q := page("http://x/q", "张**销售过期食品案（泽市监罚〔2020〕13号）", "当事人：张**", "2020-07-20", "2.1")
	q.Disclosures = []gongkai.Disclosure{{Kind: "page", Parties: []string{"张**"}}}
	if l := linkOne(t, rec, catalogue.Website, q); len(l.Matches) != 0 {
		t.Fatalf("linked to another decision: %v", urls(l))
	}
}

func TestLinkTableRows(t *testing.T) {
	rec := records.Record{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕7号", FormedOn: day("2020-07-01")}
	p := page("http://x/t", "2020年7月行政处罚案件信息公开表", "", "2020-07-31", "2.1")
	p.Disclosures = []gongkai.Disclosure{
		{Kind: "table-row", Ref: "第1行", Fields: map[string]string{"决定书文号": "泽市监罚〔2020〕6号", "当事人": "甲"}},
		{Kind: "table-row", Ref: "第2行", Fields: map[string]string{"决定书文号": "泽市监罚(2020)7号", "当事人": "乙"}},
	}
	l := linkOne(t, rec, catalogue.Website, p)
	if len(l.Matches) != 1 || l.Matches[0].Unit.Disc.Ref != "第2行" {
		t.Fatalf("row not linked: %+v", l)
	}
}

func TestLinkSheetRowsFromAttachment(t *testing.T) {
	rec := records.Record{County: "泽州县", Item: "1.3", RecordNo: "DC20200525000123", FormedOn: day("2020-05-25")}
	p := page("http://x/s", "食品安全监督抽检信息公告（2020年第5期）", "", "2020-06-10", "1.3")
	p.Attachments = []gongkai.Attachment{{Name: "合格产品信息.xlsx", Sheets: []gongkai.Sheet{{Name: "合格", Rows: [][]string{
		{"序号", "抽样编号", "被抽样单位名称", "食品名称"},
		{"1", "DC20200525000122", "甲超市", "大米"},
		{"2", "DC20200525000123", "乙超市", "面粉"},
	}}}}}
	l := linkOne(t, rec, catalogue.Website, p)
	if len(l.Matches) != 1 || l.Matches[0].Unit.Disc.Fields["食品名称"] != "面粉" {
		t.Fatalf("sheet row not linked: %+v", l)
	}
}

func TestLinkEventsByTitleAndDate(t *testing.T) {
	rec := records.Record{County: "泽州县", Item: "3.4", RecordNo: "SJ-2020-07", Title: "2020年食品安全宣传周启动仪式", FormedOn: day("2020-06-15")}
	good := page("http://x/good", "泽州县举办2020年食品安全宣传周启动仪式", "", "2020-06-18")
	before := page("http://x/before", "2020年食品安全宣传周启动仪式预告", "", "2020-06-10")
	other := page("http://x/other", "开展农村集体聚餐食品安全检查", "", "2020-06-18")
	l := linkOne(t, rec, catalogue.Website, good, before, other)
	if got := urls(l); len(got) != 1 || got[0] != "http://x/good" || l.Ambiguous {
		t.Fatalf("got %v (ambiguous %v)", got, l.Ambiguous)
	}
}

func TestLinkAmbiguousEqualCandidates(t *testing.T) {
	rec := records.Record{County: "泽州县", Item: "3.4", RecordNo: "SJ-2020-07", Title: "2020年食品安全宣传周启动仪式", FormedOn: day("2020-06-15")}
	a := page("http://x/a", "2020年食品安全宣传周启动仪式", "", "2020-06-18")
	b := page("http://x/b", "2020年食品安全宣传周启动仪式", "", "2020-06-18")
	l := linkOne(t, rec, catalogue.Website, a, b)
	if !l.Ambiguous || len(l.Matches) != 2 {
		t.Fatalf("two identical candidates not reported ambiguous: %+v", l)
	}
}

func TestLinkUnitsGoToOneRecordEach(t *testing.T) {
	// Two inspections of the same enterprise; the credit system shows two
	// undated rows with their inspection dates. Each row goes to the record
	// of its date.
	uscc := "91140525MA0GRB4L2T"
	recs := []records.Record{
		{County: "泽州县", Item: "1.1", RecordNo: "JC2020-001", USCC: uscc, FormedOn: day("2020-03-02")},
		{County: "泽州县", Item: "1.1", RecordNo: "JC2020-002", USCC: uscc, FormedOn: day("2020-09-01")},
	}
	row := func(url, date string) *gongkai.Publication {
		return &gongkai.Publication{URL: url, County: "泽州县", Channel: catalogue.Credit, Title: "抽查检查结果",
			Disclosures: []gongkai.Disclosure{{Kind: "credit-inspection", USCCs: []string{uscc},
				Fields: map[string]string{"insDate": date, "insType_CN": "检查", "insAuth_CN": "泽州县市场监督管理局", "insRes_CN": "合格"}}}}
	}
	l := NewLinker(nil)
	for _, p := range []*gongkai.Publication{row("c#2", "2020-09-01"), row("c#1", "2020-03-02")} {
		l.Add(Units(p, DefaultRules().Classify(p))...)
	}
	links := l.Link(recs, [][]catalogue.Channel{{catalogue.Credit}, {catalogue.Credit}})
	if got := urls(links[0]); len(got) != 1 || got[0] != "c#1" {
		t.Errorf("first inspection: %v", got)
	}
	if got := urls(links[1]); len(got) != 1 || got[0] != "c#2" {
		t.Errorf("second inspection: %v", got)
	}
}

func TestLinkChannelsAreSeparate(t *testing.T) {
	rec := records.Record{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕12号", FormedOn: day("2020-07-01")}
	l := linkOne(t, rec, catalogue.Credit, page("http://x/1", "泽市监罚〔2020〕12号", "", "2020-07-20", "2.1"))
	if len(l.Matches) != 0 {
		t.Fatal("a website page satisfied the credit channel")
	}
}

func inspectionBatch(rows ...map[string]string) *gongkai.Publication {
	p := page("http://x/jc", "XX局2020年第3批食品生产经营监督检查结果公示", "", "2020-09-18", "1.1", "1.2", "1.4")
	p.Disclosures = []gongkai.Disclosure{{Kind: "page", Text: p.Title}}
	for i, f := range rows {
		d := gongkai.Disclosure{Kind: "table-row", Ref: "表格1第" + strconv.Itoa(i+1) + "行", Fields: f}
		for k, v := range f {
			d.Text += k + " " + v + " | "
		}
		p.Disclosures = append(p.Disclosures, d)
	}
	return p
}

func TestLinkInspectionRowsNotOtherInspections(t *testing.T) {
	const uscc = "91140521MA0GRB4L21"
	rec := records.Record{County: "泽州县", Item: "1.1", RecordNo: "JCJL-140521-2020-0005", Title: "食品生产经营监督检查",
		USCC: uscc, FormedOn: day("2020-07-01")}
	// The same enterprise inspected again in September, with its own number.
	other := inspectionBatch(map[string]string{"检查编号": "JCJL-140521-2020-0006", "被检查单位名称": "甲", "统一社会信用代码": uscc,
		"检查日期": "2020-09-10", "检查结果": "符合要求"})
	if l := linkOne(t, rec, catalogue.Website, other); len(l.Matches) != 0 {
		t.Fatalf("linked to another inspection: %+v", l.Matches[0])
	}
	// Without numbers, only the row of the record's day is the record's.
	undated := inspectionBatch(
		map[string]string{"被检查单位名称": "甲", "统一社会信用代码": uscc, "检查日期": "2020-09-10", "检查结果": "符合要求"})
	if l := linkOne(t, rec, catalogue.Website, undated); len(l.Matches) != 0 {
		t.Fatalf("linked to the page or a row of another day: %+v", l.Matches[0].Unit.Disc)
	}
	right := inspectionBatch(
		map[string]string{"被检查单位名称": "乙", "统一社会信用代码": "91140521MA0GRB4M0U", "检查日期": "2020-07-01", "检查结果": "合格"},
		map[string]string{"被检查单位名称": "甲", "统一社会信用代码": uscc, "检查日期": "2020-07-01", "检查结果": "符合要求"})
	l := linkOne(t, rec, catalogue.Website, right)
	if len(l.Matches) != 1 || l.Matches[0].Unit.Disc.Ref != "表格1第2行" {
		t.Fatalf("want the enterprise's row, got %+v", l.Matches)
	}
}

func TestMakeTimeIsNotAPublicationDate(t *testing.T) {
	p := page("http://x/m", "行政处罚决定书（泽市监罚〔2020〕12号）", "", "2020-07-20", "2.1")
	p.DeclaredFrom = "Maketime"
	u := Units(p, DefaultRules().Classify(p))[0]
	if !u.Published.IsZero() {
		t.Errorf("a Maketime taken for the publication date: %s", u.Published)
	}
	p.DeclaredFrom = "PubDate"
	if u := Units(p, DefaultRules().Classify(p))[0]; u.Published != day("2020-07-20") {
		t.Errorf("PubDate not taken: %s", u.Published)
	}
}

func TestLinkNearCandidateIsShownNotTaken(t *testing.T) {
	rec := records.Record{County: "泽州县", Item: "3.4", RecordNo: "SJ-2020-07", Title: "2020年食品安全宣传周启动仪式", FormedOn: day("2020-06-15")}
	p := page("http://x/near", "食品安全宣传进社区活动", "", "2020-06-18")
	l := linkOne(t, rec, catalogue.Website, p)
	if len(l.Matches) != 0 {
		t.Fatalf("a loosely similar page was taken: %+v", l.Matches)
	}
	if l.Near == nil || l.Near.Unit.Pub.URL != "http://x/near" {
		t.Fatalf("no near candidate: %+v", l.Near)
	}
}
