package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// sourceConfig is how a person would configure a county site of this world
// in sites.yaml: the preset plus the overrides its variant needs.
type sourceConfig struct {
	name, preset string
	list         [][2]string // key, value
	paging       [][2]string
	detail       [][2]string
	pattern      string
}

func (s *Site) sourceConfig() sourceConfig {
	switch s.County.Name {
	case "城区":
		// TRS as the preset expects it: div.view.right ul li > a[title] + span,
		// createPageHTML paging.
		return sourceConfig{name: "chengqu-xxgk", preset: "trs",
			list:   [][2]string{{"item", "div.view.right ul li"}, {"link", "a"}, {"title", "a@title"}, {"date", "span"}},
			detail: [][2]string{{"body", "div.trs_editor_view"}}}
	case "沁水县":
		return sourceConfig{name: "qinshui-xxgk", preset: "trs",
			list:   [][2]string{{"item", "div.list_con ul li"}, {"link", "a"}, {"title", "a@title"}, {"date", "span"}},
			paging: [][2]string{{"kind", "list-n"}},
			detail: [][2]string{{"body", "div.TRS_Editor"}}}
	case "阳城县":
		return sourceConfig{name: "yangcheng-xxgk", preset: "intertid",
			list: [][2]string{{"item", "table.affairs-document-box tbody tr"}, {"link", "a.doc-title"}, {"title", "a.doc-title@title"},
				{"date", "td.affaires-doc-published"}, {"docno", "td.affaires-doc-sizes"}},
			detail: [][2]string{{"body", "#UCAP-CONTENT"}}}
	case "陵川县":
		return sourceConfig{name: "lingchuan-jcms", preset: "hanweb",
			detail: [][2]string{{"body", "div#zoom"}}}
	case "泽州县":
		return sourceConfig{name: "zezhou-portal", preset: "generic",
			list:    [][2]string{{"item", "ul.list_ul li"}, {"link", "a"}, {"title", "a@title"}, {"date", "span"}},
			paging:  [][2]string{{"kind", "next-link"}},
			detail:  [][2]string{{"title", "div.article h1"}, {"date", "div.article div.info"}, {"body", "div#article"}},
			pattern: `^/index\.php\?m=content&c=index&a=(lists|show)&catid=\d+`}
	case "高平市":
		if s.jsonAPI {
			// The API rule is per column (its channelId): see columnPaging.
			return sourceConfig{name: "gaoping-jyh", preset: "jsonapi",
				detail: [][2]string{{"body", "#UCAP-CONTENT"}}}
		}
		return sourceConfig{name: "gaoping-xxgk", preset: "trs",
			list:   [][2]string{{"item", "div.textnews-list ul li"}, {"link", "a"}, {"title", "a"}, {"date", "em"}},
			paging: [][2]string{{"kind", "count-var"}},
			detail: [][2]string{{"body", "#UCAP-CONTENT"}}}
	}
	return sourceConfig{}
}

func yq(s string) string { return strconv.Quote(s) }

func flowMap(kv [][2]string) string {
	parts := make([]string, len(kv))
	for i, p := range kv {
		parts[i] = p[0] + ": " + yq(p[1])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// SitesYAML is the harvester configuration for this world as served by s:
// every county site with its columns, and the credit mock with the session
// it accepts.
func (w *World) SitesYAML(s *Server) []byte {
	var b strings.Builder
	maxPages := 200
	now := w.AsOf()
	for _, site := range w.sites {
		for _, c := range site.Columns {
			vis, _ := c.visibleEntries(now)
			if n := pageCount(len(vis), c.PerPage) * 2; n > maxPages {
				maxPages = n
			}
		}
	}
	fmt.Fprintf(&b, "# gongkai 模拟世界 seed=%d as_of=%s size=%s\n", w.opts.Seed, now, w.opts.Size)
	if w.opts.Unfamiliar {
		b.WriteString("# 陌生站点变体（unfamiliar）：见 sim/README.md\n")
	}
	fmt.Fprintf(&b, "harvest: {delay: 0s, full_every: 7, max_pages: %d}\n", maxPages)
	b.WriteString("counties:\n")
	for _, site := range w.sites {
		sc := site.sourceConfig()
		base := s.SiteURL(site.County.Name)
		fmt.Fprintf(&b, "  - county: %s\n    sources:\n", site.County.Name)
		fmt.Fprintf(&b, "      - name: %s\n        preset: %s\n", sc.name, sc.preset)
		fmt.Fprintf(&b, "        # family: %s; host imitated: %s\n", site.Family, site.Host)
		if site.jsonAPI {
			b.WriteString("        # variant: 集约化 platform: empty column shells, the list from /api/cms/list (JSON with total)\n")
		}
		if v := site.variantNote(); v != "" {
			fmt.Fprintf(&b, "        # variant: %s\n", v)
		}
		b.WriteString("        columns:\n")
		for _, c := range site.Columns {
			items := make([]string, len(c.Items))
			for i, it := range c.Items {
				items[i] = yq(it)
			}
			fmt.Fprintf(&b, "          - name: %s\n", c.Name)
			fmt.Fprintf(&b, "            url: %s\n", yq(base+site.configURL(c)))
			fmt.Fprintf(&b, "            items: [%s]\n", strings.Join(items, ", "))
			if c.Kind != "" {
				fmt.Fprintf(&b, "            kind: %s\n", c.Kind)
			}
			if len(sc.list) > 0 {
				fmt.Fprintf(&b, "            list: %s\n", flowMap(sc.list))
			}
			if len(sc.paging) > 0 {
				fmt.Fprintf(&b, "            paging: %s\n", flowMap(sc.paging))
			}
			if site.jsonAPI {
				fmt.Fprintf(&b, "            paging: {api: {url: %s, entries: data, title: title, link: url, date: publishDate, total: total}}\n",
					yq(fmt.Sprintf("/api/cms/list?channelId=%d", apiChannel(site, c))))
			}
			if c.ScriptList {
				b.WriteString("            render: browser\n")
			}
			if len(sc.detail) > 0 {
				fmt.Fprintf(&b, "            detail: %s\n", flowMap(sc.detail))
			}
			if sc.pattern != "" {
				fmt.Fprintf(&b, "            pattern: %s\n", yq(sc.pattern))
			}
		}
	}
	sess := w.CreditSession()
	b.WriteString("credit:\n  name: gsxt\n")
	fmt.Fprintf(&b, "  url: %s\n", yq(s.CreditURL()+"/"))
	fmt.Fprintf(&b, "  cookies: {__jsluid_h: %s, __jsl_clearance_s: %s}\n", yq(sess.Cookies["__jsluid_h"]), yq(sess.Cookies["__jsl_clearance_s"]))
	fmt.Fprintf(&b, "  captcha: {geetest_challenge: %s, geetest_validate: %s, geetest_seccode: %s}\n",
		yq(sess.Captcha["geetest_challenge"]), yq(sess.Captcha["geetest_validate"]), yq(sess.Captcha["geetest_seccode"]))
	return []byte(b.String())
}

// configURL is the first list page a careful configuration names: the
// column's own page, except for a script-filled shell, where it is the
// shell's plain HTML list (&ajax=0, linked from its <noscript>).
func (s *Site) configURL(c *Column) string {
	if c.Shell {
		return s.columnURL(c) + "&ajax=0"
	}
	return s.columnURL(c)
}

// variantNote says, in the generated sites.yaml, which unfamiliar variant
// the site shows ("" in the familiar world).
func (s *Site) variantNote() string {
	if !s.uf.on {
		return ""
	}
	switch s.County.Name {
	case "城区":
		return "404号 in titles; 工作动态 carries 宣传周 activities; pinned 说明 in 行政处罚"
	case "沁水县":
		return "decisions as full 决定书 texts (elements in prose)"
	case "阳城县":
		return "var _pageCount only (no 共N页), index_2.shtml, index_1 is 404; sampling basis in prose"
	case "陵川县":
		return "jpage ajaxParam/proxyUrl as variables (webid 35); dataproxy without webid/unitid lists 0; 1404号"
	case "泽州县":
		return "404号 in a table; 监督检查 is a script-filled shell (url: its &ajax=0 list); 投诉举报 is blank (暂无信息)"
	case "高平市":
		return "scanned (image-only) PDF decisions"
	}
	return ""
}
