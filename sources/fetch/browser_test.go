package fetch_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/internal/browsertest"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// A page whose list a script builds from an XHR and from an encoded
// inline array, and which also asks for an image, a style and a host
// outside the scope: the rendered DOM holds the list, the document and the
// XHR are captured, the rest is refused, and every request the page made
// went through the Fetcher's per-host gate (its delay shows in the times).
func TestRenderBrowser(t *testing.T) {
	browsertest.Path(t) // skip (or, under CI=true, fail) without chromium
	var mu sync.Mutex
	var seen []string
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("User-Agent"))
		times = append(times, time.Now())
		mu.Unlock()
		switch r.URL.Path {
		case "/list.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("ETag", `"v1"`)
			fmt.Fprint(w, `<!DOCTYPE html><html><head><title>行政处罚</title><link rel="stylesheet" href="/s.css"></head><body>
<ul id="list"></ul><img src="/logo.png"><img src="http://off.example/x.png">
<script>
var d = atob("`+b64(`[["/a/1.html","关于某某公司的行政处罚决定","2020-08-05"]]`)+`");
var rows = JSON.parse(decodeURIComponent(escape(d)));
function add(r){var li=document.createElement("li");li.innerHTML='<a href="'+r[0]+'">'+r[1]+'</a><span>'+r[2]+'</span>';document.getElementById("list").appendChild(li);}
rows.forEach(add);
fetch("/api/list?page=1",{method:"POST",headers:{"Content-Type":"application/json"},body:JSON.stringify({channel:7})}).then(function(r){return r.json()}).then(function(j){
  j.data.forEach(function(e){add([e.url,e.title,e.date])});
  var done=document.createElement("p");done.id="done";document.body.appendChild(done);
});
fetch("http://off.example/track").catch(function(){});
</script></body></html>`)
		case "/api/list":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"data":[{"title":"抽检信息公告","url":"/a/2.html","date":"2020-08-06"}]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	f, err := fetch.New(config.Harvest{Delay: 150 * time.Millisecond, Retries: 0}, []string{host})
	if err != nil {
		t.Fatal(err)
	}
	defer f.CloseBrowser()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	resp, err := f.Fetch(ctx, fetch.Request{URL: srv.URL + "/list.html", Kind: fetch.KindList, Browser: &fetch.Render{Wait: "#done", Timeout: 20 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<a href="/a/1.html">关于某某公司的行政处罚决定</a>`, `<a href="/a/2.html">抽检信息公告</a>`, "2020-08-06"} {
		if !strings.Contains(resp.HTML, want) {
			t.Errorf("rendered DOM lacks %q:\n%s", want, resp.HTML)
		}
	}
	if resp.Capture.Type != "resource" || resp.Capture.PayloadDigest != fetch.PayloadDigest(resp.Body) || resp.Status != 200 {
		t.Errorf("DOM capture = %+v, status %d", resp.Capture.Type, resp.Status)
	}
	back, err := fetch.Replay(resp.Capture, fetch.Request{})
	if err != nil || back.HTML != resp.HTML || back.FinalURL != srv.URL+"/list.html" || back.MediaType != "text/html" {
		t.Errorf("the DOM record read back: %v, %+v", err, back)
	}
	if fields, err := fetch.RecordFields(resp.Capture.WARC); err != nil || fields["warc-type"] != "resource" || fields["warc-concurrent-to"] != resp.Network[0].ID {
		t.Errorf("DOM record fields %v, %v", fields, err)
	}
	if resp.Header.Get("ETag") != "" {
		t.Errorf("rendered answer keeps the document's ETag %q", resp.Header.Get("ETag"))
	}
	var urls []string
	for _, c := range resp.Network {
		urls = append(urls, c.URL)
		if c.Type != "response" || len(c.Request) == 0 {
			t.Errorf("network capture %s: type %q, request record %d bytes", c.URL, c.Type, len(c.Request))
		}
	}
	if len(urls) != 2 || urls[0] != srv.URL+"/list.html" || urls[1] != srv.URL+"/api/list?page=1" {
		t.Errorf("network captures = %v, want the document and the XHR", urls)
	}
	blocked := strings.Join(resp.Blocked, "\n")
	for _, want := range []string{"http://off.example/x.png（不在采集范围内）", "http://off.example/track（不在采集范围内）", "/logo.png（不需要的资源（Image））", "/s.css（不需要的资源（Stylesheet））"} {
		if !strings.Contains(blocked, want) {
			t.Errorf("blocked lacks %q:\n%s", want, blocked)
		}
	}
	mu.Lock()
	if len(seen) != 2 || !strings.HasPrefix(seen[1], "POST /api/list?page=1 gongkai/") {
		t.Errorf("server saw %q, want the document and the POST, with gongkai's User-Agent", seen)
	}
	if len(times) == 2 && times[1].Sub(times[0]) < 140*time.Millisecond {
		t.Errorf("the XHR came %v after the document: the host's delay was not kept", times[1].Sub(times[0]))
	}
	mu.Unlock()
	// A selector that never shows is a failure, not an empty list.
	if _, err := f.Fetch(ctx, fetch.Request{URL: srv.URL + "/list.html", Browser: &fetch.Render{Wait: "#never", Timeout: 2 * time.Second}}); err == nil || !strings.Contains(err.Error(), "超时") {
		t.Errorf("waiting for a selector that never shows: err = %v", err)
	}
	// The document's own 404 is the answer.
	r404, err := f.Fetch(ctx, fetch.Request{URL: srv.URL + "/gone.html", Browser: &fetch.Render{}})
	if err != nil || r404.Status != 404 || r404.Capture.Type != "response" {
		t.Errorf("404 page: %v, %+v", err, r404)
	}
	if n := f.BrowserStarts(); n != 1 {
		t.Errorf("browser started %d times, want 1", n)
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
