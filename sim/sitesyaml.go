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
	fmt.Fprintf(&b, "harvest: {delay: 0s, full_every: 7, max_pages: %d}\n", maxPages)
	b.WriteString("counties:\n")
	for _, site := range w.sites {
		sc := site.sourceConfig()
		base := s.SiteURL(site.County.Name)
		fmt.Fprintf(&b, "  - county: %s\n    sources:\n", site.County.Name)
		fmt.Fprintf(&b, "      - name: %s\n        preset: %s\n", sc.name, sc.preset)
		fmt.Fprintf(&b, "        # family: %s; host imitated: %s\n", site.Family, site.Host)
		b.WriteString("        columns:\n")
		for _, c := range site.Columns {
			items := make([]string, len(c.Items))
			for i, it := range c.Items {
				items[i] = yq(it)
			}
			fmt.Fprintf(&b, "          - name: %s\n", c.Name)
			fmt.Fprintf(&b, "            url: %s\n", yq(base+site.columnURL(c)))
			fmt.Fprintf(&b, "            items: [%s]\n", strings.Join(items, ", "))
			if len(sc.list) > 0 {
				fmt.Fprintf(&b, "            list: %s\n", flowMap(sc.list))
			}
			if len(sc.paging) > 0 {
				fmt.Fprintf(&b, "            paging: %s\n", flowMap(sc.paging))
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
