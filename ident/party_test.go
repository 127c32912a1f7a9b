package ident

import "testing"

func TestNormaliseParty(t *testing.T) {
	cases := map[string]string{
		"晋城市某某食品有限公司（泽州分公司）": "晋城市某某食品有限公司(泽州分公司)",
		" 晋城市 某某 食品 有限公司 ":   "晋城市某某食品有限公司",
		"晋城市某某食品有限公司(泽州分公司)": "晋城市某某食品有限公司(泽州分公司)",
		"ＡＢＣ　Trading  有限公司":  "ABC TRADING有限公司",
		"张　三":                "张三",
		"张××":                "张**",
		"张＊＊":                "张**",
		"某某超市【个体工商户】":        "某某超市(个体工商户)",
		"":                   "",
	}
	for in, want := range cases {
		if got := NormaliseParty(in); got != want {
			t.Errorf("NormaliseParty(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPartyMatches(t *testing.T) {
	cases := []struct {
		published, expected string
		want                bool
	}{
		{"晋城市某某食品有限公司（泽州分公司）", "晋城市某某食品有限公司(泽州分公司)", true},
		{"晋城市 某某食品有限公司", "晋城市某某食品有限公司", true},
		{"晋城市某某食品有限公司", "晋城市某某食品店", false},
		{"张**", "张三丰", true},
		{"张*丰", "张三丰", true},
		{"张**", "张三", false},  // one mask character per hidden character
		{"李**", "张三丰", false}, // revealed characters must agree
		{"张××", "张三丰", true},
		{"******", "张三丰某某", false}, // all masked: no evidence
		{"***", "张三丰", false},
		{"", "张三丰", false},
		{"张三丰", "", false},
		{"张某某", "张三丰", false}, // 某 is not a mask
	}
	for _, tc := range cases {
		if got := PartyMatches(tc.published, tc.expected); got != tc.want {
			t.Errorf("PartyMatches(%q, %q) = %v, want %v", tc.published, tc.expected, got, tc.want)
		}
	}
}

func FuzzNormaliseParty(f *testing.F) {
	for _, s := range []string{"晋城市某某食品有限公司（泽州分公司）", "ＡＢＣ　Trading  有限公司", "张××", " a ( b ) c ", "\u3000x\ty"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormaliseParty(s)
		if n2 := NormaliseParty(n); n2 != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, n2)
		}
		if f := Fold(s); Fold(f) != f {
			t.Fatalf("Fold not idempotent: %q → %q → %q", s, f, Fold(f))
		}
		if n != "" && !PartyMatches(s, s) && hasUnmasked(n) {
			t.Fatalf("%q does not match itself", s)
		}
	})
}

func hasUnmasked(n string) bool {
	for _, r := range n {
		if r != '*' {
			return true
		}
	}
	return false
}
