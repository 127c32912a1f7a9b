package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/reports"
)

// The README's main command must do the whole job: serve, import, harvest,
// report — and the report must agree with the simulated world's truth.
func TestDemoWritesReportsThatAgreeWithTruth(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--out", dir}, &out); err != nil {
		t.Fatalf("demo failed: %v\n%s", err, out.String())
	}
	for _, ext := range []string{".html", ".xlsx", ".json", ".md"} {
		info, err := os.Stat(filepath.Join(dir, "report-2020-12-31"+ext))
		if err != nil || info.Size() == 0 {
			t.Errorf("report %s not written: %v", ext, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "report-2020-12-31.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep reports.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("JSON report does not parse: %v", err)
	}
	if rep.AsOf != "2020-12-31" || len(rep.Findings) == 0 || len(rep.Items) == 0 {
		t.Fatalf("report is empty: as_of %q, %d findings, %d items", rep.AsOf, len(rep.Findings), len(rep.Items))
	}
	if !strings.Contains(out.String(), "(100.0%)") {
		t.Errorf("demo report does not fully agree with the truth:\n%s", out.String())
	}
}
