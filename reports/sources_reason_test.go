package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"gongkai/audit"
)

// A column's reason for being incomplete, and a blank column, reach the
// JSON source entry and the 来源完整性 table (audit's
// TestSourcesSayWhyAColumnIsIncomplete shows the audit filling them).
func TestSourcesReasonRendered(t *testing.T) {
	const (
		column = "行政处罚"
		reason = "第 3 页（http://zezhou.example/xzcf/index_2.shtml）应答 HTTP 404，而栏目声明共 5 页"
	)
	r := renderSampleReport()
	r.Sources[0].Complete = false
	r.Sources[0].Failed = []string{column}
	r.Sources[0].Columns = []audit.SourceColumn{{Column: column, Reason: reason}, {Column: "通知公告", Complete: true, Blank: true}}

	var js bytes.Buffer
	if err := RenderJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Sources []struct {
			Source   string
			Complete bool
			Columns  []struct {
				Column   string
				Complete bool
				Reason   string
				Blank    bool
			}
		}
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Sources[0]
	if s.Source != r.Sources[0].Source || s.Complete || len(s.Columns) != 2 {
		t.Fatalf("JSON source %+v", s)
	}
	if c := s.Columns[0]; c.Column != column || c.Complete || c.Reason != reason {
		t.Errorf("JSON column %+v", c)
	}
	if c := s.Columns[1]; !c.Complete || !c.Blank || c.Reason != "" {
		t.Errorf("JSON blank column %+v", c)
	}

	var md bytes.Buffer
	if err := RenderMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), mdText(column+"（"+reason+"）")) || !strings.Contains(md.String(), "通知公告（空栏目") {
		t.Errorf("来源完整性 lacks the reason:\n%s", md.String())
	}
}
