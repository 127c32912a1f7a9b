package cms

import (
	"math/rand/v2"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"gongkai/ident"
)

// labelRegexp is the regular expression findLabels stands in for: labels
// longest first, spaces allowed between their characters, at a boundary,
// followed by a colon or a tab.
func labelRegexp() *regexp.Regexp {
	labels := make([]string, 0, len(labelCanon))
	for l := range labelCanon {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(i, j int) bool {
		if len(labels[i]) != len(labels[j]) {
			return len(labels[i]) > len(labels[j])
		}
		return labels[i] < labels[j]
	})
	alts := make([]string, len(labels))
	for i, l := range labels {
		var parts []string
		for _, r := range l {
			parts = append(parts, regexp.QuoteMeta(string(r)))
		}
		alts[i] = strings.Join(parts, `[\s\x{3000}]*`)
	}
	return regexp.MustCompile(`(?:^|[\s\t|【\[(（])(` + strings.Join(alts, "|") + `)[\s\x{3000}]*(?:[:：]|\t)`)
}

// randomLabelLine writes lines full of near misses: labels whole, spaced
// out, cut short, next to boundaries, colons, tabs and other text.
func randomLabelLine(rng *rand.Rand, labels []string) string {
	pieces := []string{"\t", " ", "\u3000", "\f", "\r", "|", "【", "[", "(", "（", ":", "：", "x", "1", "值", "浏览次数", "次", "\xff", "　：", "\t\t", " \t "}
	var b strings.Builder
	for n := rng.IntN(14); n >= 0; n-- {
		if rng.IntN(3) == 0 {
			l := labels[rng.IntN(len(labels))]
			rs := []rune(l)
			if rng.IntN(4) == 0 {
				rs = rs[:rng.IntN(len(rs))+1] // cut short
			}
			for i, r := range rs {
				if i > 0 && rng.IntN(4) == 0 {
					b.WriteString(pieces[rng.IntN(5)]) // a space inside the label
				}
				b.WriteRune(r)
			}
			continue
		}
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

func TestFindLabelsMatchesTheRegexp(t *testing.T) {
	re := labelRegexp()
	var labels []string
	for l := range labelCanon {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	rng := rand.New(rand.NewPCG(1, 2))
	lines := []string{
		"索引号：11140502MB1957083N/2020-00123\t主题分类：市场监管",
		"发布日期：2020年8月5日　来源：城区市场监督管理局 浏览次数：12",
		"索 引 号：A",
		"索　引　号 ：A|发布机构\tB",
		"【发布时间：2020-01-02】",
		"时间：2020-01-02",
		"处罚时间：2020-01-02",
		"发布时间 \t x",
		"文号\t\t",
		"",
	}
	for range 60000 {
		lines = append(lines, randomLabelLine(rng, labels))
	}
	for _, line := range lines {
		want := re.FindAllStringSubmatchIndex(line, -1)
		got := findLabels(line)
		if len(got) != len(want) {
			t.Fatalf("%q: %d matches %v, the regexp finds %v", line, len(got), got, want)
		}
		for i, m := range got {
			w := want[i]
			if m.start != w[0] || m.end != w[1] || m.labelStart != w[2] || m.labelEnd != w[3] {
				t.Fatalf("%q: match %d is %+v, the regexp finds %v", line, i, m, w)
			}
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

// TestIdentifierPrechecksHideNothing: a text without 号 holds no decision
// number, one without 14 letters or digits in a row no sampling number or
// credit code — as ident finds them.
func TestIdentifierPrechecksHideNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	pieces := []string{"城区市监罚", "〔2020〕", "[2020]", "（２０２０）", "第", "12", "号", "號", "DC", "ＤＣ", "2014052500012", "２０１４０５２５０００１２",
		"91140525MA0K8BNX7L", "９１１４０５２５ＭＡ０Ｋ８ＢＮＸ７Ｌ", "9114052", "5MA0K8BNX7L", " ", "\u3000", "-", "Ａ", "a", "0", "\xff"}
	for range 50000 {
		var b strings.Builder
		for n := rng.IntN(10); n >= 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		if !strings.Contains(text, "号") && len(ident.FindDecisionNos(text)) > 0 {
			t.Fatalf("%q has no 号 but holds %v", text, ident.FindDecisionNos(text))
		}
		if !alnumRun(text, 14) && (len(ident.FindSamplingNos(text)) > 0 || len(ident.FindUSCCs(text)) > 0) {
			t.Fatalf("%q has no run of 14 but holds %v %v", text, ident.FindSamplingNos(text), ident.FindUSCCs(text))
		}
	}
}
