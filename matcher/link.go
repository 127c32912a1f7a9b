package matcher

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/records"
	"gongkai/store"
)

// Match is one unit that discloses a record, with how sure the link is.
type Match struct {
	Unit   *Unit
	Score  int
	By     string // the evidence, in Chinese: 决定书文号 泽市监罚〔2020〕12号
	Strong bool   // an identifier only this record carries (decision, sampling or task number)
}

// Link is what the linker found for one record on one channel.
type Link struct {
	Record  int // index into the records given to Link
	Channel catalogue.Channel
	// Matches: for a strong link, every unit that carries the record's
	// identifier (the same decision on its own page and in a summary
	// table); for a weak link, the unit assigned to the record, followed by
	// the rivals that scored the same when Ambiguous.
	Matches   []Match
	Ambiguous bool
	// Near is, for a record found nowhere, the closest candidate that fell
	// short of a link (a similar title, a matching name on a later page):
	// worth a human look, never taken as the disclosure.
	Near *Match
}

// Scores of the evidence. An identifier the record alone carries is
// conclusive; names, credit codes, titles and dates add up, and a weak link
// needs WeakThreshold and either an entity or a title to stand on.
const (
	scoreDecision = 100
	scoreSampling = 100
	scoreToken    = 90

	scoreUSCC        = 40
	scoreParty       = 30
	scoreMaskedParty = 20
	scoreSameItem    = 20
	scoreSameKind    = 5
	scoreSameDate    = 30
	titleWeight      = 50 // × similarity
	minTitleSim      = 0.5
	nearTitleSim     = 0.3
	crossItemSim     = 0.8 // a title this close links even across classified items

	// WeakThreshold is the least score a weak link needs.
	WeakThreshold = 45
	// WeakWindowDays bounds how long after its forming a record can be
	// disclosed and still be recognised by name and date alone.
	WeakWindowDays = 180
	// maxPosting skips title bigrams too common to select candidates;
	// maxGrams is how many of a record's rarest bigrams select them.
	maxPosting = 400
	maxGrams   = 12
)

// Linker indexes units by every key a record can be found by; Link then
// looks each record up by its keys instead of comparing it with every unit.
type Linker struct {
	rules      *Rules
	units      []*Unit
	byDecision map[chanKey][]*Unit // decision key
	bySampling map[chanKey][]*Unit // sampling number
	byToken    map[chanKey][]*Unit // identifier token
	byUSCC     map[chanKey][]*Unit // credit code
	byParty    map[chanKey][]*Unit // normalised party
	byMasked   map[chanKey][]*Unit // first character of a masked party
	grams      map[gramGroup]*gramIndex
	hasRows    map[*store.Publication]bool
	near       map[int]Match // per link being built: the closest rejected candidate

	// Scratch of weakCandidates: a unit is in the current pool when its
	// mark is the current call's, and counted in touched.
	call    uint32
	touched []*Unit
	pool    []*Unit
}

// NewLinker returns an empty linker; the rules say which items are of one
// kind (nil = built-in rules).
func NewLinker(rules *Rules) *Linker {
	if rules == nil {
		rules = DefaultRules()
	}
	return &Linker{rules: rules,
		byDecision: map[chanKey][]*Unit{}, bySampling: map[chanKey][]*Unit{}, byToken: map[chanKey][]*Unit{},
		byUSCC: map[chanKey][]*Unit{}, byParty: map[chanKey][]*Unit{}, byMasked: map[chanKey][]*Unit{},
		grams: map[gramGroup]*gramIndex{}, hasRows: map[*store.Publication]bool{},
	}
}

// Add indexes units.
func (l *Linker) Add(units ...*Unit) {
	for _, u := range units {
		l.units = append(l.units, u)
		if u.IsRow() {
			l.hasRows[u.Pub] = true
		}
		ch := u.Pub.Channel
		add := func(m map[chanKey][]*Unit, k string) {
			key := chanKey{ch, k}
			m[key] = append(m[key], u)
		}
		for _, d := range u.decisions {
			add(l.byDecision, d.Key())
		}
		for _, s := range u.sampling {
			add(l.bySampling, s)
		}
		for _, t := range u.tokens {
			add(l.byToken, t)
		}
		for _, c := range u.usccs {
			add(l.byUSCC, c)
		}
		for _, p := range u.parties {
			if r := []rune(p); slices.Contains(r, '*') {
				if r[0] != '*' {
					add(l.byMasked, string(r[0]))
				}
			} else {
				add(l.byParty, p)
			}
		}
	}
}

// chanKey indexes units by a key on a channel.
type chanKey struct {
	ch catalogue.Channel
	k  string
}

// gramGroup names a title-bigram index: the units of a channel classified
// to one catalogue group ('1', '2' … the first character of the item), or
// to no item (group 0). A record of a group is looked up among the units
// of its group and those of no item.
type gramGroup struct {
	ch    catalogue.Channel
	group byte
}

func groupOf(item string) byte {
	if item == "" {
		return 0
	}
	return item[0]
}

// gramIndex maps a title bigram to the units carrying it: every bigram's
// units are one span of a flat array (two passes over the units instead of
// a growing slice per bigram).
type gramIndex struct {
	spans map[uint64]gramSpan
	units []*Unit
}

type gramSpan struct{ start, end int32 }

func (ix *gramIndex) posting(g uint64) []*Unit {
	if ix == nil {
		return nil
	}
	sp := ix.spans[g]
	return ix.units[sp.start:sp.end]
}

// gramIndexOf returns the bigram index of a group, built the first time a
// record of the group needs it. Only records that name no enterprise
// (events, warnings) are looked up by title, so most units are never read
// for their bigrams.
func (l *Linker) gramIndexOf(ch catalogue.Channel, group byte) *gramIndex {
	key := gramGroup{ch, group}
	if ix, ok := l.grams[key]; ok {
		return ix
	}
	var members []*Unit
	n := 0
	for _, u := range l.units {
		if u.Pub.Channel == ch && groupOf(u.Class.Item) == group {
			members = append(members, u)
			n += len(u.Grams())
		}
	}
	ix := &gramIndex{spans: make(map[uint64]gramSpan, n/2), units: make([]*Unit, n)}
	for _, u := range members {
		for _, g := range u.Grams() {
			sp := ix.spans[g]
			sp.end++
			ix.spans[g] = sp
		}
	}
	next := int32(0)
	for g, sp := range ix.spans {
		ix.spans[g] = gramSpan{next, next}
		next += sp.end
	}
	for _, u := range members {
		for _, g := range u.Grams() {
			sp := ix.spans[g]
			ix.units[sp.end] = u
			sp.end++
			ix.spans[g] = sp
		}
	}
	l.grams[key] = ix
	return ix
}

// Units returns every indexed unit.
func (l *Linker) Units() []*Unit { return l.units }

// recordKeys are a record's keys, computed once.
type recordKeys struct {
	decision string
	sampling []string
	token    string
	uscc     string
	party    string
	grams    []uint64
}

func keysOf(r *records.Record) recordKeys {
	var k recordKeys
	if d, ok := ident.ParseDecisionNo(r.RecordNo); ok {
		k.decision = d.Key()
	} else if ds := ident.FindDecisionNos(r.RecordNo); len(ds) == 1 {
		k.decision = ds[0].Key()
	}
	k.sampling = ident.FindSamplingNos(r.RecordNo)
	if k.decision == "" && len(k.sampling) == 0 {
		k.token = recordToken(r.RecordNo)
	}
	k.uscc = r.USCC
	if r.Party != "" {
		k.party = ident.NormaliseParty(r.Party)
	}
	if r.Title != "" {
		k.grams = titleGrams(r.Title)
	}
	return k
}

type weakCand struct {
	link  int // index into links
	unit  *Unit
	score int
	by    string
	dist  int // days between forming and publication, for tie-breaking
}

// Link finds the disclosures of each record on each of its channels
// (channels[i] for recs[i]). Records identified by a decision, sampling or
// task number are linked by that key; when the key is nowhere on the
// channel, only units that carry no number of that sort (a page that left
// the decision number out) may still be linked by the weaker evidence.
// Other records are linked by credit code, party, title and date within the
// same county's units, each unit going to at most one record, best score
// first; equal best scores across different publications are ambiguous.
func (l *Linker) Link(recs []records.Record, channels [][]catalogue.Channel) []Link {
	var links []Link
	var weak []weakCand
	l.near = map[int]Match{}
	keys := make([]recordKeys, len(recs))
	for i := range recs {
		keys[i] = keysOf(&recs[i])
	}
	for i := range recs {
		r := &recs[i]
		k := keys[i]
		for _, ch := range channels[i] {
			li := len(links)
			links = append(links, Link{Record: i, Channel: ch})
			var strong []Match
			switch {
			case k.decision != "":
				for _, u := range l.byDecision[chanKey{ch, k.decision}] {
					strong = append(strong, Match{Unit: u, Score: scoreDecision, Strong: true, By: "决定书文号 " + k.decision})
				}
			case len(k.sampling) > 0:
				for _, s := range k.sampling {
					for _, u := range l.bySampling[chanKey{ch, s}] {
						if !slices.ContainsFunc(strong, func(m Match) bool { return m.Unit == u }) {
							strong = append(strong, Match{Unit: u, Score: scoreSampling, Strong: true, By: "抽样编号 " + s})
						}
					}
				}
			case k.token != "":
				for _, u := range l.byToken[chanKey{ch, k.token}] {
					strong = append(strong, Match{Unit: u, Score: scoreToken, Strong: true, By: "编号 " + r.RecordNo})
				}
			}
			if len(strong) > 0 {
				links[li].Matches = strong
				continue
			}
			weak = append(weak, l.weakCandidates(li, r, k, ch)...)
		}
	}
	l.assign(links, weak)
	for li, m := range l.near {
		if len(links[li].Matches) == 0 {
			links[li].Near = &m
		}
	}
	return links
}

// weakCandidates scores the units that share a credit code, party or title
// words with the record.
func (l *Linker) weakCandidates(li int, r *records.Record, k recordKeys, ch catalogue.Channel) []weakCand {
	l.call++
	pool := l.pool[:0]
	addAll := func(us []*Unit) {
		for _, u := range us {
			if u.poolCall != l.call {
				u.poolCall = l.call
				pool = append(pool, u)
			}
		}
	}
	if k.uscc != "" {
		addAll(l.byUSCC[chanKey{ch, k.uscc}])
	}
	if k.party != "" {
		addAll(l.byParty[chanKey{ch, k.party}])
		if rs := []rune(k.party); len(rs) > 0 {
			addAll(l.byMasked[chanKey{ch, string(rs[0])}])
		}
	}
	// Title words select candidates only for a record that names no
	// enterprise found on the channel (events, warnings): the rarest of its
	// bigrams, a unit sharing a third of them.
	if len(pool) == 0 && len(k.grams) > 0 {
		// A posting is the units of the record's group carrying a bigram,
		// then those of no item.
		type posting struct{ group, none []*Unit }
		size := func(p posting) int { return len(p.group) + len(p.none) }
		var lists []posting
		var inGroup *gramIndex
		group := groupOf(r.Item)
		if group != 0 {
			inGroup = l.gramIndexOf(ch, group)
		}
		noItem := l.gramIndexOf(ch, 0)
		for _, g := range k.grams {
			if post := (posting{inGroup.posting(g), noItem.posting(g)}); size(post) > 0 && size(post) <= maxPosting {
				lists = append(lists, post)
			}
		}
		slices.SortFunc(lists, func(a, b posting) int { return size(a) - size(b) })
		if len(lists) > maxGrams {
			lists = lists[:maxGrams]
		}
		touched := l.touched[:0]
		for _, p := range lists {
			for _, part := range [2][]*Unit{p.group, p.none} {
				for _, u := range part {
					if u.countCall != l.call {
						u.countCall, u.count = l.call, 0
						touched = append(touched, u)
					}
					u.count++
				}
			}
		}
		l.touched = touched
		need := max(1, len(lists)/3)
		for _, u := range touched {
			if u.count >= need && u.poolCall != l.call {
				u.poolCall = l.call
				pool = append(pool, u)
			}
		}
		// Candidates are ranked by score and then by this order, which
		// must not depend on the order of the indexes.
		slices.SortFunc(pool, func(a, b *Unit) int {
			if c := strings.Compare(a.Pub.URL, b.Pub.URL); c != 0 {
				return c
			}
			if a.Index != b.Index {
				return a.Index - b.Index
			}
			return strings.Compare(a.Disc.Ref, b.Disc.Ref)
		})
	}
	l.pool = pool
	var out []weakCand
	var nearest weakCand
	hasNearest := false
	for _, u := range pool {
		// A publication made of rows discloses through its rows: when
		// none of them is the record's, the page around them is not either.
		if !u.IsRow() && l.hasRows[u.Pub] {
			continue
		}
		c, verdict := l.scoreWeak(r, k, u, ch)
		c.link = li
		switch verdict {
		case accepted:
			out = append(out, c)
		case near:
			if !hasNearest || c.score > nearest.score {
				nearest, hasNearest = c, true
			}
		}
	}
	if hasNearest {
		l.near[li] = Match{Unit: nearest.unit, Score: nearest.score, By: nearest.by}
	}
	return out
}

// Verdicts of scoreWeak.
const (
	rejected = iota
	near     // plausible but below the threshold: shown to the auditor, never linked
	accepted
)

func (l *Linker) scoreWeak(r *records.Record, k recordKeys, u *Unit, ch catalogue.Channel) (weakCand, int) {
	c := weakCand{unit: u}
	// A unit that names another enterprise is about another enterprise;
	// one that carries another decision or sampling number is another case
	// (the record's own number was looked up first and not found).
	if k.uscc != "" && len(u.usccs) > 0 && !slices.Contains(u.usccs, k.uscc) {
		return c, rejected
	}
	if k.decision != "" && len(u.decisions) > 0 || len(k.sampling) > 0 && len(u.sampling) > 0 {
		return c, rejected
	}
	if k.token != "" {
		fam := tokenFamily(k.token)
		if fam != "" && slices.ContainsFunc(u.tokens, func(t string) bool { return tokenFamily(t) == fam }) {
			return c, rejected // names another inspection, task or event of the same series
		}
	}
	// A row dated with its event (检查日期, 处罚决定日期) records the event
	// of that day, not of another.
	if u.IsRow() && len(u.dates) > 0 && !slices.Contains(u.dates, r.FormedOn) {
		return c, rejected
	}
	// Dates: never before forming, not long after.
	if !u.Published.IsZero() {
		if u.Published < r.FormedOn || u.Published > r.FormedOn.AddDays(WeakWindowDays) {
			return c, rejected
		}
		c.dist = int(u.Published - r.FormedOn)
	} else {
		c.dist = WeakWindowDays + 1
	}
	var why []string
	entity := false
	switch {
	case k.uscc != "" && slices.Contains(u.usccs, k.uscc):
		c.score += scoreUSCC
		entity = true
		why = append(why, "统一社会信用代码")
	case k.party != "" && slices.Contains(u.parties, k.party):
		c.score += scoreParty
		entity = true
		why = append(why, "当事人名称")
	case k.party != "" && slices.ContainsFunc(u.parties, func(p string) bool { return ident.PartyMatches(p, k.party) }):
		c.score += scoreMaskedParty
		entity = true
		why = append(why, "当事人名称（部分隐去）")
	}
	sim := 0.0
	if len(k.grams) > 0 {
		sim = similarity(k.grams, u.Grams())
		if sim >= minTitleSim {
			c.score += int(titleWeight * sim)
			why = append(why, fmt.Sprintf("名称相似度%.2f", sim))
		}
	}
	if !entity && sim < minTitleSim {
		if sim >= nearTitleSim && l.sameKind(u.Class.Item, r.Item) {
			c.score, c.by = int(100*sim), fmt.Sprintf("名称相似度%.2f", sim)
			return c, near
		}
		return c, rejected
	}
	switch {
	case u.Class.Item == r.Item:
		c.score += scoreSameItem
	case l.sameKind(u.Class.Item, r.Item):
		c.score += scoreSameKind
	case ch == catalogue.Credit && sameGroup(u.Class.Item, r.Item):
		// The credit system files inspections and samplings alike as
		// 抽查检查结果: within the group is as close as it can tell.
		c.score += scoreSameKind
	case sim >= crossItemSim:
	default:
		return c, rejected
	}
	// Closer after forming is likelier (an annual event's page of this
	// year rather than of next year): up to 10 points within 100 days.
	if !u.Published.IsZero() {
		c.score += max(0, 10-c.dist/10)
	}
	if slices.Contains(u.dates, r.FormedOn) {
		c.score += scoreSameDate
		why = append(why, "日期 "+r.FormedOn.String())
	}
	c.by = joinWhy(why)
	if c.score < WeakThreshold {
		return c, near
	}
	return c, accepted
}

// sameKind reports whether two items are of one kind (2.1 and 2.3 are both
// 处罚; 1.1 is 检查 but 1.3 抽检).
func (l *Linker) sameKind(a, b string) bool {
	ka := l.rules.kindOfItem(a)
	return ka != "" && ka == l.rules.kindOfItem(b)
}

func sameGroup(a, b string) bool {
	return a != "" && b != "" && a[0] == b[0]
}

func joinWhy(w []string) string {
	s := ""
	for i, x := range w {
		if i > 0 {
			s += "+"
		}
		s += x
	}
	return s
}

// assign gives each unit to at most one record, best score first (then the
// publication closest after forming), and marks ties across different
// publications as ambiguous.
func (l *Linker) assign(links []Link, weak []weakCand) {
	sort.SliceStable(weak, func(i, j int) bool {
		if weak[i].score != weak[j].score {
			return weak[i].score > weak[j].score
		}
		return weak[i].dist < weak[j].dist
	})
	unitTaken := map[*Unit]int{} // unit → score it was taken with
	done := make([]bool, len(links))
	best := make([]int, len(links))
	for _, c := range weak {
		if done[c.link] {
			continue
		}
		if _, taken := unitTaken[c.unit]; taken {
			continue
		}
		done[c.link] = true
		unitTaken[c.unit] = c.score
		best[c.link] = c.score
		links[c.link].Matches = []Match{{Unit: c.unit, Score: c.score, By: c.by}}
	}
	// Rivals: equally good units of other publications that no better
	// claim took.
	for _, c := range weak {
		if !done[c.link] || c.score != best[c.link] {
			continue
		}
		first := links[c.link].Matches[0]
		if c.unit == first.Unit || c.unit.Pub == first.Unit.Pub {
			continue
		}
		if s, taken := unitTaken[c.unit]; taken && s > c.score {
			continue
		}
		if slices.ContainsFunc(links[c.link].Matches, func(m Match) bool { return m.Unit == c.unit }) {
			continue
		}
		links[c.link].Matches = append(links[c.link].Matches, Match{Unit: c.unit, Score: c.score, By: c.by})
		links[c.link].Ambiguous = true
	}
}
