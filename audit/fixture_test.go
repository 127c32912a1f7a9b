package audit

import (
	"context"
	"fmt"
	"gongkai"
	"strings"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
	"gongkai/store"
	_ "gongkai/store/sqlite"
)

// auditFixture is a real SQLite store filled by hand: records, sweeps with
// their column outcomes, publications and credit lookups, at chosen times.
type auditFixture struct {
	t      testing.TB
	ctx    context.Context
	st     store.Store
	places []Place
}

const (
	zezhou     = "泽州县"
	zezhouSite = "泽州县人民政府信息公开"
	creditSrc  = "国家企业信用信息公示系统"
	colPenalty = "行政处罚"
	colSample  = "食品安全抽检"
	colService = "公共服务"
)

func newAuditFixture(t testing.TB) *auditFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite://"+t.TempDir()+"/t.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &auditFixture{t: t, ctx: ctx, st: st, places: []Place{
		{County: zezhou, Source: zezhouSite, Channel: catalogue.Website, Column: colPenalty, Items: []string{"2.1", "2.2", "2.3", "2.4"}},
		{County: zezhou, Source: zezhouSite, Channel: catalogue.Website, Column: colSample, Items: []string{"1.3"}},
		{County: zezhou, Source: zezhouSite, Channel: catalogue.Website, Column: colService, Items: []string{"1.1", "3.1", "3.2", "3.3", "3.4"}},
		{Source: creditSrc, Channel: catalogue.Credit, Items: []string{"1.1", "1.2", "1.4", "1.5", "1.6", "1.7", "2.1", "2.2", "2.3", "2.4"}},
	}}
}

// at is 09:00 China time on a day.
func at(date string) time.Time {
	d := mustDay(date)
	return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, calendar.China)
}

func mustDay(s string) calendar.Date {
	d, err := calendar.ParseISO(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (f *auditFixture) records(recs ...records.Record) {
	f.t.Helper()
	if _, err := f.st.ImportRecords(f.ctx, recs); err != nil {
		f.t.Fatal(err)
	}
}

// siteSweep records a sweep of 泽州县's site on a day: the given
// publications are first seen during it; every column is observed
// completely unless named in incomplete.
func (f *auditFixture) siteSweep(date string, incomplete []string, pubs ...gongkai.Publication) {
	f.t.Helper()
	start := at(date)
	id, err := f.st.BeginSweep(f.ctx, gongkai.Sweep{Source: zezhouSite, County: zezhou, Channel: catalogue.Website, Started: start})
	if err != nil {
		f.t.Fatal(err)
	}
	for i := range pubs {
		p := &pubs[i]
		p.County, p.Channel, p.Source = zezhou, catalogue.Website, zezhouSite
		if p.Column == "" {
			p.Column = colPenalty
		}
		if p.ContentHash == "" {
			p.ContentHash = fmt.Sprintf("h-%s-%s", p.URL, p.Title)
		}
		if p.Evidence == "" {
			p.Evidence = "sha256:" + strings.Repeat("ab", 32)
		}
	}
	if len(pubs) > 0 {
		if _, err := f.st.Apply(f.ctx, store.Batch{SweepID: id, At: start.Add(time.Minute), Publications: pubs}); err != nil {
			f.t.Fatal(err)
		}
	}
	for _, pl := range f.places {
		if pl.Source != zezhouSite {
			continue
		}
		c := gongkai.ColumnOutcome{Column: pl.Column, Items: pl.Items, Complete: true, ListPages: 1, ObservedAt: start.Add(5 * time.Minute)}
		for _, bad := range incomplete {
			if bad == pl.Column {
				c.Complete, c.ListFailed, c.Errors = false, 1, []string{"http://zezhou.example/" + pl.Column + "/index_1.shtml: HTTP 503"}
			}
		}
		if _, err := f.st.Apply(f.ctx, store.Batch{SweepID: id, At: c.ObservedAt, Column: &c}); err != nil {
			f.t.Fatal(err)
		}
	}
	if err := f.st.FinishSweep(f.ctx, id, start.Add(10*time.Minute), false); err != nil {
		f.t.Fatal(err)
	}
}

// withdraw records a full sweep on a day that finds a page gone.
func (f *auditFixture) withdraw(date string, url string) {
	f.t.Helper()
	id, err := f.st.BeginSweep(f.ctx, gongkai.Sweep{Source: zezhouSite, County: zezhou, Channel: catalogue.Website, Started: at(date), Full: true})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.st.Apply(f.ctx, store.Batch{SweepID: id, At: at(date).Add(time.Minute), Withdrawn: []string{url}}); err != nil {
		f.t.Fatal(err)
	}
	if err := f.st.FinishSweep(f.ctx, id, at(date).Add(10*time.Minute), false); err != nil {
		f.t.Fatal(err)
	}
}

// creditLookup is one enterprise's lookup in a credit sweep.
type creditLookup struct {
	key      string
	observed bool
	reason   string
	rows     []gongkai.Publication
}

// creditSweep records a sweep of the credit system on a day.
func (f *auditFixture) creditSweep(date string, lookups ...creditLookup) {
	f.t.Helper()
	start := at(date)
	id, err := f.st.BeginSweep(f.ctx, gongkai.Sweep{Source: creditSrc, Channel: catalogue.Credit, Started: start})
	if err != nil {
		f.t.Fatal(err)
	}
	for i, l := range lookups {
		when := start.Add(time.Duration(i+1) * time.Minute)
		for j := range l.rows {
			p := &l.rows[j]
			p.Channel, p.Source = catalogue.Credit, creditSrc
			if p.County == "" {
				p.County = zezhou
			}
			if p.ContentHash == "" {
				p.ContentHash = "h-" + p.URL
			}
		}
		b := store.Batch{SweepID: id, At: when, Publications: l.rows,
			Credit: []gongkai.CreditLookup{{County: zezhou, Key: l.key, At: when, Observed: l.observed, Reason: l.reason}}}
		if _, err := f.st.Apply(f.ctx, b); err != nil {
			f.t.Fatal(err)
		}
	}
	if err := f.st.FinishSweep(f.ctx, id, start.Add(time.Hour), false); err != nil {
		f.t.Fatal(err)
	}
}

func (f *auditFixture) build(asOf string, mod ...func(*Options)) *Report {
	f.t.Helper()
	o := Options{AsOf: mustDay(asOf), Places: f.places, Now: at("2020-10-09")}
	for _, m := range mod {
		m(&o)
	}
	r, err := Build(f.ctx, f.st, o)
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

func finding(t *testing.T, r *Report, recordNo string, ch catalogue.Channel) Finding {
	t.Helper()
	var out []Finding
	for _, f := range r.Findings {
		if f.RecordNo == recordNo && f.Channel == string(ch) {
			out = append(out, f)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d findings for %s on %s", len(out), recordNo, ch)
	}
	return out[0]
}

func hasNote(f Finding, sub string) bool {
	for _, n := range f.Notes {
		if strings.Contains(n, sub) {
			return true
		}
	}
	return false
}

var websiteOnly = []catalogue.Channel{catalogue.Website}

// penaltyBody is a complete decision, minus the labelled lines named in drop.
func penaltyBody(no, party string, drop ...string) string {
	lines := []struct{ label, text string }{
		{"当事人", "当事人：" + party},
		{"案件名称", "案件名称：" + party + "销售过期食品案"},
		{"违法事实", "违法事实：经查，当事人于2020年6月销售超过保质期的食品。"},
		{"处罚依据", "处罚依据：《中华人民共和国食品安全法》第一百二十四条第一款"},
		{"处罚种类和内容", "处罚种类和内容：警告，罚款人民币5000元"},
		{"作出处罚决定部门", "作出处罚决定部门：泽州县市场监督管理局"},
		{"处罚时间", "处罚时间：2020年7月1日"},
		{"决定书文号", "决定书文号：" + no},
	}
	var b strings.Builder
	for _, l := range lines {
		skip := false
		for _, d := range drop {
			if d == l.label {
				skip = true
			}
		}
		if !skip {
			b.WriteString(l.text + "\n")
		}
	}
	return b.String()
}

func penaltyPage(url, no, declared string, drop ...string) gongkai.Publication {
	return gongkai.Publication{URL: url, Column: colPenalty, Candidates: []string{"2.1", "2.2", "2.3", "2.4"},
		Title: "行政处罚决定书（" + no + "）", Declared: mustDay(declared), DeclaredFrom: "list",
		Body: penaltyBody(no, "泽州县好运来超市", drop...)}
}
