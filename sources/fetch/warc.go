package fetch

import (
	"bytes"
	"crypto/rand"
	"io"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"gongkai/store"
)

var warcMu sync.Mutex

// A gzip writer holds most of a megabyte of state; reuse them. BestSpeed:
// the archive is written once and read rarely, the crawl is what waits.
var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

// newRecordID makes a WARC-Record-ID from a random (version 4) UUID.
func newRecordID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return "<urn:uuid:" + h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:] + ">", nil
}

// PayloadDigest is the digest of a payload in the form gongkai stores and
// WARC records carry: "sha256:<lowercase hex>".
func PayloadDigest(payload []byte) string {
	sum := sha256.Sum256(payload)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// httpBlock is the HTTP response as a WARC block: status line, headers
// (in a stable order), blank line, entity body.
func httpBlock(proto, status string, code int, header http.Header, body []byte) []byte {
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
			v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	b.Write(body)
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
}

// buildCapture makes the WARC record for one exchange: a response record,
// or a revisit record when the payload is identical to the last capture's
// (profile identical-payload-digest) or the server answered 304 (profile
// server-not-modified). Digests are SHA-256; the record is one gzip member.
func buildCapture(in captureInput, maxMem int64) (store.Capture, error) {
	opts := []gowarc.WarcRecordOption{
		gowarc.WithStrictValidation(),
		gowarc.WithAddMissingDigest(true),
		gowarc.WithDefaultDigestAlgorithm("sha256"),
		gowarc.WithDefaultDigestEncoding(gowarc.Base16),
		gowarc.WithBufferMaxMemBytes(maxMem),
	}
	// gowarc v3.1.0 calls uuid.EnableRandPool (a global write) in every
	// NewRecordBuilder, racing with itself and with uuid.New: create
	// builders one at a time, and make record IDs without the uuid package.
	warcMu.Lock()
	rb := gowarc.NewRecordBuilder(gowarc.Response, opts...)
	warcMu.Unlock()
	id, err := newRecordID()
	if err != nil {
		rb.Close()
		return store.Capture{}, err
	}
	rb.AddWarcHeader(gowarc.WarcRecordID, id)
	block := httpBlock(in.Proto, in.StatusLine, in.Status, in.Header, in.Body)
	if _, err := rb.Write(block); err != nil {
		rb.Close()
		return store.Capture{}, err
	}
	at := in.At.UTC().Truncate(time.Second)
	rb.AddWarcHeader(gowarc.WarcTargetURI, in.URL)
	rb.AddWarcHeaderTime(gowarc.WarcDate, at)
	rb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
	rec, validation, err := rb.Build()
	if err != nil {
		return store.Capture{}, fmt.Errorf("WARC 记录生成失败: %w", err)
	}
	defer rec.Close()
	if len(validation) > 0 {
		return store.Capture{}, fmt.Errorf("WARC 记录校验失败: %v", validation)
	}
	digest := PayloadDigest(in.Body)
	capType := "response"
	out := rec
	if in.NotModified || (in.PrevDigest != "" && in.PrevDigest == digest) {
		profile := gowarc.ProfileIdenticalPayloadDigestV1_1
		if in.NotModified {
			profile = gowarc.ProfileServerNotModifiedV1_1
		}
		ref := &gowarc.RevisitRef{Profile: profile, TargetRecordId: in.PrevCapture, TargetUri: in.PrevURL}
		if ref.TargetUri == "" && in.PrevCapture != "" {
			ref.TargetUri = in.URL
		}
		if !in.PrevCaptured.IsZero() {
			ref.TargetDate = in.PrevCaptured.UTC().Format(time.RFC3339)
		}
		rev, err := rec.ToRevisitRecord(ref)
		if err != nil {
			return store.Capture{}, fmt.Errorf("WARC revisit 记录生成失败: %w", err)
		}
		defer rev.Close()
		if in.NotModified {
			// A 304 carries no payload; its digest would be that of nothing.
			// Keep the digest of the content the server says is unchanged.
			rev.WarcHeader().Delete(gowarc.WarcPayloadDigest)
			if in.PrevDigest != "" {
				rev.WarcHeader().Set(gowarc.WarcPayloadDigest, in.PrevDigest)
			}
			digest = in.PrevDigest
		}
		out, capType = rev, "revisit"
	}
	var buf bytes.Buffer
	gz := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(gz)
	gz.Reset(&buf)
	if _, _, err := gowarc.NewMarshaler().Marshal(gz, out, 0); err != nil {
		return store.Capture{}, fmt.Errorf("WARC 记录写出失败: %w", err)
	}
	if err := gz.Close(); err != nil {
		return store.Capture{}, err
	}
	return store.Capture{
		ID:            out.WarcHeader().Get(gowarc.WarcRecordID),
		URL:           in.URL,
		At:            at,
		Type:          capType,
		Status:        in.Status,
		PayloadDigest: digest,
		WARC:          buf.Bytes(),
	}, nil
}
