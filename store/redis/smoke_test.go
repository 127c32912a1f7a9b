package redis_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
	"gongkai/store"
	"gongkai/store/redis"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func openURL(t *testing.T, raw string) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Two handles on one store, as a harvester and a reporter on two machines:
// what one commits the other reads, through every kind of data.
func TestSmokeTwoHandles(t *testing.T) {
	ctx := context.Background()
	raw := testURL(t)
	harvester, reporter := openURL(t, raw), openURL(t, raw)

	recs := []records.Record{{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2026〕1号", FormedOn: calendar.Of(2026, 2, 1), Source: "r.csv"}}
	if sum, err := harvester.ImportRecords(ctx, recs); err != nil || sum != (store.ImportSummary{Added: 1}) {
		t.Fatalf("import: %+v %v", sum, err)
	}
	if got, err := reporter.Records(ctx, store.RecordQuery{County: "泽州县"}); err != nil || len(got) != 1 || got[0].RecordNo != recs[0].RecordNo {
		t.Fatalf("records from the other handle: %+v %v", got, err)
	}

	id, err := harvester.BeginSweep(ctx, gongkai.Sweep{Source: "zezhou", County: "泽州县", Channel: catalogue.Website, Started: t0})
	if err != nil {
		t.Fatal(err)
	}
	const u = "http://zezhou.example/xzcf/1.html"
	pub := gongkai.Publication{URL: u, County: "泽州县", Channel: catalogue.Website, Source: "zezhou", Column: "行政处罚",
		Title: "行政处罚决定书", ContentHash: "h1", Body: "泽市监罚〔2026〕1号", CaptureID: "<urn:uuid:p1>"}
	capture := gongkai.Capture{ID: "<urn:uuid:p1>", URL: u, At: t0, Type: "response", Status: 200, WARC: []byte("WARC/1.1\r\n")}
	col := gongkai.ColumnOutcome{Column: "行政处罚", Complete: true, ListPages: 1, Details: 1, ObservedAt: t0}

	// A group of two batches: the second sees what the first decided.
	ga, ok := harvester.(store.GroupApplier)
	if !ok {
		t.Fatal("redis store is not a GroupApplier")
	}
	edited := pub
	edited.ContentHash, edited.Body = "h2", "泽市监罚〔2026〕1号（更正）"
	res, err := ga.ApplyBatches(ctx, []store.Batch{
		{SweepID: id, At: t0, Publications: []gongkai.Publication{pub}, Captures: []gongkai.Capture{capture},
			FetchStates: []store.FetchState{{URL: u, ContentHash: "h1", LastStatus: 200, LastFetched: t0}}},
		{SweepID: id, At: t0.Add(time.Minute), Publications: []gongkai.Publication{edited}, Column: &col},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res[0] != (store.BatchResult{New: 1}) || res[1] != (store.BatchResult{Changed: 1}) {
		t.Errorf("group results = %+v, want New 1 then Changed 1", res)
	}
	if err := harvester.FinishSweep(ctx, id, t0.Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}

	sweeps, err := reporter.Sweeps(ctx, store.SweepQuery{Source: "zezhou"})
	if err != nil || len(sweeps) != 1 || !sweeps[0].Complete() || len(sweeps[0].Columns) != 1 {
		t.Fatalf("sweeps from the other handle: %+v %v", sweeps, err)
	}
	got, err := reporter.Publications(ctx, store.PublicationQuery{County: "泽州县", WithBodies: true})
	if err != nil || len(got) != 1 {
		t.Fatalf("publications: %+v %v", got, err)
	}
	if p := got[0]; p.Version != 2 || p.State != gongkai.Changed || p.Body != edited.Body || !p.FirstSeen.Equal(t0) {
		t.Errorf("publication = v%d %s %q first %v", p.Version, p.State, p.Body, p.FirstSeen)
	}
	n := 0
	err = reporter.(store.PublicationStreamer).EachPublication(ctx, store.PublicationQuery{}, func(gongkai.Publication) error { n++; return nil })
	if err != nil || n != 1 {
		t.Errorf("EachPublication: %d, %v", n, err)
	}
	if c, ok, err := reporter.Capture(ctx, capture.ID); err != nil || !ok || string(c.WARC) != string(capture.WARC) {
		t.Errorf("capture from the other handle: ok=%v err=%v", ok, err)
	}
	if f, ok, err := reporter.FetchState(ctx, u); err != nil || !ok || f.ContentHash != "h1" {
		t.Errorf("fetch state from the other handle: %+v ok=%v err=%v", f, ok, err)
	}
}

// Many writers deciding versions of one URL at once: WATCH makes each
// decision see the state it replaces, so the history has no gap and no
// duplicate, and every Changed counted is one stored version.
func TestConcurrentWritersOneURL(t *testing.T) {
	ctx := context.Background()
	raw := testURL(t)
	const u = "http://gaoping.example/p.html"
	const writers, each = 6, 8
	var mu sync.Mutex
	var total store.BatchResult
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for g := range writers {
		st := openURL(t, raw) // a connection pool each, as separate processes
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				p := gongkai.Publication{URL: u, County: "高平市", Channel: catalogue.Website, Source: "gaoping",
					ContentHash: fmt.Sprintf("h%d-%d", g, i)}
				// Each writer's observations are later than its previous ones;
				// between writers they interleave, so some are stale.
				at := t0.Add(time.Duration(i*writers+g) * time.Second)
				res, err := st.Apply(ctx, store.Batch{At: at, Publications: []gongkai.Publication{p}, Seen: []string{u}})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				total.New += res.New
				total.Changed += res.Changed
				total.Unchanged += res.Unchanged
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if total.New+total.Changed+total.Unchanged != writers*each || total.New != 1 {
		t.Errorf("results %+v: want %d publications counted, exactly one New", total, writers*each)
	}
	st := openURL(t, raw)
	vs, err := st.Versions(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != total.New+total.Changed {
		t.Errorf("%d versions stored, %d counted new or changed", len(vs), total.New+total.Changed)
	}
	for i, v := range vs {
		if v.Version != i+1 {
			t.Fatalf("version %d numbered %d: history has a gap or a duplicate", i+1, v.Version)
		}
		if i > 0 && v.FirstSeen.Before(vs[i-1].FirstSeen) {
			t.Errorf("version %d first seen %v before version %d (%v)", i+1, v.FirstSeen, i, vs[i-1].FirstSeen)
		}
	}
	p, ok, err := st.Publication(ctx, u)
	if err != nil || !ok || p.Version != len(vs) || p.ContentHash != vs[len(vs)-1].ContentHash {
		t.Errorf("current = v%d %s, want the last of %d versions (ok=%v err=%v)", p.Version, p.ContentHash, len(vs), ok, err)
	}
	if want := t0.Add(time.Duration(writers*each-1) * time.Second); !p.LastSeen.Equal(want) {
		t.Errorf("last seen %v, want the latest observation %v", p.LastSeen, want)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	// A port nobody listens on (the test server's port + 1 would not be sure).
	_, err := store.Open(ctx, "redis://127.0.0.1:1/0?dial_timeout=200ms")
	if err == nil || !strings.Contains(err.Error(), "无法连接 Redis 存储 127.0.0.1:1") {
		t.Errorf("unreachable server: %v", err)
	}
	_, err = store.Open(ctx, "redis://127.0.0.1:6379/notanumber")
	if err == nil || !strings.Contains(err.Error(), "存储地址无效") {
		t.Errorf("bad database number: %v", err)
	}
}

// A server that evicts keys when full would lose evidence: refused.
func TestRefusesEvictingServer(t *testing.T) {
	ctx := context.Background()
	raw := testURL(t)
	st := openURL(t, raw)
	c := st.(*redis.DB).Client()
	old, err := c.ConfigGet(ctx, "maxmemory-policy").Result()
	if err != nil {
		t.Skipf("CONFIG GET not allowed: %v", err)
	}
	if err := c.ConfigSet(ctx, "maxmemory-policy", "allkeys-lru").Err(); err != nil {
		t.Fatal(err)
	}
	defer c.ConfigSet(ctx, "maxmemory-policy", old["maxmemory-policy"])
	_, err = store.Open(ctx, raw)
	if err == nil || !strings.Contains(err.Error(), "noeviction") {
		t.Errorf("open with allkeys-lru: %v, want a refusal naming noeviction", err)
	}
}
