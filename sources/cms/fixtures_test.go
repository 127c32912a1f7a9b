package cms

import (
	"os"
	"strings"
	"testing"
	"time"

	"gongkai/calendar"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// fixture wraps a saved page as a fetched answer.
func fixture(t *testing.T, name, url string) *fetch.Response {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	html, cs := fetch.Decode(b, "text/html", "")
	return &fetch.Response{URL: url, FinalURL: url, Status: 200, Body: b, HTML: html, Charset: cs,
		MediaType: "text/html", FetchedAt: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
}

func date(s string) calendar.Date {
	d, err := calendar.ParseISO(s)
	if err != nil {
		panic(err)
	}
	return d
}

// The real Shanxi TRS page: PubDate says 2019-09-18; a <span alt> holds the
// stale template date 2017-11-08. The declared date is the former.
func TestShanxiTRSDetail(t *testing.T) {
	col := config.Column{Name: "山西要闻", URL: "http://www.shanxi.gov.cn/yw/sxyw/index.shtml", Preset: "trs"}
	resp := fixture(t, "trs_shanxi_gov_detail_t20190918_693227.html", "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml")
	d, err := ParseDetail(col, Entry{URL: resp.URL}, resp)
	if err != nil {
		t.Fatal(err)
	}
	if d.Declared != date("2019-09-18") || d.DeclaredFrom != "PubDate" {
		t.Errorf("declared %s from %s; want 2019-09-18 from PubDate", d.Declared, d.DeclaredFrom)
	}
	if d.Title != "山西品牌丝路行（南美站）正式启动" {
		t.Errorf("title %q", d.Title)
	}
	if !strings.HasPrefix(d.Body, "图为山西品牌丝路行（南美站）启动仪式。") || !strings.Contains(d.Body, "（张巨峰）") {
		t.Errorf("body starts %q", first(d.Body, 60))
	}
	if strings.Contains(d.Body, "createPageHTML") || strings.Contains(d.Body, "2017-11-08") {
		t.Error("script or stale alt leaked into the body")
	}
	for k, v := range d.Metadata {
		if strings.Contains(v, "2017-11-08") {
			t.Errorf("stale alt date kept as %s = %q", k, v)
		}
	}
	if d.Metadata["时间"] != "2019-09-18 06:23" || d.Metadata["来源"] != "山西日报" || d.Metadata["ContentSource"] != "山西日报" {
		t.Errorf("metadata %v", d.Metadata)
	}
	if d.NotFound || len(d.Links) != 0 {
		t.Errorf("not found %v, links %v", d.NotFound, d.Links)
	}
}

// Without the PubDate meta, the visible 时间 text (not the alt attribute)
// is the page's date, and the list date outranks it.
func TestStaleAltWithoutPubDate(t *testing.T) {
	resp := fixture(t, "trs_shanxi_gov_detail_t20190918_693227.html", "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_693227.shtml")
	resp.HTML = strings.Replace(resp.HTML, `<meta name="PubDate" content="2019-09-18 06:23">`, "", 1)
	col := config.Column{Name: "x", URL: "http://www.shanxi.gov.cn/yw/sxyw/index.shtml"}
	d, _ := ParseDetail(col, Entry{URL: resp.URL}, resp)
	if d.Declared != date("2019-09-18") || d.DeclaredFrom != "时间" {
		t.Errorf("declared %s from %s", d.Declared, d.DeclaredFrom)
	}
	d, _ = ParseDetail(col, Entry{URL: resp.URL, Date: date("2019-09-19")}, resp)
	if d.Declared != date("2019-09-19") || d.DeclaredFrom != "list" {
		t.Errorf("with a list date: declared %s from %s", d.Declared, d.DeclaredFrom)
	}
}

// The real Hanweb page: Maketime 2019-03-22 is when the page was generated,
// PubDate and 发布日期 say 2016-11-22.
func TestHanwebDetail(t *testing.T) {
	col := config.Column{Name: "投资运行", URL: "http://fgw.zj.gov.cn/col/col1621004/index.html", Preset: "hanweb"}
	resp := fixture(t, "hanweb_fgw_zj_detail_art_1621004_30332664.html", "http://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html")
	d, err := ParseDetail(col, Entry{URL: resp.URL}, resp)
	if err != nil {
		t.Fatal(err)
	}
	if d.Declared != date("2016-11-22") || d.DeclaredFrom != "PubDate" {
		t.Errorf("declared %s from %s; want 2016-11-22, never Maketime", d.Declared, d.DeclaredFrom)
	}
	if d.Metadata["Maketime"] != "2019-03-22 12:28:37" {
		t.Errorf("Maketime not kept in metadata: %v", d.Metadata)
	}
	if d.Metadata["发布日期"] != "2016-11-22" || d.Metadata["来源"] != "省发改委" {
		t.Errorf("labels: %v", d.Metadata)
	}
	if d.Title != "1-10月德清县固定资产投资结构趋稳趋优" {
		t.Errorf("title %q", d.Title)
	}
	if !strings.HasPrefix(d.Body, "1-10月，全县固定资产投资完成246.79亿元") || !strings.HasSuffix(d.Body, "（德清县发改局）") {
		t.Errorf("body %q", d.Body)
	}
	// Even with PubDate and the label gone, Maketime is not a publication date.
	resp.HTML = strings.Replace(resp.HTML, `<meta name="PubDate" content="2016-11-22 09:53">`, "", 1)
	resp.HTML = strings.Replace(resp.HTML, `<span>发布日期：2016-11-22</span>`, "", 1)
	d, _ = ParseDetail(col, Entry{URL: resp.URL}, resp)
	if !d.Declared.IsZero() {
		t.Errorf("declared %s from %s; the page no longer declares a date", d.Declared, d.DeclaredFrom)
	}
}

func first(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
