package auditsetup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/catalogue"
)

const sites = `counties:
  - county: 泽州县
    catalogue: variant.yaml
    sources:
      - name: zezhou
        preset: generic
        columns:
          - name: 行政处罚
            url: http://127.0.0.1:1/xzcf/
            items: ["2.1", "2.2"]
  - county: 140581
    sources:
      - name: gaoping
        preset: trs
        columns:
          - name: 抽检
            url: http://127.0.0.1:2/cj/index.shtml
            items: ["1.3"]
credit:
  name: gsxt
  url: http://127.0.0.1:3/
`

func TestLoadBuildsPlacesAndCountyCatalogues(t *testing.T) {
	dir := t.TempDir()
	variant, err := os.ReadFile("../../examples/catalogue-county.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "variant.yaml"), variant, 0o644)
	path := filepath.Join(dir, "sites.yaml")
	os.WriteFile(path, []byte(sites), 0o644)
	s, err := Load(path, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Places) != 3 {
		t.Fatalf("places = %+v, want two website columns and the credit system", s.Places)
	}
	if p := s.Places[0]; p.County != "泽州县" || p.Source != "zezhou" || p.Channel != catalogue.Website || strings.Join(p.Items, ",") != "2.1,2.2" {
		t.Errorf("first place = %+v", p)
	}
	// The column health reads each place's first list page and kind.
	if p := s.Places[0]; p.URL != "http://127.0.0.1:1/xzcf/" || p.Kind != "catalogue" {
		t.Errorf("place URL/kind = %q %q", p.URL, p.Kind)
	}
	if p := s.Places[1]; p.County != "高平市" || p.Column != "抽检" {
		t.Errorf("second place = %+v (county given by code must resolve to its name)", p)
	}
	credit := s.Places[2]
	if credit.Channel != catalogue.Credit || credit.County != "" || credit.Source != "gsxt" {
		t.Errorf("credit place = %+v", credit)
	}
	want := []string{"1.1", "1.2", "1.4", "1.5", "1.6", "1.7", "2.1", "2.2", "2.3", "2.4"}
	for _, code := range want {
		if !strings.Contains(","+strings.Join(credit.Items, ",")+",", ","+code+",") {
			t.Errorf("credit place lacks item %s: %v", code, credit.Items)
		}
	}
	if s.Catalogues["泽州县"] == s.Catalogues["高平市"] {
		t.Error("泽州县 has a variant and must not share 高平市's catalogue")
	}
	if s.Catalogues["高平市"] == nil || len(s.Catalogues["高平市"].Items) != 15 {
		t.Error("高平市 must be audited against the 15-item catalogue")
	}
}

func TestLoadReportsConfigErrorsWithFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sites.yaml")
	os.WriteFile(path, []byte("counties:\n  - county: 不存在县\n"), 0o644)
	_, err := Load(path, nil, "")
	if err == nil || !strings.Contains(err.Error(), "sites.yaml:2") {
		t.Fatalf("error = %v, want one naming sites.yaml line 2", err)
	}
}
