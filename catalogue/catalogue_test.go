package catalogue

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var seedCodes = []string{"1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4"}

func TestDefaultIsTheSeedTable(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := c.Codes(); !slices.Equal(got, seedCodes) {
		t.Fatalf("codes = %v, want %v", got, seedCodes)
	}
	credit := []string{"1.1", "1.2", "1.4", "1.5", "1.6", "1.7", "2.1", "2.2", "2.3", "2.4"}
	for _, it := range c.Items {
		wantDays := 20
		if it.Code == "3.1" || it.Code == "3.4" {
			wantDays = 7
		}
		if it.TimeLimit.Workdays != wantDays {
			t.Errorf("%s: workdays %d, want %d", it.Code, it.TimeLimit.Workdays, wantDays)
		}
		if !strings.Contains(it.TimeLimit.Text, "个工作日内") || !strings.HasPrefix(it.TimeLimit.Text, it.TimeLimit.From) {
			t.Errorf("%s: time limit text %q / from %q", it.Code, it.TimeLimit.Text, it.TimeLimit.From)
		}
		if !it.HasChannel(Website) {
			t.Errorf("%s: no 政府网站", it.Code)
		}
		if got, want := it.HasChannel(Credit), slices.Contains(credit, it.Code); got != want {
			t.Errorf("%s: credit system channel = %v, want %v", it.Code, got, want)
		}
		wantBoards := it.Code == "3.3" || it.Code == "3.4"
		if it.HasChannel(WeMedia) != wantBoards || it.HasChannel(Bulletin) != wantBoards {
			t.Errorf("%s: 两微一端=%v 公示栏=%v, want %v", it.Code, it.HasChannel(WeMedia), it.HasChannel(Bulletin), wantBoards)
		}
		if it.Subject != "市场监督管理部门" || !slices.Equal(it.Mode, []string{"主动"}) || !slices.Equal(it.Audience, []string{"全社会"}) {
			t.Errorf("%s: subject/mode/audience %q %q %q", it.Code, it.Subject, it.Mode, it.Audience)
		}
		if len(it.Elements) == 0 || len(it.Basis) == 0 {
			t.Errorf("%s: elements or basis empty", it.Code)
		}
	}
	// Spot checks against the seed's wording.
	it, _ := c.Item("2.1")
	if it.TimeLimit.From != "行政处罚决定形成之日" || !slices.Contains(it.Elements, "处罚依据") || !slices.Equal(it.Levels, []string{"县级", "乡级"}) {
		t.Errorf("2.1 = %+v", it)
	}
	it, _ = c.Item("1.3")
	if it.ChannelsNote == "" || it.HasChannel(Credit) {
		t.Errorf("1.3 ticks an empty 其他：, which must not become a channel: %+v", it)
	}
}

func TestDefaultReturnsIndependentCopies(t *testing.T) {
	a := Default()
	a.Items[0].Channels = append(a.Items[0].Channels, WeMedia)
	a.Items[0].TimeLimit.Workdays = 1
	b := Default()
	if b.Items[0].HasChannel(WeMedia) || b.Items[0].TimeLimit.Workdays != 20 {
		t.Error("Default() shares state between callers")
	}
}

func TestParseChannel(t *testing.T) {
	cases := map[string]Channel{
		"政府网站": Website, " 国家企业信用信息公示系统 ": Credit, "信用公示系统": Credit,
		"其他：国家企业信用信息公示系统": Credit, "两微一端": WeMedia, "公示栏": Bulletin,
		"社区/企事业单位/村公示栏（电子屏）": Bulletin, "政务服务中心": ServiceCenter,
	}
	for in, want := range cases {
		if got, ok := ParseChannel(in); !ok || got != want {
			t.Errorf("ParseChannel(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "微信", "网站2", "其他"} {
		if got, ok := ParseChannel(in); ok {
			t.Errorf("ParseChannel(%q) = %q, want unknown", in, got)
		}
	}
}

func TestApplyExampleVariant(t *testing.T) {
	base := Default()
	c, err := ApplyVariant(base, "../examples/catalogue-county.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.County != "泽州县" || c.Name != "泽州县食品药品监管领域基层政务公开标准目录" {
		t.Errorf("county %q name %q", c.County, c.Name)
	}
	if got := c.Codes(); !slices.Equal(got, seedCodes) {
		t.Errorf("codes changed: %v", got)
	}
	it, _ := c.Item("2.1")
	if !slices.Equal(it.Sub, []string{"食品生产行政处罚", "食品经营行政处罚"}) || !it.HasChannel(WeMedia) || !it.HasChannel(Credit) {
		t.Errorf("2.1 = %+v", it)
	}
	if n := len(it.Elements); n != 9 || it.Elements[n-1] != "处罚履行方式和期限" || !strings.HasSuffix(it.Content, "；处罚履行方式和期限") {
		t.Errorf("2.1 elements %v, content %q", it.Elements, it.Content)
	}
	it, _ = c.Item("1.1")
	if !slices.Equal(it.Levels, []string{"县级", "乡级"}) {
		t.Errorf("1.1 levels = %v", it.Levels)
	}
	if len(it.Sub) != 3 {
		t.Errorf("1.1 sub = %v", it.Sub)
	}
	it, _ = c.Item("3.1")
	if it.TimeLimit.Workdays != 5 || !strings.Contains(it.TimeLimit.Text, "5个工作日") {
		t.Errorf("3.1 = %+v", it.TimeLimit)
	}
	it, _ = c.Item("3.3")
	if it.TimeLimit.Workdays != 15 || !it.HasChannel(ServiceCenter) {
		t.Errorf("3.3 = %+v", it)
	}
	// The base is untouched.
	if bi, _ := base.Item("3.1"); bi.TimeLimit.Workdays != 7 || base.County != "" {
		t.Error("ApplyVariant modified its base")
	}
	if bi, _ := base.Item("2.1"); len(bi.Sub) != 0 || bi.HasChannel(WeMedia) {
		t.Error("ApplyVariant modified its base")
	}
}

func writeVariant(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "county.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApplyVariantErrorsNameFileLineKey(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string // each an expected error line suffix after FILE:
	}{
		{"looser limit", "county: 泽州县\nitems:\n  - code: \"2.1\"\n    workdays: 25\n",
			[]string{":4: workdays: 事项 2.1 的公开时限只能收紧：市级目录为20个工作日，不能放宽为25个工作日"}},
		{"unknown item", "county: 泽州县\nitems:\n  - code: 4.1\n    workdays: 5\n",
			[]string{":3: code: 市级目录中没有事项 \"4.1\""}},
		{"unknown county", "county: 晋中市\n", []string{":1: county: 未知县区 \"晋中市\""}},
		{"missing county", "items: []\n", []string{":1: county: 缺少县区"}},
		{"unknown keys", "county: 140525\ncolour: red\nitems:\n  - code: \"1.1\"\n    deadline: 3\n",
			[]string{":2: colour: 未知的键", ":5: deadline: 未知的键"}},
		{"bad channel and overlap", "county: 高平\nitems:\n  - code: \"3.2\"\n    channels: [政府网站, 抖音]\n    sub:\n      - 食品药品投诉举报\n",
			[]string{":4: channels: 未知公开渠道 \"抖音\"", ":6: sub: 三级事项 \"食品药品投诉举报\" 与一级、二级事项重叠（事项 3.3）"}},
		{"bad workdays", "county: 泽州县\nitems:\n  - code: \"1.1\"\n    workdays: abc\n  - code: \"1.2\"\n    workdays: 0\n",
			[]string{":4: workdays: 应为正整数", ":6: workdays: 应为正整数"}},
		{"duplicate item", "county: 泽州县\nitems:\n  - code: \"1.1\"\n  - code: \"1.1\"\n",
			[]string{":4: code: 事项 1.1 重复（第3行已有）"}},
		{"no code", "county: 泽州县\nitems:\n  - workdays: 3\n", []string{":3: code: 缺少事项编号"}},
		{"syntax", "county: 泽州县\nitems:\n  - code: \"1.1\n", []string{":3: YAML 语法错误"}},
		{"bad elements, basis and levels", "county: 泽州县\nitems:\n  - code: \"2.1\"\n    elements: [处罚对象, \"\"]\n    basis: [\"\"]\n    levels: [省级]\n",
			[]string{":4: elements: 事项 2.1 已有公开内容要素 \"处罚对象\"", ":4: elements: 不能为空", ":5: basis: 不能为空", ":6: levels: 未知公开层级 \"省级\""}},
	}
	for _, tc := range cases {
		p := writeVariant(t, tc.body)
		_, err := ApplyVariant(Default(), p)
		var ve VariantErrors
		if !errors.As(err, &ve) {
			t.Errorf("%s: err = %v, want VariantErrors", tc.name, err)
			continue
		}
		if len(ve) != len(tc.want) {
			t.Errorf("%s: %d errors, want %d:\n%v", tc.name, len(ve), len(tc.want), err)
			continue
		}
		for i, w := range tc.want {
			if got := ve[i].Error(); !strings.HasPrefix(got, p+w) {
				t.Errorf("%s: error %d = %q, want prefix %q", tc.name, i, got, p+w)
			}
		}
	}
}

// Added elements, 公开依据 and 公开层级 join the county's item after the
// city's, which are all kept; the base is untouched.
func TestApplyVariantAddsElementsBasisLevels(t *testing.T) {
	base := Default()
	p := writeVariant(t, "county: 泽州县\nitems:\n  - code: \"2.2\"\n    elements: [处罚时间]\n    basis: [《药品检查管理办法（试行）》]\n    levels: [县级, 乡级]\n")
	c, err := ApplyVariant(base, p)
	if err != nil {
		t.Fatal(err)
	}
	it, _ := c.Item("2.2")
	bi, _ := base.Item("2.2")
	if !slices.Equal(it.Elements, append(slices.Clone(bi.Elements), "处罚时间")) {
		t.Errorf("elements %v", it.Elements)
	}
	if !slices.Equal(it.Basis, append(slices.Clone(bi.Basis), "《药品检查管理办法（试行）》")) {
		t.Errorf("basis %v", it.Basis)
	}
	if !slices.Equal(it.Levels, []string{"县级", "乡级"}) || len(bi.Levels) != 0 || slices.Contains(bi.Elements, "处罚时间") {
		t.Errorf("levels %v; base %+v", it.Levels, bi)
	}
}

func TestApplyVariantEqualLimitAndNumericCode(t *testing.T) {
	// An unquoted code (2.1 as a YAML float) is read as written; an equal
	// limit is not a loosening.
	p := writeVariant(t, "county: 140581\nitems:\n  - code: 2.1\n    workdays: 20\n    channels: 政府网站\n")
	c, err := ApplyVariant(Default(), p)
	if err != nil {
		t.Fatal(err)
	}
	it, _ := c.Item("2.1")
	if c.County != "高平市" || it.TimeLimit.Workdays != 20 || len(it.Channels) != 2 {
		t.Errorf("county %q item %+v", c.County, it)
	}
	if _, err := ApplyVariant(Default(), filepath.Join(t.TempDir(), "absent.yaml")); err == nil {
		t.Error("missing file accepted")
	}
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := Default().WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back Catalogue
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Items) != 15 || back.Items[11].Code != "3.1" || back.Items[11].TimeLimit.Workdays != 7 {
		t.Errorf("round trip: %d items", len(back.Items))
	}
	if !strings.Contains(buf.String(), "\"国家企业信用信息公示系统\"") {
		t.Error("channels missing from JSON")
	}
}

func TestWriteMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := Default().WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	lines := strings.Split(md, "\n")
	var rows []string
	for _, l := range lines {
		if strings.HasPrefix(l, "| ") {
			rows = append(rows, l)
		}
	}
	if len(rows) != 16 {
		t.Fatalf("%d table lines, want header + 15:\n%s", len(rows), md)
	}
	if rows[0] != "| 编号 | 一级事项 | 二级事项 | 公开内容 | 公开依据 | 公开时限 | 公开渠道 | 公开层级 |" {
		t.Errorf("header = %q", rows[0])
	}
	if !strings.HasPrefix(rows[12], "| 3.1 | 公共服务 | 食品安全消费提示警示 | 食品安全消费提示、警示信息 |") ||
		!strings.Contains(rows[12], "| 信息形成之日起7个工作日内 | 政府网站 | 县级 |") {
		t.Errorf("3.1 row = %q", rows[12])
	}
	for _, r := range rows[1:] {
		if strings.Count(r, " | ") != 7 {
			t.Errorf("row has wrong cell count: %q", r)
		}
	}
	// A variant adds the 三级事项 column.
	c, err := ApplyVariant(Default(), "../examples/catalogue-county.yaml")
	if err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := c.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "| 三级事项 |") || !strings.Contains(buf.String(), "食品生产行政处罚、食品经营行政处罚") || !strings.Contains(buf.String(), "县区：泽州县") {
		t.Errorf("variant markdown lacks 三级事项:\n%s", buf.String())
	}
}
