package sim

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"gongkai/calendar"
)

// ---- shared chrome ----

func (s *Site) header(p *page) {
	p.w(`<div class="header"><div class="logo"><a href="/">`, esc(s.SiteName), "</a></div>\n")
	p.w(`<ul class="nav"><li><a href="/">首页</a></li>`)
	for _, c := range s.Columns {
		p.w(`<li><a href="`, esc(s.columnURL(c)), `">`, esc(c.Name), "</a></li>")
	}
	p.w("</ul></div>\n")
}

func (s *Site) footer(p *page) {
	p.w(`<div class="footer"><ul class="links">`)
	p.w(`<li><a href="http://www.gov.cn/" target="_blank">中国政府网</a></li>`)
	p.w(`<li><a href="http://www.shanxi.gov.cn/" target="_blank">山西省人民政府</a></li>`)
	p.w(`<li><a href="http://www.jcgov.gov.cn/" target="_blank">晋城市人民政府</a></li>`)
	p.w("</ul><p>主办：", esc(s.SiteName), "　承办：", esc(s.Org), "　网站标识码：", s.County.Code, "0001</p></div>\n")
}

// columnURL is the first list page of a column (path and query).
func (s *Site) columnURL(c *Column) string {
	switch s.Family {
	case FamHanweb:
		return fmt.Sprintf("/col/col%d/index.html", c.HanwebID)
	case FamGeneric:
		return fmt.Sprintf("/index.php?m=content&c=index&a=lists&catid=%d", c.CatID)
	case FamTRSList:
		return c.Dir + "index.html"
	}
	return c.Dir + "index.shtml"
}

func (s *Site) home() []byte {
	var p page
	p.w("<!DOCTYPE html>\n<html>\n<head>\n")
	s.metaCharset(&p)
	p.w("<title>", esc(s.SiteName), "</title>\n</head>\n<body>\n")
	s.header(&p)
	p.w(`<div class="main"><h2>`, esc(s.Org), "信息公开</h2><ul>")
	for _, c := range s.Columns {
		p.w(`<li><a href="`, esc(s.columnURL(c)), `">`, esc(c.Name), "</a></li>")
	}
	p.w("</ul></div>\n")
	s.footer(&p)
	p.w("</body>\n</html>\n")
	return s.encode(p.String())
}

// pageCount is how many list pages a column has for n entries.
func pageCount(n, per int) int {
	if n == 0 {
		return 1
	}
	return (n + per - 1) / per
}

// href is how a list page links to an entry.
func (s *Site) href(c *Column, e *Entry) string {
	if e.kind == kindOffsite {
		return e.offsiteURL
	}
	switch s.Family {
	case FamHanweb:
		return e.Path
	case FamGeneric:
		return e.Path[1:] // relative: index.php?…
	}
	return "./" + e.Path[len(c.Dir):]
}

// ---- detail pages ----

func (s *Site) renderDetail(e *Entry, now calendar.Date) []byte {
	if d := e.declaredOn(now); d != e.Published {
		// A redated page: rendered as a copy that declares the moved date
		// (the path keeps the original date, as CMSes keep the file).
		cp := *e
		cp.Published = d
		e = &cp
	}
	switch s.Family {
	case FamHanweb:
		return s.hanwebDetail(e, now)
	case FamGeneric:
		return s.genericDetail(e, now)
	}
	return s.trsDetail(e, now)
}

func (s *Site) trsDetail(e *Entry, now calendar.Date) []byte {
	var p page
	title := e.titleAt(now)
	p.w("<!DOCTYPE html>\n<html>\n<head>\n")
	s.metaCharset(&p)
	s.standardMeta(&p, e, title, now)
	p.w("<title>", esc(title), " - ", esc(s.SiteName), "</title>\n</head>\n<body>\n")
	s.header(&p)
	p.w(`<div class="pos">当前位置：<a href="/">首页</a> &gt; <a href="../../">信息公开</a> &gt; <a href="../">`, esc(e.col.Name), "</a> &gt; 正文</div>\n")
	s.affairsHead(&p, e, title)
	p.w(`<div class="article"><h2 class="title">`, esc(title), "</h2>\n")
	switch s.Family {
	case FamTRS:
		// The stale template date in @alt is a trap seen on real pages.
		p.w(`<div class="infos"><span alt="时间：2017-11-08 20:26"><i>时间：</i>`, pubStamp(e), `</span> <span alt="来源：`, esc(s.SiteName), `"><i>来源：</i>`, esc(s.Org), "</span></div>\n")
		p.w(`<div class="trs_editor_view TRS_UEDITOR trs_paper_default trs_web">`, "\n")
	case FamTRSList:
		p.w(`<div class="info">发布日期：`, e.Published.Chinese(), "　　来源：", esc(s.Org), "</div>\n")
		p.w(`<div class="TRS_Editor">`, "\n")
	case FamTRSCount:
		p.w(`<div class="info"><span>发布日期：`, e.Published.String(), "</span><span>来源：", esc(s.Org), "</span></div>\n")
		p.w(`<div id="UCAP-CONTENT"><div class="TRS_Editor">`, "\n")
	case FamIntertid:
		p.w(`<p class="info">发布时间：`, pubStamp(e), "　　来源：", esc(s.Org), "</p>\n")
		p.w(`<div id="UCAP-CONTENT"><div class="trs_editor_view">`, "\n")
	}
	s.body(&p, e, now)
	if s.Family == FamTRSCount || s.Family == FamIntertid {
		p.w("</div>")
	}
	p.w("</div>\n</div>\n")
	if s.Family == FamTRS {
		name := lastSegment(e.Path)
		name = name[:len(name)-len(".shtml")]
		p.w(`<div class="page-box"><script>`, "\n", createPageHTMLFunc, "\n", `createPageHTML(1,0,"`, name, `","shtml");`, "\n</script></div>\n")
	}
	s.footer(&p)
	p.w("</body>\n</html>\n")
	return s.encode(p.String())
}

func (s *Site) hanwebDetail(e *Entry, now calendar.Date) []byte {
	var p page
	title := e.titleAt(now)
	// Maketime is when the page was generated: not the publication date.
	h := hash01(int64(e.ID), "maketime")
	made := e.Published.AddDays(int(h*6) - 1)
	if made < e.Formed {
		made = e.Published
	}
	p.w("<!DOCTYPE html>\n<html>\n<head>\n")
	p.w(`<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">`, "\n")
	p.f(`<meta name="Maketime" content="%s %02d:%02d:%02d">`+"\n", made.String(), 8+int(h*10), int(h*600)%60, int(h*36000)%60)
	s.standardMeta(&p, e, title, now)
	p.w(`<meta name="url" content="http://`, s.Host, e.Path, `">`, "\n")
	p.w("<title>", esc(title), "</title>\n</head>\n<body>\n")
	s.header(&p)
	p.w(`<div class="bt-position">当前位置：<a href="/">首页</a> &gt; <a href="`, s.columnURL(e.col), `">`, esc(e.col.Name), "</a></div>\n")
	p.w(`<div class="con"><p class="con-title"> <!--<$[标题]>begin-->`, esc(title), "<!--<$[标题]>end--></p>\n")
	p.w(`<div class="small-title clearfix"><span>发布日期：`, e.Published.String(), "</span><span>浏览次数：</span><span>信息来源：<!--<$[信息来源]>begin-->", esc(s.Org), "<!--<$[信息来源]>end--></span></div>\n")
	p.w(`<div class="main-txt" id="zoom"><!--<$[信息内容]>begin-->`, "\n")
	s.body(&p, e, now)
	p.w("<!--<$[信息内容]>end--></div>\n</div>\n")
	s.footer(&p)
	p.w("</body>\n</html>\n")
	return s.encode(p.String())
}

func (s *Site) genericDetail(e *Entry, now calendar.Date) []byte {
	var p page
	title := e.titleAt(now)
	p.w("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n")
	p.w("<title>", esc(title), " - ", esc(s.SiteName), "</title>\n")
	p.w(`<meta name="keywords" content="`, esc(e.col.Name), `">`, "\n</head>\n<body>\n")
	s.header(&p)
	p.w(`<div class="crumbs">您现在的位置：<a href="index.php">首页</a> &gt; <a href="`, esc(s.columnURL(e.col)[1:]), `">`, esc(e.col.Name), "</a> &gt; 正文</div>\n")
	p.w(`<div class="article"><h1>`, esc(title), "</h1>\n")
	p.f(`<div class="info">发布时间：%04d年%02d月%02d日 %s　来源：%s　点击数：<span id="hits"></span></div>`+"\n",
		e.Published.Year(), int(e.Published.Month()), e.Published.Day(), clock(e.Clock), esc(s.Org))
	p.w(`<div class="content" id="article">`, "\n")
	s.body(&p, e, now)
	p.w("</div>\n</div>\n")
	s.genericSidebar(&p, now)
	s.footer(&p)
	p.w("</body>\n</html>\n")
	return s.encode(p.String())
}

// genericSidebar carries the calendar widget: a crawler trap whose month
// links go on forever.
func (s *Site) genericSidebar(p *page, now calendar.Date) {
	p.f(`<div class="sidebar"><h3>活动日历</h3><a href="index.php?m=content&amp;c=index&amp;a=calendar&amp;date=%04d-%02d">%d年%d月</a></div>`+"\n",
		now.Year(), int(now.Month()), now.Year(), int(now.Month()))
}

func (s *Site) calendarPage(year, month int) []byte {
	var p page
	first := calendar.Of(year, time.Month(month), 1)
	prev := calendar.Of(year, time.Month(month-1), 1)
	next := calendar.Of(year, time.Month(month+1), 1)
	p.w("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>活动日历 - ", esc(s.SiteName), "</title>\n</head>\n<body>\n")
	s.header(&p)
	p.f(`<div class="calendar"><h2>%d年%d月</h2>`, year, month)
	p.f(`<a class="prev" href="index.php?m=content&amp;c=index&amp;a=calendar&amp;date=%04d-%02d">上个月</a> `, prev.Year(), int(prev.Month()))
	p.f(`<a class="next" href="index.php?m=content&amp;c=index&amp;a=calendar&amp;date=%04d-%02d">下个月</a>`, next.Year(), int(next.Month()))
	p.w("<table><tr>")
	for d := first; d.Month() == first.Month(); d = d.AddDays(1) {
		p.f(`<td><a href="index.php?m=content&amp;c=index&amp;a=calendar&amp;date=%s">%d</a></td>`, d.String(), d.Day())
	}
	p.w("</tr></table></div>\n</body>\n</html>\n")
	return []byte(p.String())
}

func (s *Site) notFoundPage() []byte {
	var p page
	p.w("<!DOCTYPE html>\n<html>\n<head>\n")
	s.metaCharset(&p)
	p.w("<title>页面不存在</title>\n</head>\n<body>\n")
	s.header(&p)
	p.w(`<div class="error"><h2>页面不存在</h2><p>您访问的页面不存在或已被删除，<a href="/">返回首页</a>。</p></div>`, "\n")
	p.w("</body>\n</html>\n")
	return s.encode(p.String())
}

// ---- list pages ----

// renderList renders list page idx (0-based) of a column, or nil when the
// page does not exist.
func (s *Site) renderList(c *Column, idx int, now calendar.Date) []byte {
	vis, _ := c.visibleEntries(now)
	n := pageCount(len(vis), c.PerPage)
	if idx < 0 || idx >= n {
		return nil
	}
	lo, hi := idx*c.PerPage, min((idx+1)*c.PerPage, len(vis))
	items := vis[lo:hi]
	var p page
	p.w("<!DOCTYPE html>\n<html>\n<head>\n")
	s.metaCharset(&p)
	p.w(`<meta name="SiteName" content="`, esc(s.SiteName), `">`, "\n")
	p.w(`<meta name="ColumnName" content="`, esc(c.Name), `">`, "\n")
	p.w("<title>", esc(c.Name), " - ", esc(s.SiteName), "</title>\n</head>\n<body>\n")
	s.header(&p)
	p.w(`<div class="pos">当前位置：<a href="/">首页</a> &gt; `, esc(c.Name), "</div>\n")
	p.w(`<div class="left"><ul class="sub-nav">`)
	for _, o := range s.Columns {
		p.w(`<li><a href="`, esc(s.columnURL(o)), `">`, esc(o.Name), "</a></li>")
	}
	p.w("</ul></div>\n")
	switch s.Family {
	case FamTRS:
		if c.ScriptList {
			p.w(`<div class="view right"><ul class="list" id="list"></ul>`, "\n")
			p.w("<script>\n", scriptListDecoder, "\n", `showList("`, s.encodedList(c, items, now), `");`, "\n</script>\n")
			p.f(`<div class="page"><script>`+"\n%s\ncreatePageHTML(%d, %d, \"index\", \"shtml\");\n</script></div>\n</div>\n", createPageHTMLFunc, n, idx)
			break
		}
		p.w(`<div class="view right"><ul class="list">`, "\n")
		for _, e := range items {
			t := e.titleAt(now)
			p.w(`<li><a href="`, esc(s.href(c, e)), `" title="`, esc(t), `" target="_blank">`, esc(t), "</a><span>", s.listDate(e.declaredOn(now)), "</span></li>\n")
		}
		p.w("</ul>\n")
		p.f(`<div class="page"><script>`+"\n%s\ncreatePageHTML(%d, %d, \"index\", \"shtml\");\n</script></div>\n</div>\n", createPageHTMLFunc, n, idx)
	case FamTRSCount:
		p.w(`<div class="textnews-list"><ul>`, "\n")
		for _, e := range items {
			p.w(`<li><a href="`, esc(s.href(c, e)), `" target="_blank">`, esc(e.titleAt(now)), "</a><em>", s.listDate(e.declaredOn(now)), "</em></li>\n")
		}
		p.w("</ul></div>\n")
		p.f(`<div class="page-box"><script type="text/javascript">`+"\nvar countPage = %d//共多少页\nvar currentPage = %d;\n%s\n</script></div>\n", n, idx, countPagePager)
	case FamTRSList:
		p.w(`<div class="list_con"><ul>`, "\n")
		for _, e := range items {
			t := e.titleAt(now)
			p.w(`<li><a href="`, esc(s.href(c, e)), `" title="`, esc(t), `" target="_blank">`, esc(t), "</a><span>", s.listDate(e.declaredOn(now)), "</span></li>\n")
		}
		p.w("</ul>\n")
		listName := func(i int) string {
			if i == 0 {
				return "index.html"
			}
			return "list_" + strconv.Itoa(i+1) + ".html"
		}
		p.f(`<div class="fenye">共%d页 `, n)
		if idx > 0 {
			p.w(`<a href="index.html">首页</a> <a href="`, listName(idx-1), `">上一页</a> `)
		} else {
			p.w(`<span>首页</span> <span>上一页</span> `)
		}
		p.f(`<span class="current">%d</span> `, idx+1)
		if idx < n-1 {
			p.w(`<a href="`, listName(idx+1), `">下一页</a> <a href="`, listName(n-1), `">尾页</a> `)
		} else {
			p.w(`<span>下一页</span> <span>尾页</span> `)
		}
		p.w(`<select onchange="window.location.href=this.value">`)
		for i := range n {
			sel := ""
			if i == idx {
				sel = ` selected="selected"`
			}
			p.f(`<option value="%s"%s>%d</option>`, listName(i), sel, i+1)
		}
		p.w("</select></div>\n</div>\n")
	case FamIntertid:
		p.w(`<table class="affairs-document-box" width="100%"><thead><tr><th>序号</th><th>标题</th><th>文号</th><th>发布日期</th></tr></thead><tbody>`, "\n")
		for k, e := range items {
			t := e.titleAt(now)
			p.f(`<tr><td class="affaires-doc-num">%d</td>`, lo+k+1)
			p.w(`<td class="affaires-doc-title"><a class="doc-title" href="`, esc(s.href(c, e)), `" title="`, esc(t), `" target="_blank">`, esc(cut(t, 24)), "</a></td>")
			p.w(`<td class="affaires-doc-sizes">`, esc(e.docNoShown), `</td><td class="affaires-doc-published">`, s.listDate(e.declaredOn(now)), "</td></tr>\n")
		}
		p.w("</tbody></table>\n")
		if s.uf.countVarOnly {
			// Only the variable declares the count; the links are drawn
			// by script (no 共N页 text in the page).
			p.f(`<div class="pagination" id="pagination"><script type="text/javascript">`+"\nvar _pageCount = %d;\nvar _pageIndex = %d;\n%s\n</script></div>\n", n, idx, intertidCountPager)
			break
		}
		name := func(i int) string {
			if i == 0 {
				return "index.shtml"
			}
			return "index_" + strconv.Itoa(i+1) + ".shtml"
		}
		p.w(`<div class="pagination">`)
		if idx > 0 {
			p.w(`<a href="index.shtml">首页</a> <a href="`, name(idx-1), `">上一页</a> `)
		}
		for i := max(0, idx-3); i < min(n, idx+4); i++ {
			if i == idx {
				p.f(`<span class="cur">%d</span> `, i+1)
			} else {
				p.f(`<a href="%s">%d</a> `, name(i), i+1)
			}
		}
		if idx < n-1 {
			p.w(`<a href="`, name(idx+1), `">下一页</a> <a href="`, name(n-1), `">末页</a> `)
		}
		p.f("<span>共%d页</span></div>\n", n)
	case FamGeneric:
		p.w(`<div class="main_list"><ul class="list_ul">`, "\n")
		for _, e := range items {
			t := e.titleAt(now)
			p.w(`<li><a href="`, esc(s.href(c, e)), `" title="`, esc(t), `" target="_blank">`, esc(cut(t, 28)), "</a><span>", s.listDate(e.declaredOn(now)), "</span></li>\n")
		}
		p.w("</ul>\n")
		if len(vis) == 0 && s.uf.on {
			p.w(`<div class="no-data">暂无信息</div>`, "\n") // the site's own empty-list marker
		}
		base := fmt.Sprintf("index.php?m=content&c=index&a=lists&catid=%d&page=", c.CatID)
		if c.Shell {
			base = fmt.Sprintf("index.php?m=content&c=index&a=lists&catid=%d&ajax=0&page=", c.CatID)
		}
		p.f(`<div id="pages"><a class="a1">共%d条</a> `, len(vis))
		if idx > 0 {
			p.w(`<a href="`, esc(base+strconv.Itoa(idx)), `" class="a1">上一页</a> `)
		}
		for i := max(0, idx-4); i < min(n, idx+5); i++ {
			if i == idx {
				p.f("<span>%d</span> ", i+1)
			} else {
				p.w(`<a href="`, esc(base+strconv.Itoa(i+1)), `">`, strconv.Itoa(i+1), "</a> ")
			}
		}
		if idx < n-1 {
			p.w(`<a href="`, esc(base+strconv.Itoa(idx+2)), `" class="a1">下一页</a> `)
		}
		p.w(`<a href="`, esc(base+strconv.Itoa(n)), `" class="a1">尾页</a></div>`, "\n</div>\n")
		s.genericSidebar(&p, now)
	}
	s.footer(&p)
	p.w("</body>\n</html>\n")
	return s.encode(p.String())
}

// createPageHTMLFunc is the TRS pager: it writes page links with
// document.write, so the page count exists only in the call's arguments.
const createPageHTMLFunc = `function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
	if(_nPageCount == null || _nPageCount <= 1){ return; }
	var nCurrIndex = _nCurrIndex || 0;
	var pageUrl = function(i){ return (i == 0 ? _sPageName : _sPageName + "_" + i) + "." + _sPageExt; };
	if(nCurrIndex != 0){ document.write("<a href='" + pageUrl(0) + "' class='page-button'>首页</a> <a href='" + pageUrl(nCurrIndex - 1) + "'>上一页</a> "); }
	var from = Math.max(0, nCurrIndex - 2), to = Math.min(_nPageCount - 1, from + 4);
	for(var i = from; i <= to; i++){
		if(i == nCurrIndex){ document.write("<span class='page-current'>" + (i + 1) + "</span> "); }
		else { document.write("<a href='" + pageUrl(i) + "'>" + (i + 1) + "</a> "); }
	}
	if(nCurrIndex != _nPageCount - 1){ document.write("<a href='" + pageUrl(nCurrIndex + 1) + "'>下一页</a> <a href='" + pageUrl(_nPageCount - 1) + "' class='page-button'>尾页</a>"); }
	document.write("<span class='page-form'>共" + _nPageCount + "页</span>");
}`

// countPagePager is the variant that keeps the count in a global.
const countPagePager = `var prevPage = currentPage - 1;
var nextPage = currentPage + 1;
function pageName(i){ return i == 0 ? "index.shtml" : "index_" + i + ".shtml"; }
if (countPage > 1) {
	if (currentPage > 0) { document.write("<a href='index.shtml'>首页</a> <a href='" + pageName(prevPage) + "'>上一页</a> "); }
	if (nextPage < countPage) { document.write("<a href='" + pageName(nextPage) + "'>下一页</a> <a href='" + pageName(countPage - 1) + "'>尾页</a> "); }
	document.write("第" + (currentPage + 1) + "页/共" + countPage + "页");
}`

// hanwebRecord is one <record> of a Hanweb datastore.
func (s *Site) hanwebRecord(e *Entry, now calendar.Date) string {
	t := e.titleAt(now)
	return "<record><![CDATA[<li><a href='" + esc(s.href(e.col, e)) + "' title='" + esc(t) + "' target='_blank'>" + esc(cut(t, 30)) +
		"</a><span>" + e.declaredOn(now).String() + "</span></li>]]></record>\n"
}

func (s *Site) hanwebNextGroup(c *Column) string {
	q := url.Values{}
	q.Set("page", "1")
	q.Set("appid", "1")
	q.Set("webid", strconv.Itoa(s.hanwebWebID()))
	q.Set("path", "/")
	q.Set("columnid", strconv.Itoa(c.HanwebID))
	q.Set("unitid", strconv.Itoa(c.UnitID))
	q.Set("webname", s.SiteName)
	q.Set("permissiontype", "0")
	return `<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?` + q.Encode() + `"></a>]]></nextgroup>`
}

// hanwebColumn renders /col/colID/index.html: the first groupSize pages of
// records inside the datastore, and the jpage call that pages the rest.
func (s *Site) hanwebColumn(c *Column, now calendar.Date) []byte {
	vis, _ := c.visibleEntries(now)
	const groupSize = 3
	first := vis[:min(len(vis), c.PerPage*groupSize)]
	var p page
	p.w("<!DOCTYPE html>\n<html>\n<head>\n")
	p.w(`<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">`, "\n")
	p.w(`<meta name="SiteName" content="`, esc(s.SiteName), `">`, "\n")
	p.w(`<meta name="ColumnName" content="`, esc(c.Name), `">`, "\n")
	p.w("<title>", esc(c.Name), "</title>\n")
	p.w(`<script language="javascript" src="/module/jslib/jquery/jquery.js"></script>`, "\n</head>\n<body>\n")
	s.header(&p)
	p.w(`<div class="bt-position">当前位置：<a href="/">首页</a> &gt; `, esc(c.Name), "</div>\n")
	p.f(`<div class="default_pgContainer" id="%d"><script type="text/xml"><datastore>`+"\n", c.UnitID)
	p.w(s.hanwebNextGroup(c), "\n<recordset>\n")
	for _, e := range first {
		p.w(s.hanwebRecord(e, now))
	}
	p.w("</recordset>\n</datastore></script></div>\n")
	p.w(`<script language="javascript" src="/module/web/jpage/jpage.js"></script>`, "\n")
	if s.uf.hanwebVarParam {
		// The form and the proxy are variables, defined further down.
		p.f(`<script>$(document).ready(function(){ $('#%d').jpage({ dataStore: dataStore, objId: '%d', totalRecord: %d, perPage: %d, groupSize: %d, pageSize: %d, proxyUrl: proxyurl_%d, ajaxParam: param_%d, showMode: 'full' }); });</script>`+"\n",
			c.UnitID, c.UnitID, len(vis), c.PerPage, groupSize, c.PerPage*groupSize, c.HanwebID, c.HanwebID)
		p.w(`<div class="sidebar"><ul><li><a href="/">首页</a></li></ul></div>`, "\n")
		p.f(`<script type="text/javascript">`+"\nvar param_%d = {col:1, appid:1, webid:%d, path:'/', columnid:%d, sourceContentType:1, unitid:'%d', webname:'%s', permissiontype:0};\nvar proxyurl_%d='/module/web/jpage/dataproxy.jsp';\n</script>\n",
			c.HanwebID, s.hanwebWebID(), c.HanwebID, c.UnitID, esc(s.SiteName), c.HanwebID)
	} else {
		p.f(`<script>$(document).ready(function(){ $('#%d').jpage({ dataStore: dataStore, objId: '%d', totalRecord: %d, perPage: %d, groupSize: %d, pageSize: %d, proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: {col:1, appid:1, webid:27, path:'/', columnid:%d, sourceContentType:1, unitid:%d, webname:'%s', permissiontype:0}, showMode: 'full' }); });</script>`+"\n",
			c.UnitID, c.UnitID, len(vis), c.PerPage, groupSize, c.PerPage*groupSize, c.HanwebID, c.UnitID, esc(s.SiteName))
	}
	s.footer(&p)
	p.w("</body>\n</html>\n")
	return []byte(p.String())
}

// hanwebEmptyProxy is what jcms answers a dataproxy request whose form
// lacks webid or unitid: 200, no records, totalrecord 0.
func hanwebEmptyProxy() []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<datastore>\n<totalrecord>0</totalrecord>\n<totalpage>0</totalpage>\n<recordset>\n</recordset>\n</datastore>\n")
}

// hanwebProxy answers dataproxy.jsp for records [from, to] (1-based).
func (s *Site) hanwebProxy(c *Column, from, to, perPage int, now calendar.Date) []byte {
	vis, _ := c.visibleEntries(now)
	if perPage <= 0 {
		perPage = c.PerPage
	}
	var p page
	p.w(`<?xml version="1.0" encoding="UTF-8"?>`, "\n<datastore>\n")
	p.w(s.hanwebNextGroup(c), "\n")
	p.f("<totalrecord>%d</totalrecord>\n<totalpage>%d</totalpage>\n<recordset>\n", len(vis), pageCount(len(vis), perPage))
	for i := max(from, 1); i <= to && i <= len(vis); i++ {
		p.w(s.hanwebRecord(vis[i-1], now))
	}
	p.w("</recordset>\n</datastore>\n")
	return []byte(p.String())
}

// intertidCountPager draws an intertid pager from _pageCount/_pageIndex:
// page k+1 is index_{k+1}.shtml (index_1 does not exist).
const intertidCountPager = `function _pageName(i){ return i == 0 ? "index.shtml" : "index_" + (i + 1) + ".shtml"; }
if (_pageCount > 1) {
	if (_pageIndex > 0) { document.write("<a href='index.shtml'>首页</a> <a href='" + _pageName(_pageIndex - 1) + "'>上一页</a> "); }
	for (var i = Math.max(0, _pageIndex - 3); i < Math.min(_pageCount, _pageIndex + 4); i++) {
		if (i == _pageIndex) { document.write("<span class='cur'>" + (i + 1) + "</span> "); }
		else { document.write("<a href='" + _pageName(i) + "'>" + (i + 1) + "</a> "); }
	}
	if (_pageIndex < _pageCount - 1) { document.write("<a href='" + _pageName(_pageIndex + 1) + "'>下一页</a> <a href='" + _pageName(_pageCount - 1) + "'>末页</a>"); }
}`

// genericShell is the first page of a script-filled column: the list is
// empty in the HTML and filled from index.php?…&a=json; a <noscript> link
// leads to the plain HTML list (&ajax=0).
func (s *Site) genericShell(c *Column, now calendar.Date) []byte {
	var p page
	p.w("<!DOCTYPE html>\n<html>\n<head>\n")
	s.metaCharset(&p)
	p.w(`<meta name="SiteName" content="`, esc(s.SiteName), `">`, "\n")
	p.w(`<meta name="ColumnName" content="`, esc(c.Name), `">`, "\n")
	p.w("<title>", esc(c.Name), " - ", esc(s.SiteName), "</title>\n")
	p.w(`<script src="statics/js/jquery.min.js"></script>`, "\n</head>\n<body>\n")
	s.header(&p)
	p.w(`<div class="pos">当前位置：<a href="/">首页</a> &gt; `, esc(c.Name), "</div>\n")
	p.f(`<div class="main_list"><ul class="list_ul" id="list_%d"></ul><div id="pages"></div>`+"\n", c.CatID)
	p.f(`<noscript><a href="index.php?m=content&amp;c=index&amp;a=lists&amp;catid=%d&amp;ajax=0">无脚本版本</a></noscript></div>`+"\n", c.CatID)
	p.f(`<script type="text/javascript">
function loadList(page){
	$.getJSON("index.php?m=content&c=index&a=json&catid=%d&page=" + page, function(d){
		var html = "";
		$.each(d.list, function(i, it){ html += "<li><a href='" + it.url + "' title='" + it.title + "' target='_blank'>" + it.title + "</a><span>" + it.inputtime + "</span></li>"; });
		$("#list_%d").html(html);
		var pg = "";
		for (var i = 1; i <= d.pages; i++) { pg += "<a href='javascript:loadList(" + i + ")'>" + i + "</a> "; }
		$("#pages").html(pg);
	});
}
loadList(1);
</script>
`, c.CatID, c.CatID)
	s.genericSidebar(&p, now)
	s.footer(&p)
	p.w("</body>\n</html>\n")
	return s.encode(p.String())
}

// genericJSON is the shell's data endpoint: page n (1-based) of the list.
func (s *Site) genericJSON(c *Column, n int, now calendar.Date) []byte {
	vis, _ := c.visibleEntries(now)
	type item struct {
		Title     string `json:"title"`
		URL       string `json:"url"`
		InputTime string `json:"inputtime"`
	}
	out := struct {
		Total int    `json:"total"`
		Pages int    `json:"pages"`
		Page  int    `json:"page"`
		List  []item `json:"list"`
	}{Total: len(vis), Pages: pageCount(len(vis), c.PerPage), Page: n, List: []item{}}
	for i := (n - 1) * c.PerPage; i >= 0 && i < n*c.PerPage && i < len(vis); i++ {
		e := vis[i]
		out.List = append(out.List, item{Title: e.titleAt(now), URL: s.href(c, e), InputTime: e.declaredOn(now).String()})
	}
	b, _ := json.Marshal(out)
	return b
}

// scriptListKey is the XOR key of a script-rendered list's inline data.
const scriptListKey = 0x5a

// encodedList is a script-rendered list page's entries as its script
// reads them: JSON rows [href, title, date], UTF-8, XOR scriptListKey,
// base64 — nothing a selector or a JSON path can read.
func (s *Site) encodedList(c *Column, items []*Entry, now calendar.Date) string {
	rows := make([][3]string, 0, len(items))
	for _, e := range items {
		rows = append(rows, [3]string{s.href(c, e), e.titleAt(now), s.listDate(e.declaredOn(now))})
	}
	b, _ := json.Marshal(rows)
	for i := range b {
		b[i] ^= scriptListKey
	}
	return base64.StdEncoding.EncodeToString(b)
}

// scriptListDecoder builds the list from the encoded string, as the
// browser shows it: li > a[href][title] + span, like the site's other lists.
const scriptListDecoder = `function showList(d){
	var raw = atob(d), bytes = new Uint8Array(raw.length);
	for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i) ^ 90; }
	var rows = JSON.parse(new TextDecoder("utf-8").decode(bytes));
	var ul = document.getElementById("list");
	rows.forEach(function(r){
		var li = document.createElement("li"), a = document.createElement("a"), span = document.createElement("span");
		a.setAttribute("href", r[0]); a.setAttribute("title", r[1]); a.setAttribute("target", "_blank"); a.textContent = r[1];
		span.textContent = r[2];
		li.appendChild(a); li.appendChild(span); ul.appendChild(li);
	});
}`

// apiChannel is the channelId of a column on the 集约化 platform.
func apiChannel(s *Site, c *Column) int {
	for i, o := range s.Columns {
		if o == c {
			return 101 + i
		}
	}
	return 0
}

// jsonAPIShell is a 集约化 platform's column page: an empty list its script
// fills from the JSON endpoint.
func (s *Site) jsonAPIShell(c *Column) []byte {
	var p page
	p.w("<!DOCTYPE html>\n<html>\n<head>\n")
	s.metaCharset(&p)
	p.w(`<meta name="SiteName" content="`, esc(s.SiteName), `">`, "\n")
	p.w(`<meta name="ColumnName" content="`, esc(c.Name), `">`, "\n")
	p.w("<title>", esc(c.Name), " - ", esc(s.SiteName), "</title>\n</head>\n<body>\n")
	s.header(&p)
	p.w(`<div class="pos">当前位置：<a href="/">首页</a> &gt; `, esc(c.Name), "</div>\n")
	p.w(`<div class="textnews-list"><ul id="list"></ul><div id="pager"></div></div>`, "\n")
	p.f(`<script type="text/javascript">
var listApi = "/api/cms/list?channelId=%d&pageNo=";
function loadPage(n){
	fetch(listApi + n).then(function(r){ return r.json(); }).then(function(d){
		var html = "";
		d.data.forEach(function(it){ html += "<li><a href='" + it.url + "' target='_blank'>" + it.title + "</a><em>" + it.publishDate.substring(0, 10) + "</em></li>"; });
		document.getElementById("list").innerHTML = html;
		document.getElementById("pager").innerHTML = "共" + d.total + "条";
	});
}
loadPage(1);
</script>
`, apiChannel(s, c))
	s.footer(&p)
	p.w("</body>\n</html>\n")
	return s.encode(p.String())
}

// jsonAPIList is the platform's list endpoint: page n (1-based) of a column.
func (s *Site) jsonAPIList(c *Column, n int, now calendar.Date) []byte {
	vis, _ := c.visibleEntries(now)
	type row struct {
		Title       string `json:"title"`
		URL         string `json:"url"`
		PublishDate string `json:"publishDate"`
	}
	rows := []row{}
	for i := (n - 1) * c.PerPage; i >= 0 && i < n*c.PerPage && i < len(vis); i++ {
		e := vis[i]
		u := e.Path
		if e.kind == kindOffsite {
			u = e.offsiteURL
		}
		rows = append(rows, row{Title: e.titleAt(now), URL: u, PublishDate: e.declaredOn(now).String() + " " + clock(e.Clock) + ":00"})
	}
	b, _ := json.Marshal(map[string]any{"code": 200, "total": len(vis), "pageSize": c.PerPage, "pageNo": n, "data": rows})
	return b
}
