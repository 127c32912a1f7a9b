package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"gongkai"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/store"
	"gongkai/store/storetest"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestOpenThroughRegistry(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Chdir(dir)

	st, err := store.Open(ctx, "sqlite://gongkai.db")
	if err != nil {
		t.Fatal(err)
	}
	if got := st.(*DB).Path(); got != filepath.Join(dir, "gongkai.db") {
		t.Errorf("relative URL opened %s, want %s", got, filepath.Join(dir, "gongkai.db"))
	}
	st.Close()

	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	for rawURL, want := range map[string]string{
		"sqlite://data/x.db":                         filepath.Join(dir, "data", "x.db"),
		"sqlite://" + filepath.Join(dir, "abs.db"):   filepath.Join(dir, "abs.db"), // sqlite:///abs/path
		"sqlite:rel.db":                              filepath.Join(dir, "rel.db"),
		"SQLITE://upper.db":                          filepath.Join(dir, "upper.db"),
		"sqlite://data/%E5%B8%82%E5%B1%80.db":        filepath.Join(dir, "data", "市局.db"),
		"sqlite://" + filepath.Join(dir, "q%3Fx.db"): filepath.Join(dir, "q?x.db"),
	} {
		st, err := store.Open(ctx, rawURL)
		if err != nil {
			t.Errorf("%s: %v", rawURL, err)
			continue
		}
		if got := st.(*DB).Path(); got != want {
			t.Errorf("%s opened %s, want %s", rawURL, got, want)
		}
		st.Close()
		if _, err := os.Stat(want); err != nil {
			t.Errorf("%s: file not created: %v", rawURL, err)
		}
	}
	// The default URL is the embedded store in the working directory.
	st, err = store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such", "dir")
	_, err := store.Open(ctx, "sqlite://"+filepath.Join(missing, "gongkai.db"))
	if err == nil || !strings.Contains(err.Error(), "存储目录不存在") || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing directory: %v, want 存储目录不存在 naming %s", err, missing)
	}
	if err != nil && strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("opening created the missing directory")
	}

	_, err = store.Open(ctx, "sqlite://"+dir)
	if err == nil || !strings.Contains(err.Error(), "是一个目录") {
		t.Errorf("directory as store: %v", err)
	}

	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = store.Open(ctx, "sqlite://"+junk)
	if err == nil || !strings.Contains(err.Error(), "不是 gongkai 的 SQLite 存储文件") || !strings.Contains(err.Error(), junk) {
		t.Errorf("junk file: %v", err)
	}

	for _, raw := range []string{"sqlite://", "sqlite://:memory:"} {
		if _, err := store.Open(ctx, raw); err == nil {
			t.Errorf("%s: opened", raw)
		}
	}

	_, err = store.Open(ctx, "redis://127.0.0.1:6379/0")
	if !errors.Is(err, store.ErrRedisNotYet) || !strings.Contains(err.Error(), "请使用 sqlite://") {
		t.Errorf("redis: %v, want the not-yet message", err)
	}
}

func TestPathFromURL(t *testing.T) {
	for raw, want := range map[string]string{
		"sqlite://gongkai.db":         "gongkai.db",
		"sqlite:///var/lib/g.db":      "/var/lib/g.db",
		"sqlite://./x/g.db":           "./x/g.db",
		"sqlite://../g.db":            "../g.db",
		"sqlite:g.db":                 "g.db",
		"sqlite:///tmp/a%20b/g%23.db": "/tmp/a b/g#.db",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		got, err := PathFromURL(u)
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", raw, got, err, want)
		}
	}
}

func TestMigrationsOnReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	for range 3 {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		var n, maxV int
		if err := db.r.QueryRowContext(ctx, `SELECT count(*), max(version) FROM schema_version`).Scan(&n, &maxV); err != nil {
			t.Fatal(err)
		}
		if n != SchemaVersion() || maxV != SchemaVersion() {
			t.Errorf("schema_version has %d rows up to %d, want %d", n, maxV, SchemaVersion())
		}
		var mode string
		if err := db.r.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" {
			t.Errorf("journal_mode = %s, want wal", mode)
		}
		var fk int
		if err := db.w.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if fk != 1 {
			t.Error("foreign keys are off on the writer")
		}
		db.Close()
	}

	// A file from a newer gongkai is refused, not downgraded.
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `INSERT INTO schema_version (version, name) VALUES (?, 'future')`, SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "请升级 gongkai") {
		t.Errorf("newer schema: %v", err)
	}

	// A file from the development build whose version 1 had no current_id.
	old := filepath.Join(t.TempDir(), "old.db")
	db, err = Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, `ALTER TABLE publications DROP COLUMN current_id`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, old)
	if err == nil || !strings.Contains(err.Error(), "早期版本") || !strings.Contains(err.Error(), old) {
		t.Errorf("pre-release layout: %v", err)
	}
}

// A store written when records were keyed by the number as written is
// re-keyed on open: two spellings of one decision become one record, the
// later import's.
func TestRecordsRekeyedOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ key, no, title string }{
		{"泽州县|2.1|泽市监罚〔2020〕1号", "泽市监罚〔2020〕1号", "first import"},
		{"泽州县|1.1|jc-1", "jc-1", "inspection"},
		{"泽州县|2.1|泽市监罚[2020]1号", "泽市监罚[2020]1号", "second import"},
		{"泽州县|2.1|泽市监罚〔2020〕2号", "泽市监罚〔2020〕2号", "already canonical"},
	} {
		if _, err := db.w.ExecContext(ctx, `INSERT INTO records (key, county, item, record_no, title, formed_on) VALUES (?, '泽州县', ?, ?, ?, 1)`,
			r.key, strings.Split(r.key, "|")[1], r.no, r.title); err != nil {
			t.Fatal(err)
		}
	}
	// As a build before the key format was recorded left it.
	if _, err := db.w.ExecContext(ctx, `PRAGMA user_version = 0`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for range 2 { // the second open finds nothing to do
		db, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		var format int
		if err := db.r.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&format); err != nil || format != recordKeyFormat {
			t.Errorf("user_version after open = %d (%v), want %d", format, err, recordKeyFormat)
		}
		rows, err := db.r.QueryContext(ctx, `SELECT key, record_no, title FROM records ORDER BY key`)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var k, no, title string
			if err := rows.Scan(&k, &no, &title); err != nil {
				t.Fatal(err)
			}
			got = append(got, k+" "+no+" "+title)
		}
		rows.Close()
		want := []string{
			"泽州县|1.1|JC-1 jc-1 inspection",
			"泽州县|2.1|泽市监罚〔2020〕1号 泽市监罚[2020]1号 second import",
			"泽州县|2.1|泽市监罚〔2020〕2号 泽市监罚〔2020〕2号 already canonical",
		}
		if !slices.Equal(got, want) {
			t.Errorf("records after reopen:\n got %q\nwant %q", got, want)
		}
		db.Close()
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.BeginSweep(ctx, gongkai.Sweep{Source: "s", Started: time.Unix(1000, 0)})
	if err != nil {
		t.Fatal(err)
	}
	b := testBatch(id, 1, 3)
	if _, err := db.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, p := range b.Publications {
		got, ok, err := db.Publication(ctx, p.URL)
		if err != nil || !ok || got.Body != p.Body {
			t.Errorf("%s after reopen: ok=%v err=%v", p.URL, ok, err)
		}
	}
	c, ok, err := db.Capture(ctx, b.Captures[0].ID)
	if err != nil || !ok || string(c.WARC) != string(b.Captures[0].WARC) {
		t.Errorf("capture after reopen: ok=%v err=%v", ok, err)
	}
	sweeps, err := db.Sweeps(ctx, store.SweepQuery{})
	if err != nil || len(sweeps) != 1 || len(sweeps[0].Columns) != 1 {
		t.Errorf("sweeps after reopen: %+v %v", sweeps, err)
	}
}

// testBatch is batch number n of a harvest: per item a detail page capture,
// its fetch state and the publication, plus a column outcome.
func testBatch(sweepID int64, n, items int) store.Batch {
	when := time.Unix(1_770_000_000+int64(n), 0)
	b := store.Batch{SweepID: sweepID, At: when}
	for i := range items {
		u := fmt.Sprintf("http://zezhou.example/xzcf/%d-%d.html", n, i)
		capID := fmt.Sprintf("<urn:uuid:%d-%d>", n, i)
		b.Captures = append(b.Captures, gongkai.Capture{ID: capID, URL: u, At: when, Type: "response", Status: 200,
			PayloadDigest: "sha256:x", WARC: []byte(strings.Repeat("warc record bytes ", 200) + u)})
		b.FetchStates = append(b.FetchStates, store.FetchState{URL: u, ContentHash: "h", LastStatus: 200, LastFetched: when, CaptureID: capID})
		b.Publications = append(b.Publications, gongkai.Publication{URL: u, County: "泽州县", Channel: "政府网站",
			Source: "zezhou", Column: "行政处罚", Title: fmt.Sprintf("行政处罚 %d-%d", n, i), ContentHash: "h",
			Body: strings.Repeat("当事人违法事实", 100), CaptureID: capID, RecordNos: []string{fmt.Sprintf("泽市监罚〔2026〕%d号", n)}})
	}
	if sweepID != 0 {
		b.Column = &gongkai.ColumnOutcome{Column: fmt.Sprintf("col-%d", n%3), Complete: true, Details: items, ObservedAt: when}
	}
	return b
}

// TestConcurrentReadersWhileWriting: readers on the read pool run while the
// writer commits, and never see half a batch.
func TestConcurrentReadersWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	const batches, perBatch = 60, 4

	var done atomic.Bool
	var wg sync.WaitGroup
	var reads atomic.Int64
	errs := make(chan error, 8)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !done.Load() {
				ps, err := db.Publications(ctx, store.PublicationQuery{County: "泽州县"})
				if err != nil {
					errs <- err
					return
				}
				if len(ps)%perBatch != 0 {
					errs <- fmt.Errorf("reader saw %d publications, not a whole number of batches", len(ps))
					return
				}
				n := 0
				if err := db.Captures(ctx, func(gongkai.Capture) error { n++; return nil }); err != nil {
					errs <- err
					return
				}
				if n%perBatch != 0 {
					errs <- fmt.Errorf("reader saw %d captures, not a whole number of batches", n)
					return
				}
				reads.Add(1)
			}
		}()
	}
	for n := range batches {
		if _, err := db.Apply(ctx, testBatch(0, n, perBatch)); err != nil {
			t.Fatal(err)
		}
	}
	done.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if reads.Load() == 0 {
		t.Error("no read completed while writing")
	}
	ps, err := db.Publications(ctx, store.PublicationQuery{})
	if err != nil || len(ps) != batches*perBatch {
		t.Errorf("after writing: %d publications, %v; want %d", len(ps), err, batches*perBatch)
	}
}

// TestTwoHandlesOneFile: two stores on the same file (the harvester and the
// reporter as separate processes) both write without "database is locked".
func TestTwoHandlesOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var wg sync.WaitGroup
	for i, db := range []*DB{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 30 {
				if _, err := db.Apply(ctx, testBatch(0, i*1000+n, 2)); err != nil {
					t.Errorf("handle %d batch %d: %v", i, n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	ps, err := a.Publications(ctx, store.PublicationQuery{})
	if err != nil || len(ps) != 120 {
		t.Errorf("%d publications, %v; want 120", len(ps), err)
	}
}

func TestEachPublicationStopsOnError(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if _, err := db.Apply(ctx, testBatch(0, 1, 5)); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	err := db.EachPublication(ctx, store.PublicationQuery{WithBodies: true}, func(p gongkai.Publication) error {
		n++
		if p.Body == "" {
			t.Error("WithBodies walk without body")
		}
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("err=%v after %d calls", err, n)
	}
}

// TestApplyBatchesOneTransaction: batches of two sweeps commit together,
// each with its own result; an invalid batch among them commits none.
func TestApplyBatchesOneTransaction(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var sweeps []int64
	for _, src := range []string{"zezhou", "gaoping"} {
		id, err := db.BeginSweep(ctx, gongkai.Sweep{Source: src, County: "泽州县", Started: time.Unix(1_770_000_000, 0)})
		if err != nil {
			t.Fatal(err)
		}
		sweeps = append(sweeps, id)
	}
	first, second := testBatch(sweeps[0], 1, 2), testBatch(sweeps[1], 2, 3)
	res, err := db.ApplyBatches(ctx, []store.Batch{first, second})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].New != 2 || res[1].New != 3 {
		t.Fatalf("results %+v", res)
	}
	// Each row keeps its own blobs (the writer reuses its encoding buffers).
	for _, b := range []store.Batch{first, second} {
		for _, want := range b.Publications {
			got, ok, err := db.Publication(ctx, want.URL)
			if err != nil || !ok || got.Title != want.Title || !slices.Equal(got.RecordNos, want.RecordNos) {
				t.Errorf("%s: %+v %v %v", want.URL, got, ok, err)
			}
		}
	}
	for i, id := range sweeps {
		got, err := db.Sweeps(ctx, store.SweepQuery{Source: []string{"zezhou", "gaoping"}[i]})
		if err != nil || len(got) != 1 || got[0].ID != id || len(got[0].Columns) != 1 {
			t.Errorf("sweep %d: %+v %v", id, got, err)
		}
	}
	// Applying the same batches again changes nothing, as Apply would.
	res, err = db.ApplyBatches(ctx, []store.Batch{first, second})
	if err != nil || res[0].New != 0 || res[0].Unchanged != 2 || res[1].Unchanged != 3 {
		t.Fatalf("re-applied: %+v %v", res, err)
	}

	// A capture without an ID fails its batch, and the whole transaction.
	good, bad := testBatch(sweeps[0], 3, 1), testBatch(sweeps[1], 4, 1)
	bad.Captures[0].ID = ""
	if _, err := db.ApplyBatches(ctx, []store.Batch{good, bad}); err == nil {
		t.Fatal("want the bad batch's error")
	}
	if _, ok, err := db.Publication(ctx, good.Publications[0].URL); err != nil || ok {
		t.Errorf("the good batch of a failed transaction was committed (%v, %v)", ok, err)
	}
}

// A file written by schema version 1 gains the column outcomes' reasons
// (migration 002); its old outcomes read back with none.
func TestVersion1FileUpgradesColumnOutcomes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`, ms[0].sql,
		`INSERT INTO schema_version (version, name) VALUES (1, '001_initial.sql')`,
		`INSERT INTO sweeps (id, source, county, started) VALUES (7, 's', '泽州县', 1000)`,
		`INSERT INTO sweep_columns (sweep_id, column_name, complete, list_failed, errors) VALUES (7, '行政处罚', 0, 1, '["http://x/index_1.shtml: HTTP 503"]')`,
	} {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sweeps, err := db.Sweeps(ctx, store.SweepQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sweeps) != 1 || len(sweeps[0].Columns) != 1 {
		t.Fatalf("sweeps %+v", sweeps)
	}
	c := sweeps[0].Columns[0]
	if c.Reason != "" || c.FailedPages != nil || c.Blank || c.Listed != 0 || c.Why() != "http://x/index_1.shtml: HTTP 503" {
		t.Errorf("upgraded outcome %+v, why %q", c, c.Why())
	}
}

// A file written by schema version 2 keeps its fetch states through
// migration 003: "URL#list" rows become list entries, "URL#form" rows a
// POST's state with its form in a column of its own.
func TestVersion2FileMovesListAndFormStates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v2.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	const (
		get  = "http://x.example/col/index.shtml"
		post = "http://x.example/module/web/jpage/dataproxy.jsp"
		art  = "http://x.example/art/1.html"
	)
	for _, stmt := range []string{`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`, ms[0].sql, ms[1].sql,
		`INSERT INTO schema_version (version, name) VALUES (1, '001_initial.sql'), (2, '002_column_reasons.sql')`,
		`INSERT INTO fetch_state (url, etag, content_hash, last_status, last_fetched, capture_id) VALUES
			('` + get + `', '"e1"', 'sha256:g', 200, 1000, '<urn:uuid:g>'),
			('` + post + `#col=1&page=2', '', 'sha256:p', 200, 2000, '<urn:uuid:p>'),
			('` + art + `#list', '', 'sha256:sig', 0, 3000, ''),
			('` + art + `', '', 'sha256:a', 200, 3000, '<urn:uuid:a>')`,
	} {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	states, err := db.FetchStates(ctx, []string{"http://x.example/"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.FetchState{}
	for _, s := range states {
		got[s.URL+" "+s.Form] = s
	}
	if len(got) != 3 || got[get+" "].ETag != `"e1"` || got[post+" col=1&page=2"].CaptureID != "<urn:uuid:p>" ||
		got[art+" "].ContentHash != "sha256:a" {
		t.Errorf("fetch states after the upgrade: %+v", states)
	}
	es, err := db.ListEntries(ctx, []string{"http://x.example/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].URL != art || es[0].Signature != "sha256:sig" || !es[0].Seen.Equal(timeFromDB(3000)) {
		t.Errorf("list entries after the upgrade: %+v", es)
	}
}

// A file written by schema version 3 gains captures.county and
// captures.request (migration 004): a capture that is the evidence of a
// publication version or a credit lookup takes its county, the others
// (list pages had no link) stay unknown; none has a request record.
func TestVersion3FileGivesCapturesTheirCounty(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v3.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`, ms[0].sql, ms[1].sql, ms[2].sql,
		`INSERT INTO schema_version (version, name) VALUES (1, '001_initial.sql'), (2, '002_column_reasons.sql'), (3, '003_list_entries.sql')`,
		`INSERT INTO captures (seq, id, url, at, type, status, payload_digest, warc) VALUES
			(1, '<urn:uuid:pub>', 'http://x.example/art/1.html', 1000, 'response', 200, 'sha256:a', x'1f8b'),
			(2, '<urn:uuid:credit>', 'http://credit.example/c', 1000, 'response', 200, 'sha256:b', x'1f8b'),
			(3, '<urn:uuid:list>', 'http://x.example/col/index.shtml', 1000, 'response', 200, 'sha256:c', x'1f8b')`,
		`INSERT INTO publications (id, url, county, state, version, version_since, first_seen, last_seen)
			VALUES (1, 'http://x.example/art/1.html', '泽州县', 'current', 1, 1000, 1000, 1000)`,
		`INSERT INTO publication_versions (pub_id, version, state, capture_id, first_seen) VALUES (1, 1, 'current', '<urn:uuid:pub>', 1000)`,
		`INSERT INTO credit_lookups (county, key, at, observed, capture_id) VALUES ('高平市', 'k', 1000, 1, '<urn:uuid:credit>')`,
	} {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%.80s: %v", stmt, err)
		}
	}
	raw.Close()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for id, want := range map[string]string{"<urn:uuid:pub>": "泽州县", "<urn:uuid:credit>": "高平市", "<urn:uuid:list>": ""} {
		c, ok, err := db.Capture(ctx, id)
		if err != nil || !ok || c.County != want || c.Request != nil || string(c.WARC) != "\x1f\x8b" {
			t.Errorf("capture %s after the upgrade: %+v ok=%v err=%v, want county %q", id, c, ok, err, want)
		}
	}
}
