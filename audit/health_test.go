package audit

import (
	"strings"
	"testing"

	"gongkai"
)

func healthOf(t *testing.T, r *Report, column string) ColumnHealth {
	t.Helper()
	for _, h := range r.ColumnHealth {
		if h.Column == column {
			return h
		}
	}
	t.Fatalf("no column_health for %s: %+v", column, r.ColumnHealth)
	return ColumnHealth{}
}

// The rules on a hand-made history: a news column past its two weeks with
// an undated item and a dead attachment (an unreadable one is not dead), a
// catalogue column within its six months whose page changed its declared
// date, a blank column; and no stale verdict from an incomplete sweep.
func TestColumnHealthRules(t *testing.T) {
	f := newAuditFixture(t)
	f.places[1].Kind = gongkai.KindNews // 食品安全抽检, as a news column
	f.places[2].Kind = gongkai.KindStatic
	penalty := penaltyPage("http://zezhou.example/xzcf/1.shtml", "泽市监罚〔2020〕12号", "2020-05-20")
	news := gongkai.Publication{URL: "http://zezhou.example/cj/1.shtml", Column: colSample, Title: "工作动态", Declared: mustDay("2020-05-25"),
		CaptureID: "urn:uuid:news", Attachments: []gongkai.Attachment{
			{URL: "http://zezhou.example/cj/a.pdf", Name: "a.pdf", Error: "HTTP 404"},
			{URL: "http://zezhou.example/cj/b.doc", Name: "b.doc", Error: "无法读取: 不支持的格式"},
		}}
	undated := gongkai.Publication{URL: "http://zezhou.example/cj/2.shtml", Column: colSample, Title: "通知"}
	f.siteSweep("2020-06-01", nil, penalty, news, undated)

	r := f.build("2020-06-30")
	n := healthOf(t, r, colSample)
	if !n.Stale || n.Newest != "2020-05-25" || n.DaysWithoutNew != 36 || n.AllowedDays != 14 || !strings.Contains(n.Verdict, HealthStale) {
		t.Errorf("news column: %+v", n)
	}
	if len(n.Evidence) != 1 || n.Evidence[0].URL != news.URL || n.Evidence[0].CaptureID != "urn:uuid:news" {
		t.Errorf("stale evidence: %+v", n.Evidence)
	}
	if len(n.Undated) != 1 || n.Undated[0].URL != undated.URL {
		t.Errorf("undated: %+v", n.Undated)
	}
	if len(n.DeadLinks) != 1 || n.DeadLinks[0].Link != "http://zezhou.example/cj/a.pdf" || n.DeadLinks[0].Page != news.URL {
		t.Errorf("dead links: %+v", n.DeadLinks)
	}
	p := healthOf(t, r, colPenalty)
	if p.Stale || p.Kind != gongkai.KindCatalogue || p.AllowedDays < 181 || p.Verdict != HealthOK {
		t.Errorf("catalogue column: %+v", p)
	}
	s := healthOf(t, r, colService)
	if !s.Blank || s.Stale || s.AllowedDays != 0 || s.Verdict != HealthBlank {
		t.Errorf("blank column: %+v", s)
	}

	// The page is re-published with another declared date; the news
	// column's next sweep fails.
	redated := penaltyPage(penalty.URL, "泽市监罚〔2020〕12号", "2020-06-28")
	redated.ContentHash = "h-redated"
	f.siteSweep("2020-07-01", []string{colSample}, redated)
	r = f.build("2020-07-02")
	n = healthOf(t, r, colSample)
	if n.Stale || n.Complete || !strings.HasPrefix(n.Verdict, HealthUnverified) {
		t.Errorf("news column after an incomplete sweep: %+v", n)
	}
	p = healthOf(t, r, colPenalty)
	if len(p.Redated) != 1 || p.Redated[0].From != "2020-05-20" || p.Redated[0].To != "2020-06-28" || !strings.Contains(p.Verdict, HealthRedated) {
		t.Errorf("redated: %+v", p)
	}

	f.withdraw("2020-07-03", penalty.URL)
	p = healthOf(t, f.build("2020-07-04"), colPenalty)
	if len(p.Withdrawn) != 1 || p.Withdrawn[0].Date != "2020-07-03" || p.Items != 0 {
		t.Errorf("withdrawn: %+v", p)
	}
}
