package harvest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/catalogue"
	"gongkai/internal/browsertest"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/sources/harvest"
	"gongkai/store"
)

// render: browser written on a source renders its list pages and its
// detail pages: a site whose list and article bodies a script writes is
// harvested whole, each rendered page committed with the document (and
// the script's XHR) it was rendered from; one browser for the sweep.
func TestSourceRenderedInBrowser(t *testing.T) {
	browsertest.Path(t)
	const n = 3
	mux := http.NewServeMux()
	mux.HandleFunc("/xxgk/xzcf/", func(w http.ResponseWriter, r *http.Request) {
		var rows []string
		for i := 1; i <= n; i++ {
			rows = append(rows, fmt.Sprintf(`["/art/%d.html","行政处罚决定书（某市监罚〔2020〕%d号）","2020-08-0%d"]`, i, i, i))
		}
		fmt.Fprintf(w, `<html><head><title>行政处罚 - 某县人民政府</title></head><body><ul id="l"></ul><script>
[%s].forEach(function(r){var li=document.createElement("li");var a=document.createElement("a");a.setAttribute("href",r[0]);a.textContent=r[1];
var s=document.createElement("span");s.textContent=r[2];li.appendChild(a);li.appendChild(s);document.getElementById("l").appendChild(li);});
</script></body></html>`, strings.Join(rows, ","))
	})
	mux.HandleFunc("/art/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><meta name="PubDate" content="2020-08-01"></head><body><h1>行政处罚决定书</h1><div id="zoom"></div>
<script>fetch("/api/body?p=`+r.URL.Path+`").then(function(r){return r.text()}).then(function(t){document.getElementById("zoom").innerHTML="<p>"+t+"</p>"});</script></body></html>`)
	})
	mux.HandleFunc("/api/body", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "当事人：某某商店。违法事实：销售过期食品。")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	cfg, err := config.Parse("sites.yaml", []byte(`harvest: {delay: 0s}
counties:
  - county: 泽州县
    sources:
      - name: js
        render: browser
        columns:
          - name: 行政处罚
            url: "`+srv.URL+`/xxgk/xzcf/"
            items: ["2.1"]
            paging: none
`))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f, err := fetch.New(cfg.Harvest, harvest.Hosts(cfg))
	if err != nil {
		t.Fatal(err)
	}
	h, err := harvest.New(harvest.Options{Config: cfg, Store: st, NoCredit: true, Fetcher: f})
	if err != nil {
		t.Fatal(err)
	}
	sums, err := h.Sweep(ctx)
	if err != nil || len(sums) != 1 || len(sums[0].Columns) != 1 || !sums[0].Columns[0].Complete {
		t.Fatalf("sweep: %+v %v", sums, err)
	}
	pubs, err := st.Publications(ctx, store.PublicationQuery{Channel: catalogue.Website, WithBodies: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(pubs) != n {
		t.Fatalf("%d publications, want %d", len(pubs), n)
	}
	for _, p := range pubs {
		// The publication's evidence is the rendered page, and it reads back.
		if c, ok, err := st.Capture(ctx, p.CaptureID); err != nil || !ok || c.Type != "resource" {
			t.Errorf("%s: evidence %s: %v %v %q", p.URL, p.CaptureID, ok, err, c.Type)
		} else if r, err := fetch.Replay(c, fetch.Request{}); err != nil || !strings.Contains(r.HTML, "销售过期食品") {
			t.Errorf("%s: the rendered page does not read back: %v", p.URL, err)
		}
		if !strings.Contains(p.Body, "销售过期食品") {
			t.Errorf("%s: body %q: the detail was not rendered", p.URL, p.Body)
		}
	}
	types := map[string]int{}
	var urls []string
	st.Captures(ctx, func(c gongkai.Capture) error {
		types[c.Type]++
		urls = append(urls, c.Type+" "+c.URL)
		return nil
	})
	// 1 list page + 3 details rendered; their documents and the details' XHRs.
	if types["resource"] != 1+n || types["response"] != 1+2*n {
		t.Errorf("captures by type %v, want %d resource and %d response:\n%s", types, 1+n, 1+2*n, strings.Join(urls, "\n"))
	}
	// A second sweep (a new browser: the first closed with its sweep) sees
	// the same pages: complete, nothing new.
	sums, err = h.Sweep(ctx)
	if err != nil || len(sums) != 1 || len(sums[0].Columns) != 1 || !sums[0].Columns[0].Complete {
		t.Fatalf("second sweep: %+v %v", sums, err)
	}
	again, err := st.Publications(ctx, store.PublicationQuery{Channel: catalogue.Website})
	if err != nil || len(again) != n {
		t.Fatalf("after the second sweep: %d publications, %v", len(again), err)
	}
	for _, p := range again {
		if p.Version != 1 {
			t.Errorf("%s: version %d after an unchanged second sweep", p.URL, p.Version)
		}
	}
	// One browser per sweep, each closed when its sweep ended.
	if n := f.BrowserStarts(); n != 2 {
		t.Errorf("%d browsers started for two sweeps", n)
	}
}
