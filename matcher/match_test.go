package matcher

import (
	"gongkai"
	"slices"
	"testing"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
)

// Match runs the whole chain: the record's item settles the class of the
// page it was found on, a column configured without items classifies its
// publications, and a record found nowhere gets a link without matches.
func TestMatchSettlesClassesByLinkedRecords(t *testing.T) {
	decision := page("http://x/1", "行政处罚决定书（泽市监罚〔2020〕12号）", "", "2020-07-20", "2.1")
	notice := page("http://x/2", "局机关召开安全生产工作会议", "", "2020-07-21")
	notice.Column = "工作动态"
	recs := []records.Record{
		{County: "泽州县", Item: "2.2", RecordNo: "泽市监罚〔2020〕12号", FormedOn: day("2020-07-01")},
		{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕99号", FormedOn: day("2020-07-01")},
	}
	res := DefaultRules().Match(Input{
		Publications: []*gongkai.Publication{decision, notice},
		NoItem:       func(p *gongkai.Publication) bool { return p.Column == "工作动态" },
		Records:      recs,
		Channels:     [][]catalogue.Channel{{catalogue.Website}, {catalogue.Website}},
		Due:          func(*records.Record) calendar.Date { return 0 },
	})
	if len(res.Links) != 2 {
		t.Fatalf("%d links, want one per record × channel", len(res.Links))
	}
	for _, l := range res.Links {
		switch recs[l.Record].RecordNo {
		case "泽市监罚〔2020〕12号":
			if got := urls(l); !slices.Contains(got, decision.URL) {
				t.Errorf("record 12 linked to %v", got)
			}
		case "泽市监罚〔2020〕99号":
			if len(l.Matches) != 0 {
				t.Errorf("record 99 linked to %v", urls(l))
			}
		}
	}
	if got := res.Class(decision); got.Item != "2.2" || got.By != "record" {
		t.Errorf("decision page class %+v, want 2.2 by record", got)
	}
	if got := res.RecordNos(decision); !slices.Equal(got, []string{"泽市监罚〔2020〕12号"}) {
		t.Errorf("decision page records %v", got)
	}
	if got := res.Class(notice); got.By != "column" || got.Item != "" {
		t.Errorf("no-item column class %+v", got)
	}
}
