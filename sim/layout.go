package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"gongkai/calendar"
	"gongkai/region"
)

// labelSet is how a site labels its 信息公开 metadata table. Extraction must
// go by label, so the sites disagree on wording, spacing and cell order.
type labelSet struct {
	Index, Topic, Org, Date, DocNo string
	DateIsPub                      bool   // the date label is 发布日期 and shows the publication day
	EmptyDocNo                     string // how an empty 文号 is shown
	DocNoFirst                     bool   // 文号 row before the 索引号 row
	Table                          bool   // the site has table.affairs-detail-head at all
}

// penLabelSet is how a site labels the elements of a penalty decision.
type penLabelSet struct {
	Party, Case, Fact, Basis, Kind, Content, Authority, Date, DocNo, Deadline string
	Combined                                                                  bool // 处罚种类和内容 in one line
	AsTable                                                                   bool // label/value table instead of paragraphs
}

// docStyle is a bureau's way of writing its decision numbers.
type docStyle struct {
	Prefix, SimplePrefix string
	Open, Close          string
	Di                   bool // 第 before the number
	Pad                  int  // zero-padded width of the number
}

func (s docStyle) format(year, n int, simple bool) string {
	p := s.Prefix
	if simple {
		p = s.SimplePrefix
	}
	num := fmt.Sprintf("%d", n)
	if s.Pad > 0 {
		num = fmt.Sprintf("%0*d", s.Pad, n)
	}
	di := ""
	if s.Di {
		di = "第"
	}
	return fmt.Sprintf("%s%s%d%s%s%s号", p, s.Open, year, s.Close, di, num)
}

var bracketPairs = [][2]string{{"〔", "〕"}, {"[", "]"}, {"（", "）"}, {"【", "】"}, {"﹝", "﹞"}, {"［", "］"}, {"(", ")"}, {"〖", "〗"}}

// variant writes the same decision number differently (brackets, full-width
// digits, 第, leading zeros, spaces) — the normalised key stays the same.
func (s docStyle) variant(r *rand.Rand, year, n int, simple bool) string {
	canon := s.format(year, n, simple)
	for range 10 {
		v := s
		fullWidth, spaces := false, false
		switch r.IntN(5) {
		case 0:
			for {
				bp := pick(r, bracketPairs)
				if bp[0] != s.Open {
					v.Open, v.Close = bp[0], bp[1]
					break
				}
			}
		case 1:
			fullWidth = true
		case 2:
			v.Di = !s.Di
		case 3:
			if s.Pad > 0 {
				v.Pad = 0
			} else {
				v.Pad = between(r, 3, 4)
			}
		case 4:
			spaces = true
			v.Open = pick(r, bracketPairs)[0]
			for _, bp := range bracketPairs {
				if bp[0] == v.Open {
					v.Close = bp[1]
				}
			}
		}
		out := v.format(year, n, simple)
		if fullWidth {
			out = toFullWidthDigits(out)
		}
		if spaces {
			out = strings.Replace(out, v.Open, " "+v.Open, 1)
			out = strings.Replace(out, v.Close, v.Close+" ", 1)
		}
		if out != canon {
			return out
		}
	}
	return toFullWidthDigits(canon)
}

func toFullWidthDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			c = c - '0' + '０'
		}
		b.WriteRune(c)
	}
	return b.String()
}

var cityDocStyle = docStyle{Prefix: "晋市监罚", SimplePrefix: "晋市监简罚", Open: "〔", Close: "〕"}

const cityBureau = "晋城市市场监督管理局"

// newSites lays out the six county sites. The assignment of families and
// variants is fixed (not seed-dependent) so tests and the harvester's
// configuration can rely on which county shows which shape.
func newSites(size Size, unfamiliarWorld bool) []*Site {
	per := func(small, large int) int {
		if size == Large {
			return large
		}
		return small
	}
	ymd := func(d calendar.Date) string { return d.String() }
	sites := make([]*Site, 0, len(region.Jincheng))
	for _, c := range region.Jincheng {
		s := &Site{County: c, Charset: "utf-8", ETag: true, LastModified: true, HeaderCharset: "utf-8", listDate: ymd}
		org := c.Name + "市场监督管理局"
		if c.Name == "城区" {
			org = "晋城市城区市场监督管理局"
		}
		s.Org = org
		switch c.Name {
		case "城区":
			s.Family = FamTRS
			s.Host = "xxgk.jccq.gov.cn"
			s.SiteName = "晋城市城区人民政府信息公开"
			s.labels = labelSet{Table: true, Index: "索引号", Topic: "主题分类", Org: "发布机构", Date: "生成日期", DocNo: "文号", EmptyDocNo: "—  —"}
			s.penLabels = penLabelSet{Party: "当事人", Case: "案件名称", Fact: "违法事实", Basis: "处罚依据", Kind: "处罚种类", Content: "处罚内容",
				Authority: "作出处罚决定部门", Date: "处罚时间", DocNo: "决定书文号", Deadline: "履行方式和期限"}
			s.docStyle = docStyle{Prefix: "城区市监罚", SimplePrefix: "城区市监简罚", Open: "〔", Close: "〕"}
			base := "/qzf/cqscjgj/fdzdgknr/spypjgly/gknr/"
			s.Columns = []*Column{
				{Name: "行政处罚", Slug: "xzcf", Items: []string{"2.1", "2.2", "2.3", "2.4"}, Dir: base + "xzcf/"},
				{Name: "监督检查", Slug: "jdjc", Items: []string{"1.1", "1.2", "1.4", "1.5", "1.6", "1.7"}, Dir: base + "jdjc/"},
				{Name: "食品安全抽检", Slug: "spaqcj_xsjj", Items: []string{"1.3"}, Dir: base + "spaqcj_xsjj/"},
				{Name: "公共服务", Slug: "ggfw", Items: []string{"3.1", "3.2", "3.3", "3.4"}, Dir: base + "ggfw/"},
			}
			for _, col := range s.Columns {
				col.PerPage = per(10, 20)
			}
		case "沁水县":
			s.Family = FamTRSList
			s.Host = "www.qinshui.gov.cn"
			s.SiteName = "沁水县人民政府"
			s.Charset = "gb2312"
			s.HeaderCharset = "" // the charset is only in <meta>
			s.ETag = false       // Last-Modified only
			s.labels = labelSet{Table: true, Index: "信息索引号", Topic: "所属主题", Org: "发布机构", Date: "生成日期", DocNo: "文号", EmptyDocNo: "无"}
			s.penLabels = penLabelSet{Party: "行政相对人名称", Case: "案件名称", Fact: "主要违法事实", Basis: "处罚依据", Kind: "处罚种类和内容",
				Combined: true, Authority: "处罚机关", Date: "处罚决定日期", DocNo: "行政处罚决定书文号", Deadline: "处罚履行方式和期限", AsTable: true}
			s.docStyle = docStyle{Prefix: "沁市监罚字", SimplePrefix: "沁市监简罚字", Open: "（", Close: "）"}
			s.listDate = func(d calendar.Date) string { return "[" + d.String() + "]" }
			s.penaltyPDF = 0.7
			base := "/xxgk/bmxxgk/qsxscjdglj/"
			s.Columns = []*Column{
				{Name: "行政处罚", Slug: "xzcf", Items: []string{"2.1", "2.2", "2.3", "2.4"}, Dir: base + "xzcf/"},
				{Name: "监督检查", Slug: "jdjc", Items: []string{"1.1", "1.2", "1.4", "1.5", "1.6"}, Dir: base + "jdjc/"},
				{Name: "抽检信息", Slug: "cjxx", Items: []string{"1.3", "1.7"}, Dir: base + "cjxx/"},
				// This column's header says UTF-8 while its pages are GB18030.
				{Name: "公共服务", Slug: "ggfw", Items: []string{"3.1", "3.2", "3.3", "3.4"}, Dir: base + "ggfw/", HeaderCharset: "UTF-8"},
			}
			for _, col := range s.Columns {
				col.PerPage = per(10, 20)
			}
		case "阳城县":
			s.Family = FamIntertid
			s.Host = "www.yczf.gov.cn"
			s.SiteName = "阳城县人民政府"
			s.HeaderCharset = "GBK" // contradicts the UTF-8 body and its <meta>
			s.LastModified = false  // ETag only
			s.labels = labelSet{Table: true, Index: "索　引　号", Topic: "主题分类", Org: "发文机关", Date: "成文日期", DocNo: "发文字号", EmptyDocNo: "—  —", DocNoFirst: true}
			s.penLabels = penLabelSet{Party: "处罚对象", Case: "案件名称", Fact: "违法事实", Basis: "处罚依据", Kind: "处罚种类和内容", Combined: true,
				Authority: "作出处罚决定部门", Date: "处罚时间", DocNo: "处罚决定书号", Deadline: "处罚履行方式和期限"}
			s.docStyle = docStyle{Prefix: "阳市监罚", SimplePrefix: "阳市监简罚", Open: "〔", Close: "〕", Pad: 3}
			s.listDate = func(d calendar.Date) string {
				return fmt.Sprintf("%04d年%02d月%02d日", d.Year(), int(d.Month()), d.Day())
			}
			base := "/yczf/xxgk/bmxxgk/scjgj/"
			s.Columns = []*Column{
				{Name: "行政处罚", Slug: "xzcf", Items: []string{"2.1", "2.2", "2.3", "2.4"}, Dir: base + "xzcf/"},
				{Name: "监督检查", Slug: "jdjc", Items: []string{"1.1", "1.2", "1.4", "1.5", "1.6"}, Dir: base + "jdjc/"},
				{Name: "食品药品抽检", Slug: "spcj", Items: []string{"1.3", "1.7"}, Dir: base + "spcj/"},
				{Name: "公共服务", Slug: "ggfw", Items: []string{"3.1", "3.2", "3.3", "3.4"}, Dir: base + "ggfw/"},
			}
			for _, col := range s.Columns {
				col.PerPage = per(10, 20)
			}
		case "陵川县":
			s.Family = FamHanweb
			s.Host = "www.lingchuan.gov.cn"
			s.SiteName = "陵川县人民政府"
			s.labels = labelSet{}
			s.penLabels = penLabelSet{Party: "当事人", Case: "案由", Fact: "违法事实", Basis: "处罚依据", Kind: "处罚种类", Content: "处罚内容",
				Authority: "处罚机关", Date: "作出处罚决定日期", DocNo: "处罚决定书文号", Deadline: "履行期限", AsTable: true}
			s.docStyle = docStyle{Prefix: "陵市监处罚", SimplePrefix: "陵市监简罚", Open: "[", Close: "]"}
			s.penaltyPDF = 0.2
			s.Columns = []*Column{
				{Name: "行政处罚", Slug: "col4127", Items: []string{"2.1", "2.2", "2.3", "2.4"}, HanwebID: 4127, UnitID: 21871},
				{Name: "监督检查", Slug: "col4128", Items: []string{"1.1", "1.2", "1.4", "1.5", "1.6"}, HanwebID: 4128, UnitID: 21872},
				{Name: "抽检信息", Slug: "col4129", Items: []string{"1.3", "1.7"}, HanwebID: 4129, UnitID: 21873},
				{Name: "公共服务", Slug: "col4130", Items: []string{"3.1", "3.2", "3.3", "3.4"}, HanwebID: 4130, UnitID: 21874},
			}
			for _, col := range s.Columns {
				col.PerPage = per(5, 15)
			}
		case "泽州县":
			s.Family = FamGeneric
			s.Host = "www.zezhou.gov.cn"
			s.SiteName = "泽州县人民政府"
			s.ETag, s.LastModified = false, false // no validators at all
			s.SoftNotFound = true
			s.labels = labelSet{}
			s.penLabels = penLabelSet{} // penalties only as 案件信息公开表
			s.docStyle = docStyle{Prefix: "泽市监罚", SimplePrefix: "泽市监简罚", Open: "〔", Close: "〕"}
			s.listDate = func(d calendar.Date) string { return fmt.Sprintf("%02d-%02d", int(d.Month()), d.Day()) }
			s.Columns = []*Column{
				{Name: "行政处罚", Slug: "xzcf", Items: []string{"2.1", "2.2", "2.3", "2.4"}, CatID: 35},
				{Name: "监督检查", Slug: "jdjc", Items: []string{"1.1", "1.2", "1.4", "1.5", "1.6"}, CatID: 36},
				{Name: "抽检公告", Slug: "cjgg", Items: []string{"1.3", "1.7"}, CatID: 37},
				{Name: "公告公示", Slug: "gggs", Items: []string{"3.1", "3.2", "3.3", "3.4"}, CatID: 38},
			}
			for _, col := range s.Columns {
				col.PerPage = per(8, 20)
			}
		case "高平市":
			s.Family = FamTRSCount
			s.Host = "www.sxgp.gov.cn"
			s.SiteName = "高平市人民政府"
			s.labels = labelSet{Table: true, Index: "索 引 号", Topic: "主题分类", Org: "公开机构", Date: "发布日期", DateIsPub: true, DocNo: "文件编号", EmptyDocNo: "无", DocNoFirst: true}
			s.penLabels = penLabelSet{Party: "行政相对人名称", Case: "案件名称", Fact: "违法事实", Basis: "处罚依据", Kind: "处罚类别", Content: "处罚内容",
				Authority: "处罚机关", Date: "处罚决定日期", DocNo: "行政处罚决定书文号", Deadline: "处罚履行方式和期限"}
			s.docStyle = docStyle{Prefix: "高市监罚字", SimplePrefix: "高市监简罚字", Open: "〔", Close: "〕", Di: true, Pad: 4}
			s.listDate = func(d calendar.Date) string { return fmt.Sprintf("%d-%d-%d", d.Year(), int(d.Month()), d.Day()) }
			s.penaltyPDF = 0.15
			base := "/xxgk/bmxxgk/scjgj/"
			s.Columns = []*Column{
				{Name: "行政处罚", Slug: "xzcf", Items: []string{"2.1", "2.2", "2.3", "2.4"}, Dir: base + "xzcf/"},
				{Name: "监督检查", Slug: "jdjc", Items: []string{"1.1", "1.2", "1.4", "1.5", "1.6"}, Dir: base + "jdjc/"},
				{Name: "抽检公告", Slug: "cjgg", Items: []string{"1.3", "1.7"}, Dir: base + "cjgg/"},
				{Name: "公共服务", Slug: "ggfw", Items: []string{"3.1", "3.2", "3.3", "3.4"}, Dir: base + "ggfw/"},
			}
			for _, col := range s.Columns {
				col.PerPage = per(10, 20)
			}
		}
		if unfamiliarWorld {
			s.makeUnfamiliar(per)
		}
		s.byPath = map[string]*Entry{}
		s.attach = map[string]*Attachment{}
		s.byID = map[int]*Entry{}
		sites = append(sites, s)
	}
	return sites
}

// columnFor returns the site's column that holds the catalogue item.
func (s *Site) columnFor(item string) *Column {
	for _, c := range s.Columns {
		if c.Blank {
			continue // never holds anything
		}
		for _, it := range c.Items {
			if it == item {
				return c
			}
		}
	}
	return s.Columns[len(s.Columns)-1]
}

func (s *Site) columnByName(name string) *Column {
	for _, c := range s.Columns {
		if c.Name == name || c.Slug == name {
			return c
		}
	}
	return nil
}

// makeUnfamiliar switches a site to its unfamiliar variant (Options.Unfamiliar).
// Each county shows the failure classes sim/README.md lists for it.
func (s *Site) makeUnfamiliar(per func(small, large int) int) {
	s.uf.on = true
	switch s.County.Name {
	case "城区":
		// 404号 decisions with the number in the title; a 工作动态 news
		// column carrying some 宣传周 activities; a pinned 说明.
		s.uf.numberBase = 400
		s.uf.newsActivities = true
		s.uf.pinnedNote = true
		s.Columns = append(s.Columns, &Column{Name: "工作动态", Slug: "gzdt", Items: []string{"3.4"}, Kind: "news",
			Dir: "/qzf/cqscjgj/fdzdgknr/spypjgly/gknr/gzdt/", PerPage: per(10, 20)})
	case "沁水县":
		// Full 决定书 texts: elements stated in sentences.
		s.uf.prose = true
		s.penaltyPDF = 0.3
	case "阳城县":
		// Only var _pageCount declares the count; sampling notices state
		// 检查实施主体 and 检验依据 in prose above a body result table.
		s.uf.countVarOnly = true
		s.uf.samplingProse = true
		for _, c := range s.Columns {
			c.PerPage = per(5, 20)
		}
	case "陵川县":
		// jpage({ajaxParam: param_4127, proxyUrl: proxyurl_4127}); 1404号.
		s.uf.hanwebVarParam = true
		s.uf.numberBase = 1400
		s.uf.noHead = true // and its server refuses HEAD
	case "泽州县":
		// 404号 in a 案件信息公开表; 监督检查 is a script-filled shell; a
		// blank 投诉举报 column says 暂无信息.
		s.uf.numberBase = 400
		s.columnByName("监督检查").Shell = true
		blank := &Column{Name: "投诉举报", Slug: "tsjb", Items: []string{"3.3"}, CatID: 39, PerPage: per(8, 20), Blank: true}
		last := s.Columns[len(s.Columns)-1]
		s.Columns = append(s.Columns[:len(s.Columns)-1], blank, last)
	case "高平市":
		// Half of the PDF-only decisions are image-only scans.
		s.penaltyPDF = 0.4
		s.uf.scanShare = 0.5
	}
}

// hanwebWebID is the webid the site's jpage form carries.
func (s *Site) hanwebWebID() int {
	if s.uf.hanwebVarParam {
		return 35
	}
	return 27
}
