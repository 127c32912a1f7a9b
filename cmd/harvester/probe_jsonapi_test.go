package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/sources/config"
)

// TestProbeRecognisesJSONAPIColumn: a shell column page whose script
// names a JSON list endpoint: probe writes a jsonapi source with the
// endpoint and the JSON paths, and that configuration harvests every
// entry the endpoint's total declares.
func TestProbeRecognisesJSONAPIColumn(t *testing.T) {
	const n = 23
	mux := http.NewServeMux()
	mux.HandleFunc("/xxgk/xzcf/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>行政处罚 - 某县人民政府</title></head><body><ul id="list"></ul>
<script>$.get("/api/cms/article/list?channelId=7&amp;pageNo=1", render);</script></body></html>`)
	})
	mux.HandleFunc("/api/cms/article/list", func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("pageNo"))
		if r.URL.Query().Get("channelId") != "7" || page < 1 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var rows []map[string]string
		for i := (page - 1) * 10; i < min(page*10, n); i++ {
			rows = append(rows, map[string]string{"docTitle": fmt.Sprintf("行政处罚决定书 %d", i+1),
				"docUrl": fmt.Sprintf("/art/%d.html", i+1), "pubDate": fmt.Sprintf("2020-03-%02d", 1+i)})
		}
		json.NewEncoder(w).Encode(map[string]any{"code": 0, "result": map[string]any{"totalCount": n, "list": rows}})
	})
	mux.HandleFunc("/art/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><h1>行政处罚决定书</h1><div class="article-content"><p>当事人：某某。</p></div></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code, out, stderr := runProgram(t, ctx, "probe", "--delay", "0s", "--county", "泽州县", srv.URL+"/xxgk/xzcf/")
	if code != 0 {
		t.Fatalf("probe exit %d: %s\n%s", code, stderr, out)
	}
	for _, want := range []string{"preset: jsonapi", `url: "/api/cms/article/list?channelId=7"`, `entries: "result.list"`,
		`title: "docTitle"`, `link: "docUrl"`, `date: "pubDate"`, `total: "result.totalCount"`, "声明 23 条，找到 23 条"} {
		if !strings.Contains(out, want) {
			t.Errorf("probe does not say %q:\n%s", want, out)
		}
	}
	cfg, err := config.Parse("probed.yaml", []byte(out))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := harvestURLs(t, ctx, cfg)["泽州县|行政处罚"]; len(got) != n {
		t.Errorf("probe's config harvested %d items, want %d", len(got), n)
	}
}
