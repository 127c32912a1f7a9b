package cms

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// A real jcms column page: the jpage options name variables, and the
// ajaxParam object is defined after the call.
const hanwebVarColumn = `<html><head><meta charset="utf-8"><title>行政处罚</title></head><body>
<script>var proxyurl_1 = '/module/web/jpage/dataproxy.jsp'; var pp = 15; var gs = "3";</script>
<div class="default_pgContainer" id="4872311"><script type="text/xml"><datastore>
<recordset>
<record><![CDATA[<li><a href='/art/2020/12/23/art_4872311_1.html' title='泽市监罚〔2020〕1号'>泽市监罚〔2020〕1号</a><span>2020-12-23</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2020/12/22/art_4872311_2.html' title='泽市监罚〔2020〕2号'>泽市监罚〔2020〕2号</a><span>2020-12-22</span></li>]]></record>
</recordset></datastore></script></div>
<script>$(document).ready(function(){ $('#4872311').jpage({ dataStore: dataStore, objId: '4872311', totalRecord: total_4872311, perPage: pp, groupSize: gs,
  proxyUrl: proxyurl_1, ajaxParam: param_4872311, callback: function(){ var x = {a: 1}; }, showMode: 'full' }); });</script>
<script>
var total_4872311 = 38;
var param_4872311 = {col:1, appid:1, webid:35, path:'/', columnid:4872311, sourceContentType:1, unitid:'4872311', webname:'泽州县人民政府, 市场监管', permissiontype:0};
</script>
</body></html>`

func TestHanwebVariables(t *testing.T) {
	col := column(t, "hanweb", "http://www.zezhou.gov.cn/col/col4872311/index.html")
	lr, err := ParseList(col, answer(col.URL, hanwebVarColumn), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(lr.Entries) != 2 || lr.DeclaredTotal != 38 {
		t.Fatalf("entries %d, declared total %d; want 2 and 38", len(lr.Entries), lr.DeclaredTotal)
	}
	// 36 records beyond the embedded two, asked 45 at a time (perPage 15 × groupSize 3).
	if len(lr.Next) != 1 || lr.PageCount != 2 {
		t.Fatalf("next %v, page count %d", urls(lr.Next), lr.PageCount)
	}
	n := lr.Next[0]
	u, _ := url.Parse(n.URL)
	if u.Path != "/module/web/jpage/dataproxy.jsp" || u.Query().Get("startrecord") != "3" || u.Query().Get("endrecord") != "38" || u.Query().Get("perpage") != "15" {
		t.Errorf("proxy request %s", n.URL)
	}
	want := map[string]string{"webid": "35", "unitid": "4872311", "columnid": "4872311", "webname": "泽州县人民政府, 市场监管", "sourceContentType": "1", "path": "/"}
	for k, v := range want {
		if n.Form.Get(k) != v {
			t.Errorf("form %s = %q, want %q (form %v)", k, n.Form.Get(k), v, n.Form)
		}
	}

	// The config's form wins over the page's.
	col.Paging.Form = map[string]string{"webid": "36", "keyWordCount": "0"}
	lr, _ = ParseList(col, answer(col.URL, hanwebVarColumn), 0)
	if f := lr.Next[0].Form; f.Get("webid") != "36" || f.Get("keyWordCount") != "0" || f.Get("unitid") != "4872311" {
		t.Errorf("config form not applied: %v", f)
	}
}

// A column page that declares more records than it embeds but names no
// webid/unitid is an error, not a walk of the embedded records; the config
// can supply them.
func TestHanwebFormMissing(t *testing.T) {
	page := strings.Replace(hanwebVarColumn, "ajaxParam: param_4872311,", "", 1)
	col := column(t, "hanweb", "http://www.zezhou.gov.cn/col/col4872311/index.html")
	_, err := ParseList(col, answer(col.URL, page), 0)
	var fe *HanwebFormError
	if !errors.As(err, &fe) || strings.Join(fe.Missing, ",") != "webid,unitid" || fe.Declared != 38 || fe.Embedded != 2 {
		t.Fatalf("want a HanwebFormError naming webid and unitid, got %v", err)
	}
	if !strings.Contains(err.Error(), "paging.form") {
		t.Errorf("message does not say what to change: %v", err)
	}
	col.Paging.Form = map[string]string{"webid": "35", "unitid": "4872311"}
	lr, err := ParseList(col, answer(col.URL, page), 0)
	if err != nil || len(lr.Next) != 1 || lr.Next[0].Form.Get("unitid") != "4872311" {
		t.Errorf("with the form in the config: %v %v", err, lr.Next)
	}
	// A totalRecord variable that cannot be resolved is an error too.
	page = strings.Replace(hanwebVarColumn, "var total_4872311 = 38;", "", 1)
	if _, err := ParseList(col, answer(col.URL, page), 0); err == nil || !strings.Contains(err.Error(), "totalRecord") {
		t.Errorf("unresolved totalRecord: %v", err)
	}
}

// The dataproxy answering fewer records than the column page declared is
// a TotalMismatchError (the harvester must not take it for the end).
func TestHanwebTotalMismatch(t *testing.T) {
	col := column(t, "hanweb", "http://www.zezhou.gov.cn/col/col4872311/index.html")
	lr, _ := ParseList(col, answer(col.URL, hanwebVarColumn), 0)
	req := lr.Next[0]
	zero := answer(req.URL, `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>0</totalrecord><totalpage>0</totalpage><recordset></recordset></datastore>`)
	zero.MediaType = "text/xml"
	_, err := ParseList(col, zero, 1)
	var tm *TotalMismatchError
	if !errors.As(err, &tm) || tm.Answered != 0 || tm.AtLeast != 3 || tm.URL != req.URL {
		t.Fatalf("want a TotalMismatchError (0 answered, at least 3), got %v", err)
	}
	if !strings.Contains(err.Error(), "数据接口声明 0 条") {
		t.Errorf("message %q", err)
	}
	ok := answer(req.URL, `<datastore><totalrecord>38</totalrecord><recordset>
<record><![CDATA[<li><a href='/art/2020/12/1/art_4872311_3.html'>泽市监罚〔2020〕3号</a><span>2020-12-01</span></li>]]></record></recordset></datastore>`)
	lr, err = ParseList(col, ok, 1)
	if err != nil || len(lr.Entries) != 1 || lr.DeclaredTotal != 38 {
		t.Errorf("agreeing answer: %v, %d entries, total %d", err, len(lr.Entries), lr.DeclaredTotal)
	}
}

// An intertid-named site (page 2 is index_2.shtml) whose pager keeps the
// count in _pageCount, configured as a newcomer would: count-var with the
// variable's name. The intertid preset keeps its naming.
func TestIntertidNamingWithCountVariable(t *testing.T) {
	page := `<table><tr><td><a href="./202012/t20201223_1.shtml">处罚决定</a></td><td>2020-12-23</td></tr></table>
<script>var _pageCount = 5; var _currentPage = 1;</script>`
	want := "http://www.yczf.gov.cn/xzcf/index_2.shtml http://www.yczf.gov.cn/xzcf/index_3.shtml http://www.yczf.gov.cn/xzcf/index_4.shtml http://www.yczf.gov.cn/xzcf/index_5.shtml"
	for name, rule := range map[string]config.PagingRule{
		"intertid preset, count-var":       {Kind: config.PagingCountVar, Param: "_pageCount"},
		"count-var without a name":         {Kind: config.PagingCountVar},
		"explicit naming on a trs preset":  {Kind: config.PagingCountVar, Param: "_pageCount", Naming: config.NamingIntertid},
		"intertid kind finds any variable": {Kind: config.PagingIntertid},
	} {
		preset := "intertid"
		if strings.HasPrefix(name, "explicit") {
			preset = "trs"
		}
		col := column(t, preset, "http://www.yczf.gov.cn/xzcf/index.shtml", func(c *config.Column) { c.Paging = rule })
		lr, err := ParseList(col, answer(col.URL, page), 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(urls(lr.Next), " "); got != want || lr.PageCount != 5 {
			t.Errorf("%s: next %s (count %d), want %s", name, got, lr.PageCount, want)
		}
	}
	// The same count under TRS naming is index_1 … index_4, as before.
	col := column(t, "trs", "http://www.sxgp.gov.cn/xzcf/index.shtml", func(c *config.Column) {
		c.Paging = config.PagingRule{Kind: config.PagingCountVar, Param: "_pageCount"}
	})
	lr, _ := ParseList(col, answer(col.URL, page), 0)
	if got := urls(lr.Next); len(got) != 4 || got[0] != "http://www.sxgp.gov.cn/xzcf/index_1.shtml" || got[3] != "http://www.sxgp.gov.cn/xzcf/index_4.shtml" {
		t.Errorf("trs naming: %v", got)
	}
}

// The count may come from the last-page link alone, read under the
// column's naming.
func TestCountFromLastPageLink(t *testing.T) {
	page := `<ul><li><a href="./202012/t20201223_1.shtml">处罚决定</a><span>2020-12-23</span></li></ul>
<div class="pager"><a href="index_2.shtml">下一页</a> <a href="index_4.shtml">尾页</a></div>`
	col := column(t, "intertid", "http://h/xzcf/index.shtml")
	lr, _ := ParseList(col, answer(col.URL, page), 0)
	if lr.PageCount != 4 || len(lr.Next) != 3 || lr.Next[2].URL != "http://h/xzcf/index_4.shtml" {
		t.Errorf("intertid 尾页 index_4: count %d next %v", lr.PageCount, urls(lr.Next))
	}
	col = column(t, "trs", "http://h/xzcf/index.shtml", func(c *config.Column) { c.Paging = config.PagingRule{Kind: config.PagingCountVar} })
	lr, _ = ParseList(col, answer(col.URL, strings.Replace(page, `"index_2.shtml">下一页`, `"index_1.shtml">下一页`, 1)), 0)
	if lr.PageCount != 5 || len(lr.Next) != 4 || lr.Next[3].URL != "http://h/xzcf/index_4.shtml" {
		t.Errorf("trs 尾页 index_4: count %d next %v", lr.PageCount, urls(lr.Next))
	}
}

func TestDeclaredTotal(t *testing.T) {
	col := column(t, "generic", "http://h/index.php?m=content&c=index&a=lists&catid=35")
	for page, want := range map[string]int{
		`<ul><li><a href="/a/1.html">一</a><span>2020-12-04</span></li></ul><div id="pages"><a class="a1">共25条</a> <a href="?page=2">下一页</a></div>`: 25,
		`<ul><li><a href="/a/1.html">一</a><span>2020-12-04</span></li></ul><div class="page">共 <b>38</b> 条记录 共3页</div>`:                            38,
		`<ul><li><a href="/a/1.html">一</a><span>2020-12-04</span></li></ul><script>var totalRecord = 12;</script>`:                                 12,
		`<ul><li><a href="/a/1.html">关于征求意见共3条的说明</a><span>2020-12-04</span></li></ul>`:                                                            0,
		`<ul><li><a href="/a/1.html">一</a><span>2020-12-04</span></li></ul>`:                                                                       0,
	} {
		lr, err := ParseList(col, answer(col.URL, page), 0)
		if err != nil || lr.DeclaredTotal != want {
			t.Errorf("declared total %d (%v), want %d, in %s", lr.DeclaredTotal, err, want, page)
		}
	}
}

func TestEmptyMarker(t *testing.T) {
	col := column(t, "trs", "http://h/xzcf/index.shtml")
	frame := `<html><head><title>行政处罚</title></head><body><div class="header"><ul class="nav"><li><a href="/">首页</a></li></ul></div>%s
<div class="side"><ul><li>暂无信息</li></ul></div></body></html>`
	for body, want := range map[string]bool{
		`<div class="list"><ul></ul><p class="nodata">暂无信息！</p></div>`:                                                        true,
		`<table class="list"><tr><td colspan="4">没有相关信息</td></tr></table>`:                                                    true,
		`<div class="list"><ul id="data"></ul><p style="display: none">暂无数据</p></div>`:                                        false, // a script may fill the list
		`<div class="list"><ul id="data"></ul></div>`:                                                                         false, // only the side bar says 暂无信息
		`<div id="app" class="list"><ul><li v-for="x in rows">{{x.title}}</li></ul><p v-if="rows.length == 0">暂无数据</p></div>`: false, // a script template
		`<div class="list"><ul><li><a href="./202012/t20201201_1.shtml">决定</a><span>2020-12-01</span></li></ul>暂无信息</div>`:    false,
	} {
		page := strings.Replace(frame, "%s", body, 1)
		lr, err := ParseList(col, answer(col.URL, page), 0)
		if err != nil || lr.EmptyMarker != want || lr.End {
			t.Errorf("empty marker %v (end %v, %v), want %v, in %s", lr.EmptyMarker, lr.End, err, want, body)
		}
	}
	// Hanweb: an empty datastore with totalRecord 0 is the CMS's own statement.
	hw := column(t, "hanweb", "http://h/col/col1/index.html")
	empty := `<html><body><script type="text/xml"><datastore><recordset></recordset></datastore></script>
<script>$('#1').jpage({totalRecord: 0, perPage: 15, ajaxParam: {webid: 1, unitid: 2}});</script></body></html>`
	if lr, err := ParseList(hw, answer(hw.URL, empty), 0); err != nil || !lr.EmptyMarker || lr.DeclaredTotal != 0 {
		t.Errorf("hanweb empty column: %+v %v", lr, err)
	}
}

// A decision numbered 404号 is an ordinary page: neither its title nor its
// body makes it a missing page.
func TestTitle404IsNotMissing(t *testing.T) {
	col := column(t, "trs", "http://h/xzcf/index.shtml")
	detail := answer("http://h/xzcf/202012/t20201201_9.shtml", `<html><head><title>泽州县市场监督管理局行政处罚决定书（泽市监罚〔2020〕404号）</title></head><body>
<h1>泽州县市场监督管理局行政处罚决定书（泽市监罚〔2020〕404号）</h1><div class="TRS_Editor"><p>当事人：泽州县某某超市。</p><p>经查，当事人销售过期食品，违反了《食品安全法》。</p></div></body></html>`)
	d, err := ParseDetail(col, Entry{URL: detail.URL}, detail)
	if err != nil || d.NotFound || !strings.Contains(d.Body, "当事人") {
		t.Errorf("404号 decision taken for a missing page: %+v %v", d, err)
	}
	short := answer("http://h/xzcf/202012/t20201201_10.shtml", `<html><head><title>404 Not Found</title></head><body><div class="TRS_Editor"><p>泽市监罚〔2020〕1404号行政处罚决定书，详见附件。</p></div></body></html>`)
	if d, _ := ParseDetail(col, Entry{URL: short.URL}, short); d.NotFound {
		t.Error("a short article titled 404 Not Found taken for a missing page")
	}
	list := answer("http://h/xzcf/index_1.shtml", `<html><head><title>404号决定 - 行政处罚</title></head><body><ul>
<li><a href="./202012/t20201201_9.shtml">泽市监罚〔2020〕404号</a><span>2020-12-01</span></li></ul></body></html>`)
	if lr, _ := ParseList(col, list, 1); lr.End || len(lr.Entries) != 1 {
		t.Errorf("a list page titled 404号 ended the list: %+v", lr)
	}
	// The fallback still knows a short page saying so in its body.
	gone := answer("http://h/xzcf/202012/t20201201_11.shtml", `<html><head><title>提示</title></head><body><div class="error"><h2>页面不存在</h2><p>您访问的页面不存在或已被删除。</p></div></body></html>`)
	if d, _ := ParseDetail(col, Entry{URL: gone.URL}, gone); !d.NotFound {
		t.Error("a short 页面不存在 page not recognised")
	}
}

// The site's answer to a surely-missing URL is its soft-404 shape: a page
// of that shape (echoing another URL) matches, a real page with the same
// title does not.
func TestNotFoundProfile(t *testing.T) {
	col := column(t, "trs", "http://h/xzcf/index.shtml")
	probe := ProbeURL(col)
	if !strings.HasPrefix(probe, "http://h/xzcf/gongkai-probe-") || !strings.HasSuffix(probe, ".shtml") || probe == ProbeURL(column(t, "trs", "http://h/other/index.shtml")) {
		t.Fatalf("probe URL %s", probe)
	}
	missing := func(u string) *fetch.Response {
		return answer(u, `<html><head><title>泽州县人民政府</title></head><body><div class="header"><a href="/">首页</a> <a href="/xxgk/">信息公开</a></div>
<div class="box"><h3>抱歉，您要找的页面走丢了</h3><p>地址 `+u+` 无法访问，2026-12-01 10:00:00</p><p>可能原因：网址有误；页面已过期。</p></div>
<div class="footer">主办：泽州县人民政府办公室 晋ICP备05001234号</div></body></html>`)
	}
	prof := NewNotFoundProfile(missing(probe))
	if prof == nil {
		t.Fatal("no profile from a 200 missing page")
	}
	later := missing("http://h/xzcf/index_7.shtml")
	later.HTML = strings.Replace(later.HTML, "2026-12-01 10:00:00", "2026-12-02 11:11:11", 1)
	if !prof.Matches(later) {
		t.Error("the site's missing page (another URL, another time) not matched")
	}
	real := answer("http://h/xzcf/202012/t20201201_9.shtml", `<html><head><title>泽州县人民政府</title></head><body><div class="header"><a href="/">首页</a></div>
<div class="TRS_Editor"><p>泽市监罚〔2020〕404号 当事人：泽州县某某超市。经查，当事人销售过期食品。</p></div><div class="footer">主办：泽州县人民政府办公室</div></body></html>`)
	if prof.Matches(real) {
		t.Error("a real page with the same title matched the missing-page profile")
	}
	// Honest 404s give no profile; nor does a probe answered with a real list.
	gone := answer(probe, "not found")
	gone.Status = http.StatusNotFound
	if NewNotFoundProfile(gone) != nil {
		t.Error("a real 404 gave a profile")
	}
	listed := answer(probe, `<html><head><title>行政处罚</title></head><body><ul><li><a href="./a/1.shtml">一</a><span>2020-12-01</span></li><li><a href="./a/2.shtml">二</a><span>2020-12-02</span></li></ul></body></html>`)
	if NewNotFoundProfile(listed) != nil {
		t.Error("a probe answered with a list gave a profile")
	}
	// Missing pages that redirect to one landing page.
	landing := answer(probe, `<html><head><title>首页</title></head><body>欢迎</body></html>`)
	landing.FinalURL = "http://h/index.html"
	rp := NewNotFoundProfile(landing)
	other := answer("http://h/xzcf/index_9.shtml", `<html><head><title>首页</title></head><body>欢迎 今日</body></html>`)
	other.FinalURL = "http://h/index.html"
	if rp == nil || !rp.Matches(other) {
		t.Error("a redirect to the missing-page landing not matched")
	}
}

// A column configured with the wrong naming (trs on an intertid site)
// follows the first page's own link to page 2.
func TestNamingFollowsTheSitesPage2Link(t *testing.T) {
	page := `<ul><li><a href="./202012/t20201223_1.shtml">处罚决定</a><span>2020-12-23</span></li></ul>
<div class="pagination"><span class="cur">1</span> <a href="index_2.shtml">2</a> <a href="index_2.shtml">下一页</a></div><script>var _pageCount = 3;</script>`
	col := column(t, "trs", "http://h/xzcf/index.shtml", func(c *config.Column) {
		c.Paging = config.PagingRule{Kind: config.PagingCountVar, Param: "_pageCount", Naming: config.NamingTRS}
	})
	lr, _ := ParseList(col, answer(col.URL, page), 0)
	if got := strings.Join(urls(lr.Next), " "); got != "http://h/xzcf/index_2.shtml http://h/xzcf/index_3.shtml" {
		t.Errorf("next %s", got)
	}
	// A TRS first page linking index_1 keeps the TRS naming.
	trs := strings.ReplaceAll(page, "index_2.shtml", "index_1.shtml")
	lr, _ = ParseList(col, answer(col.URL, trs), 0)
	if got := strings.Join(urls(lr.Next), " "); got != "http://h/xzcf/index_1.shtml http://h/xzcf/index_2.shtml" {
		t.Errorf("trs next %s", got)
	}
}

// A dataproxy answer declaring the total but holding none of the range.
func TestHanwebProxyEmptyRange(t *testing.T) {
	col := column(t, "hanweb", "http://www.zezhou.gov.cn/col/col4872311/index.html")
	lr, _ := ParseList(col, answer(col.URL, hanwebVarColumn), 0)
	_, err := ParseList(col, answer(lr.Next[0].URL, `<datastore><totalrecord>38</totalrecord><recordset></recordset></datastore>`), 1)
	var tm *TotalMismatchError
	if !errors.As(err, &tm) || tm.Answered != 38 || !strings.Contains(err.Error(), "没有返回第 3 条起的记录") {
		t.Errorf("got %v", err)
	}
}
