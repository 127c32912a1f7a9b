package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/sim"
)

func simWorld(t *testing.T, unfamiliar bool) (*sim.World, *sim.Server) {
	t.Helper()
	w, err := sim.Generate(sim.Options{Seed: 7, Size: sim.Small, Unfamiliar: unfamiliar})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return w, srv
}

func runCheck(t *testing.T, yaml string, only string) (int, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "sites.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := []string{"check", "--config", p}
	if only != "" {
		args = append(args, "--only", only)
	}
	code, out, stderr := runProgram(t, ctx, args...)
	return code, out + stderr
}

// columnBlock is check's output for one column (from its 【…】 header to
// the next).
func columnBlock(out, county, column string) string {
	head := "【" + county + " / "
	for _, b := range strings.Split(out, "\n【") {
		b = "【" + strings.TrimPrefix(b, "\n")
		if strings.HasPrefix(b, head) && strings.Contains(strings.SplitN(b, "\n", 2)[0], " / "+column+"】") {
			return b
		}
	}
	return ""
}

func TestCheckHandWrittenConfigsAreClean(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the simulated world")
	}
	for _, unfamiliar := range []bool{false, true} {
		w, srv := simWorld(t, unfamiliar)
		code, out := runCheck(t, string(w.SitesYAML(srv)), "")
		if code != 0 || strings.Contains(out, "会不完整]") || !strings.Contains(out, "共检查 2") {
			t.Errorf("unfamiliar=%v: the careful config: exit %d\n%s", unfamiliar, code, out)
		}
	}
}

func TestCheckFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the simulated world")
	}
	w, srv := simWorld(t, false)
	hand := string(w.SitesYAML(srv))
	const cqList = `list: {item: "div.view.right ul li", link: "a", title: "a@title", date: "span"}`
	const cqDetail = `detail: {body: "div.trs_editor_view"}`
	if !strings.Contains(hand, cqList) || !strings.Contains(hand, cqDetail) {
		t.Fatalf("the world's 城区 config changed; update the test:\n%s", hand)
	}
	cases := []struct {
		name       string
		edit       func(string) string
		column     string
		want       []string
		incomplete bool
	}{{
		name: "wrong paging kind",
		edit: func(y string) string {
			return strings.ReplaceAll(y, cqDetail, cqDetail+"\n            paging: {kind: \"next-link\"}")
		},
		column:     "行政处罚",
		want:       []string{"配置的翻页方式是 next-link，页面看起来是 create-page-html", `{kind: "create-page-html"}`, "页面声明 3 页，按配置只读到 1 页"},
		incomplete: true,
	}, {
		name: "list selector matches nothing",
		edit: func(y string) string {
			return strings.ReplaceAll(y, `item: "div.view.right ul li"`, `item: "div.lists ul li"`)
		},
		column:     "行政处罚",
		want:       []string{`list.item 选择器 "div.lists ul li" 在栏目首页上什么也没选中`, "没有认出任何条目"},
		incomplete: true,
	}, {
		name: "detail date from 生成日期",
		edit: func(y string) string {
			return strings.ReplaceAll(y, cqDetail, `detail: {body: "div.trs_editor_view", date: "td.affairs-label:contains('生成日期') + td"}`)
		},
		column: "行政处罚",
		want:   []string{"取到的是生成日期", "删去 detail.date", "与列表日期"},
	}, {
		name: "columns that list the same entries",
		edit: func(y string) string {
			return strings.Replace(y, "gknr/jdjc/index.shtml", "gknr/xzcf/index.shtml", 1)
		},
		column: "监督检查",
		want:   []string{"全部也出现在栏目“行政处罚”"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := runCheck(t, tc.edit(hand), "城区")
			block := columnBlock(out, "城区", tc.column)
			if block == "" {
				t.Fatalf("no block for 城区 %s:\n%s", tc.column, out)
			}
			for _, s := range tc.want {
				if !strings.Contains(block, s) {
					t.Errorf("城区 %s: check does not say %q:\n%s", tc.column, s, block)
				}
			}
			if strings.Contains(out, "【沁水县") {
				t.Errorf("--only 城区 checked another county:\n%s", out)
			}
			if got := strings.Contains(block, "会不完整]"); got != tc.incomplete {
				t.Errorf("城区 %s: incomplete %v, want %v:\n%s", tc.column, got, tc.incomplete, block)
			}
			if wantCode := map[bool]int{true: 1, false: 0}[tc.incomplete]; code != wantCode {
				t.Errorf("exit %d, want %d:\n%s", code, wantCode, out)
			}
		})
	}
}

var (
	hanwebColumnPath = regexp.MustCompile(`^/col/col\d+/index\.html$`)
	hanwebParamDef   = regexp.MustCompile(`(?m)^var param_\d+ = \{[^\n]*\};\n`)
	hanwebNextGroup  = regexp.MustCompile(`(?s)<nextgroup>.*?</nextgroup>`)
)

// TestCheckFlagsHanwebDataproxyAnsweringNothing: the unfamiliar world's
// Hanweb county behind a proxy that strips the definition of the jpage
// form's variables (and the nextgroup link that carries webid): the
// dataproxy answers nothing, and check says the column would be
// incomplete and what to write in paging.form.
func TestCheckFlagsHanwebDataproxyAnsweringNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the simulated world")
	}
	w, srv := simWorld(t, true)
	real := srv.SiteURL("陵川县")
	u, _ := url.Parse(real)
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ModifyResponse = func(res *http.Response) error {
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		if hanwebColumnPath.MatchString(res.Request.URL.Path) {
			b = hanwebParamDef.ReplaceAll(b, nil)
		}
		b = hanwebNextGroup.ReplaceAll(b, nil)
		res.Body = io.NopCloser(bytes.NewReader(b))
		res.ContentLength = int64(len(b))
		res.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	proxy := httptest.NewServer(rp)
	defer proxy.Close()
	yaml := strings.ReplaceAll(string(w.SitesYAML(srv)), real, proxy.URL)
	code, out := runCheck(t, yaml, "陵川县")
	block := columnBlock(out, "陵川县", "行政处罚")
	if code != 1 || !strings.Contains(block, "会不完整]") || !strings.Contains(block, "paging.form") || !strings.Contains(block, "dataproxy.jsp") {
		t.Errorf("exit %d; 陵川县 行政处罚:\n%s\nall:\n%s", code, block, out)
	}
}

// TestCheckFlagsHanwebWrongForm: a paging.form whose webid is not the
// site's: the dataproxy answers totalrecord 0 where the column page
// declares more.
func TestCheckFlagsHanwebWrongForm(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the simulated world")
	}
	w, srv := simWorld(t, true)
	const lcDetail = `detail: {body: "div#zoom"}`
	yaml := string(w.SitesYAML(srv))
	if !strings.Contains(yaml, lcDetail) {
		t.Fatalf("the world's 陵川县 config changed; update the test")
	}
	yaml = strings.ReplaceAll(yaml, lcDetail, lcDetail+"\n            paging: {form: {webid: \"27\"}}")
	code, out := runCheck(t, yaml, "陵川")
	block := columnBlock(out, "陵川县", "行政处罚")
	if code != 1 || !strings.Contains(block, "会不完整]") || !strings.Contains(block, "数据接口") || !strings.Contains(block, "paging.form") {
		t.Errorf("exit %d; 陵川县 行政处罚:\n%s", code, block)
	}
}

// TestCheckFlagsPagesOutOfPattern: a pattern that admits the column's
// first page and its articles but not its ?page=N pages: the walk cannot
// go on, and check says which page the pattern kept out.
func TestCheckFlagsPagesOutOfPattern(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the simulated world")
	}
	w, srv := simWorld(t, false)
	const zzPattern = `pattern: "^/index\\.php\\?m=content&c=index&a=(lists|show)&catid=\\d+"`
	yaml := string(w.SitesYAML(srv))
	if !strings.Contains(yaml, zzPattern) {
		t.Fatalf("the world's 泽州县 pattern changed; update the test")
	}
	yaml = strings.ReplaceAll(yaml, zzPattern, `pattern: "^/index\\.php\\?m=content&c=index&a=(lists&catid=\\d+$|show&)"`)
	code, out := runCheck(t, yaml, "泽州县")
	block := columnBlock(out, "泽州县", "行政处罚")
	if code != 1 || !strings.Contains(block, "会不完整] 1 个列表页的地址不符合 pattern") || !strings.Contains(block, "page=2") {
		t.Errorf("exit %d; 泽州县 行政处罚:\n%s", code, block)
	}
}
