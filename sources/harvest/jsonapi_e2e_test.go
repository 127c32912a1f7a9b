package harvest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/catalogue"
	"gongkai/sources/config"
	"gongkai/sources/harvest"
	"gongkai/store"
)

// jsonAPISite is a "集约化" platform column: an empty shell page whose
// script fetches /api/cms/list?channelId=7&pageNo=N (10 per page), and
// ordinary HTML detail pages. drop hides one page of the list while the
// total still counts it.
func jsonAPISite(t *testing.T, n int, drop int) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/xxgk/xzcf/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>行政处罚 - 某县人民政府</title></head><body><ul id="list"></ul>
<script>fetch('/api/cms/list?channelId=7&pageNo=1').then(r => r.json()).then(render);</script></body></html>`)
	})
	mux.HandleFunc("/api/cms/list", func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("pageNo"))
		if r.URL.Query().Get("channelId") != "7" || page < 1 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		type row struct {
			Title       string `json:"title"`
			URL         string `json:"url"`
			PublishDate string `json:"publishDate"`
		}
		var rows []row
		if page != drop {
			for i := (page - 1) * 10; i < min(page*10, n); i++ {
				rows = append(rows, row{Title: fmt.Sprintf("行政处罚决定书（某市监罚〔2020〕%d号）", i+1),
					URL: fmt.Sprintf("/art/2020/%d.html", i+1), PublishDate: fmt.Sprintf("2020-%02d-%02d 09:00:00", 1+i%12, 1+i%28)})
			}
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(map[string]any{"code": 200, "total": n, "data": rows})
	})
	mux.HandleFunc("/art/2020/", func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/art/2020/"), ".html")
		fmt.Fprintf(w, `<html><head><meta name="ArticleTitle" content="行政处罚决定书（某市监罚〔2020〕%s号）"></head><body>
<div class="article-content"><p>当事人：某某商店。违法事实：……</p></div></body></html>`, id)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func harvestJSONAPI(t *testing.T, srv *httptest.Server) (harvest.Summary, int) {
	t.Helper()
	yaml := `harvest: {delay: 0s}
counties:
  - county: 小店区
    code: "140105"
    sources:
      - name: jyh
        preset: jsonapi
        columns:
          - name: 行政处罚
            url: "` + srv.URL + `/xxgk/xzcf/"
            items: ["2.1"]
            paging: {api: {url: "/api/cms/list?channelId=7", entries: data, title: title, link: url, date: publishDate, total: total}}
`
	cfg, err := config.Parse("sites.yaml", []byte(yaml))
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
	h, err := harvest.New(harvest.Options{Config: cfg, Store: st, NoCredit: true, Only: []string{"140105"}}) // a county outside Jincheng, by its code
	if err != nil {
		t.Fatal(err)
	}
	sums, err := h.Sweep(ctx)
	if err != nil || len(sums) != 1 {
		t.Fatalf("sweep: %v %v", sums, err)
	}
	pubs, err := st.Publications(ctx, store.PublicationQuery{Channel: catalogue.Website})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pubs {
		if p.County != "小店区" || p.Declared.IsZero() || !strings.Contains(p.Title, "某市监罚") {
			t.Errorf("publication %+v", p)
		}
	}
	return sums[0], len(pubs)
}

// TestJSONAPIColumnHarvestedWhole: every page the endpoint's total implies
// is asked for, every entry harvested, and the column complete.
func TestJSONAPIColumnHarvestedWhole(t *testing.T) {
	sum, n := harvestJSONAPI(t, jsonAPISite(t, 23, 0))
	if n != 23 {
		t.Errorf("harvested %d publications, want 23", n)
	}
	if len(sum.Columns) != 1 || !sum.Columns[0].Complete || sum.Columns[0].ListPages != 3 {
		t.Errorf("outcome %+v", sum.Columns)
	}
}

// TestJSONAPIColumnShortOfItsTotalIsIncomplete: the endpoint answers one
// page empty while its total counts it: the column is not complete, and
// says why.
func TestJSONAPIColumnShortOfItsTotalIsIncomplete(t *testing.T) {
	sum, n := harvestJSONAPI(t, jsonAPISite(t, 23, 2))
	if n != 13 {
		t.Errorf("harvested %d publications, want 13", n)
	}
	if len(sum.Columns) != 1 || sum.Columns[0].Complete || sum.Columns[0].Reason == "" {
		t.Errorf("outcome %+v", sum.Columns)
	}
	t.Logf("reason: %s", sum.Columns[0].Reason)
}
