package sim

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The JSONAPI and ScriptList options change how two places are served,
// never what was published: records, truth and every other county's pages
// are those of the default world.
func TestPlatformOptionsKeepTheWorld(t *testing.T) {
	def := smallWorld(t, 1)
	w, err := Generate(Options{Seed: 1, Size: Small, JSONAPI: true, ScriptList: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(def.Truth().JSON(), w.Truth().JSON()) || !bytes.Equal(def.RecordsCSV(), w.RecordsCSV()) {
		t.Error("truth or records differ from the default world's")
	}
	a, b := renderAll(t, def), renderAll(t, w)
	for k, v := range b {
		changed := !bytes.Equal(v, a[k])
		// (renderAll renders list pages by family: the JSON-API site's
		// HTML lists are rendered but no longer served; its shell and
		// endpoint are checked below.)
		expected := strings.Contains(k, "|list|"+ScriptListColumn+"|")
		if changed != expected {
			t.Errorf("%s: changed %v, expected %v", k, changed, expected)
		}
	}
}

func TestJSONAPICounty(t *testing.T) {
	w, err := Generate(Options{Seed: 1, Size: Small, JSONAPI: true})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	f := newFetcher(t)
	s := w.site(JSONAPICounty)
	base := srv.SiteURL(JSONAPICounty)
	for _, c := range s.Columns {
		shell := text(f.mustGet(base + s.columnURL(c)))
		ch := strconv.Itoa(apiChannel(s, c))
		if !strings.Contains(shell, `"/api/cms/list?channelId=`+ch+`&pageNo="`) || doc(t, shell).Find("li a[href*='/t20']").Length() != 0 {
			t.Errorf("%s: the shell lists entries or names no endpoint", c.Name)
		}
		if r, _ := f.get(base + c.Dir + "index_1.shtml"); r.StatusCode != 404 {
			t.Errorf("%s: index_1.shtml answers %d", c.Name, r.StatusCode)
		}
		vis, _ := c.visibleEntries(w.AsOf())
		var got []string
		total := -1
		for page := 1; page <= pageCount(len(vis), c.PerPage); page++ {
			var js struct {
				Total int
				Data  []struct{ Title, URL, PublishDate string }
			}
			if err := json.Unmarshal(f.mustGet(base+"/api/cms/list?channelId="+ch+"&pageNo="+strconv.Itoa(page)), &js); err != nil {
				t.Fatal(err)
			}
			total = js.Total
			for _, d := range js.Data {
				got = append(got, d.URL)
				if len(d.PublishDate) != 19 {
					t.Errorf("publishDate %q", d.PublishDate)
				}
			}
		}
		var want []string
		for _, e := range vis {
			if e.kind == kindOffsite {
				want = append(want, e.offsiteURL)
			} else {
				want = append(want, e.Path)
				if r, _ := f.get(base + e.Path); r.StatusCode != 200 {
					t.Errorf("detail %s: %d", e.Path, r.StatusCode)
				}
			}
		}
		if total != len(vis) || !slices.Equal(got, want) {
			t.Errorf("%s: total %d, %d listed, want %d", c.Name, total, len(got), len(want))
		}
	}
	if y := string(w.SitesYAML(srv)); !strings.Contains(y, "preset: jsonapi") || !strings.Contains(y, `paging: {api: {url: "/api/cms/list?channelId=101", entries: data, title: title, link: url, date: publishDate, total: total}}`) {
		t.Errorf("sites.yaml does not configure the platform:\n%s", y)
	}
}

func TestScriptListColumn(t *testing.T) {
	w, err := Generate(Options{Seed: 1, Size: Small, ScriptList: true})
	if err != nil {
		t.Fatal(err)
	}
	s := w.site(ScriptListCounty)
	c := s.columnByName(ScriptListColumn)
	vis, _ := c.visibleEntries(w.AsOf())
	if pageCount(len(vis), c.PerPage) < 2 {
		t.Fatalf("the script-rendered column has %d entries: one page only", len(vis))
	}
	page := string(s.renderList(c, 0, w.AsOf()))
	d := doc(t, page)
	if d.Find("ul.list li").Length() != 0 || d.Find("a[title]").Length() != 0 {
		t.Error("the HTML lists entries")
	}
	for _, e := range vis[:c.PerPage] {
		if strings.Contains(page, e.titleAt(w.AsOf())) || strings.Contains(page, lastSegment(e.Path)) {
			t.Errorf("the HTML names entry %s plainly", e.Path)
		}
	}
	// The script's data, decoded as the script does, is the list.
	i := strings.Index(page, `showList("`)
	raw, err := base64.StdEncoding.DecodeString(page[i+len(`showList("`) : i+strings.Index(page[i:], `")`)])
	if err != nil {
		t.Fatal(err)
	}
	for k := range raw {
		raw[k] ^= scriptListKey
	}
	var rows [][3]string
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != c.PerPage || rows[0][0] != s.href(c, vis[0]) || rows[0][1] != vis[0].titleAt(w.AsOf()) {
		t.Errorf("decoded rows %v", rows[:1])
	}
	srv, _ := w.Serve()
	defer srv.Close()
	if y := string(w.SitesYAML(srv)); !strings.Contains(y, "render: browser") {
		t.Error("sites.yaml does not render the column in the browser")
	}
}
