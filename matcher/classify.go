package matcher

import (
	"fmt"
	"gongkai"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"gongkai/ident"
)

// Classification is the catalogue item a publication was assigned to.
type Classification struct {
	Item   string `json:"item"`             // catalogue code, "" when none
	Kind   string `json:"kind,omitempty"`   // 处罚, 抽检, 检查 …
	Domain string `json:"domain,omitempty"` // 食品, 药品 …
	Reason string `json:"reason"`           // why, in Chinese
	By     string `json:"by"`               // column, rules, record, none
	// Table is set for a publication made of rows (a 案件信息公开表, a
	// sampling notice's spreadsheet): its item is judged by its title.
	Table bool `json:"table,omitempty"`
}

// Limits on how much text classification reads: the first screens of a body
// say what it is about; reading whole attachments would only cost time.
const (
	bodyScanLimit       = 6000
	attachmentScanLimit = 3000
)

// Classify assigns a publication to a catalogue item by the kind × domain
// rules over its title, metadata, body, attachments and rows, restricted to
// the items its column may hold. A kind needs positive evidence in the page
// itself (minBodyEvidence); a column that holds a single item gives that
// item only to a publication showing that item's kind, never by default. A
// publication whose strongest kind maps to no item (工作动态: meetings,
// training) is assigned to none, whatever its column, and so is a note
// about a column (Rules.Notes). Credit-system rows are 处罚 or 检查 by
// their kind.
func (r *Rules) Classify(p *gongkai.Publication) Classification {
	if phrase, ok := r.isNote(p.Title); ok {
		return Classification{Kind: NoteKind, By: "rules",
			Reason: fmt.Sprintf("标题含「%s」，是栏目的说明或指南，不是目录事项的公开信息", phrase)}
	}
	cl := r.getClassifier()
	defer r.classifiers.Put(cl)
	sc := cl.score(p)
	c := r.decide(sc, p.Candidates, p.Column)
	c.Table = sc.rows > 0
	return c
}

// NoItemColumn is the classification of a publication in a column
// configured to hold no catalogue item (items: []: news, notices), kept for
// evidence, mentions and the column's health. The records it carries, if
// any, still settle its item (Resolve).
func NoItemColumn(column string) Classification {
	return Classification{By: "column", Reason: fmt.Sprintf("栏目「%s」配置为不含目录事项（items: []）", column)}
}

// NoteKind is the kind given to explanatory notes and pinned notices.
const NoteKind = "说明"

// minBodyEvidence is how many distinct body words a kind needs when its
// title, metadata and table headers say nothing of it: one or two words in
// passing (发放, 现场) are how any news story reads.
const minBodyEvidence = 3

// isNote reports whether a title is a note about a column, and the phrase
// that shows it.
func (r *Rules) isNote(title string) (string, bool) {
	t := noteTitle(ident.Fold(title))
	if t == "" {
		return "", false
	}
	for _, x := range r.Notes.Except {
		if strings.Contains(t, x) {
			return "", false
		}
	}
	for _, w := range r.Notes.Title {
		if w != "" && strings.Contains(t, w) {
			return w, true
		}
	}
	for _, w := range r.Notes.TitleEnd {
		if w != "" && strings.HasSuffix(t, w) {
			return w, true
		}
	}
	return "", false
}

// noteTitle trims a title for the notes rule: spaces, closing punctuation
// and bracketed remarks at either end (【置顶】, （2020年修订）).
func noteTitle(t string) string {
	for range 4 {
		t = strings.TrimSpace(strings.TrimRight(t, "。.！!　 "))
		cut := false
		for _, b := range [][2]string{{"（", "）"}, {"(", ")"}, {"【", "】"}, {"[", "]"}} {
			if strings.HasSuffix(t, b[1]) {
				if i := strings.LastIndex(t, b[0]); i > 0 && utf8.RuneCountInString(t[i:]) <= 20 {
					t, cut = t[:i], true
				}
			}
			if strings.HasPrefix(t, b[0]) {
				if i := strings.Index(t, b[1]); i > 0 && i+len(b[1]) < len(t) && utf8.RuneCountInString(t[:i]) <= 10 {
					t, cut = t[i+len(b[1]):], true
				}
			}
		}
		if !cut {
			break
		}
	}
	return t
}

// scores are the evidence counted over one publication.
type scores struct {
	kind []int
	// kindStrong: the kind was seen in the title, metadata, table headers
	// or the row type, not only in body text.
	kindStrong []bool
	kindWord   []string // the strongest word seen for each kind
	kindWhere  []string
	domain     []int
	domWord    []string
	forced     string // kind forced by the row type (credit system)
	rows       int    // row disclosures (a table or spreadsheet of many cases)
}

// classifier is the scratch state of one classification. Classifiers are
// pooled per rule set: a province is 300,000 publications, and allocating
// the score tables and feeds for each was a tenth of a report's garbage
// (BenchmarkClassify measures it: about half again the time unpooled).
type classifier struct {
	r         *Rules
	sc        scores
	feeds     [3]feed // whereTitle, whereMeta, whereBody
	keys      []string
	rawFields []string // row headers seen, as written
	fieldKeys []string // and normalised
}

func (r *Rules) getClassifier() *classifier {
	if cl, ok := r.classifiers.Get().(*classifier); ok {
		return cl
	}
	cl := &classifier{r: r, sc: scores{
		kind: make([]int, len(r.Kinds)), kindStrong: make([]bool, len(r.Kinds)), kindWord: make([]string, len(r.Kinds)), kindWhere: make([]string, len(r.Kinds)),
		domain: make([]int, len(r.Domains)), domWord: make([]string, len(r.Domains)),
	}}
	for where := range cl.feeds {
		cl.feeds[where] = feed{r: r, sc: &cl.sc, where: where, kindSeen: make([][]int32, len(r.Kinds)), domCount: make([]int, len(r.Domains))}
	}
	return cl
}

// reset clears the scores and feeds for the next publication.
func (cl *classifier) reset() {
	sc := &cl.sc
	clear(sc.kind)
	clear(sc.kindStrong)
	clear(sc.kindWord)
	clear(sc.kindWhere)
	clear(sc.domain)
	clear(sc.domWord)
	sc.forced, sc.rows = "", 0
	for i := range cl.feeds {
		f := &cl.feeds[i]
		for k := range f.kindSeen {
			f.kindSeen[k] = f.kindSeen[k][:0]
		}
		clear(f.domCount)
		f.domains = true
	}
	cl.keys, cl.rawFields, cl.fieldKeys = cl.keys[:0], cl.rawFields[:0], cl.fieldKeys[:0]
}

func (cl *classifier) score(p *gongkai.Publication) *scores {
	cl.reset()
	r, sc := cl.r, &cl.sc
	for _, d := range p.Disclosures {
		switch d.Kind {
		case "table-row", "sheet-row":
			sc.rows++
		case "credit-punishment":
			sc.forced = "处罚"
		case "credit-inspection":
			sc.forced = "检查"
		}
	}
	title := &cl.feeds[whereTitle]
	title.add(ident.Fold(p.Title))
	meta := &cl.feeds[whereMeta]
	keys := cl.keys
	for k := range p.Metadata {
		if !isDateLabel(k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	cl.keys = keys
	for _, k := range keys {
		meta.add(p.Metadata[k])
	}
	for _, a := range p.Attachments {
		meta.add(a.Name)
	}
	// A table of cases has no single domain in its body: its title decides,
	// else the kind's default item.
	body := &cl.feeds[whereBody]
	body.domains = sc.rows == 0
	body.add(capRunes(p.Body, bodyScanLimit))
	for _, a := range p.Attachments {
		body.add(capRunes(a.Text, attachmentScanLimit))
		n := 0
		for _, sh := range a.Sheets {
			body.add(sh.Name)
			for _, row := range sh.Rows {
				if n > 20 {
					break
				}
				for _, c := range row {
					body.add(c)
				}
				n++
			}
		}
	}
	for i, d := range p.Disclosures {
		for k, v := range d.Fields {
			// The rows of one table share their headers: normalise each
			// once.
			if !slices.Contains(cl.rawFields, k) {
				cl.rawFields = append(cl.rawFields, k)
				if h := normHeader(k); !slices.Contains(cl.fieldKeys, h) {
					cl.fieldKeys = append(cl.fieldKeys, h)
				}
			}
			if i < 20 {
				body.add(v)
			}
		}
		if i < 20 && d.Text != "" && d.Text != p.Body {
			body.add(capRunes(d.Text, 500))
		}
		if i < 5 {
			// Party names tell the domain of an inspection (XX大药房).
			for _, pt := range d.Parties {
				body.add(pt)
			}
		}
	}
	if len(cl.fieldKeys) > 0 {
		for ki, k := range r.Kinds {
			n := 0
			for fi, f := range r.kindFields[ki] {
				if slices.Contains(cl.fieldKeys, f) {
					n++
					if sc.kindWord[ki] == "" {
						sc.kindWord[ki], sc.kindWhere[ki] = k.Fields[fi], "表头"
					}
				}
			}
			sc.kind[ki] += 2 * min(n, 3)
			sc.kindStrong[ki] = sc.kindStrong[ki] || n > 0
		}
	}
	if sc.forced != "" {
		if ki := r.kindIndex(sc.forced); ki >= 0 {
			sc.kind[ki] += 100
			sc.kindStrong[ki] = true
			sc.kindWord[ki], sc.kindWhere[ki] = sc.forced, "信用公示系统栏目"
		}
	}
	return sc
}

// Weights: a title word is strong evidence, metadata medium, body weak and
// capped so that a long body cannot outvote its title. A domain's product
// word counts three times a venue word.
var (
	kindWeight    = [...]int{whereTitle: 4, whereMeta: 2, whereBody: 1}
	kindCap       = [...]int{whereTitle: 3, whereMeta: 2, whereBody: 4}
	productWeight = [...]int{whereTitle: 12, whereMeta: 6, whereBody: 3}
	venueWeight   = [...]int{whereTitle: 2, whereMeta: 1, whereBody: 1}
	domainCap     = [...]int{whereTitle: 4, whereMeta: 3, whereBody: 8}
	whereName     = [...]string{whereTitle: "标题", whereMeta: "元数据/附件名", whereBody: "正文"}
)

// feed counts the words of one place (title, metadata or body) of a
// publication, over as many pieces of text as it has.
type feed struct {
	r        *Rules
	sc       *scores
	where    int
	domains  bool
	kindSeen [][]int32 // per kind, the distinct words already counted
	domCount []int
	hits     []hit // scratch
	domHits  []hit
	ignored  [][2]int
}

func (f *feed) add(text string) {
	if text == "" {
		return
	}
	r, sc, where := f.r, f.sc, f.where
	f.hits, f.domHits, f.ignored = f.hits[:0], f.domHits[:0], f.ignored[:0]
	r.scanner.scan(text, func(h hit) {
		ref := r.words[h.word]
		switch {
		case ref.ignore:
			f.ignored = append(f.ignored, [2]int{h.start, h.end})
		case ref.kind >= 0:
			f.hits = append(f.hits, h)
		case ref.domain >= 0 && f.domains:
			f.domHits = append(f.domHits, h)
		}
	})
	words := r.wordList
	for _, h := range f.hits {
		ref := r.words[h.word]
		if ref.where != where {
			// Title words also count in metadata (文号 罚字) but a body
			// word seen in a title is still only a body word's worth.
			if !(where == whereMeta && ref.where == whereTitle) {
				continue
			}
		}
		seen := f.kindSeen[ref.kind]
		dup := false
		for _, w := range seen {
			if words[w] == words[h.word] {
				dup = true
				break
			}
		}
		if dup || len(seen) >= kindCap[where] {
			continue
		}
		f.kindSeen[ref.kind] = append(seen, h.word)
		sc.kind[ref.kind] += kindWeight[where]
		sc.kindStrong[ref.kind] = sc.kindStrong[ref.kind] || where != whereBody
		if sc.kindWord[ref.kind] == "" {
			sc.kindWord[ref.kind], sc.kindWhere[ref.kind] = words[h.word], whereName[where]
		}
	}
	for _, h := range f.domHits {
		ref := r.words[h.word]
		if inside(f.ignored, h) || nestedInOtherDomain(r, f.domHits, h) || f.domCount[ref.domain] >= domainCap[where] {
			continue
		}
		f.domCount[ref.domain]++
		if ref.venue {
			sc.domain[ref.domain] += venueWeight[where]
		} else {
			sc.domain[ref.domain] += productWeight[where]
		}
		if sc.domWord[ref.domain] == "" {
			sc.domWord[ref.domain] = whereName[where] + "「" + words[h.word] + "」"
		}
	}
}

// nestedInOtherDomain reports whether a domain word lies inside a longer
// word of another domain (食品 in 保健食品).
func nestedInOtherDomain(r *Rules, hits []hit, h hit) bool {
	d := r.words[h.word].domain
	for _, o := range hits {
		if r.words[o.word].domain != d && o.start <= h.start && o.end >= h.end && o.end-o.start > h.end-h.start {
			return true
		}
	}
	return false
}

func inside(spans [][2]int, h hit) bool {
	for _, s := range spans {
		if h.start >= s[0] && h.end <= s[1] {
			return true
		}
	}
	return false
}

// kindOfItem is the kind the items table maps to an item ("" if none).
func (r *Rules) kindOfItem(item string) string {
	return r.kindByItem[item]
}

func (r *Rules) kindIndex(name string) int {
	return slices.IndexFunc(r.Kinds, func(k Kind) bool { return k.Name == name })
}

func (r *Rules) domainIndex(name string) int {
	return slices.IndexFunc(r.Domains, func(d Domain) bool { return d.Name == name })
}

// decide turns scores into an item among the candidates (all items when the
// column declares none).
func (r *Rules) decide(sc *scores, candidates []string, column string) Classification {
	allowed := func(item string) bool { return len(candidates) == 0 || slices.Contains(candidates, item) }
	hasItems := func(kind string, onlyAllowed bool) bool {
		return slices.ContainsFunc(r.Items, func(it ItemRule) bool { return it.Kind == kind && (!onlyAllowed || allowed(it.Item)) })
	}
	// why says where the kind's strongest word was seen.
	why := func(ki int) string {
		return fmt.Sprintf("%s含「%s」→%s", sc.kindWhere[ki], sc.kindWord[ki], r.Kinds[ki].Name)
	}
	// The strongest kind overall: one that maps to no item (工作动态)
	// makes the publication belong to none.
	top, topScore := -1, 0
	for ki := range r.Kinds {
		if sc.kind[ki] > topScore {
			top, topScore = ki, sc.kind[ki]
		}
	}
	if top >= 0 && !hasItems(r.Kinds[top].Name, false) {
		return Classification{Kind: r.Kinds[top].Name, By: "rules", Reason: why(top) + "，不属于目录事项"}
	}
	bestKind, bestScore := -1, 0
	for ki := range r.Kinds {
		if sc.kind[ki] > bestScore && hasItems(r.Kinds[ki].Name, true) {
			bestKind, bestScore = ki, sc.kind[ki]
		}
	}
	if bestKind >= 0 && !sc.kindStrong[bestKind] && sc.kind[bestKind] < minBodyEvidence {
		// A word or two in passing is no evidence of an item, least of all
		// in a column that may hold only that item.
		return Classification{By: "none", Reason: fmt.Sprintf("%s，但标题、元数据和表头均未提及，正文关键词不足 %d 个，不归入目录事项", why(bestKind), minBodyEvidence)}
	}
	if bestKind < 0 {
		reason := "标题、元数据和正文中未见可归入目录事项的关键词"
		if top >= 0 {
			reason = fmt.Sprintf("%s，但栏目「%s」不含该类事项", why(top), column)
		}
		return Classification{By: "none", Reason: reason}
	}
	kind := r.Kinds[bestKind].Name
	if len(candidates) == 1 {
		return Classification{Item: candidates[0], Kind: kind, By: "column",
			Reason: fmt.Sprintf("栏目「%s」只含事项 %s；%s", column, candidates[0], why(bestKind))}
	}
	var chosen, fallback *ItemRule
	bestDom, domScore := -1, 0
	for i := range r.Items {
		it := &r.Items[i]
		if it.Kind != kind || !allowed(it.Item) {
			continue
		}
		if it.Domain == "" {
			if chosen == nil && bestDom < 0 {
				chosen = it
			}
			continue
		}
		if fallback == nil || (it.Default && !fallback.Default) {
			fallback = it
		}
		di := r.domainIndex(it.Domain)
		// Equal scores go to the domain listed first (the more specific).
		if di >= 0 && sc.domain[di] > 0 && (sc.domain[di] > domScore || sc.domain[di] == domScore && di < bestDom) {
			bestDom, domScore = di, sc.domain[di]
			chosen = it
		}
	}
	c := Classification{Kind: kind, By: "rules"}
	switch {
	case bestDom >= 0:
		c.Item, c.Domain = chosen.Item, chosen.Domain
		c.Reason = fmt.Sprintf("%s；%s→%s ⇒ %s", why(bestKind), sc.domWord[bestDom], chosen.Domain, c.Item)
	case chosen != nil:
		c.Item = chosen.Item
		c.Reason = why(bestKind) + " ⇒ " + c.Item
	case fallback != nil:
		c.Item, c.Domain = fallback.Item, fallback.Domain
		c.Reason = why(bestKind) + "；未见领域关键词，按" + fallback.Domain + " ⇒ " + c.Item
	default:
		return Classification{By: "none", Reason: why(bestKind) + "，但栏目不含该类事项"}
	}
	return c
}

// Resolve settles a publication's item once the expected records it
// carries are known (items: record item → how many of its records). The
// records' item wins over the content rules: a decision number is better
// evidence than a keyword. A publication carrying records of several items
// (a 案件信息公开表 of food and drug cases) keeps its content item when that
// is one of them, else takes the kind's default item if present, else the
// most frequent.
func (r *Rules) Resolve(cls Classification, items map[string]int) Classification {
	if len(items) == 0 {
		return cls
	}
	if _, ok := items[cls.Item]; ok {
		return cls
	}
	// A table of cases keeps the item its title gives while its records
	// are all of the same kind (a penalty table listing only cosmetics cases
	// this month is still the bureau's penalty table).
	if cls.Table && cls.Item != "" && cls.Kind != "" {
		same := true
		for it := range items {
			if r.kindOfItem(it) != cls.Kind {
				same = false
			}
		}
		if same {
			return cls
		}
	}
	best, n := "", 0
	if len(items) > 1 {
		for _, it := range r.Items {
			if it.Default && items[it.Item] > 0 && (cls.Kind == "" || it.Kind == cls.Kind) {
				best, n = it.Item, items[it.Item]
				break
			}
		}
	}
	if best == "" {
		keys := make([]string, 0, len(items))
		for k := range items {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if items[k] > n {
				best, n = k, items[k]
			}
		}
	}
	was := cls.Item
	if was == "" {
		was = "未归类"
	}
	return Classification{Item: best, Kind: cls.Kind, Domain: cls.Domain, By: "record", Table: cls.Table,
		Reason: fmt.Sprintf("含 %d 条事项 %s 的应公开记录（按内容规则：%s）", n, best, was)}
}

// isDateLabel reports whether a metadata key holds a date (not a classifier's business).
func isDateLabel(k string) bool {
	return strings.Contains(k, "日期") || strings.Contains(k, "时间") || strings.EqualFold(k, "PubDate") || strings.EqualFold(k, "Maketime")
}

func capRunes(s string, n int) string {
	if len(s) <= n*3 {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
