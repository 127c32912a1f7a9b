package reports

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"
)

// RenderJSON writes the report as the contract JSON (contracts.md §4) with
// Chinese and <> written as themselves: one top-level field per line, and
// in each list one element per line (a finding, a coverage cell, an item),
// so that a province-scale report stays readable with grep and diff. Empty
// lists are written as [] rather than null so that consumers can iterate
// them.
//
// Each element is written exactly as encoding/json (without HTML
// escaping) writes it, by hand: reflection over 400,000 elements of a
// province-scale report was most of the time it took to write it.
// TestJSONEncoderMatchesEncodingJSON holds the two together, field by
// field. The output is streamed through a buffer, never built whole.
func RenderJSON(w io.Writer, r *Report) error {
	e := &jsonEncoder{w: bufio.NewWriterSize(w, 256<<10), b: make([]byte, 0, 64<<10)}
	e.raw("{")
	e.topString("as_of", r.AsOf, false)
	e.topString("from", r.From, true)
	e.topString("to", r.To, true)
	e.topString("generated_at", r.GeneratedAt, false)
	e.topString("catalogue", r.Catalogue, false)
	writeJSONList(e, "sources", r.Sources, false, (*jsonEncoder).sourceState)
	writeJSONList(e, "findings", r.Findings, false, (*jsonEncoder).finding)
	writeJSONList(e, "coverage", r.Coverage, false, (*jsonEncoder).coverage)
	writeJSONList(e, "counties", r.Counties, false, (*jsonEncoder).countyIndex)
	writeJSONList(e, "items", r.Items, false, (*jsonEncoder).item)
	writeJSONList(e, "ambiguities", r.Ambiguities, true, (*jsonEncoder).ambiguity)
	e.raw("\n}\n")
	if e.err != nil {
		return e.err
	}
	if _, err := e.w.Write(e.b); err != nil {
		return err
	}
	return e.w.Flush()
}

// jsonEncoder appends JSON to b and hands it to w in blocks.
type jsonEncoder struct {
	w   *bufio.Writer
	b   []byte
	n   int // top-level fields written
	err error
}

func (e *jsonEncoder) raw(s string) { e.b = append(e.b, s...) }

// flush hands the buffer over once it is big enough.
func (e *jsonEncoder) flush() {
	if len(e.b) < 60<<10 || e.err != nil {
		return
	}
	_, e.err = e.w.Write(e.b)
	e.b = e.b[:0]
}

// key starts a top-level field: `,\n  "name": `.
func (e *jsonEncoder) key(name string) {
	if e.n > 0 {
		e.b = append(e.b, ',')
	}
	e.n++
	e.b = append(e.b, "\n  "...)
	e.b = appendJSONString(e.b, name)
	e.b = append(e.b, ": "...)
}

func (e *jsonEncoder) topString(name, v string, omitEmpty bool) {
	if omitEmpty && v == "" {
		return
	}
	e.key(name)
	e.b = appendJSONString(e.b, v)
}

// writeJSONList writes a top-level list, one element per line; an empty
// list is [] (or left out when omitEmpty).
func writeJSONList[T any](e *jsonEncoder, name string, list []T, omitEmpty bool, elem func(*jsonEncoder, *T)) {
	if len(list) == 0 {
		if !omitEmpty {
			e.key(name)
			e.raw("[]")
		}
		return
	}
	e.key(name)
	e.raw("[")
	for i := range list {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = append(e.b, "\n    "...)
		elem(e, &list[i])
		e.flush()
	}
	e.raw("\n  ]")
}

// Object fields: f writes `"name":value`, preceded by a comma unless it is
// the object's first.

func (e *jsonEncoder) field(first bool, name string) {
	if !first {
		e.b = append(e.b, ',')
	}
	e.b = append(e.b, '"')
	e.b = append(e.b, name...) // field names are plain ASCII
	e.b = append(e.b, '"', ':')
}

func (e *jsonEncoder) str(first bool, name, v string) {
	e.field(first, name)
	e.b = appendJSONString(e.b, v)
}

func (e *jsonEncoder) strOmit(name, v string) {
	if v != "" {
		e.str(false, name, v)
	}
}

func (e *jsonEncoder) int(name string, v int) {
	e.field(false, name)
	e.b = strconv.AppendInt(e.b, int64(v), 10)
}

func (e *jsonEncoder) intOmit(name string, v int) {
	if v != 0 {
		e.int(name, v)
	}
}

func (e *jsonEncoder) float(name string, v float64) {
	e.field(false, name)
	e.b = appendJSONFloat(e, e.b, v)
}

func (e *jsonEncoder) strs(name string, vs []string) {
	e.field(false, name)
	if vs == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '[')
	for i, v := range vs {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.b = appendJSONString(e.b, v)
	}
	e.b = append(e.b, ']')
}

func (e *jsonEncoder) strsOmit(name string, vs []string) {
	if len(vs) > 0 {
		e.strs(name, vs)
	}
}

// The element types, field by field in declaration order, with their tags'
// omitempty.

func (e *jsonEncoder) sourceState(s *SourceState) {
	e.b = append(e.b, '{')
	e.str(true, "county", s.County)
	e.str(false, "source", s.Source)
	e.str(false, "channel", s.Channel)
	e.field(false, "complete")
	e.b = strconv.AppendBool(e.b, s.Complete)
	e.str(false, "last_sync", s.LastSync)
	e.int("errors", s.Errors)
	e.strsOmit("failed", s.Failed)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) finding(f *Finding) {
	e.b = append(e.b, '{')
	e.str(true, "county", f.County)
	e.str(false, "item", f.Item)
	e.str(false, "record_no", f.RecordNo)
	e.strOmit("title", f.Title)
	e.strOmit("party", f.Party)
	e.str(false, "channel", f.Channel)
	e.str(false, "status", string(f.Status))
	e.str(false, "formed_on", f.FormedOn)
	e.str(false, "due", f.Due)
	e.strOmit("published", f.Published)
	e.intOmit("late_workdays", f.LateWorkdays)
	e.strOmit("url", f.URL)
	e.strOmit("evidence", f.Evidence)
	e.strsOmit("missing_elements", f.MissingElements)
	e.strsOmit("unverifiable_elements", f.UnverifiableElements)
	e.strOmit("first_seen", f.FirstSeen)
	e.strsOmit("notes", f.Notes)
	e.strOmit("matched_by", f.MatchedBy)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) coverage(c *Coverage) {
	e.b = append(e.b, '{')
	e.str(true, "county", c.County)
	e.str(false, "item", c.Item)
	e.int("expected", c.Expected)
	e.int("ontime", c.OnTime)
	e.int("late", c.Late)
	e.int("missing", c.Missing)
	e.int("pending", c.Pending)
	e.int("unverified", c.Unverified)
	e.int("published_items", c.PublishedItems)
	e.float("score", c.Score)
	e.strOmit("note", c.Note)
	e.int("records", c.Records)
	e.strOmit("basis", c.Basis)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) countyIndex(c *CountyIndex) {
	e.b = append(e.b, '{')
	e.str(true, "county", c.County)
	e.float("score", c.Score)
	e.float("timeliness", c.Timely)
	e.float("completeness", c.Complete)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) item(it *Item) {
	e.b = append(e.b, '{')
	e.str(true, "county", it.County)
	e.str(false, "channel", it.Channel)
	e.str(false, "url", it.URL)
	e.str(false, "title", it.Title)
	e.str(false, "item", it.Item)
	e.strOmit("published", it.Published)
	e.str(false, "first_seen", it.FirstSeen)
	e.strsOmit("record_nos", it.RecordNos)
	e.strOmit("state", it.State)
	e.strOmit("reason", it.Reason)
	e.b = append(e.b, '}')
}

func (e *jsonEncoder) ambiguity(a *Ambiguity) {
	e.b = append(e.b, '{')
	e.str(true, "county", a.County)
	e.str(false, "item", a.Item)
	e.str(false, "record_no", a.RecordNo)
	e.str(false, "channel", a.Channel)
	e.strs("candidates", a.Candidates)
	e.b = append(e.b, '}')
}

const jsonHex = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does with HTML escaping off:
// ", \ and control characters escaped, invalid UTF-8 as \ufffd, U+2028
// and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&0xF])
			}
			i++
			start = i
			continue
		}
		// Most of a Chinese report is three-byte characters: accept a
		// valid one here (the ranges utf8 accepts for each lead byte),
		// leaving anything else, and U+2028/U+2029, to the decoder.
		if c >= 0xE1 && c <= 0xEF && c != 0xED && c != 0xE2 && i+2 < len(s) {
			if c1, c2 := s[i+1], s[i+2]; c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
				i += 3
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', jsonHex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendJSONFloat writes a float64 as encoding/json does (ES6 number
// formatting); NaN and infinities are an error, as there.
func appendJSONFloat(e *jsonEncoder, b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		if e.err == nil {
			e.err = fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, 64))
		}
		return b
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
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
