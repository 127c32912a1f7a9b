package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"golang.org/x/text/encoding/htmlindex"

	"gongkai/catalogue"
	"gongkai/internal/yamldoc"
	"gongkai/region"
)

// Error is one configuration mistake, located in the file.
type Error struct {
	File string
	Line int    // 1-based; 0 when the mistake has no single place (e.g. an empty file)
	Key  string // counties[0].sources[1].columns[2].items[0]
	Msg  string // Chinese
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// Errors is every mistake found in one file, in line order. Each mapping
// reports at most its first unknown or misshapen key (the YAML library
// stops a record there); every record is checked.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// The file's YAML form. Lists of records are kept as nodes and decoded one
// record at a time, so that every record's mistakes are reported; values
// that need checking (durations, sizes, patterns) are read as text and
// converted by the loader, which knows where they are.
type (
	fileYAML struct {
		Harvest  ast.Node   `yaml:"harvest"`
		Counties []ast.Node `yaml:"counties"`
		Credit   ast.Node   `yaml:"credit"` // read from the tree: null must still count as written
	}
	harvestYAML struct {
		Delay         string `yaml:"delay"`
		Timeout       string `yaml:"timeout"`
		RetryAfterCap string `yaml:"retry_after_cap"`
		RetryWait     string `yaml:"retry_wait"`
		RetryWaitMax  string `yaml:"retry_wait_max"`
		Retries       *int   `yaml:"retries"`
		PerHost       *int   `yaml:"per_host"`
		MaxPages      *int   `yaml:"max_pages"`
		FullEvery     *int   `yaml:"full_every"`
		MaxBody       string `yaml:"max_body"`
		UserAgent     string `yaml:"user_agent"`
	}
	countyYAML struct {
		County    string     `yaml:"county"`
		Code      string     `yaml:"code"` // 6-digit division code (GB/T 2260); needed for counties outside Jincheng
		Catalogue string     `yaml:"catalogue"`
		Sources   []ast.Node `yaml:"sources"`
	}
	// rulesYAML are the keys shared by sources and columns.
	rulesYAML struct {
		List     *listYAML   `yaml:"list"`
		Paging   ast.Node    `yaml:"paging"` // a kind (paging: next-link) or a pagingYAML
		Detail   *detailYAML `yaml:"detail"`
		MaxPages *int        `yaml:"max_pages"`
		Pattern  string      `yaml:"pattern"`
		// render: browser loads pages in headless Chromium; render_wait
		// is the CSS selector the rendered list must show (default: the
		// network falls idle), render_timeout bounds the wait.
		Render        string `yaml:"render"`
		RenderWait    string `yaml:"render_wait"`
		RenderTimeout string `yaml:"render_timeout"`
	}
	sourceYAML struct {
		Name    string       `yaml:"name"`
		Preset  string       `yaml:"preset"`
		Charset string       `yaml:"charset"`
		Hosts   yamldoc.List `yaml:"hosts"`
		Columns []ast.Node   `yaml:"columns"`
		Rules   rulesYAML    `yaml:",inline"`
	}
	columnYAML struct {
		Name  string       `yaml:"name"`
		URL   string       `yaml:"url"`
		Items yamldoc.List `yaml:"items"`
		Kind  string       `yaml:"kind"`
		Rules rulesYAML    `yaml:",inline"`
	}
	listYAML struct {
		Item        string `yaml:"item"`
		Link        string `yaml:"link"`
		Title       string `yaml:"title"`
		Date        string `yaml:"date"`
		DocNo       string `yaml:"docno"`
		LinkPattern string `yaml:"link_pattern"`
	}
	pagingYAML struct {
		Kind     string            `yaml:"kind"`
		Param    string            `yaml:"param"`
		Start    *int              `yaml:"start"`
		PerPage  *int              `yaml:"per_page"`
		Template string            `yaml:"template"`
		Naming   string            `yaml:"naming"`
		Form     map[string]string `yaml:"form"`
		API      *apiYAML          `yaml:"api"`
	}
	apiYAML struct {
		URL     string `yaml:"url"`
		Method  string `yaml:"method"`
		Entries string `yaml:"entries"`
		Title   string `yaml:"title"`
		Link    string `yaml:"link"`
		Date    string `yaml:"date"`
		Total   string `yaml:"total"`
	}
	detailYAML struct {
		Title       string `yaml:"title"`
		Date        string `yaml:"date"`
		Body        string `yaml:"body"`
		Metadata    string `yaml:"metadata"`
		Attachments string `yaml:"attachments"`
	}
	creditYAML struct {
		Name    string            `yaml:"name"`
		URL     string            `yaml:"url"`
		Cookies map[string]string `yaml:"cookies"`
		Captcha map[string]string `yaml:"captcha"`
	}
)

// Load reads and checks a sites.yaml. On any mistake it returns Errors
// listing every one of them with file, line and key.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取配置文件失败: %w", err)
	}
	return Parse(path, data)
}

// Parse checks configuration text; name is used in messages and to resolve
// relative paths (county catalogue variants).
func Parse(name string, data []byte) (*Config, error) {
	if len(presets) == 0 {
		// A program error, not the user's: see RegisterPreset.
		return nil, Errors{{File: name, Msg: "内部错误: 没有登记任何 CMS 预设（程序须导入 gongkai/sources/cms）"}}
	}
	doc, p := yamldoc.Parse(data)
	if p != nil {
		return nil, Errors{{File: name, Line: p.Line, Msg: p.Msg}}
	}
	switch len(doc.Bodies) {
	case 0:
		return nil, Errors{{File: name, Msg: "配置文件为空"}}
	case 1:
	default:
		return nil, Errors{{File: name, Line: yamldoc.Line(doc.Bodies[1]), Msg: "配置文件只能包含一个 YAML 文档"}}
	}
	c := &Config{Path: name, Harvest: DefaultHarvest()}
	l := &loader{file: name, doc: doc, root: doc.Bodies[0], cfg: c, dir: filepath.Dir(name),
		items: catalogue.Default().Codes(), sourceNames: map[string]int{}}
	l.load()
	if len(l.errs) > 0 {
		slices.SortStableFunc(l.errs, func(a, b *Error) int { return a.Line - b.Line })
		return nil, l.errs
	}
	return c, nil
}

type loader struct {
	file  string
	doc   *yamldoc.Doc
	root  ast.Node
	cfg   *Config
	dir   string
	items []string
	errs  Errors

	sourceNames map[string]int // name → line of first use
}

// errorf records a mistake at a key path; the line is the key's, or its
// nearest ancestor's when the key is missing.
func (l *loader) errorf(path, format string, a ...any) {
	l.errs = append(l.errs, &Error{File: l.file, Line: yamldoc.LineOf(l.root, path), Key: path, Msg: fmt.Sprintf(format, a...)})
}

// decode fills v from the record n, recording shape mistakes; ok is false
// when v could not be read at all.
func (l *loader) decode(n ast.Node, v any) bool {
	p, ok := l.doc.Decode(n, v)
	if p != nil {
		l.errs = append(l.errs, &Error{File: l.file, Line: p.Line, Key: p.Path, Msg: p.Msg})
	}
	return ok
}

// has reports whether the file writes the key at path (null included).
func (l *loader) has(path string) bool { return yamldoc.Node(l.root, path) != nil }

func (l *loader) load() {
	var f fileYAML
	if !l.decode(l.root, &f) {
		return
	}
	if f.Harvest != nil {
		l.harvest(f.Harvest)
	}
	for _, n := range f.Counties {
		l.county(n)
	}
	if n := yamldoc.Node(l.root, "credit"); n != nil { // credit: with no value still asks for a credit source
		l.credit(n)
	}
	if !l.has("counties") && l.cfg.Credit == nil {
		l.errorf("", "配置既没有 counties 也没有 credit，无可采集的来源")
	}
}

func (l *loader) harvest(n ast.Node) {
	var y harvestYAML
	if !l.decode(n, &y) {
		return
	}
	h := &l.cfg.Harvest
	path := yamldoc.PathOf(n)
	dur := func(key, text string, dst *time.Duration) {
		if text == "" {
			return
		}
		if d, ok := parseDuration(text); ok {
			*dst = d
		} else {
			l.errorf(yamldoc.Join(path, key), "应为时长，如 1s、500ms、2m，实际是 %q", text)
		}
	}
	count := func(key string, v *int, min int, dst *int) {
		switch {
		case v == nil:
		case *v < min:
			l.errorf(yamldoc.Join(path, key), "不能小于 %d", min)
		default:
			*dst = *v
		}
	}
	dur("delay", y.Delay, &h.Delay)
	dur("timeout", y.Timeout, &h.Timeout)
	dur("retry_after_cap", y.RetryAfterCap, &h.RetryAfterCap)
	dur("retry_wait", y.RetryWait, &h.RetryWait)
	dur("retry_wait_max", y.RetryWaitMax, &h.RetryWaitMax)
	count("retries", y.Retries, 0, &h.Retries)
	count("per_host", y.PerHost, 1, &h.PerHost)
	count("max_pages", y.MaxPages, 1, &h.MaxPages)
	count("full_every", y.FullEvery, 1, &h.FullEvery)
	if y.MaxBody != "" {
		if size, ok := parseSize(y.MaxBody); ok {
			h.MaxBody = size
		} else {
			l.errorf(yamldoc.Join(path, "max_body"), "应为正的字节数，如 20MiB、500KB，实际是 %q", y.MaxBody)
		}
	}
	if s := strings.TrimSpace(y.UserAgent); s != "" {
		h.UserAgent = s
	}
	if h.Timeout == 0 {
		l.errorf(yamldoc.Join(path, "timeout"), "超时不能为 0")
	}
	if h.RetryWaitMax < h.RetryWait {
		h.RetryWaitMax = h.RetryWait
	}
}

// parseDuration reads "1s", "500ms", "2m"; a bare number means seconds.
func parseDuration(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 0 {
		return time.Duration(v * float64(time.Second)), true
	}
	v, err := time.ParseDuration(s)
	return v, err == nil && v >= 0
}

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
}

// parseSize reads a byte count: 20971520, "20MiB", "500KB".
func parseSize(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	num, mult := s, int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(s, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v <= 0 {
		return 0, false
	}
	return int64(v * float64(mult)), true
}

func (l *loader) county(n ast.Node) {
	var y countyYAML
	ok := l.decode(n, &y)
	path := yamldoc.PathOf(n)
	var c County
	name := strings.TrimSpace(y.County)
	county, rerr := region.Resolve(name, y.Code)
	switch {
	case !ok:
	case !l.has(yamldoc.Join(path, "county")):
		l.errorf(yamldoc.Join(path, "county"), "缺少县区名称")
	case rerr != nil && strings.TrimSpace(y.Code) != "":
		l.errorf(yamldoc.Join(path, "code"), "%v", rerr)
	case rerr != nil:
		l.errorf(yamldoc.Join(path, "county"), "未知的县区 %q（晋城市的 %s 可只写名称或 6 位区划代码；其他县区请同时写 code: 6 位区划代码）", name, strings.Join(region.Names(), "、"))
	case slices.ContainsFunc(l.cfg.Counties, func(o County) bool { return o.County == county.Name }):
		l.errorf(yamldoc.Join(path, "county"), "县区 %s 重复出现；同一县区的多个来源请写在一个 sources 列表里", county.Name)
	default:
		c.County, c.Code = county.Name, county.Code
	}
	if s := strings.TrimSpace(y.Catalogue); s != "" {
		p := s
		if !filepath.IsAbs(p) {
			p = filepath.Join(l.dir, p)
		}
		if _, err := os.Stat(p); err != nil {
			l.errorf(yamldoc.Join(path, "catalogue"), "找不到县区目录文件 %q", s)
		} else {
			c.Catalogue = p
		}
	}
	for _, sn := range y.Sources {
		c.Sources = append(c.Sources, l.source(sn))
	}
	l.cfg.Counties = append(l.cfg.Counties, c)
}

// ruleSet is the rules written on a source (inherited by its columns) or
// on a column.
type ruleSet struct {
	list     ListRule
	paging   PagingRule
	detail   DetailRule
	maxPages int
	pattern  *regexp.Regexp
	render   RenderRule

	pagingPath string // where paging was written, for errors found once rules are combined
}

func (l *loader) source(n ast.Node) Source {
	var y sourceYAML
	ok := l.decode(n, &y)
	path := yamldoc.PathOf(n)
	key := func(k string) string { return yamldoc.Join(path, k) }
	s := Source{Charset: "auto", Preset: "generic"}
	if !ok {
		return s
	}
	switch name := strings.TrimSpace(y.Name); {
	case !l.has(key("name")):
		l.errorf(key("name"), "缺少来源名称")
	case name == "":
		l.errorf(key("name"), "来源名称不能为空")
	case l.sourceNames[name] > 0:
		l.errorf(key("name"), "来源名称 %q 重复（第 %d 行已用过）；名称在整个配置中必须唯一", name, l.sourceNames[name])
	default:
		l.sourceNames[name] = yamldoc.LineOf(l.root, key("name"))
		s.Name = name
	}
	if p := strings.TrimSpace(y.Preset); l.has(key("preset")) {
		if _, known := presets[p]; known {
			s.Preset = p
		} else {
			l.errorf(key("preset"), "未知的预设 %q（可用: %s）", p, strings.Join(presetNames(), ", "))
			s.Preset = ""
		}
	}
	var extraHosts []string
	for i, h := range y.Hosts {
		h = strings.TrimSpace(h)
		if err := checkHost(h); err != nil {
			l.errorf(fmt.Sprintf("%s[%d]", key("hosts"), i), "%v", err)
			continue
		}
		extraHosts = append(extraHosts, h)
	}
	if cs := strings.TrimSpace(y.Charset); cs != "" {
		if _, err := htmlindex.Get(cs); err != nil && !strings.EqualFold(cs, "auto") {
			l.errorf(key("charset"), "未知的字符集 %q（auto、utf-8、gbk、gb18030 …）", cs)
		} else {
			s.Charset = strings.ToLower(cs)
		}
	}
	defaults := l.rules(path, y.Rules)
	if !l.has(key("columns")) {
		l.errorf(key("columns"), "来源至少要有一个栏目")
	}
	names := map[string]bool{}
	for _, cn := range y.Columns {
		if col, ok := l.column(cn, s, defaults, names); ok {
			s.Columns = append(s.Columns, col)
		}
	}
	s.Hosts = scopeHosts(s.Columns, extraHosts)
	for i := range s.Columns {
		s.Columns[i].Hosts = s.Hosts
	}
	return s
}

// rules checks the keys shared by sources and columns.
func (l *loader) rules(path string, y rulesYAML) ruleSet {
	var r ruleSet
	key := func(k string) string { return yamldoc.Join(path, k) }
	if y.List != nil {
		sel := func(k, s string) string { return l.selector(yamldoc.Join(key("list"), k), s) }
		r.list = ListRule{Item: sel("item", y.List.Item), Link: sel("link", y.List.Link), Title: sel("title", y.List.Title),
			Date: sel("date", y.List.Date), DocNo: sel("docno", y.List.DocNo),
			LinkPattern: l.regex(yamldoc.Join(key("list"), "link_pattern"), y.List.LinkPattern)}
	}
	if y.Paging != nil && !yamldoc.IsNull(y.Paging) {
		r.paging, r.pagingPath = l.pagingRule(y.Paging), key("paging")
	}
	if y.Detail != nil {
		sel := func(k, s string) string { return l.selector(yamldoc.Join(key("detail"), k), s) }
		r.detail = DetailRule{Title: sel("title", y.Detail.Title), Date: sel("date", y.Detail.Date), Body: sel("body", y.Detail.Body),
			Metadata: sel("metadata", y.Detail.Metadata), Attachments: sel("attachments", y.Detail.Attachments)}
	}
	if y.MaxPages != nil {
		if *y.MaxPages < 1 {
			l.errorf(key("max_pages"), "不能小于 1")
		} else {
			r.maxPages = *y.MaxPages
		}
	}
	r.pattern = l.regex(key("pattern"), y.Pattern)
	if l.has(key("render")) {
		switch m := strings.TrimSpace(y.Render); m {
		case RenderHTTP, RenderBrowser:
			r.render.Mode = m
		default:
			l.errorf(key("render"), "未知的读取方式 %q（可用: %s %s）", y.Render, RenderHTTP, RenderBrowser)
		}
	}
	if w := strings.TrimSpace(y.RenderWait); w != "" {
		if err := CheckSelector(w); err != nil || strings.Contains(w, "@") || strings.Contains(w, "||") {
			l.errorf(key("render_wait"), "选择器 %q 有误（须是一个 CSS 选择器，不带 @属性）", w)
		} else {
			r.render.Wait = w
		}
	}
	if t := strings.TrimSpace(y.RenderTimeout); t != "" {
		if d, ok := parseDuration(t); !ok || d <= 0 {
			l.errorf(key("render_timeout"), "无效的时长 %q（如 20s、1m）", y.RenderTimeout)
		} else {
			r.render.Timeout = d
		}
	}
	return r
}

func (l *loader) column(n ast.Node, src Source, defaults ruleSet, names map[string]bool) (Column, bool) {
	col := Column{Source: src.Name, Preset: src.Preset, Charset: src.Charset}
	var y columnYAML
	if !l.decode(n, &y) {
		return col, false
	}
	path := yamldoc.PathOf(n)
	key := func(k string) string { return yamldoc.Join(path, k) }
	switch name := strings.TrimSpace(y.Name); {
	case !l.has(key("name")):
		l.errorf(key("name"), "缺少栏目名称")
	case name == "":
		l.errorf(key("name"), "栏目名称不能为空")
	case names[name]:
		l.errorf(key("name"), "栏目名称 %q 在本来源中重复", name)
	default:
		names[name] = true
		col.Name = name
	}
	if !l.has(key("url")) {
		l.errorf(key("url"), "缺少栏目地址 url")
	} else if u := strings.TrimSpace(y.URL); checkURL(u) != nil {
		l.errorf(key("url"), "%v", checkURL(u))
	} else {
		col.URL = u
	}
	// items: [] is a column that holds no catalogue item (news, notices):
	// harvested for evidence, mentions and the column's health, never a
	// place where records are expected. Leaving the key out or empty is
	// still an error: the difference must be said.
	switch {
	case !l.has(key("items")):
		l.errorf(key("items"), "缺少栏目可能包含的目录事项 items（如 [\"2.1\", \"2.2\"]；不含目录事项的栏目写 items: []）")
	case yamldoc.IsNull(yamldoc.Node(l.root, key("items"))):
		l.errorf(key("items"), "目录事项 items 没有值（不含目录事项的栏目写 items: []）")
	}
	for i, code := range y.Items {
		code = strings.TrimSpace(code)
		if !slices.Contains(l.items, code) {
			l.errorf(fmt.Sprintf("%s[%d]", key("items"), i), "未知的目录事项 %q（可用: %s）", code, strings.Join(l.items, " "))
			continue
		}
		col.Items = append(col.Items, code)
	}
	col.Kind = DefaultKind(col.Items)
	if l.has(key("kind")) {
		switch k := strings.TrimSpace(y.Kind); {
		case slices.Contains(Kinds, k):
			col.Kind = k
		default:
			l.errorf(key("kind"), "未知的栏目类型 %q（可用: %s）", y.Kind, strings.Join(Kinds, " "))
		}
	}
	own := l.rules(path, y.Rules)
	preset := presets[src.Preset]
	col.List = preset.List.overlay(defaults.list).overlay(own.list)
	col.Paging = preset.Paging.overlay(defaults.paging).overlay(own.paging)
	col.Detail = preset.Detail.overlay(defaults.detail).overlay(own.detail)
	if col.Paging.Kind == PagingQuery && col.Paging.Param == "" {
		col.Paging.Param = "page"
	}
	l.checkPaging(&col.Paging, preset, cmp(own.pagingPath, defaults.pagingPath, key("paging")))
	col.MaxPages = cmp(own.maxPages, defaults.maxPages, l.cfg.Harvest.MaxPages)
	// render written on the source reads the lists and the details in the
	// browser; on a column, only that column's list pages.
	col.Render = RenderRule{
		Mode:    cmp(own.render.Mode, defaults.render.Mode, RenderHTTP),
		Details: defaults.render.Mode == RenderBrowser,
		Wait:    cmp(own.render.Wait, defaults.render.Wait),
		Timeout: cmp(own.render.Timeout, defaults.render.Timeout),
	}
	if (own.render.Wait != "" || own.render.Timeout != 0) && col.Render.Mode != RenderBrowser && !col.Render.Details {
		l.errorf(key("render_wait"), "render_wait、render_timeout 只用于 render: browser")
	}
	col.Pattern = defaults.pattern
	if own.pattern != nil {
		col.Pattern = own.pattern
	}
	if col.Pattern != nil && col.URL != "" && !col.Pattern.MatchString(GuardedPart(col.URL)) {
		l.errorf(key("url"), "栏目地址的路径 %q 不符合 pattern %q", GuardedPart(col.URL), col.Pattern.String())
	}
	return col, true
}

// cmp is the first non-zero value: the column's, the source's, the default.
func cmp[T comparable](vs ...T) T {
	var zero T
	for _, v := range vs {
		if v != zero {
			return v
		}
	}
	return zero
}

func (l *loader) pagingRule(n ast.Node) PagingRule {
	path := yamldoc.PathOf(n)
	if yamldoc.IsScalar(n) { // paging: next-link
		var kind string
		l.decode(n, &kind)
		kind = strings.TrimSpace(kind)
		l.checkKind(path, kind)
		return PagingRule{Kind: kind}
	}
	var y pagingYAML
	if !l.decode(n, &y) {
		return PagingRule{}
	}
	key := func(k string) string { return yamldoc.Join(path, k) }
	r := PagingRule{Kind: strings.TrimSpace(y.Kind), Param: strings.TrimSpace(y.Param)}
	if l.has(key("kind")) {
		l.checkKind(key("kind"), r.Kind)
	}
	if y.Start != nil {
		switch {
		case *y.Start < 0:
			l.errorf(key("start"), "应为非负整数，实际是 %d", *y.Start)
		case *y.Start == 0:
			r.Start = -1 // explicit 0-based paging; 0 in the struct means "default 1"
		default:
			r.Start = *y.Start
		}
	}
	if y.PerPage != nil {
		if *y.PerPage < 0 {
			l.errorf(key("per_page"), "应为非负整数，实际是 %d", *y.PerPage)
		} else {
			r.PerPage = *y.PerPage
		}
	}
	if t := strings.TrimSpace(y.Template); t != "" {
		if !strings.Contains(t, "{n}") && !strings.Contains(t, "{i}") {
			l.errorf(key("template"), "翻页模板必须含 {n}（页码，从 1 起）或 {i}（从 0 起）")
		} else {
			r.Template = t
		}
	}
	if s := strings.TrimSpace(y.Naming); s != "" {
		if !slices.Contains(Namings, s) {
			l.errorf(key("naming"), "未知的页面命名 %q（可用: trs = 第 2 页是 index_1，intertid = 第 2 页是 index_2，list-n = 第 2 页是 list_2）", s)
		} else {
			r.Naming = s
		}
	}
	if y.API != nil {
		r.API = l.apiRule(key("api"), *y.API)
	}
	names := make([]string, 0, len(y.Form))
	for name := range y.Form {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		val := strings.TrimSpace(y.Form[name])
		switch {
		case name == "" || strings.ContainsAny(name, "&=? "):
			l.errorf(key("form"), "表单字段名 %q 有误", name)
		case val == "":
			l.errorf(yamldoc.Join(key("form"), name), "表单字段 %s 的值不能为空（不需要就不要写这一项）", name)
		default:
			if r.Form == nil {
				r.Form = map[string]string{}
			}
			r.Form[name] = val
		}
	}
	return r
}

// checkPaging checks the keys that only some kinds take, once the preset's,
// the source's and the column's rules are combined, and fills the default
// naming. path is where the paging rule was written.
func (l *loader) checkPaging(r *PagingRule, preset Preset, path string) {
	if r.Naming != "" && !slices.Contains(FileNamedKinds, r.Kind) {
		l.errorf(yamldoc.Join(path, "naming"), "翻页方式 %s 不按文件名翻页，不能写 naming（naming 只用于 %s）", r.Kind, strings.Join(FileNamedKinds, ", "))
	}
	if len(r.Form) > 0 && r.Kind != PagingHanweb {
		l.errorf(yamldoc.Join(path, "form"), "form 只用于 hanweb 翻页（数据接口 dataproxy.jsp 的表单），本栏目的翻页方式是 %s", r.Kind)
	}
	if r.API != nil && r.Kind != PagingJSONAPI {
		l.errorf(yamldoc.Join(path, "api"), "api 只用于 json-api 翻页（列表来自 JSON 接口），本栏目的翻页方式是 %s", r.Kind)
	}
	if r.Kind == PagingJSONAPI && r.API == nil {
		l.errorf(yamldoc.Join(path, "api"), "json-api 翻页须写明接口 api（如 api: {url: \"/api/list?channelId=12\", entries: data, title: title, link: url, date: publishDate, total: total}）")
	}
	if r.Kind == PagingJSONAPI && r.Param == "" {
		r.Param = "pageNo"
	}
	if r.Naming == "" {
		r.Naming = preset.DefaultNaming(r.Kind)
	}
}

// apiRule checks a json-api endpoint: its address, method and the JSON
// paths an entry needs (entries and link at least).
func (l *loader) apiRule(path string, y apiYAML) *APIRule {
	key := func(k string) string { return yamldoc.Join(path, k) }
	r := &APIRule{URL: strings.TrimSpace(y.URL), Method: strings.ToUpper(strings.TrimSpace(y.Method)),
		Entries: strings.TrimSpace(y.Entries), Title: strings.TrimSpace(y.Title), Link: strings.TrimSpace(y.Link),
		Date: strings.TrimSpace(y.Date), Total: strings.TrimSpace(y.Total)}
	if r.URL == "" {
		l.errorf(key("url"), "缺少接口地址 url（浏览器开发者工具“网络”面板里列表请求的地址）")
	}
	switch r.Method {
	case "":
		r.Method = "GET"
	case "GET", "POST":
	default:
		l.errorf(key("method"), "接口请求方式只能是 GET 或 POST，实际是 %q", y.Method)
	}
	if r.Entries == "" {
		l.errorf(key("entries"), "缺少条目数组的 JSON 路径 entries（如 data 或 data.list）")
	}
	if r.Link == "" {
		l.errorf(key("link"), "缺少条目链接的 JSON 路径 link（如 url）")
	}
	return r
}

func (l *loader) checkKind(path, kind string) {
	if !slices.Contains(PagingKinds, kind) {
		l.errorf(path, "未知的翻页方式 %q（可用: %s）", kind, strings.Join(PagingKinds, ", "))
	}
}

// selector checks that a CSS selector (with an optional @attr suffix)
// compiles; "" when it is empty or wrong.
func (l *loader) selector(path, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if err := CheckSelector(s); err != nil {
		l.errorf(path, "选择器 %q 有误: %v", s, err)
		return ""
	}
	return s
}

func (l *loader) regex(path, s string) *regexp.Regexp {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		l.errorf(path, "正则表达式 %q 有误: %v", s, err)
		return nil
	}
	return re
}

func (l *loader) credit(n ast.Node) {
	var y creditYAML
	if !yamldoc.IsNull(n) && !l.decode(n, &y) {
		return
	}
	path := yamldoc.PathOf(n)
	c := &Credit{Name: cmp(strings.TrimSpace(y.Name), "gsxt"), Cookies: y.Cookies, Captcha: y.Captcha}
	if !l.has(yamldoc.Join(path, "url")) {
		l.errorf(yamldoc.Join(path, "url"), "缺少信用公示系统地址 url")
	} else if u := strings.TrimSpace(y.URL); checkURL(u) != nil {
		l.errorf(yamldoc.Join(path, "url"), "%v", checkURL(u))
	} else {
		c.URL = u
	}
	if first := l.sourceNames[c.Name]; first > 0 {
		l.errorf(yamldoc.Join(path, "name"), "来源名称 %q 与第 %d 行的来源重复", c.Name, first)
	}
	l.cfg.Credit = c
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("地址 %q 必须是以 http:// 或 https:// 开头的完整地址", s)
	}
	return nil
}

func checkHost(h string) error {
	if h == "" || strings.ContainsAny(h, "/?#@ ") {
		return fmt.Errorf("主机名 %q 有误：只写主机名（可带端口），如 www.example.gov.cn 或 127.0.0.1:8080", h)
	}
	if strings.Contains(h, ":") {
		if _, port, err := net.SplitHostPort(h); err != nil || port == "" {
			return fmt.Errorf("主机名 %q 有误：端口格式不对", h)
		}
	}
	return nil
}

// scopeHosts is the hosts of the column URLs plus the configured extras,
// lower-cased, each once.
func scopeHosts(cols []Column, extra []string) []string {
	var out []string
	add := func(h string) {
		h = strings.ToLower(h)
		if h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	for _, c := range cols {
		if u, err := url.Parse(c.URL); err == nil {
			add(u.Host)
		}
	}
	for _, h := range extra {
		add(h)
	}
	return out
}

// GuardedPart is the part of a URL a column's pattern is matched against:
// the path with its query ("/xxgk/zfxxgk/index_1.shtml?x=1").
func GuardedPart(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// InScope reports whether rawURL's host is one of hosts. A host written
// without a port matches that host on any port; an empty list allows all.
func InScope(hosts []string, rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return false
	}
	return HostInScope(hosts, u.Host)
}

// HostInScope is InScope for a host[:port].
func HostInScope(hosts []string, host string) bool {
	if len(hosts) == 0 {
		return true
	}
	host = strings.ToLower(host)
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	for _, s := range hosts {
		s = strings.ToLower(s)
		if s == host {
			return true
		}
		if _, _, err := net.SplitHostPort(s); err != nil && s == name {
			return true // written without a port: any port
		}
	}
	return false
}
