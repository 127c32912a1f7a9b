package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/store"
)

func storeURL(t *testing.T) string {
	return "sqlite://" + filepath.Join(t.TempDir(), "g.db")
}

func countRecords(t *testing.T, url string) int {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, err := st.Records(context.Background(), store.RecordQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return len(recs)
}

func TestImportExamplesTwice(t *testing.T) {
	url := storeURL(t)
	csv, xlsx := "../../examples/records.csv", "../../examples/records.xlsx"
	code, out, errs := run(t, "import", "--store", url, csv)
	if code != 0 || out != csv+": 新增 22 条, 替换 0 条, 未变 0 条\n" {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	code, out, errs = run(t, "import", csv, "--store", url) // flags after files
	if code != 0 || out != csv+": 新增 0 条, 替换 0 条, 未变 22 条\n" {
		t.Fatalf("re-import: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	code, _, errs = run(t, "import", "--store", url, xlsx)
	if code != 0 {
		t.Fatalf("xlsx: exit %d: %s", code, errs)
	}
	if n := countRecords(t, url); n != 22 {
		t.Errorf("%d records stored, want 22 (the XLSX holds the same records)", n)
	}
}

func TestImportWithErrorsImportsNothing(t *testing.T) {
	url := storeURL(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	body := "县区,事项,编号,形成日期,统一社会信用代码\n" +
		"泽州县,2.1,泽市监罚〔2020〕30号,2020-07-01,\n" +
		"晋中,2.1,泽市监罚〔2020〕31号,2020-07-01,\n" +
		"泽州县,9.9,泽市监罚〔2020〕32号,2020-07-01,\n" +
		"泽州县,2.1,泽市监罚〔2020〕33号,2020-07-01,91110000600037341N\n"
	if err := os.WriteFile(bad, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	// Seed the store, then try a batch where one file is bad.
	if code, _, errs := run(t, "import", "--store", url, "../../examples/records.csv"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, "import", "--store", url, "../../examples/records.xlsx", bad)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if out != "" {
		t.Errorf("stdout %q: nothing should be imported", out)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	want := []string{
		bad + `:3: 县区: 未知县区 "晋中"`,
		bad + `:4: 事项: 目录中没有事项 "9.9"`,
		bad + `:5: 统一社会信用代码: "91110000600037341N" 校验码错误，应为L`,
		"reporter import: 1 个文件共 3 处错误，未导入任何记录",
	}
	if len(lines) != len(want) {
		t.Fatalf("stderr:\n%s", errs)
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], want[i])
		}
	}
	if n := countRecords(t, url); n != 22 {
		t.Errorf("store has %d records after a failed import, want the 22 from before", n)
	}
}

func TestImportBadArguments(t *testing.T) {
	if code, _, errs := run(t, "import"); code != 2 || !strings.Contains(errs, "缺少要导入的文件") {
		t.Errorf("no files: exit %d %q", code, errs)
	}
	if code, _, errs := run(t, "import", "--store", "redis://127.0.0.1:1/0", "../../examples/records.csv"); code != 1 || !strings.Contains(errs, "Redis") {
		t.Errorf("redis: exit %d %q", code, errs)
	}
	if code, _, errs := run(t, "import", "--holidays", "absent.json", "../../examples/records.csv"); code != 1 || !strings.Contains(errs, "节假日") {
		t.Errorf("holidays: exit %d %q", code, errs)
	}
}

func TestImportHolidaysFileAddsYear(t *testing.T) {
	dir := t.TempDir()
	hol := filepath.Join(dir, "2027.json")
	if err := os.WriteFile(hol, []byte(`{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "r.csv")
	if err := os.WriteFile(csv, []byte("county,item,record_no,formed_on\n泽州县,2.1,泽市监罚〔2027〕1号,2027-03-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	url := storeURL(t)
	if code, _, errs := run(t, "import", "--store", url, csv); code != 1 || !strings.Contains(errs, "没有 2027 年的节假日安排数据") {
		t.Errorf("without holidays: exit %d %q", code, errs)
	}
	if code, out, errs := run(t, "import", "--store", url, "--holidays", hol, csv); code != 0 || !strings.Contains(out, "新增 1 条") {
		t.Errorf("with holidays: exit %d %q %q", code, out, errs)
	}
}
