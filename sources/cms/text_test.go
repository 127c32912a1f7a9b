package cms

import (
	"maps"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
)

// Labels are found at a boundary, spaced out or not, before a colon or a
// tab; the longest label wins, and a value runs to the next label.
func TestLabelledValues(t *testing.T) {
	for text, want := range map[string]map[string]string{
		"索引号：11140502MB1957083N/2020-00123\t主题分类：市场监管": {"索引号": "11140502MB1957083N/2020-00123", "主题分类": "市场监管"},
		"发布日期：2020年8月5日 来源：城区市场监督管理局 浏览次数：12":          {"发布日期": "2020年8月5日", "来源": "城区市场监督管理局"},
		"索\u3000引\u3000号 ：A|发布机构\tB":                   {"索引号": "A", "发布机构": "B"},
		"【发布时间：2020-01-02】":                            {"发布日期": "2020-01-02】"},
		"处罚时间：2020-01-02":                              {},
		"x时间：2020-01-02\n时间：2020-01-03":                {"时间": "2020-01-03"},
	} {
		if got := labelledValues(text); !maps.Equal(got, want) {
			t.Errorf("labelledValues(%q) = %q, want %q", text, got, want)
		}
	}
}

// tidyReference is the straightforward form of what renderNodes writes:
// split lines at \n and cells at \t, collapse white space, drop empties.
func tidyReference(s string) string {
	clean := func(s string) string { return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ") }
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		var cells []string
		for _, c := range strings.Split(l, "\t") {
			if c = clean(c); c != "" {
				cells = append(cells, c)
			}
		}
		if len(cells) > 0 {
			lines = append(lines, strings.Join(cells, "\t"))
		}
	}
	return strings.Join(lines, "\n")
}

func TestTextWriterTidiesAsTheReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "中", "文字", " ", "  ", "\t", "\n", "\u3000", "\u00a0", "\v", "\r", "\xff", "\u2028", "\u0085", "x y"}
	for range 100000 {
		var raw strings.Builder
		for n := rng.IntN(12); n >= 0; n-- {
			raw.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := raw.String()
		var w textWriter
		for _, part := range strings.SplitAfter(s, "\n") {
			line, ended := strings.CutSuffix(part, "\n")
			cells := strings.Split(line, "\t")
			for i, c := range cells {
				w.text(c)
				if i < len(cells)-1 {
					w.endCell()
				}
			}
			if ended {
				w.endLine()
			}
		}
		if got, want := w.b.String(), tidyReference(s); got != want {
			t.Fatalf("%q: wrote %q, want %q", s, got, want)
		}
		if got, want := cleanSpace(s), strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " "); got != want {
			t.Fatalf("cleanSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestDeclaredPagesAsTheRegexpScan(t *testing.T) {
	// The straightforward form: every match of totalPagesRe in order, the
	// first positive number wins.
	reference := func(text string) int {
		for _, m := range totalPagesRe.FindAllStringSubmatch(text, -1) {
			for _, g := range m[1:] {
				if n, err := strconv.Atoi(g); err == nil && n > 0 {
					return n
				}
			}
		}
		return 0
	}
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"共", "页", "页次", "次", " ", "：", ":", "/", "0", "3", "12", "totalPage", "totalPages", "pageCount", "=", "'", "\"", "x", "条"}
	for range 30000 {
		var b strings.Builder
		for n := rng.IntN(16); n >= 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		if strings.Contains(text, "createPageHTML") || strings.Contains(text, "countPage") {
			continue
		}
		if got, want := declaredPages(text), reference(text); got != want {
			t.Fatalf("declaredPages(%q) = %d, want %d", text, got, want)
		}
	}
}

// TestAttachmentPrefilterNeverHidesAnAttachment: every link the prefilter
// passes over would have been rejected by the full check.
func TestAttachmentPrefilterNeverHidesAnAttachment(t *testing.T) {
	base, _ := url.Parse("http://site.test/zwgk/xzcf/202012/t20201231_1.shtml")
	rng := rand.New(rand.NewPCG(7, 8))
	pieces := []string{"/", "../", "./", "a", "attach", "ATTACH", "downfile.jsp", "DownFile.JSP", ".pdf", ".PDF", ".xlsx", ".shtml", ".html",
		"?", "#", "filename=", "FileName=", "x.doc", "%2e", "%70df", "\\", " ", "&amp;", "&#46;pdf", ";jsessionid=1", "http://site.test",
		"//site.test", "..", ".", "javascript:", "=", "&"}
	for range 100000 {
		var b strings.Builder
		for n := rng.IntN(8); n >= 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		href := b.String()
		u := resolveURL(base, href)
		if u == nil || !isAttachment(u) {
			continue
		}
		if !mayLeadToAttachment(strings.ToLower(strings.TrimSpace(html.UnescapeString(href)))) {
			t.Fatalf("%q resolves to the attachment %s, but the prefilter passes it over", href, u)
		}
	}
}
