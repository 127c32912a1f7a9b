package matcher

import (
	"gongkai"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClassifyByContent(t *testing.T) {
	penalties := []string{"2.1", "2.2", "2.3", "2.4"}
	all := []string(nil)
	cases := []struct {
		title, body string
		candidates  []string
		want        string
	}{
		{"泽州县市场监督管理局行政处罚决定书（泽市监罚〔2020〕12号）", "当事人：某某超市。经查，当事人销售超过保质期的食品……", penalties, "2.1"},
		{"行政处罚决定书", "当事人：某某大药房。经查，当事人销售劣药……依据《中华人民共和国药品管理法》", penalties, "2.2"},
		{"行政处罚决定书", "当事人经营无注册证的医疗器械，违反《医疗器械监督管理条例》", penalties, "2.3"},
		{"行政处罚决定书", "当事人经营未经备案的进口化妆品", penalties, "2.4"},
		{"关于某保健食品经营部虚假宣传的行政处罚", "", penalties, "2.1"},
		// 食品药品监督管理局 names an institution, not the domain.
		{"泽州县食品药品监督管理局行政处罚决定书", "当事人：某医疗器械经营部。经营医疗器械……", penalties, "2.3"},
		{"食品安全监督抽检信息公告（2020年第5期）", "", all, "1.3"},
		{"2020年第2期医疗器械监督抽检结果", "", all, "1.7"},
		{"食品生产经营企业监督检查结果公示", "", all, "1.1"},
		{"婴幼儿配方乳粉生产企业监督检查结果", "", all, "1.2"},
		{"药品零售企业监督检查结果公示", "", all, "1.4"},
		{"化妆品经营企业监督检查情况", "", all, "1.5"},
		{"医疗机构药品使用质量监督检查情况", "", all, "1.6"},
		{"关于端午节期间粽子消费的提示", "", all, "3.1"},
		{"食品安全消费警示：谨防野生蘑菇中毒", "", all, "3.1"},
		{"泽州县食品安全突发事件应急演练", "", all, "3.2"},
		{"食品药品投诉举报渠道", "", all, "3.3"},
		{"2020年食品安全宣传周活动启动", "", all, "3.4"},
		{"化妆品安全科普宣传进社区", "", all, "3.4"},
		{"局党组召开理论学习中心组会议", "会议传达学习了……", all, ""},
	}
	r := DefaultRules()
	for _, c := range cases {
		p := &gongkai.Publication{Title: c.title, Body: c.body, Candidates: c.candidates, Column: "栏目"}
		got := r.Classify(p)
		if got.Item != c.want {
			t.Errorf("%s: item %q (%s), want %q", c.title, got.Item, got.Reason, c.want)
		}
		if got.Reason == "" {
			t.Errorf("%s: no reason", c.title)
		}
	}
}

func TestClassifySingleCandidateColumn(t *testing.T) {
	r := DefaultRules()
	p := &gongkai.Publication{Title: "XX局食品安全监督抽检信息公告（2020年第5期）", Candidates: []string{"1.3"}, Column: "食品安全抽检"}
	if got := r.Classify(p); got.Item != "1.3" || got.By != "column" || !strings.Contains(got.Reason, "食品安全抽检") {
		t.Errorf("sampling notice: %+v", got)
	}
	// Work news filed in the same column belongs to no item.
	for _, title := range []string{"召开食品安全工作推进会", "开展节前食品安全专项检查", "组织学习《中华人民共和国行政处罚法》", "工作动态"} {
		n := &gongkai.Publication{Title: title, Candidates: []string{"1.3"}, Column: "食品安全抽检",
			Body: "为进一步加强食品药品安全监管工作，某局近日" + title + "。会议强调，要坚持问题导向，压实主体责任。"}
		if got := r.Classify(n); got.Item != "" {
			t.Errorf("%s: %+v", title, got)
		}
	}
}

func TestResolveByLinkedRecords(t *testing.T) {
	r := DefaultRules()
	cls := Classification{Item: "2.1", Kind: "处罚", By: "rules"}
	if got := r.Resolve(cls, map[string]int{"2.2": 1}); got.Item != "2.2" || got.By != "record" {
		t.Errorf("single item: %+v", got)
	}
	if got := r.Resolve(Classification{Item: "2.3", Kind: "处罚"}, map[string]int{"2.2": 3, "2.1": 1}); got.Item != "2.1" {
		t.Errorf("mixed table: want the kind's default item, got %+v", got)
	}
	if got := r.Resolve(cls, map[string]int{"2.2": 3, "2.1": 1}); got.Item != "2.1" || got.By != "rules" {
		t.Errorf("content item among the records': %+v", got)
	}
}

func TestClassifyRespectsCandidates(t *testing.T) {
	// A sampling notice in a column that holds only inspections and
	// penalties is not forced into 1.3.
	p := &gongkai.Publication{Title: "食品安全抽检信息公告", Candidates: []string{"1.1", "2.1"}, Column: "x"}
	if got := DefaultRules().Classify(p); got.Item == "1.3" {
		t.Fatalf("classified outside the candidates: %+v", got)
	}
}

func TestClassifyCreditRows(t *testing.T) {
	r := DefaultRules()
	pun := &gongkai.Publication{Channel: "国家企业信用信息公示系统", Title: "行政处罚信息",
		Disclosures: []gongkai.Disclosure{{Kind: "credit-punishment", Fields: map[string]string{
			"penDecNo": "泽市监罚〔2020〕12号", "illegActType": "销售劣药", "penContent": "罚款5000元", "penAuth_CN": "泽州县市场监督管理局"}}}}
	if got := r.Classify(pun); got.Item != "2.2" {
		t.Errorf("punishment row: %+v", got)
	}
	ins := &gongkai.Publication{Channel: "国家企业信用信息公示系统", Title: "抽查检查结果信息",
		Disclosures: []gongkai.Disclosure{{Kind: "credit-inspection", Parties: []string{"泽州县康宁大药房"}, Fields: map[string]string{
			"insAuth_CN": "泽州县市场监督管理局", "insType_CN": "检查", "insRes_CN": "未发现问题"}}}}
	if got := r.Classify(ins); got.Item != "1.4" {
		t.Errorf("inspection row: %+v", got)
	}
}

func TestLoadRulesExtends(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rules.yaml")
	os.WriteFile(path, []byte(`
kinds:
  - name: 宣传
    title: [放心消费]
elements:
  活动地点:
    labels: [举办地点]
`), 0o644)
	r, err := LoadRules(path)
	if err != nil {
		t.Fatal(err)
	}
	p := &gongkai.Publication{Title: "创建放心消费示范街"}
	if got := r.Classify(p); got.Item != "3.4" {
		t.Errorf("user keyword not used: %+v", got)
	}
	if got := DefaultRules().Classify(p); got.Item == "3.4" {
		t.Errorf("built-in rules changed by loading a file: %+v", got)
	}
	if !strings.Contains(strings.Join(r.Elements["活动地点"].Labels, ","), "举办地点") ||
		!strings.Contains(strings.Join(r.Elements["活动地点"].Labels, ","), "活动地点") {
		t.Errorf("labels not merged: %v", r.Elements["活动地点"].Labels)
	}
}

func TestLoadRulesErrors(t *testing.T) {
	for _, bad := range []string{
		"items:\n  - {kind: 不存在, item: \"2.1\"}\n",
		"items:\n  - {kind: 处罚, domain: 食品, item: \"abc\"}\n",
		"elements:\n  处罚依据:\n    patterns: ['(']\n",
		"kinds:\n  - title: [x]\n",
		"unknown_key: 1\n",
	} {
		if _, err := ParseRules([]byte(bad), "user.yaml"); err == nil || !strings.Contains(err.Error(), "user.yaml") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}

// A column's items limit what its pages may be and never force one: a
// 工作动态 column that also carries 宣传周 activities (items: ["3.4"]) gives
// 3.4 only to pages that show a publicity activity themselves.
func TestClassifyNeedsEvidenceInThePage(t *testing.T) {
	r := DefaultRules()
	news := []struct{ title, body string }{
		{"县市场监管局开展春节前市场检查", "1月15日，县市场监管局组织执法人员深入辖区超市、农贸市场开展节前市场检查，共检查经营户120家，发放宣传资料300余份。"},
		{"我局组织干部职工参加义务植树活动", "3月12日，局机关30余名干部职工来到城郊植树基地参加义务植树活动。"},
		{"县市场监管局深入企业开展帮扶服务", "近日，县市场监管局深入辖区食品生产企业，现场解答企业在许可办理中遇到的问题，发放政策汇编50册。"},
		{"县局召开2020年度民主生活会", "会上，班子成员逐一作对照检查发言。"},
	}
	for _, n := range news {
		p := &gongkai.Publication{Title: n.title, Body: n.body, Candidates: []string{"3.4"}, Column: "工作动态"}
		if got := r.Classify(p); got.Item != "" || got.Reason == "" {
			t.Errorf("news %q: %+v", n.title, got)
		}
	}
	events := []struct{ title, body string }{
		{"2020年食品安全宣传周启动仪式在县文化广场举行", "6月15日，我县2020年食品安全宣传周启动仪式在县文化广场举行，现场设置咨询台，发放宣传资料2000余份。"},
		{"县市场监管局开展“安全用药月”进社区宣传活动", "活动现场，工作人员向居民讲解安全用药知识。"},
		{"工作动态", "9月10日，县市场监管局在东关社区开展化妆品安全科普宣传活动，设置展板10块，发放宣传资料500份，现场解答群众咨询。"},
	}
	for _, e := range events {
		p := &gongkai.Publication{Title: e.title, Body: e.body, Candidates: []string{"3.4"}, Column: "工作动态"}
		if got := r.Classify(p); got.Item != "3.4" {
			t.Errorf("event %q: %+v", e.title, got)
		}
	}
}

// Explanatory notes and pinned notices are not disclosures, whatever
// words their titles carry.
func TestNotesAreNotDisclosures(t *testing.T) {
	r := DefaultRules()
	penalties := []string{"2.1", "2.2", "2.3", "2.4"}
	for _, title := range []string{"关于行政处罚信息公示有关事项的说明", "【置顶】行政处罚信息公示栏目说明", "泽州县市场监督管理局政府信息公开指南",
		"关于行政处罚决定书公示期限的说明（2020年修订）", "食品安全抽检信息查询须知"} {
		p := &gongkai.Publication{Title: title, Body: "为规范行政处罚信息公示工作，根据《市场监督管理行政处罚信息公示规定》，现将有关事项说明如下：当事人、违法事实、处罚依据……",
			Candidates: penalties, Column: "行政处罚"}
		if got := r.Classify(p); got.Item != "" || got.Kind != NoteKind || !strings.Contains(got.Reason, "说明或指南") {
			t.Errorf("%q: %+v", title, got)
		}
	}
	// A 情况说明 reports on an event: it is judged by its content.
	p := &gongkai.Publication{Title: "关于某批次食品抽检不合格情况的说明", Candidates: []string{"1.3", "3.2"}, Column: "通知公告"}
	if got := r.Classify(p); got.Item != "1.3" {
		t.Errorf("情况说明: %+v", got)
	}
}
