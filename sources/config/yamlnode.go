package config

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Error is one configuration mistake, located in the file.
type Error struct {
	File string
	Line int    // 1-based; 0 when the mistake has no single place (e.g. an empty file)
	Key  string // counties[0].sources[1].columns[2].items[0]
	Msg  string // Chinese
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// Errors is every mistake found in one file, in line order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// decoder walks the YAML syntax tree so that every value keeps its line:
// a generic decode into structs would lose the positions that make error
// messages useful to the person editing the file.
type decoder struct {
	file    string
	anchors map[string]ast.Node
	errs    Errors
}

func (d *decoder) errorf(n ast.Node, key, format string, a ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: line(n), Key: key, Msg: fmt.Sprintf(format, a...)})
}

func line(n ast.Node) int {
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// resolve strips anchors, tags and aliases so callers see the value node.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for i := 0; i < 16 && n != nil; i++ {
		switch v := n.(type) {
		case *ast.AnchorNode:
			if name := anchorName(v.Name); name != "" {
				d.anchors[name] = v.Value
			}
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			target, ok := d.anchors[anchorName(v.Value)]
			if !ok {
				return v
			}
			n = target
		case *ast.DocumentNode:
			n = v.Body
		default:
			return n
		}
	}
	return n
}

func anchorName(n ast.Node) string {
	if n == nil {
		return ""
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

func isNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// mapping calls fields[key] for each entry of a mapping node; a key without
// a field is an error naming the keys that are allowed.
func (d *decoder) mapping(n ast.Node, path string, fields map[string]func(v ast.Node, key string)) bool {
	n = d.resolve(n)
	if isNull(n) {
		return true
	}
	var entries []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		entries = m.Values
	case *ast.MappingValueNode:
		entries = []*ast.MappingValueNode{m}
	default:
		d.errorf(n, path, "应为键值映射（key: value），实际是 %s", describe(n))
		return false
	}
	seen := map[string]bool{}
	for _, e := range entries {
		keyNode := d.resolve(e.Key)
		if _, ok := keyNode.(*ast.MergeKeyNode); ok {
			d.errorf(e.Key, path, "不支持 YAML 合并键 <<，请直接写出各项")
			continue
		}
		key := scalarText(keyNode)
		kp := join(path, key)
		if seen[key] {
			d.errorf(e.Key, kp, "重复的键")
			continue
		}
		seen[key] = true
		fn, ok := fields[key]
		if !ok {
			allowed := make([]string, 0, len(fields))
			for k := range fields {
				allowed = append(allowed, k)
			}
			sort.Strings(allowed)
			d.errorf(e.Key, kp, "未知的键 %q（可用的键: %s）", key, strings.Join(allowed, ", "))
			continue
		}
		fn(e.Value, kp)
	}
	return true
}

// sequence calls fn for each element of a sequence node.
func (d *decoder) sequence(n ast.Node, path string, fn func(i int, v ast.Node, key string)) {
	n = d.resolve(n)
	if isNull(n) {
		return
	}
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.errorf(n, path, "应为列表，实际是 %s", describe(n))
		return
	}
	for i, v := range s.Values {
		fn(i, v, fmt.Sprintf("%s[%d]", path, i))
	}
}

func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "键值映射"
	case *ast.SequenceNode:
		return "列表"
	case *ast.NullNode:
		return "空值"
	default:
		return fmt.Sprintf("%q", scalarText(n))
	}
}

func scalarText(n ast.Node) string {
	switch v := n.(type) {
	case nil:
		return ""
	case *ast.StringNode:
		return v.Value
	case *ast.LiteralNode:
		if v.Value != nil {
			return v.Value.Value
		}
		return ""
	case *ast.NullNode:
		return ""
	default:
		if tk := n.GetToken(); tk != nil {
			return tk.Value
		}
		return ""
	}
}

func isScalar(n ast.Node) bool {
	switch n.(type) {
	case *ast.StringNode, *ast.LiteralNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode,
		*ast.InfinityNode, *ast.NanNode:
		return true
	}
	return false
}

// str reads a scalar as text. ok is false (and an error recorded) for a
// mapping or list; null gives "".
func (d *decoder) str(n ast.Node, path string) (string, bool) {
	n = d.resolve(n)
	if isNull(n) {
		return "", true
	}
	if !isScalar(n) {
		d.errorf(n, path, "应为单个值，实际是 %s", describe(n))
		return "", false
	}
	return strings.TrimSpace(scalarText(n)), true
}

func (d *decoder) nonNegInt(n ast.Node, path string) (int, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		d.errorf(n, path, "应为非负整数，实际是 %q", s)
		return 0, false
	}
	return v, true
}

// duration reads "1s", "500ms", "2m"; a bare number means seconds.
func (d *decoder) duration(n ast.Node, path string) (time.Duration, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return 0, false
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 0 {
		return time.Duration(v * float64(time.Second)), true
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		d.errorf(n, path, "应为时长，如 1s、500ms、2m，实际是 %q", s)
		return 0, false
	}
	return v, true
}

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
}

// size reads a byte count: 20971520, "20MiB", "500KB".
func (d *decoder) size(n ast.Node, path string) (int64, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return 0, false
	}
	num, mult := s, int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v <= 0 {
		d.errorf(n, path, "应为正的字节数，如 20MiB、500KB，实际是 %q", s)
		return 0, false
	}
	return int64(v * float64(mult)), true
}

// strList reads a list of scalars; a single scalar is a list of one.
func (d *decoder) strList(n ast.Node, path string, each func(i int, s string, n ast.Node, key string) bool) []string {
	n = d.resolve(n)
	if isNull(n) {
		return nil
	}
	if isScalar(n) {
		s := strings.TrimSpace(scalarText(n))
		if each(0, s, n, path) {
			return []string{s}
		}
		return nil
	}
	var out []string
	d.sequence(n, path, func(i int, v ast.Node, key string) {
		s, ok := d.str(v, key)
		if ok && each(i, s, d.resolve(v), key) {
			out = append(out, s)
		}
	})
	return out
}

// strMap reads a mapping of scalar values with free keys.
func (d *decoder) strMap(n ast.Node, path string) map[string]string {
	n = d.resolve(n)
	if isNull(n) {
		return nil
	}
	var entries []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		entries = m.Values
	case *ast.MappingValueNode:
		entries = []*ast.MappingValueNode{m}
	default:
		d.errorf(n, path, "应为键值映射，实际是 %s", describe(n))
		return nil
	}
	out := map[string]string{}
	for _, e := range entries {
		key := scalarText(d.resolve(e.Key))
		if v, ok := d.str(e.Value, join(path, key)); ok {
			out[key] = v
		}
	}
	return out
}

// syntaxError turns a parser error into an Error with its line.
func syntaxError(file string, err error) *Error {
	var located interface {
		GetToken() *token.Token
		GetMessage() string
	}
	if errors.As(err, &located) {
		ln := 0
		if tk := located.GetToken(); tk != nil && tk.Position != nil {
			ln = tk.Position.Line
		}
		return &Error{File: file, Line: ln, Msg: "YAML 语法错误: " + located.GetMessage()}
	}
	return &Error{File: file, Msg: "YAML 语法错误: " + err.Error()}
}
