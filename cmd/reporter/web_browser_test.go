package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"gongkai/internal/browsertest"
)

// artefactDir keeps the screenshots: $GONGKAI_TEST_ARTEFACTS when set (CI
// uploads it), else the test's temporary directory.
func artefactDir(t *testing.T) string {
	if d := os.Getenv("GONGKAI_TEST_ARTEFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// The walk: overview, filter through the form, a record, its
// evidence (whose stored script must not run), the view's workbook.
func TestWebUIInChromium(t *testing.T) {
	srv, _, w := newWebTestServer(t)
	downloads := t.TempDir()
	shots := artefactDir(t)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		browsertest.Options(t, 420, 900)..., // a narrow screen
	)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancelT := context.WithTimeout(bctx, 90*time.Second)
	defer cancelT()
	shot := func(name string) {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
			return
		}
		os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
	}

	// Overview, then the form.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#filter")),
	); err != nil {
		t.Fatalf("overview: %v", err)
	}
	shot("1-overview")

	// The live preview: a change of the form redraws the table from /api/view.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){var s=document.querySelector('select[name="status"]'); s.value="late"; s.dispatchEvent(new Event("change",{bubbles:true})); return true})()`)); err != nil {
		t.Fatal(err)
	}
	previewed := false
	for i := 0; i < 100 && !previewed; i++ {
		previewed, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("#filters").textContent.includes("预览")`))
		time.Sleep(100 * time.Millisecond)
	}
	if !previewed {
		t.Fatal("changing the form did not preview the view through /api/view")
	}
	preview, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("a.record")].map(a => a.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if want := queryNumbers(t, w, "--as-of", "2020-12-30", "--status", "late"); !slices.Equal(preview, want) {
		t.Errorf("the preview lists %q, reporter query %q", preview, want)
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`input[name="as_of"]`), "2020-12-31"),
		chromedp.SetValue(chromedp.CSS(`select[name="county"]`), "泽州县"),
		chromedp.SetValue(chromedp.CSS(`select[name="item"]`), "2.1"),
		chromedp.SetValue(chromedp.CSS(`select[name="status"]`), "late"),
		chromedp.Click(chromedp.CSS("#apply")),
	); err != nil {
		t.Fatalf("filtering through the form: %v", err)
	}
	// The click navigates: evaluate until the new page (its URL carries the
	// form, it has loaded) says what it is filtered on. The preview before
	// the click already names 逾期公开, so the text alone does not tell the
	// pages apart.
	filteredShown := false
	for i := 0; i < 100 && !filteredShown; i++ {
		filteredShown, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](`new URLSearchParams(location.search).get("county") === "泽州县" && document.readyState === "complete" && !!document.querySelector("#filters") && document.querySelector("#filters").textContent.includes("逾期公开")`))
		time.Sleep(100 * time.Millisecond)
	}
	if !filteredShown {
		t.Fatal("the filtered page does not say it shows 逾期公开")
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	u, _ := url.Parse(loc)
	if q := u.Query(); q.Get("as_of") != "2020-12-31" || q.Get("county") != "泽州县" || q.Get("item") != "2.1" || q.Get("status") != "late" {
		t.Errorf("the form's state is not the URL: %s", loc)
	}
	listed, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("a.record")].map(a => a.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	want := queryNumbers(t, w, "--as-of", "2020-12-31", "--county", "泽州县", "--item", "2.1", "--status", "late")
	if !slices.Equal(listed, want) {
		t.Errorf("the page lists %q, reporter query %q", listed, want)
	}
	shot("2-filtered")

	// The view's workbook, downloaded by the browser.
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#dl-xlsx"))); err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(downloads, "gongkai-2020-12-31.xlsx")
	var data []byte
	for i := 0; i < 100; i++ {
		if data, err = os.ReadFile(xlsx); err == nil && len(data) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(data) == 0 {
		t.Errorf("the workbook was not downloaded to %s", xlsx)
	} else if got := xlsxRecordNos(t, data); !slices.Equal(got, want) {
		t.Errorf("downloaded workbook rows %q, query %q", got, want)
	}

	// A record, then its evidence.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("a.record")),
		chromedp.WaitVisible(chromedp.CSS("#status")),
	); err != nil {
		t.Fatalf("record: %v", err)
	}
	status, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status")))
	if !strings.Contains(status, "逾期公开") {
		t.Errorf("record status %q", status)
	}
	shot("3-record")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("a.evidence-link")),
		chromedp.WaitVisible(chromedp.CSS("iframe#copy")),
		chromedp.Sleep(500*time.Millisecond), // let the frame load (and its script try to run)
	); err != nil {
		t.Fatalf("evidence: %v", err)
	}
	shot("4-evidence")
	title, _ := chromedp.Run(ctx, chromedp.Title())
	if title == "脚本已运行" {
		t.Error("the stored page's script ran in the UI")
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("iframe#copy").src`))
	if err != nil {
		t.Fatal(err)
	}
	// Opened on its own, the stored copy still runs no script.
	if err := chromedp.Do(ctx, chromedp.Navigate(raw), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatalf("raw copy: %v", err)
	}
	ran, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.title === "脚本已运行" || window.x === 1`))
	if err != nil {
		t.Fatal(err)
	}
	h1, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if ran || !strings.Contains(h1, "泽市监罚〔2020〕2号") {
		t.Errorf("stored copy: script ran=%v, heading %q", ran, h1)
	}
	shot("5-raw")
	t.Logf("screenshots in %s", shots)
}
