package reports

import (
	"bufio"
	"bytes"
	"encoding/json"
	"gongkai/audit"
	"io"
	"runtime"
)

// RenderJSON writes the report as the contract JSON (contracts.md §4) with
// Chinese and <> written as themselves: one top-level field per line, and
// in each list one element per line (a finding, a coverage cell, an item),
// so that a province-scale report stays readable with grep and diff. Empty
// lists are written as [] rather than null so that consumers can iterate
// them. Each element is encoded by encoding/json as it is written; the
// report is never built whole as text.
func RenderJSON(w io.Writer, r *audit.Report) error {
	j := &jsonLines{w: bufio.NewWriterSize(w, 256<<10)}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)

	j.w.WriteString("{")
	j.value("as_of", r.AsOf)
	if r.From != "" {
		j.value("from", r.From)
	}
	if r.To != "" {
		j.value("to", r.To)
	}
	j.value("generated_at", r.GeneratedAt)
	j.value("catalogue", r.Catalogue)
	jsonList(j, "sources", r.Sources)
	jsonList(j, "findings", r.Findings)
	jsonList(j, "coverage", r.Coverage)
	jsonList(j, "counties", r.Counties)
	jsonList(j, "items", r.Items)
	if len(r.Ambiguities) > 0 {
		jsonList(j, "ambiguities", r.Ambiguities)
	}
	if len(r.ColumnHealth) > 0 {
		jsonList(j, "column_health", r.ColumnHealth)
	}
	j.w.WriteString("\n}\n")
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

// jsonLines writes the report's layout around encoding/json's elements.
type jsonLines struct {
	w      *bufio.Writer
	buf    bytes.Buffer
	enc    *json.Encoder
	fields int
	err    error
}

// key starts a top-level field: `,\n  "name": `.
func (j *jsonLines) key(name string) {
	if j.fields > 0 {
		j.w.WriteString(",")
	}
	j.fields++
	j.w.WriteString("\n  ")
	j.encode(name)
	j.w.WriteString(": ")
}

func (j *jsonLines) value(name string, v any) {
	j.key(name)
	j.encode(v)
}

// encode writes v as encoding/json does, without its trailing newline.
func (j *jsonLines) encode(v any) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	if j.err = j.enc.Encode(v); j.err != nil {
		return
	}
	_, j.err = j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
}

// jsonList writes a top-level list, one element per line ([] when empty).
func jsonList[T any](j *jsonLines, name string, list []T) {
	j.key(name)
	if len(list) == 0 {
		j.w.WriteString("[]")
		return
	}
	j.w.WriteString("[")
	if j.err == nil {
		j.err = encodeList(j.w, list, runtime.GOMAXPROCS(0))
	}
	j.w.WriteString("\n  ]")
}

// listChunk is how many list elements one encoder takes at a time.
const listChunk = 512

// encodeList writes the elements of list to w, each on its own line
// ("\n    " before it, "," between them), as encoding/json encodes them.
// The list is cut into chunks that workers encoders encode side by side
// and that are written in order, at most 2 × workers chunks in memory: a
// province's report lists 300,000 items, and encoding them one after the
// other was the longest step after the audit itself
// (BenchmarkRenderJSON).
func encodeList[T any](w io.Writer, list []T, workers int) error {
	type chunk struct {
		lo, hi int
		text   *bytes.Buffer
		err    error
		done   chan struct{}
	}
	jobs := make(chan *chunk)
	inOrder := make(chan *chunk, 2*workers)
	// Written chunks' buffers are used again: a province's items are
	// 150 MB of text, which would otherwise all be garbage.
	free := make(chan *bytes.Buffer, 3*workers)
	go func() {
		defer close(jobs)
		defer close(inOrder)
		for lo := 0; lo < len(list); lo += listChunk {
			c := &chunk{lo: lo, hi: min(lo+listChunk, len(list)), done: make(chan struct{})}
			inOrder <- c // blocks while 2 × workers chunks wait to be written
			jobs <- c
		}
	}()
	for range workers {
		go func() {
			for c := range jobs {
				select {
				case c.text = <-free:
				default:
					c.text = new(bytes.Buffer)
				}
				enc := json.NewEncoder(c.text)
				enc.SetEscapeHTML(false)
				for i := c.lo; i < c.hi && c.err == nil; i++ {
					if i > 0 {
						c.text.WriteByte(',')
					}
					c.text.WriteString("\n    ")
					if c.err = enc.Encode(&list[i]); c.err == nil {
						c.text.Truncate(c.text.Len() - 1) // Encode's newline
					}
				}
				close(c.done)
			}
		}()
	}
	var err error
	for c := range inOrder {
		<-c.done
		if err == nil {
			if err = c.err; err == nil {
				_, err = w.Write(c.text.Bytes())
			}
		}
		c.text.Reset()
		select {
		case free <- c.text:
		default:
		}
	}
	return err
}

// ReadJSON reads a report written by RenderJSON (the weekly schedule reads
// last week's report to say what changed).
func ReadJSON(rd io.Reader) (*audit.Report, error) {
	var r audit.Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}
