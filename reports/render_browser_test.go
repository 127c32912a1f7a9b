package reports

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"gongkai/internal/browsertest"
)

// newOfflineBrowser starts headless Chromium that cannot resolve any host
// but 127.0.0.1, so a page that needed the network would fail visibly.
func newOfflineBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := browsertest.Options(t, 1280, 900)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser on the context that owns it, without a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

func TestHTMLReportRendersOfflineInChromium(t *testing.T) {
	ctx := newOfflineBrowser(t)

	var html bytes.Buffer
	if err := RenderHTML(&html, renderSampleReport()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var requests []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, r.URL.Path)
		mu.Unlock()
		if r.URL.Path != "/report.html" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(html.Bytes())
	}))
	defer srv.Close()

	// Subscribe before navigating so nothing the page does is missed.
	watchCtx, stopWatching := context.WithCancel(ctx)
	var problems []string
	dialogs := 0
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for m, err := range chromedp.Console(watchCtx) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				mu.Lock()
				problems = append(problems, m.String()+" @ "+m.URL)
				mu.Unlock()
			}
		}
	}()
	dialogEvents := chromedp.Events(watchCtx, page.JavascriptDialogOpening)
	go func() {
		defer wg.Done()
		for ev, err := range dialogEvents {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs++
			problems = append(problems, "dialog: "+ev.Message)
			mu.Unlock()
			// Dismiss it so that the page does not hang the test.
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()

	tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx,
		chromedp.Navigate(srv.URL+"/report.html"),
		chromedp.WaitVisible(chromedp.CSS("#matrix")),
	); err != nil {
		t.Fatalf("loading the report: %v", err)
	}

	count := func(js string) int {
		t.Helper()
		n, err := chromedp.Run(tctx, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return n
	}
	if n := count(`document.querySelectorAll("#matrix td.cell").length`); n != 3*6 {
		t.Errorf("heat map has %d cells, want 18", n)
	}
	// The heat map is coloured by score: the cells show at least four
	// different backgrounds (scores 0, 0.5, 0.75, 1 and 无统计 in the sample).
	if n := count(`new Set(Array.from(document.querySelectorAll("#matrix td.cell")).map(td => getComputedStyle(td).backgroundColor)).size`); n < 4 {
		t.Errorf("heat map cells show %d colours", n)
	}
	bg, err := chromedp.Run(tctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('#matrix td.cell[data-county="泽州县"][data-item="2.1"]')).backgroundColor`))
	if err != nil || bg != "rgb(102, 189, 99)" {
		t.Errorf("泽州县 2.1 (score 0.75) background = %q, %v; want rgb(102, 189, 99)", bg, err)
	}
	if n := count(`document.querySelectorAll("svg.chart").length`); n != 3 {
		t.Errorf("%d SVG charts rendered, want 3", n)
	}
	if n := count(`document.querySelectorAll("#chart-month rect.bar").length`); n != 7 {
		t.Errorf("month chart has %d bar segments, want 7 (one per status per month in the sample)", n)
	}
	if n := count(`document.querySelectorAll("#chart-county rect.bar").length`); n != 2 {
		t.Errorf("county chart has %d bars, want 2 (高平市 has nothing judged)", n)
	}
	if n := count(`document.querySelectorAll("#chart-trend polyline").length`); n != 3 {
		t.Errorf("trend chart has %d lines, want 3 (all, 城区, 泽州县; 高平市 has nothing judged)", n)
	}
	if n := count(`Math.round(Array.from(document.querySelectorAll("svg.chart")).reduce((a, s) => Math.min(a, s.getBBox().width), 1e9))`); n <= 0 {
		t.Errorf("an SVG chart has no width")
	}

	title, err := chromedp.Run(tctx, chromedp.TextContent(chromedp.CSS("#flags td.title")))
	if err != nil {
		t.Fatal(err)
	}
	if title != renderXSSTitle {
		t.Errorf("title cell text = %q, want the literal %q", title, renderXSSTitle)
	}
	if n := count(`document.querySelectorAll("#flags td.title script, #flags b").length`); n != 0 {
		t.Errorf("harvested markup became %d elements", n)
	}

	// The matrix filters the flag list.
	if err := chromedp.Do(tctx, chromedp.Click(chromedp.CSS(`#matrix td.cell[data-county="高平市"][data-item="2.1"]`))); err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS("#flag-shown")))
	if err != nil || shown != "1" {
		t.Errorf("after clicking 高平市 2.1 the flag list shows %q rows (%v), want 1", shown, err)
	}
	if n := count(`Array.from(document.querySelectorAll("#flags tbody tr")).filter(r => !r.hidden).length`); n != 1 {
		t.Errorf("%d flag rows visible after filtering", n)
	}

	if path := os.Getenv("REPORT_SCREENSHOT"); path != "" {
		if err := chromedp.Do(tctx, chromedp.EmulateViewport(1280, 900)); err == nil {
			png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
			if err == nil {
				os.WriteFile(path, png, 0o644)
			}
		}
	}

	time.Sleep(300 * time.Millisecond) // let late console messages arrive
	stopWatching()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if dialogs != 0 {
		t.Errorf("%d dialogs opened", dialogs)
	}
	for _, p := range problems {
		t.Errorf("browser reported: %s", p)
	}
	if len(requests) != 1 || requests[0] != "/report.html" {
		t.Errorf("the page made requests beyond itself: %v", requests)
	}
}
