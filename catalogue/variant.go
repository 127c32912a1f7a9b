package catalogue

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"gongkai/region"
)

// A county variant (本级目录) is a YAML file that names a county and the
// changes its catalogue makes to the municipal one. The seed allows a
// county to add or refine 三级事项 and, as with any stricter commitment,
// to shorten a time limit or publish on more channels; it may not loosen
// what the city requires. Example (examples/catalogue-county.yaml):
//
//	county: 泽州县
//	name: 泽州县食品药品监管领域基层政务公开标准目录   # optional
//	items:
//	  - code: "2.1"
//	    sub: [食品生产行政处罚, 食品经营行政处罚]   # 三级事项 to add
//	    workdays: 15                              # stricter only
//	    channels: [两微一端]                        # channels to add

// VariantError is an error in a variant file, with the line and key it
// concerns. Error() prints FILE:LINE: key: reason.
type VariantError struct {
	File   string
	Line   int
	Key    string
	Reason string
}

func (e *VariantError) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Key, e.Reason)
}

// VariantErrors are all the errors found in one variant file.
type VariantErrors []*VariantError

func (es VariantErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// ApplyVariant reads a county variant file and returns a new catalogue:
// base with the county's changes. base is not modified. Every problem in
// the file is reported (as VariantErrors), each naming file, line and key.
func ApplyVariant(base *Catalogue, path string) (*Catalogue, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取本级目录文件失败: %w", err)
	}
	return ApplyVariantBytes(base, data, path)
}

// ApplyVariantBytes is ApplyVariant on the file's content; name is used in
// error messages.
func ApplyVariantBytes(base *Catalogue, data []byte, name string) (*Catalogue, error) {
	v := &variantReader{file: name}
	root, err := v.parse(data)
	if err != nil {
		return nil, err
	}
	out := base.Clone()
	v.apply(out, root)
	if len(v.errs) > 0 {
		return nil, v.errs
	}
	if err := out.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

type variantReader struct {
	file string
	errs VariantErrors
}

func (v *variantReader) fail(n ast.Node, key, format string, a ...any) {
	v.errs = append(v.errs, &VariantError{File: v.file, Line: line(n), Key: key, Reason: fmt.Sprintf(format, a...)})
}

func line(n ast.Node) int {
	if n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

func (v *variantReader) parse(data []byte) (ast.Node, error) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
			return nil, VariantErrors{{File: v.file, Line: se.Token.Position.Line, Reason: "YAML 语法错误: " + se.Message}}
		}
		return nil, fmt.Errorf("%s: YAML 语法错误: %v", v.file, err)
	}
	if len(f.Docs) != 1 || f.Docs[0].Body == nil {
		return nil, VariantErrors{{File: v.file, Line: 1, Reason: "文件应包含且只包含一个 YAML 文档"}}
	}
	return f.Docs[0].Body, nil
}

// entry is one key of a YAML mapping.
type entry struct {
	key   string
	keyN  ast.Node
	value ast.Node
}

// mapping returns the entries of a mapping node, or reports that n is not
// one (under the given key).
func (v *variantReader) mapping(n ast.Node, key string) ([]entry, bool) {
	n = unwrap(n)
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		v.fail(n, key, "应为键值映射")
		return nil, false
	}
	out := make([]entry, 0, len(values))
	for _, mv := range values {
		k, _ := v.scalar(mv.Key, "")
		out = append(out, entry{key: k, keyN: mv.Key, value: mv.Value})
	}
	return out, true
}

func unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.AnchorNode:
			n = t.Value
		case *ast.TagNode:
			n = t.Value
		default:
			return n
		}
	}
}

// scalar returns the text of a scalar as written (so that 2.1 stays "2.1",
// not a float).
func (v *variantReader) scalar(n ast.Node, key string) (string, bool) {
	n = unwrap(n)
	switch n.(type) {
	case *ast.NullNode:
		v.fail(n, key, "不能为空")
		return "", false
	case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode, *ast.AliasNode:
		v.fail(n, key, "应为单个值")
		return "", false
	case nil:
		return "", false
	}
	if s, ok := n.(*ast.StringNode); ok {
		return strings.TrimSpace(s.Value), true
	}
	return strings.TrimSpace(n.GetToken().Value), true
}

// list accepts a sequence of scalars or a single scalar.
func (v *variantReader) list(n ast.Node, key string) ([]string, []ast.Node, bool) {
	n = unwrap(n)
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		s, ok := v.scalar(n, key)
		if !ok {
			return nil, nil, false
		}
		return []string{s}, []ast.Node{n}, true
	}
	var out []string
	var nodes []ast.Node
	for _, item := range seq.Values {
		s, ok := v.scalar(item, key)
		if !ok {
			return nil, nil, false
		}
		if s == "" {
			v.fail(item, key, "不能为空")
			return nil, nil, false
		}
		out = append(out, s)
		nodes = append(nodes, item)
	}
	return out, nodes, true
}

func (v *variantReader) apply(c *Catalogue, root ast.Node) {
	top, ok := v.mapping(root, "")
	if !ok {
		return
	}
	var haveCounty bool
	for _, e := range top {
		switch e.key {
		case "county":
			s, ok := v.scalar(e.value, e.key)
			if !ok {
				continue
			}
			county, found := region.Lookup(s)
			if !found {
				v.fail(e.value, e.key, "未知县区 %q（应为%s之一或其区划代码）", s, strings.Join(region.Names(), "、"))
				continue
			}
			c.County = county.Name
			haveCounty = true
		case "name":
			if s, ok := v.scalar(e.value, e.key); ok && s != "" {
				c.Name = s
			}
		case "items":
			v.applyItems(c, e.value)
		default:
			v.fail(e.keyN, e.key, "未知的键（可用: county, name, items）")
		}
	}
	if !haveCounty && !v.hasErrorFor("county") {
		v.fail(root, "county", "缺少县区")
	}
	if haveCounty && c.Name == DefaultName {
		c.Name = c.County + "食品药品监管领域基层政务公开标准目录"
	}
}

func (v *variantReader) hasErrorFor(key string) bool {
	return slices.ContainsFunc(v.errs, func(e *VariantError) bool { return e.Key == key })
}

func (v *variantReader) applyItems(c *Catalogue, n ast.Node) {
	seq, ok := unwrap(n).(*ast.SequenceNode)
	if !ok {
		v.fail(n, "items", "应为事项列表（每项以 - code: 开头）")
		return
	}
	seen := map[string]int{}
	for _, itemNode := range seq.Values {
		fields, ok := v.mapping(itemNode, "items")
		if !ok {
			continue
		}
		idx, hasCode := -1, false
		for _, f := range fields {
			if f.key != "code" {
				continue
			}
			hasCode = true
			code, ok := v.scalar(f.value, "code")
			if !ok {
				break
			}
			idx = slices.IndexFunc(c.Items, func(it Item) bool { return it.Code == code })
			if idx < 0 {
				v.fail(f.value, "code", "市级目录中没有事项 %q（应为 1.1 … 3.4）", code)
			} else if first, dup := seen[code]; dup {
				v.fail(f.value, "code", "事项 %s 重复（第%d行已有）", code, first)
				idx = -1
			} else {
				seen[code] = line(f.value)
			}
		}
		if !hasCode {
			v.fail(itemNode, "code", "缺少事项编号")
		}
		if idx < 0 {
			continue
		}
		it := &c.Items[idx]
		for _, f := range fields {
			switch f.key {
			case "code":
			case "sub":
				v.addSubs(c, it, f.value)
			case "workdays":
				v.tighten(it, f.value)
			case "channels":
				v.addChannels(it, f.value)
			default:
				v.fail(f.keyN, f.key, "未知的键（可用: code, sub, workdays, channels）")
			}
		}
	}
}

func (v *variantReader) addSubs(c *Catalogue, it *Item, n ast.Node) {
	subs, nodes, ok := v.list(n, "sub")
	if !ok {
		return
	}
	for i, s := range subs {
		// 三级事项不得与一级、二级事项重叠交叉 (the seed's rule).
		if other := slices.IndexFunc(c.Items, func(o Item) bool { return o.Name == s || o.Group == s }); other >= 0 {
			v.fail(nodes[i], "sub", "三级事项 %q 与一级、二级事项重叠（事项 %s）", s, c.Items[other].Code)
			continue
		}
		if slices.Contains(it.Sub, s) {
			v.fail(nodes[i], "sub", "事项 %s 已有三级事项 %q", it.Code, s)
			continue
		}
		it.Sub = append(it.Sub, s)
	}
}

func (v *variantReader) tighten(it *Item, n ast.Node) {
	s, ok := v.scalar(n, "workdays")
	if !ok {
		return
	}
	days, err := strconv.Atoi(s)
	if err != nil || days <= 0 {
		v.fail(n, "workdays", "应为正整数的工作日数，不是 %q", s)
		return
	}
	if days > it.TimeLimit.Workdays {
		v.fail(n, "workdays", "事项 %s 的公开时限只能收紧：市级目录为%d个工作日，不能放宽为%d个工作日",
			it.Code, it.TimeLimit.Workdays, days)
		return
	}
	if days < it.TimeLimit.Workdays {
		it.TimeLimit.Text = fmt.Sprintf("%s起%d个工作日内（市级目录为%d个工作日）", it.TimeLimit.From, days, it.TimeLimit.Workdays)
		it.TimeLimit.Workdays = days
	}
}

func (v *variantReader) addChannels(it *Item, n ast.Node) {
	names, nodes, ok := v.list(n, "channels")
	if !ok {
		return
	}
	for i, s := range names {
		ch, ok := ParseChannel(s)
		if !ok {
			v.fail(nodes[i], "channels", "未知公开渠道 %q（可用: %s）", s, channelNames())
			continue
		}
		if !it.HasChannel(ch) {
			it.Channels = append(it.Channels, ch)
		}
	}
}
