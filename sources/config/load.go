package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"golang.org/x/text/encoding/htmlindex"

	"gongkai/catalogue"
	"gongkai/region"
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
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, Errors{syntaxError(name, err)}
	}
	d := &decoder{file: name, anchors: map[string]ast.Node{}}
	var root ast.Node
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			if root != nil {
				return nil, Errors{{File: name, Line: line(doc.Body), Msg: "配置文件只能包含一个 YAML 文档"}}
			}
			root = doc.Body
		}
	}
	if root == nil {
		return nil, Errors{{File: name, Msg: "配置文件为空"}}
	}
	c := &Config{Path: name, Harvest: DefaultHarvest()}
	l := &loader{decoder: d, cfg: c, dir: filepath.Dir(name), items: catalogue.Default().Codes()}
	l.root(root)
	if len(d.errs) > 0 {
		slices.SortStableFunc(d.errs, func(a, b *Error) int { return a.Line - b.Line })
		return nil, d.errs
	}
	return c, nil
}

type loader struct {
	*decoder
	cfg   *Config
	dir   string
	items []string

	sourceNames map[string]int // name → line of first use
}

func (l *loader) root(n ast.Node) {
	var countiesNode ast.Node
	l.mapping(n, "", map[string]func(ast.Node, string){
		"harvest":  func(v ast.Node, k string) { l.harvest(v, k) },
		"counties": func(v ast.Node, k string) { countiesNode = v; l.counties(v, k) },
		"credit":   func(v ast.Node, k string) { l.credit(v, k) },
	})
	if countiesNode == nil && l.cfg.Credit == nil {
		l.errorf(n, "", "配置既没有 counties 也没有 credit，无可采集的来源")
	}
}

func (l *loader) harvest(n ast.Node, path string) {
	h := &l.cfg.Harvest
	dur := func(dst *time.Duration) func(ast.Node, string) {
		return func(v ast.Node, k string) {
			if x, ok := l.duration(v, k); ok {
				*dst = x
			}
		}
	}
	count := func(dst *int, min int) func(ast.Node, string) {
		return func(v ast.Node, k string) {
			if x, ok := l.nonNegInt(v, k); ok {
				if x < min {
					l.errorf(v, k, "不能小于 %d", min)
					return
				}
				*dst = x
			}
		}
	}
	l.mapping(n, path, map[string]func(ast.Node, string){
		"delay":           dur(&h.Delay),
		"timeout":         dur(&h.Timeout),
		"retry_after_cap": dur(&h.RetryAfterCap),
		"retry_wait":      dur(&h.RetryWait),
		"retry_wait_max":  dur(&h.RetryWaitMax),
		"retries":         count(&h.Retries, 0),
		"per_host":        count(&h.PerHost, 1),
		"max_pages":       count(&h.MaxPages, 1),
		"full_every":      count(&h.FullEvery, 1),
		"max_body": func(v ast.Node, k string) {
			if x, ok := l.size(v, k); ok {
				h.MaxBody = x
			}
		},
		"user_agent": func(v ast.Node, k string) {
			if s, ok := l.str(v, k); ok && s != "" {
				h.UserAgent = s
			}
		},
	})
	if h.Timeout == 0 {
		l.errorf(n, join(path, "timeout"), "超时不能为 0")
	}
	if h.RetryWaitMax < h.RetryWait {
		h.RetryWaitMax = h.RetryWait
	}
}

func (l *loader) counties(n ast.Node, path string) {
	seen := map[string]bool{}
	l.sequence(n, path, func(i int, v ast.Node, key string) {
		var c County
		var nameNode ast.Node
		var sourcesNode ast.Node
		l.mapping(v, key, map[string]func(ast.Node, string){
			"county": func(v ast.Node, k string) {
				nameNode = v
				s, ok := l.str(v, k)
				if !ok {
					return
				}
				county, found := region.Lookup(s)
				if !found {
					l.errorf(v, k, "未知的县区 %q（可用: %s，或 6 位区划代码）", s, strings.Join(region.Names(), "、"))
					return
				}
				if seen[county.Name] {
					l.errorf(v, k, "县区 %s 重复出现；同一县区的多个来源请写在一个 sources 列表里", county.Name)
					return
				}
				seen[county.Name] = true
				c.County, c.Code = county.Name, county.Code
			},
			"catalogue": func(v ast.Node, k string) {
				s, ok := l.str(v, k)
				if !ok || s == "" {
					return
				}
				p := s
				if !filepath.IsAbs(p) {
					p = filepath.Join(l.dir, p)
				}
				if _, err := os.Stat(p); err != nil {
					l.errorf(v, k, "找不到县区目录文件 %q", s)
					return
				}
				c.Catalogue = p
			},
			"sources": func(v ast.Node, k string) { sourcesNode = v },
		})
		if nameNode == nil {
			l.errorf(v, join(key, "county"), "缺少县区名称")
		}
		if sourcesNode != nil {
			c.Sources = l.sources(sourcesNode, join(key, "sources"))
		}
		l.cfg.Counties = append(l.cfg.Counties, c)
	})
}

// sourceDefaults are rules written at source level, inherited by its columns.
type ruleSet struct {
	list     ListRule
	paging   PagingRule
	detail   DetailRule
	maxPages int
	pattern  *regexp.Regexp

	pagingNode ast.Node // where paging was written, for errors found once rules are combined
	pagingKey  string
}

func (l *loader) sources(n ast.Node, path string) []Source {
	var out []Source
	if l.sourceNames == nil {
		l.sourceNames = map[string]int{}
	}
	l.sequence(n, path, func(i int, v ast.Node, key string) {
		s := Source{Charset: "auto"}
		var defaults ruleSet
		var columnsNode, presetNode, nameNode ast.Node
		extraHosts := []string{}
		fields := map[string]func(ast.Node, string){
			"name": func(v ast.Node, k string) {
				nameNode = v
				if name, ok := l.str(v, k); ok {
					if name == "" {
						l.errorf(v, k, "来源名称不能为空")
						return
					}
					if first, dup := l.sourceNames[name]; dup {
						l.errorf(v, k, "来源名称 %q 重复（第 %d 行已用过）；名称在整个配置中必须唯一", name, first)
						return
					}
					l.sourceNames[name] = line(v)
					s.Name = name
				}
			},
			"preset": func(v ast.Node, k string) {
				presetNode = v
				if p, ok := l.str(v, k); ok {
					if _, known := presets[p]; !known {
						l.errorf(v, k, "未知的预设 %q（可用: %s）", p, strings.Join(presetNames(), ", "))
						return
					}
					s.Preset = p
				}
			},
			"hosts": func(v ast.Node, k string) {
				extraHosts = l.strList(v, k, func(_ int, h string, n ast.Node, key string) bool {
					if err := checkHost(h); err != nil {
						l.errorf(n, key, "%v", err)
						return false
					}
					return true
				})
			},
			"charset": func(v ast.Node, k string) {
				if cs, ok := l.str(v, k); ok && cs != "" {
					if !strings.EqualFold(cs, "auto") {
						if _, err := htmlindex.Get(cs); err != nil {
							l.errorf(v, k, "未知的字符集 %q（auto、utf-8、gbk、gb18030 …）", cs)
							return
						}
					}
					s.Charset = strings.ToLower(cs)
				}
			},
			"columns": func(v ast.Node, k string) { columnsNode = v },
		}
		l.ruleFields(fields, &defaults)
		l.mapping(v, key, fields)
		if nameNode == nil {
			l.errorf(v, join(key, "name"), "缺少来源名称")
		}
		if presetNode == nil {
			s.Preset = "generic"
		}
		if columnsNode == nil {
			l.errorf(v, join(key, "columns"), "来源至少要有一个栏目")
		} else {
			s.Columns = l.columns(columnsNode, join(key, "columns"), s, defaults)
		}
		s.Hosts = scopeHosts(s.Columns, extraHosts)
		for i := range s.Columns {
			s.Columns[i].Hosts = s.Hosts
		}
		out = append(out, s)
	})
	return out
}

// ruleFields adds the keys shared by sources and columns: list, paging,
// detail, max_pages and pattern.
func (l *loader) ruleFields(fields map[string]func(ast.Node, string), r *ruleSet) {
	fields["list"] = func(v ast.Node, k string) { r.list = l.listRule(v, k) }
	fields["paging"] = func(v ast.Node, k string) { r.paging, r.pagingNode, r.pagingKey = l.pagingRule(v, k), v, k }
	fields["detail"] = func(v ast.Node, k string) { r.detail = l.detailRule(v, k) }
	fields["max_pages"] = func(v ast.Node, k string) {
		if x, ok := l.nonNegInt(v, k); ok {
			if x < 1 {
				l.errorf(v, k, "不能小于 1")
				return
			}
			r.maxPages = x
		}
	}
	fields["pattern"] = func(v ast.Node, k string) { r.pattern = l.regex(v, k) }
}

func (l *loader) columns(n ast.Node, path string, src Source, defaults ruleSet) []Column {
	var out []Column
	names := map[string]bool{}
	preset := presets[src.Preset]
	l.sequence(n, path, func(i int, v ast.Node, key string) {
		col := Column{Source: src.Name, Preset: src.Preset, Charset: src.Charset}
		var own ruleSet
		var urlNode, nameNode, itemsNode ast.Node
		fields := map[string]func(ast.Node, string){
			"name": func(v ast.Node, k string) {
				nameNode = v
				if s, ok := l.str(v, k); ok {
					if s == "" {
						l.errorf(v, k, "栏目名称不能为空")
						return
					}
					if names[s] {
						l.errorf(v, k, "栏目名称 %q 在本来源中重复", s)
						return
					}
					names[s] = true
					col.Name = s
				}
			},
			"url": func(v ast.Node, k string) {
				urlNode = v
				if s, ok := l.str(v, k); ok {
					if err := checkURL(s); err != nil {
						l.errorf(v, k, "%v", err)
						return
					}
					col.URL = s
				}
			},
			"items": func(v ast.Node, k string) {
				itemsNode = v
				col.Items = l.strList(v, k, func(_ int, code string, n ast.Node, key string) bool {
					if !slices.Contains(l.items, code) {
						l.errorf(n, key, "未知的目录事项 %q（可用: %s）", code, strings.Join(l.items, " "))
						return false
					}
					return true
				})
			},
		}
		l.ruleFields(fields, &own)
		l.mapping(v, key, fields)
		if nameNode == nil {
			l.errorf(v, join(key, "name"), "缺少栏目名称")
		}
		if urlNode == nil {
			l.errorf(v, join(key, "url"), "缺少栏目地址 url")
		}
		// items: [] is a column that holds no catalogue item (news, notices):
		// harvested for evidence, mentions and the column's health, never a
		// place where records are expected. Leaving the key out or empty is
		// still an error: the difference must be said.
		if itemsNode == nil {
			l.errorf(v, join(key, "items"), "缺少栏目可能包含的目录事项 items（如 [\"2.1\", \"2.2\"]；不含目录事项的栏目写 items: []）")
		} else if isNull(l.resolve(itemsNode)) {
			l.errorf(itemsNode, join(key, "items"), "目录事项 items 没有值（不含目录事项的栏目写 items: []）")
		}
		col.List = preset.List.overlay(defaults.list).overlay(own.list)
		col.Paging = preset.Paging.overlay(defaults.paging).overlay(own.paging)
		col.Detail = preset.Detail.overlay(defaults.detail).overlay(own.detail)
		if col.Paging.Kind == PagingQuery && col.Paging.Param == "" {
			col.Paging.Param = "page"
		}
		l.checkPaging(&col.Paging, src.Preset, v, key, defaults, own)
		col.MaxPages = l.cfg.Harvest.MaxPages
		if defaults.maxPages > 0 {
			col.MaxPages = defaults.maxPages
		}
		if own.maxPages > 0 {
			col.MaxPages = own.maxPages
		}
		col.Pattern = defaults.pattern
		if own.pattern != nil {
			col.Pattern = own.pattern
		}
		if col.Pattern != nil && col.URL != "" && !col.Pattern.MatchString(GuardedPart(col.URL)) {
			l.errorf(urlNode, join(key, "url"), "栏目地址的路径 %q 不符合 pattern %q", GuardedPart(col.URL), col.Pattern.String())
		}
		out = append(out, col)
	})
	return out
}

func (l *loader) listRule(n ast.Node, path string) ListRule {
	var r ListRule
	l.mapping(n, path, map[string]func(ast.Node, string){
		"item":         l.selector(&r.Item),
		"link":         l.selector(&r.Link),
		"title":        l.selector(&r.Title),
		"date":         l.selector(&r.Date),
		"docno":        l.selector(&r.DocNo),
		"link_pattern": func(v ast.Node, k string) { r.LinkPattern = l.regex(v, k) },
	})
	return r
}

func (l *loader) pagingRule(n ast.Node, path string) PagingRule {
	var r PagingRule
	n = l.resolve(n)
	if isScalar(n) { // paging: next-link
		r.Kind, _ = l.str(n, path)
		l.checkKind(n, path, r.Kind)
		return r
	}
	l.mapping(n, path, map[string]func(ast.Node, string){
		"kind": func(v ast.Node, k string) {
			if s, ok := l.str(v, k); ok {
				r.Kind = s
				l.checkKind(v, k, s)
			}
		},
		"param": func(v ast.Node, k string) { r.Param, _ = l.str(v, k) },
		"start": func(v ast.Node, k string) {
			if x, ok := l.nonNegInt(v, k); ok {
				r.Start = x
				if x == 0 {
					r.Start = -1 // explicit 0-based paging; 0 in the struct means "default 1"
				}
			}
		},
		"per_page": func(v ast.Node, k string) { r.PerPage, _ = l.nonNegInt(v, k) },
		"template": func(v ast.Node, k string) {
			if s, ok := l.str(v, k); ok {
				if !strings.Contains(s, "{n}") && !strings.Contains(s, "{i}") {
					l.errorf(v, k, "翻页模板必须含 {n}（页码，从 1 起）或 {i}（从 0 起）")
					return
				}
				r.Template = s
			}
		},
		"naming": func(v ast.Node, k string) {
			if s, ok := l.str(v, k); ok && s != "" {
				if !slices.Contains(Namings, s) {
					l.errorf(v, k, "未知的页面命名 %q（可用: trs = 第 2 页是 index_1，intertid = 第 2 页是 index_2，list-n = 第 2 页是 list_2）", s)
					return
				}
				r.Naming = s
			}
		},
		"form": func(v ast.Node, k string) {
			form := l.strMap(v, k)
			for name, val := range form {
				if name == "" || strings.ContainsAny(name, "&=? ") {
					l.errorf(v, k, "表单字段名 %q 有误", name)
					delete(form, name)
					continue
				}
				if val == "" {
					l.errorf(v, join(k, name), "表单字段 %s 的值不能为空（不需要就不要写这一项）", name)
					delete(form, name)
				}
			}
			if len(form) > 0 {
				r.Form = form
			}
		},
	})
	return r
}

// checkPaging checks the keys that only some kinds take, once the preset's,
// the source's and the column's rules are combined, and fills the default
// naming.
func (l *loader) checkPaging(r *PagingRule, preset string, colNode ast.Node, colKey string, defaults, own ruleSet) {
	at, key := colNode, join(colKey, "paging")
	if own.pagingNode != nil {
		at, key = own.pagingNode, own.pagingKey
	} else if defaults.pagingNode != nil {
		at, key = defaults.pagingNode, defaults.pagingKey
	}
	if r.Naming != "" && !slices.Contains(FileNamedKinds, r.Kind) {
		l.errorf(at, join(key, "naming"), "翻页方式 %s 不按文件名翻页，不能写 naming（naming 只用于 %s）", r.Kind, strings.Join(FileNamedKinds, ", "))
	}
	if len(r.Form) > 0 && r.Kind != PagingHanweb {
		l.errorf(at, join(key, "form"), "form 只用于 hanweb 翻页（数据接口 dataproxy.jsp 的表单），本栏目的翻页方式是 %s", r.Kind)
	}
	if r.Naming == "" {
		r.Naming = DefaultNaming(r.Kind, preset)
	}
}

func (l *loader) checkKind(n ast.Node, path, kind string) {
	if !slices.Contains(PagingKinds, kind) {
		l.errorf(n, path, "未知的翻页方式 %q（可用: %s）", kind, strings.Join(PagingKinds, ", "))
	}
}

func (l *loader) detailRule(n ast.Node, path string) DetailRule {
	var r DetailRule
	l.mapping(n, path, map[string]func(ast.Node, string){
		"title":       l.selector(&r.Title),
		"date":        l.selector(&r.Date),
		"body":        l.selector(&r.Body),
		"metadata":    l.selector(&r.Metadata),
		"attachments": l.selector(&r.Attachments),
	})
	return r
}

// selector reads a CSS selector with an optional @attr suffix and checks it compiles.
func (l *loader) selector(dst *string) func(ast.Node, string) {
	return func(v ast.Node, k string) {
		s, ok := l.str(v, k)
		if !ok || s == "" {
			return
		}
		if err := CheckSelector(s); err != nil {
			l.errorf(v, k, "选择器 %q 有误: %v", s, err)
			return
		}
		*dst = s
	}
}

func (l *loader) regex(v ast.Node, k string) *regexp.Regexp {
	s, ok := l.str(v, k)
	if !ok || s == "" {
		return nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		l.errorf(v, k, "正则表达式 %q 有误: %v", s, err)
		return nil
	}
	return re
}

func (l *loader) credit(n ast.Node, path string) {
	c := &Credit{Name: "gsxt"}
	var urlNode ast.Node
	l.mapping(n, path, map[string]func(ast.Node, string){
		"name": func(v ast.Node, k string) {
			if s, ok := l.str(v, k); ok && s != "" {
				c.Name = s
			}
		},
		"url": func(v ast.Node, k string) {
			urlNode = v
			if s, ok := l.str(v, k); ok {
				if err := checkURL(s); err != nil {
					l.errorf(v, k, "%v", err)
					return
				}
				c.URL = s
			}
		},
		"cookies": func(v ast.Node, k string) { c.Cookies = l.strMap(v, k) },
		"captcha": func(v ast.Node, k string) { c.Captcha = l.strMap(v, k) },
	})
	if urlNode == nil {
		l.errorf(n, join(path, "url"), "缺少信用公示系统地址 url")
	}
	if first, dup := l.sourceNames[c.Name]; dup {
		l.errorf(n, join(path, "name"), "来源名称 %q 与第 %d 行的来源重复", c.Name, first)
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
