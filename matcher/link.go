package matcher

import (
	"cmp"
	"fmt"
	"gongkai"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/records"
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
	// Interchangeable lists, for a weak link, the other records (indices
	// into the records given to Link) that the same evidence fits exactly
	// as well — records of one name, or of one enterprise and day, whose
	// disclosures cannot be told apart. Such records share their
	// candidates: in order of forming, each takes the earliest published
	// candidate left (the pairing that makes none of them late without
	// proof); one left without a candidate was perhaps published as the
	// one a rival took, and must not be called missing.
	Interchangeable []int
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
	// WeakWindowDays is how long after its forming a record is usually
	// disclosed: within it, name and date evidence links as scored.
	WeakWindowDays = 180
	// MaxWeakDays bounds how long after its forming a record can be
	// disclosed and still be recognised without a number: beyond
	// WeakWindowDays a unit needs the record's own item and a title at
	// least crossItemSim alike (or the record's day), and no other year in
	// its title — a very late publication is late, not missing.
	MaxWeakDays = 2 * 365
	// maxPosting skips title bigrams too common to select candidates;
	// maxGrams is how many of a record's rarest bigrams select them.
	maxPosting = 400
	maxGrams   = 12
)

// Linker indexes units by every key a record can be found by; Link then
// looks each record up by its keys instead of comparing it with every unit.
type Linker struct {
	rules      *Rules
	byDecision map[chanKey][]*Unit     // decision key
	bySampling map[chanKey][]*Unit     // sampling number
	byToken    map[chanKey][]*Unit     // identifier token
	byUSCC     map[chanKey][]*Unit     // credit code
	byParty    map[chanKey][]*Unit     // normalised party
	byMasked   map[chanKey][]*Unit     // first character of a masked party
	grams      map[gramGroup]gramIndex // built by the Link call that needs them
	members    map[gramGroup][]*Unit   // units of each bigram index, in the order added
	wanted     map[uint64]bool         // the bigrams of the titles this Link call may look up
	hasRows    map[*gongkai.Publication]bool
	near       map[int]Match // per link being built: the closest rejected candidate

	// Due, when set, gives a record's due date (zero if unknown). It lets
	// records that the same evidence fits equally be paired so that as
	// many as possible are on time (pairInterchangeable); without it they
	// are paired in order of forming.
	Due func(r *records.Record) calendar.Date
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
		grams: map[gramGroup]gramIndex{}, members: map[gramGroup][]*Unit{}, hasRows: map[*gongkai.Publication]bool{},
	}
}

// Add indexes units.
func (l *Linker) Add(units ...*Unit) {
	for _, u := range units {
		if u.IsRow() {
			l.hasRows[u.Pub] = true
		}
		ch := u.Pub.Channel
		g := gramGroup{ch, groupOf(u.Class.Item)}
		l.members[g] = append(l.members[g], u)
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

// gramIndex maps a title bigram to the units carrying it.
type gramIndex map[uint64][]*Unit

// gramIndexOf returns the bigram index of a group, built the first time a
// record of the group needs it. Only records that name no enterprise
// (events, warnings) are looked up by title, and only by the bigrams of
// their titles (Linker.wanted): a unit's other bigrams are not indexed,
// and its own sorted set (Unit.Grams) is made only when it is scored.
func (l *Linker) gramIndexOf(ch catalogue.Channel, group byte) gramIndex {
	key := gramGroup{ch, group}
	if ix, ok := l.grams[key]; ok {
		return ix
	}
	ix := gramIndex{}
	var grams []uint64
	for _, u := range l.members[key] {
		grams = appendTitleGrams(grams[:0], u.titleText())
		for _, g := range grams {
			if !l.wanted[g] {
				continue
			}
			if post := ix[g]; len(post) == 0 || post[len(post)-1] != u { // once per unit
				ix[g] = append(post, u)
			}
		}
	}
	l.grams[key] = ix
	return ix
}

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
	// bonus is the part of score that only ranks (closeness after
	// forming): score − bonus is the evidence.
	bonus int
	// contra: the unit states a result that the record's own disclosures
	// found by number contradict (another inspection of the enterprise).
	contra bool
}

func (c weakCand) evidence() int { return c.score - c.bonus }

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
	type pendingWeak struct{ li, rec int }
	var pending []pendingWeak
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
			pending = append(pending, pendingWeak{li, i})
		}
	}
	// What the record's own disclosures, found by its number, say of it
	// (an inspection's result) tells its weak candidates apart from a
	// rival's.
	facts := make(map[int][]string)
	for _, lk := range links {
		for _, m := range lk.Matches {
			if res := inspectionResult(m.Unit); res != "" && !slices.Contains(facts[lk.Record], res) {
				facts[lk.Record] = append(facts[lk.Record], res)
			}
		}
	}
	// The title bigrams the weak candidates may be looked up by: the
	// indexes keep only these.
	l.grams, l.wanted = map[gramGroup]gramIndex{}, map[uint64]bool{}
	for _, p := range pending {
		for _, g := range keys[p.rec].grams {
			l.wanted[g] = true
		}
	}
	for _, p := range pending {
		weak = append(weak, l.weakCandidates(p.li, &recs[p.rec], keys[p.rec], links[p.li].Channel, facts[p.rec])...)
	}
	l.assign(links, weak, recs)
	for li, m := range l.near {
		if len(links[li].Matches) == 0 {
			links[li].Near = &m
		}
	}
	return links
}

// weakCandidates scores the units that share a credit code, party or title
// words with the record.
func (l *Linker) weakCandidates(li int, r *records.Record, k recordKeys, ch catalogue.Channel, facts []string) []weakCand {
	var pool []*Unit
	inPool := map[*Unit]bool{}
	addAll := func(us []*Unit) {
		for _, u := range us {
			if !inPool[u] {
				inPool[u] = true
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
		var inGroup gramIndex
		group := groupOf(r.Item)
		if group != 0 {
			inGroup = l.gramIndexOf(ch, group)
		}
		noItem := l.gramIndexOf(ch, 0)
		for _, g := range k.grams {
			if post := (posting{inGroup[g], noItem[g]}); size(post) > 0 && size(post) <= maxPosting {
				lists = append(lists, post)
			}
		}
		slices.SortFunc(lists, func(a, b posting) int { return size(a) - size(b) })
		if len(lists) > maxGrams {
			lists = lists[:maxGrams]
		}
		// How many of the selecting bigrams each unit carries.
		var touched []*Unit
		count := map[*Unit]int{}
		for _, p := range lists {
			for _, part := range [2][]*Unit{p.group, p.none} {
				for _, u := range part {
					if l.ruledOut(r, k, u) {
						continue
					}
					if count[u] == 0 {
						touched = append(touched, u)
					}
					count[u]++
				}
			}
		}
		need := max(1, len(lists)/3)
		for _, u := range touched {
			if count[u] >= need && !inPool[u] {
				inPool[u] = true
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
	var out []weakCand
	var nearest weakCand
	hasNearest := false
	for _, u := range pool {
		c, verdict := l.scoreWeak(r, k, u, ch)
		c.link = li
		switch verdict {
		case accepted:
			if res := inspectionResult(u); res != "" && len(facts) > 0 && !slices.Contains(facts, res) {
				c.contra = true
			}
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

// ruledOut reports whether the unit cannot be the record's disclosure
// whatever its names and title say — what scoreWeak rejects first. The
// title search applies it before counting a unit's bigrams, so that the
// many pages a common title shares bigrams with (every inspection's
// 监督检查结果公示 for a record titled 日常监督检查) are dropped at once.
func (l *Linker) ruledOut(r *records.Record, k recordKeys, u *Unit) bool {
	// A publication made of rows discloses through its rows: when none of
	// them is the record's, the page around them is not either.
	if !u.IsRow() && l.hasRows[u.Pub] {
		return true
	}
	// A unit that names another enterprise is about another enterprise;
	// one that carries another decision or sampling number is another case
	// (the record's own number was looked up first and not found).
	if k.uscc != "" && len(u.usccs) > 0 && !slices.Contains(u.usccs, k.uscc) {
		return true
	}
	if k.decision != "" && len(u.decisions) > 0 || len(k.sampling) > 0 && len(u.sampling) > 0 {
		return true
	}
	if k.token != "" {
		fam := tokenFamily(k.token)
		if fam != "" && slices.ContainsFunc(u.tokens, func(t string) bool { return tokenFamily(t) == fam }) {
			return true // names another inspection, task or event of the same series
		}
	}
	// A row dated with its event (检查日期, 处罚决定日期) records the event
	// of that day, not of another.
	if u.IsRow() && len(u.dates) > 0 && !slices.Contains(u.dates, r.FormedOn) {
		return true
	}
	// Dates: never before forming, not very long after.
	return !u.Published.IsZero() && (u.Published < r.FormedOn || u.Published > r.FormedOn.AddDays(MaxWeakDays))
}

func (l *Linker) scoreWeak(r *records.Record, k recordKeys, u *Unit, ch catalogue.Channel) (weakCand, int) {
	c := weakCand{unit: u}
	if l.ruledOut(r, k, u) {
		return c, rejected
	}
	veryLate := false
	if !u.Published.IsZero() {
		veryLate = u.Published > r.FormedOn.AddDays(WeakWindowDays)
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
	if veryLate && (u.Class.Item != r.Item || sim < crossItemSim && !slices.Contains(u.dates, r.FormedOn) ||
		otherYear(r.Title, u.Pub.Title)) {
		// Past the usual window only the record's own notice, unmistakably
		// named, is taken: next year's event of the same name is not this
		// year's published late.
		return c, rejected
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
		c.bonus = max(0, 10-c.dist/10)
		c.score += c.bonus
	}
	if slices.Contains(u.dates, r.FormedOn) {
		c.score += scoreSameDate
		why = append(why, "日期 "+r.FormedOn.String())
	}
	c.by = strings.Join(why, "+")
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

// assign gives each unit to at most one record: first the records that
// the same evidence fits equally (pairInterchangeable), then the others
// best score first (then the publication closest after forming), marking
// ties across different publications as ambiguous.
func (l *Linker) assign(links []Link, weak []weakCand, recs []records.Record) {
	unitTaken := map[*Unit]int{} // unit → score it was taken with
	done := make([]bool, len(links))
	weak = l.pairInterchangeable(links, weak, recs, done, unitTaken)
	paired := slices.Clone(done)
	sort.SliceStable(weak, func(i, j int) bool {
		if weak[i].score != weak[j].score {
			return weak[i].score > weak[j].score
		}
		return weak[i].dist < weak[j].dist
	})
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
		if !done[c.link] || paired[c.link] || c.score != best[c.link] {
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

// pairInterchangeable settles the units that records alike (one item,
// one title, one enterprise: two events of one name, two inspections of
// one enterprise on one day) claim with the same evidence, each its best.
// Ranking them by closeness after forming is a guess that can turn an
// on-time record late or give one record's disclosure to another. Instead:
//
//   - a claimant whose own disclosures, found by number, contradict the
//     unit (another inspection result) gives way to those they do not;
//   - the rest are paired so that as many as possible are on time (each
//     record's due date from Linker.Due), then so that as many as possible
//     are linked at all: only evidence turns a disclosure late
//     (contracts.md §3), and no pairing of alike records is better
//     evidenced than another;
//   - each names its rivals (Link.Interchangeable): the report says the
//     match is not unique. One left without a unit — fewer disclosures
//     than records alike — is unpublished in substance (one of them is),
//     the pairing chose which in the county's favour, and the report says
//     so; it may still take a lesser candidate of its own.
//
// It returns the candidates left for the ordinary assignment, marking the
// links it linked done and their units taken.
func (l *Linker) pairInterchangeable(links []Link, weak []weakCand, recs []records.Record, done []bool, taken map[*Unit]int) []weakCand {
	bestOfLink := map[int]int{}
	bestOfUnit := map[*Unit]int{}
	for _, c := range weak {
		bestOfLink[c.link] = max(bestOfLink[c.link], c.evidence())
		bestOfUnit[c.unit] = max(bestOfUnit[c.unit], c.evidence())
	}
	// Claims: a link's best, and no link has better evidence for the unit.
	claims := map[*Unit][]int{} // unit → indices into weak
	var contested []*Unit
	for i, c := range weak {
		if e := c.evidence(); e == bestOfLink[c.link] && e == bestOfUnit[c.unit] {
			if len(claims[c.unit]) == 1 {
				contested = append(contested, c.unit)
			}
			claims[c.unit] = append(claims[c.unit], i)
		}
	}
	if len(contested) == 0 {
		return weak
	}
	like := func(i int) string { return likeKey(&recs[links[weak[i].link].Record]) }
	drop := map[int]bool{}
	uf := unionFind{}
	inGroup := map[*Unit]bool{}
	for _, u := range contested {
		cs := claims[u]
		if slices.ContainsFunc(cs, func(i int) bool { return like(i) != like(cs[0]) }) {
			continue // records that differ: the ordinary ranking tells them apart
		}
		consistent := slices.DeleteFunc(slices.Clone(cs), func(i int) bool { return weak[i].contra })
		if len(consistent) > 0 && len(consistent) < len(cs) {
			for _, i := range cs {
				if weak[i].contra {
					drop[i] = true
				}
			}
			cs = consistent
			claims[u] = cs
		}
		if distinctLinks(weak, cs) < 2 {
			continue
		}
		inGroup[u] = true
		for _, i := range cs[1:] {
			uf.union(weak[cs[0]].link, weak[i].link)
		}
	}
	if len(inGroup) == 0 && len(drop) == 0 {
		return weak
	}
	// A group: the links sharing contested units, with all their claims.
	groups := map[int][]int{} // root link → links
	for u := range inGroup {
		for _, i := range claims[u] {
			li := weak[i].link
			if root := uf.find(li); !slices.Contains(groups[root], li) {
				groups[root] = append(groups[root], li)
			}
		}
	}
	member := map[int]bool{}
	for _, g := range groups {
		for _, li := range g {
			member[li] = true
		}
	}
	edges := map[int][]int{} // link → indices into weak of its claims
	for _, cs := range claims {
		for _, i := range cs {
			if li := weak[i].link; member[li] && !drop[i] {
				edges[li] = append(edges[li], i)
			}
		}
	}
	due := func(li int) calendar.Date {
		if l.Due == nil {
			return 0
		}
		return l.Due(&recs[links[li].Record])
	}
	onTime := func(li int, u *Unit) bool {
		d := due(li)
		return u.Published.IsZero() || d.IsZero() || u.Published <= d
	}
	roots := make([]int, 0, len(groups))
	for r := range groups {
		roots = append(roots, r)
	}
	slices.Sort(roots)
	for _, root := range roots {
		group := groups[root]
		slices.SortFunc(group, func(a, b int) int {
			return cmp.Or(cmp.Compare(due(a), due(b)), cmp.Compare(recs[links[a].Record].FormedOn, recs[links[b].Record].FormedOn), a-b)
		})
		for _, li := range group {
			slices.SortFunc(edges[li], func(a, b int) int { return comparePublished(weak[a].unit, weak[b].unit) })
		}
		owner := map[*Unit]int{}  // unit → link paired with it
		pairedTo := map[int]int{} // link → index into weak
		fixed := map[*Unit]bool{} // paired in the first phase
		var augment func(li int, ok func(int, *Unit) bool, seen map[*Unit]bool) bool
		usable := func(li int, u *Unit, ok func(int, *Unit) bool) bool {
			if fixed[u] || !ok(li, u) {
				return false
			}
			_, elsewhere := taken[u]
			return !elsewhere || owner[u] != 0
		}
		// augment pairs li with its earliest free unit, or else frees one
		// by moving its holder (an augmenting path): the pairing stays in
		// order unless order would leave a record out.
		augment = func(li int, ok func(int, *Unit) bool, seen map[*Unit]bool) bool {
			for _, i := range edges[li] {
				if u := weak[i].unit; usable(li, u, ok) && owner[u] == 0 {
					owner[u], pairedTo[li] = li+1, i
					return true
				}
			}
			for _, i := range edges[li] {
				u := weak[i].unit
				if seen[u] || !usable(li, u, ok) {
					continue
				}
				seen[u] = true
				if augment(owner[u]-1, ok, seen) {
					owner[u], pairedTo[li] = li+1, i
					return true
				}
			}
			return false
		}
		// First as many on time as can be, then as many linked at all
		// without undoing an on-time pair.
		for _, li := range group {
			augment(li, onTime, map[*Unit]bool{})
		}
		for u := range owner {
			fixed[u] = true
		}
		for _, li := range group {
			if _, ok := pairedTo[li]; !ok {
				augment(li, func(int, *Unit) bool { return true }, map[*Unit]bool{})
			}
		}
		var rivals []int
		for _, li := range group {
			if r := links[li].Record; !slices.Contains(rivals, r) {
				rivals = append(rivals, r)
			}
		}
		slices.Sort(rivals)
		for _, li := range group {
			links[li].Interchangeable = slices.DeleteFunc(slices.Clone(rivals), func(r int) bool { return r == links[li].Record })
			i, ok := pairedTo[li]
			if !ok {
				continue
			}
			c := weak[i]
			taken[c.unit] = c.score
			done[li] = true
			links[li].Matches = []Match{{Unit: c.unit, Score: c.score, By: c.by}}
		}
	}
	rest := make([]weakCand, 0, len(weak))
	for i, c := range weak {
		if !drop[i] {
			rest = append(rest, c)
		}
	}
	return rest
}

// likeKey says which records are alike for pairInterchangeable: the same
// item, title, credit code and party.
func likeKey(r *records.Record) string {
	return r.Item + "|" + string(titleRunes(r.Title)) + "|" + r.USCC + "|" + ident.NormaliseParty(r.Party)
}

func distinctLinks(weak []weakCand, idx []int) int {
	var seen []int
	for _, i := range idx {
		if !slices.Contains(seen, weak[i].link) {
			seen = append(seen, weak[i].link)
		}
	}
	return len(seen)
}

// comparePublished orders units by declared date (undated last), then by
// where they are, so that a pairing does not depend on index order.
func comparePublished(a, b *Unit) int {
	da, db := int64(a.Published), int64(b.Published)
	if a.Published.IsZero() {
		da = 1 << 40
	}
	if b.Published.IsZero() {
		db = 1 << 40
	}
	switch {
	case da != db:
		return cmp.Compare(da, db)
	case a.Pub.URL != b.Pub.URL:
		return strings.Compare(a.Pub.URL, b.Pub.URL)
	}
	return a.Index - b.Index
}

// unionFind groups link indices.
type unionFind map[int]int

func (u unionFind) find(x int) int {
	for {
		p, ok := u[x]
		if !ok || p == x {
			return x
		}
		if gp, ok := u[p]; ok {
			u[x] = gp // path halving
		}
		x = p
	}
}

func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u[max(ra, rb)] = min(ra, rb)
	}
}

// inspectionResult is the result an inspection row states (检查结果 on a
// county's table, 结果 / insRes_CN on the credit system), normalised; "" if
// none.
func inspectionResult(u *Unit) string {
	for _, k := range []string{"检查结果", "结果", "insRes_CN"} {
		if v, ok := u.Disc.Fields[k]; ok {
			v = htmlTag.ReplaceAllString(v, "")
			v = strings.ReplaceAll(v, "&nbsp;", "")
			v = strings.Map(func(r rune) rune {
				switch r {
				case ' ', '，', ',', '。', '、', '：', ':', '；', ';':
					return -1
				}
				return r
			}, ident.Fold(v))
			v = strings.TrimPrefix(strings.TrimPrefix(v, "抽查结果"), "检查结果")
			if v != "" {
				return v
			}
		}
	}
	return ""
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// yearInTitle finds years written in titles (2020年, （2020）).
var yearInTitle = regexp.MustCompile(`(?:19|20)\d{2}`)

// otherYear reports whether both titles name years and share none: next
// year's event of the same name is another event.
func otherYear(recTitle, unitTitle string) bool {
	ry := yearInTitle.FindAllString(ident.Fold(recTitle), -1)
	uy := yearInTitle.FindAllString(ident.Fold(unitTitle), -1)
	if len(ry) == 0 || len(uy) == 0 {
		return false
	}
	for _, y := range ry {
		if slices.Contains(uy, y) {
			return false
		}
	}
	return true
}
