package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ledongthuc/pdf"

	"gongkai/catalogue"
	"gongkai/ident"
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
		// Every element but the number, which the file's link text shows.
		want := slices.DeleteFunc(slices.Clone(it.Elements), func(el string) bool { return strings.Contains(el, "文号") })
		if !slices.Equal(r.UnverifiableElements, want) || len(r.MissingElements) != 0 || r.Variant != "" {
			t.Errorf("%s: unverifiable %v missing %v variant %q; want %v, none missing", r.RecordNo, r.UnverifiableElements, r.MissingElements, r.Variant, want)
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

// TestUnfamiliarProseDecisions: 沁水's decisions (pages and PDFs) are full
// 决定书 texts stating each element in a sentence, without "经查" or
// "……一案"; a sentence is there exactly when truth says the element is
// (the facts are always stated: the case sentence names the conduct).
func TestUnfamiliarProseDecisions(t *testing.T) {
	planted := 0
	for _, seed := range []int64{1, 2, 3} {
		w, srv := serveUnfamiliar(t, seed)
		tr := w.Truth()
		f := newFetcher(t)
		base := srv.SiteURL("沁水县")
		org := w.site("沁水县").Org
		pages := 0
		for _, r := range webRecords(tr, "沁水县") {
			if r.Form != "penalty-page" && r.Form != "penalty-pdf" {
				continue
			}
			pages++
			p := truthPage(t, tr, "沁水县", r.URL)
			var txt string
			if r.Form == "penalty-pdf" {
				txt = strings.ReplaceAll(pdfText(t, f.mustGet(base+p.Attachments[0])), "\n", "")
			} else {
				txt = doc(t, text(f.mustGet(base+r.URL))).Find("div.TRS_Editor").Text()
			}
			for _, bad := range []string{"经查", "一案", "违法事实：", "处罚依据：", "案件名称："} {
				if strings.Contains(txt, bad) {
					t.Errorf("%s: prose decision contains %q", r.RecordNo, bad)
				}
			}
			if flat := strings.Join(strings.Fields(txt), ""); !strings.Contains(txt, "当事人：") || !strings.Contains(txt, "立案调查") || !strings.Contains(flat, "诉讼。"+org+r.FormedOn.Chinese()) {
				t.Errorf("%s: party, case or the closing organ and date missing: %q", r.RecordNo, txt)
			}
			missing := func(el string) bool { return slices.Contains(r.MissingElements, el) }
			for el, phrases := range map[string][]string{
				"违法事实":      {"经调查，发现当事人存在", "的行为。"},
				"处罚依据":      {"违反了《", "依据《", "的规定，本局决定"},
				"处罚种类和内容":   {"本局决定给予当事人", "的行政处罚。"},
				"处罚履行方式和期限": {"当事人应当"},
			} {
				for _, ph := range phrases {
					if el == "处罚履行方式和期限" && (r.Item == "2.1" || strings.Contains(txt, "当场执行")) {
						continue
					}
					if strings.Contains(txt, ph) == missing(el) {
						t.Errorf("%s: phrase %q present=%v but truth missing %v", r.RecordNo, ph, strings.Contains(txt, ph), r.MissingElements)
					}
				}
			}
			if missing("处罚种类和内容") && (strings.Contains(txt, "罚款") || strings.Contains(txt, "警告") || strings.Contains(txt, "没收")) {
				t.Errorf("%s: lacks its penalty but names one: %q", r.RecordNo, txt)
			}
			if len(r.MissingElements) > 0 {
				planted++
			}
		}
		if pages < 5 {
			t.Errorf("seed %d: %d prose decisions", seed, pages)
		}
	}
	if planted == 0 {
		t.Error("no planted missing element in any prose decision")
	}
}

// TestUnfamiliarSamplingBasisInProse: 阳城's food-sampling notices state the
// organiser and the standards in prose above a body result table (no label
// per row, no workbook); only a table without its 承检机构 column lacks an
// element.
func TestUnfamiliarSamplingBasisInProse(t *testing.T) {
	w, srv := serveUnfamiliar(t, 1)
	tr := w.Truth()
	f := newFetcher(t)
	base := srv.SiteURL("阳城县")
	org := w.site("阳城县").Org
	notices := 0
	for _, p := range tr.Pages {
		if p.County != "阳城县" || p.Kind != "sampling-notice" || p.Withdrawn != 0 {
			continue
		}
		notices++
		if len(p.Attachments) != 0 {
			t.Errorf("%s: attachments %v", p.URL, p.Attachments)
		}
		d := doc(t, text(f.mustGet(base+p.URL)))
		body := d.Find("#UCAP-CONTENT")
		prose := body.Find("p").First().Text() + body.Find("p").Eq(1).Text()
		if !strings.Contains(prose, org+"组织") || !strings.Contains(prose, "依据GB 2762-2017") {
			t.Errorf("%s: organiser or basis not in the prose: %q", p.URL, prose)
		}
		if strings.Contains(body.Text(), "检查实施主体") || strings.Contains(body.Text(), "检验依据") {
			t.Errorf("%s: the basis must be in prose only, not labelled", p.URL)
		}
		withAgency := d.Find("table.cjjg th").FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == "承检机构" }).Length() == 1
		rows := d.Find("table.cjjg tbody tr")
		if rows.Length() != len(p.RecordNos) {
			t.Errorf("%s: %d rows for %d records", p.URL, rows.Length(), len(p.RecordNos))
		}
		for _, no := range p.RecordNos {
			if !strings.Contains(rows.Text(), no) {
				t.Errorf("%s: %s not in the table", p.URL, no)
			}
			for _, r := range webRecords(tr, "阳城县") {
				if r.RecordNo != no {
					continue
				}
				if want := !withAgency; (len(r.MissingElements) > 0) != want || (want && !slices.Equal(r.MissingElements, []string{"检验机构"})) {
					t.Errorf("%s: table has 承检机构=%v, truth missing %v", no, withAgency, r.MissingElements)
				}
			}
		}
	}
	if notices < 2 {
		t.Errorf("%d sampling notices on 阳城县", notices)
	}
}

// TestUnfamiliar404Decisions: decisions numbered 404号 and 1404号 are
// published, with the number in the page <title> (城区, 陵川) and in a
// 案件信息公开表 (泽州); the pages answer 200 and are not 页面不存在.
func TestUnfamiliar404Decisions(t *testing.T) {
	w, srv := serveUnfamiliar(t, 1)
	tr := w.Truth()
	f := newFetcher(t)
	want := map[string]string{"城区": "〔2020〕404号", "陵川县": "[2020]1404号", "泽州县": "〔2020〕404号"}
	for county, no := range want {
		found := false
		for _, r := range webRecords(tr, county) {
			if !strings.HasSuffix(r.RecordNo, no) {
				continue
			}
			found = true
			if r.Status != StatusOnTime && r.Status != StatusLate {
				t.Errorf("%s %s: %s", county, r.RecordNo, r.Status)
			}
			resp, b := f.get(srv.URL(county, r.URL))
			body := text(b)
			if resp.StatusCode != 200 || strings.Contains(body, "页面不存在") {
				t.Fatalf("%s %s: %d", county, r.RecordNo, resp.StatusCode)
			}
			title := doc(t, body).Find("title").Text()
			switch county {
			case "泽州县":
				if r.Form != "penalty-table" || !strings.Contains(doc(t, body).Find("table.xxgk-table").Text(), r.RecordNo) {
					t.Errorf("%s: %s is not in a table (%s)", county, r.RecordNo, r.Form)
				}
			default:
				if !strings.Contains(title, r.RecordNo) {
					t.Errorf("%s: title %q lacks %s", county, title, r.RecordNo)
				}
			}
		}
		if !found {
			t.Errorf("%s: no published decision numbered %s", county, no)
		}
	}
}

// TestUnfamiliarNewsColumnAndPinnedNote: 城区's 工作动态 carries 宣传周
// activities (3.4, with records) among news (""), and its penalty list is
// headed by a pinned 说明 that is no disclosure.
func TestUnfamiliarNewsColumnAndPinnedNote(t *testing.T) {
	w, srv := serveUnfamiliar(t, 1)
	tr := w.Truth()
	f := newFetcher(t)
	s := w.site("城区")
	items := map[string]int{}
	for _, p := range tr.Pages {
		if p.County == "城区" && p.Column == "工作动态" {
			items[p.Item]++
			if p.Item == "3.4" && len(p.RecordNos) != 1 {
				t.Errorf("%s: activity with records %v", p.URL, p.RecordNos)
			}
			if p.Item != "3.4" && p.Item != "" {
				t.Errorf("%s: item %q in 工作动态", p.URL, p.Item)
			}
		}
	}
	if items["3.4"] == 0 || items[""] == 0 {
		t.Errorf("工作动态 holds %v; want activities and news", items)
	}
	pen := s.columnFor("2.1")
	body := text(f.mustGet(srv.SiteURL("城区") + s.columnURL(pen)))
	first := readList(t, s, srv.SiteURL("城区")+s.columnURL(pen), body)[0]
	if first.title != "关于行政处罚信息公示有关事项的说明" {
		t.Fatalf("penalty list starts with %q", first.title)
	}
	p := truthPage(t, tr, "城区", strings.TrimPrefix(first.href, srv.SiteURL("城区")))
	if !p.Pinned || p.Item != "" || len(p.RecordNos) != 0 || p.Published >= tr.AsOf.AddDays(-300) {
		t.Errorf("the note's truth: %+v", p)
	}
	note := text(f.mustGet(first.href))
	if !strings.Contains(note, "行政处罚决定") || len(ident.FindDecisionNos(note)) != 0 {
		t.Errorf("the note must speak of decisions and carry none")
	}
}

// TestUnfamiliarShellAndBlankColumns: 泽州's 监督检查 page is an empty shell
// (no entries in the HTML, a script filling it from JSON), its &ajax=0 list
// is complete; 投诉举报 is blank and says 暂无信息.
func TestUnfamiliarShellAndBlankColumns(t *testing.T) {
	w, srv := serveUnfamiliar(t, 1)
	tr := w.Truth()
	f := newFetcher(t)
	s := w.site("泽州县")
	base := srv.SiteURL("泽州县")
	shell := s.columnByName("监督检查")
	var truthURLs []string
	for _, p := range tr.Pages {
		if p.County == "泽州县" && p.Column == shell.Name && p.Withdrawn == 0 {
			truthURLs = append(truthURLs, base+p.URL)
		}
	}
	body := text(f.mustGet(base + s.columnURL(shell)))
	d := doc(t, body)
	if n := d.Find("ul.list_ul li").Length(); n != 0 || d.Find(`a[href*="a=show"]`).Length() != 0 || strings.Contains(body, "暂无信息") {
		t.Errorf("the shell shows %d entries or an empty marker", n)
	}
	if !strings.Contains(body, "a=json&catid=36") || !strings.Contains(body, "ajax=0") {
		t.Error("the shell names neither its JSON endpoint nor its plain list")
	}
	var js struct {
		Total, Pages int
		List         []struct{ Title, URL, InputTime string }
	}
	var listed []string
	for page := 1; ; page++ {
		resp, b := f.get(base + "/index.php?m=content&c=index&a=json&catid=36&page=" + strconv.Itoa(page))
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("json page %d: %d", page, resp.StatusCode)
		}
		if err := json.Unmarshal(b, &js); err != nil {
			t.Fatal(err)
		}
		for _, it := range js.List {
			listed = append(listed, resolve(base+"/", it.URL))
		}
		if page >= js.Pages {
			break
		}
	}
	vis, _ := shell.visibleEntries(w.AsOf())
	if js.Total != len(vis) || len(listed) != len(vis) {
		t.Errorf("json: total %d, %d listed, %d visible", js.Total, len(listed), len(vis))
	}
	entries, _ := crawlColumn(t, f, srv, s, shell) // the &ajax=0 list, as the careful config names it
	var plain []string
	for _, e := range entries {
		if strings.HasPrefix(e.href, base) {
			plain = append(plain, e.href)
		}
	}
	slices.Sort(plain)
	slices.Sort(truthURLs)
	if !slices.Equal(plain, truthURLs) || len(plain) == 0 {
		t.Errorf("&ajax=0 list: %d entries, truth %d", len(plain), len(truthURLs))
	}
	blank := s.columnByName("投诉举报")
	bb := text(f.mustGet(base + s.columnURL(blank)))
	if !strings.Contains(bb, "暂无信息") || doc(t, bb).Find("ul.list_ul li").Length() != 0 {
		t.Error("the blank column lacks its 暂无信息 marker or lists something")
	}
	for _, p := range tr.Pages {
		if p.Column == blank.Name {
			t.Errorf("truth puts %s in the blank column", p.URL)
		}
	}
}

// TestUnfamiliarSitesYAML: the generated configuration is the careful one
// and uses only keys the loader knows.
func TestUnfamiliarSitesYAML(t *testing.T) {
	w, srv := serveUnfamiliar(t, 1)
	y := w.SitesYAML(srv)
	cfg, err := config.Parse("sites.yaml", y)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	got := map[string]config.Column{}
	for _, cs := range cfg.AllSources() {
		for _, c := range cs.Source.Columns {
			got[cs.County+"|"+c.Name] = c
			if resp, _ := newFetcher(t).get(c.URL); resp.StatusCode != 200 {
				t.Errorf("%s %s: %s answered %d", cs.County, c.Name, c.URL, resp.StatusCode)
			}
		}
	}
	if c := got["泽州县|监督检查"]; !strings.HasSuffix(c.URL, "&catid=36&ajax=0") {
		t.Errorf("shell column url %q", c.URL)
	}
	if c := got["城区|工作动态"]; !slices.Equal(c.Items, []string{"3.4"}) {
		t.Errorf("工作动态 items %v", c.Items)
	}
	if c := got["泽州县|投诉举报"]; !slices.Equal(c.Items, []string{"3.3"}) {
		t.Errorf("投诉举报 items %v", c.Items)
	}
	if c := got["陵川县|行政处罚"]; c.Paging.Kind != config.PagingHanweb {
		t.Errorf("陵川 paging %q", c.Paging.Kind)
	}
	if n := strings.Count(string(y), "# variant: "); n != 6 {
		t.Errorf("%d variant notes", n)
	}
}
