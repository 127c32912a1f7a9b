// Package region names the administrative divisions gongkai audits: the
// county-level bureaus of Jincheng (晋城市) and the city itself.
package region

import "strings"

// County is a county-level division with its official name and 6-digit
// division code (GB/T 2260).
type County struct {
	Code  string // 140525
	Name  string // 泽州县
	Short string // 泽州 — the form used in decision-number prefixes and search
}

// City is the municipal level that audits the counties.
var City = County{Code: "140500", Name: "晋城市", Short: "晋城"}

// Jincheng lists the six county-level bureaus audited, in division-code order.
var Jincheng = []County{
	{Code: "140502", Name: "城区", Short: "城区"},
	{Code: "140521", Name: "沁水县", Short: "沁水"},
	{Code: "140522", Name: "阳城县", Short: "阳城"},
	{Code: "140524", Name: "陵川县", Short: "陵川"},
	{Code: "140525", Name: "泽州县", Short: "泽州"},
	{Code: "140581", Name: "高平市", Short: "高平"},
}

// Lookup finds a county by official name, short name or division code.
// Surrounding whitespace is ignored; "晋城市城区" is accepted for 城区.
func Lookup(s string) (County, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "晋城市")
	if s == "" {
		return County{}, false
	}
	for _, c := range Jincheng {
		if s == c.Code || s == c.Name || s == c.Short {
			return c, true
		}
	}
	return County{}, false
}

// Names returns the official names of all counties, in order.
func Names() []string {
	out := make([]string, len(Jincheng))
	for i, c := range Jincheng {
		out[i] = c.Name
	}
	return out
}
