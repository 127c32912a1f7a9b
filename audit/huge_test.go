package audit

import (
	"fmt"
	"gongkai"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gongkai/catalogue"
	"gongkai/records"
)

// hugePageFixture is a county with a few hundred ordinary decisions and
// sampling notices, and — when huge is set — one more decision page whose
// body runs to about size bytes (an inline table of evidence, a whole year's
// cases pasted into one article).
func hugePageFixture(tb testing.TB, size int, numberInTitle bool) *auditFixture {
	tb.Helper()
	f := newAuditFixture(tb)
	var recs []records.Record
	var pubs []gongkai.Publication
	for i := 1; i <= 200; i++ {
		no := fmt.Sprintf("泽市监罚〔2020〕%d号", i)
		recs = append(recs, penaltyRecord(no, "2020-07-01"))
		pubs = append(pubs, penaltyPage(fmt.Sprintf("http://zz/p%d", i), no, "2020-07-10"))
	}
	for i := 1; i <= 20; i++ {
		no := fmt.Sprintf("DC2020052500%04d", i)
		recs = append(recs, records.Record{County: zezhou, Item: "1.3", RecordNo: no, Title: "大米", FormedOn: mustDay("2020-05-25")})
		pubs = append(pubs, gongkai.Publication{URL: fmt.Sprintf("http://zz/s%d", i), Column: colSample, Candidates: []string{"1.3"},
			Title: "食品安全监督抽检信息公告", Declared: mustDay("2020-06-01"), DeclaredFrom: "list",
			Body: "本次抽检由泽州县市场监督管理局组织实施，检验依据为GB 2762-2017等。",
			Disclosures: []gongkai.Disclosure{{Kind: "table-row", Ref: "表格第1行", SamplingNos: []string{no}, Fields: map[string]string{
				"抽样编号": no, "被抽样单位名称": "泽州县好运来超市", "样品名称": "大米", "生产日期/批号": "2020-05-01",
				"检验机构": "晋城市检验检测中心", "检验结果": "合格"}}}})
	}
	if size > 0 {
		no := "泽市监罚〔2020〕999号"
		recs = append(recs, penaltyRecord(no, "2020-07-01"))
		var b strings.Builder
		b.WriteString(penaltyBody(no, "泽州县好运来超市", "处罚依据"))
		line := "序号%d 泽州县某某超市 大米 2020年5月1日 合格 晋城市检验检测中心 GB 2762-2017 泽州县市场监督管理局 经查 第%d号 依据《食品安全法》\n"
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, line, i, i)
		}
		title := "行政处罚决定书（" + no + "）"
		if !numberInTitle {
			title = "行政处罚信息公开" // the number only in the text: the whole body is read for it
		}
		pubs = append(pubs, gongkai.Publication{URL: "http://zz/huge", Column: colPenalty, Candidates: []string{"2.1", "2.2", "2.3", "2.4"},
			Title: title, Declared: mustDay("2020-07-10"), DeclaredFrom: "list", Body: b.String()})
	}
	f.records(recs...)
	f.siteSweep("2020-09-01", nil, pubs...)
	return f
}

const hugePageSize = 20 << 20

// BenchmarkReportWithHugePage compares a report over a store holding one
// 20 MB page with the same report without it (issue 8: one 19 MB page made
// every report take 36 s instead of 0.3 s).
func BenchmarkReportWithHugePage(b *testing.B) {
	for _, c := range []struct {
		name          string
		size          int
		numberInTitle bool
	}{{"without", 0, true}, {"with20MB", hugePageSize, true}, {"with20MBNumberInText", hugePageSize, false}} {
		b.Run(c.name, func(b *testing.B) {
			f := hugePageFixture(b, c.size, c.numberInTitle)
			b.ResetTimer()
			for range b.N {
				f.build("2020-09-30")
			}
		})
	}
}

// TestReportWithHugePageIsBounded: a 20 MB page costs the report about
// what reading it costs, and the elements it was not read for are
// unverifiable, not missing. Wall time is the benchmark's business; the
// bound here is on memory allocated, which an element check over the
// whole text (it prepared four copies of it) or a quadratic scan of its
// identifiers exceeded many times.
func TestReportWithHugePageIsBounded(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation bounds are not measurable under the race detector (sync.Pool drops at random); the test runs in the plain go test of scripts/test.sh")
	}
	alloc := func(f *auditFixture) (uint64, *Report) {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		r := f.build("2020-09-30")
		runtime.ReadMemStats(&m1)
		return m1.TotalAlloc - m0.TotalAlloc, r
	}
	base, _ := alloc(hugePageFixture(t, 0, true))
	for _, numberInTitle := range []bool{true, false} {
		got, r := alloc(hugePageFixture(t, hugePageSize, numberInTitle))
		if limit := base + 3*hugePageSize; got > limit {
			t.Errorf("number in title %v: the report allocated %d MB with a %d MB page, %d MB without it; want at most %d MB",
				numberInTitle, got>>20, hugePageSize>>20, base>>20, limit>>20)
		}
		f := finding(t, r, "泽市监罚〔2020〕999号", catalogue.Website)
		if f.Status != OnTime || len(f.MissingElements) != 0 || !slices.Equal(f.UnverifiableElements, []string{"处罚依据"}) ||
			!hasNote(f, FlagElementsUnverified) {
			t.Errorf("number in title %v: the huge page's finding: %+v", numberInTitle, f)
		}
	}
}
