package sim

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/sources/config"
)

func serveSmall(t testing.TB, seed int64) (*World, *Server) {
	t.Helper()
	w := smallWorld(t, seed)
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return w, srv
}

var rePubText = regexp.MustCompile(`发布时间：(\d{4})年(\d{2})月(\d{2})日`)

// elementLabels are the labels under which the world shows each element
// that a page may leave out.
var elementLabels = map[string][]string{
	"违法事实":      {"违法事实：", "主要违法事实：", "<th>违法事实</th>", "<th>主要违法事实</th>", ">违法事实</td>", ">主要违法事实</td>"},
	"处罚依据":      {"处罚依据：", "<th>处罚依据</th>", "<th>种类和依据</th>", ">处罚依据</td>"},
	"处罚种类和内容":   {"处罚种类：", "处罚类别：", "处罚种类和内容：", "处罚内容：", ">处罚种类</td>", ">处罚内容</td>", ">处罚种类和内容</td>", ">处罚类别</td>"},
	"处罚履行方式和期限": {"履行方式和期限：", "处罚履行方式和期限：", "履行期限：", ">履行方式和期限</td>", ">处罚履行方式和期限</td>", ">履行期限</td>"},
	"活动地点":      {"活动地点："},
}

// TestCrawlMatchesTruth walks every column of every county through HTTP
// with the family's paging and the generated configuration's selectors,
// then opens every detail page and attachment: what the sites show must be
// exactly what truth.json says was published, with the declared dates,
// record numbers and missing elements it gives.
func TestCrawlMatchesTruth(t *testing.T) {
	w, srv := serveSmall(t, 1)
	crawlMatchesTruth(t, w, srv)
}

func crawlMatchesTruth(t *testing.T, w *World, srv *Server) {
	tr := w.Truth()
	asOf := tr.AsOf
	webTruth := map[string]TruthRecord{}
	for _, r := range tr.Records {
		if r.Channel == catalogue.Website {
			webTruth[r.County+"|"+r.RecordNo] = r
		}
	}
	usccOf := map[string]string{}
	titleOf := map[string]string{}
	for _, rec := range w.recs {
		usccOf[rec.rec.County+"|"+rec.rec.RecordNo] = rec.rec.USCC
		titleOf[rec.rec.County+"|"+rec.rec.RecordNo] = rec.rec.Title
	}
	offsite := 0
	for _, s := range w.sites {
		county := s.County.Name
		base := srv.SiteURL(county)
		t.Run(county, func(t *testing.T) {
			f := newFetcher(t)
			shown := map[string]listEntry{}
			for _, c := range s.Columns {
				entries, _ := crawlColumn(t, f, srv, s, c)
				if len(entries) == 0 && !c.Blank {
					t.Errorf("%s: empty column", c.Name)
				}
				if len(entries) != 0 && c.Blank {
					t.Errorf("%s: the blank column lists %d entries", c.Name, len(entries))
				}
				// Lists run newest first: a date without a year (MM-DD) takes
				// the year that keeps it at or before the previous entry's.
				ref := asOf
				for i, e := range entries {
					d, err := calendar.ParseListDate(e.date, ref)
					if err != nil {
						t.Errorf("%s: list date %q: %v", e.href, e.date, err)
						continue
					}
					entries[i].date = d.String()
					ref = d
				}
				for _, e := range entries {
					if !strings.HasPrefix(e.href, base) {
						offsite++
						continue
					}
					if _, dup := shown[e.href]; dup {
						t.Errorf("%s listed twice", e.href)
					}
					shown[e.href] = e
				}
			}
			dead := map[string]bool{} // "page -> link" the truth lists as dead
			for _, c := range tr.Columns {
				for _, d := range c.DeadLinks {
					dead[d] = true
				}
			}
			keysSeen := map[string]bool{}     // decision keys on served pages
			samplingSeen := map[string]bool{} // sampling numbers in served files and pages
			for _, p := range tr.Pages {
				if p.Channel != catalogue.Website || p.County != county {
					continue
				}
				u := base + p.URL
				if p.Withdrawn != 0 {
					resp, b := f.get(u)
					gone := resp.StatusCode == http.StatusNotFound || (s.SoftNotFound && strings.Contains(string(b), "页面不存在"))
					if !gone {
						t.Errorf("withdrawn %s answered %d", u, resp.StatusCode)
					}
					if _, listed := shown[u]; listed {
						t.Errorf("withdrawn %s still listed", u)
					}
					continue
				}
				le, listed := shown[u]
				if !listed {
					t.Errorf("truth page %s (%s) not reachable from its column's lists", u, p.Title)
					continue
				}
				delete(shown, u)
				if le.title != p.Title {
					t.Errorf("%s: list title %q, truth %q", u, le.title, p.Title)
				}
				if le.date != p.Published.String() {
					t.Errorf("%s: list date %s, truth %s", u, le.date, p.Published)
				}
				full := checkDetailPage(t, f, s, u, p)
				for _, a := range p.Attachments {
					if dead[p.URL+" -> "+a] {
						// A planted dead link (unfamiliar world): it must answer 404.
						if resp, _ := f.get(base + a); resp.StatusCode != http.StatusNotFound {
							t.Errorf("dead link %s answered %d", a, resp.StatusCode)
						}
						continue
					}
					b := f.mustGet(base + a)
					switch {
					case strings.HasSuffix(a, ".pdf"):
						full += "\n" + pdfText(t, b)
					case strings.HasSuffix(a, ".xlsx"):
						for _, rows := range xlsxCells(t, b) {
							for _, row := range rows {
								full += "\n" + strings.Join(row, "\t")
							}
						}
					}
				}
				for _, k := range ident.FindDecisionNos(full) {
					keysSeen[k.Key()] = true
				}
				for _, n := range ident.FindSamplingNos(full) {
					samplingSeen[n] = true
				}
				if le.docno != "" {
					if d, ok := ident.ParseDecisionNo(le.docno); !ok || !slices.ContainsFunc(p.RecordNos, func(no string) bool {
						k, _ := ident.ParseDecisionNo(no)
						return k.Key() == d.Key()
					}) {
						t.Errorf("%s: list 文号 %q is not the page's decision %v", u, le.docno, p.RecordNos)
					}
				}
				for _, no := range p.RecordNos {
					key := county + "|" + no
					switch {
					case strings.HasPrefix(p.Item, "2."):
						d, _ := ident.ParseDecisionNo(no)
						if !slices.ContainsFunc(ident.FindDecisionNos(full), func(x ident.DecisionNo) bool { return x.Key() == d.Key() }) {
							t.Errorf("%s: decision %s not found on the page or its attachments", u, no)
						}
					case p.Item == "1.3" || p.Item == "1.7":
						if !strings.Contains(full, no) {
							t.Errorf("%s: sampling number %s not on the page or its attachments", u, no)
						}
					case strings.HasPrefix(p.Item, "1."):
						if uscc := usccOf[key]; uscc == "" || !strings.Contains(full, uscc) {
							t.Errorf("%s: inspection %s: USCC %q not on the page", u, no, uscc)
						}
					case strings.HasPrefix(p.Item, "3."):
						if !strings.Contains(p.Title, titleOf[key]) {
							t.Errorf("%s: event %s title %q not in page title %q", u, no, titleOf[key], p.Title)
						}
					}
					r, ok := webTruth[key]
					if !ok {
						continue // the city's or last year's decision
					}
					if r.URL != p.URL || r.Published != p.Published {
						t.Errorf("%s: truth record %s points to %s/%s", u, no, r.URL, r.Published)
					}
					for _, el := range r.MissingElements {
						for _, label := range elementLabels[el] {
							if strings.Contains(full, label) {
								t.Errorf("%s: %s should lack %s but shows %q", u, no, el, label)
							}
						}
					}
				}
			}
			for u, e := range shown {
				t.Errorf("listed page %s (%s) is not in truth", u, e.title)
			}
			// What truth calls unpublished must not be on any served page.
			for _, r := range tr.Records {
				if r.County != county || r.Channel != catalogue.Website || (r.Status != StatusMissing && r.Status != StatusPending) {
					continue
				}
				if d, ok := ident.ParseDecisionNo(r.RecordNo); ok && strings.HasPrefix(r.Item, "2.") && keysSeen[d.Key()] {
					t.Errorf("%s is %s but its decision is on a served page", r.RecordNo, r.Status)
				}
				if samplingSeen[r.RecordNo] {
					t.Errorf("%s is %s but its sampling number is served", r.RecordNo, r.Status)
				}
			}
		})
	}
	if offsite == 0 {
		t.Error("no off-site links in any list")
	}
}

// checkDetailPage fetches a detail page and checks the declared date and
// title where the family declares them; it returns the page's text.
func checkDetailPage(t *testing.T, f *fetcher, s *Site, u string, p TruthPage) string {
	t.Helper()
	body := text(f.mustGet(u))
	d := doc(t, body)
	if s.Family == FamGeneric {
		m := rePubText.FindStringSubmatch(body)
		if m == nil || m[1]+"-"+m[2]+"-"+m[3] != p.Published.String() {
			t.Errorf("%s: 发布时间 %v, truth %s", u, m, p.Published)
		}
		if got := d.Find("div.article h1").Text(); got != p.Title {
			t.Errorf("%s: h1 %q, truth %q", u, got, p.Title)
		}
		if strings.Contains(body, `name="PubDate"`) {
			t.Errorf("%s: the generic site must declare its date only in text", u)
		}
	} else {
		pub, _ := d.Find(`meta[name="PubDate"]`).Attr("content")
		if !strings.HasPrefix(pub, p.Published.String()+" ") {
			t.Errorf("%s: PubDate %q, truth %s", u, pub, p.Published)
		}
		if title, _ := d.Find(`meta[name="ArticleTitle"]`).Attr("content"); title != p.Title {
			t.Errorf("%s: ArticleTitle %q, truth %q", u, title, p.Title)
		}
	}
	if s.Family == FamTRS && d.Find(`span[alt^="时间：2017-11-08"]`).Length() != 1 {
		t.Errorf("%s: the stale alt date trap is missing", u)
	}
	if s.Family == FamHanweb {
		mk, _ := d.Find(`meta[name="Maketime"]`).Attr("content")
		if mk == "" {
			t.Errorf("%s: no Maketime", u)
		}
	}
	return body
}

func TestGeneratedSitesYAMLLoads(t *testing.T) {
	w, srv := serveSmall(t, 5)
	cfg, err := config.Parse("sites.yaml", w.SitesYAML(srv))
	if err != nil {
		t.Fatalf("the harvester's loader rejects the generated configuration:\n%v\n%s", err, w.SitesYAML(srv))
	}
	if len(cfg.Counties) != 6 || cfg.Credit == nil {
		t.Fatalf("%d counties, credit %v", len(cfg.Counties), cfg.Credit)
	}
	sess := w.CreditSession()
	if cfg.Credit.Cookies["__jsl_clearance_s"] != sess.Cookies["__jsl_clearance_s"] || cfg.Credit.Captcha["geetest_seccode"] != sess.Captcha["geetest_seccode"] {
		t.Errorf("credit session in config %+v differs from the mock's %+v", cfg.Credit, sess)
	}
	for _, c := range cfg.Counties {
		for _, src := range c.Sources {
			for _, col := range src.Columns {
				u, err := url.Parse(col.URL)
				if err != nil || u.Host == "" {
					t.Errorf("%s %s: url %q", c.County, col.Name, col.URL)
					continue
				}
				if resp, _ := newFetcher(t).get(col.URL); resp.StatusCode != 200 {
					t.Errorf("%s %s: %s answered %d", c.County, col.Name, col.URL, resp.StatusCode)
				}
			}
		}
	}
}

// TestUnfamiliarCrawlMatchesTruth is TestCrawlMatchesTruth on the
// unfamiliar world: every variant is still fully observable by a reader who
// knows it (the careful sites.yaml), and shows exactly what truth.json says.
func TestUnfamiliarCrawlMatchesTruth(t *testing.T) {
	w, srv := serveUnfamiliar(t, 1)
	crawlMatchesTruth(t, w, srv)
}
