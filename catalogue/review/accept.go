package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gongkai/catalogue"
)

// VariantYAML turns an accepted review (no findings) into the county
// variant file catalogue.ApplyVariant reads: the 三级事项 the county added,
// its stricter time limits, its added channels, elements, 公开依据 and
// 公开层级. What the audit cannot hold (an element only some 三级事项 list,
// the licensing entries) is kept as comments, so that nothing the county
// wrote is lost silently. source names the reviewed file in the header comment. The
// result is checked by applying it to base.
func VariantYAML(base *catalogue.Catalogue, res *Result, source string) ([]byte, error) {
	if len(res.Findings) > 0 {
		return nil, fmt.Errorf("本级目录有%d处不符合规则，不能采用", len(res.Findings))
	}
	if res.County == "" {
		return nil, errors.New("未指定县区")
	}
	var b bytes.Buffer
	q := func(s string) string {
		out, _ := json.Marshal(s) // a JSON string is a YAML double-quoted scalar
		return string(out)
	}
	fmt.Fprintf(&b, "# %s本级目录：由 reporter catalogue review --accept 根据 %s 生成（审核无不符合项）。\n", res.County, source)
	b.WriteString("# 审计按此文件在市级目录基础上增加三级事项、收紧公开时限、增加公开渠道和公开内容要素（增加的要素对本县区的公开信息同样要求）。\n")
	b.WriteString("# 在 sites.yaml 该县区下写 catalogue: 本文件路径（相对路径以 sites.yaml 所在目录为准）。\n")
	for _, r := range res.Licensing {
		name := r.Get(FieldL2)
		if l3 := r.Get(FieldL3); l3 != "" {
			if g, i := isLicensing(l3); g || i {
				name = l3
			}
		}
		fmt.Fprintf(&b, "# 第%d行 %s：已列入本级目录；市级目录无此事项，审计不核对其公开情况。\n", r.Line, squeeze(name))
	}
	fmt.Fprintf(&b, "county: %s\n", q(res.County))
	name := res.Title
	if name == "" || !strings.Contains(name, "目录") {
		name = res.County + "食品药品监管领域基层政务公开标准目录"
	}
	fmt.Fprintf(&b, "name: %s\n", q(name))
	var items bytes.Buffer
	for _, c := range res.Changes {
		if len(c.SomeElements) > 0 {
			fmt.Fprintf(&items, "  # %s 部分三级事项增加的公开内容: %s（审计分不出公开信息属于哪个三级事项，只核对该事项每一行都列出的要素）\n",
				c.Code, strings.Join(c.SomeElements, "、"))
		}
		if len(c.Sub) == 0 && c.Workdays == 0 && len(c.Channels) == 0 && len(c.Elements) == 0 && len(c.Basis) == 0 && len(c.Levels) == 0 {
			continue
		}
		fmt.Fprintf(&items, "  - code: %s\n", q(c.Code))
		list := func(key string, vals []string) {
			if len(vals) == 0 {
				return
			}
			fmt.Fprintf(&items, "    %s:\n", key)
			for _, s := range vals {
				fmt.Fprintf(&items, "      - %s\n", q(s))
			}
		}
		list("sub", c.Sub)
		if c.Workdays > 0 {
			fmt.Fprintf(&items, "    workdays: %d\n", c.Workdays)
		}
		var chs []string
		for _, ch := range c.Channels {
			chs = append(chs, string(ch))
		}
		list("channels", chs)
		list("elements", c.Elements)
		list("basis", c.Basis)
		list("levels", c.Levels)
	}
	if bytes.Contains(items.Bytes(), []byte("- code:")) {
		b.WriteString("items:\n")
		b.Write(items.Bytes())
	} else {
		b.Write(bytes.ReplaceAll(items.Bytes(), []byte("  #"), []byte("#")))
		b.WriteString("# 除上述外与市级目录一致，没有增加三级事项、收紧时限，也没有增加渠道、公开内容、公开依据或公开层级。\n")
	}
	if _, err := catalogue.ApplyVariantBytes(base, b.Bytes(), "生成的本级目录"); err != nil {
		return nil, fmt.Errorf("生成的本级目录文件无法读取（程序错误）: %w", err)
	}
	return b.Bytes(), nil
}
