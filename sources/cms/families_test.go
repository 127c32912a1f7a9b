package cms

import (
	"context"
	"errors"
	"fmt"
	"gongkai"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// answer wraps HTML as a fetched page.
func answer(u, html string) *fetch.Response {
	return &fetch.Response{URL: u, FinalURL: u, Status: 200, HTML: html, Body: []byte(html), MediaType: "text/html",
		Header: http.Header{"Date": {"Thu, 31 Dec 2020 02:00:00 GMT"}}, FetchedAt: time.Now()}
}

func column(t *testing.T, preset, u string, mutate ...func(*config.Column)) config.Column {
	t.Helper()
	p, ok := config.LookupPreset(preset)
	if !ok {
		t.Fatalf("no preset %s", preset)
	}
	pu, _ := url.Parse(u)
	c := config.Column{Name: "栏目", URL: u, Items: []string{"2.1"}, List: p.List, Paging: p.Paging, Detail: p.Detail,
		MaxPages: 50, Preset: preset, Hosts: []string{pu.Host}}
	for _, m := range mutate {
		m(&c)
	}
	return c
}

func urls(rs []fetch.Request) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.URL)
	}
	return out
}

const trsList = `<html><head><meta charset="utf-8"></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/xxgk/xzcf/index.shtml">行政处罚</a></li></ul></div>
<div class="view right"><ul>
<li><a href="./202008/t20200805_1234567.shtml" title="关于泽州县某某超市销售过期食品的行政处罚决定书（泽市监罚〔2020〕12号）">关于泽州县某某超市销售过期食品的行政...</a><span>2020-08-05</span></li>
<li><a href="./202007/t20200727_1234500.shtml" title="行政处罚决定书">行政处罚决定书</a><span>2020-07-27</span></li>
<li><a href="http://www.samr.gov.cn/xw/t20200701_1.html">总局通知</a><span>2020-07-01</span></li>
</ul>
<div class="page"><script>createPageHTML(4, 0, "index", "shtml");</script></div></div>
<div class="side"><ul><li><a href="/zwgk/">政务公开</a></li></ul></div>
</body></html>`

func TestTRSCreatePageHTML(t *testing.T) {
	col := column(t, "trs", "http://xxgk.jccq.gov.cn/qzf/cqscjgj/xzcf/index.shtml")
	lr, err := ParseList(col, answer(col.URL, trsList), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(lr.Entries) != 2 {
		t.Fatalf("entries %+v", lr.Entries)
	}
	e := lr.Entries[0]
	if e.URL != "http://xxgk.jccq.gov.cn/qzf/cqscjgj/xzcf/202008/t20200805_1234567.shtml" ||
		e.Title != "关于泽州县某某超市销售过期食品的行政处罚决定书（泽市监罚〔2020〕12号）" || e.Date != date("2020-08-05") {
		t.Errorf("entry %+v", e)
	}
	want := []string{
		"http://xxgk.jccq.gov.cn/qzf/cqscjgj/xzcf/index_1.shtml",
		"http://xxgk.jccq.gov.cn/qzf/cqscjgj/xzcf/index_2.shtml",
		"http://xxgk.jccq.gov.cn/qzf/cqscjgj/xzcf/index_3.shtml",
	}
	if got := urls(lr.Next); strings.Join(got, " ") != strings.Join(want, " ") || lr.PageCount != 4 {
		t.Errorf("next %v count %d", got, lr.PageCount)
	}
	if len(lr.Rejected) != 1 || !strings.Contains(lr.Rejected[0], "samr.gov.cn") {
		t.Errorf("off-site entry not rejected: %v", lr.Rejected)
	}
	// A later page lists no further pages (page 0 listed them all).
	later := strings.Replace(trsList, "createPageHTML(4, 0,", "createPageHTML(4, 2,", 1)
	lr, _ = ParseList(col, answer(want[1], later), 2)
	if len(lr.Next) != 0 || len(lr.Entries) != 2 {
		t.Errorf("page 2: next %v", urls(lr.Next))
	}
	// One page only: createPageHTML(1, …) writes nothing and there is nothing to add.
	single := strings.Replace(trsList, "createPageHTML(4, 0,", "createPageHTML(1, 0,", 1)
	lr, _ = ParseList(col, answer(col.URL, single), 0)
	if len(lr.Next) != 0 || lr.PageCount != 1 {
		t.Errorf("single page: %v", urls(lr.Next))
	}
}

func TestMaxPagesCapsAndMarks(t *testing.T) {
	col := column(t, "trs", "http://h/xzcf/index.shtml", func(c *config.Column) { c.MaxPages = 2 })
	lr, _ := ParseList(col, answer(col.URL, trsList), 0)
	if len(lr.Next) != 1 || !lr.Capped {
		t.Errorf("next %v capped %v", urls(lr.Next), lr.Capped)
	}
}

func TestPatternGuardDropsTraps(t *testing.T) {
	col := column(t, "generic", "http://h/index.php?m=content&c=index&a=lists&catid=35", func(c *config.Column) {
		c.Pattern = regexp.MustCompile(`^/index\.php\?m=content&c=index&a=(lists|show)&catid=\d+`)
	})
	page := `<ul><li><a href="index.php?m=content&c=index&a=show&catid=35&id=9">处罚决定</a><span>2020-08-05</span></li>
<li><a href="index.php?m=content&c=index&a=calendar&date=2020-08">活动日历</a><span>2020-08-01</span></li></ul>
<div id="pages"><a href="index.php?m=content&c=index&a=calendar&date=2020-09">下一页</a></div>`
	lr, _ := ParseList(col, answer(col.URL, page), 0)
	if len(lr.Entries) != 1 || len(lr.Next) != 0 || len(lr.Rejected) != 2 {
		t.Errorf("entries %v next %v rejected %v", lr.Entries, urls(lr.Next), lr.Rejected)
	}
}

// Shanxi's pager: shanxi-gov-page buttons, 共N页 and a GO box, pages named
// by the TRS rule; and a variant that keeps the count in var countPage.
func TestTRSCountVariants(t *testing.T) {
	shanxi := `<ul class="list"><li><a href="./201909/t20190918_693227.shtml">山西品牌丝路行</a><span>2019-09-18</span></li></ul>
<div class="shanxi-gov-page-box"><a href='index_1.shtml'>2</a><a class='shanxi-gov-page-button' href='index_2.shtml'>尾页</a>
<span class='shanxi-gov-page-form'>共3页&nbsp;转到第<input type='text' id='num'/>页<input type='submit' value='GO'/></span></div>`
	col := column(t, "trs", "http://www.shanxi.gov.cn/yw/sxyw/index.shtml")
	lr, _ := ParseList(col, answer(col.URL, shanxi), 0)
	if got := urls(lr.Next); len(got) != 2 || got[1] != "http://www.shanxi.gov.cn/yw/sxyw/index_2.shtml" {
		t.Errorf("共N页 fallback: %v", got)
	}
	cv := `<div class="textnews-list"><ul><li><a href="./202012/t20201218_2100462.shtml">行政处罚信息公示表</a><em>2020-12-18</em></li></ul></div>
<script>var countPage = 3//共多少页
var currentPage = 0;</script>`
	col = column(t, "trs", "http://www.sxgp.gov.cn/xxgk/xzcf/index.shtml", func(c *config.Column) { c.Paging = config.PagingRule{Kind: config.PagingCountVar} })
	lr, _ = ParseList(col, answer(col.URL, cv), 0)
	if got := urls(lr.Next); strings.Join(got, " ") != "http://www.sxgp.gov.cn/xxgk/xzcf/index_1.shtml http://www.sxgp.gov.cn/xxgk/xzcf/index_2.shtml" {
		t.Errorf("count-var: %v", got)
	}
}

// intertid: page 2 is index_2 (index_1 does not exist); the table list form
// with a cut title, 文号 and a Chinese date.
func TestIntertidTable(t *testing.T) {
	page := `<table class="affairs-document-box"><thead><tr><th>序号</th><th>标题</th><th>文号</th><th>发布日期</th></tr></thead><tbody>
<tr><td class="affaires-doc-num">1</td><td class="affaires-doc-title"><a class="doc-title" href="./202012/t20201223_8800492.shtml" title="阳城县市场监督管理局关于阳城县百味美容院进货查验记录不规范的行政处罚决定书">阳城县市场监督管理局关于阳城县百味美容院...</a></td><td class="affaires-doc-sizes">阳市监罚〔2020〕012号</td><td class="affaires-doc-published">2020年12月23日</td></tr>
<tr><td class="affaires-doc-num">2</td><td class="affaires-doc-title"><a class="doc-title" href="./202012/t20201201_8800480.shtml" title="食品安全抽检信息">食品安全抽检信息</a></td><td class="affaires-doc-sizes">—  —</td><td class="affaires-doc-published">2020年12月01日</td></tr>
</tbody></table><div class="pagination"><span class="cur">1</span> <a href="index_2.shtml">2</a> <a href="index_2.shtml">下一页</a> <a href="index_3.shtml">末页</a> <span>共3页</span></div>`
	col := column(t, "intertid", "http://www.yczf.gov.cn/yczf/xxgk/xzcf/index.shtml")
	lr, _ := ParseList(col, answer(col.URL, page), 0)
	if len(lr.Entries) != 2 {
		t.Fatalf("entries %+v", lr.Entries)
	}
	e := lr.Entries[0]
	if e.Title != "阳城县市场监督管理局关于阳城县百味美容院进货查验记录不规范的行政处罚决定书" || e.DocNo != "阳市监罚〔2020〕012号" || e.Date != date("2020-12-23") {
		t.Errorf("entry %+v", e)
	}
	if lr.Entries[1].DocNo != "" {
		t.Errorf("—  — is an empty 文号: %q", lr.Entries[1].DocNo)
	}
	if got := urls(lr.Next); strings.Join(got, " ") != "http://www.yczf.gov.cn/yczf/xxgk/xzcf/index_2.shtml http://www.yczf.gov.cn/yczf/xxgk/xzcf/index_3.shtml" {
		t.Errorf("next %v", got)
	}
}

// list_N.html with 首页/上一页/下一页/尾页 and a select; bracketed dates.
func TestListN(t *testing.T) {
	page := `<div class="list_con"><ul><li><a href="./202010/t20201028_560233.html" title="行政处罚决定书（沁市监罚字（2020）19号）">行政处罚决定书（沁市监罚字（2020）19号）</a><span>[2020-10-28]</span></li></ul>
<div class="fenye">共5页 <span>首页</span> <span>上一页</span> <span class="current">1</span> <a href="list_2.html">下一页</a> <a href="list_5.html">尾页</a>
<select onchange="window.location.href=this.value"><option value="index.html">1</option><option value="list_2.html">2</option></select></div></div>`
	col := column(t, "trs", "http://www.qinshui.gov.cn/xxgk/xzcf/index.html", func(c *config.Column) { c.Paging = config.PagingRule{Kind: config.PagingListN} })
	lr, _ := ParseList(col, answer(col.URL, page), 0)
	if len(lr.Entries) != 1 || lr.Entries[0].Date != date("2020-10-28") {
		t.Fatalf("entries %+v", lr.Entries)
	}
	got := urls(lr.Next)
	if len(got) != 4 || got[0] != "http://www.qinshui.gov.cn/xxgk/xzcf/list_2.html" || got[3] != "http://www.qinshui.gov.cn/xxgk/xzcf/list_5.html" {
		t.Errorf("next %v", got)
	}
}

// ?page=N with 下一页 and 尾页, year-less dates resolved against the
// server's Date (the list cannot show a future date).
func TestQueryPagingAndMonthDay(t *testing.T) {
	page := `<ul class="list_ul"><li><a href="index.php?m=content&c=index&a=show&catid=35&id=1118" title="泽州县市场监督管理局2020年11月行政处罚案件信息公开表">泽州县市场监督管理局2020年11...</a><span>12-04</span></li>
<li><a href="index.php?m=content&c=index&a=show&catid=35&id=1002" title="行政处罚决定">行政处罚决定</a><span>01-06</span></li></ul>
<div id="pages"><a class="a1">共25条</a> <span>1</span> <a href="index.php?m=content&c=index&a=lists&catid=35&page=2">2</a> <a href="index.php?m=content&c=index&a=lists&catid=35&page=2" class="a1">下一页</a> <a href="index.php?m=content&c=index&a=lists&catid=35&page=4" class="a1">尾页</a></div>`
	base := "http://www.zezhou.gov.cn/index.php?m=content&c=index&a=lists&catid=35"
	col := column(t, "generic", base, func(c *config.Column) { c.Paging = config.PagingRule{Kind: config.PagingQuery, Param: "page"} })
	resp := answer(base, page)
	resp.Header.Set("Date", "Sat, 02 Jan 2021 02:00:00 GMT")
	lr, _ := ParseList(col, resp, 0)
	if len(lr.Entries) != 2 || lr.Entries[0].Date != date("2020-12-04") || lr.Entries[1].Date != date("2020-01-06") {
		t.Errorf("entries %+v", lr.Entries)
	}
	if lr.Entries[0].Title != "泽州县市场监督管理局2020年11月行政处罚案件信息公开表" {
		t.Errorf("cut title not replaced by @title: %q", lr.Entries[0].Title)
	}
	got := urls(lr.Next)
	if len(got) != 3 || !strings.HasSuffix(got[0], "page=2") || !strings.HasSuffix(got[2], "page=4") {
		t.Errorf("query pages %v", got)
	}
	// The generic preset follows 下一页 one page at a time instead.
	col = column(t, "generic", base)
	lr, _ = ParseList(col, resp, 0)
	if got := urls(lr.Next); len(got) != 1 || !strings.HasSuffix(got[0], "page=2") || lr.PageCount != 0 {
		t.Errorf("next link: %v", got)
	}
	// An empty page of a column of unknown length ends it.
	lr, _ = ParseList(col, answer(base+"&page=9", `<ul class="list_ul"></ul>`), 8)
	if !lr.End {
		t.Error("empty page not an end")
	}
}

func TestPastTheLastPage(t *testing.T) {
	col := column(t, "trs", "http://h/xzcf/index.shtml")
	resp := answer("http://h/xzcf/index_9.shtml", "gone")
	resp.Status = 404
	if lr, err := ParseList(col, resp, 9); err != nil || !lr.End {
		t.Errorf("404: %v %v", lr.End, err)
	}
	soft := answer("http://h/xzcf/index_9.shtml", `<html><head><title>页面不存在</title></head><body><ul class="nav"><li><a href="/">首页</a></li></ul><h2>页面不存在</h2><p>您访问的页面不存在或已被删除。</p></body></html>`)
	if lr, err := ParseList(col, soft, 9); err != nil || !lr.End {
		t.Errorf("页面不存在: %v %v", lr.End, err)
	}
	if d, err := ParseDetail(col, Entry{}, soft); err != nil || !d.NotFound {
		t.Errorf("detail 页面不存在: %v %v", d.NotFound, err)
	}
	resp.Status = 503
	if _, err := ParseList(col, resp, 0); err == nil {
		t.Error("a 503 list page is an error, not an empty list")
	}
}

const hanwebColumn = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>
<div class="default_pgContainer" id="21871"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=27&path=/&columnid=4127&unitid=21871&webname=x&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href='/art/2020/12/23/art_4127_30150771.html' title='陵市监简罚[2020]1号 陵川县天成便利店行政处罚信息' target='_blank'>陵市监简罚[2020]1号 陵川县天成便利...</a><span>2020-12-23</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2020/12/5/art_4127_30150761.html' title='行政处罚信息'>行政处罚信息</a><span>2020-12-05</span></li>]]></record>
<record><![CDATA[<li><a href='http://www.nmpa.gov.cn/xxgk/ggtg/1.html' title='国家局公告'>国家局公告</a><span>2020-12-01</span></li>]]></record>
</recordset></datastore></script></div>
<script>$(document).ready(function(){ $('#21871').jpage({ dataStore: dataStore, objId: '21871', totalRecord: 10, perPage: 1, groupSize: 3, pageSize: 3, proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: {col:1, appid:1, webid:27, path:'/', columnid:4127, sourceContentType:1, unitid:21871, webname:'陵川县人民政府', permissiontype:0}, showMode: 'full' }); });</script>
</body></html>`

func TestHanwebDatastoreAndProxy(t *testing.T) {
	col := column(t, "hanweb", "http://www.lingchuan.gov.cn/col/col4127/index.html")
	lr, err := ParseList(col, answer(col.URL, hanwebColumn), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(lr.Entries) != 2 || lr.Entries[0].Title != "陵市监简罚[2020]1号 陵川县天成便利店行政处罚信息" ||
		lr.Entries[1].URL != "http://www.lingchuan.gov.cn/art/2020/12/5/art_4127_30150761.html" || len(lr.Rejected) != 1 {
		t.Fatalf("entries %+v rejected %v", lr.Entries, lr.Rejected)
	}
	// 10 records, 3 embedded; the rest in chunks of perPage × groupSize = 3.
	if len(lr.Next) != 3 || lr.PageCount != 4 {
		t.Fatalf("next %d count %d", len(lr.Next), lr.PageCount)
	}
	n := lr.Next[0]
	u, _ := url.Parse(n.URL)
	q := u.Query()
	if n.Method != "POST" || u.Path != "/module/web/jpage/dataproxy.jsp" || q.Get("startrecord") != "4" || q.Get("endrecord") != "6" || q.Get("perpage") != "1" {
		t.Errorf("first proxy request %s %s", n.Method, n.URL)
	}
	if n.Form.Get("columnid") != "4127" || n.Form.Get("unitid") != "21871" || n.Form.Get("webname") != "陵川县人民政府" || n.Form.Get("path") != "/" {
		t.Errorf("form %v", n.Form)
	}
	if last, _ := url.Parse(lr.Next[2].URL); last.Query().Get("startrecord") != "10" || last.Query().Get("endrecord") != "10" {
		t.Errorf("last chunk %s", lr.Next[2].URL)
	}
	proxy := `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>10</totalrecord><totalpage>10</totalpage><recordset>
<record><![CDATA[<li><a href='/art/2020/11/3/art_4127_30150700.html' title='抽检'>抽检</a><span>2020-11-03</span></li>]]></record>
</recordset></datastore>`
	resp := answer(n.URL, proxy)
	resp.MediaType = "text/xml"
	lr, _ = ParseList(col, resp, 1)
	if len(lr.Entries) != 1 || lr.Entries[0].Date != date("2020-11-03") || len(lr.Next) != 0 {
		t.Errorf("proxy page %+v", lr)
	}
	if lr.DeclaredTotal != 10 {
		t.Errorf("proxy page declared total %d, want its <totalrecord> 10", lr.DeclaredTotal)
	}
	// An empty answer to a range the column page declared is not the end
	// of the list (the old End here was issue 8's first failure): it is a
	// disagreement the harvester must see.
	_, err = ParseList(col, answer(n.URL, `<datastore><recordset></recordset></datastore>`), 3)
	var mismatch *TotalMismatchError
	if !errors.As(err, &mismatch) || mismatch.AtLeast != 4 || mismatch.Answered != -1 {
		t.Errorf("empty proxy answer for records 4–6: %v", err)
	}
	// An answer to a request this package did not plan (no startrecord)
	// that holds nothing still ends the list.
	lr, err = ParseList(col, answer("http://www.lingchuan.gov.cn/module/web/jpage/dataproxy.jsp", `<datastore><recordset></recordset></datastore>`), 3)
	if err != nil || !lr.End {
		t.Errorf("empty unplanned proxy answer: end %v, %v", lr.End, err)
	}
}

// A TRS detail page written in GBK with the charset only in <meta>,
// fetched for real: labels with full-width spaces, an empty 文号, 生成日期
// that is not the publication date, an attachment, a body table.
func TestTRSDetailOverHTTP(t *testing.T) {
	const page = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta name="ArticleTitle" content="泽州县2020年第5期食品安全监督抽检信息公告"><meta name="PubDate" content="2020-08-05 10:30">
<title>泽州县2020年第5期食品安全监督抽检信息公告</title></head><body>
<table class="affairs-detail-head"><tr><td>索　引　号：</td><td>11140525MB1234567X/2020-00012</td><td>所属主题：</td><td>食品药品监管</td></tr>
<tr><td>发文机关：</td><td>泽州县市场监督管理局</td><td>成文日期：</td><td>2020年7月27日</td></tr>
<tr><td>发文字号：</td><td>—  —</td><td>关 键 词：</td><td>抽检</td></tr></table>
<div class="article"><h2>泽州县2020年第5期食品安全监督抽检信息公告</h2>
<div class="TRS_Editor"><p>　　本期抽检张喆经营的喆堃超市等单位。</p>
<table border="1"><tr><th>序号</th><th>抽样编号</th><th>被抽样单位名称</th><th>结果</th></tr>
<tr><td>1</td><td>DC20140525000123</td><td>泽州县喆堃超市</td><td rowspan="2">合格</td></tr>
<tr><td>2</td><td>DC20140525000124</td><td>泽州县䶮记商店</td></tr></table>
<p>附件：<a href="./P020200805123456789012.xlsx" oldsrc="P020200805123456789012.xlsx">1.2020年第5期食品监督抽检产品合格信息.xlsx</a></p>
</div></div></body></html>`
	gbk, _ := fetch.Encoder("gb2312")
	body, err := gbk.Bytes([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write(body)
	}))
	defer srv.Close()
	col := column(t, "trs", srv.URL+"/xxgk/cj/index.shtml")
	f, _ := fetch.New(config.DefaultHarvest(), col.Hosts)
	detailURL := srv.URL + "/xxgk/cj/202008/t20200805_1.shtml"
	resp, err := f.Fetch(context.Background(), fetch.Request{URL: detailURL})
	if err != nil {
		t.Fatal(err)
	}
	e := Entry{URL: detailURL, Title: "泽州县2020年第5期食品安全监督抽检...", Date: date("2020-08-05")}
	d, err := ParseDetail(col, e, resp)
	if err != nil {
		t.Fatal(err)
	}
	if d.Declared != date("2020-08-05") || d.DeclaredFrom != "PubDate" {
		t.Errorf("declared %s from %s", d.Declared, d.DeclaredFrom)
	}
	wantMeta := map[string]string{"索引号": "11140525MB1234567X/2020-00012", "主题分类": "食品药品监管", "发布机构": "泽州县市场监督管理局",
		"生成日期": "2020年7月27日", "文号": "", "关键词": "抽检"}
	for k, v := range wantMeta {
		if got, ok := d.Metadata[k]; !ok || got != v {
			t.Errorf("metadata %s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if len(d.Links) != 1 || d.Links[0].URL != srv.URL+"/xxgk/cj/202008/P020200805123456789012.xlsx" || d.Links[0].Name != "1.2020年第5期食品监督抽检产品合格信息.xlsx" {
		t.Errorf("links %+v", d.Links)
	}
	if len(d.Tables) != 1 || len(d.Tables[0]) != 3 || d.Tables[0][2][3] != "合格" || d.Tables[0][2][2] != "泽州县䶮记商店" {
		t.Errorf("tables %q", d.Tables)
	}
	if !strings.Contains(d.Body, "张喆经营的喆堃超市") {
		t.Errorf("rare characters lost: %q", d.Body)
	}

	county := config.County{County: "泽州县", Code: "140525"}
	src := config.Source{Name: "zezhou"}
	atts := []gongkai.Attachment{{URL: d.Links[0].URL, Name: d.Links[0].Name, Evidence: "sha256:ab",
		Sheets: []gongkai.Sheet{{Name: "合格", Rows: [][]string{{"食品安全监督抽检产品合格信息"}, {"序号", "抽样编号", "被抽样单位名称", "公告日期"}, {"1", "DC20140525000125", "泽州县某某超市", "2020-08-05"}}}}}}
	pub := BuildPublication(county, src, col, e, d, atts)
	if pub.Title != "泽州县2020年第5期食品安全监督抽检信息公告" || pub.County != "泽州县" || pub.Source != "zezhou" || pub.Declared != date("2020-08-05") {
		t.Errorf("publication %+v", pub)
	}
	if strings.Join(pub.RecordNos, " ") != "DC20140525000123 DC20140525000124 DC20140525000125" {
		t.Errorf("record nos %v", pub.RecordNos)
	}
	var rows, sheetRows int
	for _, dis := range pub.Disclosures {
		switch dis.Kind {
		case "table-row":
			rows++
			if dis.Ref == "表格1第2行" && (dis.Fields["被抽样单位名称"] != "泽州县䶮记商店" || dis.Fields["结果"] != "合格" || len(dis.Parties) != 1) {
				t.Errorf("row 2 %+v", dis)
			}
		case "sheet-row":
			sheetRows++
			if dis.Fields["抽样编号"] != "DC20140525000125" || dis.Date != date("2020-08-05") || !strings.Contains(dis.Ref, "附件1") {
				t.Errorf("sheet row %+v", dis)
			}
		}
	}
	if pub.Disclosures[0].Kind != "page" || rows != 2 || sheetRows != 1 {
		t.Errorf("disclosures %d page kind %s rows %d sheet rows %d", len(pub.Disclosures), pub.Disclosures[0].Kind, rows, sheetRows)
	}
	// The content hash is stable across fetches and moves with the content.
	again := BuildPublication(county, src, col, e, d, atts)
	if again.ContentHash != pub.ContentHash || !strings.HasPrefix(pub.ContentHash, "sha256:") {
		t.Error("content hash not stable")
	}
	d2 := d
	d2.Body += "（更正）"
	if BuildPublication(county, src, col, e, d2, atts).ContentHash == pub.ContentHash {
		t.Error("content hash ignores an edit")
	}
}

// A decision written as label paragraphs, and one as a two-column table:
// both give the page disclosure its elements; a PDF-only page takes its
// number from the attachment's name and text.
func TestPenaltyPublications(t *testing.T) {
	col := column(t, "trs", "http://h/xzcf/index.shtml")
	county, src := config.County{County: "高平市"}, config.Source{Name: "gp"}
	paragraphs := answer("http://h/xzcf/202012/t20201218_1.shtml", `<html><head><meta name="PubDate" content="2020-12-18 14:34"></head><body>
<div class="TRS_Editor"><p>当事人：高平市晋韵便利店</p><p>统一社会信用代码：91140581MANLXCBXF0</p><p>行政处罚决定书文号：高市监罚字(2020)第0012号</p><p>处罚依据：《中华人民共和国食品安全法》第一百二十四条</p></div></body></html>`)
	d, _ := ParseDetail(col, Entry{URL: paragraphs.URL}, paragraphs)
	pub := BuildPublication(county, src, col, Entry{URL: paragraphs.URL}, d, nil)
	page := pub.Disclosures[0]
	if page.Fields["当事人"] != "高平市晋韵便利店" || page.Fields["处罚依据"] == "" || len(page.USCCs) != 1 ||
		strings.Join(page.DecisionNos, "") != "高市监罚〔2020〕12号" || strings.Join(page.Parties, "") != "高平市晋韵便利店" {
		t.Errorf("page disclosure %+v", page)
	}
	table := answer("http://h/xzcf/202012/t20201218_2.shtml", `<div class="TRS_Editor"><table class="cfxx">
<tr><td>行政相对人名称</td><td>陵川县润丰饭店</td></tr><tr><td>处罚决定书文号</td><td>陵市监处罚[2020]16号</td></tr><tr><td>处罚依据</td><td>《食品安全法》</td></tr></table></div>`)
	d, _ = ParseDetail(col, Entry{URL: table.URL}, table)
	pub = BuildPublication(county, src, col, Entry{URL: table.URL}, d, nil)
	if len(pub.Disclosures) != 1 || pub.Disclosures[0].Fields["行政相对人名称"] != "陵川县润丰饭店" || strings.Join(pub.RecordNos, "") != "陵市监处罚〔2020〕16号" {
		t.Errorf("key-value table: %+v", pub.Disclosures)
	}
	pdfOnly := answer("http://h/xzcf/202010/t20201021_3.shtml", `<div class="TRS_Editor"><p><a href="./P020201021431738627222.pdf">沁市监罚字（2020）20号行政处罚决定书.pdf</a></p></div>`)
	d, _ = ParseDetail(col, Entry{URL: pdfOnly.URL}, pdfOnly)
	pub = BuildPublication(county, src, col, Entry{URL: pdfOnly.URL}, d, []gongkai.Attachment{{URL: d.Links[0].URL, Name: d.Links[0].Name,
		Text: "高平市市场监督管理局\n行政处罚决定书\n高市监罚字〔2020〕第0013号"}})
	if strings.Join(pub.RecordNos, " ") != "沁市监罚〔2020〕20号 高市监罚〔2020〕13号" {
		t.Errorf("PDF-only page record nos %v", pub.RecordNos)
	}
}

func TestSelectorOverrides(t *testing.T) {
	page := `<div class="box"><div class="row"><a class="t" href="/a/1.html" data-full="完整标题一">标题一</a><i class="d">2020.8.5</i><b class="n">泽市监罚〔2020〕1号</b></div>
<div class="row"><a class="t" href="/a/2.html" data-full="完整标题二">标题二</a><i class="d">2020.8.6</i></div></div>`
	col := column(t, "generic", "http://h/a/index.html", func(c *config.Column) {
		c.List = config.ListRule{Item: "div.row", Link: "a.t", Title: "a.t@data-full", Date: "i.d", DocNo: "b.n"}
		c.Paging = config.PagingRule{Kind: config.PagingNone}
	})
	lr, _ := ParseList(col, answer(col.URL, page), 0)
	if len(lr.Entries) != 2 || lr.Entries[0].Title != "完整标题一" || lr.Entries[0].DocNo != "泽市监罚〔2020〕1号" || lr.Entries[1].Date != date("2020-08-06") {
		t.Errorf("%+v", lr.Entries)
	}
	detail := answer("http://h/a/1.html", `<div id="t">正确标题</div><div class="when">上传于 2020/08/07</div><div id="b">正文</div><div class="meta">索引号：X-1</div>`)
	col.Detail = config.DetailRule{Title: "#t", Date: ".when", Body: "#b", Metadata: ".meta"}
	d, _ := ParseDetail(col, lr.Entries[0], detail)
	if d.Title != "正确标题" || d.Declared != date("2020-08-07") || d.DeclaredFrom != "rule" || d.Body != "正文" || d.Metadata["索引号"] != "X-1" {
		t.Errorf("%+v", d)
	}
	_ = fmt.Sprint
}

// A column that lists a file directly: the entry is kept, and its "detail"
// is the file itself, to be fetched as an attachment.
func TestFileListedDirectly(t *testing.T) {
	page := `<div class="view right"><ul><li><a href="./202008/P020200805123456789012.pdf" title="泽市监罚〔2020〕12号行政处罚决定书">泽市监罚〔2020〕12号行政处罚决定书</a><span>2020-08-05</span></li>
<li><a href="./202008/t20200805_1.shtml">普通页面</a><span>2020-08-05</span></li></ul></div>`
	col := column(t, "trs", "http://h/xzcf/index.shtml")
	lr, _ := ParseList(col, answer(col.URL, page), 0)
	if len(lr.Entries) != 2 || !strings.HasSuffix(lr.Entries[0].URL, ".pdf") {
		t.Fatalf("entries %+v", lr.Entries)
	}
	pdf := &fetch.Response{URL: lr.Entries[0].URL, FinalURL: lr.Entries[0].URL, Status: 200, Body: []byte("%PDF-1.4"), MediaType: "application/pdf"}
	d, err := ParseDetail(col, lr.Entries[0], pdf)
	if err != nil || d.Title != "泽市监罚〔2020〕12号行政处罚决定书" || d.Declared != date("2020-08-05") || d.DeclaredFrom != "list" ||
		len(d.Links) != 1 || d.Links[0].URL != lr.Entries[0].URL {
		t.Fatalf("%+v %v", d, err)
	}
	pub := BuildPublication(config.County{County: "泽州县"}, config.Source{Name: "z"}, col, lr.Entries[0], d,
		[]gongkai.Attachment{{URL: d.Links[0].URL, Name: d.Links[0].Name, Text: "行政处罚决定书"}})
	if strings.Join(pub.RecordNos, "") != "泽市监罚〔2020〕12号" {
		t.Errorf("record nos %v", pub.RecordNos)
	}
}

// Every paging kind sites.yaml accepts is brought by one CMS family, and
// every family's preset pages with a kind that exists.
func TestEveryPagingKindHasAFamily(t *testing.T) {
	for _, k := range config.PagingKinds {
		if _, ok := pagings[k]; !ok {
			t.Errorf("paging kind %s: no family registers it", k)
		}
	}
	if len(pagings) != len(config.PagingKinds) {
		t.Errorf("%d kinds registered, config accepts %d", len(pagings), len(config.PagingKinds))
	}
	for _, name := range []string{"trs", "intertid", "hanweb", "generic"} {
		p, ok := config.LookupPreset(name)
		if !ok || p.Name != name {
			t.Errorf("preset %s not registered", name)
			continue
		}
		if _, ok := pagings[p.Paging.Kind]; !ok {
			t.Errorf("preset %s pages with unknown kind %q", name, p.Paging.Kind)
		}
	}
}
