package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
)

// RenderJSON writes the report as the contract JSON (contracts.md §4) with
// Chinese and <> written as themselves: one top-level field per line, and
// in each list one element per line (a finding, a coverage cell, an item),
// so that a province-scale report stays readable with grep and diff. Empty
// lists are written as [] rather than null so that consumers can iterate
// them.
//
// The lists are written element by element: a province-scale report
// (300,000 items) would otherwise be built as one buffer of a few hundred
// megabytes before the first byte is written, and re-indenting every
// element would cost as much again as encoding it.
func RenderJSON(w io.Writer, r *Report) error {
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
	bw := bufio.NewWriterSize(w, 256<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// encode writes v on one line.
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
		name, omitEmpty, omitZero, ok := jsonFieldName(sf)
		if !ok {
			continue
		}
		fv := rv.Field(i)
		if omitEmpty && jsonEmpty(fv) || omitZero && fv.IsZero() {
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

// jsonFieldName reads a struct field's json tag the way encoding/json does
// for the plain (non-embedded) fields Report has.
func jsonFieldName(sf reflect.StructField) (name string, omitEmpty, omitZero, ok bool) {
	if !sf.IsExported() || sf.Anonymous {
		return "", false, false, false
	}
	tag := sf.Tag.Get("json")
	if tag == "-" {
		return "", false, false, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = sf.Name
	}
	for _, o := range strings.Split(opts, ",") {
		switch o {
		case "omitempty":
			omitEmpty = true
		case "omitzero":
			omitZero = true
		}
	}
	return name, omitEmpty, omitZero, true
}

// jsonEmpty is encoding/json's notion of empty for omitempty.
func jsonEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// ReadJSON reads a report written by RenderJSON (the weekly schedule reads
// last week's report to say what changed).
func ReadJSON(rd io.Reader) (*Report, error) {
	var r Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}
