package matcher

import (
	"gongkai"
	"slices"
	"strings"
	"testing"

	"gongkai/catalogue"
)

func item(t *testing.T, code string) catalogue.Item {
	t.Helper()
	it, ok := catalogue.Default().Item(code)
	if !ok {
		t.Fatalf("no item %s", code)
	}
	return it
}

func missingOn(t *testing.T, code string, p *gongkai.Publication) []string {
	t.Helper()
	u := Units(p, DefaultRules().Classify(p))[0]
	return DefaultRules().NewElementChecker().Missing(item(t, code), u)
}

func TestElementsInTheShapesPagesTake(t *testing.T) {
	// Labelled paragraphs.
	para := &gongkai.Publication{Title: "行政处罚决定书", Body: "当事人：甲超市\n案件名称：甲超市销售过期食品案\n违法事实：经查，当事人销售过期食品。\n" +
		"处罚依据：《食品安全法》第一百二十四条\n处罚种类和内容：罚款5000元\n作出处罚决定部门：泽州县市场监督管理局\n处罚时间：2020年7月1日\n决定书文号：泽市监罚〔2020〕1号"}
	if got := missingOn(t, "2.1", para); len(got) != 0 {
		t.Errorf("paragraphs: %v", got)
	}
	// A label/value table whose cells come out one per line, 处罚依据 left out.
	table := &gongkai.Publication{Title: "行政处罚决定书", Body: "行政相对人名称\n甲超市\n案件名称\n甲超市销售过期食品案\n主要违法事实\n销售过期食品\n" +
		"处罚种类和内容\n罚款：罚款5000元\n处罚机关\n泽州县市场监督管理局\n处罚决定日期\n2020年7月1日\n行政处罚决定书文号\n泽市监罚〔2020〕1号"}
	if got := missingOn(t, "2.1", table); !slices.Equal(got, []string{"处罚依据"}) {
		t.Errorf("label/value table: %v", got)
	}
	// A PDF whose line breaks were lost: labels run together on one line.
	pdf := &gongkai.Publication{Title: "行政处罚决定书", Attachments: []gongkai.Attachment{{Name: "决定书.pdf",
		Text: "当事人：甲超市 案件名称：甲超市销售过期食品案 违法事实：经查，当事人销售过期食品。 处罚依据：《食品安全法》第一百二十四条 " +
			"处罚种类和内容：罚款5000元 作出处罚决定部门：泽州县市场监督管理局 处罚时间：2020年7月1日 决定书文号：泽市监罚〔2020〕1号 " +
			"处罚履行方式和期限：自收到本决定书之日起十五日内缴纳"}}}
	if got := missingOn(t, "2.2", pdf); len(got) != 0 {
		t.Errorf("pdf text: %v", got)
	}
	// An empty value is a missing element.
	empty := &gongkai.Publication{Title: "行政处罚决定书", Body: para.Body + "\n", Disclosures: []gongkai.Disclosure{{Kind: "table-row",
		Fields: map[string]string{"当事人": "甲", "案由": "销售过期食品", "违法事实": "销售过期食品", "处罚依据": "—", "处罚种类": "罚款",
			"作出处罚的机关": "泽州县市场监督管理局", "处罚日期": "2020-07-01", "处罚文号": "泽市监罚〔2020〕1号"}}}}
	if got := missingOn(t, "2.1", empty); !slices.Equal(got, []string{"处罚依据"}) {
		t.Errorf("row with an empty cell: %v", got)
	}
	// 种类和依据 carries the basis only when its value does.
	kinds := &gongkai.Publication{Title: "案件信息公开表", Disclosures: []gongkai.Disclosure{{Kind: "table-row",
		Fields: map[string]string{"决定书文号": "泽市监罚〔2020〕1号", "案件名称": "x案", "当事人": "甲", "主要违法事实": "经查",
			"种类和依据": "罚款", "罚没款": "0.5万元", "机关名称和日期": "泽州县市场监督管理局 2020年7月1日"}}}}
	if got := missingOn(t, "2.1", kinds); !slices.Equal(got, []string{"处罚依据"}) {
		t.Errorf("种类和依据 without a basis: %v", got)
	}
	kinds.Disclosures[0].Fields["种类和依据"] = "罚款；依据《食品安全法》第一百二十四条"
	if got := missingOn(t, "2.1", kinds); len(got) != 0 {
		t.Errorf("种类和依据 with a basis: %v", got)
	}
	// An event page without its place.
	event := &gongkai.Publication{Title: "开展食品安全宣传周活动", Body: "活动时间：2020年6月15日\n活动形式：现场咨询、发放宣传资料\n活动主题和内容：尚德守法 共治共享"}
	if got := missingOn(t, "3.4", event); !slices.Equal(got, []string{"活动地点"}) {
		t.Errorf("event: %v", got)
	}
}

func TestColumnElements(t *testing.T) {
	r := DefaultRules()
	got := r.MissingColumnElements(item(t, "1.1"), []string{"2020年第1批食品生产经营监督检查结果公示", "食品生产经营监督检查计划"})
	if !slices.Equal(got, []string{"检查标准"}) {
		t.Errorf("got %v", got)
	}
}

// A PDF's text layer wraps lines inside sentences; the prose patterns read
// the rejoined text (issue 8: a full-text decision printed to PDF).
func TestProseElementsAcrossHardWrappedPDFLines(t *testing.T) {
	if got := unwrapped("当事人涉\n嫌生产经营，立案调查。\n住所：某街1号。\n本局决定给予当\n事人警告\nGB 2762-2017"); got != "当事人涉嫌生产经营，立案调查。\n住所：某街1号。\n本局决定给予当事人警告\nGB 2762-2017" {
		t.Fatalf("unwrapped = %q", got)
	}
}

// prepare folds text line by line: full-width forms and odd spaces
// folded, runs of spaces one space in flat and none in lines, lines
// without text dropped, each part its own lines.
func TestPrepareFoldsLineByLine(t *testing.T) {
	p := prepare("  当事人\u3000：ＡＢ１\t\t甲超市 \r\n\n \u00a0\n处罚\ufeff依据", "罚款")
	if want := "当事人 :AB1 甲超市\n处罚 依据\n罚款\n"; p.flat != want {
		t.Errorf("flat = %q, want %q", p.flat, want)
	}
	if want := []string{"当事人:AB1甲超市", "处罚依据", "罚款"}; !slices.Equal(p.lines, want) {
		t.Errorf("lines = %q, want %q", p.lines, want)
	}
}

// A placeholder is one whatever spaces surround it, in full-width forms
// too; a value is not.
func TestPlaceholder(t *testing.T) {
	for p := range placeholders {
		if !placeholder(" " + p + "\u3000") {
			t.Errorf("placeholder(%q) = false", p)
		}
	}
	for v, want := range map[string]bool{"张三": false, "ＮＵＬＬ": true, " N / A ": true, "罚款人民币伍仟元": false, "无违法所得": false, "\ufeff—\u200b": true} {
		if placeholder(v) != want {
			t.Errorf("placeholder(%q) = %v, want %v", v, !want, want)
		}
	}
}

// Labels are found in one pass over each line; what shows an element is
// still the label's first occurrence on some line (labelAt), for every
// label of every element, labels inside longer ones and repeated ones
// included.
func TestLabelsFoundInOnePassAsLineByLine(t *testing.T) {
	r := DefaultRules()
	var labels []string
	for _, e := range r.Elements {
		labels = append(labels, e.labels...)
	}
	pieces := append(labels, ":", "：", "张三", "无", "—", "。", "；", "\n", " ", "罚款5000元", "经查")
	seed := uint64(3)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	shown := 0
	for range 300 {
		var b strings.Builder
		for range 1 + next(12) {
			b.WriteString(pieces[next(len(pieces))])
		}
		text := prepare(b.String())
		for name, e := range r.Elements {
			want := false
			for _, l := range e.labels {
				for li, line := range text.lines {
					if i := strings.Index(line, l); i >= 0 && labelAt(text, li, i, l) {
						want = true
					}
				}
			}
			if got := labelsShow(r, e, text); got != want {
				t.Fatalf("要素 %s on %q: one pass %v, line by line %v", name, text.lines, got, want)
			}
			if want {
				shown++
			}
		}
	}
	if shown < 200 {
		t.Fatalf("only %d elements shown: the texts do not exercise the labels", shown)
	}
}
