package reports

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/ledongthuc/pdf"
)

// The printed report (Chromium, A4 landscape) shows every column of the
// 问题清单, the last ones (逾期工作日, 缺少要素, 证据) included, on every
// page the list runs to, with its header row repeated.
func TestHTMLPrintA4Landscape(t *testing.T) {
	ctx := newOfflineBrowser(t)
	r := renderSampleReport()
	// Enough flags for the list to run over several pages, each with its
	// own digest so that each row can be found in the PDF.
	base := r.Findings[0]
	for i := range 60 {
		f := base
		f.RecordNo = fmt.Sprintf("泽市监罚〔2020〕%d号", 100+i)
		f.Evidence = fmt.Sprintf("sha256:%04d%s", i, strings.Repeat("ab", 30))
		f.MissingElements = []string{"处罚依据", "履行方式和期限"}
		f.Title = "关于对某某食品有限公司生产经营超过保质期食品的行政处罚决定书（第" + fmt.Sprint(i) + "号）"
		f.Notes = []string{fmt.Sprintf("备注%03d：同一编号另见于月度汇总表，以最早者为公开日期", i)}
		r.Findings = append(r.Findings, f)
	}
	var html bytes.Buffer
	if err := RenderHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(html.Bytes())
	}))
	defer srv.Close()

	tctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(srv.URL+"/report.html"), chromedp.WaitVisible(chromedp.CSS("#flags"))); err != nil {
		t.Fatal(err)
	}

	// Under print media: the flag table fits its page, its header is a
	// header group, the heat map keeps its colours.
	if _, err := chromedp.Call(tctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tctx, chromedp.EmulateViewport(1060, 760)); err != nil { // A4 landscape less the margins, at 96 dpi
		t.Fatal(err)
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(tctx, chromedp.Evaluate[any](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return fmt.Sprint(v)
	}
	if got := eval(`(() => { const t = document.getElementById("flags"); return t.getBoundingClientRect().right <= document.documentElement.clientWidth + 1 })()`); got != "true" {
		t.Errorf("under print media the 问题清单 runs off the page: right %s, page %s",
			eval(`document.getElementById("flags").getBoundingClientRect().right`), eval(`document.documentElement.clientWidth`))
	}
	if got := eval(`getComputedStyle(document.querySelector("#flags thead")).display`); got != "table-header-group" {
		t.Errorf("thead display %q under print", got)
	}
	if got := eval(`getComputedStyle(document.querySelector("#matrix td.cell")).printColorAdjust`); got != "exact" {
		t.Errorf("heat map print-color-adjust %q", got)
	}

	if _, err := chromedp.Call(tctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	pdfData, err := chromedp.Run(tctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFLandscape(), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("REPORT_ARTEFACTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, "report-print.pdf"), pdfData, 0o644)
	}
	pages := pdfPages(t, pdfData)
	if len(pages) < 2 {
		t.Fatalf("the report printed on %d pages", len(pages))
	}
	all := strings.Join(pages, "\n")
	// Every row's 证据 (the digest prefix) and 逾期工作日 are on paper.
	for i := range 60 {
		prefix := shortDigest(fmt.Sprintf("sha256:%04d%s", i, strings.Repeat("ab", 30)))
		prefix = strings.TrimSuffix(prefix, "…")
		if !strings.Contains(all, prefix) {
			t.Errorf("the printed report lacks the 证据 %s", prefix)
		}
		if note := fmt.Sprintf("备注%03d", i); !strings.Contains(all, note) {
			t.Errorf("the printed report lacks the 备注 of row %d", i)
		}
	}
	// Each page holding flag rows starts them under the header row.
	flagPages := 0
	for i, p := range pages {
		if !strings.Contains(p, "sha256:00") && !strings.Contains(p, "ababab") {
			continue
		}
		flagPages++
		for _, h := range []string{"逾期工作日", "缺少要素", "证据", "备注"} {
			if !strings.Contains(p, h) {
				t.Errorf("page %d holds flag rows but not the header %s", i+1, h)
			}
		}
	}
	if flagPages < 2 {
		t.Errorf("the 问题清单 fills %d pages, want it to run over at least 2 for the test to mean something", flagPages)
	}
	for _, w := range []string{"及时性按时公开的条数", "完整性在政府网站上找到", "逾期公开或要素不全计0.5分", "为什么不计“未到期”和“待核实”"} {
		if !strings.Contains(all, w) {
			t.Errorf("the printed report does not explain %s", w)
		}
	}
}

// pdfPages extracts each page's text with ledongthuc/pdf, white space
// removed (Chromium places CJK glyphs one by one).
func pdfPages(t *testing.T, data []byte) []string {
	t.Helper()
	rd, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("reading the PDF: %v", err)
	}
	var out []string
	for i := 1; i <= rd.NumPage(); i++ {
		p := rd.Page(i)
		if p.V.IsNull() {
			continue
		}
		box := p.V.Key("MediaBox")
		w, h := box.Index(2).Float64(), box.Index(3).Float64()
		if w <= h || w < 830 || w > 850 {
			t.Errorf("page %d is %.0f × %.0f pt, want A4 landscape (842 × 595)", i, w, h)
		}
		var b strings.Builder
		cut := 0
		for _, tx := range p.Content().Text {
			b.WriteString(tx.S)
			// Text past the right edge is in the PDF but not on paper.
			if tx.X+tx.W > w+0.5 && strings.TrimSpace(tx.S) != "" {
				cut++
			}
		}
		if cut > 0 {
			t.Errorf("page %d: %d glyphs lie beyond the right edge of the paper", i, cut)
		}
		out = append(out, strings.Join(strings.Fields(b.String()), ""))
	}
	return out
}
