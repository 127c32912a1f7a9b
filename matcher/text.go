package matcher

import (
	"slices"
	"strings"
	"sync"
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
	for i := range w {
		for j := i + 1; j < len(w); j++ {
			if len([]rune(w[j])) > len([]rune(w[i])) {
				w[i], w[j] = w[j], w[i]
			}
		}
	}
	return w
}()

// noiseScanner finds the noise words of a title in one pass.
var noiseScanner = newScanner(titleNoise)

// normTitle reduces a title to the characters that identify it: bureau and
// county names and filler words removed, full-width forms folded,
// punctuation and spaces dropped, letters upper-cased.
func normTitle(s string) string {
	return string(appendNormTitle(nil, s, -1))
}

// appendNormTitle appends the runes of normTitle(s) to dst, at most limit
// of them (-1: all). Noise words are cut out as a strings.Replacer of them
// would cut them: left to right, at each position the first word (in
// titleNoise order) that starts there, the search resuming after it.
func appendNormTitle(dst []rune, s string, limit int) []rune {
	var buf [16]hit
	hits := noiseScanner.appendHits(buf[:0], s)
	// By start, then word order (the scanner reports them by end).
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && (hits[j].start < hits[j-1].start || hits[j].start == hits[j-1].start && hits[j].word < hits[j-1].word); j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	from := 0
	for _, h := range hits {
		if h.start < from {
			continue
		}
		dst = appendNormRunes(dst, s[from:h.start], limit)
		from = h.end
	}
	return appendNormRunes(dst, s[from:], limit)
}

// appendNormRunes appends the characters of s that identify a title:
// Han characters, digits and letters, full-width forms folded, letters
// upper-cased.
func appendNormRunes(dst []rune, s string, limit int) []rune {
	for _, r := range s {
		if len(dst) == limit {
			break
		}
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0 // full-width forms
		}
		switch {
		case isHan(r), r >= '0' && r <= '9':
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r >= 'A' && r <= 'Z':
		default:
			continue
		}
		dst = append(dst, r)
	}
	return dst
}

// hanBMP has a bit for every rune of the Basic Multilingual Plane that is
// in unicode.Han: every title character is tested, and the table lookup
// costs a fraction of unicode.Is's search.
var (
	hanBMP     []uint64
	hanBMPOnce sync.Once
)

func isHan(r rune) bool {
	if r < 0x2E80 { // below the first Han range: ASCII, Latin, punctuation
		return false
	}
	if r >= 0x10000 {
		return unicode.Is(unicode.Han, r)
	}
	hanBMPOnce.Do(func() {
		hanBMP = make([]uint64, 0x10000/64)
		for c := rune(0x2E80); c < 0x10000; c++ {
			if unicode.Is(unicode.Han, c) {
				hanBMP[c/64] |= 1 << (c % 64)
			}
		}
	})
	return hanBMP[r/64]&(1<<(r%64)) != 0
}

// maxTitleRunes bounds the text a title comparison reads (a row's page
// title and its first cells).
const maxTitleRunes = 120

// titleGrams returns the distinct character bigrams of a title, reduced by
// normTitle, each packed in a uint64 (no allocation per bigram), sorted.
func titleGrams(s string) []uint64 {
	var buf [maxTitleRunes]rune
	rs := appendNormTitle(buf[:0], s, maxTitleRunes)
	if len(rs) == 0 {
		return nil
	}
	if len(rs) == 1 {
		return []uint64{uint64(rs[0]) << 32}
	}
	out := make([]uint64, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, uint64(rs[i])<<32|uint64(rs[i+1]))
	}
	slices.Sort(out)
	return slices.Compact(out)
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
			if isHan(prev) && isHan(next) {
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
