package matcher

import (
	"gongkai"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai/calendar"
	"gongkai/ident"
)

// Unit is one disclosure that can satisfy an expected record: a whole page,
// one table row, one spreadsheet row, one credit-system row — with the
// identifiers and dates found in it.
type Unit struct {
	Pub   *gongkai.Publication
	Index int                // index into Pub.Disclosures; -1 when built from the page itself
	Disc  gongkai.Disclosure // the disclosure (synthesised when the harvester gave none)
	Class Classification     // the item this unit's publication is classified to

	// Published is the date the channel declares for this disclosure: the
	// row's own 公示日期 when it has one, else the page's declared date
	// (unless that came from 生成日期, Maketime or the like). Zero means the
	// channel declares none.
	Published     calendar.Date
	PublishedFrom string

	decisions []ident.DecisionNo
	sampling  []string
	usccs     []string
	parties   []string // normalised
	tokens    []string // normalised identifier-like tokens (task numbers, event ids)
	dates     []calendar.Date
	grams     []uint64 // sorted bigrams of the unit's title (page) or row text; see Grams
	gramsDone bool
}

// DecisionKeys returns the unit's decision-number keys.
func (u *Unit) DecisionKeys() []string {
	out := make([]string, len(u.decisions))
	for i, d := range u.decisions {
		out[i] = d.Key()
	}
	return out
}

// IsRow reports whether the unit is one row of a larger publication.
func (u *Unit) IsRow() bool {
	switch u.Disc.Kind {
	case "table-row", "sheet-row", "credit-punishment", "credit-inspection":
		return true
	}
	return false
}

// partyHeaders are row headers that name the party of a disclosure.
var partyHeaders = map[string]bool{}

func init() {
	for _, h := range []string{"当事人", "当事人名称", "处罚对象", "行政相对人名称", "违法企业", "被处罚单位", "被处罚人",
		"企业名称", "单位名称", "相对人名称", "被抽样单位名称", "被抽检单位名称", "被抽样单位", "被抽检单位", "受检单位",
		"被检单位", "经营者名称", "被检查单位", "被检查单位名称", "检查对象", "entName", "企业(单位)名称"} {
		partyHeaders[normHeader(h)] = true
	}
}

// Units splits a publication into the disclosures that can satisfy records.
// The harvester's disclosures are used as given (each row its own unit);
// a publication without any becomes one page unit, plus one unit per row of
// its attachment spreadsheets.
func Units(p *gongkai.Publication, cls Classification) []*Unit {
	var out []*Unit
	if len(p.Disclosures) == 0 {
		out = append(out, newUnit(p, -1, gongkai.Disclosure{Kind: "page", Text: p.Body}, cls))
		for ai, a := range p.Attachments {
			for _, sh := range a.Sheets {
				for _, d := range sheetRows(a, ai, sh) {
					out = append(out, newUnit(p, -1, d, cls))
				}
			}
		}
		return out
	}
	for i := range p.Disclosures {
		out = append(out, newUnit(p, i, p.Disclosures[i], cls))
	}
	return out
}

func newUnit(p *gongkai.Publication, index int, d gongkai.Disclosure, cls Classification) *Unit {
	u := &Unit{Pub: p, Index: index, Disc: d, Class: cls}
	if !NotPublicationDate(p.DeclaredFrom) {
		u.Published, u.PublishedFrom = p.Declared, p.DeclaredFrom
	}
	if !d.Date.IsZero() {
		u.Published, u.PublishedFrom = d.Date, "公示日期"
	}
	// The harvester reads its disclosures' text for decision numbers,
	// sampling numbers and credit codes; a disclosure that came without any
	// (or a unit made here from a bare page) is read now.
	harvested := index >= 0 && len(d.DecisionNos)+len(d.SamplingNos)+len(d.USCCs) > 0
	var texts []string // free text to scan for identifiers
	for _, s := range d.DecisionNos {
		if dn, ok := ident.ParseDecisionNo(s); ok {
			u.addDecision(dn)
		} else {
			texts = append(texts, s)
		}
	}
	u.sampling = append(u.sampling, d.SamplingNos...)
	u.usccs = append(u.usccs, d.USCCs...)
	for _, pt := range d.Parties {
		u.addParty(pt)
	}
	for k, v := range d.Fields {
		if !harvested {
			texts = append(texts, v)
		}
		if partyHeaders[normHeader(k)] {
			u.addParty(v)
		}
		if eventDateHeader(k) && looksLikeDate(v) {
			if dt, err := calendar.ParseDate(v); err == nil {
				u.dates = appendUniqueDate(u.dates, dt)
			}
		}
	}
	texts = append(texts, d.Ref)
	if u.IsRow() {
		if d.Text != "" {
			texts = append(texts, d.Text)
		}
	} else {
		// A page: its title, metadata (文号), the record numbers the
		// harvester found, attachment names and — when nothing else
		// named a decision — its body and attachment text.
		texts = append(texts, p.Title)
		for k, v := range p.Metadata {
			if !isDateLabel(k) {
				texts = append(texts, v)
			}
		}
		texts = append(texts, p.RecordNos...)
		for _, a := range p.Attachments {
			texts = append(texts, a.Name)
		}
		if harvested {
			texts = append(texts, d.Text)
		}
	}
	if harvested {
		for _, t := range texts {
			u.addTokens(t)
		}
	} else {
		if !u.IsRow() && len(d.Fields) == 0 {
			u.partiesFromLabels(p.Body)
		}
		u.scanIdentifiers(strings.Join(texts, "\n"))
		if !u.IsRow() && len(u.decisions) == 0 && len(u.sampling) == 0 {
			var more []string
			if d.Text != "" {
				more = append(more, d.Text)
			} else {
				more = append(more, p.Body)
			}
			for _, a := range p.Attachments {
				more = append(more, a.Text)
			}
			u.scanIdentifiers(strings.Join(more, "\n"))
		}
	}
	return u
}

// Grams returns the sorted bigrams of the unit's title: a page's title, or
// a row's cells within its page's title (第1批食品生产经营监督检查结果公示 +
// the enterprise's row). Computed on first use: most units are linked by a
// number and never compared by title.
func (u *Unit) Grams() []uint64 {
	if !u.gramsDone {
		u.gramsDone = true
		u.grams = titleGrams(u.titleText())
	}
	return u.grams
}

// titleText is the text a unit's bigrams are taken from (Grams).
func (u *Unit) titleText() string {
	if !u.IsRow() {
		return u.Pub.Title
	}
	text := u.Disc.Text
	if text == "" {
		text = joinFieldValues(u.Disc.Fields)
	}
	if u.Pub.Channel != "国家企业信用信息公示系统" {
		text = u.Pub.Title + " " + text
	}
	return text
}

// partiesFromLabels reads "当事人：…" lines of a page the harvester did
// not split into fields.
func (u *Unit) partiesFromLabels(body string) {
	for line := range strings.SplitSeq(body, "\n") {
		label, value, ok := strings.Cut(line, "：")
		if !ok {
			label, value, ok = strings.Cut(line, ":")
		}
		if ok && len(label) <= 30 && partyHeaders[normHeader(label)] {
			if i := strings.IndexAny(value, "。；;，,\t"); i >= 0 {
				value = value[:i]
			}
			if v := strings.TrimSpace(value); v != "" {
				u.addParty(v)
			}
		}
	}
}

func (u *Unit) addTokens(text string) {
	for _, t := range idTokens(text) {
		if !slices.Contains(u.tokens, t) {
			u.tokens = append(u.tokens, t)
		}
	}
}

func (u *Unit) scanIdentifiers(text string) {
	if text == "" {
		return
	}
	// A long text (a page listing thousands of cases) carries thousands of
	// identifiers: a set keeps adding them linear.
	type id struct {
		kind byte // d(ecision), t(oken), s(ampling), u(scc)
		v    string
	}
	seen := map[id]bool{}
	for _, d := range u.decisions {
		seen[id{'d', d.Key()}] = true
	}
	for _, t := range u.tokens {
		seen[id{'t', t}] = true
	}
	for _, s := range u.sampling {
		seen[id{'s', s}] = true
	}
	for _, c := range u.usccs {
		seen[id{'u', c}] = true
	}
	isNew := func(kind byte, v string) bool {
		if seen[id{kind, v}] {
			return false
		}
		seen[id{kind, v}] = true
		return true
	}
	for _, dn := range ident.FindDecisionNos(text) {
		if isNew('d', dn.Key()) {
			u.decisions = append(u.decisions, dn)
		}
	}
	for _, t := range idTokens(text) {
		if isNew('t', t) {
			u.tokens = append(u.tokens, t)
		}
	}
	sampling, usccs := ident.FindSamplingNosAndUSCCs(text)
	for _, s := range sampling {
		if isNew('s', s) {
			u.sampling = append(u.sampling, s)
		}
	}
	for _, c := range usccs {
		if isNew('u', c) {
			u.usccs = append(u.usccs, c)
		}
	}
}

func (u *Unit) addDecision(dn ident.DecisionNo) {
	if !slices.ContainsFunc(u.decisions, func(x ident.DecisionNo) bool { return x.Key() == dn.Key() }) {
		u.decisions = append(u.decisions, dn)
	}
}

func (u *Unit) addParty(s string) {
	n := ident.NormaliseParty(s)
	if n != "" && !slices.Contains(u.parties, n) {
		u.parties = append(u.parties, n)
	}
}

func appendUniqueDate(ds []calendar.Date, d calendar.Date) []calendar.Date {
	if slices.Contains(ds, d) {
		return ds
	}
	return append(ds, d)
}

// NotPublicationDate reports whether a declared date came from a place that
// holds some other date: when a document was made (生成日期, 成文日期), a
// page generated (Maketime), a decision taken. Such a date is recorded but
// never taken for the publication date (contracts.md §3).
func NotPublicationDate(from string) bool {
	for _, w := range []string{"生成日期", "成文日期", "Maketime", "maketime", "发文日期", "印发日期", "形成日期", "决定日期", "处罚日期"} {
		if strings.Contains(from, w) {
			return true
		}
	}
	return false
}

// eventDateHeader reports whether a row header holds the date of the event
// the row records (检查日期, 处罚决定日期, insDate) rather than a
// publication, production or validity date.
func eventDateHeader(h string) bool {
	h = normHeader(h)
	if !strings.Contains(h, "日期") && !strings.Contains(h, "时间") && !strings.HasSuffix(h, "Date") {
		return false
	}
	for _, not := range []string{"公示", "公告", "发布", "生产", "截止", "有效", "批号", "public", "Public"} {
		if strings.Contains(h, not) {
			return false
		}
	}
	return true
}

// looksLikeDate is a cheap filter before calendar.ParseDate.
func looksLikeDate(s string) bool {
	if len(s) < 6 || len(s) > 40 {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	return digits >= 6
}

func joinFieldValues(f map[string]string) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(f[k])
		b.WriteByte(' ')
	}
	return b.String()
}

// idTokens returns identifier-like tokens of a text — runs of ASCII letters,
// digits and separators with at least 6 letters and digits, at least 3 of
// them digits — without their separators and upper-cased: 检查编号 JC-2020-015
// gives JC2020015. Full-width forms count as their ASCII twins. Task numbers
// and event ids that a bureau does publish are matched through these.
func idTokens(text string) []string {
	var out []string
	var cur []byte
	digits := 0
	// A long text repeats its tokens (a page listing thousands of rows):
	// each is kept once, callers keep them once anyway.
	var seen map[string]bool
	if len(text) > 4096 {
		seen = map[string]bool{}
	}
	flush := func() {
		if len(cur) >= 6 && digits >= 3 {
			switch {
			case seen == nil:
				out = append(out, string(cur))
			case !seen[string(cur)]:
				t := string(cur)
				seen[t] = true
				out = append(out, t)
			}
		}
		cur, digits = cur[:0], 0
	}
	for i := 0; i < len(text); {
		c := text[i]
		size := 1
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(text[i:])
			size = n
			switch {
			case r >= 0xFF10 && r <= 0xFF19, r >= 0xFF21 && r <= 0xFF3A, r >= 0xFF41 && r <= 0xFF5A:
				c = byte(r - 0xFEE0)
			case r == 0xFF0D || r == 0xFF3F || r == 0xFF0F || r == 0xFF0E:
				c = '-'
			default:
				c = 0
			}
		}
		i += size
		switch {
		case c >= '0' && c <= '9':
			cur = append(cur, c)
			digits++
		case c >= 'A' && c <= 'Z':
			cur = append(cur, c)
		case c >= 'a' && c <= 'z':
			cur = append(cur, c-'a'+'A')
		case c == '-' || c == '_' || c == '/' || c == '.':
			// a separator inside a token
		default:
			flush()
		}
	}
	flush()
	return out
}

// tokenFamily is the shape of an identifier token: its leading letters and
// length (JCJL14052120200003 → JCJL/18). Two tokens of one family on one
// row name two things of the same sort.
func tokenFamily(t string) string {
	i := 0
	for i < len(t) && t[i] >= 'A' && t[i] <= 'Z' {
		i++
	}
	if i == 0 {
		return ""
	}
	return t[:i] + "/" + strconv.Itoa(len(t))
}

// recordToken is idTokens for a record number written by the office: the
// whole number as one token, when it is identifier-like.
func recordToken(recordNo string) string {
	toks := idTokens(recordNo)
	if len(toks) != 1 {
		return ""
	}
	// A purely numeric token shorter than 8 digits is too common to be telling.
	allDigits := strings.Trim(toks[0], "0123456789") == ""
	if allDigits && len(toks[0]) < 8 {
		return ""
	}
	return toks[0]
}

// sheetRows turns an attachment spreadsheet into row disclosures: the header
// row is the first of the first five rows with at least two cells that are
// known headers.
func sheetRows(a gongkai.Attachment, ai int, sh gongkai.Sheet) []gongkai.Disclosure {
	header := -1
	for i := 0; i < len(sh.Rows) && i < 5; i++ {
		known := 0
		for _, c := range sh.Rows[i] {
			h := normHeader(c)
			if partyHeaders[h] || knownHeaders[h] {
				known++
			}
		}
		if known >= 2 {
			header = i
			break
		}
	}
	if header < 0 {
		return nil
	}
	heads := sh.Rows[header]
	var out []gongkai.Disclosure
	for ri := header + 1; ri < len(sh.Rows); ri++ {
		row := sh.Rows[ri]
		f := map[string]string{}
		filled := 0
		for ci, v := range row {
			if ci < len(heads) && strings.TrimSpace(heads[ci]) != "" {
				f[strings.TrimSpace(heads[ci])] = strings.TrimSpace(v)
				if strings.TrimSpace(v) != "" {
					filled++
				}
			}
		}
		if filled < 2 {
			continue
		}
		out = append(out, gongkai.Disclosure{Kind: "sheet-row", Fields: f,
			Ref: a.Name + " " + sh.Name + " 第" + strconv.Itoa(ri+1) + "行"})
	}
	return out
}

var knownHeaders = map[string]bool{}

func init() {
	for _, h := range []string{"序号", "抽样编号", "食品名称", "样品名称", "产品名称", "标称生产企业名称", "生产日期/批号",
		"规格型号", "检验结果", "不合格项目", "检验机构", "决定书文号", "处罚文号", "文书文号", "案件名称", "案由", "违法事实",
		"主要违法事实", "处罚依据", "处罚种类", "处罚内容", "统一社会信用代码", "检查结果", "检查日期", "分类", "公告号"} {
		knownHeaders[normHeader(h)] = true
	}
}
