package cms_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gongkai/sim"
	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// TestRecogniseSimulatedColumns: every column's first page of both
// simulated worlds is recognised as the family the careful configuration
// names, with the paging kind it uses wherever the page shows its paging,
// and the column's name as configured.
func TestRecogniseSimulatedColumns(t *testing.T) {
	for _, unfamiliar := range []bool{false, true} {
		t.Run(fmt.Sprintf("unfamiliar=%v", unfamiliar), func(t *testing.T) {
			w, err := sim.Generate(sim.Options{Seed: 7, Size: sim.Small, Unfamiliar: unfamiliar})
			if err != nil {
				t.Fatal(err)
			}
			srv, err := w.Serve()
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			cfg, err := config.Parse("sites.yaml", w.SitesYAML(srv))
			if err != nil {
				t.Fatal(err)
			}
			f, err := fetch.New(config.Harvest{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			seen := 0
			for _, cs := range cfg.AllSources() {
				for _, col := range cs.Source.Columns {
					resp, err := f.Fetch(ctx, cms.FirstPage(col))
					if err != nil {
						t.Fatal(err)
					}
					r, err := cms.Recognise(resp)
					if err != nil {
						t.Fatal(err)
					}
					if r.Preset != col.Preset {
						t.Errorf("%s %s: recognised %s, configured %s (seen %v)", cs.County, col.Name, r.Preset, col.Preset, r.Seen)
					}
					if r.PagingSeen {
						seen++
						if r.EffectiveKind() != col.Paging.Kind {
							t.Errorf("%s %s: paging %s, configured %s (seen %v)", cs.County, col.Name, r.EffectiveKind(), col.Paging.Kind, r.Seen)
						}
					}
					if r.Name != col.Name {
						t.Errorf("%s: column name %q, configured %q", cs.County, r.Name, col.Name)
					}
				}
			}
			if seen < 12 {
				t.Errorf("only %d columns showed their paging", seen)
			}
		})
	}
}

// TestRecogniseHanwebWithoutForm: a Hanweb column page that declares more
// records than it embeds and names no webid/unitid is recognised, and
// Recognise says what is missing and where to look.
func TestRecogniseHanwebWithoutForm(t *testing.T) {
	html := `<html><head><title>行政处罚</title></head><body>
<script type="text/xml"><datastore><recordset>
<record><![CDATA[<li><a href="/art/2020/1/2/art_1_2.html">甲</a><span>2020-01-02</span></li>]]></record>
</recordset></datastore></script>
<script>$('#1').jpage({dataStore: dataStore, totalRecord: 40, perPage: 15, proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: param_9});</script>
</body></html>`
	r, err := cms.Recognise(&fetch.Response{URL: "http://127.0.0.1/col/col1/index.html", Status: 200, HTML: html})
	if err != nil {
		t.Fatal(err)
	}
	if r.Preset != "hanweb" || len(r.Unsure) == 0 {
		t.Fatalf("%+v", r)
	}
	if got := r.Unsure[0]; !strings.Contains(got, "webid") || !strings.Contains(got, "paging.form") {
		t.Errorf("unsure says %q", got)
	}
}
