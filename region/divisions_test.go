package region

import (
	"strings"
	"testing"
)

func TestBundledTableHoldsTheCountryAndJincheng(t *testing.T) {
	ds := Divisions()
	// 2023's statistical division list has 2,854 county-level rows once its
	// functional zones (71–79) are left out.
	if len(ds) != 2854 {
		t.Fatalf("%d divisions bundled, want 2854", len(ds))
	}
	provinces := map[string]bool{}
	for _, d := range ds {
		if d.Code[4] == '7' {
			t.Errorf("statistical zone %+v in the table", d)
		}
		provinces[d.Code[:2]] = true
	}
	if len(provinces) != 31 {
		t.Errorf("%d provinces, want the 31 of the mainland", len(provinces))
	}
	for _, j := range Jincheng {
		d, ok := Division(j.Code)
		if !ok || d != j {
			t.Errorf("Jincheng's %s: table has %+v %v", j.Name, d, ok)
		}
	}
	if d, ok := Division("140105"); !ok || d.Name != "小店区" || d.Short != "小店" {
		t.Errorf("140105: %+v %v", d, ok)
	}
	if _, ok := DivisionByName("城区"); ok {
		t.Error("城区 is ambiguous (阳泉, 晋城, …) and must not resolve by name alone")
	}
	for code, name := range map[string]string{"110101": "东城区", "440305": "南山区", "659001": "石河子市", "469001": "五指山市", "540102": "城关区"} {
		if d, ok := Division(code); !ok || d.Name != name {
			t.Errorf("%s: %+v %v, want %s", code, d, ok, name)
		}
	}
}

func TestResolve(t *testing.T) {
	cases := []struct {
		name, code, want, err string
	}{
		{"城区", "", "140502", ""},                // Jincheng's, unchanged
		{"泽州", "", "140525", ""},                // short name, unchanged
		{"城区", "140302", "140302", ""},          // 阳泉's 城区, by its code
		{"小店区", "140105", "140105", ""},         // Taiyuan
		{"", "140781", "140781", ""},            // code alone
		{"平遥县", "", "140728", ""},               // unique name in the table
		{"小店区", "140106", "", "不符"},             // name and code disagree
		{"太原市", "", "", "未知的县区"},                // a city, not a county
		{"某县", "999999", "", "不在内置的全国县级区划代码表中"}, // no such code
		{"南山区", "440305", "440305", ""},         // Shenzhen: another province
		{"朝阳区", "", "", "未知的县区"},                // Beijing's and Changchun's: ambiguous by name
	}
	for _, c := range cases {
		got, err := Resolve(c.name, c.code)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("Resolve(%q, %q) = %+v, %v; want error %q", c.name, c.code, got, err, c.err)
		case c.err == "" && (err != nil || got.Code != c.want):
			t.Errorf("Resolve(%q, %q) = %+v, %v; want %s", c.name, c.code, got, err, c.want)
		}
	}
}

func TestSetLookup(t *testing.T) {
	s := Set{{Code: "140105", Name: "小店区", Short: "小店"}, {Code: "140302", Name: "城区", Short: "城区"}}
	for _, v := range []string{"小店区", "小店", "140105"} {
		if c, ok := s.Lookup(v); !ok || c.Code != "140105" {
			t.Errorf("Lookup(%q) = %+v %v", v, c, ok)
		}
	}
	if c, ok := s.Lookup("城区"); !ok || c.Code != "140302" {
		t.Errorf("the set's own 城区 wins: %+v %v", c, ok)
	}
	if _, ok := s.Lookup("泽州县"); ok {
		t.Error("a county outside the set resolved")
	}
}
