package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"gongkai/catalogue"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = program.Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCatalogueJSONListsFifteenItems(t *testing.T) {
	code, out, errs := run(t, "catalogue", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var c catalogue.Catalogue
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Items) != 15 || c.Items[0].Code != "1.1" || c.Items[14].Code != "3.4" {
		t.Fatalf("items = %v", c.Codes())
	}
	for _, it := range c.Items {
		want := 20
		if it.Code == "3.1" || it.Code == "3.4" {
			want = 7
		}
		if it.TimeLimit.Workdays != want {
			t.Errorf("%s: %d workdays", it.Code, it.TimeLimit.Workdays)
		}
	}
}

func TestCatalogueMarkdownDefaultAndVariant(t *testing.T) {
	code, out, _ := run(t, "catalogue")
	if code != 0 || !strings.Contains(out, "| 编号 | 一级事项 | 二级事项 |") || strings.Count(out, "\n| ") != 16 {
		t.Errorf("exit %d, markdown:\n%s", code, out)
	}
	code, out, errs := run(t, "catalogue", "--county", "泽州", "--variant", "../../examples/catalogue-county.yaml")
	if code != 0 || !strings.Contains(out, "泽州县食品药品监管领域基层政务公开标准目录") || !strings.Contains(out, "三级事项") {
		t.Errorf("exit %d %s:\n%s", code, errs, out)
	}
}

func TestCatalogueBadArguments(t *testing.T) {
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"catalogue", "--format", "xml"}, 2, "--format 应为 md 或 json"},
		{[]string{"catalogue", "--county", "泽州县"}, 2, "--county 需要与 --variant 一起使用"},
		{[]string{"catalogue", "--county", "晋中", "--variant", "x.yaml"}, 2, "未知县区"},
		{[]string{"catalogue", "--county", "高平市", "--variant", "../../examples/catalogue-county.yaml"}, 2, "属于泽州县，不是高平市"},
		{[]string{"catalogue", "--variant", "absent.yaml"}, 1, "读取本级目录文件失败"},
	}
	for _, tc := range cases {
		code, _, errs := run(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q on one line", tc.args, code, errs, tc.code, tc.msg)
		}
	}
}
