package audit_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gongkai/audit"
	"gongkai/catalogue"
	"gongkai/sources/harvest"
)

// TestAuditSameAfterIncrementalCreditLookups harvests the same world twice
// over the same weeks: once as scheduled (incremental sweeps, credit
// lookups only where one is owed), once re-walking and re-looking
// everything every time. The audits must give every record the same
// status, and neither may accuse a county the truth does not.
func TestAuditSameAfterIncrementalCreditLookups(t *testing.T) {
	if testing.Short() {
		t.Skip("harvests two simulated worlds four times")
	}
	const seed = 20201231
	inc, full := newE2EWorld(t, seed), newE2EWorld(t, seed)
	var looked, carried int
	sweep := func() {
		for _, s := range inc.harvest(t) {
			if s.Credit != nil {
				looked, carried = looked+s.Credit.Looked, carried+s.Credit.Carried
			}
		}
		full.harvestWith(t, harvest.Options{Full: true})
	}
	sweep()
	for range 3 {
		for _, e := range []*e2eWorld{inc, full} {
			e.w.AdvanceTo(e.w.AsOf().AddDays(15))
			e.importRecords(t)
		}
		sweep()
	}
	t.Logf("incremental sweeps: %d credit lookups made, %d carried", looked, carried)
	if carried == 0 {
		t.Fatal("the incremental sweeps carried no credit lookup: nothing was compared")
	}
	ri, rf := inc.build(t), full.build(t)
	truth := inc.w.Truth()
	compareWithTruth(inc, ri, truth).check(t, "incremental")
	compareWithTruth(full, rf, full.w.Truth()).check(t, "full")

	status := func(r *audit.Report) map[string]audit.Status {
		out := map[string]audit.Status{}
		for _, f := range r.Findings {
			out[fmt.Sprintf("%s %s %s %s", f.County, f.Item, f.RecordNo, f.Channel)] = f.Status
		}
		return out
	}
	si, sf := status(ri), status(rf)
	var diff []string
	credit := 0
	for k, s := range sf {
		if strings.HasSuffix(k, string(catalogue.Credit)) {
			credit++
		}
		if si[k] != s {
			diff = append(diff, fmt.Sprintf("%s: incremental %s, full %s", k, si[k], s))
		}
	}
	for k := range si {
		if _, ok := sf[k]; !ok {
			diff = append(diff, k+": only in the incremental audit")
		}
	}
	slices.Sort(diff)
	if len(diff) > 0 || credit == 0 {
		t.Errorf("%d of %d findings (%d on the credit system) differ:\n%s", len(diff), len(sf), credit, strings.Join(diff, "\n"))
	}
}
