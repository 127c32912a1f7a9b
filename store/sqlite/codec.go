package sqlite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"gongkai"
	"slices"

	"gongkai/calendar"
)

// The structured columns of publications and their versions (candidates,
// metadata, record numbers, attachments, attachment content, disclosures)
// are read for every publication in every report, so they use a compact
// binary form instead of JSON: decoding JSON was more than half the cost of
// listing a province (300,000 publications).
//
// Format: an empty blob is the empty value. Otherwise one format byte
// (codecVersion), then the value:
//
//	uint     unsigned varint
//	int      signed varint
//	string   uint length, bytes
//	[]T      uint count, elements
//	map      uint count, key/value strings sorted by key
//	struct   uint number of fields written, then the fields in declaration
//	         order (see the encode functions)
//
// Fields are only ever added at the end of a struct; a reader fills fields
// an older writer did not write with zero values, and refuses a struct with
// more fields than it knows (a file from a newer gongkai).
const codecVersion = 1

var errCodec = errors.New("corrupt or unknown binary column")

// encoder writes one blob. The writer keeps one per blob column and reuses
// its buffers from row to row (SQLite copies a bound blob).
type encoder struct {
	b    []byte
	keys []string // strMap's scratch
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) len(n int)     { e.uint(uint64(n)) }
func (e *encoder) fields(n int)  { e.uint(uint64(n)) }
func (e *encoder) str(s string)  { e.len(len(s)); e.b = append(e.b, s...) }
func (e *encoder) strs(ss []string) {
	e.len(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) strMap(m map[string]string) {
	keys := e.keys[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.len(len(keys))
	for _, k := range keys {
		e.str(k)
		e.str(m[k])
	}
	clear(keys)
	e.keys = keys[:0]
}

// blob wraps an encoding step: nothing at all for empty values.
// blob writes a blob with e, over whatever e wrote before (so the result
// is valid until e's next blob).
func (e *encoder) blob(empty bool, write func(e *encoder)) []byte {
	if empty {
		return []byte{}
	}
	e.b = append(e.b[:0], codecVersion)
	write(e)
	return e.b
}

// blob writes a blob with a new encoder.
func blob(empty bool, write func(e *encoder)) []byte { return new(encoder).blob(empty, write) }

func encodeStrings(ss []string) []byte { return writeStrings(new(encoder), ss) }

func writeStrings(e *encoder, ss []string) []byte {
	return e.blob(len(ss) == 0, func(e *encoder) { e.strs(ss) })
}

func encodeStrMap(m map[string]string) []byte { return writeStrMap(new(encoder), m) }

func writeStrMap(e *encoder, m map[string]string) []byte {
	return e.blob(len(m) == 0, func(e *encoder) { e.strMap(m) })
}

// encodeAttachments writes the description of each attachment; Text and
// Sheets go to encodeAttachmentContent.
func encodeAttachments(as []gongkai.Attachment) []byte { return writeAttachments(new(encoder), as) }

func writeAttachments(e *encoder, as []gongkai.Attachment) []byte {
	return e.blob(len(as) == 0, func(e *encoder) {
		e.len(len(as))
		for _, a := range as {
			e.fields(7)
			e.str(a.URL)
			e.str(a.Name)
			e.str(a.MediaType)
			e.int(a.Size)
			e.str(a.Evidence)
			e.str(a.CaptureID)
			e.str(a.Error)
		}
	})
}

// encodeAttachmentContent writes Text and Sheets of each attachment, or
// nothing when no attachment has any.
func encodeAttachmentContent(as []gongkai.Attachment) []byte {
	return writeAttachmentContent(new(encoder), as)
}

func writeAttachmentContent(e *encoder, as []gongkai.Attachment) []byte {
	empty := !slices.ContainsFunc(as, func(a gongkai.Attachment) bool { return a.Text != "" || len(a.Sheets) > 0 })
	return e.blob(empty, func(e *encoder) {
		e.len(len(as))
		for _, a := range as {
			e.fields(2)
			e.str(a.Text)
			e.len(len(a.Sheets))
			for _, s := range a.Sheets {
				e.fields(2)
				e.str(s.Name)
				e.len(len(s.Rows))
				for _, row := range s.Rows {
					e.strs(row)
				}
			}
		}
	})
}

func encodeDisclosures(ds []gongkai.Disclosure) []byte { return writeDisclosures(new(encoder), ds) }

func writeDisclosures(e *encoder, ds []gongkai.Disclosure) []byte {
	return e.blob(len(ds) == 0, func(e *encoder) {
		e.len(len(ds))
		for _, d := range ds {
			e.fields(9)
			e.str(d.Kind)
			e.str(d.Ref)
			e.strMap(d.Fields)
			e.str(d.Text)
			e.int(int64(d.Date))
			e.strs(d.DecisionNos)
			e.strs(d.SamplingNos)
			e.strs(d.USCCs)
			e.strs(d.Parties)
		}
	})
}

// decoder reads from one string holding the whole blob, so that every
// string it returns is a substring of it: one allocation per column, not
// one per string.
type decoder struct {
	s   string
	err error
}

func newDecoder(b []byte) (*decoder, bool) {
	if len(b) == 0 {
		return nil, false
	}
	d := &decoder{s: string(b[1:])}
	if b[0] != codecVersion {
		d.err = fmt.Errorf("%w: format %d", errCodec, b[0])
	}
	return d, true
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCodec
	}
	d.s = ""
}

func (d *decoder) uint() uint64 {
	var v uint64
	var shift uint
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			d.s = d.s[i+1:]
			return v
		}
		shift += 7
	}
	d.fail()
	return 0
}

func (d *decoder) int() int64 {
	u := d.uint()
	return int64(u>>1) ^ -int64(u&1)
}

// len reads a count and checks it against what is left (every element takes
// at least one byte), so corrupt input cannot ask for a huge allocation.
func (d *decoder) len() int {
	n := d.uint()
	if n > uint64(len(d.s)) {
		d.fail()
		return 0
	}
	return int(n)
}

// fields reads a struct's field count; known is how many this build reads.
func (d *decoder) fields(known int) int {
	n := d.len()
	if n > known {
		if d.err == nil {
			d.err = fmt.Errorf("%w: %d fields, this version knows %d (written by a newer gongkai?)", errCodec, n, known)
		}
		d.s = ""
		return 0
	}
	return n
}

func (d *decoder) str() string {
	n := d.len()
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

func (d *decoder) strs() []string {
	n := d.len()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) strMap() map[string]string {
	n := d.len()
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

func (d *decoder) finish(what string) error {
	if d.err == nil && d.s != "" {
		d.err = fmt.Errorf("%w: %d trailing bytes", errCodec, len(d.s))
	}
	if d.err != nil {
		return fmt.Errorf("decode %s: %w", what, d.err)
	}
	return nil
}

func decodeStrings(b []byte, what string) ([]string, error) {
	d, ok := newDecoder(b)
	if !ok {
		return nil, nil
	}
	v := d.strs()
	return v, d.finish(what)
}

func decodeStrMap(b []byte, what string) (map[string]string, error) {
	d, ok := newDecoder(b)
	if !ok {
		return nil, nil
	}
	v := d.strMap()
	return v, d.finish(what)
}

func decodeAttachments(b []byte) ([]gongkai.Attachment, error) {
	d, ok := newDecoder(b)
	if !ok {
		return nil, nil
	}
	out := make([]gongkai.Attachment, d.len())
	for i := range out {
		a := &out[i]
		n := d.fields(7)
		for f := range n {
			switch f {
			case 0:
				a.URL = d.str()
			case 1:
				a.Name = d.str()
			case 2:
				a.MediaType = d.str()
			case 3:
				a.Size = d.int()
			case 4:
				a.Evidence = d.str()
			case 5:
				a.CaptureID = d.str()
			case 6:
				a.Error = d.str()
			}
		}
	}
	return out, d.finish("attachments")
}

// decodeAttachmentContent fills Text and Sheets of as.
func decodeAttachmentContent(b []byte, as []gongkai.Attachment) error {
	d, ok := newDecoder(b)
	if !ok {
		return nil
	}
	if n := d.len(); n != len(as) && d.err == nil {
		return fmt.Errorf("decode attachment content: %d entries for %d attachments", n, len(as))
	}
	for i := range as {
		a := &as[i]
		for f := range d.fields(2) {
			switch f {
			case 0:
				a.Text = d.str()
			case 1:
				if n := d.len(); n > 0 {
					a.Sheets = make([]gongkai.Sheet, n)
				}
				for j := range a.Sheets {
					s := &a.Sheets[j]
					for g := range d.fields(2) {
						switch g {
						case 0:
							s.Name = d.str()
						case 1:
							if n := d.len(); n > 0 {
								s.Rows = make([][]string, n)
							}
							for r := range s.Rows {
								s.Rows[r] = d.strs()
							}
						}
					}
				}
			}
		}
	}
	return d.finish("attachment content")
}

func decodeDisclosures(b []byte) ([]gongkai.Disclosure, error) {
	d, ok := newDecoder(b)
	if !ok {
		return nil, nil
	}
	out := make([]gongkai.Disclosure, d.len())
	for i := range out {
		x := &out[i]
		for f := range d.fields(9) {
			switch f {
			case 0:
				x.Kind = d.str()
			case 1:
				x.Ref = d.str()
			case 2:
				x.Fields = d.strMap()
			case 3:
				x.Text = d.str()
			case 4:
				x.Date = calendar.Date(d.int())
			case 5:
				x.DecisionNos = d.strs()
			case 6:
				x.SamplingNos = d.strs()
			case 7:
				x.USCCs = d.strs()
			case 8:
				x.Parties = d.strs()
			}
		}
	}
	return out, d.finish("disclosures")
}
