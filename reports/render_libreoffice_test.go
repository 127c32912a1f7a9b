package reports

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestXLSXOpensInLibreOffice reads the workbook with an independent
// implementation (LibreOffice, when installed: it is an optional 90 MB
// package, see testing.md §5) and checks every sheet converts with the
// Chinese text intact.
func TestXLSXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice is not installed (apt-get install --no-install-recommends libreoffice-calc-nogui)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "report.xlsx")
	var buf bytes.Buffer
	if err := RenderXLSX(&buf, renderSampleReport()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", out, in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	// LibreOffice exits 0 even when it cannot load a file: check outputs.
	for sheet, want := range map[string]string{
		"明细":     "泽市监罚〔2020〕12号",
		"逾期":     renderXSSTitle,
		"待核实":    `=HYPERLINK("http://evil")`,
		"汇总":     "泽州县",
		"发布日期存疑": "DC20200525000123",
	} {
		data, err := os.ReadFile(filepath.Join(out, "report-"+sheet+".csv"))
		if err != nil {
			t.Errorf("sheet %s not converted: %v", sheet, err)
			continue
		}
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Errorf("%s: %v", sheet, err)
			continue
		}
		found := false
		for _, row := range rows {
			for _, cell := range row {
				found = found || cell == want
			}
		}
		if !found {
			t.Errorf("%s: %q not found in %s", sheet, want, strings.Join(rows[min(1, len(rows)-1)], ","))
		}
	}
}
