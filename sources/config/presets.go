package config

import (
	"regexp"
	"sort"
)

// Preset is the shape of one CMS family: the rules a column of that family
// gets unless it overrides them. Empty selector fields leave the decision
// to the parser's heuristics, which cover the variants sites.md records.
type Preset struct {
	Name        string
	Description string // Chinese, for the onboarding guide and error messages
	List        ListRule
	Paging      PagingRule
	Detail      DetailRule
}

// TRS WCM detail pages: ./YYYYMM/tYYYYMMDD_NNNNNNN.shtml (multi-page: _1).
var trsDetail = regexp.MustCompile(`/t\d{8}_\d+(?:_\d+)?\.s?html?$`)

// Hanweb jcms articles: /art/2025/12/15/art_33718_11693505.html.
var hanwebDetail = regexp.MustCompile(`/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$`)

var presets = map[string]Preset{
	"trs": {
		Name: "trs",
		Description: "拓尔思 TRS WCM：栏目页 index.shtml，翻页 index_1.shtml…（页数只在 createPageHTML 脚本里），" +
			"详情页 ./YYYYMM/tYYYYMMDD_N.shtml",
		List:   ListRule{DocNo: "td.affaires-doc-sizes", LinkPattern: trsDetail},
		Paging: PagingRule{Kind: PagingCreatePageHTML, Naming: NamingTRS},
	},
	"intertid": {
		Name:        "intertid",
		Description: "intertid 系统：与 TRS 相似，但第 2 页是 index_2.shtml（index_1 不存在）",
		List:        ListRule{DocNo: "td.affaires-doc-sizes"},
		Paging:      PagingRule{Kind: PagingIntertid, Naming: NamingIntertid},
	},
	"hanweb": {
		Name: "hanweb",
		Description: "大汉 Hanweb jcms：栏目页 /col/colID/index.html 内嵌 datastore，" +
			"其余记录由 /module/web/jpage/dataproxy.jsp 分批返回，文章 /art/Y/M/D/art_栏目_编号.html",
		List:   ListRule{LinkPattern: hanwebDetail},
		Paging: PagingRule{Kind: PagingHanweb},
	},
	"generic": {
		Name:        "generic",
		Description: "通用：按“下一页”链接翻页，条目、日期、正文均自动识别，必要时用选择器覆盖",
		Paging:      PagingRule{Kind: PagingNextLink},
	},
}

// Presets returns the known presets, by name.
func Presets() []Preset {
	out := make([]Preset, 0, len(presets))
	for _, p := range presets {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupPreset returns the preset with the given name.
func LookupPreset(name string) (Preset, bool) {
	p, ok := presets[name]
	return p, ok
}

func presetNames() []string {
	var names []string
	for _, p := range Presets() {
		names = append(names, p.Name)
	}
	return names
}

// overlay returns base with every non-empty field of top replacing it.
func (base ListRule) overlay(top ListRule) ListRule {
	if top.Item != "" {
		base.Item = top.Item
	}
	if top.Link != "" {
		base.Link = top.Link
	}
	if top.Title != "" {
		base.Title = top.Title
	}
	if top.Date != "" {
		base.Date = top.Date
	}
	if top.DocNo != "" {
		base.DocNo = top.DocNo
	}
	if top.LinkPattern != nil {
		base.LinkPattern = top.LinkPattern
	}
	return base
}

func (base PagingRule) overlay(top PagingRule) PagingRule {
	if top.Kind != "" && top.Kind != base.Kind {
		// A different paging kind starts from a clean rule: a preset's
		// parameters mean nothing to another kind.
		base = PagingRule{Kind: top.Kind}
	}
	if top.Param != "" {
		base.Param = top.Param
	}
	if top.Start != 0 {
		base.Start = top.Start
	}
	if top.PerPage != 0 {
		base.PerPage = top.PerPage
	}
	if top.Template != "" {
		base.Template = top.Template
	}
	if top.Naming != "" {
		base.Naming = top.Naming
	}
	if len(top.Form) > 0 {
		form := map[string]string{}
		for k, v := range base.Form {
			form[k] = v
		}
		for k, v := range top.Form {
			form[k] = v
		}
		base.Form = form
	}
	return base
}

func (base DetailRule) overlay(top DetailRule) DetailRule {
	if top.Title != "" {
		base.Title = top.Title
	}
	if top.Date != "" {
		base.Date = top.Date
	}
	if top.Body != "" {
		base.Body = top.Body
	}
	if top.Metadata != "" {
		base.Metadata = top.Metadata
	}
	if top.Attachments != "" {
		base.Attachments = top.Attachments
	}
	return base
}
