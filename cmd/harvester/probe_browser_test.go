package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"gongkai/internal/browsertest"
	"gongkai/sim"
	"gongkai/sources/config"
)

// The column whose list only a script builds: probe says so and writes
// render: browser; check on a configuration without it says so and
// suggests render: browser (exit 1); with it, check passes.
func TestProbeAndCheckScriptListColumn(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the simulated world in the browser")
	}
	browsertest.Path(t)
	w, err := sim.Generate(sim.Options{Seed: 7, Size: sim.Small, ScriptList: true})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hand, err := config.Parse("sites.yaml", w.SitesYAML(srv))
	if err != nil {
		t.Fatal(err)
	}
	var colURL string
	for _, c := range hand.Counties {
		for _, s := range c.Sources {
			for _, col := range s.Columns {
				if c.County == sim.ScriptListCounty && col.Name == sim.ScriptListColumn {
					colURL = col.URL
				}
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code, out, stderr := runProgram(t, ctx, "probe", "--delay", "0s", "--county", sim.ScriptListCounty, colURL)
	if code != 0 {
		t.Fatalf("probe exit %d: %s\n%s", code, stderr, out)
	}
	for _, want := range []string{"列表只在执行 JavaScript 后才出现", "render: browser", "preset: trs", "浏览器渲染）"} {
		if !strings.Contains(out, want) {
			t.Errorf("probe does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "没有认出任何条目") {
		t.Errorf("probe's preview found no entries:\n%s", out)
	}

	yaml := string(w.SitesYAML(srv))
	code, out = runCheck(t, strings.Replace(yaml, "            render: browser\n", "", 1), sim.ScriptListCounty)
	block := columnBlock(out, sim.ScriptListCounty, sim.ScriptListColumn)
	if code != 1 || !strings.Contains(block, "✗ [会不完整] 列表只在执行 JavaScript 后才显示") || !strings.Contains(block, "render: browser") {
		t.Errorf("check without render: browser: exit %d\n%s", code, out)
	}
	if strings.Contains(block, "选择器") && strings.Contains(block, "什么也没选中") {
		t.Errorf("check blames the selectors of a script-built list:\n%s", block)
	}
	code, out = runCheck(t, yaml, sim.ScriptListCounty)
	if code != 0 || strings.Contains(out, "会不完整]") {
		t.Errorf("check with render: browser: exit %d\n%s", code, out)
	}
}

// The 集约化 county's hand-written configuration passes check: every
// column read through its endpoint, its total agreeing.
func TestCheckJSONAPICountyClean(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the simulated world")
	}
	w, err := sim.Generate(sim.Options{Seed: 7, Size: sim.Small, JSONAPI: true})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	code, out := runCheck(t, string(w.SitesYAML(srv)), sim.JSONAPICounty)
	if code != 0 || strings.Contains(out, "会不完整]") || !strings.Contains(out, "共检查 4 个栏目") || !strings.Contains(out, "翻页 json-api") {
		t.Errorf("check of the 集约化 county: exit %d\n%s", code, out)
	}
}
