package matcher

import (
	"gongkai"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gongkai/catalogue"
)

func checkOn(t *testing.T, code string, p *gongkai.Publication) ElementCheck {
	t.Helper()
	u := Units(p, DefaultRules().Classify(p))[0]
	return DefaultRules().NewElementChecker().Check(item(t, code), u)
}

// A decision published as its full text, the way county bureaus write
// them: no "label：value" lines besides 当事人, the facts and the legal
// basis in sentences, the organ and date in the signature.
const fullDecision = `泽州县市场监督管理局
行政处罚决定书
泽市监罚〔2020〕15号
当事人：泽州县福满多超市
主体资格证照名称：营业执照
统一社会信用代码：92140525MA0K8RRN6C
住所：泽州县金村镇府城村
负责人：张某某
2020年5月12日，本局执法人员依法对当事人经营场所进行监督检查，发现当事人存在经营超过保质期的食品的行为。本局于2020年5月13日对当事人涉嫌经营超过保质期的食品一案立案调查。
经调查，当事人于2020年4月从晋城市某商贸有限公司购进“某某”牌饼干20箱，保质期至2020年5月1日，截至检查之日尚有3箱在货架销售，货值金额360元，违法所得120元。
以上事实有现场检查笔录、询问笔录、进货票据等证据为证。
当事人的上述行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。
依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项的规定，本局决定对当事人作出如下行政处罚：
1.没收违法所得人民币120元；
2.罚款人民币50000元。
当事人应当自收到本行政处罚决定书之日起十五日内，将罚没款缴至山西省非税收入汇缴结算户。到期不缴纳的，每日按罚款数额的百分之三加处罚款。
当事人对本处罚决定不服的，可以在收到本处罚决定书之日起六十日内向泽州县人民政府申请行政复议，也可以在六个月内依法向人民法院提起行政诉讼。
泽州县市场监督管理局
（印章）
二〇二〇年七月一日`

func TestElementsStatedInProse(t *testing.T) {
	page := &gongkai.Publication{Title: "泽州县市场监督管理局行政处罚决定书（泽市监罚〔2020〕15号）", Body: fullDecision}
	for _, code := range []string{"2.1", "2.2"} {
		if got := checkOn(t, code, page); len(got.Missing)+len(got.Unverifiable) != 0 {
			t.Errorf("%s, full decision text: %+v", code, got)
		}
	}
	// Another county's wording: 现查明, 给予…的行政处罚, the case named by
	// the title only, the date in Arabic numerals after the organ.
	other := &gongkai.Publication{Title: "关于对阳城县康宁大药房销售劣药的行政处罚决定书",
		Body: "阳城县市场监督管理局\n行政处罚决定书\n阳市监罚〔2020〕8号\n当事人：阳城县康宁大药房\n" +
			"现查明：当事人于2020年3月至5月销售经检验为劣药的“某某”牌板蓝根颗粒30盒，违法所得450元。\n" +
			"上述行为违反了《中华人民共和国药品管理法》第九十八条第一款的规定。根据《中华人民共和国药品管理法》第一百一十七条第一款的规定，" +
			"责令当事人改正违法行为，并给予没收违法所得450元、罚款人民币10万元的行政处罚。\n" +
			"当事人须于收到本决定书之日起15日内到指定银行缴纳罚没款。\n阳城县市场监督管理局\n2020年7月1日"}
	if got := checkOn(t, "2.2", other); len(got.Missing)+len(got.Unverifiable) != 0 {
		t.Errorf("2.2, prose decision: %+v", got)
	}
	// A title naming the case.
	titled := &gongkai.Publication{Title: "泽州县福满多超市经营超过保质期的食品案", Body: strings.Replace(penaltyText, "案件名称：甲超市销售过期食品案\n", "", 1) +
		"处罚依据：《中华人民共和国食品安全法》第一百二十四条\n决定书文号：泽市监罚〔2020〕15号"}
	if got := checkOn(t, "2.1", titled); len(got.Missing)+len(got.Unverifiable) != 0 {
		t.Errorf("case named by the title: %+v", got)
	}
	titled.Title = "行政处罚决定书（泽市监罚〔2020〕15号）"
	if got := checkOn(t, "2.1", titled); !slices.Equal(got.Missing, []string{"案件名称"}) {
		t.Errorf("no case name: %+v", got)
	}
	// Prose does not make up what a decision leaves out.
	noBasis := &gongkai.Publication{Title: page.Title, Body: strings.NewReplacer(
		"依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项的规定，", "",
		"当事人的上述行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。", "").Replace(fullDecision)}
	if got := checkOn(t, "2.1", noBasis); !slices.Equal(got.Missing, []string{"处罚依据"}) || len(got.Unverifiable) != 0 {
		t.Errorf("a decision without its basis: %+v", got)
	}
	noFacts := &gongkai.Publication{Title: "行政处罚决定书（泽市监罚〔2020〕15号）",
		Body: "当事人：泽州县福满多超市\n依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项的规定，本局决定给予当事人罚款人民币5000元的行政处罚。\n" +
			"泽州县市场监督管理局\n2020年7月1日"}
	if got := checkOn(t, "2.1", noFacts); !slices.Equal(got.Missing, []string{"案件名称", "违法事实"}) {
		t.Errorf("a decision without facts or case: %+v", got)
	}
	unsigned := &gongkai.Publication{Title: page.Title, Body: strings.TrimSuffix(fullDecision, "泽州县市场监督管理局\n（印章）\n二〇二〇年七月一日")}
	unsigned.Body = strings.Replace(unsigned.Body, "泽州县市场监督管理局\n行政处罚决定书\n", "行政处罚决定书\n", 1)
	unsigned.Title = "行政处罚决定书（泽市监罚〔2020〕15号）"
	if got := checkOn(t, "2.1", unsigned); !slices.Equal(got.Missing, []string{"作出处罚决定部门", "处罚时间"}) {
		t.Errorf("a decision without organ and date: %+v", got)
	}
}

// A sampling notice states who organised it and the basis of the tests
// once, in the prose above its table: every row inherits them.
func TestRowsInheritWhatThePageStates(t *testing.T) {
	row := func(no string) gongkai.Disclosure {
		return gongkai.Disclosure{Kind: "table-row", Ref: "表格第1行", SamplingNos: []string{no}, Fields: map[string]string{
			"序号": "1", "抽样编号": no, "被抽样单位名称": "泽州县好运来超市", "样品名称": "大米", "规格型号": "10kg/袋",
			"生产日期/批号": "2020-04-01", "检验结果": "合格"}}
	}
	prose := "为保障食品安全，本次抽检由泽州县市场监督管理局组织实施，委托晋城市检验检测中心承检，检验依据为GB 2762-2017《食品安全国家标准 食品中污染物限量》等。\n" +
		"现将抽检结果公布如下：\n序号 抽样编号 被抽样单位名称 样品名称 规格型号 生产日期/批号 检验结果\n1 DC20200525000122 泽州县好运来超市 大米 10kg/袋 2020-04-01 合格"
	notice := &gongkai.Publication{Title: "泽州县2020年第5期食品安全监督抽检信息公告", Body: prose,
		Disclosures: []gongkai.Disclosure{row("DC20200525000122"), row("DC20200525000123")}}
	c := DefaultRules().NewElementChecker()
	units := Units(notice, DefaultRules().Classify(notice))
	for _, u := range units {
		if got := c.Check(item(t, "1.3"), u); len(got.Missing)+len(got.Unverifiable) != 0 {
			t.Errorf("row %v: %+v", u.Disc.SamplingNos, got)
		}
	}
	// Without the prose, the rows lack them.
	bare := &gongkai.Publication{Title: notice.Title, Body: "序号 抽样编号 被抽样单位名称 样品名称\n1 DC20200525000122 泽州县好运来超市 大米",
		Disclosures: notice.Disclosures}
	u := Units(bare, DefaultRules().Classify(bare))[0]
	if got := DefaultRules().NewElementChecker().Check(item(t, "1.3"), u); !slices.Equal(got.Missing, []string{"检查实施主体", "检验依据", "检验机构"}) {
		t.Errorf("rows of a page that states nothing: %+v", got)
	}
	// A bureau's own penalty table names the deciding organ in its title.
	table := &gongkai.Publication{Title: "泽州县市场监督管理局2020年7月行政处罚案件信息公开表", Disclosures: []gongkai.Disclosure{{Kind: "table-row",
		Fields: map[string]string{"决定书文号": "泽市监罚〔2020〕1号", "当事人": "甲超市", "案件名称": "甲超市销售过期食品案", "违法事实": "销售过期食品",
			"处罚依据": "《中华人民共和国食品安全法》第一百二十四条", "处罚种类和内容": "罚款5000元", "处罚日期": "2020-07-01"}}}}
	if got := checkOn(t, "2.1", table); len(got.Missing)+len(got.Unverifiable) != 0 {
		t.Errorf("penalty table row: %+v", got)
	}
	table.Title = "2020年7月行政处罚案件信息公开表"
	if got := checkOn(t, "2.1", table); !slices.Equal(got.Missing, []string{"作出处罚决定部门"}) {
		t.Errorf("penalty table row, no organ anywhere: %+v", got)
	}
	// A spreadsheet's title and note rows are the attachment's prose.
	sheet := &gongkai.Publication{Title: "食品安全监督抽检结果", Attachments: []gongkai.Attachment{{Name: "抽检结果.xlsx", Sheets: []gongkai.Sheet{{Name: "合格", Rows: [][]string{
		{"泽州县市场监督管理局2020年第5期食品安全监督抽检合格产品信息", "", "", "", ""},
		{"抽样编号", "被抽样单位名称", "样品名称", "生产日期/批号", "检验机构", "检验结果"},
		{"DC20200525000122", "泽州县好运来超市", "大米", "2020-04-01", "晋城市检验检测中心", "合格"},
		{"注：本次抽检由泽州县市场监督管理局组织实施，检验依据为GB 2762-2017等。", "", "", "", ""},
	}}}}}}
	units = Units(sheet, DefaultRules().Classify(sheet))
	if len(units) != 2 {
		t.Fatalf("units of the spreadsheet: %d", len(units))
	}
	if got := DefaultRules().NewElementChecker().Check(item(t, "1.3"), units[1]); len(got.Missing)+len(got.Unverifiable) != 0 {
		t.Errorf("spreadsheet row: %+v", got)
	}
}

// What the tool could not read is unverifiable, never missing.
func TestUnreadableElementsAreUnverifiable(t *testing.T) {
	it := item(t, "2.1")
	pdfOnly := func(a gongkai.Attachment) *gongkai.Publication {
		return &gongkai.Publication{Title: "行政处罚决定书（泽市监罚〔2020〕15号）", Body: "附件：", Attachments: []gongkai.Attachment{a}}
	}
	all := slices.DeleteFunc(slices.Clone(it.Elements), func(e string) bool { return e == "处罚决定书号和期限" })
	for _, c := range []struct {
		name string
		a    gongkai.Attachment
	}{
		{"scan", gongkai.Attachment{Name: "泽市监罚〔2020〕15号.pdf", Error: "无法读取: 附件 泽市监罚〔2020〕15号.pdf: PDF 没有可提取的文字层（可能是扫描件）"}},
		{"text layer without the decision", gongkai.Attachment{Name: "决定书.pdf", MediaType: "application/pdf", Text: "第 1 页 共 3 页\n泽州县市场监督管理局"}},
		{"unsupported", gongkai.Attachment{Name: "决定书.doc", Error: "无法读取: 不支持的附件格式: 旧版 Word（.doc）文档无法提取文字，请人工查看"}},
		{"failed download", gongkai.Attachment{Name: "决定书.pdf", Error: "HTTP 404"}},
	} {
		got := checkOn(t, "2.1", pdfOnly(c.a))
		if len(got.Missing) != 0 || !slices.Equal(got.Unverifiable, all) || !strings.Contains(got.Why, "附件") {
			t.Errorf("%s: %+v", c.name, got)
		}
	}
	// As the harvester stores such a page: its own disclosure holds the
	// title and body text and the labels it found.
	harvested := pdfOnly(gongkai.Attachment{Name: "决定书.pdf", Error: "无法读取: PDF 没有可提取的文字层（可能是扫描件）"})
	harvested.Disclosures = []gongkai.Disclosure{{Kind: "page", Text: harvested.Title + "\n附件：", Fields: map[string]string{},
		DecisionNos: []string{"泽市监罚〔2020〕15号"}}}
	if got := checkOn(t, "2.1", harvested); len(got.Missing) != 0 || !slices.Equal(got.Unverifiable, all) {
		t.Errorf("harvested scan page: %+v", got)
	}
	harvested.Attachments = nil
	harvested.Body = ""
	if got := checkOn(t, "2.1", harvested); len(got.Missing) != 0 || !slices.Equal(got.Unverifiable, all) || !strings.Contains(got.Why, "图片") {
		t.Errorf("harvested page without text: %+v", got)
	}
	// A readable PDF is judged: what it leaves out is missing.
	readable := pdfOnly(gongkai.Attachment{Name: "决定书.pdf", Text: strings.Replace(fullDecision,
		"依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项的规定，", "", 1)})
	readable.Attachments[0].Text = strings.Replace(readable.Attachments[0].Text, "当事人的上述行为违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定。", "", 1)
	if got := checkOn(t, "2.1", readable); !slices.Equal(got.Missing, []string{"处罚依据"}) || len(got.Unverifiable) != 0 {
		t.Errorf("readable PDF: %+v", got)
	}
	// A page that is only an image shows no text at all.
	image := &gongkai.Publication{Title: "行政处罚决定书（泽市监罚〔2020〕15号）", Body: "  "}
	if got := checkOn(t, "2.1", image); len(got.Missing) != 0 || !slices.Equal(got.Unverifiable, all) {
		t.Errorf("page without text: %+v", got)
	}
	// A row's empty cell is missing whatever else the page holds.
	rows := &gongkai.Publication{Title: "行政处罚案件信息公开表", Attachments: []gongkai.Attachment{{Name: "说明.doc", Error: "不支持的附件格式"}},
		Disclosures: []gongkai.Disclosure{{Kind: "table-row", Fields: map[string]string{"决定书文号": "泽市监罚〔2020〕1号", "当事人": "甲",
			"案件名称": "甲销售过期食品案", "违法事实": "销售过期食品", "处罚依据": "—", "处罚种类": "罚款", "作出处罚的机关": "泽州县市场监督管理局",
			"处罚日期": "2020-07-01"}}}}
	if got := checkOn(t, "2.1", rows); !slices.Equal(got.Missing, []string{"处罚依据"}) || len(got.Unverifiable) != 0 {
		t.Errorf("row with an empty cell: %+v", got)
	}
}

// The check reads a bounded part of a page, and a page's rows share one
// reading of it: the work does not grow with the page's size, nor with
// its size times its rows.
func TestElementCheckIsBounded(t *testing.T) {
	it := item(t, "2.1")
	line := "序号1 泽州县某某超市 大米 2020年5月1日 合格 晋城市检验检测中心 GB 2762-2017 泽州县市场监督管理局 经查 第1号 依据《食品安全法》第二十条\n"
	work := func(size int) (int64, ElementCheck) {
		body := penaltyText + strings.Repeat(line, size/len(line))
		p := &gongkai.Publication{Title: "行政处罚决定书（泽市监罚〔2020〕1号）", Body: body}
		c := DefaultRules().NewElementChecker()
		got := c.Check(it, Units(p, Classification{Item: "2.1"})[0])
		return c.examined.Load(), got
	}
	small, _ := work(200 << 10)
	huge, got := work(20 << 20)
	t.Logf("examined: %d bytes on a 200 KB page, %d on a 20 MB page", small, huge)
	if huge > 2*small || huge > 4<<20 {
		t.Errorf("work on a 20 MB page: %d bytes examined, %d on a 200 KB page", huge, small)
	}
	// The basis lies beyond what was read: it cannot be called missing.
	if len(got.Missing) != 0 || !slices.Equal(got.Unverifiable, []string{"处罚依据"}) || !strings.Contains(got.Why, "过长") {
		t.Errorf("20 MB page: %+v", got)
	}

	rowsOf := func(n int) int64 {
		p := &gongkai.Publication{Title: "2020年行政处罚案件信息公开表", Body: strings.Repeat(line, (4<<20)/len(line))}
		for i := range n {
			p.Disclosures = append(p.Disclosures, gongkai.Disclosure{Kind: "table-row", Text: "泽市监罚〔2020〕" + strconv.Itoa(i+1) + "号 某超市 销售过期食品",
				Fields: map[string]string{"决定书文号": "泽市监罚〔2020〕" + strconv.Itoa(i+1) + "号", "当事人": "某超市"}})
		}
		c := DefaultRules().NewElementChecker()
		for _, u := range Units(p, Classification{Item: "2.1"}) {
			// The page is cut to its head and tail, but a row was read
			// whole: what it lacks is missing.
			if got := c.Check(it, u); !slices.Contains(got.Missing, "违法事实") || len(got.Unverifiable) != 0 {
				t.Fatalf("row of a long table page: %+v", got)
			}
		}
		return c.examined.Load()
	}
	one, many := rowsOf(1), rowsOf(2000)
	t.Logf("examined: %d bytes for one row, %d for 2000", one, many)
	if perRow := (many - one) / 1999; perRow > 4096 {
		t.Errorf("each further row of a 4 MB page costs %d bytes examined (one row: %d)", perRow, one)
	}
}

const penaltyText = "当事人：甲超市\n案件名称：甲超市销售过期食品案\n违法事实：经查，当事人销售过期食品。\n" +
	"处罚种类和内容：罚款5000元\n作出处罚决定部门：泽州县市场监督管理局\n处罚时间：2020年7月1日\n"

var _ = catalogue.Item{}
