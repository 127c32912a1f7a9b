package fetch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"gongkai"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
)

// Replay returns the answer a stored response capture recorded, decoded
// as Fetch decodes a fresh one (content encoding, media type, charset,
// challenge check; req.Charset applies as it would to the request). The
// harvester uses it when a server answers a conditional request with 304
// Not Modified: the page is what it was, and its last full answer says
// what that is.
//
// Only response records hold a payload; a revisit record is an error. So
// is a record whose payload no longer matches its digest.
func Replay(c gongkai.Capture, req Request) (*Response, error) {
	if c.Type != "" && c.Type != "response" && c.Type != "resource" {
		return nil, fmt.Errorf("记录 %s 是 %s 记录，没有内容", c.ID, c.Type)
	}
	fields, block, err := readWARCRecord(c.WARC)
	if err != nil {
		return nil, fmt.Errorf("记录 %s: %w", c.ID, err)
	}
	if fields["warc-type"] == "resource" {
		return replayResource(c, fields, block, req)
	}
	if t := fields["warc-type"]; t != "response" {
		return nil, fmt.Errorf("记录 %s 是 %q 记录，没有内容", c.ID, t)
	}
	i := bytes.Index(block, []byte("\r\n\r\n"))
	if i < 0 {
		return nil, fmt.Errorf("记录 %s 没有完整的 HTTP 头", c.ID)
	}
	head, payload := block[:i+4], block[i+4:]
	want := c.PayloadDigest
	if want == "" {
		want = fields["warc-payload-digest"]
	}
	if want != "" && PayloadDigest(payload) != want {
		return nil, fmt.Errorf("记录 %s 的内容与摘要不符", c.ID)
	}
	hr, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(head)), nil)
	if err != nil {
		return nil, fmt.Errorf("记录 %s 的 HTTP 头无法解析: %w", c.ID, err)
	}
	hr.Body.Close()
	out := &Response{
		URL:       req.URL,
		FinalURL:  fields["warc-target-uri"],
		Status:    hr.StatusCode,
		Header:    hr.Header,
		FetchedAt: c.At,
		Capture:   c,
		Digest:    PayloadDigest(payload),
	}
	if out.URL == "" {
		out.URL = out.FinalURL
	}
	out.Body = decodeContentEncoding(payload, hr.Header.Get("Content-Encoding"))
	out.MediaType = mediaType(hr.Header.Get("Content-Type"), out.Body)
	if isTextual(out.MediaType) {
		out.HTML, out.Charset = Decode(out.Body, hr.Header.Get("Content-Type"), req.Charset)
	}
	out.Challenge = LooksLikeChallenge(out.Status, out.Body)
	return out, nil
}

// replayResource reads a resource record (a page as the browser rendered
// it, render: browser) back: the block is the payload, its type the
// record's Content-Type.
func replayResource(c gongkai.Capture, fields map[string]string, block []byte, req Request) (*Response, error) {
	want := c.PayloadDigest
	if want == "" {
		want = fields["warc-payload-digest"]
	}
	if want != "" && PayloadDigest(block) != want {
		return nil, fmt.Errorf("记录 %s 的内容与摘要不符", c.ID)
	}
	ct := fields["content-type"]
	out := &Response{URL: req.URL, FinalURL: fields["warc-target-uri"], Status: c.Status, Header: http.Header{"Content-Type": {ct}},
		Body: block, FetchedAt: c.At, Capture: c, Digest: PayloadDigest(block)}
	if out.Status == 0 {
		out.Status = http.StatusOK
	}
	if out.URL == "" {
		out.URL = out.FinalURL
	}
	out.MediaType = mediaType(ct, block)
	if isTextual(out.MediaType) {
		out.HTML, out.Charset = Decode(block, ct, req.Charset)
	}
	return out, nil
}

// readWARCRecord reads one gzipped WARC record: its header fields (names in
// lower case) and its block.
func readWARCRecord(record []byte) (map[string]string, []byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(record))
	if err != nil {
		return nil, nil, fmt.Errorf("不是 gzip 压缩的 WARC 记录: %w", err)
	}
	zr.Multistream(false)
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, nil, fmt.Errorf("WARC 记录解压失败: %w", err)
	}
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if end < 0 || !bytes.HasPrefix(raw, []byte("WARC/")) {
		return nil, nil, errors.New("WARC 记录头不完整")
	}
	fields := map[string]string{}
	for _, line := range strings.Split(string(raw[:end]), "\r\n")[1:] {
		k, v, ok := strings.Cut(line, ":")
		if ok {
			fields[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
	n, err := strconv.Atoi(fields["content-length"])
	rest := raw[end+4:]
	if err != nil || n < 0 || n > len(rest) {
		return nil, nil, errors.New("WARC 记录的 Content-Length 无效")
	}
	return fields, rest[:n], nil
}

// ResponseRecord makes the WARC response record of an answer, as Fetch
// records one, for answers made without fetching (test doubles of a site).
func ResponseRecord(u string, at time.Time, status int, header http.Header, body []byte) (gongkai.Capture, error) {
	return buildCapture(captureInput{URL: u, At: at, Proto: "HTTP/1.1", Status: status, Header: header, Body: body})
}

// RecordFields reads the WARC header fields of one stored record (one
// gzip member), names in lower case, and checks that the block is as long
// as its Content-Length says.
func RecordFields(record []byte) (map[string]string, error) {
	fields, _, err := readWARCRecord(record)
	return fields, err
}
