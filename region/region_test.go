package region

import "testing"

func TestLookupByNameShortNameAndCode(t *testing.T) {
	cases := map[string]string{
		"泽州县": "泽州县", "泽州": "泽州县", "140525": "泽州县", " 高平市 ": "高平市",
		"晋城市城区": "城区", "140502": "城区", "陵川": "陵川县",
	}
	for in, want := range cases {
		c, ok := Lookup(in)
		if !ok || c.Name != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", in, c.Name, ok, want)
		}
	}
	for _, bad := range []string{"", "晋城市", "140500", "高平县", "140526", "gaoping"} {
		if c, ok := Lookup(bad); ok {
			t.Errorf("Lookup(%q) = %q, want no county", bad, c.Name)
		}
	}
}

func TestCountyCodesAreJinchengDivisions(t *testing.T) {
	if len(Jincheng) != 6 {
		t.Fatalf("%d counties, want the six county-level bureaus", len(Jincheng))
	}
	for _, c := range Jincheng {
		if len(c.Code) != 6 || c.Code[:4] != "1405" || c.Code == City.Code {
			t.Errorf("%s: code %q is not a Jincheng county division", c.Name, c.Code)
		}
	}
}
