package main

import (
	"bytes"
	"strings"
	"testing"

	"gongkai/audit"
)

func TestWriteFindingsTable(t *testing.T) {
	findings := []audit.Finding{
		{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕12号", Status: audit.Late, LateWorkdays: 5, MissingElements: []string{"处罚依据"}},
		{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕12号", Status: audit.OnTime},
		{County: "泽州县", Item: "1.3", RecordNo: "DC20200525000123", Status: audit.OnTime,
			Notes: []string{audit.NoteBackdate + "：2020-06-10 完整观察的列表中没有此条目，首次发现于 2020-06-20"}},
		{County: "泽州县", Item: "3.1", RecordNo: "XF-2020-03", Status: audit.Missing},
		{County: "高平市", Item: "2.1", RecordNo: "高市监罚〔2020〕7号", Status: audit.Unverified},
		{County: "高平市", Item: "1.1", RecordNo: "高市监查〔2020〕3号", Status: audit.Pending},
		{County: "城区", Item: "2.2", RecordNo: "城市监罚〔2020〕1号", Status: audit.OnTime},
	}
	var buf bytes.Buffer
	if err := writeFindingsTable(&buf, findings); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"逾期公开", "要素不全", "发布日期存疑", "共 7 条：按时公开 3，逾期公开 1，未公开 1，未到期 1，待核实 1"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
