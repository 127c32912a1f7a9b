package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gongkai/audit"
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
	var rep audit.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("JSON report does not parse: %v", err)
	}
	if rep.AsOf != "2020-12-31" || len(rep.Findings) == 0 || len(rep.Items) == 0 {
		t.Fatalf("report is empty: as_of %q, %d findings, %d items", rep.AsOf, len(rep.Findings), len(rep.Items))
	}
	m := agreementLine.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("demo output has no exact agreement line:\n%s", out.String())
	}
	if m[1] != m[2] || m[3] != "" {
		t.Errorf("demo report does not fully agree with the truth:\n%s", out.String())
	}
}

var agreementLine = regexp.MustCompile(`与模拟世界真值比对: (\d+)/(\d+) 一致(，\d+ 处不一致)?`)

// A few disagreements among many must show as a count and a list, never as
// a share rounded to 100.0%.
func TestPrintAgreementIsExact(t *testing.T) {
	a := agreed{Agree: 47108, Total: 47117}
	for i := range 9 {
		a.Diffs = append(a.Diffs, disagreement{County: "泽州县", Item: "2.1", RecordNo: fmt.Sprintf("泽市监罚〔2020〕%d号", 404+1000*i),
			Channel: "政府网站", Want: "ontime", Got: "missing"})
	}
	a.Diffs[8].Got = ""
	var out bytes.Buffer
	printAgreement(&out, a)
	text := out.String()
	if !strings.Contains(text, "47108/47117 一致，9 处不一致") || strings.Contains(text, "%") {
		t.Errorf("agreement not exact:\n%s", text)
	}
	if !strings.Contains(text, "泽州县 2.1 泽市监罚〔2020〕404号 政府网站: 真值 ontime，报告 missing") ||
		!strings.Contains(text, "泽市监罚〔2020〕8404号 政府网站: 真值 ontime，报告 （报告中无此条）") {
		t.Errorf("disagreements not listed:\n%s", text)
	}
	if n := strings.Count(text, "\n"); n != 10 {
		t.Errorf("%d lines, want the count and 9 disagreements:\n%s", n, text)
	}

	out.Reset()
	printAgreement(&out, agreed{Agree: 47117, Total: 47117})
	if got := out.String(); got != "   与模拟世界真值比对: 47117/47117 一致\n" {
		t.Errorf("full agreement printed %q", got)
	}
}
