package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"gongkai"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/internal/auditsetup"
	"gongkai/records"
	"gongkai/sim"
	"gongkai/sources/fetch"
	"gongkai/sources/harvest"
	"gongkai/store"
)

// The demo's store (seed 1, as of 2020-12-31, small world), harvested
// once for every test of this file that needs it.
var demo struct {
	once     sync.Once
	dir      string
	storeURL string
	err      error
}

func demoStore(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("harvests the demo world")
	}
	demo.once.Do(func() {
		demo.dir, demo.err = os.MkdirTemp("", "gongkai-export-")
		if demo.err == nil {
			demo.storeURL, demo.err = buildDemoStore(demo.dir)
		}
	})
	if demo.err != nil {
		t.Fatal(demo.err)
	}
	return demo.storeURL
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demo.dir != "" {
		os.RemoveAll(demo.dir)
	}
	os.Exit(code)
}

// buildDemoStore does what cmd/demo does up to the harvest: the world's
// records imported, every source swept on the world's clock.
func buildDemoStore(dir string) (string, error) {
	ctx := context.Background()
	asOf := calendar.Of(2020, 12, 31)
	w, err := sim.Generate(sim.Options{Seed: 1, AsOf: asOf, Size: sim.Small})
	if err != nil {
		return "", err
	}
	srv, err := w.Serve()
	if err != nil {
		return "", err
	}
	defer srv.Close()
	sites, recsPath := filepath.Join(dir, "sites.yaml"), filepath.Join(dir, "records.csv")
	if err := os.WriteFile(sites, w.SitesYAML(srv), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(recsPath, w.RecordsCSV(), 0o644); err != nil {
		return "", err
	}
	storeURL := "sqlite://" + filepath.Join(dir, "gongkai.db")
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		return "", err
	}
	defer st.Close()
	setup, err := auditsetup.Load(sites, nil, "")
	if err != nil {
		return "", err
	}
	recs, err := records.ReadFile(recsPath, catalogue.Default(), setup.Calendar)
	if err != nil {
		return "", err
	}
	if _, err := st.ImportRecords(ctx, recs); err != nil {
		return "", err
	}
	h, err := harvest.New(harvest.Options{Config: setup.Config, Store: st, Now: sim.ObserverClock(asOf)})
	if err != nil {
		return "", err
	}
	_, err = h.Sweep(ctx)
	return storeURL, err
}

// warcRecord is one record as this test's own reader parses it.
type warcRecord struct {
	Fields map[string]string // names in lower case
	Block  []byte
}

// readWARCFile parses a .warc.gz independently of the code under test:
// gzip member by member (each must hold exactly one record), version
// line, header fields, a block of exactly Content-Length bytes followed
// by CRLFCRLF, and the block and payload digests recomputed.
func readWARCFile(t *testing.T, path string) []warcRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatalf("%s: not gzip: %v", path, err)
	}
	var out []warcRecord
	for i := 0; ; i++ {
		zr.Multistream(false)
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("gzip member %d: %v", i, err)
		}
		rec := parseRecord(t, i, raw)
		out = append(out, rec)
		if err := zr.Reset(br); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("gzip member %d: %v", i+1, err)
		}
	}
	return out
}

func parseRecord(t *testing.T, i int, raw []byte) warcRecord {
	t.Helper()
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	if end < 0 {
		t.Fatalf("record %d: no end of header", i)
	}
	lines := strings.Split(string(raw[:end]), "\r\n")
	if lines[0] != "WARC/1.1" && lines[0] != "WARC/1.0" {
		t.Fatalf("record %d: version line %q", i, lines[0])
	}
	rec := warcRecord{Fields: map[string]string{}}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ": ")
		if !ok {
			t.Fatalf("record %d: header line %q", i, l)
		}
		rec.Fields[strings.ToLower(k)] = v
	}
	for _, k := range []string{"warc-type", "warc-record-id", "warc-date", "content-length"} {
		if rec.Fields[k] == "" {
			t.Fatalf("record %d lacks %s: %v", i, k, rec.Fields)
		}
	}
	if _, err := time.Parse(time.RFC3339, rec.Fields["warc-date"]); err != nil {
		t.Errorf("record %d: WARC-Date %q", i, rec.Fields["warc-date"])
	}
	n, err := strconv.Atoi(rec.Fields["content-length"])
	rest := raw[end+4:]
	if err != nil || n != len(rest)-4 || !bytes.HasSuffix(rest, []byte("\r\n\r\n")) {
		t.Fatalf("record %d: Content-Length %q for a block of %d bytes (member holds %d after the header)", i, rec.Fields["content-length"], len(rest)-4, len(rest))
	}
	rec.Block = rest[:n]
	if d := rec.Fields["warc-block-digest"]; d != "" && d != sha256Of(rec.Block) {
		t.Errorf("record %d (%s): block digest %s, block hashes to %s", i, rec.Fields["warc-type"], d, sha256Of(rec.Block))
	}
	switch rec.Fields["warc-type"] {
	case "response", "request":
		j := bytes.Index(rec.Block, []byte("\r\n\r\n"))
		if j < 0 {
			t.Fatalf("record %d: HTTP message without end of head", i)
		}
		payload := rec.Block[j+4:]
		if d := rec.Fields["warc-payload-digest"]; d != "" && d != sha256Of(payload) {
			t.Errorf("record %d (%s %s): payload digest %s, payload hashes to %s", i, rec.Fields["warc-type"], rec.Fields["warc-target-uri"], d, sha256Of(payload))
		}
		if rec.Fields["warc-type"] == "request" && len(payload) > 0 && rec.Fields["warc-payload-digest"] == "" {
			t.Errorf("record %d: request with a body but no payload digest", i)
		}
	}
	return rec
}

func sha256Of(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

func exportTo(t *testing.T, storeURL string, args ...string) (path, stdout string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "evidence.warc.gz")
	code, out, stderr := runProgram(t, context.Background(), append([]string{"export-warc", "--store", storeURL, "--out", path}, args...)...)
	if code != 0 {
		t.Fatalf("export-warc %v: code %d\n%s%s", args, code, out, stderr)
	}
	return path, out
}

func TestExportWARCOfTheDemoStore(t *testing.T) {
	storeURL := demoStore(t)
	path, out := exportTo(t, storeURL)
	recs := readWARCFile(t, path)

	st, err := store.Open(context.Background(), storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var stored []gongkai.Capture
	if err := st.Captures(context.Background(), func(c gongkai.Capture) error { stored = append(stored, c); return nil }); err != nil {
		t.Fatal(err)
	}

	if recs[0].Fields["warc-type"] != "warcinfo" || recs[0].Fields["content-type"] != "application/warc-fields" ||
		!bytes.Contains(recs[0].Block, []byte("software: gongkai/")) || !bytes.Contains(recs[0].Block, []byte("format: WARC File Format 1.1")) {
		t.Fatalf("first record is not the warcinfo: %v\n%s", recs[0].Fields, recs[0].Block)
	}
	byID := map[string]warcRecord{}
	types := map[string]int{}
	posts := 0
	for _, r := range recs {
		if _, dup := byID[r.Fields["warc-record-id"]]; dup {
			t.Errorf("record ID %s twice", r.Fields["warc-record-id"])
		}
		byID[r.Fields["warc-record-id"]] = r
		types[r.Fields["warc-type"]]++
	}
	// Every stored capture is in the file, byte for byte as stored, and
	// every one has its request, pointing back at it.
	requests := map[string]warcRecord{}
	for _, r := range recs {
		if r.Fields["warc-type"] == "request" {
			requests[r.Fields["warc-concurrent-to"]] = r
		}
	}
	for _, c := range stored {
		r, ok := byID[c.ID]
		if !ok {
			t.Errorf("capture %s (%s) not exported", c.ID, c.URL)
			continue
		}
		if r.Fields["warc-type"] != c.Type || r.Fields["warc-target-uri"] != c.URL {
			t.Errorf("capture %s exported as %s %s, stored as %s %s", c.ID, r.Fields["warc-type"], r.Fields["warc-target-uri"], c.Type, c.URL)
		}
		req, ok := requests[c.ID]
		if !ok {
			t.Errorf("capture %s (%s) has no request record", c.ID, c.URL)
			continue
		}
		if req.Fields["warc-target-uri"] != c.URL || req.Fields["content-type"] != "application/http;msgtype=request" {
			t.Errorf("request of %s: %v", c.ID, req.Fields)
		}
		head, body, _ := bytes.Cut(req.Block, []byte("\r\n\r\n"))
		line, _, _ := bytes.Cut(head, []byte("\r\n"))
		u, _ := url.Parse(c.URL)
		method, target, _ := strings.Cut(string(line), " ")
		if !strings.HasPrefix(target, u.RequestURI()+" HTTP/1.") || !bytes.Contains(head, []byte("\r\nHost: "+u.Host)) ||
			!bytes.Contains(head, []byte("\r\nUser-Agent: gongkai/")) {
			t.Errorf("request of %s: head %q", c.URL, head)
		}
		if method == "POST" {
			posts++
			if _, err := url.ParseQuery(string(body)); err != nil || len(body) == 0 {
				t.Errorf("POST to %s without its form: %q", c.URL, body)
			}
			if !bytes.Contains(head, []byte("Content-Type: application/x-www-form-urlencoded")) {
				t.Errorf("POST to %s: head %q", c.URL, head)
			}
		}
	}
	if want := 1 + 2*len(stored); len(recs) != want {
		t.Errorf("%d records exported, want warcinfo + %d captures + their requests = %d (%v)", len(recs), len(stored), want, types)
	}
	if posts == 0 {
		t.Errorf("no POST among %d exchanges: the demo's credit searches and Hanweb dataproxy pages are POSTs", len(stored))
	}
	// Revisits refer to a record in the file.
	for _, r := range recs {
		if ref := r.Fields["warc-refers-to"]; ref != "" {
			if _, ok := byID[ref]; !ok {
				t.Errorf("revisit %s refers to %s, not in the file", r.Fields["warc-record-id"], ref)
			}
		}
	}
	// gowarc, in strict mode with digest validation, reads the same file.
	gf, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer gf.Close()
	rd, err := gowarc.NewWarcFileReaderFromStream(gf, 0, gowarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		r, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("gowarc record %d: %v", n, err)
		}
		if len(r.Validation) > 0 {
			t.Errorf("gowarc record %d: %v", n, r.Validation)
		}
		if v, err := r.WarcRecord.ValidateDigest(); err != nil || len(v) > 0 {
			t.Errorf("gowarc record %d (%s): digests %v %v", n, r.WarcRecord.Type(), err, v)
		}
		r.WarcRecord.Close()
		n++
	}
	if n != len(recs) {
		t.Errorf("gowarc read %d records, our reader %d", n, len(recs))
	}
	wantLine := fmt.Sprintf("%d 条 WARC 记录（warcinfo 1，response %d，revisit %d，request %d）", len(recs), types["response"], types["revisit"], types["request"])
	if !strings.Contains(out, wantLine) {
		t.Errorf("summary %q lacks %q", out, wantLine)
	}
	t.Logf("%d records: %v; %d POSTs", len(recs), types, posts)
}

func TestExportWARCFilters(t *testing.T) {
	storeURL := demoStore(t)
	st, err := store.Open(context.Background(), storeURL)
	if err != nil {
		t.Fatal(err)
	}
	var stored []gongkai.Capture
	err = st.Captures(context.Background(), func(c gongkai.Capture) error { stored = append(stored, c); return nil })
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	perCounty := map[string]int{}
	for _, c := range stored {
		if c.County == "" {
			t.Errorf("capture %s (%s) of a fresh harvest has no county", c.ID, c.URL)
		}
		perCounty[c.County]++
	}
	if len(perCounty) < 2 {
		t.Fatalf("captures of %d counties, want several: %v", len(perCounty), perCounty)
	}

	path, _ := exportTo(t, storeURL, "--county", "泽州")
	got := map[string]bool{}
	for _, r := range readWARCFile(t, path) {
		if t := r.Fields["warc-type"]; t == "response" || t == "revisit" {
			got[r.Fields["warc-record-id"]] = true
		}
	}
	for _, c := range stored {
		if (c.County == "泽州县") != got[c.ID] {
			t.Errorf("--county 泽州: capture %s of %s exported=%v", c.URL, c.County, got[c.ID])
		}
	}

	// Dates are China dates of the capture time: the demo harvests on the
	// evening of 2020-12-31 (20:00 China time, 12:00 UTC).
	day := calendar.FromTime(stored[0].At.In(calendar.China))
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--from", day.String(), "--to", day.String()}, len(stored)},
		{[]string{"--from", day.AddDays(1).String()}, 0},
		{[]string{"--to", day.AddDays(-1).String()}, 0},
	} {
		path, _ := exportTo(t, storeURL, tc.args...)
		n := 0
		for _, r := range readWARCFile(t, path) {
			if t := r.Fields["warc-type"]; t == "response" || t == "revisit" {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("export %v: %d captures, want %d", tc.args, n, tc.want)
		}
	}
}

func TestExportWARCRejectsBadFlags(t *testing.T) {
	dir := t.TempDir()
	storeURL := "sqlite://" + filepath.Join(dir, "x.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export-warc", "--store", storeURL}, "--out"},
		{[]string{"export-warc", "--store", storeURL, "--out", filepath.Join(dir, "a.warc.gz"), "--county", "火星县"}, "火星县"},
		{[]string{"export-warc", "--store", storeURL, "--out", filepath.Join(dir, "a.warc.gz"), "--from", "2020-13-01"}, "--from"},
		{[]string{"export-warc", "--store", storeURL, "--out", filepath.Join(dir, "a.warc.gz"), "--from", "2020-12-02", "--to", "2020-12-01"}, "早于"},
	} {
		code, _, stderr := runProgram(t, context.Background(), tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: code %d, stderr %q (want 2 and %q)", tc.args, code, stderr, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "a.warc.gz")); err == nil {
		t.Error("a refused export left a file")
	}
}

// TestExportWARCReadByWarcio has the export indexed by an independent
// reader, warcio.js (the library behind ReplayWeb.page), installed from
// npm into a temporary directory. Without node or npm the test is skipped,
// except under CI=true, where it fails.
func TestExportWARCReadByWarcio(t *testing.T) {
	npm, err1 := exec.LookPath("npm")
	node, err2 := exec.LookPath("node")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node and npm are needed for the independent WARC reader (warcio.js)")
		}
		t.Skip("node/npm not installed")
	}
	storeURL := demoStore(t)
	path, _ := exportTo(t, storeURL)
	recs := readWARCFile(t, path)

	dir := t.TempDir()
	install := exec.Command(npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "warcio@2")
	install.Dir = dir
	if out, err := install.CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("npm install warcio: %v\n%s", err, out)
		}
		t.Skipf("npm install warcio failed (offline?): %v\n%s", err, out)
	}
	cli := filepath.Join(dir, "node_modules", "warcio", "dist", "cli.js")
	run := func(args ...string) []map[string]any {
		t.Helper()
		cmd := exec.Command(node, append([]string{cli}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("warcio %v: %v\n%s", args, err, stderr.String())
		}
		var rows []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if i := strings.IndexByte(line, '{'); i >= 0 { // CDXJ: "urlkey timestamp {json}"
				var v map[string]any
				if err := json.Unmarshal([]byte(line[i:]), &v); err != nil {
					t.Fatalf("warcio %v: line %q: %v", args[0], line, err)
				}
				if i > 0 {
					v["_key"] = line[:i]
				}
				rows = append(rows, v)
			}
		}
		return rows
	}

	// warcio index: one row per record, same types, IDs and order.
	index := run("index", path, "-f", "offset", "warc-type", "warc-record-id", "warc-target-uri", "warc-concurrent-to")
	if len(index) != len(recs) {
		t.Fatalf("warcio indexed %d records, the file holds %d", len(index), len(recs))
	}
	for i, row := range index {
		if row["warc-type"] != recs[i].Fields["warc-type"] || row["warc-record-id"] != recs[i].Fields["warc-record-id"] {
			t.Errorf("record %d: warcio read %v, the file has %s %s", i, row, recs[i].Fields["warc-type"], recs[i].Fields["warc-record-id"])
		}
	}

	// warcio cdx-index pairs each request with its response the way
	// pywb and ReplayWeb.page look pages up: a POST's key carries its
	// method and form, so each dataproxy page replays as itself.
	cdx := run("cdx-index", path)
	pairs, posts := 0, 0
	for _, row := range cdx {
		if m, _ := row["mime"].(string); m == "warc/revisit" || row["status"] != nil {
			pairs++
		}
		if k, _ := row["_key"].(string); strings.Contains(k, "__wb_method=post") {
			posts++
		}
	}
	responses := 0
	for _, r := range recs {
		if t := r.Fields["warc-type"]; t == "response" || t == "revisit" {
			responses++
		}
	}
	if pairs < responses {
		t.Errorf("warcio cdx-index: %d entries for %d responses and revisits", pairs, responses)
	}
	if posts == 0 {
		t.Errorf("warcio cdx-index keyed no POST by its form: requests not paired with their responses")
	}
	t.Logf("warcio: %d records indexed, %d CDXJ entries (%d POSTs keyed by their form)", len(index), len(cdx), posts)
}

// A revisit in the cut whose original lies outside it brings the
// original along (written before it), so the file replays the page.
func TestExportWARCBringsARevisitsOriginal(t *testing.T) {
	ctx := context.Background()
	storeURL := "sqlite://" + filepath.Join(t.TempDir(), "r.db")
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	day1 := time.Date(2020, 12, 30, 23, 30, 0, 0, calendar.China) // 15:30 UTC: still the 30th in China
	orig, err := fetchResponseRecord("http://zezhou.example/a.html", day1, []byte("<p>原文</p>"))
	if err != nil {
		t.Fatal(err)
	}
	day2 := day1.Add(time.Hour) // 00:30 on the 31st in China, the 30th in UTC
	head := "WARC/1.1\r\nWARC-Type: revisit\r\nWARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest\r\n" +
		"WARC-Refers-To: " + orig.ID + "\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-00000000000b>\r\n" +
		"WARC-Date: " + day2.UTC().Format(time.RFC3339) + "\r\nWARC-Target-URI: http://zezhou.example/a.html\r\n" +
		"Content-Type: application/http;msgtype=response\r\n"
	block := "HTTP/1.1 200 OK\r\n\r\n"
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	fmt.Fprintf(zw, "%sContent-Length: %d\r\n\r\n%s\r\n\r\n", head, len(block), block)
	zw.Close()
	rev := gongkai.Capture{ID: "<urn:uuid:00000000-0000-4000-8000-00000000000b>", URL: orig.URL, At: day2, Type: "revisit", Status: 200,
		PayloadDigest: orig.PayloadDigest, WARC: buf.Bytes(), County: "泽州县"}
	orig.County = "泽州县"
	if _, err := st.Apply(ctx, store.Batch{At: day2, Captures: []gongkai.Capture{orig, rev}}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	path, out := exportTo(t, storeURL, "--from", "2020-12-31")
	recs := readWARCFile(t, path)
	var order []string
	for _, r := range recs {
		order = append(order, r.Fields["warc-type"]+" "+r.Fields["warc-record-id"])
	}
	want := []string{"warcinfo " + recs[0].Fields["warc-record-id"], "response " + orig.ID, "revisit " + rev.ID}
	if strings.Join(order, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant\n%s", strings.Join(order, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(out, "另含 1 条筛选范围以外的原始记录") || !strings.Contains(out, "2 次抓取没有请求记录") {
		t.Errorf("summary %q", out)
	}
	// The original alone is the 30th's (China time).
	path, _ = exportTo(t, storeURL, "--to", "2020-12-30")
	if recs := readWARCFile(t, path); len(recs) != 2 || recs[1].Fields["warc-record-id"] != orig.ID {
		t.Errorf("--to 2020-12-30: %d records", len(recs))
	}
}

func fetchResponseRecord(u string, at time.Time, body []byte) (gongkai.Capture, error) {
	return fetch.ResponseRecord(u, at, 200, http.Header{"Content-Type": {"text/html; charset=utf-8"}}, body)
}
