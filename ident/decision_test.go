package ident

import (
	"testing"
)

func TestParseDecisionNoVariants(t *testing.T) {
	cases := map[string]string{
		"泽市监罚〔2020〕12号":        "泽市监罚〔2020〕12号",
		"泽市监罚[2020]12号":        "泽市监罚〔2020〕12号",
		"泽市监罚［2020］12号":        "泽市监罚〔2020〕12号",
		"泽市监罚(2020)12号":        "泽市监罚〔2020〕12号",
		"泽市监罚（2020）12号":        "泽市监罚〔2020〕12号",
		"泽市监罚【2020】12号":        "泽市监罚〔2020〕12号",
		"泽市监罚﹝2020﹞12号":        "泽市监罚〔2020〕12号",
		"泽市监罚〖2020〗12号":        "泽市监罚〔2020〕12号",
		"泽市监罚〈2020〉12号":        "泽市监罚〔2020〕12号",
		"泽市监罚〔２０２０〕１２号":        "泽市监罚〔2020〕12号",
		"泽市监罚字〔2020〕第12号":      "泽市监罚〔2020〕12号",
		"泽市监罚字〔2020〕第0012号":    "泽市监罚〔2020〕12号",
		"泽市监罚〔2020〕012号":       "泽市监罚〔2020〕12号",
		" 泽市监罚 〔 2020 〕 12 号 ": "泽市监罚〔2020〕12号",
		"泽市监罚　〔2020〕１２号":       "泽市监罚〔2020〕12号",
		"泽市监罚〔2020〕12":         "泽市监罚〔2020〕12号",
		"泽市监罚2020-12号":         "泽市监罚〔2020〕12号",
		"泽市监罚2020第12号":         "泽市监罚〔2020〕12号",
		"泽市监罚字2020－第012号":      "泽市监罚〔2020〕12号",
		"高市监罚字〔2020〕第0031号":    "高市监罚〔2020〕31号",
		"京海市监处字〔2020〕第444号":    "京海市监处〔2020〕444号",
		"青市监罚字(2020)1036号":     "青市监罚〔2020〕1036号",
		"深市质华市监罚字【2018】00734号": "深市质华市监罚〔2018〕734号",
		"晋市监罚〔2020〕12号":        "晋市监罚〔2020〕12号",
	}
	for in, want := range cases {
		d, ok := ParseDecisionNo(in)
		if !ok {
			t.Errorf("ParseDecisionNo(%q) failed", in)
			continue
		}
		if d.Key() != want {
			t.Errorf("ParseDecisionNo(%q).Key() = %q, want %q", in, d.Key(), want)
		}
	}
	d, _ := ParseDecisionNo("高市监罚字〔2020〕第0031号")
	if d != (DecisionNo{Prefix: "高市监罚", Year: 2020, Number: 31}) {
		t.Errorf("parts = %+v", d)
	}
}

func TestDecisionPrefixKeepsOrgan(t *testing.T) {
	a, _ := ParseDecisionNo("泽市监罚〔2020〕12号")
	b, _ := ParseDecisionNo("晋市监罚〔2020〕12号")
	c, _ := ParseDecisionNo("晋〔2020〕12号")
	if a.Key() == b.Key() || b.Key() == c.Key() || c.Prefix != "晋" {
		t.Errorf("organs conflated: %q %q %q", a.Key(), b.Key(), c.Key())
	}
}

func TestParseDecisionNoRejects(t *testing.T) {
	for _, in := range []string{
		"", "〔2020〕12号", "字〔2020〕12号", "泽市监罚〔2020〕0号", "泽市监罚〔20〕12号",
		"泽市监罚〔1820〕12号", "泽市监罚〔2020〕1234567号", "泽市监罚202012号",
		"泽市监罚2020-12", "监督检查2020-12", "泽市监罚〔2020〕12号之一", "根据泽市监罚〔2020〕12号决定",
		"DC20140525000123", "ABC〔2020〕12号", "泽市监罚〔2020〕-12号",
	} {
		if d, ok := ParseDecisionNo(in); ok {
			t.Errorf("ParseDecisionNo(%q) = %q, want rejection", in, d.Key())
		}
	}
}

func TestFindDecisionNos(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"泽市监罚〔2020〕12号.pdf", []string{"泽市监罚〔2020〕12号"}},
		{"泽州县市场监督管理局行政处罚决定书泽市监罚〔2020〕12号", []string{"泽市监罚〔2020〕12号"}},
		{"行政处罚决定书（泽市监罚［２０２０］第０１２号）", []string{"泽市监罚〔2020〕12号"}},
		{"根据泽市监罚〔2020〕12号及泽市监罚〔2020〕13号决定，", []string{"泽市监罚〔2020〕12号", "泽市监罚〔2020〕13号"}},
		{"决定书文号：高市监罚字〔2020〕第0031号 当事人：某某", []string{"高市监罚〔2020〕31号"}},
		{"高市监罚字〔2020〕第0031号、高市监罚〔2020〕31号", []string{"高市监罚〔2020〕31号"}},
		{"晋市监罚〔2020〕12号；泽市监罚〔2020〕12号", []string{"晋市监罚〔2020〕12号", "泽市监罚〔2020〕12号"}},
		{"泽市监罚\n〔2020〕\n12号", []string{"泽市监罚〔2020〕12号"}},
		{"<td>阳市监罚2020-7号</td><td>罚款</td>", []string{"阳市监罚〔2020〕7号"}},
		{"食品安全监督抽检信息公告(2020)第5期", nil},
		{"公告（2020年第5期）", nil},
		{"GB 2763-2016, 监督检查2020-12, 〔2020〕12号", nil},
		{"泽市监罚〔2020〕1234567号", nil},
	}
	for _, tc := range cases {
		got := FindDecisionNos(tc.text)
		var keys []string
		for _, d := range got {
			keys = append(keys, d.Key())
		}
		if len(keys) != len(tc.want) {
			t.Errorf("FindDecisionNos(%q) = %q, want %q", tc.text, keys, tc.want)
			continue
		}
		for i := range keys {
			if keys[i] != tc.want[i] {
				t.Errorf("FindDecisionNos(%q) = %q, want %q", tc.text, keys, tc.want)
				break
			}
		}
	}
}

func FuzzParseDecisionNo(f *testing.F) {
	for _, s := range []string{"泽市监罚〔2020〕12号", "高市监罚字〔2020〕第0031号", "泽市监罚2020-12号",
		"深市质华市监罚字【2018】00734号", "青市监罚字(2020)1036号", "字字〔2020〕1号", "根据泽市监罚〔2020〕12号及"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := ParseDecisionNo(s); ok {
			k := d.Key()
			d2, ok := ParseDecisionNo(k)
			if !ok || d2.Key() != k || d2 != d {
				t.Fatalf("Key not idempotent: %q → %q → %q (%v)", s, k, d2.Key(), ok)
			}
		}
		for _, d := range FindDecisionNos(s) {
			d2, ok := ParseDecisionNo(d.Key())
			if !ok || d2 != d {
				t.Fatalf("found %q in %q but its key does not parse back: %+v", d.Key(), s, d2)
			}
		}
	})
}
