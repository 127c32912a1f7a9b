package yamldoc

import (
	"testing"

	"github.com/goccy/go-yaml/ast"
)

type record struct {
	Name  string     `yaml:"name"`
	Tags  List       `yaml:"tags"`
	Parts []ast.Node `yaml:"parts"`
}

type part struct {
	Size int `yaml:"size"`
}

func TestDecodeRecordByRecord(t *testing.T) {
	doc, p := Parse([]byte("name: a\ntags: one\nparts:\n  - size: 1\n  - {size: 2, colour: red}\n  - size: big\n"))
	if p != nil {
		t.Fatal(p)
	}
	var r record
	if p, ok := doc.Decode(doc.Bodies[0], &r); p != nil || !ok {
		t.Fatalf("%v %v", p, ok)
	}
	if len(r.Tags) != 1 || r.Tags[0] != "one" || len(r.Parts) != 3 {
		t.Fatalf("%+v", r)
	}
	var sizes []int
	var problems []Problem
	for _, n := range r.Parts {
		var x part
		p, ok := doc.Decode(n, &x)
		if p != nil {
			problems = append(problems, *p)
		}
		if ok {
			sizes = append(sizes, x.Size)
		}
	}
	// An unknown key still leaves the record usable; a misshapen value does not.
	if len(sizes) != 2 || sizes[1] != 2 {
		t.Errorf("sizes %v", sizes)
	}
	want := []Problem{
		{Line: 5, Path: "parts[1].colour", Msg: `未知的键 "colour"（可用的键: size）`},
		{Line: 6, Path: "parts[2].size", Msg: `应为整数，实际是 "big"`},
	}
	if len(problems) != len(want) || problems[0] != want[0] || problems[1] != want[1] {
		t.Errorf("problems %+v\nwant %+v", problems, want)
	}
	if k := (&Problem{Path: "parts[1].colour"}).Key(); k != "colour" {
		t.Errorf("Key = %q", k)
	}
	// A key the file lacks is located at its nearest ancestor.
	if l := LineOf(doc.Bodies[0], "parts[2].weight"); l != 6 {
		t.Errorf("LineOf missing key = %d", l)
	}
	if Node(doc.Bodies[0], "parts[7]") != nil || Node(doc.Bodies[0], "parts[0].size") == nil {
		t.Error("Node")
	}
}

func TestSyntaxErrorHasItsLine(t *testing.T) {
	_, p := Parse([]byte("a: 1\nb: [\n"))
	if p == nil || p.Line == 0 || p.Msg == "" {
		t.Errorf("%+v", p)
	}
}
