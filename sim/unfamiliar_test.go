package sim

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"

	"gongkai/catalogue"
	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

func unfamiliarWorld(t testing.TB, seed int64) *World {
	t.Helper()
	w, err := Generate(Options{Seed: seed, Size: Small, Unfamiliar: true})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func serveUnfamiliar(t testing.TB, seed int64) (*World, *Server) {
	t.Helper()
	w := unfamiliarWorld(t, seed)
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return w, srv
}

// webRecords returns the unfamiliar world's website truth records of a county.
func webRecords(tr *Truth, county string) []TruthRecord {
	var out []TruthRecord
	for _, r := range tr.Records {
		if r.County == county && r.Channel == catalogue.Website {
			out = append(out, r)
		}
	}
	return out
}

func truthPage(t testing.TB, tr *Truth, county, path string) TruthPage {
	t.Helper()
	for _, p := range tr.Pages {
		if p.Channel == catalogue.Website && p.County == county && p.URL == path {
			return p
		}
	}
	t.Fatalf("%s %s: no truth page", county, path)
	return TruthPage{}
}

func TestUnfamiliarWorldIsDeterministicAndDiffers(t *testing.T) {
	a, b := unfamiliarWorld(t, 1), unfamiliarWorld(t, 1)
	da, db := worldDigest(t, a), worldDigest(t, b)
	if da != db {
		t.Fatalf("same seed, two unfamiliar worlds: %s vs %s", da, db)
	}
	if !bytes.Equal(a.Truth().JSON(), b.Truth().JSON()) || !bytes.Equal(a.RecordsCSV(), b.RecordsCSV()) {
		t.Fatal("same seed, different truth or records")
	}
	if d := worldDigest(t, smallWorld(t, 1)); d == da {
		t.Fatal("the unfamiliar world is the default world")
	}
	if worldDigest(t, unfamiliarWorld(t, 2)) == da {
		t.Fatal("seeds 1 and 2 give the same unfamiliar world")
	}
}

func TestUnfamiliarTruthIsConsistent(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		w := unfamiliarWorld(t, seed)
		checkTruth(t, w)
		w.AdvanceTo(w.AsOf().AddDays(45))
		checkTruth(t, w)
	}
}

// TestUnfamiliarHanwebVariableAjaxParam: 陵川's column pages give jpage its
// form and proxy as variables defined after the call; the dataproxy lists
// nothing (200, totalrecord 0) for a form without webid or unitid.
func TestUnfamiliarHanwebVariableAjaxParam(t *testing.T) {
	w, srv := serveUnfamiliar(t, 1)
	s := w.site("陵川县")
	f := newFetcher(t)
	base := srv.SiteURL("陵川县")
	reParam := regexp.MustCompile(`var param_(\d+) = \{col:1, appid:1, webid:(\d+), path:'/', columnid:(\d+), sourceContentType:1, unitid:'(\d+)', webname:'([^']*)', permissiontype:0\};`)
	for _, c := range s.Columns {
		id := strconv.Itoa(c.HanwebID)
		body := string(f.mustGet(base + s.columnURL(c)))
		call := strings.Index(body, "proxyUrl: proxyurl_"+id+", ajaxParam: param_"+id)
		if call < 0 || strings.Contains(body, "ajaxParam: {") || strings.Contains(body, "proxyUrl: '") {
			t.Fatalf("%s: jpage must take ajaxParam and proxyUrl as variables only:\n%s", c.Name, body)
		}
		m := reParam.FindStringSubmatchIndex(body)
		if m == nil || m[0] < call {
			t.Fatalf("%s: var param_%s missing or not after the jpage call", c.Name, id)
		}
		get := func(i int) string { return body[m[2*i]:m[2*i+1]] }
		if get(1) != id || get(2) != "35" || get(3) != id || get(4) != strconv.Itoa(c.UnitID) || get(5) != s.SiteName {
			t.Errorf("%s: param %q", c.Name, body[m[0]:m[1]])
		}
		pm := regexp.MustCompile(`var proxyurl_` + id + `='([^']+)';`).FindStringSubmatchIndex(body)
		if pm == nil || pm[0] < call || body[pm[2]:pm[3]] != "/module/web/jpage/dataproxy.jsp" {
			t.Errorf("%s: var proxyurl_%s missing or misplaced", c.Name, id)
		}
		total, _ := strconv.Atoi(reTotal.FindStringSubmatch(body)[1])
		vis, _ := c.visibleEntries(w.AsOf())
		if total != len(vis) {
			t.Errorf("%s: totalRecord %d, %d visible", c.Name, total, len(vis))
		}
		full := url.Values{"col": {"1"}, "appid": {"1"}, "webid": {"35"}, "path": {"/"}, "columnid": {id},
			"sourceContentType": {"1"}, "unitid": {strconv.Itoa(c.UnitID)}, "webname": {s.SiteName}, "permissiontype": {"0"}}
		u := base + "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=" + strconv.Itoa(total) + "&perpage=" + strconv.Itoa(c.PerPage)
		resp, b := f.postForm(u, full)
		if resp.StatusCode != 200 || len(reRecord.FindAllString(string(b), -1)) != total || reTotalXML.FindStringSubmatch(string(b))[1] != strconv.Itoa(total) {
			t.Errorf("%s: full form: %d, %d records, want %d", c.Name, resp.StatusCode, len(reRecord.FindAllString(string(b), -1)), total)
		}
		for _, drop := range []string{"webid", "unitid"} {
			form := url.Values{}
			for k, v := range full {
				if k != drop {
					form[k] = v
				}
			}
			resp, b := f.postForm(u, form)
			if resp.StatusCode != 200 || !strings.Contains(string(b), "<totalrecord>0</totalrecord>") || reRecord.MatchString(string(b)) {
				t.Errorf("%s: form without %s: %d %s; want 200 with totalrecord 0 and no records", c.Name, drop, resp.StatusCode, b)
			}
		}
		// The default world's webid (27) is wrong here: nothing either.
		form := url.Values{}
		for k, v := range full {
			form[k] = v
		}
		form.Set("webid", "27")
		if _, b := f.postForm(u, form); !strings.Contains(string(b), "<totalrecord>0</totalrecord>") {
			t.Errorf("%s: webid 27 answered records", c.Name)
		}
	}
}

// TestUnfamiliarIntertidCountVariable: 阳城's lists declare their length
// only in var _pageCount; page 2 is index_2.shtml, index_1.shtml is a 404;
// and the careful config (paging kind intertid) reads that count.
func TestUnfamiliarIntertidCountVariable(t *testing.T) {
	w, srv := serveUnfamiliar(t, 1)
	s := w.site("阳城县")
	f := newFetcher(t)
	base := srv.SiteURL("阳城县")
	cfg, err := config.Parse("sites.yaml", w.SitesYAML(srv))
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string]config.Column{}
	for _, cs := range cfg.AllSources() {
		if cs.County == "阳城县" {
			for _, c := range cs.Source.Columns {
				cols[c.Name] = c
			}
		}
	}
	multi := 0
	for _, c := range s.Columns {
		dir := base + c.Dir
		body := string(f.mustGet(dir + "index.shtml"))
		m := rePageCountVar.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no var _pageCount", c.Name)
		}
		n, _ := strconv.Atoi(m[1])
		vis, _ := c.visibleEntries(w.AsOf())
		if n != pageCount(len(vis), c.PerPage) {
			t.Errorf("%s: _pageCount %d for %d entries", c.Name, n, len(vis))
		}
		if regexp.MustCompile(`共\s*\d+\s*页`).MatchString(body) || strings.Contains(body, `href="index_`) {
			t.Errorf("%s: the page must declare its length only in _pageCount", c.Name)
		}
		if n > 1 {
			multi++
		}
		if resp, _ := f.get(dir + "index_1.shtml"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: index_1.shtml answered %d", c.Name, resp.StatusCode)
		}
		for i := 2; i <= n; i++ {
			pb := string(f.mustGet(dir + "index_" + strconv.Itoa(i) + ".shtml"))
			if got := rePageCountVar.FindStringSubmatch(pb); got == nil || got[1] != m[1] {
				t.Errorf("%s page %d: _pageCount %v", c.Name, i, got)
			}
		}
		if resp, _ := f.get(dir + "index_" + strconv.Itoa(n+1) + ".shtml"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: past the last page answered %d", c.Name, resp.StatusCode)
		}
		// The careful config: paging kind intertid, its count read from _pageCount.
		col := cols[c.Name]
		if col.Paging.Kind != config.PagingIntertid {
			t.Errorf("%s: careful config paging %q", c.Name, col.Paging.Kind)
		}
		lr, err := cms.ParseList(col, &fetch.Response{URL: col.URL, FinalURL: col.URL, Status: 200, Body: []byte(body), HTML: body, MediaType: "text/html", Charset: "utf-8"}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if lr.PageCount != n || len(lr.Next) != n-1 || len(lr.Entries) != min(len(vis), c.PerPage) {
			t.Errorf("%s: parsed page count %d, %d next, %d entries; want %d, %d, %d", c.Name, lr.PageCount, len(lr.Next), len(lr.Entries), n, n-1, min(len(vis), c.PerPage))
		}
		for i, nx := range lr.Next {
			if want := dir + "index_" + strconv.Itoa(i+2) + ".shtml"; nx.URL != want {
				t.Errorf("%s: next %d is %s, want %s", c.Name, i, nx.URL, want)
			}
		}
	}
	if multi < 3 {
		t.Errorf("only %d columns of 阳城县 have more than one page", multi)
	}
}

// TestUnfamiliarScannedPDFs: 高平's scanned decisions are pages holding
// only a link (with the decision number) to a valid PDF without any text;
// truth lists every element as unverifiable and none as missing.
func TestUnfamiliarScannedPDFs(t *testing.T) {
	w, srv := serveUnfamiliar(t, 1)
	tr := w.Truth()
	f := newFetcher(t)
	base := srv.SiteURL("高平市")
	cat := catalogue.Default()
	scans := 0
	for _, r := range webRecords(tr, "高平市") {
		if r.Form != "penalty-scan" {
			if len(r.UnverifiableElements) > 0 {
				t.Errorf("%s: unverifiable elements on a %s", r.RecordNo, r.Form)
			}
			continue
		}
		scans++
		it, _ := cat.Item(r.Item)
		if !slices.Equal(r.UnverifiableElements, it.Elements) || len(r.MissingElements) != 0 || r.Variant != "" {
			t.Errorf("%s: unverifiable %v missing %v variant %q; want all of %v, none missing", r.RecordNo, r.UnverifiableElements, r.MissingElements, r.Variant, it.Elements)
		}
		if r.Status != StatusOnTime && r.Status != StatusLate {
			t.Errorf("%s: a published scan is %s", r.RecordNo, r.Status)
		}
		p := truthPage(t, tr, "高平市", r.URL)
		if p.Kind != "penalty-scan" || len(p.Attachments) != 1 {
			t.Fatalf("%s: page %+v", r.RecordNo, p)
		}
		body := text(f.mustGet(base + r.URL))
		content := doc(t, body).Find("#UCAP-CONTENT").Text()
		shown := r.RecordNo
		if r.WrittenAs != "" {
			shown = r.WrittenAs
		}
		if !strings.Contains(content, shown) || !strings.Contains(content, ".pdf") || strings.Contains(content, "违法事实") || strings.Contains(content, "处罚依据") {
			t.Errorf("%s: the page must hold only the link naming the decision: %q", r.RecordNo, content)
		}
		resp, pdfBytes := f.get(base + p.Attachments[0])
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdfBytes, []byte("%PDF-1.4")) {
			t.Fatalf("%s: attachment %d %s", r.RecordNo, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if !bytes.Contains(pdfBytes, []byte("/Subtype /Image")) || bytes.Contains(pdfBytes, []byte("BT\n")) || bytes.Contains(pdfBytes, []byte("/Font")) {
			t.Errorf("%s: the scan must be an image without text operators", r.RecordNo)
		}
		rd, err := pdf.NewReader(bytes.NewReader(pdfBytes), int64(len(pdfBytes)))
		if err != nil || rd.NumPage() != 1 {
			t.Fatalf("%s: not a readable PDF: %v", r.RecordNo, err)
		}
		if txt := strings.TrimSpace(pdfText(t, pdfBytes)); txt != "" {
			t.Errorf("%s: the scan has a text layer: %q", r.RecordNo, txt)
		}
	}
	if scans < 2 {
		t.Errorf("%d scanned decisions on 高平市", scans)
	}
	// Ordinary PDF-only decisions still carry their text.
	for _, r := range webRecords(tr, "高平市") {
		if r.Form == "penalty-pdf" {
			p := truthPage(t, tr, "高平市", r.URL)
			if txt := pdfText(t, f.mustGet(base+p.Attachments[0])); !strings.Contains(txt, "违法事实") && !slices.Contains(r.MissingElements, "违法事实") {
				t.Errorf("%s: text PDF without its facts", r.RecordNo)
			}
		}
	}
}
