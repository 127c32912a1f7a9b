package audit

import (
	"gongkai"
	"slices"
	"strings"
	"testing"

	"gongkai/catalogue"
	"gongkai/records"
)

func penaltyRecord(no, formed string) records.Record {
	return records.Record{County: zezhou, Item: "2.1", RecordNo: no, Party: "泽州县好运来超市", FormedOn: mustDay(formed), Channels: websiteOnly}
}

func TestWebsiteStatusesAndDueDates(t *testing.T) {
	f := newAuditFixture(t)
	f.records(
		penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01"),
		penaltyRecord("泽市监罚〔2020〕2号", "2020-07-01"),
		penaltyRecord("泽市监罚〔2020〕3号", "2020-07-01"),
		penaltyRecord("泽市监罚〔2020〕4号", "2020-07-01"),
		penaltyRecord("泽市监罚〔2020〕5号", "2020-09-20"),
		// Decided before the 2020 Spring Festival, whose holiday was
		// extended to 2020-02-02: due 2020-02-25 (domain.md).
		penaltyRecord("泽市监罚〔2020〕6号", "2020-01-20"),
	)
	f.siteSweep("2020-09-25", nil,
		penaltyPage("http://zz/1", "泽市监罚〔2020〕1号", "2020-07-29"), // the due day itself
		penaltyPage("http://zz/2", "泽市监罚〔2020〕2号", "2020-07-30"),
		penaltyPage("http://zz/3", "泽市监罚〔2020〕3号", "2020-08-05"),
		penaltyPage("http://zz/6", "泽市监罚〔2020〕6号", "2020-02-26"),
	)
	r := f.build("2020-09-30")

	cases := []struct {
		no, status, due, published string
		late                       int
	}{
		{"泽市监罚〔2020〕1号", "ontime", "2020-07-29", "2020-07-29", 0},
		{"泽市监罚〔2020〕2号", "late", "2020-07-29", "2020-07-30", 1},
		{"泽市监罚〔2020〕3号", "late", "2020-07-29", "2020-08-05", 5},
		{"泽市监罚〔2020〕4号", "missing", "2020-07-29", "", 0},
		{"泽市监罚〔2020〕5号", "pending", "", "", 0},
		{"泽市监罚〔2020〕6号", "late", "2020-02-25", "2020-02-26", 1},
	}
	for _, c := range cases {
		got := finding(t, r, c.no, catalogue.Website)
		if string(got.Status) != c.status || c.due != "" && got.Due != c.due || got.Published != c.published || got.LateWorkdays != c.late {
			t.Errorf("%s: got %s due %s published %s late %d; want %s due %s published %s late %d (notes %v)",
				c.no, got.Status, got.Due, got.Published, got.LateWorkdays, c.status, c.due, c.published, c.late, got.Notes)
		}
	}
	ok := finding(t, r, "泽市监罚〔2020〕1号", catalogue.Website)
	if ok.URL != "http://zz/1" || !strings.HasPrefix(ok.Evidence, "sha256:") || ok.FirstSeen == "" || !strings.Contains(ok.MatchedBy, "决定书文号") {
		t.Errorf("evidence not carried: %+v", ok)
	}
	if len(ok.MissingElements) != 0 {
		t.Errorf("complete decision reported incomplete: %v", ok.MissingElements)
	}
}

func TestPendingOnTheDueDay(t *testing.T) {
	f := newAuditFixture(t)
	f.records(penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01")) // due 2020-07-29
	f.siteSweep("2020-07-30", nil)
	if got := finding(t, f.build("2020-07-29"), "泽市监罚〔2020〕1号", catalogue.Website); got.Status != Pending {
		t.Errorf("as of the due day: %s, want pending", got.Status)
	}
	if got := finding(t, f.build("2020-07-30"), "泽市监罚〔2020〕1号", catalogue.Website); got.Status != Missing {
		t.Errorf("as of the day after: %s, want missing", got.Status)
	}
}

func TestUnverifiedWhenColumnNotObservedAfterDue(t *testing.T) {
	f := newAuditFixture(t)
	f.records(penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01")) // due 2020-07-29
	f.siteSweep("2020-07-20", nil)                         // complete, but before the due date
	f.siteSweep("2020-08-10", []string{colPenalty})        // after, but the column failed
	got := finding(t, f.build("2020-09-30"), "泽市监罚〔2020〕1号", catalogue.Website)
	if got.Status != Unverified || !hasNote(got, "「行政处罚」") || !hasNote(got, "503") {
		t.Fatalf("got %s %v", got.Status, got.Notes)
	}

	// Observed completely on the due day itself: it could still appear that day.
	g := newAuditFixture(t)
	g.records(penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01"))
	g.siteSweep("2020-07-29", nil)
	if got := finding(t, g.build("2020-09-30"), "泽市监罚〔2020〕1号", catalogue.Website); got.Status != Unverified {
		t.Fatalf("observed on the due day: %s, want unverified", got.Status)
	}
}

func TestUnverifiedWhenAnyPlaceUnobserved(t *testing.T) {
	f := newAuditFixture(t)
	// A second column that may also hold penalties, on a source never swept.
	f.places = append(f.places, Place{County: zezhou, Source: "泽州县市场监管局网站", Channel: catalogue.Website, Column: "执法公示", Items: []string{"2.1"}})
	f.records(penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01"))
	f.siteSweep("2020-09-01", nil)
	r := f.build("2020-09-30")
	got := finding(t, r, "泽市监罚〔2020〕1号", catalogue.Website)
	if got.Status != Unverified || !hasNote(got, "执法公示") || !hasNote(got, "从未采集") {
		t.Fatalf("got %s %v", got.Status, got.Notes)
	}
	i := slices.IndexFunc(r.Sources, func(s SourceState) bool { return s.Source == "泽州县市场监管局网站" })
	if i < 0 || r.Sources[i].Complete {
		t.Errorf("never-swept source not reported: %+v", r.Sources)
	}
}

func TestUnverifiedWithoutAnyPlaceForTheItem(t *testing.T) {
	f := newAuditFixture(t)
	f.records(records.Record{County: zezhou, Item: "1.7", RecordNo: "QX2020-01", FormedOn: mustDay("2020-07-01"), Channels: websiteOnly})
	f.siteSweep("2020-09-01", nil)
	got := finding(t, f.build("2020-09-30"), "QX2020-01", catalogue.Website)
	if got.Status != Unverified || !hasNote(got, "没有配置") {
		t.Fatalf("got %s %v", got.Status, got.Notes)
	}
}

func TestCityAndYearDoNotSatisfyCountyRecord(t *testing.T) {
	f := newAuditFixture(t)
	f.records(penaltyRecord("泽市监罚〔2020〕12号", "2020-07-01"))
	f.siteSweep("2020-09-01", nil,
		penaltyPage("http://zz/city", "晋市监罚〔2020〕12号", "2020-07-10"),
		penaltyPage("http://zz/2019", "泽市监罚〔2019〕12号", "2020-07-10"),
	)
	r := f.build("2020-09-30")
	if got := finding(t, r, "泽市监罚〔2020〕12号", catalogue.Website); got.Status != Missing {
		t.Fatalf("got %s via %s %s", got.Status, got.URL, got.MatchedBy)
	}
	if len(r.Items) != 2 {
		t.Errorf("items: %+v", r.Items)
	}
}

func TestWrittenVariantsAndTableRows(t *testing.T) {
	f := newAuditFixture(t)
	f.records(
		penaltyRecord("泽市监罚〔2020〕7号", "2020-07-01"),
		penaltyRecord("泽市监罚〔2020〕8号", "2020-07-01"),
		penaltyRecord("泽市监罚〔2020〕9号", "2020-07-01"),
	)
	table := gongkai.Publication{URL: "http://zz/table", Column: colPenalty, Candidates: []string{"2.1", "2.2", "2.3", "2.4"},
		Title: "2020年7月行政处罚案件信息公开表", Declared: mustDay("2020-07-31"),
		Disclosures: []gongkai.Disclosure{
			{Kind: "table-row", Ref: "表格第1行", Fields: map[string]string{"决定书文号": "泽市监罚字（２０２０）第００７号", "当事人": "张**",
				"案件名称": "销售过期食品案", "主要违法事实": "销售过期食品", "处罚依据": "《食品安全法》第一百二十四条",
				"处罚种类": "罚款", "作出处罚的机关": "泽州县市场监督管理局", "处罚日期": "2020-07-01"}},
			{Kind: "table-row", Ref: "表格第2行", Fields: map[string]string{"决定书文号": "泽市监罚[2020]8号", "当事人": "李**",
				"案件名称": "未按规定公示许可证案", "主要违法事实": "未公示", "处罚依据": "—",
				"处罚种类": "警告", "作出处罚的机关": "泽州县市场监督管理局", "处罚日期": "2020-07-01"}},
		}}
	f.siteSweep("2020-09-01", nil, table)
	r := f.build("2020-09-30")
	seven := finding(t, r, "泽市监罚〔2020〕7号", catalogue.Website)
	if seven.Status != Late || seven.Published != "2020-07-31" || len(seven.MissingElements) != 0 || !strings.Contains(seven.MatchedBy, "表格第1行") {
		t.Errorf("row 1: %+v", seven)
	}
	eight := finding(t, r, "泽市监罚〔2020〕8号", catalogue.Website)
	if !slices.Equal(eight.MissingElements, []string{"处罚依据"}) {
		t.Errorf("row 2 missing elements: %v", eight.MissingElements)
	}
	if nine := finding(t, r, "泽市监罚〔2020〕9号", catalogue.Website); nine.Status != Missing {
		t.Errorf("row absent: %s", nine.Status)
	}
	i := slices.IndexFunc(r.Items, func(it Item) bool { return it.URL == "http://zz/table" })
	if i < 0 || r.Items[i].Item != "2.1" || !slices.Contains(r.Items[i].RecordNos, "泽市监罚〔2020〕8号") {
		t.Errorf("table item: %+v", r.Items)
	}
}

func TestMissingElementsOnPages(t *testing.T) {
	f := newAuditFixture(t)
	f.records(penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01"), penaltyRecord("泽市监罚〔2020〕2号", "2020-07-01"))
	f.siteSweep("2020-09-01", nil,
		penaltyPage("http://zz/1", "泽市监罚〔2020〕1号", "2020-07-10", "处罚依据"),
		penaltyPage("http://zz/2", "泽市监罚〔2020〕2号", "2020-07-10", "违法事实", "作出处罚决定部门"),
	)
	r := f.build("2020-09-30")
	if got := finding(t, r, "泽市监罚〔2020〕1号", catalogue.Website).MissingElements; !slices.Equal(got, []string{"处罚依据"}) {
		t.Errorf("1: %v", got)
	}
	if got := finding(t, r, "泽市监罚〔2020〕2号", catalogue.Website).MissingElements; !slices.Equal(got, []string{"违法事实", "作出处罚决定部门"}) {
		t.Errorf("2: %v", got)
	}
	cov := coverageOf(t, r, zezhou, "2.1")
	if cov.Score != 0.5 || !strings.Contains(cov.Note, "要素不全 2 条") {
		t.Errorf("coverage: %+v", cov)
	}
}

func TestSamplingRowsInAttachments(t *testing.T) {
	f := newAuditFixture(t)
	rec := func(no string) records.Record {
		return records.Record{County: zezhou, Item: "1.3", RecordNo: no, Title: "大米", FormedOn: mustDay("2020-05-25")}
	}
	f.records(rec("DC20200525000122"), rec("DC20200525000123"), rec("DC20200525000124"))
	notice := gongkai.Publication{URL: "http://zz/cj5", Column: colSample, Candidates: []string{"1.3"},
		Title: "食品安全监督抽检信息公告（2020年第5期）", Declared: mustDay("2020-06-10"),
		Body: "检验依据：GB 2762-2017\n检验机构：晋城市综合检验检测中心\n任务来源：泽州县市场监督管理局",
		Attachments: []gongkai.Attachment{{Name: "1.合格产品信息.xlsx", Sheets: []gongkai.Sheet{{Name: "合格", Rows: [][]string{
			{"序号", "抽样编号", "标称生产企业名称", "被抽样单位名称", "食品名称", "规格型号", "生产日期/批号", "检验结果"},
			{"1", "DC20200525000122", "某粮油公司", "甲超市", "大米", "5kg", "2020-04-01", "合格"},
			{"2", "DC20200525000123", "某粮油公司", "", "大米", "5kg", "2020-04-01", "合格"},
		}}}}}}
	f.siteSweep("2020-09-01", nil, notice)
	r := f.build("2020-09-30")
	if got := finding(t, r, "DC20200525000122", catalogue.Website); got.Status != OnTime || len(got.MissingElements) != 0 {
		t.Errorf("122: %s %v", got.Status, got.MissingElements)
	}
	if got := finding(t, r, "DC20200525000123", catalogue.Website); !slices.Equal(got.MissingElements, []string{"被抽检单位名称"}) {
		t.Errorf("123: %v", got.MissingElements)
	}
	if got := finding(t, r, "DC20200525000124", catalogue.Website); got.Status != Missing {
		t.Errorf("124 (not in the sheet): %s", got.Status)
	}
}

func TestBackdatedPublication(t *testing.T) {
	f := newAuditFixture(t)
	f.records(penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01"), penaltyRecord("泽市监罚〔2020〕2号", "2020-07-01"))
	f.siteSweep("2020-07-20", nil) // complete, nothing there
	f.siteSweep("2020-07-25", nil,
		penaltyPage("http://zz/1", "泽市监罚〔2020〕1号", "2020-07-10"), // claims a date the sweep of 07-20 contradicts
		penaltyPage("http://zz/2", "泽市监罚〔2020〕2号", "2020-07-21"), // plausible
	)
	r := f.build("2020-09-30")
	one := finding(t, r, "泽市监罚〔2020〕1号", catalogue.Website)
	if one.Status != OnTime || one.Published != "2020-07-10" || !hasNote(one, NoteBackdate) || !hasNote(one, "2020-07-25") {
		t.Errorf("backdated: %s %s %v", one.Status, one.Published, one.Notes)
	}
	if !HasBackdateDoubt(one) {
		t.Error("renderer does not see the backdating note")
	}
	if two := finding(t, r, "泽市监罚〔2020〕2号", catalogue.Website); hasNote(two, NoteBackdate) {
		t.Errorf("plausible date flagged: %v", two.Notes)
	}
}

func TestWithdrawnPublicationStillDatesTheRecord(t *testing.T) {
	f := newAuditFixture(t)
	f.records(penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01"))
	f.siteSweep("2020-07-20", nil, penaltyPage("http://zz/1", "泽市监罚〔2020〕1号", "2020-07-10"))
	f.withdraw("2020-09-01", "http://zz/1")
	r := f.build("2020-09-30")
	got := finding(t, r, "泽市监罚〔2020〕1号", catalogue.Website)
	if got.Status != OnTime || !hasNote(got, NoteWithdrawn) {
		t.Fatalf("got %s %v", got.Status, got.Notes)
	}
	i := slices.IndexFunc(r.Items, func(it Item) bool { return it.URL == "http://zz/1" })
	if i < 0 || r.Items[i].State != string(gongkai.Withdrawn) {
		t.Errorf("withdrawn item not listed as such: %+v", r.Items)
	}
}

func TestCreditChannel(t *testing.T) {
	f := newAuditFixture(t)
	const (
		usccA = "91140525MA0GRB4L2T"
		usccB = "91140525MA0GRB4M0M"
		usccC = "91140525MA0GRB4N9J"
		usccD = "91140525MA0GRB4P7D"
	)
	pen := func(no, uscc, procedure, penalty string) records.Record {
		return records.Record{County: zezhou, Item: "2.1", RecordNo: no, USCC: uscc, Party: "企业" + uscc[14:],
			FormedOn: mustDay("2020-07-01"), Procedure: procedure, Penalty: penalty}
	}
	f.records(
		pen("泽市监罚〔2020〕1号", usccA, "", "罚款"),
		pen("泽市监罚〔2020〕2号", usccB, "普通", "罚款"),
		pen("泽市监罚〔2020〕3号", usccC, "", ""),
		pen("泽市监罚〔2020〕4号", usccA, "简易", "罚款"),
		pen("泽市监罚〔2020〕5号", usccA, "", "警告"),
		records.Record{County: zezhou, Item: "1.1", RecordNo: "JC-2020-001", USCC: usccA, Party: "企业A", FormedOn: mustDay("2020-07-01")},
		records.Record{County: zezhou, Item: "1.1", RecordNo: "JC-2020-002", USCC: usccD, Party: "企业D", FormedOn: mustDay("2020-07-01")},
	)
	punish := gongkai.Publication{URL: "http://gsxt/pun#1", Title: "行政处罚信息", Disclosures: []gongkai.Disclosure{{
		Kind: "credit-punishment", USCCs: []string{usccA}, Date: mustDay("2020-07-20"), DecisionNos: []string{"泽市监罚〔2020〕1号"},
		Fields: map[string]string{"penDecNo": "泽市监罚〔2020〕1号", "illegActType": "销售过期食品", "publicDate": "2020-07-20"}}}}
	inspect := func(url, uscc string) gongkai.Publication {
		return gongkai.Publication{URL: url, Title: "抽查检查结果信息", Disclosures: []gongkai.Disclosure{{
			Kind: "credit-inspection", USCCs: []string{uscc},
			Fields: map[string]string{"insDate": "1593561600000", "insType_CN": "检查", "insRes_CN": "未发现问题", "insAuth_CN": "泽州县市场监督管理局"}}}}
	}
	f.creditSweep("2020-08-10",
		creditLookup{key: usccA, observed: true, rows: []gongkai.Publication{punish, inspect("http://gsxt/ins#A", usccA)}},
		creditLookup{key: usccB, observed: true},
		creditLookup{key: usccC, observed: false, reason: "HTTP 521 加速乐挑战"},
		creditLookup{key: usccD, observed: true}, // no inspection row yet
	)
	f.creditSweep("2020-09-01",
		creditLookup{key: usccD, observed: true, rows: []gongkai.Publication{inspect("http://gsxt/ins#D", usccD)}},
	)
	r := f.build("2020-09-30")

	if got := finding(t, r, "泽市监罚〔2020〕1号", catalogue.Credit); got.Status != OnTime || got.Published != "2020-07-20" {
		t.Errorf("published on credit: %s %s %v", got.Status, got.Published, got.Notes)
	}
	if got := finding(t, r, "泽市监罚〔2020〕2号", catalogue.Credit); got.Status != Missing {
		t.Errorf("observed absent: %s %v", got.Status, got.Notes)
	}
	if got := finding(t, r, "泽市监罚〔2020〕3号", catalogue.Credit); got.Status != Unverified || !hasNote(got, "521") {
		t.Errorf("challenged: %s %v", got.Status, got.Notes)
	}
	for _, no := range []string{"泽市监罚〔2020〕4号", "泽市监罚〔2020〕5号"} {
		for _, f := range r.Findings {
			if f.RecordNo == no && f.Channel == string(catalogue.Credit) {
				t.Errorf("%s (简易 or warning only) expected on the credit system", no)
			}
		}
	}
	a := finding(t, r, "JC-2020-001", catalogue.Credit)
	if a.Status != OnTime || !hasNote(a, NoteDateUnknown) || a.Published != "" || a.FirstSeen == "" {
		t.Errorf("undated inspection row: %+v", a)
	}
	// usccD's lookup of 2020-08-10 (after the due date 2020-07-29) did not
	// show the row that appeared by 2020-09-01: late by at least 8 working days.
	d := finding(t, r, "JC-2020-002", catalogue.Credit)
	if d.Status != Late || d.LateWorkdays != 8 || !hasNote(d, NoteDateUnknown) {
		t.Errorf("undated row proven late: %+v", d)
	}
	// Credit rows are listed once, with their county and item.
	n := 0
	for _, it := range r.Items {
		if it.Channel == string(catalogue.Credit) {
			n++
			if it.County != zezhou || it.Item == "" {
				t.Errorf("credit item: %+v", it)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d credit items, want 3", n)
	}
	if len(r.Sources) == 0 {
		t.Error("no sources")
	}
}

func eventRecord(no, title, formed string) records.Record {
	return records.Record{County: zezhou, Item: "3.4", RecordNo: no, Title: title, FormedOn: mustDay(formed)}
}

func eventPage(url, title, declared string) gongkai.Publication {
	return gongkai.Publication{URL: url, Column: colService, Candidates: []string{"1.1", "3.1", "3.2", "3.3", "3.4"}, Title: title,
		Declared: mustDay(declared), Body: "活动时间：6月15日\n活动地点：泽州县人民广场\n活动形式：发放宣传资料、现场咨询\n活动主题：尚德守法 共治共享"}
}

func TestEventsMatchedByTitleAndDate(t *testing.T) {
	f := newAuditFixture(t)
	f.records(
		eventRecord("SJ-01", "2020年食品安全宣传周启动仪式", "2020-06-15"), // 7 working days: due 2020-06-24
		eventRecord("SJ-02", "化妆品安全科普宣传进校园", "2020-06-15"),
		eventRecord("SJ-03", "药品安全进社区", "2020-06-15"),
	)
	f.siteSweep("2020-09-01", nil,
		eventPage("http://zz/e1", "泽州县举办2020年食品安全宣传周启动仪式", "2020-06-16"),
		eventPage("http://zz/e2", "开展化妆品安全科普宣传进校园活动", "2020-06-29"),
		eventPage("http://zz/old", "2019年食品安全宣传周启动仪式", "2019-06-18"),
	)
	r := f.build("2020-09-30")
	if got := finding(t, r, "SJ-01", catalogue.Website); got.Status != OnTime || got.URL != "http://zz/e1" || got.Due != "2020-06-24" {
		t.Errorf("SJ-01: %+v", got)
	}
	if got := finding(t, r, "SJ-02", catalogue.Website); got.Status != Late || got.URL != "http://zz/e2" {
		t.Errorf("SJ-02: %+v", got)
	}
	if got := finding(t, r, "SJ-03", catalogue.Website); got.Status != Missing {
		t.Errorf("SJ-03: %+v", got)
	}
}

func TestAmbiguousCandidates(t *testing.T) {
	f := newAuditFixture(t)
	f.records(eventRecord("SJ-01", "食品安全宣传周启动仪式", "2020-06-15"))
	f.siteSweep("2020-09-01", nil,
		eventPage("http://zz/a", "食品安全宣传周启动仪式", "2020-06-16"),
		eventPage("http://zz/b", "食品安全宣传周启动仪式", "2020-06-16"),
	)
	r := f.build("2020-09-30")
	got := finding(t, r, "SJ-01", catalogue.Website)
	if got.Status != OnTime || !hasNote(got, NoteAmbiguous) || len(r.Ambiguities) != 1 || len(r.Ambiguities[0].Candidates) != 2 {
		t.Fatalf("agreeing candidates: %s %v %+v", got.Status, got.Notes, r.Ambiguities)
	}

	// Equally good candidates whose statuses differ: one published by the
	// due date (2020-05-06 + 20 working days = 2020-06-02, counting the
	// make-up working day of 2020-05-09), one the day after.
	g := newAuditFixture(t)
	plan := eventRecord("YJ-01", "食品安全突发事件应急处置工作方案", "2020-05-06")
	plan.Item = "3.2"
	g.records(plan)
	g.siteSweep("2020-09-01", nil,
		eventPage("http://zz/p1", "食品安全突发事件应急处置工作方案", "2020-06-01"),
		eventPage("http://zz/p2", "食品安全突发事件应急处置工作方案", "2020-06-03"),
	)
	r = g.build("2020-09-30")
	got = finding(t, r, "YJ-01", catalogue.Website)
	if got.Status != Unverified || got.Due != "2020-06-02" || !hasNote(got, NoteAmbiguous) || len(r.Ambiguities) != 1 {
		t.Fatalf("disagreeing candidates: %s due %s %v %+v", got.Status, got.Due, got.Notes, r.Ambiguities)
	}
}

func coverageOf(t *testing.T, r *Report, county, item string) Coverage {
	t.Helper()
	for _, c := range r.Coverage {
		if c.County == county && c.Item == item {
			return c
		}
	}
	t.Fatalf("no coverage for %s %s", county, item)
	return Coverage{}
}

func TestCoverageAndScores(t *testing.T) {
	f := newAuditFixture(t)
	f.records(
		penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01"), // ontime, complete: 1
		penaltyRecord("泽市监罚〔2020〕2号", "2020-07-01"), // late: 0.5
		penaltyRecord("泽市监罚〔2020〕3号", "2020-07-01"), // ontime, incomplete: 0.5
		penaltyRecord("泽市监罚〔2020〕4号", "2020-07-01"), // missing: 0
		penaltyRecord("泽市监罚〔2020〕5号", "2020-09-25"), // pending: not counted
	)
	f.siteSweep("2020-09-01", nil,
		penaltyPage("http://zz/1", "泽市监罚〔2020〕1号", "2020-07-10"),
		penaltyPage("http://zz/2", "泽市监罚〔2020〕2号", "2020-08-10"),
		penaltyPage("http://zz/3", "泽市监罚〔2020〕3号", "2020-07-10", "处罚依据"),
		gongkai.Publication{URL: "http://zz/tip", Column: colService, Candidates: []string{"1.1", "3.1", "3.2", "3.3", "3.4"},
			Title: "关于中秋节月饼消费的提示", Declared: mustDay("2020-09-01")},
		gongkai.Publication{URL: "http://zz/plan", Column: colService, Candidates: []string{"1.1", "3.1", "3.2", "3.3", "3.4"},
			Title: "泽州县食品安全突发事件应急预案", Declared: mustDay("2019-12-01")},
	)
	r := f.build("2020-09-30")
	c := coverageOf(t, r, zezhou, "2.1")
	want := Coverage{County: zezhou, Item: "2.1", Expected: 5, OnTime: 2, Late: 1, Missing: 1, Pending: 1, PublishedItems: 3, Score: 0.5, Records: 5, Basis: "records"}
	c.Note = ""
	if c != want {
		t.Errorf("coverage 2.1:\n got %+v\nwant %+v", c, want)
	}
	if tip := coverageOf(t, r, zezhou, "3.1"); tip.Basis != "column" || tip.Score != 1 || tip.PublishedItems != 1 {
		t.Errorf("3.1 judged by its column: %+v", tip)
	}
	if plan := coverageOf(t, r, zezhou, "3.2"); plan.Basis != "column" || plan.Score != 0.5 || !strings.Contains(plan.Note, "6个月") {
		t.Errorf("3.2 stale column: %+v", plan)
	}
	if none := coverageOf(t, r, zezhou, "2.4"); none.Basis != "none" {
		t.Errorf("2.4 nothing to judge: %+v", none)
	}
	if len(r.Counties) != 1 {
		t.Fatalf("counties: %+v", r.Counties)
	}
	ci := r.Counties[0]
	// Items judged: 2.1 (0.5), 3.1 (1), 3.2 (0.5); timeliness 2 of 4 due; completeness 2 of 3 found.
	if ci.Score != 0.667 || ci.Timely != 0.5 || ci.Complete != 0.667 {
		t.Errorf("county index: %+v", ci)
	}
}

func TestFiltersAndPeriod(t *testing.T) {
	f := newAuditFixture(t)
	f.records(
		penaltyRecord("泽市监罚〔2020〕1号", "2020-03-01"),
		penaltyRecord("泽市监罚〔2020〕2号", "2020-07-01"),
		eventRecord("SJ-01", "食品安全宣传周启动仪式", "2020-06-15"),
	)
	f.siteSweep("2020-09-01", nil)
	r := f.build("2020-09-30", func(o *Options) { o.From, o.To, o.Item = mustDay("2020-06-01"), mustDay("2020-09-30"), "2.1" })
	if len(r.Findings) != 1 || r.Findings[0].RecordNo != "泽市监罚〔2020〕2号" {
		t.Errorf("findings: %+v", r.Findings)
	}
	for _, c := range r.Coverage {
		if c.Item != "2.1" {
			t.Errorf("coverage outside the item filter: %+v", c)
		}
	}
	if r.From != "2020-06-01" || r.To != "2020-09-30" || r.AsOf != "2020-09-30" {
		t.Errorf("period: %s %s %s", r.From, r.To, r.AsOf)
	}
}

func TestCountyCatalogueOverridesTimeLimit(t *testing.T) {
	f := newAuditFixture(t)
	f.records(penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01"))
	f.siteSweep("2020-09-01", nil, penaltyPage("http://zz/1", "泽市监罚〔2020〕1号", "2020-07-20"))
	strict := catalogue.Default()
	for i := range strict.Items {
		if strict.Items[i].Code == "2.1" {
			strict.Items[i].TimeLimit.Workdays = 7
		}
	}
	r := f.build("2020-09-30", func(o *Options) { o.Catalogues = map[string]*catalogue.Catalogue{zezhou: strict} })
	got := finding(t, r, "泽市监罚〔2020〕1号", catalogue.Website)
	// 2020-07-01 + 7 working days = 2020-07-10; published 2020-07-20 is 6 working days late.
	if got.Due != "2020-07-10" || got.Status != Late || got.LateWorkdays != 6 {
		t.Errorf("got due %s %s %d", got.Due, got.Status, got.LateWorkdays)
	}
}

// A year without holiday data bounds the due date rather than refusing it
// (issue 8): 2030-07-01 + 20 working days is 2030-07-21 at the earliest
// (every day worked) and 2030-07-29 at the latest (weekends off, no
// festival window in July). A complete observation on 2030-09-01 proves
// the absence; a publication inside the range waits for the notice.
func TestUnknownCalendarYearIsBounded(t *testing.T) {
	f := newAuditFixture(t)
	f.records(penaltyRecord("泽市监罚〔2030〕1号", "2030-07-01"), penaltyRecord("泽市监罚〔2030〕2号", "2030-07-01"))
	f.siteSweep("2030-09-01", nil, penaltyPage("http://zz/2", "泽市监罚〔2030〕2号", "2030-07-25"))
	r := f.build("2030-09-30")
	got := finding(t, r, "泽市监罚〔2030〕1号", catalogue.Website)
	if got.Status != Missing || got.DueEarliest != "2030-07-21" || got.DueLatest != "2030-07-29" || !hasNote(got, "2030 年节假日安排") {
		t.Errorf("got %s %s…%s %v", got.Status, got.DueEarliest, got.DueLatest, got.Notes)
	}
	if got := finding(t, r, "泽市监罚〔2030〕2号", catalogue.Website); got.Status != Unverified || !hasNote(got, ReasonHolidaysUnknown) {
		t.Errorf("published inside the range: %s %v", got.Status, got.Notes)
	}
}

func TestPageWithoutDecisionNumberIsFoundIncomplete(t *testing.T) {
	f := newAuditFixture(t)
	rec := penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01")
	rec.Party, rec.Title = "张三丰", "张三丰销售过期食品案"
	f.records(rec)
	// A masked party, the case name, and no decision number anywhere.
	f.siteSweep("2020-09-01", nil, gongkai.Publication{URL: "http://zz/anon", Column: colPenalty,
		Candidates: []string{"2.1", "2.2", "2.3", "2.4"}, Title: "张**销售过期食品案行政处罚信息", Declared: mustDay("2020-07-15"),
		Body: penaltyBody("", "张**", "决定书文号")})
	got := finding(t, f.build("2020-09-30"), "泽市监罚〔2020〕1号", catalogue.Website)
	if got.Status != OnTime || got.URL != "http://zz/anon" || !strings.Contains(got.MatchedBy, "部分隐去") {
		t.Fatalf("got %s %s by %q", got.Status, got.URL, got.MatchedBy)
	}
	if !slices.Equal(got.MissingElements, []string{"处罚决定书号和期限"}) {
		t.Errorf("missing elements %v", got.MissingElements)
	}
}

// Re-importing a decision under another spelling of its number replaces the
// record: one finding per channel, shown with the latest spelling.
func TestReimportedSpellingIsOneRecord(t *testing.T) {
	f := newAuditFixture(t)
	rec := penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01")
	rec.Channels = []catalogue.Channel{catalogue.Website, catalogue.Credit}
	f.records(rec)
	rec.RecordNo = "泽市监罚[２０２０]第1号"
	f.records(rec)
	f.siteSweep("2020-09-25", nil, penaltyPage("http://zz/1", "泽市监罚〔2020〕1号", "2020-07-20"))
	r := f.build("2020-09-30")
	var got []Finding
	for _, x := range r.Findings {
		if x.Item == "2.1" {
			got = append(got, x)
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d findings, want one per channel: %+v", len(got), got)
	}
	for _, x := range got {
		if x.RecordNo != "泽市监罚[２０２０]第1号" {
			t.Errorf("%s finding shows %q, want the latest spelling", x.Channel, x.RecordNo)
		}
	}
	if w := finding(t, r, "泽市监罚[２０２０]第1号", catalogue.Website); w.Status != OnTime || w.URL != "http://zz/1" {
		t.Errorf("website: %s %s, want ontime at http://zz/1", w.Status, w.URL)
	}
}

// A column configured with items: [] (news, notices) is harvested for
// evidence but holds no item: its pages are classified to none, and it is
// not a place where records are expected — its being down makes nothing
// unverified, and a record of an item no column holds is unverified, not
// missing.
func TestColumnWithoutItems(t *testing.T) {
	f := newAuditFixture(t)
	const colNews = "工作动态"
	f.places = []Place{
		{County: zezhou, Source: zezhouSite, Channel: catalogue.Website, Column: colPenalty, Items: []string{"2.1", "2.2", "2.3", "2.4"}},
		{County: zezhou, Source: zezhouSite, Channel: catalogue.Website, Column: colNews},
	}
	f.records(penaltyRecord("泽市监罚〔2020〕1号", "2020-07-01"), eventRecord("SJ-09", "药品安全进社区", "2020-06-15"))
	news := eventPage("http://zz/news1", "泽州县举办2020年食品安全宣传周启动仪式", "2020-06-16")
	news.Column, news.Candidates = colNews, nil
	f.siteSweep("2020-09-01", []string{colNews}, news)
	r := f.build("2020-09-30")
	i := slices.IndexFunc(r.Items, func(it Item) bool { return it.URL == "http://zz/news1" })
	if i < 0 || r.Items[i].Item != "" || !strings.Contains(r.Items[i].Reason, "items: []") {
		t.Errorf("news page: %+v", r.Items)
	}
	if got := finding(t, r, "泽市监罚〔2020〕1号", catalogue.Website); got.Status != Missing {
		t.Errorf("a decision absent from the complete penalty column, the news column down: %s %v", got.Status, got.Notes)
	}
	if got := finding(t, r, "SJ-09", catalogue.Website); got.Status != Unverified || !hasNote(got, "没有配置可能发布事项 3.4 的栏目") {
		t.Errorf("an event of an item no column holds: %s %v", got.Status, got.Notes)
	}
}

// A decision published only as a scanned PDF: found, on time, its elements
// unverifiable with the reason — never missing, never lowering the score.
func TestScannedDecisionElementsAreUnverifiable(t *testing.T) {
	f := newAuditFixture(t)
	f.records(penaltyRecord("泽市监罚〔2020〕3号", "2020-07-01"))
	scan := gongkai.Publication{URL: "http://zz/3", Column: colPenalty, Candidates: []string{"2.1", "2.2", "2.3", "2.4"},
		Title: "行政处罚决定书（泽市监罚〔2020〕3号）", Declared: mustDay("2020-07-10"), DeclaredFrom: "list", Body: "附件：",
		Attachments: []gongkai.Attachment{{URL: "http://zz/3.pdf", Name: "泽市监罚〔2020〕3号.pdf", Error: "无法读取: 附件 泽市监罚〔2020〕3号.pdf: PDF 没有可提取的文字层（可能是扫描件）"}}}
	f.siteSweep("2020-09-01", nil, scan)
	r := f.build("2020-09-30")
	got := finding(t, r, "泽市监罚〔2020〕3号", catalogue.Website)
	if got.Status != OnTime || len(got.MissingElements) != 0 || len(got.UnverifiableElements) != 7 || !hasNote(got, "扫描件") {
		t.Errorf("scanned decision: %+v", got)
	}
	if !slices.Contains(FlagKinds(got), FlagElementsUnverified) || slices.Contains(FlagKinds(got), FlagIncomplete) {
		t.Errorf("flags: %v", FlagKinds(got))
	}
	if cov := coverageOf(t, r, zezhou, "2.1"); cov.Score != 1 || !strings.Contains(cov.Note, "要素无法核实 1 条") {
		t.Errorf("coverage: %+v", cov)
	}
}
