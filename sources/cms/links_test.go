package cms

import (
	"strings"
	"testing"
)

// The body's links other than attachments: resolved against the page,
// once each; anchors, mailto:, javascript:, the page itself and links
// outside the body (navigation) are left out; outside sites are kept (the
// harvester decides what is internal).
func TestBodyLinks(t *testing.T) {
	col := column(t, "trs", "http://h/xxgk/index.shtml")
	resp := answer("http://h/xxgk/202012/t20201218_1.shtml", `<html><body>
<div class="nav"><a href="/">首页</a><a href="/xxgk/">信息公开</a></div>
<div class="TRS_Editor"><p>正文。相关链接：<a href="../old/t1.html">原通知</a> <a href="/xxgk/old/t1.html#p2">原通知第二段</a>
<a href="./P020201218.pdf">附件.pdf</a> <a href="http://www.gov.cn/zhengce/">中国政府网</a> <a href="mailto:a@b.cn">邮件</a>
<a href="javascript:window.print()">打印</a> <a href="#top">顶部</a> <a href="t20201218_1.shtml">本页</a> <a href="/xxgk/new.html" title="新通知"></a></p></div>
</body></html>`)
	d, err := ParseDetail(col, Entry{URL: resp.URL}, resp)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range d.BodyLinks {
		got = append(got, l.URL+"|"+l.Name)
	}
	want := "http://h/xxgk/old/t1.html|原通知 http://www.gov.cn/zhengce/|中国政府网 http://h/xxgk/new.html|新通知"
	if strings.Join(got, " ") != want {
		t.Errorf("body links %q\nwant %q", strings.Join(got, " "), want)
	}
	if len(d.Links) != 1 || !strings.HasSuffix(d.Links[0].URL, ".pdf") {
		t.Errorf("attachments %+v", d.Links)
	}
}
