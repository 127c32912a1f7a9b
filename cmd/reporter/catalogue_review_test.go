package main

import (
	"context"
	"encoding/json"
	"gongkai"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/internal/auditsetup"
	"gongkai/records"
	"gongkai/reports"
	"gongkai/store"
)

const (
	faithfulXLSX = "../../examples/county-catalogue.xlsx"
	faultsXLSX   = "../../examples/county-catalogue-faults.xlsx"
)

func TestCatalogueReviewExitCodes(t *testing.T) {
	if code, out, errs := run(t, "catalogue", "review", "--county", "泽州县", faithfulXLSX); code != 0 || !strings.Contains(out, "没有不符合项") {
		t.Errorf("faithful: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := run(t, "catalogue", "review", faultsXLSX, "--county", "泽州县")
	if code != 1 || !strings.Contains(out, "第12行  公开时限  2.1 食品生产经营行政处罚  [time.looser]") || !strings.Contains(errs, "13处不符合") {
		t.Errorf("faults: exit %d\n%s%s", code, out, errs)
	}
	for _, args := range [][]string{
		{"catalogue", "review", faithfulXLSX},                                               // no county
		{"catalogue", "review", "--county", "太原市", faithfulXLSX},                            // unknown county
		{"catalogue", "review", "--county", "泽州县"},                                          // no file
		{"catalogue", "review", "--county", "泽州县", "--format", "xlsx", faithfulXLSX},        // xlsx without --out
		{"catalogue", "review", "--county", "泽州县", "--format", "html", faithfulXLSX},        // bad format
		{"catalogue", "review", "--county", "泽州县", faithfulXLSX, faultsXLSX},                // two files
		{"catalogue", "review", "--county", "泽州县", "--variant-out", "x.yaml", faithfulXLSX}, // without --accept
	} {
		if code, _, errs := run(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args[2:], code, errs)
		}
	}
	if code, _, errs := run(t, "catalogue", "review", "--county", "泽州县", "nowhere.xlsx"); code != 1 || !strings.Contains(errs, "读取本级目录失败") {
		t.Errorf("missing file: exit %d: %s", code, errs)
	}
}

func TestCatalogueReviewJSONShape(t *testing.T) {
	code, out, _ := run(t, "catalogue", "review", "--county", "140525", "--format", "json", faultsXLSX)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var county string
	var findings []map[string]any
	if err := json.Unmarshal(doc["county"], &county); err != nil || county != "泽州县" || len(doc) != 2 {
		t.Fatalf("county %q, keys %v", county, doc)
	}
	if err := json.Unmarshal(doc["findings"], &findings); err != nil || len(findings) != 13 {
		t.Fatalf("findings: %v (%d)", err, len(findings))
	}
	for _, f := range findings {
		var keys []string
		for k := range f {
			keys = append(keys, k)
		}
		if len(keys) != 5 || f["row"] == nil || f["column"] == nil || f["item"] == nil || f["rule"] == nil || f["message"] == nil {
			t.Errorf("finding keys %v", keys)
		}
	}
	if code, out, _ := run(t, "catalogue", "review", "--county", "泽州县", "--format", "json", faithfulXLSX); code != 0 ||
		strings.TrimSpace(out) != "{\n  \"county\": \"泽州县\",\n  \"findings\": []\n}" {
		t.Errorf("faithful JSON: exit %d\n%s", code, out)
	}
}

func TestCatalogueReviewXLSX(t *testing.T) {
	out := filepath.Join(t.TempDir(), "意见.xlsx")
	if code, _, errs := run(t, "catalogue", "review", "--county", "泽州县", "--format", "xlsx", "--out", out, faultsXLSX); code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("审核意见")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2+13 || !reflect.DeepEqual(rows[1], []string{"行", "列", "事项", "规则", "说明"}) || rows[2][0] != "第5行" || rows[2][3] != "sub.crosses" {
		t.Fatalf("rows %q", rows[:3])
	}
}

func TestCatalogueReviewAccept(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := run(t, "catalogue", "review", "--county", "泽州县", "--accept", "--variant-out", filepath.Join(dir, "x.yaml"), faultsXLSX)
	if code != 1 || !strings.Contains(errs, "不能采用") {
		t.Errorf("faults accepted? exit %d: %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.yaml")); err == nil {
		t.Error("a variant was written for a catalogue with findings")
	}
	// The default place: next to the reviewed file.
	src := filepath.Join(dir, "泽州县本级目录.xlsx")
	data, err := os.ReadFile(faithfulXLSX)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "catalogue", "review", "--county", "泽州县", "--accept", src)
	want := filepath.Join(dir, "泽州县本级目录.yaml")
	if code != 0 || !strings.Contains(out, "写入 "+want) || !strings.Contains(out, "    catalogue: "+want) {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	v, err := catalogue.ApplyVariant(catalogue.Default(), want)
	if err != nil {
		t.Fatal(err)
	}
	if v.County != "泽州县" || len(v.Items) != 15 {
		t.Errorf("variant: %s, %d items", v.County, len(v.Items))
	}
	// The variant is what `reporter catalogue --variant` (and sites.yaml's catalogue:) reads.
	if code, _, errs := run(t, "catalogue", "--county", "泽州县", "--variant", want); code != 0 {
		t.Errorf("catalogue --variant: exit %d: %s", code, errs)
	}
}

// An accepted catalogue's stricter limit and added 三级事项 reach the audit
// through sites.yaml's catalogue: key (auditsetup, what report/serve use).
func TestAcceptedCatalogueIsTheAuditsCatalogue(t *testing.T) {
	dir := t.TempDir()
	f, err := excelize.OpenFile(faithfulXLSX)
	if err != nil {
		t.Fatal(err)
	}
	for cell, v := range map[string]string{"D4": "食品销售者监督检查", "G15": "信息形成之日起5个工作日内"} { // 1.1, 3.1
		if err := f.SetCellStr("本级目录", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	src := filepath.Join(dir, "zezhou.xlsx")
	if err := f.SaveAs(src); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, out, errs := run(t, "catalogue", "review", "--county", "泽州县", "--accept", src)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	_, line, _ := strings.Cut(out, "    catalogue: ")
	sites := "counties:\n  - county: 泽州县\n    catalogue: " + strings.TrimSpace(line) + `
    sources:
      - name: zezhou
        preset: generic
        columns:
          - name: 行政处罚
            url: http://127.0.0.1:1/xzcf/
            items: ["2.1"]
`
	path := filepath.Join(dir, "sites.yaml")
	if err := os.WriteFile(path, []byte(sites), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := auditsetup.Load(path, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	cat := s.Catalogues["泽州县"]
	it11, _ := cat.Item("1.1")
	it31, _ := cat.Item("3.1")
	if !reflect.DeepEqual(it11.Sub, []string{"食品销售者监督检查"}) || it31.TimeLimit.Workdays != 5 {
		t.Fatalf("audit catalogue: 1.1 sub %v, 3.1 %d workdays", it11.Sub, it31.TimeLimit.Workdays)
	}
}

// The whole way of an accepted county catalogue into the audit: 泽州县's
// catalogue adds the element 处罚履行方式和期限 and a 三级事项 of 2.1 with
// a limit of 5 working days; `catalogue review --accept` writes the
// variant, sites.yaml names it, and `reporter report` then flags the
// county's penalty page that lacks the element (缺少要素) and is late by
// the stricter limit, while the same page in 高平市 (municipal catalogue)
// is on time and lacks nothing it must show.
func TestAcceptedAddedElementAndLimitAreAuditedForThatCountyOnly(t *testing.T) {
	dir := t.TempDir()
	f, err := excelize.OpenFile(faithfulXLSX)
	if err != nil {
		t.Fatal(err)
	}
	name, _ := f.GetCellValue("本级目录", "C11")
	content, _ := f.GetCellValue("本级目录", "E11")
	limit, _ := f.GetCellValue("本级目录", "G11")
	if !strings.Contains(name, "食品生产经营行政处罚") || !strings.Contains(limit, "20个工作日") {
		t.Fatalf("row 11 of the example is not 2.1: %q %q", name, limit)
	}
	for cell, v := range map[string]string{"D11": "食品经营行政处罚", "E11": content + "、处罚履行方式和期限",
		"G11": strings.Replace(limit, "20个工作日", "5个工作日", 1)} {
		if err := f.SetCellStr("本级目录", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	src := filepath.Join(dir, "zezhou.xlsx")
	if err := f.SaveAs(src); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, out, errs := run(t, "catalogue", "review", "--county", "泽州县", "--accept", src)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if strings.Contains(out, "没有识别规则") {
		t.Errorf("a described element is said to be unrecognised:\n%s", out)
	}
	variant, _ := os.ReadFile(filepath.Join(dir, "zezhou.yaml"))
	if !strings.Contains(string(variant), "elements:\n      - \"处罚履行方式和期限\"") {
		t.Fatalf("the variant lacks the added element:\n%s", variant)
	}

	sites := "counties:\n"
	for _, c := range []struct{ county, src, variant string }{{"泽州县", "zezhou", filepath.Join(dir, "zezhou.yaml")}, {"高平市", "gaoping", ""}} {
		sites += "  - county: " + c.county + "\n"
		if c.variant != "" {
			sites += "    catalogue: " + c.variant + "\n"
		}
		sites += "    sources:\n      - name: " + c.src + "\n        preset: trs\n        columns:\n" +
			"          - {name: 行政处罚, url: \"http://127.0.0.1:9/" + c.src + "/xzcf/index.shtml\", items: [\"2.1\"]}\n"
	}
	config := filepath.Join(dir, "sites.yaml")
	if err := os.WriteFile(config, []byte(sites), 0o644); err != nil {
		t.Fatal(err)
	}
	storeURL := "sqlite://" + filepath.Join(dir, "gongkai.db")
	ctx := context.Background()
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2020, 6, 1, 2, 0, 0, 0, calendar.China)
	for _, c := range []struct{ county, src, no string }{{"泽州县", "zezhou", "泽市监罚〔2020〕1号"}, {"高平市", "gaoping", "高市监罚〔2020〕1号"}} {
		// Formed on 2 March, published on 10 March: 6 working days.
		if _, err := st.ImportRecords(ctx, []records.Record{{County: c.county, Item: "2.1", RecordNo: c.no, Title: "某超市销售过期食品案",
			FormedOn: calendar.Of(2020, 3, 2), Procedure: "简易", Channels: []catalogue.Channel{catalogue.Website}}}); err != nil {
			t.Fatal(err)
		}
		p := testPenaltyPage(c.no, calendar.Of(2020, 3, 10))
		p.URL = strings.Replace(p.URL, "/xxgk/", "/"+c.src+"/", 1)
		p.County, p.Source = c.county, c.src
		id, err := st.BeginSweep(ctx, gongkai.Sweep{Source: c.src, County: c.county, Channel: catalogue.Website, Started: at})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Apply(ctx, store.Batch{SweepID: id, At: at, Publications: []gongkai.Publication{p},
			Column: &gongkai.ColumnOutcome{Column: "行政处罚", Items: []string{"2.1"}, Complete: true, ListPages: 1, Details: 1, ObservedAt: at}}); err != nil {
			t.Fatal(err)
		}
		if err := st.FinishSweep(ctx, id, at.Add(time.Minute), false); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	code, stdout, stderr := runReporter(t, "report", "--store", storeURL, "--config", config, "--as-of", "2020-12-31", "--format", "json", "--out", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep, err := reports.ReadJSON(strings.NewReader(stdout))
	if err != nil {
		t.Fatal(err)
	}
	find := func(no string) audit.Finding {
		for _, f := range rep.Findings {
			if f.RecordNo == no && f.Channel == string(catalogue.Website) {
				return f
			}
		}
		t.Fatalf("no finding for %s", no)
		return audit.Finding{}
	}
	ze, gp := find("泽市监罚〔2020〕1号"), find("高市监罚〔2020〕1号")
	if !slices.Contains(ze.MissingElements, "处罚履行方式和期限") || !slices.Contains(audit.FlagKinds(ze), audit.FlagIncomplete) {
		t.Errorf("泽州县: missing %v, flags %v; want 处罚履行方式和期限 (要素不全)", ze.MissingElements, audit.FlagKinds(ze))
	}
	if ze.Status != audit.Late || ze.LateWorkdays != 1 {
		t.Errorf("泽州县: %s late by %d, want late by 1 working day (5-day limit)", ze.Status, ze.LateWorkdays)
	}
	if slices.Contains(gp.MissingElements, "处罚履行方式和期限") || gp.Status != audit.OnTime {
		t.Errorf("高平市: %s, missing %v; want on time and not missing the other county's element", gp.Status, gp.MissingElements)
	}
	if !slices.Equal(ze.MissingElements, append(slices.Clone(gp.MissingElements), "处罚履行方式和期限")) {
		t.Errorf("the page's other elements judged differently: 泽州县 %v, 高平市 %v", ze.MissingElements, gp.MissingElements)
	}
}
