// Package yamldoc decodes a hand-edited YAML file into structs with
// goccy/go-yaml and says where each mistake is, for the two files people
// write by hand (sites.yaml and county catalogue variants).
//
// A file is decoded record by record: a struct field that holds a list of
// records is typed []ast.Node and each element is decoded on its own with
// yaml.DisallowUnknownField, so a mistake in one column does not hide the
// mistakes in the others. Shape errors (unknown key, a list where a value
// belongs) come from the library with its token; semantic errors found
// afterwards are located with yaml.PathString on the parsed tree.
package yamldoc

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Problem is one mistake: its line (0 when it has none), the key path
// (counties[0].sources[1].name, "" for the file) and a Chinese message.
type Problem struct {
	Line int
	Path string
	Msg  string
}

// Key is the last key of the path (name for counties[0].name).
func (p *Problem) Key() string {
	k := p.Path
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		k = k[i+1:]
	}
	if i := strings.IndexByte(k, '['); i >= 0 {
		k = k[:i]
	}
	return k
}

// Doc is a parsed file.
type Doc struct {
	Bodies []ast.Node // the bodies of the file's non-empty documents

	byToken map[*token.Token]ast.Node // built on the first shape error
}

// Parse parses data; a syntax error comes back as a Problem with its line.
func Parse(data []byte) (*Doc, *Problem) {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		var located interface {
			GetToken() *token.Token
			GetMessage() string
		}
		if errors.As(err, &located) {
			return nil, &Problem{Line: tokenLine(located.GetToken()), Msg: "YAML 语法错误: " + located.GetMessage()}
		}
		return nil, &Problem{Msg: "YAML 语法错误: " + err.Error()}
	}
	d := &Doc{}
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			d.Bodies = append(d.Bodies, doc.Body)
		}
	}
	return d, nil
}

// Decode fills v (a pointer to a struct) from the record n. A key v has no
// field for, or a value of the wrong shape, is returned as a Problem; after
// an unknown key v is still filled from the keys it knows, so the caller
// may go on checking them (ok reports whether v is usable).
func (d *Doc) Decode(n ast.Node, v any) (p *Problem, ok bool) {
	err := yaml.NodeToValue(n, v, yaml.DisallowUnknownField())
	if err == nil {
		return nil, true
	}
	var unknown *yaml.UnknownFieldError
	if errors.As(err, &unknown) {
		key := unknown.Token.Value
		return &Problem{Line: tokenLine(unknown.Token), Path: d.pathAt(unknown.Token, Join(PathOf(n), key)),
			Msg: fmt.Sprintf("未知的键 %q（可用的键: %s）", key, strings.Join(keysOf(v), ", "))}, true
	}
	var (
		typed      *yaml.TypeError
		unexpected *yaml.UnexpectedNodeTypeError
		overflow   *yaml.OverflowError
		located    interface {
			GetToken() *token.Token
			GetMessage() string
		}
	)
	switch {
	case errors.As(err, &typed):
		at := d.node(typed.Token)
		return &Problem{Line: tokenLine(typed.Token), Path: d.pathAt(typed.Token, PathOf(n)),
			Msg: fmt.Sprintf("应为%s，实际是 %s", describeType(typed.DstType), Describe(at))}, false
	case errors.As(err, &unexpected):
		at := d.node(unexpected.Token)
		return &Problem{Line: tokenLine(unexpected.Token), Path: d.pathAt(unexpected.Token, PathOf(n)),
			Msg: fmt.Sprintf("应为%s，实际是 %s", describeNodeType(unexpected.Expected), Describe(at))}, false
	case errors.As(err, &overflow):
		return &Problem{Line: tokenLine(overflow.Token), Path: d.pathAt(overflow.Token, PathOf(n)),
			Msg: fmt.Sprintf("数值 %s 超出范围", overflow.SrcNum)}, false
	case errors.As(err, &located):
		return &Problem{Line: tokenLine(located.GetToken()), Path: d.pathAt(located.GetToken(), PathOf(n)),
			Msg: "YAML 有误: " + located.GetMessage()}, false
	}
	return &Problem{Line: Line(n), Path: PathOf(n), Msg: "YAML 有误: " + err.Error()}, false
}

// Node is the node at path (counties[0].sources[1]) under root, nil when
// the file does not have it.
func Node(root ast.Node, path string) ast.Node {
	p, err := yaml.PathString("$." + path)
	if path == "" {
		p, err = yaml.PathString("$")
	}
	if err != nil {
		return nil
	}
	n, err := p.FilterNode(root)
	if err != nil {
		return nil
	}
	return n
}

// LineOf is the line of path under root, or of its nearest ancestor the
// file has (a missing key is reported where its mapping is).
func LineOf(root ast.Node, path string) int {
	for {
		if n := Node(root, path); n != nil {
			return Line(n)
		}
		i := max(strings.LastIndexByte(path, '.'), strings.LastIndexByte(path, '['))
		if i <= 0 {
			return Line(root)
		}
		path = path[:i]
	}
}

// Line is the line a node starts on.
func Line(n ast.Node) int {
	if n == nil {
		return 0
	}
	return tokenLine(n.GetToken())
}

func tokenLine(tk *token.Token) int {
	if tk == nil || tk.Position == nil {
		return 0
	}
	return tk.Position.Line
}

// PathOf is a node's key path without the library's "$." root.
func PathOf(n ast.Node) string {
	if n == nil {
		return ""
	}
	return strings.TrimPrefix(strings.TrimPrefix(n.GetPath(), "$"), ".")
}

// Join appends a key to a path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// IsNull reports whether n is absent or an explicit null.
func IsNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}

// IsScalar reports whether n is a single value (not a mapping, list or null).
func IsScalar(n ast.Node) bool {
	switch n.(type) {
	case *ast.StringNode, *ast.LiteralNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode,
		*ast.InfinityNode, *ast.NanNode:
		return true
	}
	return false
}

// Describe names what a node is, for "应为 …，实际是 …".
func Describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "键值映射"
	case *ast.SequenceNode:
		return "列表"
	case nil, *ast.NullNode:
		return "空值"
	}
	return fmt.Sprintf("%q", n.GetToken().Value)
}

func describeType(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "其他值"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "列表"
	case reflect.Map, reflect.Struct:
		return "键值映射（key: value）"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "整数"
	case reflect.Bool:
		return "true 或 false"
	}
	return "单个值"
}

func describeNodeType(t ast.NodeType) string {
	switch t {
	case ast.MappingType, ast.MappingValueType:
		return "键值映射（key: value）"
	case ast.SequenceType:
		return "列表"
	}
	return "单个值"
}

// node finds the node a library error's token belongs to.
func (d *Doc) node(tk *token.Token) ast.Node {
	if d.byToken == nil {
		d.byToken = map[*token.Token]ast.Node{}
		for _, b := range d.Bodies {
			ast.Walk(visitor(func(n ast.Node) {
				if t := n.GetToken(); t != nil {
					if _, seen := d.byToken[t]; !seen {
						d.byToken[t] = n
					}
				}
			}), b)
		}
	}
	return d.byToken[tk]
}

// pathAt is the key path of the node holding tk, or def when there is none.
func (d *Doc) pathAt(tk *token.Token, def string) string {
	if n := d.node(tk); n != nil {
		if _, isMV := n.(*ast.MappingValueNode); !isMV {
			return PathOf(n)
		}
	}
	return def
}

type visitor func(ast.Node)

func (f visitor) Visit(n ast.Node) ast.Visitor {
	f(n)
	return f
}

// keysOf lists the yaml keys of the struct v points to, inline fields included.
func keysOf(v any) []string {
	var keys []string
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("yaml")
			name, opts, _ := strings.Cut(tag, ",")
			if strings.Contains(opts, "inline") {
				add(f.Type)
				continue
			}
			if name != "" && name != "-" {
				keys = append(keys, name)
			}
		}
	}
	add(reflect.TypeOf(v))
	slices.Sort(keys)
	return keys
}

// List is a list of values where a single value may stand for a list of one
// (items: 2.1 is items: [2.1]). Values are the scalars' text.
type List []string

// UnmarshalYAML accepts a scalar or a list of scalars.
func (l *List) UnmarshalYAML(unmarshal func(any) error) error {
	var one string
	if err := unmarshal(&one); err == nil {
		*l = List{one}
		return nil
	}
	var many []string
	if err := unmarshal(&many); err != nil {
		return err
	}
	*l = many
	return nil
}
