package reports

import (
	"bytes"
	"html/template"
	"reflect"
	"strings"
	"testing"
)

// flagRowTemplate is the flag table's row as the report template wrote it
// before the rows were written by hand.
var flagRowTemplate = template.Must(template.New("rows").Funcs(template.FuncMap{"shortDigest": shortDigest}).Parse(
	`<table><tbody>{{range .}}<tr class="{{.RowClass}}" data-county="{{.County}}" data-item="{{.Item}}" data-kinds="{{.Kinds}}"><td>{{.County}}</td><td title="{{.ItemName}}">{{.Item}}</td><td class="record-no">{{.RecordNo}}</td><td class="title">{{.Title}}</td><td class="party">{{.Party}}</td><td>{{.Channel}}</td><td class="kinds">{{.Kinds}}</td><td>{{.FormedOn}}</td><td>{{.Due}}</td><td>{{.Published}}</td><td class="num">{{.Late}}</td><td class="missing">{{.Missing}}</td><td class="unverifiable">{{.Unverifiable}}</td><td class="url">{{if .URL}}<a href="{{.URL}}" rel="noopener noreferrer" target="_blank">{{.URL}}</a>{{end}}{{if .Evidence}}<br><code title="{{.Evidence}}">{{shortDigest .Evidence}}</code>{{end}}{{if .FirstSeen}}<br><span class="muted">首次发现 {{.FirstSeen}}</span>{{end}}</td><td class="notes">{{.Notes}}</td></tr>
{{end}}</tbody></table>`))

// The hand-written rows must be what html/template wrote: same escaping of
// text and attributes, same treatment of links.
func TestHTMLFlagRowsMatchTemplate(t *testing.T) {
	values := []string{"", "泽州县", `<script>alert(1)</script>`, `"quoted" & 'single' + plus`, "nul\x00byte", "bad \xff utf-8",
		"sha256:0123456789abcdef0123456789abcdef", "\ufdd0\ufffe", "a\nb\tc"}
	urls := []string{"", "http://zz.gov.cn/a/b?c=1&d=2#x", "HTTPS://例子.cn/路径 空格", "javascript:alert(2)", "JavaScript:x", "mailto:a@b.cn",
		"/relative/path?q=%E4%B8%AD%zz", "data:text/html,<b>", "ftp://x", "//host/p", "a/b:c", "http://x/'\"<>\\^`{|}", "%", "%4"}
	var flags []htmlFlag
	for i := range 60 {
		var f htmlFlag
		v := reflect.ValueOf(&f).Elem()
		for j := 0; j < v.NumField(); j++ {
			v.Field(j).SetString(values[(i+j)%len(values)])
		}
		f.URL = urls[i%len(urls)]
		flags = append(flags, f)
	}
	var want bytes.Buffer
	if err := flagRowTemplate.Execute(&want, flags); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	got.WriteString("<table><tbody>")
	if err := writeHTMLFlagRows(&got, flags); err != nil {
		t.Fatal(err)
	}
	got.WriteString("</tbody></table>")
	if got.String() != want.String() {
		g, w := strings.Split(got.String(), "\n"), strings.Split(want.String(), "\n")
		for i := range min(len(g), len(w)) {
			if g[i] != w[i] {
				t.Fatalf("row %d differs:\n got %s\nwant %s", i, g[i], w[i])
			}
		}
		t.Fatalf("%d rows, want %d", len(g), len(w))
	}
}

// The page counts harvested items rather than listing them; beyond the
// XLSX limit it must not send readers to a sheet that does not list them.
func TestRenderHTMLPointsToJSONForHugeItemLists(t *testing.T) {
	r := renderSampleReport()
	var small bytes.Buffer
	if err := RenderHTML(&small, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(small.String(), "XLSX 报告的“已采集”工作表") {
		t.Errorf("a small report should point to the 已采集 sheet")
	}
	for len(r.Items) <= XLSXMaxItems {
		r.Items = append(r.Items, r.Items[0])
	}
	var huge bytes.Buffer
	if err := RenderHTML(&huge, r); err != nil {
		t.Fatal(err)
	}
	h := huge.String()
	if strings.Contains(h, "XLSX 报告的“已采集”工作表或") || !strings.Contains(h, "逐条清单见 JSON 报告的 items") {
		t.Errorf("a province-scale page should point to the JSON report only")
	}
	if strings.Count(h, "<tr") > strings.Count(small.String(), "<tr")+1 {
		t.Errorf("the page lists harvested items one by one")
	}
}
