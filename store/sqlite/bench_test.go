package sqlite

import (
	"context"
	"fmt"
	"gongkai"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
	"gongkai/store"
)

// benchPublication is a penalty page of realistic size: ~2 KB of body, four
// metadata labels, an attachment with a small table, one disclosure.
func benchPublication(i int) gongkai.Publication {
	county := fmt.Sprintf("县%03d", i%120)
	no := fmt.Sprintf("市监罚〔2025〕%d号", i)
	return gongkai.Publication{
		URL:          fmt.Sprintf("http://county%03d.example/zwgk/xzcf/%d.html", i%120, i),
		County:       county,
		Channel:      catalogue.Website,
		Source:       county + "-gov",
		Column:       "行政处罚",
		Candidates:   []string{"2.1", "2.2"},
		Title:        "行政处罚信息公示 " + no,
		Declared:     calendar.Of(2025, 1, 1).AddDays(i % 365),
		DeclaredFrom: "PubDate",
		Metadata:     map[string]string{"索引号": "11140525MB0000000X/2025-" + strconv.Itoa(i), "发布机构": county + "市场监督管理局", "生成日期": "2025-03-01", "文号": no},
		Body:         strings.Repeat("当事人销售不符合食品安全标准的食品，违反了《中华人民共和国食品安全法》第三十四条的规定。", 24),
		Attachments: []gongkai.Attachment{{URL: fmt.Sprintf("http://county%03d.example/fj/%d.xlsx", i%120, i), Name: "附件.xlsx", Size: 20480,
			Evidence: "sha256:abcdef", Sheets: []gongkai.Sheet{{Name: "Sheet1", Rows: [][]string{{"序号", "当事人", "文号"}, {"1", "某某公司", no}}}}}},
		Disclosures: []gongkai.Disclosure{{Kind: "page", Text: "某某公司 " + no, DecisionNos: []string{no},
			USCCs: []string{"91140525MA0K000001"}, Parties: []string{"某某有限公司"}, Fields: map[string]string{"处罚种类": "罚款"}}},
		RecordNos:   []string{no},
		ContentHash: "sha256:" + strconv.Itoa(i),
		CaptureID:   fmt.Sprintf("<urn:uuid:%d>", i),
		Evidence:    "sha256:" + strconv.Itoa(i),
	}
}

// BenchmarkApply measures one harvest unit: a detail page with its capture
// (30 KB), fetch state and publication, plus 20 list sightings.
func BenchmarkApply(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	warc := []byte(strings.Repeat("x", 30<<10))
	start := time.Now()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := benchPublication(i)
		batch := store.Batch{
			At:           start.Add(time.Duration(i) * time.Millisecond),
			Captures:     []gongkai.Capture{{ID: p.CaptureID, URL: p.URL, At: start, Type: "response", Status: 200, WARC: warc}},
			FetchStates:  []store.FetchState{{URL: p.URL, ContentHash: p.ContentHash, LastStatus: 200, LastFetched: start}},
			Publications: []gongkai.Publication{p},
		}
		for j := max(0, i-20); j < i; j++ {
			batch.Seen = append(batch.Seen, benchPublication(j).URL)
		}
		if _, err := db.Apply(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPublications is the store size for BenchmarkPublications:
// GONGKAI_BENCH_PUBLICATIONS, default 50,000 (set 300000 for the report
// benchmark's province scale; filling it takes about a minute).
func benchPublications(b *testing.B) int {
	if s := os.Getenv("GONGKAI_BENCH_PUBLICATIONS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 50_000
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkPublications(b *testing.B) {
	ctx := context.Background()
	n := benchPublications(b)
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	fill := time.Now()
	const perBatch = 2000
	for i := 0; i < n; i += perBatch {
		batch := store.Batch{At: fill}
		for j := i; j < min(n, i+perBatch); j++ {
			batch.Publications = append(batch.Publications, benchPublication(j))
		}
		if _, err := db.Apply(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("filled %d publications in %v", n, time.Since(fill).Round(time.Millisecond))

	for _, bodies := range []bool{false, true} {
		b.Run(fmt.Sprintf("all/bodies=%v", bodies), func(b *testing.B) {
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				count := 0
				err := db.EachPublication(ctx, store.PublicationQuery{WithBodies: bodies}, func(p gongkai.Publication) error {
					count++
					return nil
				})
				if err != nil || count != n {
					b.Fatalf("%d publications, %v", count, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/publication")
			// CPU time is steadier than wall time on a shared machine.
			b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(b.N*n), "cpu-ns/publication")
		})
	}
	b.Run("one-county/bodies=true", func(b *testing.B) {
		for b.Loop() {
			ps, err := db.Publications(ctx, store.PublicationQuery{County: "县007", Channel: catalogue.Website, WithBodies: true})
			if err != nil || len(ps) == 0 {
				b.Fatalf("%d publications, %v", len(ps), err)
			}
		}
	})
}

// BenchmarkImportRecords imports a province's expected records (60,000) in
// one file, then the same file again (every record unchanged).
func BenchmarkImportRecords(b *testing.B) {
	ctx := context.Background()
	recs := make([]records.Record, 60_000)
	for i := range recs {
		recs[i] = records.Record{County: fmt.Sprintf("县%03d", i%120), Item: "2.1", RecordNo: fmt.Sprintf("市监罚〔2025〕%d号", i),
			Title: "销售过期食品案", Party: "某某有限公司", USCC: "91140525MA0K000001", FormedOn: calendar.Of(2025, 3, 1),
			Procedure: "普通", Penalty: "罚款", Source: "records.xlsx"}
	}
	for b.Loop() {
		b.StopTimer()
		db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, want := range []store.ImportSummary{{Added: len(recs)}, {Unchanged: len(recs)}} {
			sum, err := db.ImportRecords(ctx, recs)
			if err != nil || sum != want {
				b.Fatalf("%+v, %v; want %+v", sum, err, want)
			}
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
