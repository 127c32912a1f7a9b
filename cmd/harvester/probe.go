package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gongkai/catalogue"
	"gongkai/internal/cli"
	"gongkai/region"
	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

func init() {
	program.Add(cli.Command{
		Name:    "probe",
		Summary: "识别栏目：读取栏目地址，认出 CMS 家族、翻页、条目、详情日期和正文，输出可直接使用的 counties: 配置和预览",
		Run:     probeCmd,
	})
}

// probedColumn is one column URL as probe read it.
type probedColumn struct {
	URL   string
	Rec   cms.Recognition
	Err   error // the first page could not be read
	Items []string
	// Render: the list shows only once a browser ran the page's scripts
	// (render: browser).
	Render bool
}

func probeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("probe", stderr)
	county := fs.String("county", "", "县区（名称、简称或区划代码）；不写则在输出中留空待填")
	delay := fs.Duration("delay", time.Second, "同一主机两次请求之间的间隔（礼貌抓取）")
	maxPages := fs.Int("max-pages", 200, "每个栏目最多读取的列表页数")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	urls := fs.Args()
	if len(urls) == 0 {
		return cli.Usagef("请给出至少一个栏目地址: harvester probe [--county 县区] 栏目URL...")
	}
	var countyName, countyCode string
	if *county != "" {
		name, code := *county, ""
		if _, err := strconv.Atoi(name); err == nil && len(name) == 6 {
			name, code = "", name
		}
		c, err := region.Resolve(name, code)
		if err != nil {
			return cli.Usagef("%v", err)
		}
		countyName = c.Name
		if _, jincheng := region.Lookup(c.Code); !jincheng {
			countyCode = c.Code // outside Jincheng the loader needs the code
		}
	}
	var hosts []string
	for _, u := range urls {
		pu, err := url.Parse(u)
		if err != nil || pu.Host == "" || (pu.Scheme != "http" && pu.Scheme != "https") {
			return cli.Usagef("栏目地址 %q 不是 http(s) 网址", u)
		}
		hosts = append(hosts, pu.Host)
	}
	h := config.DefaultHarvest()
	h.Delay = *delay
	h.MaxPages = *maxPages
	f, err := fetch.New(h, hosts)
	if err != nil {
		return err
	}
	defer f.CloseBrowser()
	cols := make([]probedColumn, len(urls))
	for i, u := range urls {
		cols[i] = probeFirstPage(ctx, f, u)
	}
	yaml := probeYAML(countyName, countyCode, h, cols)
	fmt.Fprint(stdout, yaml)

	// The preview walks the columns as the generated block reads them.
	parseCounty := countyName
	if parseCounty == "" {
		parseCounty = region.Jincheng[0].Name // only to load the block; the output leaves it to fill in
	}
	cfg, err := config.Parse("probe.yaml", []byte(strings.Replace(yaml, `county: ""`, "county: "+parseCounty, 1)))
	if err != nil {
		fmt.Fprintf(stdout, "# 生成的配置读不进来（请把这段输出和栏目地址报告给维护者）：%v\n", err)
		return fmt.Errorf("生成的配置无效")
	}
	fmt.Fprintln(stdout, "#")
	fmt.Fprintln(stdout, "# ==== 预览（请与浏览器中看到的栏目核对）====")
	for _, cs := range cfg.AllSources() {
		for _, col := range cs.Source.Columns {
			previewColumn(ctx, stdout, f, col)
		}
	}
	return nil
}

func probeFirstPage(ctx context.Context, f *fetch.Fetcher, u string) probedColumn {
	pc := probedColumn{URL: u}
	resp, err := f.Fetch(ctx, fetch.Request{Method: "GET", URL: u, Kind: fetch.KindList})
	switch {
	case err != nil:
		pc.Err = err
	case resp.Challenge:
		pc.Err = fmt.Errorf("站点返回了反爬验证页：请在浏览器中打开一次后再试，或稍后再试")
	case !resp.OK():
		pc.Err = fmt.Errorf("HTTP %d", resp.Status)
	default:
		pc.Rec, pc.Err = cms.Recognise(resp)
	}
	if pc.Err == nil && pc.Rec.API != "" {
		// A shell page: read the endpoint it names to find the JSON paths.
		col := config.Column{URL: u, Paging: config.PagingRule{Kind: config.PagingJSONAPI, Param: pc.Rec.Paging.Param,
			API: &config.APIRule{URL: pc.Rec.API, Method: "GET"}}}
		ar, err := f.Fetch(ctx, cms.FirstPage(col))
		if err != nil || !ar.OK() {
			pc.Rec.Unsure = append(pc.Rec.Unsure, "页面指向的 JSON 接口 "+pc.Rec.API+" 取不到：请在浏览器网络面板里核对列表请求")
		}
		if err == nil && ar.OK() {
			api, notes := cms.GuessAPI(ar)
			api.URL = pc.Rec.API
			pc.Rec.Paging.API = &api
			pc.Rec.Unsure = append(pc.Rec.Unsure, notes...)
		}
	}
	if pc.Err == nil && pc.Rec.API == "" && pc.Rec.Preset != "hanweb" && cms.ListsNothing(resp) && cms.HasScript(resp) {
		probeRendered(ctx, f, &pc)
	}
	if pc.Rec.Preset == "" {
		pc.Rec.Preset = "generic"
	}
	pc.Items = guessItems(pc.Rec.Name)
	return pc
}

// probeRendered reads a first page that lists nothing but carries scripts
// in the browser: when the rendered page lists entries, the list renders
// only with JavaScript and the column needs render: browser.
func probeRendered(ctx context.Context, f *fetch.Fetcher, pc *probedColumn) {
	resp, err := f.Fetch(ctx, fetch.Request{Method: "GET", URL: pc.URL, Kind: fetch.KindList, Browser: &fetch.Render{}})
	switch {
	case errors.Is(err, fetch.ErrNoBrowser):
		pc.Rec.Unsure = append(pc.Rec.Unsure, "页面源代码里没有条目，列表可能由脚本生成；本机没有 Chromium，无法核实（apt-get install -y chromium 后重试）。若浏览器里能看到列表，在栏目上写 render: browser")
		return
	case err != nil:
		pc.Rec.Unsure = append(pc.Rec.Unsure, "页面源代码里没有条目，在浏览器中渲染也失败了："+err.Error())
		return
	case !resp.OK():
		pc.Rec.Unsure = append(pc.Rec.Unsure, fmt.Sprintf("页面源代码里没有条目，在浏览器中打开时应答 HTTP %d", resp.Status))
		return
	case cms.ListsNothing(resp):
		pc.Rec.Unsure = append(pc.Rec.Unsure, "页面源代码里没有条目，浏览器执行脚本后也没有认出条目：请在浏览器开发者工具的网络面板里找列表请求（JSON 接口见 preset jsonapi）")
		return
	}
	rec, err := cms.Recognise(resp)
	if err != nil {
		pc.Rec.Unsure = append(pc.Rec.Unsure, "浏览器渲染后的页面读不出："+err.Error())
		return
	}
	if rec.Name == "" {
		rec.Name = pc.Rec.Name
	}
	rec.Seen = append([]string{"列表只在执行 JavaScript 后才出现：页面源代码里没有条目，浏览器渲染后才有（render: browser）"}, rec.Seen...)
	pc.Rec, pc.Render = rec, true
}

// guessItems maps a column's name to the catalogue items it may hold: the
// items of the group the name names (抽检 columns take the 抽检 items).
func guessItems(name string) []string {
	cat := catalogue.Default()
	var out []string
	for _, it := range cat.Items {
		sampling := strings.Contains(it.Name, "抽检")
		switch {
		case strings.Contains(name, "抽检"):
			if sampling {
				out = append(out, it.Code)
			}
		case strings.Contains(name, "投诉") || strings.Contains(name, "举报"):
			if strings.Contains(it.Name, "投诉举报") {
				out = append(out, it.Code)
			}
		case strings.Contains(name, it.Group):
			if !sampling {
				out = append(out, it.Code)
			}
		}
	}
	return out
}

// probeYAML writes the counties: block: one source per family seen (one
// source when all columns agree, as they do on one site), one column per
// URL, only the overrides the preset needs.
func probeYAML(county, code string, h config.Harvest, cols []probedColumn) string {
	var b strings.Builder
	b.WriteString("# 由 harvester probe 生成；items 是按栏目名称猜的，请核对\n")
	fmt.Fprintf(&b, "harvest: {delay: %s}\n", h.Delay)
	b.WriteString("counties:\n")
	if county == "" {
		b.WriteString("  - county: \"\"  # 请填写县区名称（如 泽州县）\n")
	} else {
		fmt.Fprintf(&b, "  - county: %s\n", county)
		if code != "" {
			fmt.Fprintf(&b, "    code: %q\n", code)
		}
	}
	b.WriteString("    sources:\n")
	var presets []string
	for _, c := range cols {
		if !contains(presets, c.Rec.Preset) {
			presets = append(presets, c.Rec.Preset)
		}
	}
	for _, preset := range presets {
		host := ""
		for _, c := range cols {
			if c.Rec.Preset == preset {
				if u, err := url.Parse(c.URL); err == nil {
					host = u.Host // with its port: two sites on one machine stay two sources
				}
				break
			}
		}
		fmt.Fprintf(&b, "      - name: %s\n        preset: %s\n        columns:\n", yamlQuote(sourceName(host, preset, len(presets) > 1)), preset)
		for i, c := range cols {
			if c.Rec.Preset != preset {
				continue
			}
			name := c.Rec.Name
			if name == "" {
				name = "栏目" + strconv.Itoa(i+1)
			}
			fmt.Fprintf(&b, "          - name: %s\n", yamlQuote(name))
			fmt.Fprintf(&b, "            url: %s\n", yamlQuote(c.URL))
			quoted := make([]string, len(c.Items))
			for k, it := range c.Items {
				quoted[k] = yamlQuote(it)
			}
			fmt.Fprintf(&b, "            items: [%s]  # 请核对\n", strings.Join(quoted, ", "))
			if pg := pagingYAML(c.Rec.Paging); pg != "" {
				fmt.Fprintf(&b, "            paging: %s\n", pg)
			}
			if c.Render {
				b.WriteString("            render: browser  # 列表由脚本生成：在无头 Chromium 中读取\n")
			}
			if c.Err != nil {
				fmt.Fprintf(&b, "            # 无法判断：栏目首页读不到（%v）；上面的 preset 只是默认值\n", oneLine(c.Err.Error()))
			}
			for _, s := range c.Rec.Seen {
				fmt.Fprintf(&b, "            # 看到：%s\n", oneLine(s))
			}
			for _, s := range c.Rec.Unsure {
				fmt.Fprintf(&b, "            # 无法判断：%s\n", oneLine(s))
			}
		}
	}
	return b.String()
}

func pagingYAML(p config.PagingRule) string {
	var kv []string
	if p.Kind != "" {
		kv = append(kv, "kind: "+yamlQuote(p.Kind))
	}
	if p.Param != "" {
		kv = append(kv, "param: "+yamlQuote(p.Param))
	}
	if p.Naming != "" {
		kv = append(kv, "naming: "+yamlQuote(p.Naming))
	}
	if a := p.API; a != nil {
		api := []string{"url: " + yamlQuote(a.URL)}
		if a.Method != "" && a.Method != "GET" {
			api = append(api, "method: "+a.Method)
		}
		for _, f := range [][2]string{{"entries", a.Entries}, {"title", a.Title}, {"link", a.Link}, {"date", a.Date}, {"total", a.Total}} {
			if f[1] != "" {
				api = append(api, f[0]+": "+yamlQuote(f[1]))
			}
		}
		kv = append(kv, "api: {"+strings.Join(api, ", ")+"}")
	}
	if len(kv) == 0 {
		return ""
	}
	return "{" + strings.Join(kv, ", ") + "}"
}

func sourceName(host, preset string, several bool) string {
	name := host
	if name == "" {
		name = "site"
	}
	if several {
		name += "-" + preset
	}
	return name
}

// previewColumn walks the column's list pages and reads one detail, and
// prints what a person should compare with the browser.
func previewColumn(ctx context.Context, w io.Writer, f *fetch.Fetcher, col config.Column) {
	how := ""
	if col.Render.Browser() {
		how = "，浏览器渲染"
	}
	fmt.Fprintf(w, "#\n# 【%s】%s（%s，翻页 %s%s）\n", col.Name, col.URL, col.Preset, col.Paging.Kind, how)
	lw := walkList(ctx, f, col, 0)
	declaredPages := "未声明"
	if lw.PageCount > 0 {
		declaredPages = strconv.Itoa(lw.PageCount)
	}
	declared := "未声明"
	if lw.Declared > 0 {
		declared = strconv.Itoa(lw.Declared)
	}
	fmt.Fprintf(w, "#   列表页：声明 %s 页，读到 %d 页；条目：声明 %s 条，找到 %d 条（另有 %d 条在范围外、%d 条重复）\n",
		declaredPages, lw.Pages, declared, len(lw.Entries), len(lw.Rejected), lw.Repeats)
	for _, p := range lw.Problems {
		fmt.Fprintf(w, "#   问题：%s\n", oneLine(p))
	}
	for _, u := range lw.OutOfPattern {
		fmt.Fprintf(w, "#   问题：声明范围内的列表页不存在：%s（翻页命名可能不对）\n", u)
	}
	if len(lw.Entries) == 0 {
		if lw.EmptyMarker {
			fmt.Fprintln(w, "#   栏目显示“暂无信息”：是空栏目")
		} else {
			fmt.Fprintln(w, "#   无法判断：没有认出任何条目。请查看列表的 HTML，在 list.item / list.link / list.date 中写明选择器")
		}
		return
	}
	first, last := lw.Entries[0], lw.Entries[len(lw.Entries)-1]
	fmt.Fprintf(w, "#   第一条：%s  %s\n#   最后一条：%s  %s\n", dateOr(first), first.Title, dateOr(last), last.Title)
	undated := 0
	for _, e := range lw.Entries {
		if e.Date.IsZero() {
			undated++
		}
	}
	if undated > 0 {
		fmt.Fprintf(w, "#   注意：%d 条没有列表日期\n", undated)
	}
	resp, err := f.Fetch(ctx, cms.DetailRequest(col, first))
	if err != nil {
		fmt.Fprintf(w, "#   详情页取不到：%v\n", err)
		return
	}
	d, err := cms.ParseDetail(col, first, resp)
	if err != nil || d.NotFound {
		fmt.Fprintf(w, "#   详情页读不出（%v，不存在 %v）\n", err, d.NotFound)
		return
	}
	fmt.Fprintf(w, "#   详情（第一条）：标题 %s\n", d.Title)
	if d.Declared.IsZero() {
		fmt.Fprintln(w, "#     发布日期：未找到。请在 detail.date 中写明发布日期所在的元素（不要用生成日期、成文日期）")
	} else {
		fmt.Fprintf(w, "#     发布日期：%s（来自 %s）\n", d.Declared, fromLabel(d.DeclaredFrom))
	}
	docNo := d.Metadata["文号"]
	if docNo == "" {
		docNo = first.DocNo
	}
	if docNo == "" {
		docNo = "无"
	}
	fmt.Fprintf(w, "#     文号：%s\n", docNo)
	if strings.TrimSpace(d.Body) == "" {
		fmt.Fprintln(w, "#     无法判断：没有认出正文。请在 detail.body 中写明正文所在元素的选择器")
	} else {
		fmt.Fprintf(w, "#     正文：%d 字\n", len([]rune(d.Body)))
	}
	if len(d.Links) == 0 {
		fmt.Fprintln(w, "#     附件：无")
	}
	for _, l := range d.Links {
		fmt.Fprintf(w, "#     附件：%s %s\n", l.Name, l.URL)
	}
}

func dateOr(e cms.Entry) string {
	if e.Date.IsZero() {
		return "（无日期）"
	}
	return e.Date.String()
}

// fromLabel says in Chinese where a declared date came from.
func fromLabel(from string) string {
	switch from {
	case "rule":
		return "配置的 detail.date"
	case "list":
		return "列表日期"
	case "PubDate":
		return "PubDate 元标签"
	}
	return from + " 标签"
}

func yamlQuote(s string) string { return strconv.Quote(s) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
