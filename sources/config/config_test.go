package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "gongkai/sources/cms" // registers the CMS family presets
	"gongkai/sources/config"
)

const simShaped = `harvest: {delay: 0s, full_every: 7, max_pages: 200}
counties:
  - county: 泽州县
    catalogue: county-variant.yaml
    sources:
      - name: zezhou-xxgk
        preset: trs
        charset: auto
        columns:
          - name: 行政处罚
            url: http://127.0.0.1:18080/xxgk/xzcf/index.shtml
            items: ["2.1","2.2","2.3","2.4"]
            list: {item: "ul.list li", link: "a", title: "a@title", date: "span", docno: "td.doc"}
            paging: {kind: count-var, param: countPage}
            detail: {title: h1, date: ".pubdate", body: "div.TRS_Editor", metadata: "table.affairs-detail-head"}
            max_pages: 50
            pattern: "^/xxgk/.*"
          - name: 抽检
            url: http://127.0.0.1:18080/xxgk/cj/index.shtml
            items: ["1.3"]
  - county: "140581"
    sources:
      - name: gaoping
        preset: hanweb
        hosts: [files.example.gov.cn]
        columns:
          - {name: 公示, url: "http://127.0.0.1:18081/col/col123/index.html", items: ["2.1"]}
credit:
  name: gsxt
  url: http://127.0.0.1:18090/
  cookies: {__jsluid_h: "abc", __jsl_clearance_s: "def"}
  captcha: {geetest_challenge: "c", geetest_validate: "v", geetest_seccode: "s"}
`

func write(t *testing.T, name, text string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadSimShapedConfig(t *testing.T) {
	p := write(t, "sites.yaml", simShaped)
	if err := os.WriteFile(filepath.Join(filepath.Dir(p), "county-variant.yaml"), []byte("items: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(p)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Harvest.Delay != 0 {
		t.Errorf("delay: 0s must stay 0, got %v", c.Harvest.Delay)
	}
	if c.Harvest.PerHost != 1 || c.Harvest.Retries != 3 || c.Harvest.MaxBody != 20<<20 || c.Harvest.Timeout != 30*time.Second {
		t.Errorf("defaults not applied: %+v", c.Harvest)
	}
	if len(c.Counties) != 2 || c.Counties[0].County != "泽州县" || c.Counties[1].County != "高平市" || c.Counties[1].Code != "140581" {
		t.Fatalf("counties: %+v", c.Counties)
	}
	if !strings.HasSuffix(c.Counties[0].Catalogue, "county-variant.yaml") || !filepath.IsAbs(c.Counties[0].Catalogue) && !strings.Contains(c.Counties[0].Catalogue, string(filepath.Separator)) {
		t.Errorf("catalogue path not resolved against the config: %q", c.Counties[0].Catalogue)
	}
	zz := c.Counties[0].Sources[0]
	cf := zz.Columns[0]
	if cf.List.Item != "ul.list li" || cf.List.Title != "a@title" || cf.List.LinkPattern == nil {
		t.Errorf("list overrides/preset link pattern lost: %+v", cf.List)
	}
	if cf.Paging.Kind != config.PagingCountVar || cf.Paging.Param != "countPage" {
		t.Errorf("paging: %+v", cf.Paging)
	}
	if cf.MaxPages != 50 || cf.Pattern == nil || !cf.Pattern.MatchString("/xxgk/xzcf/t20200101_1.shtml") {
		t.Errorf("max_pages/pattern: %d %v", cf.MaxPages, cf.Pattern)
	}
	cj := zz.Columns[1]
	if cj.Paging.Kind != config.PagingCreatePageHTML || cj.List.DocNo != "td.affaires-doc-sizes" || cj.MaxPages != 200 {
		t.Errorf("trs preset not applied to a bare column: %+v %+v %d", cj.Paging, cj.List, cj.MaxPages)
	}
	if got := strings.Join(zz.Hosts, ","); got != "127.0.0.1:18080" {
		t.Errorf("hosts = %s", got)
	}
	gp := c.Counties[1].Sources[0]
	if got := strings.Join(gp.Hosts, ","); got != "127.0.0.1:18081,files.example.gov.cn" {
		t.Errorf("hanweb hosts = %s", got)
	}
	if gp.Columns[0].Paging.Kind != config.PagingHanweb || gp.Columns[0].Hosts == nil || gp.Columns[0].Source != "gaoping" {
		t.Errorf("hanweb column: %+v", gp.Columns[0])
	}
	if c.Credit == nil || c.Credit.Cookies["__jsl_clearance_s"] != "def" || c.Credit.Captcha["geetest_seccode"] != "s" {
		t.Errorf("credit: %+v", c.Credit)
	}
	if n := len(c.AllSources()); n != 2 {
		t.Errorf("AllSources = %d", n)
	}
}

func TestHarvestKeys(t *testing.T) {
	c, err := config.Parse("h.yaml", []byte(`harvest:
  delay: 250ms
  timeout: 5s
  retries: 0
  max_body: 2MiB
  user_agent: test-agent
  per_host: 2
  retry_after_cap: 1m
  retry_wait: 10ms
  retry_wait_max: 50ms
credit: {url: "http://127.0.0.1:1/"}
`))
	if err != nil {
		t.Fatal(err)
	}
	h := c.Harvest
	if h.Delay != 250*time.Millisecond || h.Timeout != 5*time.Second || h.Retries != 0 || h.MaxBody != 2<<20 ||
		h.UserAgent != "test-agent" || h.PerHost != 2 || h.RetryAfterCap != time.Minute || h.RetryWait != 10*time.Millisecond || h.RetryWaitMax != 50*time.Millisecond {
		t.Errorf("%+v", h)
	}
}

func TestErrorsNameFileLineAndKey(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"unknown item", `counties:
  - county: 泽州县
    sources:
      - name: a
        columns:
          - name: x
            url: http://127.0.0.1:1/a/
            items: ["2.1", "9.9"]
`, `sites.yaml:8: counties[0].sources[0].columns[0].items[1]: 未知的目录事项 "9.9"`},
		{"unknown key", `counties:
  - county: 泽州县
    sources:
      - name: a
        colums: []
`, `sites.yaml:5: counties[0].sources[0].colums: 未知的键 "colums"`},
		{"unknown county", `counties:
  - county: 太原市
    sources: []
`, `sites.yaml:2: counties[0].county: 未知的县区 "太原市"`},
		{"json-api without api", `counties:
  - county: 泽州县
    sources:
      - name: a
        preset: jsonapi
        columns: [{name: x, url: "http://127.0.0.1:1/a/", items: ["2.1"]}]
`, `sites.yaml:6: counties[0].sources[0].columns[0].paging.api: json-api 翻页须写明接口 api`},
		{"api under another kind", `counties:
  - county: 泽州县
    sources:
      - name: a
        preset: generic
        columns:
          - name: x
            url: "http://127.0.0.1:1/a/"
            items: ["2.1"]
            paging: {api: {url: "/api/list", entries: data, link: url}}
`, `sites.yaml:10: counties[0].sources[0].columns[0].paging.api: api 只用于 json-api 翻页`},
		{"api without link", `counties:
  - county: 泽州县
    sources:
      - name: a
        preset: jsonapi
        columns:
          - name: x
            url: "http://127.0.0.1:1/a/"
            items: ["2.1"]
            paging: {api: {url: "/api/list", entries: data}}
`, `sites.yaml:10: counties[0].sources[0].columns[0].paging.api.link: 缺少条目链接的 JSON 路径 link`},
		{"division code not in the table", `counties:
  - county: 某县
    code: "999999"
    sources: []
`, `sites.yaml:3: counties[0].code: 区划代码 999999 不在内置的全国县级区划代码表中`},
		{"name and code disagree", `counties:
  - county: 小店区
    code: "140106"
    sources: []
`, `sites.yaml:3: counties[0].code: 县区名称 小店区 与区划代码 140106（迎泽区）不符`},
		{"relative url", `counties:
  - county: 陵川县
    sources:
      - name: a
        columns:
          - {name: x, url: /a/index.shtml, items: [2.1]}
`, `sites.yaml:6: counties[0].sources[0].columns[0].url: 地址 "/a/index.shtml" 必须是`},
		{"bad duration", `harvest:
  delay: soon
credit: {url: "http://127.0.0.1:1/"}
`, `sites.yaml:2: harvest.delay: 应为时长`},
		{"unknown preset", `counties:
  - county: 城区
    sources:
      - name: a
        preset: wordpress
        columns: [{name: x, url: "http://h/a/", items: [1.1]}]
`, `sites.yaml:5: counties[0].sources[0].preset: 未知的预设 "wordpress"`},
		{"unknown paging kind", `counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - name: x
            url: http://h/a/
            items: [1.1]
            paging: {kind: infinite-scroll}
`, `sites.yaml:9: counties[0].sources[0].columns[0].paging.kind: 未知的翻页方式 "infinite-scroll"`},
		{"duplicate source", `counties:
  - county: 城区
    sources:
      - {name: a, columns: [{name: x, url: "http://h/a/", items: [1.1]}]}
  - county: 阳城县
    sources:
      - {name: a, columns: [{name: x, url: "http://g/a/", items: [1.1]}]}
`, `sites.yaml:7: counties[1].sources[0].name: 来源名称 "a" 重复（第 4 行已用过）`},
		{"pattern does not admit the column", `counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - name: x
            url: http://h/other/index.shtml
            items: [1.1]
            pattern: "^/xxgk/"
`, `sites.yaml:7: counties[0].sources[0].columns[0].url: 栏目地址的路径 "/other/index.shtml" 不符合 pattern`},
		{"bad regex", `counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - {name: x, url: "http://h/a/", items: [1.1], pattern: "(unclosed"}
`, `sites.yaml:6: counties[0].sources[0].columns[0].pattern: 正则表达式`},
		{"bad selector", `counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - name: x
            url: http://h/a/
            items: [1.1]
            list: {item: "ul li[", date: span}
`, `sites.yaml:9: counties[0].sources[0].columns[0].list.item: 选择器`},
		{"missing items", `counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - name: x
            url: http://h/a/
`, `sites.yaml:6: counties[0].sources[0].columns[0].items: 缺少`},
		{"null items", `counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - name: x
            url: http://h/a/
            items:
`, `sites.yaml:8: counties[0].sources[0].columns[0].items: 目录事项 items 没有值（不含目录事项的栏目写 items: []）`},
		{"syntax error", "counties:\n  - county: 城区\n    sources: [\n", `sites.yaml:`},
		{"catalogue missing", `counties:
  - county: 城区
    catalogue: nowhere.yaml
    sources: []
`, `sites.yaml:3: counties[0].catalogue: 找不到县区目录文件 "nowhere.yaml"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "sites.yaml")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			// Load with a relative name, as a person would type it.
			wd, _ := os.Getwd()
			if err := os.Chdir(dir); err != nil {
				t.Fatal(err)
			}
			defer os.Chdir(wd)
			_, err := config.Load("sites.yaml")
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error\n  %v\nwant it to contain\n  %s", err, tc.want)
			}
			var es config.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error is not config.Errors: %T", err)
			}
		})
	}
}

func TestAllErrorsReportedAtOnce(t *testing.T) {
	_, err := config.Parse("s.yaml", []byte(`counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - {name: x, url: "ftp://h/a/", items: ["7.7"]}
          - {name: y, url: "http://h/b/", items: [1.1], colour: red}
`))
	var es config.Errors
	if !errors.As(err, &es) || len(es) != 3 {
		t.Fatalf("want 3 errors, got %v", err)
	}
	for i := 1; i < len(es); i++ {
		if es[i].Line < es[i-1].Line {
			t.Errorf("errors not in line order: %v", err)
		}
	}
}

func TestScope(t *testing.T) {
	hosts := []string{"127.0.0.1:8080", "xxgk.jccq.gov.cn"}
	for u, want := range map[string]bool{
		"http://127.0.0.1:8080/a":        true,
		"http://127.0.0.1:8081/a":        false,
		"http://xxgk.jccq.gov.cn/a":      true,
		"https://XXGK.jccq.gov.cn:443/a": true,
		"http://evil.example/a":          false,
		"/relative":                      false,
	} {
		if got := config.InScope(hosts, u); got != want {
			t.Errorf("config.InScope(%s) = %v", u, got)
		}
	}
	if !config.InScope(nil, "http://anything/") {
		t.Error("empty scope must allow all")
	}
}

func TestSplitSelector(t *testing.T) {
	got := config.SplitSelector(`a@title || meta[name="x@y"]@content || td.t || @href`)
	want := []config.SelectorPart{{"a", "title"}, {`meta[name="x@y"]`, "content"}, {"td.t", ""}, {"", "href"}}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v want %+v", i, got[i], want[i])
		}
	}
}

// The shipped example must keep loading as the loader evolves.
func TestExampleJinchengLoads(t *testing.T) {
	c, err := config.Load("../../examples/jincheng.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Counties) == 0 || c.Counties[0].County != "城区" || c.Counties[0].Sources[0].Hosts[0] != "xxgk.jccq.gov.cn" || c.Credit == nil {
		t.Errorf("%+v", c)
	}
	col := c.Counties[0].Sources[0].Columns[0]
	if col.Paging.Kind != config.PagingCreatePageHTML || col.Items[0] != "1.3" || col.Pattern == nil {
		t.Errorf("%+v", col)
	}
}

// paging.naming and paging.form: the naming defaults by preset when only
// the way the count is read changes; form is the Hanweb dataproxy form.
func TestPagingNamingAndForm(t *testing.T) {
	c, err := config.Parse("sites.yaml", []byte(`counties:
  - county: 阳城县
    sources:
      - name: yc
        preset: intertid
        columns:
          - {name: a, url: "http://h/a/index.shtml", items: [2.1], paging: {kind: count-var, param: _pageCount}}
          - {name: b, url: "http://h/b/index.shtml", items: [2.1], paging: {kind: count-var, naming: trs}}
          - {name: c, url: "http://h/c/index.shtml", items: [2.1]}
      - name: yc2
        preset: trs
        paging: {kind: count-var}
        columns:
          - {name: a, url: "http://g/a/index.shtml", items: [2.1]}
          - {name: b, url: "http://g/b/index.shtml", items: [2.1], paging: {naming: intertid}}
      - name: lc
        preset: hanweb
        columns:
          - name: a
            url: "http://l/col/col4872311/index.html"
            items: [2.1]
            paging: {form: {webid: 35, unitid: "4872311"}}
`))
	if err != nil {
		t.Fatal(err)
	}
	srcs := c.Counties[0].Sources
	for _, tc := range []struct {
		col           config.Column
		kind, naming  string
		webid, unitid string
	}{
		{srcs[0].Columns[0], config.PagingCountVar, config.NamingIntertid, "", ""},
		{srcs[0].Columns[1], config.PagingCountVar, config.NamingTRS, "", ""},
		{srcs[0].Columns[2], config.PagingIntertid, config.NamingIntertid, "", ""},
		{srcs[1].Columns[0], config.PagingCountVar, config.NamingTRS, "", ""},
		{srcs[1].Columns[1], config.PagingCountVar, config.NamingIntertid, "", ""},
		{srcs[2].Columns[0], config.PagingHanweb, "", "35", "4872311"},
	} {
		p := tc.col.Paging
		if p.Kind != tc.kind || p.Naming != tc.naming || p.Form["webid"] != tc.webid || p.Form["unitid"] != tc.unitid {
			t.Errorf("%s/%s: paging %+v", tc.col.Source, tc.col.Name, p)
		}
	}
	if srcs[0].Columns[0].Paging.Param != "_pageCount" {
		t.Errorf("param lost: %+v", srcs[0].Columns[0].Paging)
	}
}

func TestPagingNamingAndFormErrors(t *testing.T) {
	head := "counties:\n  - county: 城区\n    sources:\n      - name: a\n        columns:\n          - name: x\n            url: http://h/a/index.shtml\n            items: [1.1]\n"
	for _, tc := range []struct{ paging, want string }{
		{"paging: {kind: count-var, naming: index_2}", `sites.yaml:9: counties[0].sources[0].columns[0].paging.naming: 未知的页面命名 "index_2"`},
		{"paging: {kind: query, naming: intertid}", `sites.yaml:9: counties[0].sources[0].columns[0].paging.naming: 翻页方式 query 不按文件名翻页`},
		{"paging: {kind: count-var, form: {webid: 35}}", `sites.yaml:9: counties[0].sources[0].columns[0].paging.form: form 只用于 hanweb 翻页`},
		{"paging: {kind: hanweb, form: [webid]}", `sites.yaml:9: counties[0].sources[0].columns[0].paging.form: 应为键值映射`},
		{"paging: {kind: hanweb, form: {webid: }}", `counties[0].sources[0].columns[0].paging.form.webid: 表单字段 webid 的值不能为空`},
	} {
		_, err := config.Parse("sites.yaml", []byte(head+"            "+tc.paging+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n  got  %v\n  want %s", tc.paging, err, tc.want)
		}
	}
}

// A column of news or notices holds no catalogue item: items: [] keeps it
// harvested (evidence, mentions, column health) without expecting records there.
func TestColumnWithoutItems(t *testing.T) {
	c, err := config.Load(write(t, "sites.yaml", `counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - {name: 工作动态, url: "http://h/gzdt/", items: []}
          - {name: 行政处罚, url: "http://h/xzcf/", items: ["2.1"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	cols := c.Counties[0].Sources[0].Columns
	if len(cols) != 2 || cols[0].Name != "工作动态" || len(cols[0].Items) != 0 || len(cols[1].Items) != 1 {
		t.Errorf("columns: %+v", cols)
	}
	// Without kind: a column of items is a catalogue column, one without a notice column.
	if cols[0].Kind != config.KindNotice || cols[1].Kind != config.KindCatalogue {
		t.Errorf("default kinds: %q %q", cols[0].Kind, cols[1].Kind)
	}
}

// kind: says how long a column may go without a new item; a bad value is
// named with its line and key.
func TestColumnKind(t *testing.T) {
	c, err := config.Load(write(t, "sites.yaml", `counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - {name: 工作动态, url: "http://h/gzdt/", items: [], kind: news}
          - {name: 机构职能, url: "http://h/jgzn/", items: [], kind: static}
          - {name: 行政处罚, url: "http://h/xzcf/", items: ["2.1"], kind: notice}
`))
	if err != nil {
		t.Fatal(err)
	}
	cols := c.Counties[0].Sources[0].Columns
	if cols[0].Kind != config.KindNews || cols[1].Kind != config.KindStatic || cols[2].Kind != config.KindNotice {
		t.Errorf("kinds: %q %q %q", cols[0].Kind, cols[1].Kind, cols[2].Kind)
	}
	_, err = config.Parse("sites.yaml", []byte(`counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - {name: x, url: "http://h/a/", items: [], kind: 动态}
`))
	want := `sites.yaml:6: counties[0].sources[0].columns[0].kind: 未知的栏目类型 "动态"（可用: news notice policy catalogue static）`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// Each record (county, source, column) is decoded on its own: a mistake in
// one column does not hide the mistakes in the others, and shape mistakes
// are named in Chinese where they are.
func TestEveryRecordReportsItsMistakes(t *testing.T) {
	_, err := config.Parse("sites.yaml", []byte(`counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - {name: x, url: "http://h/a/", items: [1.1], colour: red}
          - {name: y, url: "http://h/b/", items: [1.1], list: [li]}
          - {name: z, url: "http://h/c/", items: [1.1], max_pages: many}
          - {name: w, url: "http://h/d/", items: {a: 1}}
`))
	want := []string{
		`sites.yaml:6: counties[0].sources[0].columns[0].colour: 未知的键 "colour"（可用的键: detail, items, kind, list, max_pages, name, paging, pattern, render, render_timeout, render_wait, url）`,
		`sites.yaml:7: counties[0].sources[0].columns[1].list: 应为键值映射（key: value），实际是 列表`,
		`sites.yaml:8: counties[0].sources[0].columns[2].max_pages: 应为整数，实际是 "many"`,
		`sites.yaml:9: counties[0].sources[0].columns[3].items: 应为列表，实际是 键值映射`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("got\n%v\nwant\n%s", err, strings.Join(want, "\n"))
	}
}

// TestAnyCountyFromConfig: a county outside Jincheng (in Shanxi or in
// another province), given by name and
// division code, loads with its official name and code; Jincheng's keep
// loading by name alone; Divisions lists them for records import.
func TestAnyCountyFromConfig(t *testing.T) {
	cfg, err := config.Parse("sites.yaml", []byte(`counties:
  - county: 小店区
    code: "140105"
    sources:
      - name: xd
        columns: [{name: 行政处罚, url: "http://127.0.0.1:1/xzcf/", items: ["2.1"]}]
  - county: 城区
    code: "140302"
    sources:
      - name: yq
        columns: [{name: 行政处罚, url: "http://127.0.0.1:2/xzcf/", items: ["2.1"]}]
  - county: 泽州
    sources:
      - name: zz
        columns: [{name: 行政处罚, url: "http://127.0.0.1:3/xzcf/", items: ["2.1"]}]
  - county: 南山区
    code: "440305"
    sources:
      - name: ns
        columns: [{name: 行政处罚, url: "http://127.0.0.1:4/xzcf/", items: ["2.1"]}]
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cfg.Counties {
		got = append(got, c.County+" "+c.Code)
	}
	if strings.Join(got, ",") != "小店区 140105,城区 140302,泽州县 140525,南山区 440305" {
		t.Errorf("counties %v", got)
	}
	d := cfg.Divisions()
	if c, ok := d.Lookup("小店"); !ok || c.Code != "140105" {
		t.Errorf("Divisions().Lookup(小店) = %+v %v", c, ok)
	}
}

// render: browser on a column renders its list; on a source, its columns'
// lists and details; other values are positioned errors.
func TestRender(t *testing.T) {
	cfg, err := config.Parse("sites.yaml", []byte(`counties:
  - county: 城区
    sources:
      - name: a
        columns:
          - {name: x, url: "http://h/a/", items: [1.1]}
          - {name: y, url: "http://h/b/", items: [1.1], render: browser, render_wait: "ul.list li", render_timeout: 20s}
      - name: b
        render: browser
        columns:
          - {name: z, url: "http://h/c/", items: [1.1]}
          - {name: w, url: "http://h/d/", items: [1.1], render: http}
`))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]config.RenderRule{}
	for _, s := range cfg.Counties[0].Sources {
		for _, c := range s.Columns {
			got[c.Name] = c.Render
		}
	}
	want := map[string]config.RenderRule{
		"x": {Mode: "http"},
		"y": {Mode: "browser", Wait: "ul.list li", Timeout: 20 * time.Second},
		"z": {Mode: "browser", Details: true},
		"w": {Mode: "http", Details: true},
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: render = %+v, want %+v", k, got[k], w)
		}
	}
	head := "counties:\n  - county: 城区\n    sources:\n      - name: a\n        columns:\n          - name: x\n            url: http://h/a/index.shtml\n            items: [1.1]\n"
	for _, tc := range []struct{ line, want string }{
		{"render: chrome", `sites.yaml:9: counties[0].sources[0].columns[0].render: 未知的读取方式 "chrome"（可用: http browser）`},
		{"render_wait: \"a@href\"", `sites.yaml:9: counties[0].sources[0].columns[0].render_wait: 选择器 "a@href" 有误`},
		{"render_timeout: soon", `sites.yaml:9: counties[0].sources[0].columns[0].render_timeout: 无效的时长 "soon"`},
		{"render_wait: li", `counties[0].sources[0].columns[0].render_wait: render_wait、render_timeout 只用于 render: browser`},
	} {
		_, err := config.Parse("sites.yaml", []byte(head+"            "+tc.line+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n  got  %v\n  want %s", tc.line, err, tc.want)
		}
	}
}
