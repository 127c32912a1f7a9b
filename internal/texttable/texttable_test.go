package texttable

import (
	"bytes"
	"strings"
	"testing"
)

func TestWidthCountsCJKAsTwoColumns(t *testing.T) {
	for s, want := range map[string]int{
		"":              0,
		"abc":           3,
		"泽州县":           6,
		"泽市监罚〔2020〕12号": 4*2 + 2*2 + 4 + 2 + 2,
		"ＡＢ１":           6,
		"e\u0301":       1, // e + combining acute
		"ｶﾀｶﾅ":          4, // half-width katakana
		"逾期公开、要素不全":     18,
		"2020-07-01":    10,
		"“引号”":          4 + 2, // curly quotes are ambiguous: one column
	} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
	if got := Truncate("食品安全监督抽检信息公告", 9); got != "食品安全…" || Width(got) > 9 {
		t.Errorf("truncated = %q", got)
	}
}

func TestWriteAlignsChineseColumns(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, []string{"县区", "编号", "逾期工作日", "名称"}, [][]string{
		{"泽州县", "泽市监罚〔2020〕12号", "5", "某超市\n处罚"},
		{"城区", "DC20200525000123", "12", ""},
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("lines = %q", lines)
	}
	// The number column is right-aligned under its header; the last column
	// starts at the same display column on every line.
	end := func(line string, at int, cell string) int { return Width(line[:at]) + Width(cell) }
	headerEnd := end(lines[0], strings.Index(lines[0], "逾期工作日"), "逾期工作日")
	if e := end(lines[2], strings.Index(lines[2], "5  某"), "5"); e != headerEnd {
		t.Errorf("5 ends at column %d, header at %d:\n%s", e, headerEnd, buf.String())
	}
	if e := end(lines[3], strings.LastIndex(lines[3], "12"), "12"); e != headerEnd {
		t.Errorf("12 ends at column %d, header at %d:\n%s", e, headerEnd, buf.String())
	}
	col := func(line, cell string) int { return Width(line[:strings.Index(line, cell)]) }
	if col(lines[2], "某超市 处罚") != col(lines[0], "名称") {
		t.Errorf("名称 column misaligned:\n%s", buf.String())
	}
	if strings.HasSuffix(lines[3], " ") {
		t.Errorf("trailing spaces: %q", lines[3])
	}
}
