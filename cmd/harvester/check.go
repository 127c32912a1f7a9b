package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"gongkai/calendar"
	"gongkai/internal/cli"
	"gongkai/region"
	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/sources/harvest"
)

func init() {
	program.Add(cli.Command{
		Name:    "check",
		Summary: "试读配置：每个栏目读前几页列表和一篇详情（不写入存储），列出细心的人会核对的问题和修改建议；有栏目会不完整时退出码为 1",
		Run:     checkCmd,
	})
}

// checkFinding is one thing check wants a person to look at.
type checkFinding struct {
	Incomplete bool   // the column would not be fully observed
	What       string // what was seen
	Fix        string // the suggested fix
}

// columnCheck is check's verdict on one column.
type columnCheck struct {
	County, Source string
	Col            config.Column
	Walk           listWalk
	Findings       []checkFinding
}

func (c *columnCheck) add(incomplete bool, what, fix string) {
	c.Findings = append(c.Findings, checkFinding{Incomplete: incomplete, What: what, Fix: fix})
}

func (c *columnCheck) incomplete() bool {
	for _, f := range c.Findings {
		if f.Incomplete {
			return true
		}
	}
	return false
}

func checkCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("check", stderr)
	cfgPath := fs.String("config", "", "站点配置文件 (sites.yaml)")
	only := fs.String("only", "", "只检查这些县区或来源，逗号分隔（名称、简称、区划代码或来源名称）")
	pages := fs.Int("pages", 20, "每个栏目最多读取的列表页数（0 = 全部）")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %s", strings.Join(fs.Args(), " "))
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	filter := (&harvestFlags{only: *only}).onlyList()
	f, err := fetch.New(cfg.Harvest, harvest.Hosts(cfg))
	if err != nil {
		return err
	}
	defer f.CloseBrowser()
	var checks []*columnCheck
	matched := map[string]bool{}
	codes := map[string]string{} // official name → division code, for --only 140105
	for _, c := range cfg.Counties {
		codes[c.County] = c.Code
	}
	for _, cs := range cfg.AllSources() {
		if len(filter) > 0 && !selected(filter, cs, codes, matched) {
			continue
		}
		for _, col := range cs.Source.Columns {
			checks = append(checks, checkColumn(ctx, f, cs, col, *pages))
		}
	}
	for _, name := range filter {
		if !matched[name] {
			return cli.Usagef("配置 %s 中没有县区或来源 %q", cfg.Path, name)
		}
	}
	lookAlike(checks)
	bad := 0
	for _, c := range checks {
		printCheck(stdout, c)
		if c.incomplete() {
			bad++
		}
	}
	fmt.Fprintf(stdout, "\n共检查 %d 个栏目，%d 个会不完整。\n", len(checks), bad)
	if bad > 0 {
		return fmt.Errorf("%d 个栏目按现在的配置会采集不完整，请按上面的建议修改", bad)
	}
	return nil
}

func selected(filter []string, cs config.CountySource, codes map[string]string, matched map[string]bool) bool {
	ok := false
	for _, name := range filter {
		c, found := region.Lookup(name)
		if (found && c.Name == cs.County) || name == cs.County || name == cs.Source.Name || (codes[cs.County] != "" && name == codes[cs.County]) {
			matched[name] = true
			ok = true
		}
	}
	return ok
}

func checkColumn(ctx context.Context, f *fetch.Fetcher, cs config.CountySource, col config.Column, limit int) *columnCheck {
	c := &columnCheck{County: cs.County, Source: cs.Source.Name, Col: col}
	first, err := f.Fetch(ctx, cms.ListRequest(col, cms.FirstPage(col)))
	if err != nil || first == nil || !first.OK() {
		what := "栏目首页取不到"
		if err != nil {
			what += "：" + err.Error()
		} else if first != nil {
			what += fmt.Sprintf("：HTTP %d", first.Status)
		}
		c.add(true, what, "在浏览器中打开该地址核对 url；站点暂时不可用时稍后再试")
		return c
	}
	rec, _ := cms.Recognise(first)
	c.Walk = walkList(ctx, f, col, limit)
	w := c.Walk

	// The paging kind the page shows against the configured one.
	if kind := rec.EffectiveKind(); rec.PagingSeen && kind != "" && kind != col.Paging.Kind {
		short := rec.Pages > 0 && w.Pages < rec.Pages && !w.Stopped
		what := fmt.Sprintf("配置的翻页方式是 %s，页面看起来是 %s（%s）", col.Paging.Kind, kind, strings.Join(rec.Seen, "；"))
		if short {
			what += fmt.Sprintf("；页面声明 %d 页，按配置只读到 %d 页", rec.Pages, w.Pages)
		}
		c.add(short, what, fmt.Sprintf("把 paging 改为 {kind: %q}（或运行 harvester probe %s 看它生成的写法）", kind, col.URL))
	} else if rec.Pages > 0 && w.Pages < rec.Pages && !w.Stopped && !w.FormError {
		c.add(true, fmt.Sprintf("页面声明 %d 页，按配置只读到 %d 页", rec.Pages, w.Pages),
			"核对 paging 的 kind 和 naming（第 2 页叫 index_1 还是 index_2、list_2）")
	}
	for _, p := range w.Problems {
		fix := "在浏览器中打开该页核对；站点暂时出错时稍后再试"
		if w.FormError {
			fix = "在浏览器开发者工具的网络面板中找到 dataproxy.jsp 请求，把它的 webid、unitid、columnid 写进 paging.form（如 form: {webid: \"35\", unitid: \"4872311\"}）"
		}
		c.add(true, p, fix)
	}
	if len(w.OutOfPattern) > 0 {
		c.add(true, fmt.Sprintf("声明范围内有 %d 个列表页不存在，如 %s", len(w.OutOfPattern), w.OutOfPattern[0]),
			"页面命名与配置不符：核对 paging.naming（trs：第 2 页为 index_1；intertid：第 2 页为 index_2；list-n：list_2）")
	}
	if len(w.RejectedPages) > 0 {
		c.add(true, fmt.Sprintf("%d 个列表页的地址不符合 pattern 或不在范围内，如 %s", len(w.RejectedPages), w.RejectedPages[0]),
			"放宽 pattern，或在 hosts 中加上该主机")
	}
	if entriesOut := len(w.Rejected) - len(w.RejectedPages); entriesOut > 0 {
		c.add(false, fmt.Sprintf("%d 个条目链接在范围外或不符合 pattern（不采集），如 %s", entriesOut, firstNotIn(w.Rejected, w.RejectedPages)),
			"如果它们本应属于本栏目，放宽 pattern 或在 hosts 中加上其主机；转载外站的文章可以不管")
	}
	if w.Stopped {
		c.add(false, fmt.Sprintf("只试读了前 %d 页列表", w.Pages), "需要核对全部页时用 --pages 0")
	} else if w.Declared > 0 && w.Declared != len(w.Entries)+len(w.Rejected)+w.Repeats && !w.FormError {
		c.add(true, fmt.Sprintf("栏目声明 %d 条，读到 %d 条", w.Declared, len(w.Entries)+len(w.Rejected)+w.Repeats),
			"核对 list.item 是否漏掉了条目（或多选了导航），以及翻页是否读到了每一页")
	}
	if w.Capped {
		c.add(true, "栏目的页数超过 max_pages", "调大该栏目的 max_pages")
	}

	// A first page that lists nothing but carries scripts: does the list
	// show in the browser?
	scriptOnly := false
	if len(w.Entries) == 0 && !w.EmptyMarker && !col.Render.Browser() && col.Paging.Kind != config.PagingJSONAPI && cms.HasScript(first) {
		scriptOnly = checkRendered(ctx, f, c)
	}
	// Selectors that match nothing (those the file set: a preset's
	// optional ones, such as a 文号 cell, may well be absent; and a blank
	// column has no list to select in; nor has a page whose list only a
	// script builds).
	preset, _ := config.LookupPreset(col.Preset)
	for _, s := range []struct{ key, rule string }{{"list.item", col.List.Item}, {"list.link", col.List.Link}, {"list.title", col.List.Title},
		{"list.date", col.List.Date}, {"list.docno", col.List.DocNo}} {
		if s.rule != "" && !w.EmptyMarker && !scriptOnly && !presetRule(preset, s.key, s.rule) && !cms.SelectorMatches(first, s.rule) {
			c.add(s.key == "list.item" || s.key == "list.link", fmt.Sprintf("%s 选择器 %q 在栏目首页上什么也没选中", s.key, s.rule),
				fmt.Sprintf("在浏览器中查看列表的 HTML，改正 %s；删去它则由程序自动识别（harvester probe 可以预览识别结果）", s.key))
		}
	}
	if len(w.Entries) == 0 && !w.EmptyMarker && len(w.Problems) == 0 && !scriptOnly {
		c.add(true, "栏目首页没有认出任何条目，也没有“暂无信息”之类的空栏目标记",
			"核对 url 是否就是列表页（脚本填充的空壳页请改用其 <noscript> 或 ajax=0 的地址），并核对 list 选择器")
	}
	undated := 0
	for _, e := range w.Entries {
		if e.Date.IsZero() {
			undated++
		}
	}
	if undated > 0 {
		c.add(false, fmt.Sprintf("%d 条列表条目没有日期", undated), "在 list.date 中写明列表日期所在的元素；没有列表日期时以详情页的发布日期为准")
	}
	if len(w.Entries) > 0 {
		checkDetail(ctx, f, c, w.Entries[0])
	}
	return c
}

// checkRendered loads a column's first page, which lists nothing in its
// HTML, in the browser; when the rendered page lists entries the list
// renders only with JavaScript, and check says so (true).
func checkRendered(ctx context.Context, f *fetch.Fetcher, c *columnCheck) bool {
	col := c.Col
	col.Render = config.RenderRule{Mode: config.RenderBrowser, Wait: col.Render.Wait, Timeout: col.Render.Timeout}
	resp, err := f.Fetch(ctx, cms.ListRequest(col, cms.FirstPage(col)))
	if errors.Is(err, fetch.ErrNoBrowser) {
		c.add(false, "栏目首页的源代码里没有条目，页面带有脚本：列表可能只在执行 JavaScript 后才显示；本机没有 Chromium，无法核实",
			"安装 chromium（apt-get install -y chromium）后再运行 check；若浏览器里能看到列表，在该栏目上写 render: browser")
		return false
	}
	if err != nil || !resp.OK() {
		return false
	}
	lr, err := cms.ParseList(col, resp, 0)
	if err != nil || len(lr.Entries) == 0 {
		return false
	}
	c.add(true, fmt.Sprintf("列表只在执行 JavaScript 后才显示：栏目首页的源代码里没有条目，在浏览器中渲染后认出 %d 条", len(lr.Entries)),
		"在该栏目上写 render: browser（在无头 Chromium 中读取，需要本机安装 chromium；来源上写则详情页也在浏览器中读取）；或运行 harvester probe "+col.URL+" 看它生成的写法")
	return true
}

var generatedLabels = []string{"生成日期", "成文日期", "Maketime"}

// checkDetail reads the first entry's detail page.
func checkDetail(ctx context.Context, f *fetch.Fetcher, c *columnCheck, e cms.Entry) {
	col := c.Col
	preset, _ := config.LookupPreset(col.Preset)
	resp, err := f.Fetch(ctx, cms.DetailRequest(col, e))
	if err != nil || !resp.OK() {
		what := "详情页取不到：" + e.URL
		if err != nil {
			what += "（" + err.Error() + "）"
		} else {
			what += fmt.Sprintf("（HTTP %d）", resp.Status)
		}
		c.add(false, what, "在浏览器中打开核对；站点暂时出错时稍后再试")
		return
	}
	if resp.HTML == "" {
		return // a file listed directly: nothing to select in
	}
	for _, s := range []struct{ key, rule string }{{"detail.title", col.Detail.Title}, {"detail.date", col.Detail.Date},
		{"detail.body", col.Detail.Body}, {"detail.metadata", col.Detail.Metadata}, {"detail.attachments", col.Detail.Attachments}} {
		if s.rule != "" && !presetRule(preset, s.key, s.rule) && !cms.SelectorMatches(resp, s.rule) {
			c.add(false, fmt.Sprintf("%s 选择器 %q 在详情页 %s 上什么也没选中", s.key, s.rule, e.URL),
				fmt.Sprintf("改正 %s，或删去它由程序自动识别", s.key))
		}
	}
	d, err := cms.ParseDetail(col, e, resp)
	if err != nil || d.NotFound {
		c.add(false, "详情页读不出："+e.URL, "在浏览器中打开核对")
		return
	}
	if strings.TrimSpace(d.Body) == "" {
		c.add(false, "详情页没有认出正文："+e.URL, "在 detail.body 中写明正文所在元素的选择器")
	}
	if d.DeclaredFrom == "rule" {
		around := cms.RuleDateText(col, resp)
		gen := ""
		for _, l := range generatedLabels {
			if strings.Contains(around, l) {
				gen = l
				break
			}
		}
		if gen == "" {
			if v, ok := d.Metadata["生成日期"]; ok {
				if gd, err := calendar.ParseDate(v); err == nil && gd == d.Declared && !e.Date.IsZero() && e.Date != d.Declared {
					gen = "生成日期"
				}
			}
		}
		if gen != "" {
			c.add(false, fmt.Sprintf("detail.date %q 取到的是%s（%s），不是发布日期", col.Detail.Date, gen, d.Declared),
				"删去 detail.date（程序会读 PubDate、发布日期/发布时间 或列表日期），或改为发布日期所在的元素；生成日期、成文日期不是公开日期，会把迟公开算成按时")
		}
	}
	if !d.Declared.IsZero() && !e.Date.IsZero() && d.Declared != e.Date {
		c.add(false, fmt.Sprintf("详情页的发布日期 %s（来自 %s）与列表日期 %s 不一致：%s", d.Declared, fromLabel(d.DeclaredFrom), e.Date, e.URL),
			"在浏览器中核对哪一个是发布日期；若详情页的日期选错了，改正 detail.date")
	}
	if d.Declared.IsZero() {
		c.add(false, "详情页和列表都没有给出发布日期："+e.URL, "在 detail.date 或 list.date 中写明发布日期所在的元素")
	}
}

// lookAlike flags columns whose entries all appear in another column: a
// url copied from the neighbouring column, or a parent column that lists
// its children.
func lookAlike(checks []*columnCheck) {
	for _, a := range checks {
		if len(a.Walk.Entries) == 0 {
			continue
		}
		for _, b := range checks {
			if a == b || len(b.Walk.Entries) == 0 || a.County != b.County {
				continue
			}
			in := map[string]bool{}
			for _, e := range b.Walk.Entries {
				in[e.URL] = true
			}
			all := true
			for _, e := range a.Walk.Entries {
				if !in[e.URL] {
					all = false
					break
				}
			}
			if all {
				a.add(false, fmt.Sprintf("读到的 %d 条全部也出现在栏目“%s”（%s）中", len(a.Walk.Entries), b.Col.Name, b.Col.URL),
					"核对两个栏目的 url 是否写重了；若一个是另一个的上级栏目，只保留其一或分清 items")
				break
			}
		}
	}
}

func firstNotIn(list, not []string) string {
	for _, u := range list {
		if !contains(not, u) {
			return u
		}
	}
	return ""
}

// presetRule: the rule is the preset's own, not one the file set.
func presetRule(p config.Preset, key, rule string) bool {
	switch key {
	case "list.item":
		return rule == p.List.Item
	case "list.link":
		return rule == p.List.Link
	case "list.title":
		return rule == p.List.Title
	case "list.date":
		return rule == p.List.Date
	case "list.docno":
		return rule == p.List.DocNo
	case "detail.title":
		return rule == p.Detail.Title
	case "detail.date":
		return rule == p.Detail.Date
	case "detail.body":
		return rule == p.Detail.Body
	case "detail.metadata":
		return rule == p.Detail.Metadata
	case "detail.attachments":
		return rule == p.Detail.Attachments
	}
	return false
}

func printCheck(w io.Writer, c *columnCheck) {
	fmt.Fprintf(w, "\n【%s / %s / %s】%s\n", c.County, c.Source, c.Col.Name, c.Col.URL)
	wk := c.Walk
	declared := "未声明"
	if wk.Declared > 0 {
		declared = fmt.Sprint(wk.Declared)
	}
	fmt.Fprintf(w, "  列表 %d 页（翻页 %s），声明 %s 条，读到 %d 条\n", wk.Pages, c.Col.Paging.Kind, declared, len(wk.Entries)+len(wk.Rejected)+wk.Repeats)
	if len(c.Findings) == 0 {
		fmt.Fprintln(w, "  ✓ 没有发现问题")
		return
	}
	for _, f := range c.Findings {
		mark := "·  [请核对]"
		if f.Incomplete {
			mark = "✗ [会不完整]"
		}
		fmt.Fprintf(w, "  %s %s\n    建议：%s\n", mark, oneLine(f.What), f.Fix)
	}
}
