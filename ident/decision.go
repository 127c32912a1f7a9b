package ident

import (
	"regexp"
	"strconv"
	"strings"
)

// DecisionNo is a penalty decision number (行政处罚决定书文号), GB/T 9704's
// 机关代字〔年份〕序号号, reduced to its parts. Prefix is the issuing
// organ's code without 字: 泽市监罚 and 晋市监罚 are different organs (晋
// alone is the province), so the prefix is kept whole, never shortened.
type DecisionNo struct {
	Prefix string
	Year   int
	Number int
}

// Key is the canonical form used to match a decision across sources:
// prefix, 〔year〕, number without leading zeros, 号 — 泽市监罚〔2020〕12号.
func (d DecisionNo) Key() string {
	return d.Prefix + "〔" + strconv.Itoa(d.Year) + "〕" + strconv.Itoa(d.Number) + "号"
}

func (d DecisionNo) String() string { return d.Key() }

// Brackets seen around the year: 〔〕 (the norm), [] ［］ () （） 【】 ﹝﹞
// 〖〗 〈〉. Full-width forms are folded first; the rest map to 〔〕.
var decisionBrackets = strings.NewReplacer(
	"[", "〔", "(", "〔", "【", "〔", "﹝", "〔", "〖", "〔", "〈", "〔",
	"]", "〕", ")", "〕", "】", "〕", "﹞", "〕", "〗", "〕", "〉", "〕",
)

// A whole decision number once folded, bracket-normalised and stripped of
// spaces. The year is either bracketed, or bare followed by a dash or 第
// (泽市监罚2020-12号); a bare year needs 号 at the end, since 监督检查2020-12
// is more likely a month than a decision.
var wholeDecision = regexp.MustCompile(
	`^(\p{Han}+?)字*(?:〔((?:19|20)\d{2})〕第?0*(\d{1,6})号?|((?:19|20)\d{2})(?:[-—–_]第?|第)0*(\d{1,6})号)$`)

// In free text: the prefix is the run of Han characters before the year
// (trimmed below), spaces may separate the parts, and 号 is required so
// that 公告(2020)第5期 is not taken for a decision.
var decisionInText = regexp.MustCompile(
	`(\p{Han}+)\s*(?:〔\s*((?:19|20)\d{2})\s*〕\s*第?\s*0*(\d{1,6})\s*号|((?:19|20)\d{2})\s*(?:[-—–_]\s*第?|第)\s*0*(\d{1,6})\s*号)`)

func normaliseDecisionText(s string) string {
	return decisionBrackets.Replace(Fold(s))
}

// ParseDecisionNo reads s as one decision number in any of the written
// variants: bracket forms, full-width digits, 第, 字 after the prefix,
// leading zeros, spaces anywhere. It reports false if s is not exactly a
// decision number with an organ prefix.
func ParseDecisionNo(s string) (DecisionNo, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' {
			return -1
		}
		return r
	}, normaliseDecisionText(s))
	g := wholeDecision.FindStringSubmatch(s)
	if g == nil {
		return DecisionNo{}, false
	}
	return decisionFromParts(g[1], g[2]+g[4], g[3]+g[5])
}

func decisionFromParts(prefix, year, number string) (DecisionNo, bool) {
	prefix = strings.TrimRight(prefix, "字")
	y, err1 := strconv.Atoi(year)
	n, err2 := strconv.Atoi(number)
	if prefix == "" || err1 != nil || err2 != nil || n == 0 {
		return DecisionNo{}, false
	}
	return DecisionNo{Prefix: prefix, Year: y, Number: n}, true
}

// prefixStops are words that end the text before an organ code in running
// text: 行政处罚决定书泽市监罚〔2020〕12号, 根据泽市监罚…, …12号及泽市监罚….
// Organ codes never contain them.
var prefixStops = []string{"决定书", "通知书", "告知书", "文书", "文号", "书号", "字号", "编号",
	"决定", "根据", "依据", "按照", "依照", "关于", "的", "号", "及", "与", "或"}

// maxPrefix bounds an organ code found in running text; real ones are 3–9
// characters (深市质华市监罚).
const maxPrefix = 12

// trimTextPrefix cuts a Han run found before a year down to the organ code.
func trimTextPrefix(run string) string {
	cut := 0
	for _, w := range prefixStops {
		if i := strings.LastIndex(run, w); i >= 0 && i+len(w) > cut {
			cut = i + len(w)
		}
	}
	run = run[cut:]
	if rs := []rune(run); len(rs) > maxPrefix {
		run = string(rs[len(rs)-maxPrefix:])
	}
	return run
}

// decisionsIn returns the decision numbers of a whole text, in order of
// appearance, without duplicate keys (FindDecisionNos runs it on the
// windows that can hold one).
func decisionsIn(text string) []DecisionNo {
	// decisionInText ends with 号, which folding never makes: a text
	// without one (most table cells and rows) holds none.
	if !strings.Contains(text, "号") {
		return nil
	}
	s := normaliseDecisionText(text)
	var out []DecisionNo
	seen := map[string]bool{}
	for _, m := range decisionInText.FindAllStringSubmatchIndex(s, -1) {
		part := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		d, ok := decisionFromParts(trimTextPrefix(part(1)), part(2)+part(4), part(3)+part(5))
		if !ok || seen[d.Key()] {
			continue
		}
		seen[d.Key()] = true
		out = append(out, d)
	}
	return out
}
