package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"gongkai"
	"gongkai/audit"
	"gongkai/internal/browsertest"
	"gongkai/sim"
	"gongkai/sources/harvest"
)

// accusations compares one county's findings with the truth: how many
// records were judged, and the false accusations (missing or late where
// the truth says otherwise) and other disagreements.
func accusations(t *testing.T, r *audit.Report, truth *sim.Truth, county string) (n int, accused, differ []string) {
	t.Helper()
	byKey := map[string]audit.Finding{}
	for _, f := range r.Findings {
		byKey[f.County+"|"+f.Item+"|"+f.RecordNo+"|"+f.Channel] = f
	}
	for _, tr := range truth.Records {
		if tr.County != county {
			continue
		}
		n++
		f, ok := byKey[tr.County+"|"+tr.Item+"|"+tr.RecordNo+"|"+string(tr.Channel)]
		line := fmt.Sprintf("%s %s %s: %s %v; truth %s", tr.Item, tr.RecordNo, tr.Channel, f.Status, f.Notes, tr.Status)
		switch {
		case !ok:
			differ = append(differ, "no finding for "+line)
		case (f.Status == audit.Missing || f.Status == audit.Late) && string(f.Status) != tr.Status:
			accused = append(accused, line)
		case string(f.Status) != tr.Status || f.Status == audit.Late && f.LateWorkdays != tr.LateWorkdays:
			differ = append(differ, line)
		}
	}
	return n, accused, differ
}

func oneCounty(t *testing.T, opts sim.Options, county string) (*e2eWorld, []harvest.Summary, *audit.Report) {
	t.Helper()
	e := newSimE2EWorld(t, opts, nil)
	sums := e.harvestWith(t, harvest.Options{Only: []string{county}})
	return e, sums, e.build(t)
}

func scriptColumn(t *testing.T, sums []harvest.Summary) gongkai.ColumnOutcome {
	t.Helper()
	c, ok := columnOutcome(sums, sim.ScriptListCounty, sim.ScriptListColumn)
	if !ok {
		t.Fatalf("no outcome for column %s", sim.ScriptListColumn)
	}
	return c
}

// The county on a 集约化 platform (column shells, the list from a JSON
// endpoint with its total) is harvested through the endpoint, every
// column proven complete by the total, and audited with every status as
// the truth has it.
func TestAuditJSONAPICounty(t *testing.T) {
	if testing.Short() {
		t.Skip("harvests a simulated county")
	}
	e, sums, r := oneCounty(t, sim.Options{Seed: 1, Size: sim.Small, JSONAPI: true}, sim.JSONAPICounty)
	for _, s := range sums {
		if e.cfg.Credit != nil && s.Source == e.cfg.Credit.Name {
			continue
		}
		for _, c := range s.Columns {
			if !c.Complete || c.DeclaredTotal == 0 || c.Listed < c.DeclaredTotal {
				t.Errorf("%s %s: complete %v, declared %d, listed %d: %s", s.Source, c.Column, c.Complete, c.DeclaredTotal, c.Listed, c.Reason)
			}
		}
	}
	n, accused, differ := accusations(t, r, e.w.Truth(), sim.JSONAPICounty)
	if n == 0 {
		t.Fatal("the truth has no records of the county")
	}
	if len(accused) > 0 || len(differ) > 0 {
		t.Errorf("%d records: %d false accusations, %d other differences:\n%s", n, len(accused), len(differ), strings.Join(append(accused, differ...), "\n"))
	}
	t.Logf("%s: %d records, statuses as the truth has them", sim.JSONAPICounty, n)
}

// The column that renders only with JavaScript: with render: browser
// (as the generated sites.yaml says) it is read in the browser, complete,
// its rendered pages and the exchanges behind them kept as evidence, and
// the county audited as the truth has it. Without it the column lists
// nothing: incomplete, and its records unverified, never missing. Under
// CI=true a missing chromium fails the test.
func TestAuditScriptListColumn(t *testing.T) {
	if testing.Short() {
		t.Skip("harvests a simulated county in the browser")
	}
	browsertest.Path(t)
	opts := sim.Options{Seed: 1, Size: sim.Small, ScriptList: true}
	e, sums, r := oneCounty(t, opts, sim.ScriptListCounty)
	out := scriptColumn(t, sums)
	if !out.Complete || out.ListPages < 2 || out.Listed == 0 {
		t.Errorf("%s: complete %v, %d list pages, %d listed: %s", sim.ScriptListColumn, out.Complete, out.ListPages, out.Listed, out.Reason)
	}
	n, accused, differ := accusations(t, r, e.w.Truth(), sim.ScriptListCounty)
	t.Logf("%s: %d records; %s: %d list pages rendered, %d listed", sim.ScriptListCounty, n, sim.ScriptListColumn, out.ListPages, out.Listed)
	if len(accused) > 0 || len(differ) > 0 {
		t.Errorf("%d records: %d false accusations, %d other differences:\n%s", n, len(accused), len(differ), strings.Join(append(accused, differ...), "\n"))
	}
	// Evidence: a rendered DOM per list page, beside the document it was
	// rendered from.
	rendered, docs := 0, map[string]bool{}
	err := e.st.Captures(context.Background(), func(c gongkai.Capture) error {
		switch {
		case c.Type == "resource":
			rendered++
		case c.Type == "response" && strings.Contains(c.URL, "/spaqcj_xsjj/index"):
			docs[c.URL] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rendered != out.ListPages || len(docs) != out.ListPages {
		t.Errorf("evidence: %d rendered DOMs and %d documents for %d list pages", rendered, len(docs), out.ListPages)
	}

	// The same county configured without render: browser.
	plain := newSimE2EWorld(t, opts, func(_ *sim.Server, y string) string {
		return strings.Replace(y, "            render: browser\n", "", 1)
	})
	psums := plain.harvestWith(t, harvest.Options{Only: []string{sim.ScriptListCounty}})
	pout := scriptColumn(t, psums)
	if pout.Complete || !strings.Contains(pout.Reason, "未识别到任何条目") {
		t.Errorf("read over HTTP the column is complete %v: %s", pout.Complete, pout.Reason)
	}
	_, accused, _ = accusations(t, plain.build(t), plain.w.Truth(), sim.ScriptListCounty)
	if len(accused) > 0 {
		t.Errorf("read over HTTP, %d false accusations:\n%s", len(accused), strings.Join(accused, "\n"))
	}
}
