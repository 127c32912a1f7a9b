package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/records"
	"gongkai/region"
)

// volume is how much a county produces per year.
type volume struct {
	enterprises          int
	penalties            map[string]int
	inspections          map[string]int
	food, device         int
	events               map[string]int
	news, history, city  int
	inspBatch, sampBatch int
	offsite              int
}

func volumeFor(size Size) volume {
	if size == Large {
		return volume{
			enterprises: 2500,
			penalties:   map[string]int{"2.1": 1700, "2.2": 350, "2.3": 250, "2.4": 250},
			inspections: map[string]int{"1.1": 500, "1.2": 120, "1.4": 250, "1.5": 120, "1.6": 120},
			food:        700, device: 100,
			events: map[string]int{"3.1": 24, "3.2": 8, "3.3": 6, "3.4": 16},
			news:   2800, history: 700, city: 12,
			inspBatch: 12, sampBatch: 30, offsite: 8,
		}
	}
	return volume{
		enterprises: 36,
		penalties:   map[string]int{"2.1": 10, "2.2": 3, "2.3": 2, "2.4": 2},
		inspections: map[string]int{"1.1": 6, "1.2": 2, "1.4": 3, "1.5": 2, "1.6": 2},
		food:        8, device: 2,
		events: map[string]int{"3.1": 2, "3.2": 1, "3.3": 1, "3.4": 2},
		news:   6, history: 4, city: 1,
		inspBatch: 4, sampBatch: 5, offsite: 2,
	}
}

type generator struct {
	w   *World
	vol volume
	err error
	seq int
	// cityNo numbers the city's decisions per year across counties.
	cityNo map[int]int
}

func newGenerator(w *World) *generator {
	return &generator{w: w, vol: volumeFor(w.opts.Size), cityNo: map[int]int{}}
}

func (g *generator) fail(err error) {
	if g.err == nil && err != nil {
		g.err = err
	}
}

func (g *generator) isWorkday(d calendar.Date) bool {
	ok, err := g.w.cal.IsWorkday(d)
	if err != nil {
		wd := d.Weekday()
		return wd != time.Saturday && wd != time.Sunday
	}
	return ok
}

// addWD adds n working days; outside the calendar's years it falls back to
// Monday–Friday (only used for history before the audited period).
func (g *generator) addWD(d calendar.Date, n int) calendar.Date {
	out, err := g.w.cal.AddWorkdays(d, n)
	if err == nil {
		return out
	}
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// randomWorkday picks a working day in [a, b].
func (g *generator) randomWorkday(r *rand.Rand, a, b calendar.Date) calendar.Date {
	d := a.AddDays(r.IntN(int(b-a) + 1))
	for i := 0; i < 14 && !g.isWorkday(d); i++ {
		if d >= b {
			d = d.AddDays(-1)
		} else {
			d = d.AddDays(1)
		}
	}
	return d
}

func (g *generator) scaled(perYear int) int {
	span := float64(g.w.horizon-g.w.opts.Start+1) / 365
	n := int(float64(perYear)*span + 0.5)
	if perYear > 0 && n == 0 {
		n = 1
	}
	return n
}

func (g *generator) run() error {
	for ci := range region.Jincheng {
		g.county(ci)
		if g.err != nil {
			return g.err
		}
	}
	g.finish()
	return g.err
}

// ---- enterprises ----

const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func (g *generator) uscc(r *rand.Rand, kind, division string) string {
	var b strings.Builder
	b.WriteString(kind)
	b.WriteString(division)
	b.WriteString("MA")
	for range 7 {
		b.WriteByte(usccChars[r.IntN(len(usccChars))])
	}
	c, err := ident.USCCCheckChar(b.String())
	if err != nil {
		g.fail(fmt.Errorf("sim: USCC %s: %w", b.String(), err))
		return b.String() + "0"
	}
	return b.String() + string(c)
}

type trade int

const (
	tradeFood trade = iota
	tradeDrug
	tradeDevice
	tradeCosmetic
)

func tradeFor(item string) trade {
	switch item {
	case "2.2", "1.4", "1.6":
		return tradeDrug
	case "2.3", "1.7":
		return tradeDevice
	case "2.4", "1.5":
		return tradeCosmetic
	}
	return tradeFood
}

var towns = []string{"城关镇", "北留镇", "润城镇", "金村镇", "巴公镇", "南村镇", "河西镇", "马村镇", "礼义镇", "寺庄镇", "郑村镇", "西上庄街道"}
var streets = []string{"中心街", "新华路", "建设路", "凤台街", "泽州路", "红星街", "文昌街", "迎宾路", "府城村", "东关村"}

func (g *generator) enterprises(r *rand.Rand, ci int) [][]*enterprise {
	c := region.Jincheng[ci]
	byTrade := make([][]*enterprise, 4)
	seen := map[string]bool{}
	shares := []float64{0.6, 0.15, 0.1, 0.15}
	for i := range g.vol.enterprises {
		t := trade(0)
		u := (float64(i) + 0.5) / float64(g.vol.enterprises)
		acc := 0.0
		for k, s := range shares {
			acc += s
			if u < acc {
				t = trade(k)
				break
			}
		}
		suffixes := [][]string{foodBusinessSuffixes, drugBusinessSuffixes, deviceBusinessSuffixes, cosmeticBusinessSuffixes}[t]
		e := &enterprise{county: ci, Trade: []string{"食品", "药品", "医疗器械", "化妆品"}[t]}
		individual := t == tradeFood && chance(r, 0.3)
		person := pick(r, surnames) + pick(r, givenNames)
		for attempt := 0; ; attempt++ {
			name := c.Name + pick(r, tradeNames) + pick(r, suffixes)
			if individual {
				name = c.Name + pick(r, tradeNames) + pick(r, []string{"副食品经营部", "便利店", "饭店", "粮油店", "小吃部"})
			}
			if attempt > 3 {
				name = c.Name + pick(r, tradeNames) + strconv.Itoa(attempt) + pick(r, suffixes)
			}
			if !seen[name] {
				seen[name] = true
				e.Name = name
				break
			}
		}
		kind := "91"
		if individual {
			kind = "92"
			e.Operator = person
			e.LegalRep = person
		} else {
			e.LegalRep = pick(r, surnames) + pick(r, givenNames)
		}
		e.USCC = g.uscc(r, kind, c.Code)
		e.Established = calendar.Of(between(r, 2003, 2019), time.Month(between(r, 1, 12)), between(r, 1, 28))
		e.Address = "山西省晋城市" + c.Name + pick(r, towns) + pick(r, streets) + strconv.Itoa(between(r, 1, 300)) + "号"
		byTrade[t] = append(byTrade[t], e)
	}
	for t := range byTrade {
		if len(byTrade[t]) == 0 {
			byTrade[t] = append(byTrade[t], byTrade[0][0])
		}
	}
	return byTrade
}

// ---- records ----

func (g *generator) newRecord(ci int, itemCode string, formed calendar.Date) *simRecord {
	it, ok := g.w.cat.Item(itemCode)
	if !ok {
		g.fail(fmt.Errorf("sim: catalogue has no item %s", itemCode))
	}
	due, err := g.w.cal.AddWorkdays(formed, it.TimeLimit.Workdays)
	g.fail(err)
	g.seq++
	return &simRecord{
		county: ci, item: it, due: due, seq: g.seq,
		rec: records.Record{County: region.Jincheng[ci].Name, Item: itemCode, FormedOn: formed},
	}
}

// planWeb decides what happens to a record on the county's website.
func (g *generator) planWeb(r *rand.Rand, rec *simRecord, docNo, element bool) *outcome {
	o := &outcome{channel: catalogue.Website}
	u := r.Float64()
	switch {
	case u < 0.60:
		o.plan = planOnTime
	case u < 0.74:
		o.plan = planLate
	case u < 0.84:
		o.plan = planNever
	case u < 0.92:
		o.plan = planDocNo
		if !docNo {
			o.plan = planOnTime
		}
	default:
		o.plan = planElement
		if !element {
			o.plan = planOnTime
		}
	}
	late := o.plan == planLate || ((o.plan == planDocNo || o.plan == planElement) && chance(r, 0.25))
	o.planned = g.plannedDate(r, rec, late)
	if o.plan == planNever {
		o.planned = 0
	}
	return o
}

// plannedDate is an on-time or late publication day for the record.
func (g *generator) plannedDate(r *rand.Rand, rec *simRecord, late bool) calendar.Date {
	formed := rec.rec.FormedOn
	if late {
		k := between(r, 1, 12)
		if chance(r, 0.1) {
			k = between(r, 13, 60)
		}
		d, err := g.w.cal.AddWorkdays(rec.due, k)
		if err != nil {
			return 0 // beyond the calendar: never published within the data
		}
		return d
	}
	k := between(r, 0, rec.item.TimeLimit.Workdays)
	d := g.addWD(formed, k)
	// Sometimes published on a weekend (still on time).
	if chance(r, 0.05) && !g.isWorkday(d.AddDays(1)) && d.AddDays(1) <= rec.due {
		d = d.AddDays(1)
	}
	return d
}

func (g *generator) planCredit(r *rand.Rand, rec *simRecord, dated bool) *outcome {
	o := &outcome{channel: catalogue.Credit}
	u := r.Float64()
	if !dated {
		// Rows without a declared date (inspections) either appear before
		// the due day or never: lateness there is only provable from sweep
		// history, which the truth cannot know.
		if u < 0.8 {
			o.plan = planOnTime
			o.planned = g.addWD(rec.rec.FormedOn, between(r, 1, rec.item.TimeLimit.Workdays-2))
		} else {
			o.plan = planNever
		}
		return o
	}
	switch {
	case u < 0.72:
		o.plan = planOnTime
	case u < 0.86:
		o.plan = planLate
	case u < 0.95:
		o.plan = planNever
	default:
		o.plan = planDocNo
	}
	if o.plan != planNever {
		o.planned = g.plannedDate(r, rec, o.plan == planLate)
		if o.planned.IsZero() {
			o.plan = planNever
		}
	}
	return o
}

func (g *generator) county(ci int) {
	w := g.w
	c := region.Jincheng[ci]
	site := w.sites[ci]
	seed := w.opts.Seed
	r := newRand(seed, "county/"+c.Code)
	site.OrgCode = g.orgCode(r, c.Code)
	ents := g.enterprises(newRand(seed, "enterprises/"+c.Code), ci)
	flat := []*enterprise{}
	for _, es := range ents {
		flat = append(flat, es...)
	}
	slices.SortStableFunc(flat, func(a, b *enterprise) int { return strings.Compare(a.USCC, b.USCC) })
	w.ents = append(w.ents, flat)
	b := &countyBuilder{g: g, ci: ci, site: site, r: r, ents: ents, lastNo: map[int]int{}}
	b.history() // first: the audited period's numbers continue after last year's
	b.penalties()
	b.inspections()
	b.samplings()
	b.events()
	b.cityDecisions()
	b.noise()
}

func (g *generator) orgCode(r *rand.Rand, division string) string {
	first := "11" + division + "MB" + fmt.Sprintf("%07d", r.IntN(10000000))
	ch, err := ident.USCCCheckChar(first)
	g.fail(err)
	return first + string(ch)
}

// finish assigns ids and URLs, sorts the lists and builds the credit system.
func (g *generator) finish() {
	w := g.w
	for _, s := range w.sites {
		assignPaths(w, s)
		for _, col := range s.Columns {
			sortEntries(col.entries)
		}
	}
	slices.SortStableFunc(w.recs, func(a, b *simRecord) int {
		if a.county != b.county {
			return a.county - b.county
		}
		if a.rec.Item != b.rec.Item {
			return strings.Compare(a.rec.Item, b.rec.Item)
		}
		if a.rec.FormedOn != b.rec.FormedOn {
			return int(a.rec.FormedOn - b.rec.FormedOn)
		}
		return a.seq - b.seq
	})
	w.credit = buildCredit(w)
}
