package reports

import (
	"bytes"
	"strings"
	"testing"
)

func TestRenderFindingsTable(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderFindingsTable(&buf, renderSampleReport().Findings); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"逾期公开", "要素不全", "发布日期存疑", "共 7 条：按时公开 3，逾期公开 1，未公开 1，未到期 1，待核实 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
