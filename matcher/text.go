package matcher

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gongkai/region"
)

// titleNoise are words that every title of a bureau carries and that say
// nothing about which event or case it is.
var titleNoise = func() []string {
	w := []string{"市场监督管理局", "市场监管局", "食品药品监督管理局", "人民政府", "关于", "开展", "举办", "组织",
		"通知", "公告", "公示", "情况", "工作", "活动", "有关", "信息", "我局", "县局", "区局", "市局", "晋城市"}
	for _, c := range region.Jincheng {
		w = append(w, c.Name, c.Short)
	}
	// Longest first so that 泽州县 goes before 泽州.
	slices.SortStableFunc(w, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	return w
}()

// noiseCutter cuts the noise words out of a title.
var noiseCutter = func() *strings.Replacer {
	args := make([]string, 0, 2*len(titleNoise))
	for _, w := range titleNoise {
		args = append(args, w, " ")
	}
	return strings.NewReplacer(args...)
}()

// normTitle reduces a title to the characters that identify it: bureau and
// county names and filler words removed, full-width forms folded,
// punctuation and spaces dropped, letters upper-cased.
func normTitle(s string) string {
	return strings.Map(titleRune, noiseCutter.Replace(s))
}

// titleRune keeps Han characters, digits and letters (full-width forms
// folded, letters upper-cased) and drops the rest.
func titleRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0 // full-width forms
	}
	switch {
	case unicode.Is(unicode.Han, r), r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
		return r
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A'
	}
	return -1
}

// maxTitleRunes bounds the text a title comparison reads (a row's page
// title and its first cells).
const maxTitleRunes = 120

// titleRunes is normTitle cut to maxTitleRunes characters.
func titleRunes(s string) []rune {
	rs := []rune(normTitle(s))
	return rs[:min(len(rs), maxTitleRunes)]
}

// titleGrams returns the distinct character bigrams of a title (see
// appendTitleGrams), sorted.
func titleGrams(s string) []uint64 {
	out := appendTitleGrams(nil, s)
	slices.Sort(out)
	return slices.Compact(out)
}

// appendTitleGrams appends to dst each character bigram of a title reduced
// as titleRunes reduces it, packed in a uint64, in order and repeats
// included; a title of one character gives that character alone (shifted
// as the first of a pair). It reads the noise-cut title straight, without
// copies: the bigram index reads the title of every publication.
func appendTitleGrams(dst []uint64, s string) []uint64 {
	prev, n := rune(0), 0
	for _, r := range noiseCutter.Replace(s) {
		if r = titleRune(r); r < 0 {
			continue
		}
		if n == maxTitleRunes {
			break
		}
		if n > 0 {
			dst = append(dst, uint64(prev)<<32|uint64(r))
		}
		prev, n = r, n+1
	}
	if n == 1 {
		dst = append(dst, uint64(prev)<<32)
	}
	return dst
}

// similarity says how much of the record's title the candidate's text
// carries: the share of the record's bigrams found in the candidate,
// lowered when the candidate is much longer (a long page title sharing a
// few words with a short record title is weak evidence). 1 = same title.
// Both are sorted and distinct.
func similarity(rec, cand []uint64) float64 {
	if len(rec) == 0 || len(cand) == 0 {
		return 0
	}
	common := 0
	for i, j := 0, 0; i < len(rec) && j < len(cand); {
		switch {
		case rec[i] == cand[j]:
			common++
			i++
			j++
		case rec[i] < cand[j]:
			i++
		default:
			j++
		}
	}
	contain := float64(common) / float64(len(rec))
	dice := 2 * float64(common) / float64(len(rec)+len(cand))
	if len(rec) < 4 {
		// Too short to be telling by containment alone.
		return dice
	}
	return 0.75*contain + 0.25*dice
}

// unwrapped joins the lines of text broken between two Han characters
// (a hard wrap of a printed page), keeping every other line break.
func unwrapped(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	lines := strings.Split(text, "\n")
	var b strings.Builder
	b.Grow(len(text))
	for i, line := range lines {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(strings.TrimRight(lines[i-1], " \r\t"))
			next, _ := utf8.DecodeRuneInString(strings.TrimLeft(line, " \t"))
			if unicode.Is(unicode.Han, prev) && unicode.Is(unicode.Han, next) {
				line = strings.TrimLeft(line, " \t")
			} else {
				b.WriteByte('\n')
			}
		}
		if i < len(lines)-1 {
			line = strings.TrimRight(line, " \r\t")
		}
		b.WriteString(line)
	}
	return b.String()
}
