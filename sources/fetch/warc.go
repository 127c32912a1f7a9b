package fetch

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"gongkai"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/klauspost/compress/gzip"
)

// A gzip writer holds a lot of state; reuse them. BestSpeed: the archive
// is written once and read rarely, the crawl is what waits. klauspost's
// deflate writes standard gzip members (any reader, gowarc included,
// reads them) about 1.7× as fast as compress/gzip at BestSpeed, and a
// little smaller.
var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

// newRecordID makes a WARC-Record-ID from a version 7 UUID (RFC 9562:
// Unix milliseconds first). IDs made later sort later, so the store's
// index of record IDs grows at its end instead of taking each new ID
// somewhere at random.
func newRecordID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return "<urn:" + id.URN()[len("urn:"):] + ">", nil
}

// PayloadDigest is the digest of a payload in the form gongkai stores and
// WARC records carry: "sha256:<lowercase hex>".
func PayloadDigest(payload []byte) string {
	sum := sha256.Sum256(payload)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// httpHead is the HTTP response head as a WARC block starts: status line,
// headers (in a stable order), blank line.
func httpHead(proto, status string, code int, header http.Header) []byte {
	var b bytes.Buffer
	if proto == "" {
		proto = "HTTP/1.1"
	}
	if status == "" {
		status = fmt.Sprintf("%d %s", code, http.StatusText(code))
	}
	b.WriteString(proto + " " + status + "\r\n")
	keys := make([]string, 0, len(header))
	for k := range header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range header[k] {
			// Header values cannot hold line breaks on the wire; a stray one
			// would break the record's structure.
			b.WriteString(k)
			b.WriteString(": ")
			b.WriteString(oneLine(v))
			b.WriteString("\r\n")
		}
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

// captureInput is one exchange to record.
type captureInput struct {
	URL        string
	At         time.Time
	Proto      string
	StatusLine string // "200 OK"
	Status     int
	Header     http.Header
	Body       []byte // entity body as transferred

	// Revisit references (optional).
	NotModified  bool   // a 304 answer to a conditional request
	PrevDigest   string // the payload digest of the last capture of this URL
	PrevCapture  string // its record ID
	PrevURL      string
	PrevCaptured time.Time

	// Request is the request that got this answer (nil: none recorded,
	// as for a capture made from stored bytes).
	Request *requestInput
}

// WARC 1.1 revisit profiles.
const (
	ProfileIdenticalPayload = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
	ProfileNotModified      = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
)

// buildCapture makes the WARC record for one exchange: a response record,
// or a revisit record when the payload is identical to the last capture's
// (profile identical-payload-digest) or the server answered 304 (profile
// server-not-modified). Digests are SHA-256 in hex; the record is one gzip
// member, so captures concatenate into a valid .warc.gz.
//
// The writer is small on purpose (ISO 28500 §4–6): version line, CRLF
// fields, Content-Length of the block, block digest over the whole block
// (HTTP headers included), payload digest over the entity body only, the
// block followed by CRLFCRLF. Tests read every kind back with gowarc's
// strict validation and recompute the digests independently. (gowarc's own
// builder validated each record twice and raced on a global; writing
// directly made captures three to four times cheaper.)
func buildCapture(in captureInput) (gongkai.Capture, error) {
	id, err := newRecordID()
	if err != nil {
		return gongkai.Capture{}, err
	}
	at := in.At.UTC().Truncate(time.Second)
	head := httpHead(in.Proto, in.StatusLine, in.Status, in.Header)
	digest := PayloadDigest(in.Body)
	capType := "response"
	var block [][]byte
	fields := [][2]string{}
	switch {
	case in.NotModified || (in.PrevDigest != "" && in.PrevDigest == digest):
		capType = "revisit"
		profile := ProfileIdenticalPayload
		if in.NotModified {
			// A 304 carries no payload; keep the digest of the content the
			// server says is unchanged, when known.
			profile, digest = ProfileNotModified, in.PrevDigest
		}
		fields = append(fields, [2]string{"WARC-Type", "revisit"}, [2]string{"WARC-Profile", profile})
		if in.PrevCapture != "" {
			fields = append(fields, [2]string{"WARC-Refers-To", in.PrevCapture})
			target := in.PrevURL
			if target == "" {
				target = in.URL
			}
			fields = append(fields, [2]string{"WARC-Refers-To-Target-URI", target})
		}
		if !in.PrevCaptured.IsZero() {
			fields = append(fields, [2]string{"WARC-Refers-To-Date", in.PrevCaptured.UTC().Format(time.RFC3339)})
		}
		block = [][]byte{head}
	default:
		fields = append(fields, [2]string{"WARC-Type", "response"})
		block = [][]byte{head, in.Body}
	}
	fields = append(fields,
		[2]string{"WARC-Record-ID", id},
		[2]string{"WARC-Date", at.Format("2006-01-02T15:04:05Z")},
		[2]string{"WARC-Target-URI", in.URL},
		[2]string{"Content-Type", "application/http;msgtype=response"},
	)
	rec, err := writeRecord(fields, digest, block...)
	if err != nil {
		return gongkai.Capture{}, err
	}
	var reqRec []byte
	if in.Request != nil {
		if reqRec, err = buildRequestRecord(*in.Request, in.URL, at, id); err != nil {
			return gongkai.Capture{}, err
		}
	}
	return gongkai.Capture{
		ID:            id,
		URL:           in.URL,
		At:            at,
		Type:          capType,
		Status:        in.Status,
		PayloadDigest: digest,
		WARC:          rec,
		Request:       reqRec,
	}, nil
}

// writeRecord writes one WARC/1.1 record as one gzip member: the version
// line, fields (WARC-Block-Digest, WARC-Payload-Digest when payloadDigest
// is set, and Content-Length are added here), the block, CRLFCRLF.
func writeRecord(fields [][2]string, payloadDigest string, block ...[]byte) ([]byte, error) {
	bd := sha256.New()
	n := 0
	for _, b := range block {
		bd.Write(b)
		n += len(b)
	}
	fields = append(fields, [2]string{"WARC-Block-Digest", "sha256:" + hex.EncodeToString(bd.Sum(nil))})
	if payloadDigest != "" {
		fields = append(fields, [2]string{"WARC-Payload-Digest", payloadDigest})
	}
	fields = append(fields, [2]string{"Content-Length", strconv.Itoa(n)})

	var buf bytes.Buffer
	buf.Grow(n/2 + 1024) // HTML shrinks to a third or a quarter; files already compressed do not
	gz := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(gz)
	gz.Reset(&buf)
	// The WARC head is small: build it whole, then compress it in one write.
	var whead bytes.Buffer
	whead.Grow(512)
	whead.WriteString("WARC/1.1\r\n")
	for _, f := range fields {
		whead.WriteString(f[0])
		whead.WriteString(": ")
		whead.WriteString(oneLine(f[1]))
		whead.WriteString("\r\n")
	}
	whead.WriteString("\r\n")
	gz.Write(whead.Bytes())
	for _, b := range block {
		gz.Write(b)
	}
	io.WriteString(gz, "\r\n\r\n")
	if err := gz.Close(); err != nil {
		return nil, fmt.Errorf("WARC 记录写出失败: %w", err)
	}
	return buf.Bytes(), nil
}

// requestInput is the request of an exchange as it went on the wire (the
// final hop, after redirects).
type requestInput struct {
	Method string
	URL    *url.URL
	Proto  string
	Header http.Header // without Host: that comes from URL (or HostHeader)
	Host   string      // the Host header sent ("" = URL.Host)
	Body   []byte      // a POST's form body
}

// buildRequestRecord makes the request record of an exchange, linked to
// its response (or revisit) record by WARC-Concurrent-To, as Heritrix and
// Browsertrix write them: replay tools find a POST's answer by its body.
func buildRequestRecord(in requestInput, target string, at time.Time, responseID string) ([]byte, error) {
	id, err := newRecordID()
	if err != nil {
		return nil, err
	}
	var head bytes.Buffer
	proto := in.Proto
	if proto == "" || strings.HasPrefix(proto, "HTTP/2") {
		// The WARC block is an HTTP/1.1 message whatever the wire spoke.
		proto = "HTTP/1.1"
	}
	method := in.Method
	if method == "" {
		method = http.MethodGet
	}
	head.WriteString(method + " " + in.URL.RequestURI() + " " + proto + "\r\n")
	host := in.Host
	if host == "" {
		host = in.URL.Host
	}
	h := in.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Del("Host")
	if len(in.Body) > 0 {
		h.Set("Content-Length", strconv.Itoa(len(in.Body)))
	}
	head.WriteString("Host: " + oneLine(host) + "\r\n")
	hh := httpHead("x", "x", 0, h) // reuse the sorted header writer, drop its status line
	head.Write(hh[bytes.IndexByte(hh, '\n')+1:])
	fields := [][2]string{
		{"WARC-Type", "request"},
		{"WARC-Record-ID", id},
		{"WARC-Date", at.Format("2006-01-02T15:04:05Z")},
		{"WARC-Target-URI", target},
		{"WARC-Concurrent-To", responseID},
		{"Content-Type", "application/http;msgtype=request"},
	}
	pd := ""
	if len(in.Body) > 0 {
		pd = PayloadDigest(in.Body)
	}
	return writeRecord(fields, pd, head.Bytes(), in.Body)
}

// WARCInfo builds the warcinfo record that heads an exported WARC file
// (ISO 28500 §6.4): fields in application/warc-fields form. It returns
// the record (one gzip member) and its record ID.
func WARCInfo(at time.Time, filename string, info [][2]string) ([]byte, string, error) {
	id, err := newRecordID()
	if err != nil {
		return nil, "", err
	}
	var block bytes.Buffer
	for _, f := range info {
		block.WriteString(oneLine(f[0]) + ": " + oneLine(f[1]) + "\r\n")
	}
	fields := [][2]string{
		{"WARC-Type", "warcinfo"},
		{"WARC-Record-ID", id},
		{"WARC-Date", at.UTC().Format("2006-01-02T15:04:05Z")},
	}
	if filename != "" {
		fields = append(fields, [2]string{"WARC-Filename", filename})
	}
	fields = append(fields, [2]string{"Content-Type", "application/warc-fields"})
	rec, err := writeRecord(fields, "", block.Bytes())
	return rec, id, err
}

// lineBreaks turns CR and LF into spaces.
var lineBreaks = strings.NewReplacer("\r", " ", "\n", " ")

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return lineBreaks.Replace(s)
}
