package region

import (
	"strings"
	"testing"
)

func TestBundledTableHoldsShanxiAndJincheng(t *testing.T) {
	ds := Divisions()
	if len(ds) < 110 {
		t.Fatalf("only %d divisions bundled", len(ds))
	}
	for _, d := range ds {
		if !strings.HasPrefix(d.Code, "14") || d.Code[4] == '7' {
			t.Errorf("unexpected row %+v (only Shanxi's, without statistical zones)", d)
		}
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
		t.Error("城区 is ambiguous in Shanxi (阳泉, 晋城) and must not resolve by name alone")
	}
}

func TestResolve(t *testing.T) {
	cases := []struct {
		name, code, want, err string
	}{
		{"城区", "", "140502", ""},              // Jincheng's, unchanged
		{"泽州", "", "140525", ""},              // short name, unchanged
		{"城区", "140302", "140302", ""},        // 阳泉's 城区, by its code
		{"小店区", "140105", "140105", ""},       // Taiyuan
		{"", "140781", "140781", ""},          // code alone
		{"平遥县", "", "140728", ""},             // unique name in the table
		{"小店区", "140106", "", "不符"},           // name and code disagree
		{"太原市", "", "", "未知的县区"},              // a city, not a county
		{"某县", "999999", "", "不在内置的县级区划代码表中"}, // no such code
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
