package matcher

import (
	"strings"
	"testing"
)

// Every built-in element pattern has anchors: a long page is searched in
// windows, never whole.
func TestBuiltinPatternsHaveAnchors(t *testing.T) {
	for name, e := range DefaultRules().Elements {
		for _, p := range e.patterns {
			if len(p.anchors) == 0 {
				t.Errorf("要素 %s: pattern %q has no anchor literal", name, p.re)
			}
		}
	}
	for _, p := range []*pattern{fullDate, chineseDate} {
		if len(p.anchors) == 0 {
			t.Errorf("date pattern %q has no anchor literal", p.re)
		}
	}
}

// The search near anchors must find what the expression finds over the
// whole text, for every built-in pattern, on short texts as on long ones.
func TestAnchoredSearchAgreesWithWholeText(t *testing.T) {
	pieces := []string{"泽州县市场监督管理局", "\n", "2020年7月1日", "二〇二〇年七月一日", "（印章）", "依据《中华人民共和国食品安全法》第一百二十四条", "的规定，",
		"本局决定", "违反了《食品安全法》第三十四条", "发现当事人", "存在", "销售过期食品", "的行为", "经查，", "经调查", "现查明", "当事人", "罚款人民币5000元",
		"给予", "警告", "如下行政处罚：", "自收到本决定书之日起十五日内", "缴至指定银行账户", "本次抽检由", "组织实施", "检验依据为", "GB 2762-2017", "《食品安全国家标准》",
		"委托晋城市检验检测中心承检", "合格", "不合格", "在", "文化广场", "开展", "宣传周", "涉嫌", "一案", "关于对", "立案调查", "案", "行政处罚决定书", "。", "，", " ",
		"食品安全监督管理工作", strings.Repeat("监管", 200), "于2020年7月1日作出处罚决定", "3", "月", "日", "检验", "判定", "由", "负责", "抽检"}
	var pats []*pattern
	for _, e := range DefaultRules().Elements {
		pats = append(pats, e.patterns...)
	}
	pats = append(pats, fullDate, chineseDate)
	seed := uint64(9)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	matched := 0
	for range 60 {
		var b strings.Builder
		size := 2500 + next(3000)
		if next(2) == 0 {
			size = 1 + next(400)
		}
		for b.Len() < size {
			b.WriteString(pieces[next(len(pieces))])
		}
		text := b.String()
		for _, p := range pats {
			var n int64
			got, want := p.in(text, &n), p.re.MatchString(text)
			if got != want {
				t.Fatalf("pattern %q on %q: near anchors %v, whole text %v", p.re, text, got, want)
			}
			if got {
				matched++
			}
		}
	}
	if matched < 500 {
		t.Fatalf("only %d matches: the texts do not exercise the patterns", matched)
	}
}
