package region

import (
	_ "embed"
	"errors"
	"strings"
	"unicode/utf8"
)

// The bundled table of the country's county-level divisions (GB/T 2260
// codes); see the file's header for where the rows come from and how to
// renew it after boundary changes.
//
//go:embed gbt2260.tsv
var divisionsTSV string

var (
	divisions = parseDivisions(divisionsTSV)
	byCode    = indexByCode(divisions)
)

func indexByCode(ds []County) map[string]County {
	m := make(map[string]County, len(ds))
	for _, d := range ds {
		if _, dup := m[d.Code]; dup {
			panic("region: code listed twice in the bundled division table: " + d.Code)
		}
		m[d.Code] = d
	}
	return m
}

func parseDivisions(tsv string) []County {
	var out []County
	for _, line := range strings.Split(tsv, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 || len(f[0]) != 6 {
			panic("region: bad row in the bundled division table: " + line)
		}
		out = append(out, County{Code: f[0], Name: f[1], Short: ShortName(f[1])})
	}
	return out
}

// ShortName is the form of a county's name used in decision-number
// prefixes and searches: the name without its 县/市/区/旗 suffix, unless
// that would leave a single character (城区, 古县 stay whole).
func ShortName(name string) string {
	for _, suf := range []string{"自治县", "自治旗", "县", "市", "区", "旗"} {
		if s := strings.TrimSuffix(name, suf); s != name && utf8.RuneCountInString(s) >= 2 {
			return s
		}
	}
	return name
}

// Division finds a county-level division in the bundled table by its
// 6-digit code.
func Division(code string) (County, bool) {
	d, ok := byCode[strings.TrimSpace(code)]
	return d, ok
}

// DivisionByName finds a division in the bundled table by official name,
// only when the name is unique there (the country has many 城区, 朝阳区, 铁西区 …).
func DivisionByName(name string) (County, bool) {
	name = strings.TrimSpace(name)
	var found County
	n := 0
	for _, d := range divisions {
		if d.Name == name {
			found = d
			n++
		}
	}
	return found, n == 1
}

// Divisions returns the bundled table, in code order.
func Divisions() []County { return append([]County(nil), divisions...) }

// Set is a list of counties one deployment audits (the counties of a
// sites.yaml), looked up like Lookup looks up Jincheng's.
type Set []County

// Lookup finds a county of the set by official name, short name or code.
func (s Set) Lookup(v string) (County, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return County{}, false
	}
	for _, c := range s {
		if v == c.Code || v == c.Name {
			return c, true
		}
	}
	var found County
	n := 0
	for _, c := range s {
		if v == c.Short {
			found = c
			n++
		}
	}
	return found, n == 1
}

// Names returns the official names of the set, in order.
func (s Set) Names() []string {
	out := make([]string, len(s))
	for i, c := range s {
		out[i] = c.Name
	}
	return out
}

// Resolve finds a county by a configured name and code: Jincheng's six by
// name, short name or code as before; any other county-level division by
// its code in the bundled table (with the name, when given, agreeing) or
// by a name unique there; otherwise an error saying why, in Chinese.
func Resolve(name, code string) (County, error) {
	name, code = strings.TrimSpace(name), strings.TrimSpace(code)
	if code != "" {
		d, ok := Division(code)
		if !ok {
			if c, ok := Lookup(code); ok {
				d = c
			} else {
				return County{}, errors.New("区划代码 " + code + " 不在内置的全国县级区划代码表中（GB/T 2260，2023 年版）")
			}
		}
		if name != "" && name != d.Name && name != d.Short && strings.TrimPrefix(name, "晋城市") != d.Name {
			return County{}, errors.New("县区名称 " + name + " 与区划代码 " + code + "（" + d.Name + "）不符")
		}
		return d, nil
	}
	if c, ok := Lookup(name); ok {
		return c, nil
	}
	if d, ok := DivisionByName(name); ok {
		return d, nil
	}
	return County{}, errors.New("未知的县区 " + name + "（晋城市六县区可只写名称；其他县区请同时写 code: 6 位区划代码）")
}
