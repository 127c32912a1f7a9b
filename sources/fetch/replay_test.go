package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestReplayGivesTheRecordedAnswer: a stored capture read back is the
// answer Fetch returned — status, headers, decoded text of a GB18030 page
// sent gzipped, digest — and revisits or damaged records are refused.
func TestReplayGivesTheRecordedAnswer(t *testing.T) {
	enc, _ := Encoder("gbk")
	page, _ := enc.String(`<html><head><meta charset="gb2312"></head><body><a href="/a">张喆 行政处罚</a></body></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/list", http.StatusFound)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Date", "Mon, 03 Aug 2020 08:00:00 GMT")
		zw := gzip.NewWriter(w)
		zw.Write([]byte(page))
		zw.Close()
	}))
	defer srv.Close()
	f := newFetcher(t, fastHarvest(), srv)
	req := Request{URL: srv.URL + "/old", Kind: KindList}
	first, err := f.Fetch(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Replay(first.Capture, req)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL != req.URL || got.FinalURL != srv.URL+"/list" || got.Status != 200 || got.Digest != first.Digest ||
		!bytes.Equal(got.Body, first.Body) || got.HTML != first.HTML || !strings.Contains(got.HTML, "张喆") ||
		got.Charset != "gb18030" || got.MediaType != "text/html" || got.Header.Get("Date") != first.Header.Get("Date") ||
		got.Header.Get("ETag") != `"v1"` || got.Challenge {
		t.Errorf("replayed %+v\nfetched %+v", got, first)
	}

	second, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/list", ETag: `"v1"`, PrevDigest: first.Digest,
		PrevCaptureID: first.Capture.ID})
	if err != nil || !second.NotModified {
		t.Fatalf("304: %v %+v", err, second)
	}
	if _, err := Replay(second.Capture, req); err == nil {
		t.Error("a revisit record has no payload to replay")
	}
	damaged := first.Capture
	damaged.PayloadDigest = "sha256:" + strings.Repeat("0", 64)
	if _, err := Replay(damaged, req); err == nil {
		t.Error("a payload that does not match its digest was replayed")
	}
	damaged = first.Capture
	damaged.WARC = damaged.WARC[:len(damaged.WARC)/2]
	if _, err := Replay(damaged, req); err == nil {
		t.Error("a cut record was replayed")
	}
}

func TestRecordIDsAreTimeOrderedUUIDs(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for i := range 2000 {
		id, err := newRecordID()
		if err != nil {
			t.Fatal(err)
		}
		if len(id) != len("<urn:uuid:01890a5d-ac96-774b-bcce-b302099a8057>") || id[24] != '7' || !strings.ContainsAny(id[29:30], "89ab") {
			t.Fatalf("%s is not a version 7 UUID URN", id)
		}
		if seen[id] {
			t.Fatalf("%s made twice", id)
		}
		seen[id] = true
		// Within a millisecond the order is random; across, it follows time.
		if i%500 == 0 {
			if prev != "" && id[:23] < prev[:23] {
				t.Errorf("%s made after %s sorts before it", id, prev)
			}
			prev = id
			time.Sleep(2 * time.Millisecond)
		}
	}
}
