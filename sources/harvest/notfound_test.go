package harvest

import (
	"context"
	"fmt"
	"gongkai"
	"strings"
	"testing"

	"gongkai/sources/cms"
	"gongkai/sources/config"
)

// softMissing is a site's missing page: 200, no 页面不存在 wording, and
// too long for the short-page fallback. Only its shape tells it apart.
func softMissing(u string) string {
	return `<html><head><title>泽州县人民政府</title></head><body><div class="head"><a href="/">首页</a></div>
<div class="box"><h3>抱歉，您要找的内容走丢了</h3><p>` + u + `</p><p>` + strings.Repeat("请检查网址是否正确，或从首页重新进入。", 40) + `</p></div></body></html>`
}

func htmlDetail(title, body string) string {
	return `<html><head><title>` + title + `</title><meta name="PubDate" content="2020-12-01 09:00"></head><body><h1>` + title +
		`</h1><div class="TRS_Editor"><p>` + body + `</p></div></body></html>`
}

// TestSoftNotFoundByProfile: with the real cms family, a withdrawn page
// answered with the site's own missing page (200) is recognised by its
// shape, and a decision numbered 404号 is stored like any other. The probe
// is asked for only when an answer needs judging.
func TestSoftNotFoundByProfile(t *testing.T) {
	p, _ := config.LookupPreset("trs")
	col := config.Column{Name: "行政处罚", URL: "http://site.test/xzcf/index.shtml", Items: []string{"2.1"}, Preset: "trs",
		List: p.List, Paging: p.Paging, Detail: p.Detail, MaxPages: 10, Hosts: []string{"site.test"}}
	site := newFakeSite()
	detail := func(i int) string { return fmt.Sprintf("http://site.test/xzcf/202012/t2020120%d_%d.shtml", i, i) }
	titles := []string{"行政处罚决定书（泽市监罚〔2020〕404号）", "行政处罚决定书（泽市监罚〔2020〕1404号）", "行政处罚决定书（泽市监罚〔2020〕5号）"}
	list := func(n int) string {
		var b strings.Builder
		b.WriteString(`<html><head><title>404号 - 行政处罚</title></head><body><div class="view right"><ul>`)
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, `<li><a href="./202012/t2020120%d_%d.shtml" title="%s">%s</a><span>2020-12-0%d</span></li>`, i, i, titles[i-1], titles[i-1], i)
		}
		b.WriteString(`</ul><script>createPageHTML(1, 0, "index", "shtml");</script></div></body></html>`)
		return b.String()
	}
	site.set(col.URL, list(3))
	for i := 1; i <= 3; i++ {
		site.set(detail(i), htmlDetail(titles[i-1], "当事人：泽州县某某超市。经查，当事人销售过期食品。"))
	}
	probe := cms.ProbeURL(col)
	site.set(probe, softMissing(probe))
	st := openStore(t)
	h := newTestHarvester(t, st, site, fakeConfig(5, col), func(o *Options) { o.Family = nil })
	sum := sweepOnce(t, h)
	if sum.New != 3 || sum.Errors != 0 {
		t.Fatalf("first sweep %+v", sum)
	}
	if pub, ok, _ := st.Publication(context.Background(), detail(1)); !ok || pub.State == gongkai.Withdrawn {
		t.Errorf("the 404号 decision was not stored: %+v", pub)
	}
	if n := countKind(site.log(), kindProbe); n != 0 {
		t.Errorf("probe asked %d times although every answer had content", n)
	}

	// The third decision leaves the list; its address now answers the
	// site's missing page.
	site.reset()
	site.set(col.URL, list(2))
	site.set(detail(3), softMissing(detail(3)))
	h = newTestHarvester(t, st, site, fakeConfig(5, col), func(o *Options) { o.Family = nil; o.Full = true })
	sum = sweepOnce(t, h)
	if sum.Withdrawn != 1 || sum.Errors != 0 {
		t.Errorf("second sweep %+v: want the soft-404 page confirmed withdrawn", sum)
	}
	if n := countKind(site.log(), kindProbe); n != 1 {
		t.Errorf("probe asked %d times in the sweep, want once: %v", n, site.log())
	}
	for i := 1; i <= 2; i++ {
		if pub, ok, _ := st.Publication(context.Background(), detail(i)); !ok || pub.State == gongkai.Withdrawn {
			t.Errorf("%s withdrawn: %+v", detail(i), pub.State)
		}
	}
}
