package matcher

// The matcher's one entry point: from a county's publications and expected
// records to the final classes, the links and the near-misses. It runs the
// steps in their only valid order — classify each publication, cut it into
// units, link the records, then settle each publication's item by the
// records it turned out to carry — so that a caller (the audit) only judges
// what it gets back.

import (
	"gongkai"
	"slices"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
)

// Input is one matching run: the publications records may be on and the
// records to look for.
type Input struct {
	// Publications are every publication the records may be on (a
	// county's website publications and the credit rows), in a stable
	// order: the linker breaks ties by it.
	Publications []*gongkai.Publication
	// NoItem says whether a publication's column is configured to hold no
	// catalogue item (items: []); such a publication is classified by its
	// column, not by its content. Nil means none is.
	NoItem func(p *gongkai.Publication) bool

	Records []records.Record
	// Channels gives, per record (same index), the channels to link it on.
	Channels [][]catalogue.Channel
	// Due, when set, gives a record's due date (zero if unknown), so that
	// records the same evidence fits equally are paired to make as many
	// as possible on time (Linker.Due).
	Due func(r *records.Record) calendar.Date
}

// Result is what Match found. Its methods memoise and are not safe for
// concurrent use.
type Result struct {
	// Links holds one link per record × channel; a record found nowhere
	// has no matches and may have a near-miss (Link.Near). Link.Record and
	// Link.Interchangeable index Input.Records.
	Links []Link

	rules   *Rules
	classes map[*gongkai.Publication]Classification // by content (or column)
	items   map[*gongkai.Publication]map[string]int // items of the records linked to the publication
	nos     map[*gongkai.Publication][]string       // their record numbers, in link order
	finals  map[*gongkai.Publication]Classification
}

// Match classifies in's publications, links its records to them and
// returns the result (nil rules = built-in).
func (r *Rules) Match(in Input) *Result {
	if r == nil {
		r = DefaultRules()
	}
	res := &Result{rules: r,
		classes: make(map[*gongkai.Publication]Classification, len(in.Publications)),
		items:   map[*gongkai.Publication]map[string]int{},
		nos:     map[*gongkai.Publication][]string{},
	}
	linker := NewLinker(r)
	linker.Due = in.Due
	noItem := map[string]Classification{} // by column: news columns are most of a site's pages
	for _, p := range in.Publications {
		cls, ok := res.classes[p]
		if !ok {
			if in.NoItem != nil && in.NoItem(p) {
				if cls, ok = noItem[p.Column]; !ok {
					cls = NoItemColumn(p.Column)
					noItem[p.Column] = cls
				}
			} else {
				cls = r.Classify(p)
			}
			res.classes[p] = cls
		}
		linker.Add(Units(p, cls)...)
	}
	res.Links = linker.Link(in.Records, in.Channels)
	for _, l := range res.Links {
		rec := &in.Records[l.Record]
		for _, m := range l.Matches {
			p := m.Unit.Pub
			if res.items[p] == nil {
				res.items[p] = map[string]int{}
			}
			res.items[p][rec.Item]++
			if !slices.Contains(res.nos[p], rec.RecordNo) {
				res.nos[p] = append(res.nos[p], rec.RecordNo)
			}
		}
	}
	return res
}

// Class is a publication's final classification: its content class,
// settled by the items of the records linked to it (Rules.Resolve).
func (res *Result) Class(p *gongkai.Publication) Classification {
	if res.finals == nil {
		res.finals = make(map[*gongkai.Publication]Classification, len(res.classes))
	}
	c, ok := res.finals[p]
	if !ok {
		c = res.rules.Resolve(res.classes[p], res.items[p])
		res.finals[p] = c
	}
	return c
}

// RecordNos lists the numbers of the records linked to a publication (nil
// when it carries none).
func (res *Result) RecordNos(p *gongkai.Publication) []string { return res.nos[p] }
