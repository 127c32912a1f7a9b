package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"
)

// jsonTrickyStrings exercise every escaping rule of encoding/json.
var jsonTrickyStrings = []string{"", "泽州县", "a\"b\\c", "\n\t\r\b\f\x00\x01\x1f\x7f", "<script>&amp;</script>",
	"bad \xff\xfe utf-8 \xe4\xb8", "line\u2028para\u2029", "é😀"}

var jsonTrickyFloats = []float64{0, 0.5, 1, 0.333, 1e-7, 1e-6, 1e20, 1e21, 123456789.125, -0.001, 1e-300, 5e-324}

// fillValue sets every field of the struct v points to, variant choosing
// among the tricky values; slices get variant-dependent lengths, and nil
// when variant%3 == 0.
func fillValue(v reflect.Value, variant int) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		k := variant + i
		switch f.Kind() {
		case reflect.String:
			f.SetString(jsonTrickyStrings[k%len(jsonTrickyStrings)])
		case reflect.Int:
			f.SetInt(int64((k%4 - 1) * 1000003))
		case reflect.Float64:
			f.SetFloat(jsonTrickyFloats[k%len(jsonTrickyFloats)])
		case reflect.Bool:
			f.SetBool(k%2 == 0)
		case reflect.Slice:
			if variant%3 == 0 {
				f.Set(reflect.Zero(f.Type()))
				continue
			}
			n := k % 3
			s := reflect.MakeSlice(f.Type(), n, n)
			for j := 0; j < n; j++ {
				if s.Index(j).Kind() == reflect.Struct {
					fillValue(s.Index(j), k+j)
					continue
				}
				s.Index(j).SetString(jsonTrickyStrings[(k+j)%len(jsonTrickyStrings)])
			}
			f.Set(s)
		default:
			panic("fillValue: unhandled kind " + f.Kind().String())
		}
	}
}

func encodingJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func handJSON[T any](v *T, elem func(*jsonEncoder, *T)) string {
	e := &jsonEncoder{}
	elem(e, v)
	return string(e.b)
}

// checkElement compares the hand encoder of one element type with
// encoding/json over many fillings, every field set and every field zero.
func checkElement[T any](t *testing.T, elem func(*jsonEncoder, *T)) {
	t.Helper()
	var zero T
	if got, want := handJSON(&zero, elem), encodingJSON(t, zero); got != want {
		t.Errorf("%T zero value:\n got %s\nwant %s", zero, got, want)
	}
	for variant := range 40 {
		var v T
		fillValue(reflect.ValueOf(&v).Elem(), variant)
		if got, want := handJSON(&v, elem), encodingJSON(t, v); got != want {
			t.Errorf("%T variant %d:\n got %s\nwant %s", v, variant, got, want)
		}
	}
}

// The hand-written encoder must write each element exactly as
// encoding/json does; a field added to a report type without its line in
// the encoder fails here.
func TestJSONEncoderMatchesEncodingJSON(t *testing.T) {
	checkElement(t, (*jsonEncoder).sourceState)
	checkElement(t, (*jsonEncoder).finding)
	checkElement(t, (*jsonEncoder).coverage)
	checkElement(t, (*jsonEncoder).countyIndex)
	checkElement(t, (*jsonEncoder).item)
	checkElement(t, (*jsonEncoder).ambiguity)
}

// A whole report: byte for byte what the reflection-based renderer wrote.
func TestRenderJSONMatchesReflectionRenderer(t *testing.T) {
	tricky := &Report{AsOf: "2020-12-31", To: "a\"\n", GeneratedAt: "2021-01-01T00:00:00+08:00", Catalogue: "晋城\u2028"}
	for v := range 5 {
		var s SourceState
		var f Finding
		var c Coverage
		var ci CountyIndex
		var it Item
		var a Ambiguity
		for _, x := range []any{&s, &f, &c, &ci, &it, &a} {
			fillValue(reflect.ValueOf(x).Elem(), v)
		}
		tricky.Sources, tricky.Findings, tricky.Coverage = append(tricky.Sources, s), append(tricky.Findings, f), append(tricky.Coverage, c)
		tricky.Counties, tricky.Items, tricky.Ambiguities = append(tricky.Counties, ci), append(tricky.Items, it), append(tricky.Ambiguities, a)
	}
	for _, r := range []*Report{renderSampleReport(), tricky, {AsOf: "2020-12-31"}, {AsOf: "2020-12-31", Findings: []Finding{}, Ambiguities: []Ambiguity{}}} {
		var got, want bytes.Buffer
		if err := RenderJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		if err := renderJSONReflect(&want, r); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("RenderJSON differs from the reflection renderer:\n%s\n---\n%s", got.String(), want.String())
		}
	}
}

// renderJSONReflect is RenderJSON as first written: encoding/json for
// each element, the layout by reflection over Report's fields.
func renderJSONReflect(w io.Writer, r *Report) error {
	out := *r
	if out.Sources == nil {
		out.Sources = []SourceState{}
	}
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	if out.Coverage == nil {
		out.Coverage = []Coverage{}
	}
	if out.Counties == nil {
		out.Counties = []CountyIndex{}
	}
	if out.Items == nil {
		out.Items = []Item{}
	}
	bw := bufio.NewWriter(w)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	encode := func(v any) error {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		return err
	}
	rv := reflect.ValueOf(out)
	rt := rv.Type()
	bw.WriteString("{")
	first := true
	for i := 0; i < rt.NumField(); i++ {
		sf := rt.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		fv := rv.Field(i)
		if strings.Contains(opts, "omitempty") && (fv.Kind() == reflect.String || fv.Kind() == reflect.Slice) && fv.Len() == 0 {
			continue
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		key, _ := json.Marshal(name)
		bw.WriteString("\n  ")
		bw.Write(key)
		bw.WriteString(": ")
		if fv.Kind() != reflect.Slice || fv.Len() == 0 {
			if err := encode(fv.Interface()); err != nil {
				return err
			}
			continue
		}
		bw.WriteString("[")
		for j := 0; j < fv.Len(); j++ {
			if j > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n    ")
			if err := encode(fv.Index(j).Interface()); err != nil {
				return err
			}
		}
		bw.WriteString("\n  ]")
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// appendJSONString against encoding/json on random bytes, biased towards
// the lead and continuation bytes of multi-byte characters.
func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	pieces := []string{"a", "\"", "\\", "\n", "\x00", "\x7f", "中", "\u2028", "\u2029", "😀", "é",
		"\xe0", "\xe1", "\xe2", "\xed", "\xef", "\x80", "\xa0", "\xa8", "\xbf", "\xc0", "\xf0", "\xf4", "\xff", "\xe2\x80", "\xed\xa0\x80"}
	seed := uint64(1)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	for range 20000 {
		var b strings.Builder
		for range next(8) {
			b.WriteString(pieces[next(len(pieces))])
		}
		s := b.String()
		if got, want := string(appendJSONString(nil, s)), encodingJSON(t, s); got != want {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json %s", s, got, want)
		}
	}
}
