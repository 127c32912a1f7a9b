package catalogue

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"gongkai/internal/yamldoc"
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
//	    elements: [处罚履行方式和期限]               # 公开内容要素 to add: audited as required
//	    basis: [《山西省食品小作坊小餐饮和食品摊贩管理条例》]  # 公开依据 to add
//	    levels: [乡级]                              # 公开层级 to add (县级, 乡级)

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
	doc, p := yamldoc.Parse(data)
	if p != nil {
		return nil, VariantErrors{{File: name, Line: p.Line, Reason: p.Msg}}
	}
	if len(doc.Bodies) != 1 {
		return nil, VariantErrors{{File: name, Line: 1, Reason: "文件应包含且只包含一个 YAML 文档"}}
	}
	v := &variantReader{file: name, doc: doc, root: doc.Bodies[0]}
	out := base.Clone()
	v.apply(out)
	if len(v.errs) > 0 {
		return nil, v.errs
	}
	if err := out.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// The variant's YAML form; items are decoded one by one so that each
// item's mistakes are reported.
type (
	variantYAML struct {
		County string     `yaml:"county"`
		Name   string     `yaml:"name"`
		Items  []ast.Node `yaml:"items"`
	}
	variantItemYAML struct {
		Code     string       `yaml:"code"`
		Sub      yamldoc.List `yaml:"sub"`
		Workdays string       `yaml:"workdays"` // read as text: "abc" is the user's mistake to name
		Channels yamldoc.List `yaml:"channels"`
		Elements yamldoc.List `yaml:"elements"`
		Basis    yamldoc.List `yaml:"basis"`
		Levels   yamldoc.List `yaml:"levels"`
	}
)

type variantReader struct {
	file string
	doc  *yamldoc.Doc
	root ast.Node
	errs VariantErrors
}

// fail records a mistake at a key path (items[0].code); the message names
// the path's last key, as the variant's errors always have.
func (v *variantReader) fail(path, format string, a ...any) {
	p := &yamldoc.Problem{Path: path}
	v.errs = append(v.errs, &VariantError{File: v.file, Line: yamldoc.LineOf(v.root, path), Key: p.Key(), Reason: fmt.Sprintf(format, a...)})
}

func (v *variantReader) decode(n ast.Node, dst any) bool {
	p, ok := v.doc.Decode(n, dst)
	if p != nil {
		v.errs = append(v.errs, &VariantError{File: v.file, Line: p.Line, Key: p.Key(), Reason: p.Msg})
	}
	return ok
}

func (v *variantReader) apply(c *Catalogue) {
	var y variantYAML
	if !v.decode(v.root, &y) {
		return
	}
	if s := strings.TrimSpace(y.Name); s != "" {
		c.Name = s
	}
	switch county, found := region.Lookup(strings.TrimSpace(y.County)); {
	case yamldoc.Node(v.root, "county") == nil:
		v.fail("county", "缺少县区")
	case yamldoc.IsNull(yamldoc.Node(v.root, "county")):
		v.fail("county", "不能为空")
	case !found:
		v.fail("county", "未知县区 %q（应为%s之一或其区划代码）", strings.TrimSpace(y.County), strings.Join(region.Names(), "、"))
	default:
		c.County = county.Name
		if c.Name == DefaultName {
			c.Name = c.County + "食品药品监管领域基层政务公开标准目录"
		}
	}
	seen := map[string]int{}
	for _, n := range y.Items {
		v.applyItem(c, n, seen)
	}
	slices.SortStableFunc(v.errs, func(a, b *VariantError) int { return a.Line - b.Line })
}

func (v *variantReader) applyItem(c *Catalogue, n ast.Node, seen map[string]int) {
	var y variantItemYAML
	if !v.decode(n, &y) {
		return
	}
	path := yamldoc.PathOf(n)
	key := func(k string) string { return yamldoc.Join(path, k) }
	code := strings.TrimSpace(y.Code)
	if yamldoc.Node(v.root, key("code")) == nil {
		v.fail(key("code"), "缺少事项编号")
		return
	}
	idx := slices.IndexFunc(c.Items, func(it Item) bool { return it.Code == code })
	if idx < 0 {
		v.fail(key("code"), "市级目录中没有事项 %q（应为 1.1 … 3.4）", code)
		return
	}
	if first, dup := seen[code]; dup {
		v.fail(key("code"), "事项 %s 重复（第%d行已有）", code, first)
		return
	}
	seen[code] = yamldoc.LineOf(v.root, key("code"))
	it := &c.Items[idx]
	v.addSubs(c, it, y.Sub, key("sub"))
	if w := strings.TrimSpace(y.Workdays); w != "" {
		v.tighten(it, w, key("workdays"))
	}
	v.addChannels(it, y.Channels, key("channels"))
	v.addElements(it, y.Elements, key("elements"))
	v.addBasis(it, y.Basis, key("basis"))
	v.addLevels(it, y.Levels, key("levels"))
}

// at is the path of element i of a list written at path; a list written as
// a single value is located at path itself (yamldoc.LineOf).
func at(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}

func (v *variantReader) addSubs(c *Catalogue, it *Item, subs []string, path string) {
	for i, s := range subs {
		s = strings.TrimSpace(s)
		switch other := slices.IndexFunc(c.Items, func(o Item) bool { return o.Name == s || o.Group == s }); {
		case s == "":
			v.fail(at(path, i), "不能为空")
		case other >= 0:
			// 三级事项不得与一级、二级事项重叠交叉 (the seed's rule).
			v.fail(at(path, i), "三级事项 %q 与一级、二级事项重叠（事项 %s）", s, c.Items[other].Code)
		case slices.Contains(it.Sub, s):
			v.fail(at(path, i), "事项 %s 已有三级事项 %q", it.Code, s)
		default:
			it.Sub = append(it.Sub, s)
		}
	}
}

func (v *variantReader) tighten(it *Item, s, path string) {
	days, err := strconv.Atoi(s)
	if err != nil || days <= 0 {
		v.fail(path, "应为正整数的工作日数，不是 %q", s)
		return
	}
	if days > it.TimeLimit.Workdays {
		v.fail(path, "事项 %s 的公开时限只能收紧：市级目录为%d个工作日，不能放宽为%d个工作日",
			it.Code, it.TimeLimit.Workdays, days)
		return
	}
	if days < it.TimeLimit.Workdays {
		it.TimeLimit.Text = fmt.Sprintf("%s起%d个工作日内（市级目录为%d个工作日）", it.TimeLimit.From, days, it.TimeLimit.Workdays)
		it.TimeLimit.Workdays = days
	}
}

func (v *variantReader) addChannels(it *Item, names []string, path string) {
	for i, s := range names {
		s = strings.TrimSpace(s)
		ch, ok := ParseChannel(s)
		if !ok {
			v.fail(at(path, i), "未知公开渠道 %q（可用: %s）", s, channelNames())
			continue
		}
		if !it.HasChannel(ch) {
			it.Channels = append(it.Channels, ch)
		}
	}
}

// addElements adds 公开内容要素 the county publishes beyond the city's: the
// audit then requires them of that county's disclosures of the item.
func (v *variantReader) addElements(it *Item, names []string, path string) {
	for i, s := range names {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			v.fail(at(path, i), "不能为空")
		case slices.Contains(it.Elements, s):
			v.fail(at(path, i), "事项 %s 已有公开内容要素 %q", it.Code, s)
		default:
			it.Elements = append(it.Elements, s)
			// The rendered catalogue shows the county's content as it reads.
			it.Content = strings.TrimRight(it.Content, "。；; ") + "；" + s
		}
	}
}

// addBasis adds 公开依据 beyond the city's (the city's are always kept).
func (v *variantReader) addBasis(it *Item, docs []string, path string) {
	for i, s := range docs {
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			v.fail(at(path, i), "不能为空")
		case slices.Contains(it.Basis, s):
			v.fail(at(path, i), "事项 %s 已有公开依据 %q", it.Code, s)
		default:
			it.Basis = append(it.Basis, s)
		}
	}
}

// Levels are the 公开层级 a catalogue may tick.
var Levels = []string{"县级", "乡级"}

// addLevels adds 公开层级 beyond the city's (the city's are always kept).
func (v *variantReader) addLevels(it *Item, names []string, path string) {
	for i, s := range names {
		s = strings.TrimSpace(s)
		if !slices.Contains(Levels, s) {
			v.fail(at(path, i), "未知公开层级 %q（可用: %s）", s, strings.Join(Levels, "、"))
			continue
		}
		if !slices.Contains(it.Levels, s) {
			it.Levels = append(it.Levels, s)
		}
	}
}
