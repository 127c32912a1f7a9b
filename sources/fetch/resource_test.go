package fetch

import (
	"testing"
	"time"
)

// The rendered DOM's resource record reads back under gowarc's strict
// validation, with its digests recomputed.
func TestResourceRecordValid(t *testing.T) {
	dom := []byte("<!DOCTYPE html>\n<html><body><ul><li><a href=\"/a/1.html\">关于某某公司的行政处罚决定</a></li></ul></body></html>")
	c, err := buildResource("http://127.0.0.1:1/list.html", time.Now(), "text/html; charset=utf-8", dom, "<urn:uuid:0190a0e2-0000-7000-8000-000000000001>")
	if err != nil {
		t.Fatal(err)
	}
	r := readBack(t, c.WARC)
	if r.header("WARC-Type") != "resource" || r.header("WARC-Payload-Digest") != PayloadDigest(dom) || string(r.block) != string(dom) ||
		r.header("WARC-Concurrent-To") != "<urn:uuid:0190a0e2-0000-7000-8000-000000000001>" || r.header("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("resource record %v", r.headers)
	}
}
