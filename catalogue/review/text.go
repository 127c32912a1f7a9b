package review

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai/catalogue"
)

// norm reduces a name or text to what comparison should see: no white
// space, no punctuation, no trailing 等.
func norm(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(" \t\n\r\u3000\u00a0、，,。.；;：:“”\"'‘’（）()《》<>〈〉【】[]·-—/／_", r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSuffix(s, "等")
}

var (
	arabicPrefix  = regexp.MustCompile(`^\s*[（(]?\s*([0-9]+(?:\s*[.．]\s*[0-9]+)*)\s*[)）]?\s*[.．、]?\s*`)
	chinesePrefix = regexp.MustCompile(`^\s*[（(]?([一二三四五六七八九十]+)[)）、.．]\s*`)
)

// splitCode separates the county's numbering from an item's name:
// "1.1食品生产经营监督检查" → ("1.1", "食品生产经营监督检查"), "2.行政处罚" →
// ("2", "行政处罚").
func splitCode(s string) (code, name string) {
	s = strings.TrimSpace(s)
	if m := arabicPrefix.FindStringSubmatchIndex(s); m != nil && m[1] < len(s) {
		code = strings.NewReplacer(" ", "", "．", ".").Replace(s[m[2]:m[3]])
		return code, strings.TrimSpace(s[m[1]:])
	}
	if m := chinesePrefix.FindStringSubmatchIndex(s); m != nil && m[1] < len(s) {
		return s[m[2]:m[3]], strings.TrimSpace(s[m[1]:])
	}
	return "", s
}

// similarity is 2·LCS/(len a + len b) over runes: 1 for equal names, near 1
// for a word added or dropped, low for a different name.
func similarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra)+len(rb) == 0 {
		return 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for i := range ra {
		for j := range rb {
			if ra[i] == rb[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return 2 * float64(prev[len(rb)]) / float64(len(ra)+len(rb))
}

// recognisable is the similarity above which a renamed item is still the
// municipal one ("日常监督检查" for "监督检查"); below it the item is renamed
// beyond recognition.
const recognisable = 0.6

var (
	workdaysRe = regexp.MustCompile(`([0-9]+|[一二三四五六七八九十两]+)\s*个?\s*工作日`)
	chineseNum = map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
)

// parseWorkdays reads "信息形成之日起20个工作日内" (or 二十个工作日). ok is
// false when the cell names no number of working days.
func parseWorkdays(s string) (int, bool) {
	m := workdaysRe.FindStringSubmatch(squeeze(s))
	if m == nil {
		return 0, false
	}
	if n, err := strconv.Atoi(m[1]); err == nil {
		return n, n > 0
	}
	n, tens := 0, false
	for _, r := range m[1] {
		if r == '十' {
			if n == 0 {
				n = 1
			}
			n, tens = n*10, true
			continue
		}
		if tens {
			n += chineseNum[r]
		} else {
			n = n*10 + chineseNum[r]
		}
	}
	return n, n > 0
}

var titleRe = regexp.MustCompile(`《([^》]+)》`)

// documents lists the documents a 公开依据 cell cites: the 《…》 titles, or
// the cell split at separators when it has none.
func documents(s string) []string {
	var out []string
	for _, m := range titleRe.FindAllStringSubmatch(s, -1) {
		out = append(out, norm(m[1]))
	}
	if len(out) == 0 {
		for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,；;\n", r) }) {
			if n := norm(p); n != "" {
				out = append(out, n)
			}
		}
	}
	return out
}

// Tick marks a county may put before an option, ticked and not.
const (
	tickedMarks    = "☑√✓✔■●▣☒"
	uncheckedMarks = "□☐○"
)

// isTicked reads a one-option tick cell (全社会, 主动, 县级 …).
func isTicked(s string) bool {
	s = squeeze(s)
	if s == "" || strings.ContainsAny(s, uncheckedMarks) && !strings.ContainsAny(s, tickedMarks) {
		return false
	}
	switch strings.ToLower(s) {
	case "否", "无", "n", "no", "×", "-", "—", "/":
		return false
	}
	return true
}

// option is one option of a multi-option cell and whether it is ticked.
type option struct {
	text    string
	ticked  bool
	hasMark bool
}

// options splits a cell such as "☑政府网站 □两微一端 ☑其他：国家企业信用信息公示系统"
// into its options. Without any box marks every listed word counts as
// ticked ("政府网站、两微一端").
func options(s string) []option {
	s = strings.NewReplacer("其他:", "其他：", "其他 :", "其他：").Replace(s)
	s = regexp.MustCompile(`其他：\s+`).ReplaceAllString(s, "其他：")
	if !strings.ContainsAny(s, tickedMarks+uncheckedMarks) {
		var out []option
		for _, p := range strings.FieldsFunc(s, func(r rune) bool {
			return strings.ContainsRune("、，,；; \t\n\u3000", r)
		}) {
			out = append(out, option{text: strings.TrimSpace(p), ticked: true})
		}
		return out
	}
	var out []option
	cur := -1
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case strings.ContainsRune(tickedMarks, r):
			out = append(out, option{ticked: true, hasMark: true})
			cur = len(out) - 1
		case strings.ContainsRune(uncheckedMarks, r):
			out = append(out, option{hasMark: true})
			cur = len(out) - 1
		case cur >= 0:
			out[cur].text += string(r)
		}
	}
	for i := range out {
		out[i].text = strings.TrimSpace(out[i].text)
	}
	return out
}

// tickedWords reports, for a words cell (公开层级 "☑县级 □乡级" or "县级、乡级"),
// which of the words are ticked.
func tickedWords(s string, words ...string) map[string]bool {
	got := map[string]bool{}
	for _, o := range options(s) {
		for _, w := range words {
			if o.ticked && strings.Contains(squeeze(o.text), w) {
				got[w] = true
			}
		}
	}
	return got
}

// channelsOf reads the 公开渠道和载体 cell: the ticked channels, and the
// ticked texts that are no channel the catalogue knows. An empty 其他 is
// ignored (the seed ticks it without naming a channel for 1.3).
func channelsOf(s string) (chs []catalogue.Channel, unknown []string) {
	for _, o := range options(s) {
		if !o.ticked {
			continue
		}
		t := strings.TrimSpace(o.text)
		if rest, ok := strings.CutPrefix(t, "其他："); ok {
			t = strings.TrimSpace(rest)
		}
		if t == "" || t == "其他" {
			continue
		}
		ch, ok := catalogue.ParseChannel(t)
		if !ok {
			unknown = append(unknown, t)
			continue
		}
		if !containsChannel(chs, ch) {
			chs = append(chs, ch)
		}
	}
	return chs, unknown
}

func containsChannel(chs []catalogue.Channel, ch catalogue.Channel) bool {
	for _, c := range chs {
		if c == ch {
			return true
		}
	}
	return false
}
