package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/region"
)

// countyBuilder generates one county's records and the pages that carry them.
type countyBuilder struct {
	g    *generator
	ci   int
	site *Site
	r    *rand.Rand
	ents [][]*enterprise
	// lastNo is the last 普通程序 decision number used per year by the
	// history, so that numbers stay unique within a year.
	lastNo map[int]int
}

func (b *countyBuilder) rng(label string) *rand.Rand {
	return newRand(b.g.w.opts.Seed, label+"/"+region.Jincheng[b.ci].Code)
}

func (b *countyBuilder) newEntry(col *Column, kind entryKind, published calendar.Date) *Entry {
	b.g.seq++
	e := &Entry{site: b.site, col: col, kind: kind, Published: published, seq: b.g.seq,
		Clock: between(b.r, 8*60, 18*60-1)}
	col.entries = append(col.entries, e)
	b.site.entries = append(b.site.entries, e)
	return e
}

func (b *countyBuilder) county() region.County { return region.Jincheng[b.ci] }

// ---- penalties ----

func violationsFor(item string) []violation {
	switch item {
	case "2.2":
		return drugViolations
	case "2.3":
		return deviceViolations
	case "2.4":
		return cosmeticViolations
	}
	return foodViolations
}

func (b *countyBuilder) newCase(r *rand.Rand, item string, year, n int, simple, warnOnly bool, decided calendar.Date, style docStyle, authority string) *penaltyCase {
	ent := pick(r, b.ents[tradeFor(item)])
	v := pick(r, violationsFor(item))
	pc := &penaltyCase{
		DocNo: style.format(year, n, simple), Year: year, No: n, Party: ent,
		CaseName: ent.Name + v.Type + "案", Basis: v.Basis, IllegType: v.Type,
		Decided: decided, Item: item, Authority: authority, Procedure: "普通",
	}
	found := decided.AddDays(-between(r, 20, 90))
	pc.Fact = fmt.Sprintf("%s，执法人员对当事人经营场所依法进行检查，发现当事人%s。经查，上述行为违法事实清楚，证据确凿。", found.Chinese(), v.Fact)
	pc.FactCore, pc.Found = v.Fact, found
	switch {
	case warnOnly:
		pc.Kind, pc.Content = "警告", "警告"
		pc.Deadline = "当场执行"
	case simple:
		pc.Procedure = "简易"
		if chance(r, 0.5) {
			pc.Kind, pc.Content, pc.Deadline = "警告", "警告", "当场执行"
		} else {
			pc.Amount = between(r, 2, 20) * 100
			pc.Kind = "罚款"
			pc.Content = fmt.Sprintf("罚款人民币%d元", pc.Amount)
			pc.Deadline = "当场缴纳罚款"
		}
	default:
		pc.Amount = between(r, 4, 200) * 500
		switch r.IntN(3) {
		case 0:
			pc.Kind = "罚款"
			pc.Content = fmt.Sprintf("罚款人民币%d元", pc.Amount)
		case 1:
			pc.Kind = "警告、罚款"
			pc.Content = fmt.Sprintf("警告，并处罚款人民币%d元", pc.Amount)
		default:
			pc.Kind = "没收违法所得、罚款"
			pc.Content = fmt.Sprintf("没收违法所得人民币%d元，并处罚款人民币%d元", between(r, 1, 40)*50, pc.Amount)
		}
		pc.Deadline = "自收到本决定书之日起十五日内缴纳罚款"
	}
	return pc
}

// omittable lists the penalty elements a page may leave out: label group
// (as the renderer knows it) and the catalogue element name.
func omittable(item string) [][2]string {
	out := [][2]string{{"fact", "违法事实"}, {"basis", "处罚依据"}, {"kind", "处罚种类和内容"}}
	if item != "2.1" {
		out = append(out, [2]string{"deadline", "处罚履行方式和期限"})
	}
	return out
}

func (b *countyBuilder) penalties() {
	g, w := b.g, b.g.w
	r := b.rng("penalties")
	var recs []*simRecord
	yearly := 0
	for _, item := range []string{"2.1", "2.2", "2.3", "2.4"} {
		yearly += g.vol.penalties[item]
		for range g.scaled(g.vol.penalties[item]) {
			recs = append(recs, g.newRecord(b.ci, item, g.randomWorkday(r, w.opts.Start, w.horizon)))
		}
	}
	slices.SortStableFunc(recs, func(a, b *simRecord) int {
		if a.rec.FormedOn != b.rec.FormedOn {
			return int(a.rec.FormedOn - b.rec.FormedOn)
		}
		return a.seq - b.seq
	})
	type counter struct{ normal, simple int }
	counters := map[int]*counter{}
	for _, rec := range recs {
		y := rec.rec.FormedOn.Year()
		ctr := counters[y]
		if ctr == nil {
			ctr = &counter{}
			if start := w.opts.Start; start.Year() == y {
				done := float64(start-calendar.Of(y, time.January, 1)) / 365
				ctr.normal = int(done * float64(yearly))
				ctr.simple = ctr.normal / 8
			}
			ctr.normal = max(ctr.normal, b.lastNo[y], b.site.uf.numberBase)
			counters[y] = ctr
		}
		simple := chance(r, 0.12)
		warnOnly := !simple && chance(r, 0.06)
		n := 0
		if simple {
			ctr.simple++
			n = ctr.simple
		} else {
			ctr.normal++
			n = ctr.normal
		}
		pc := b.newCase(r, rec.rec.Item, y, n, simple, warnOnly, rec.rec.FormedOn, b.site.docStyle, b.site.Org)
		pc.rec = rec
		rec.pen = pc
		rec.rec.RecordNo = pc.DocNo
		rec.rec.Title = pc.CaseName
		rec.rec.Party = pc.Party.party()
		rec.rec.USCC = pc.Party.USCC
		rec.rec.Procedure = pc.Procedure
		rec.rec.Penalty = pc.Kind
		rec.web = g.planWeb(r, rec, true, b.site.Family != FamGeneric)
		if b.site.uf.numberBase > 0 && !simple && n%1000 == 404 {
			// The 404号 (1404号) decision is published as written, so that
			// a page showing "404" in its title or table must be read.
			if rec.web.plan == planNever || rec.web.plan == planDocNo {
				rec.web.plan = planOnTime
			}
			if rec.web.planned.IsZero() {
				rec.web.planned = g.addWD(rec.rec.FormedOn, 3)
			}
		}
		if slices.Contains(rec.rec.ExpectedChannels(rec.item), catalogue.Credit) {
			rec.cred = g.planCredit(r, rec, true)
			if rec.cred.plan == planDocNo {
				rec.cred.writtenAs = b.site.docStyle.variant(r, y, n, simple)
			}
		}
		w.recs = append(w.recs, rec)
	}
	col := b.site.columnFor("2.1")
	if b.site.Family == FamGeneric {
		items := make([]tableItem, 0, len(recs))
		for _, rec := range recs {
			if rec.web.planned.IsZero() {
				continue
			}
			written := rec.pen.DocNo
			if rec.web.plan == planDocNo {
				written = b.site.docStyle.variant(r, rec.pen.Year, rec.pen.No, rec.pen.Procedure == "简易")
				rec.web.writtenAs = written
			}
			items = append(items, tableItem{pc: rec.pen, planned: rec.web.planned, written: written})
		}
		b.penaltyTables(r, col, items)
		return
	}
	for _, rec := range recs {
		o := rec.web
		if o.planned.IsZero() {
			continue
		}
		pc := rec.pen
		written := pc.DocNo
		if o.plan == planDocNo {
			written = b.site.docStyle.variant(r, pc.Year, pc.No, pc.Procedure == "简易")
			o.writtenAs = written
		}
		e := b.penaltyEntry(r, col, pc, written, o.planned)
		if e.kind == kindPenaltyPDF && b.site.uf.scanShare > 0 && o.plan != planElement &&
			hash01(w.opts.Seed, "scan", b.site.County.Code, pc.DocNo) < b.site.uf.scanShare {
			// A scan: no text layer, so no element can be read (or found
			// missing) but the number, which is in the file's link text.
			e.kind = kindPenaltyScan
			e.attachments[0].Name = written + "行政处罚决定书（扫描件）.pdf"
			o.unverifiable = slices.DeleteFunc(slices.Clone(rec.item.Elements), func(el string) bool { return strings.Contains(el, "文号") })
		}
		if o.plan == planElement {
			opts := omittable(pc.Item)
			if b.site.uf.prose {
				// The case sentence (涉嫌…) already names the conduct, so a
				// prose decision cannot be said to lack its facts.
				opts = opts[1:]
			}
			om := pick(r, opts)
			e.omit = []string{om[0]}
			o.missing = []string{om[1]}
		}
		e.records = []*simRecord{rec}
		e.item = pc.Item
		o.entry = e
		o.published = e.Published
	}
}

// penaltyEntry makes a one-decision page (full text or PDF-only).
func (b *countyBuilder) penaltyEntry(r *rand.Rand, col *Column, pc *penaltyCase, written string, published calendar.Date) *Entry {
	kind := kindPenaltyPage
	if chance(r, b.site.penaltyPDF) && !pc.City {
		kind = kindPenaltyPDF
	}
	e := b.newEntry(col, kind, published)
	e.pen = pc
	e.Formed = pc.Decided
	e.docNoShown = written
	e.item = pc.Item
	e.Title = b.penaltyTitle(pc, written)
	if kind == kindPenaltyPDF {
		e.attachments = []*Attachment{{Name: written + "行政处罚决定书.pdf", Ext: "pdf", entry: e}}
		if chance(r, 0.5) {
			e.attachments[0].Name = "行政处罚决定书（" + pc.Party.Name + "）.pdf"
		}
	}
	return e
}

func (b *countyBuilder) penaltyTitle(pc *penaltyCase, written string) string {
	party := pc.Party.Name
	switch b.site.County.Name {
	case "城区":
		return "行政处罚决定信息公开（" + written + "）"
	case "沁水县":
		return "行政处罚决定书（" + written + "）"
	case "阳城县":
		org := b.site.Org
		if pc.City {
			org = cityBureau
		}
		return org + "关于" + party + pc.IllegType + "的行政处罚决定书"
	case "陵川县":
		return written + " " + party + "行政处罚信息"
	case "高平市":
		return "行政处罚信息公示表（" + party + "）"
	}
	return "行政处罚决定书（" + written + "）" // 泽州: the city's decisions
}

type tableItem struct {
	pc      *penaltyCase
	planned calendar.Date
	written string
}

// penaltyTables publishes cases as monthly 案件信息公开表: the table of month
// M comes out a few working days after M ends and lists the cases formed in
// M that are ready by then; later ones go into the first table after their
// planned day.
func (b *countyBuilder) penaltyTables(r *rand.Rand, col *Column, items []tableItem) {
	if len(items) == 0 {
		return
	}
	g := b.g
	first := items[0].pc.Decided
	last := items[0].planned
	for _, it := range items {
		first = min(first, it.pc.Decided)
		last = max(last, it.planned)
	}
	type table struct {
		month calendar.Date
		pub   calendar.Date
		e     *Entry
		items []tableItem
	}
	var tables []*table
	for m := calendar.Of(first.Year(), first.Month(), 1); m <= last; m = calendar.Of(m.Year(), m.Month()+1, 1) {
		end := calendar.Of(m.Year(), m.Month()+1, 0)
		tables = append(tables, &table{month: m, pub: g.addWD(end, between(r, 1, 4))})
	}
	for _, it := range items {
		for _, t := range tables {
			if t.pub >= it.planned && calendar.Of(t.month.Year(), t.month.Month()+1, 0) >= it.pc.Decided {
				t.items = append(t.items, it)
				break
			}
		}
	}
	for _, t := range tables {
		if len(t.items) == 0 {
			continue
		}
		slices.SortStableFunc(t.items, func(a, b tableItem) int {
			if a.pc.Year != b.pc.Year {
				return a.pc.Year - b.pc.Year
			}
			return a.pc.No - b.pc.No
		})
		e := b.newEntry(col, kindPenaltyTable, t.pub)
		e.item = "2.1"
		e.Formed = t.pub
		e.Title = fmt.Sprintf("%s%d年%d月行政处罚案件信息公开表", b.site.Org, t.month.Year(), int(t.month.Month()))
		if chance(r, 0.15) {
			if t.month.Month()%2 == 0 {
				e.tableOmit = "basis"
			} else {
				e.tableOmit = "fact"
			}
		}
		for _, it := range t.items {
			e.cases = append(e.cases, it.pc)
			e.caseNos = append(e.caseNos, it.written)
			if rec := it.pc.rec; rec != nil {
				e.records = append(e.records, rec)
				rec.web.entry = e
				rec.web.published = e.Published
				switch e.tableOmit {
				case "basis":
					rec.web.missing = []string{"处罚依据"}
				case "fact":
					rec.web.missing = []string{"违法事实"}
				}
			} else {
				e.otherNos = append(e.otherNos, it.pc.DocNo)
			}
		}
	}
}

// ---- inspections ----

var inspectionItemTitles = map[string]string{
	"1.1": "食品生产经营监督检查结果公示",
	"1.2": "特殊食品生产经营监督检查结果公示",
	"1.4": "药品零售、医疗器械经营企业监督检查结果公示",
	"1.5": "化妆品经营企业监督检查结果公示",
	"1.6": "医疗机构药品质量安全监督检查结果公示",
}

func (b *countyBuilder) inspections() {
	g, w := b.g, b.g.w
	r := b.rng("inspections")
	c := b.county()
	seqByYear := map[int]int{}
	for _, item := range []string{"1.1", "1.2", "1.4", "1.5", "1.6"} {
		var recs []*simRecord
		for range g.scaled(g.vol.inspections[item]) {
			recs = append(recs, g.newRecord(b.ci, item, g.randomWorkday(r, w.opts.Start, w.horizon)))
		}
		slices.SortStableFunc(recs, func(a, b *simRecord) int { return int(a.rec.FormedOn - b.rec.FormedOn) })
		for _, rec := range recs {
			y := rec.rec.FormedOn.Year()
			seqByYear[y]++
			ent := pick(r, b.ents[tradeFor(item)])
			in := &inspection{
				No:    fmt.Sprintf("JCJL-%s-%d-%04d", c.Code, y, seqByYear[y]),
				Party: ent, Date: rec.rec.FormedOn, Result: pick(r, inspectionResults), Item: item,
				Random: chance(r, 0.3), Authority: b.site.Org, rec: rec,
			}
			rec.insp = in
			rec.rec.RecordNo = in.No
			rec.rec.Title = rec.item.Name
			rec.rec.Party = ent.party()
			rec.rec.USCC = ent.USCC
			rec.web = g.planWeb(r, rec, false, false)
			if slices.Contains(rec.rec.ExpectedChannels(rec.item), catalogue.Credit) {
				rec.cred = g.planCredit(r, rec, false)
			}
			w.recs = append(w.recs, rec)
		}
		col := b.site.columnFor(item)
		batchNo := map[int]int{}
		b.batches(r, recs, g.vol.inspBatch, func(batch []*simRecord, pub calendar.Date) {
			e := b.newEntry(col, kindInspection, pub)
			e.item = item
			y := batch[0].rec.FormedOn.Year()
			batchNo[y]++
			e.Title = fmt.Sprintf("%s%d年第%d批%s", b.site.Org, y, batchNo[y], inspectionItemTitles[item])
			e.Formed = batch[len(batch)-1].rec.FormedOn
			for _, rec := range batch {
				e.insps = append(e.insps, rec.insp)
				e.records = append(e.records, rec)
				rec.web.entry = e
				rec.web.published = pub
			}
		})
	}
}

// batches groups records with a planned publication into pages of at most
// size records whose planned days lie within ten days; a page comes out on
// the latest planned day of its records.
func (b *countyBuilder) batches(r *rand.Rand, recs []*simRecord, size int, emit func([]*simRecord, calendar.Date)) {
	var planned []*simRecord
	for _, rec := range recs {
		if !rec.web.planned.IsZero() {
			planned = append(planned, rec)
		}
	}
	slices.SortStableFunc(planned, func(a, b *simRecord) int {
		if a.web.planned != b.web.planned {
			return int(a.web.planned - b.web.planned)
		}
		return a.seq - b.seq
	})
	for i := 0; i < len(planned); {
		j := i + 1
		limit := between(r, max(1, size/2), size)
		for j < len(planned) && j-i < limit && planned[j].web.planned-planned[i].web.planned <= 10 {
			j++
		}
		emit(planned[i:j], planned[j-1].web.planned)
		i = j
	}
}

// ---- samplings ----

var producers = []struct{ Name, Addr string }{
	{"山西老陈醋集团有限公司", "山西省太原市清徐县太茅路高花段550号"},
	{"山西金沙滩面业有限公司", "山西省晋城市泽州县金村镇"},
	{"内蒙古伊利实业集团股份有限公司", "内蒙古自治区呼和浩特市金山开发区金山大街1号"},
	{"山西杏花村汾酒厂股份有限公司", "山西省汾阳市杏花村"},
	{"晋城市丹河食品有限公司", "山西省晋城市城区北石店镇"},
	{"河南双汇投资发展股份有限公司", "河南省漯河市双汇路1号"},
	{"山西沁州黄小米（集团）有限公司", "山西省长治市沁县"},
	{"稳健医疗用品股份有限公司", "湖北省黄冈市黄州区"},
	{"江西洪达医疗器械集团有限公司", "江西省南昌市进贤县"},
}

func (b *countyBuilder) samplings() {
	g, w := b.g, b.g.w
	r := b.rng("samplings")
	c := b.county()
	for _, item := range []string{"1.3", "1.7"} {
		n := g.vol.food
		prefix := "DC"
		if item == "1.7" {
			n, prefix = g.vol.device, "QX"
		}
		var recs []*simRecord
		for range g.scaled(n) {
			recs = append(recs, g.newRecord(b.ci, item, g.randomWorkday(r, w.opts.Start, w.horizon)))
		}
		slices.SortStableFunc(recs, func(a, b *simRecord) int { return int(a.rec.FormedOn - b.rec.FormedOn) })
		seq := map[int]int{}
		for _, rec := range recs {
			y := rec.rec.FormedOn.Year()
			seq[y]++
			ent := pick(r, b.ents[tradeFor(item)])
			prod := pick(r, producers)
			s := &sample{
				No: fmt.Sprintf("%s%d%s%06d", prefix, y, c.Code, seq[y]), Item: item,
				Sampled: ent, Producer: prod.Name, ProdAddr: prod.Addr, Pass: !chance(r, 0.15),
				Agency: pick(r, testingAgencies), Source: b.site.Org, Date: rec.rec.FormedOn,
				Trademark: pick(r, []string{"/", "太行", "丹河", "图形商标", "沁州黄"}), rec: rec,
			}
			made := rec.rec.FormedOn.AddDays(-between(r, 3, 120))
			if item == "1.3" {
				s.Product = pick(r, foodNames)
				s.Category = foodCategories[s.Product]
				s.Spec = pick(r, []string{"500g/袋", "1L/瓶", "2.5kg/袋", "散装称重", "420mL/瓶", "250g/盒"})
				s.Batch = made.String()
				if chance(r, 0.3) {
					s.Batch = "批号：" + strconv.Itoa(made.Year()) + fmt.Sprintf("%02d%02d", int(made.Month()), made.Day())
				}
			} else {
				s.Product = pick(r, deviceNames)
				s.Category = "医疗器械"
				s.Spec = pick(r, []string{"17.5cm×9.5cm", "5mL", "MT-101", "50支/袋"})
				s.Batch = fmt.Sprintf("%d%02d%02d%02d", made.Year(), int(made.Month()), made.Day(), between(r, 1, 20))
			}
			if !s.Pass {
				s.FailItem = pick(r, failedItems)
			}
			rec.samp = s
			rec.rec.RecordNo = s.No
			rec.rec.Title = s.Product
			rec.rec.Party = ent.party()
			rec.rec.USCC = ent.USCC
			rec.web = g.planWeb(r, rec, false, false)
			if slices.Contains(rec.rec.ExpectedChannels(rec.item), catalogue.Credit) {
				rec.cred = g.planCredit(r, rec, false)
			}
			w.recs = append(w.recs, rec)
		}
		col := b.site.columnFor(item)
		issue := map[int]int{}
		b.batches(r, recs, g.vol.sampBatch, func(batch []*simRecord, pub calendar.Date) {
			y := pub.Year()
			issue[y]++
			kind := kindSampling
			title := fmt.Sprintf("%s食品安全监督抽检信息公告（%d年第%d期）", b.site.Org, y, issue[y])
			if item == "1.7" {
				kind = kindDeviceSampling
				title = fmt.Sprintf("%s医疗器械质量监督抽检结果公告（%d年第%d期）", b.site.Org, y, issue[y])
			}
			e := b.newEntry(col, kind, pub)
			e.item = item
			e.Title = title
			e.Formed = batch[len(batch)-1].rec.FormedOn
			for _, rec := range batch {
				e.samples = append(e.samples, rec.samp)
				e.records = append(e.records, rec)
				rec.web.entry = e
				rec.web.published = pub
			}
			switch {
			case kind == kindSampling && b.site.uf.samplingProse:
				// Results in a body table; every third notice leaves out
				// the 检验机构 column.
				if issue[y]%3 == 0 {
					e.tableOmitAgency = true
					for _, rec := range batch {
						rec.web.missing = []string{"检验机构"}
					}
				}
			case kind == kindSampling:
				b.samplingAttachments(e, y, issue[y])
			}
		})
	}
}

func (b *countyBuilder) samplingAttachments(e *Entry, year, issue int) {
	anyFail := false
	for _, s := range e.samples {
		if !s.Pass {
			anyFail = true
		}
	}
	switch b.site.Family {
	case FamHanweb, FamGeneric:
		// One workbook with both sheets.
		e.attachments = []*Attachment{{Name: fmt.Sprintf("%d年第%d期食品安全监督抽检结果.xlsx", year, issue), Ext: "xlsx", entry: e}}
	default:
		pass, fail := true, false
		e.attachments = []*Attachment{{Name: fmt.Sprintf("1.%d年第%d期食品监督抽检产品合格信息.xlsx", year, issue), Ext: "xlsx", entry: e, pass: &pass}}
		if anyFail {
			e.attachments = append(e.attachments, &Attachment{Name: fmt.Sprintf("2.%d年第%d期食品监督抽检不合格产品信息.xlsx", year, issue), Ext: "xlsx", entry: e, pass: &fail})
		}
	}
}

// ---- public-service events (3.x) ----

var eventPrefix = map[string]string{"3.1": "XFTS", "3.2": "YJCZ", "3.3": "TSJB", "3.4": "XCZ"}

func (b *countyBuilder) events() {
	g, w := b.g, b.g.w
	r := b.rng("events")
	c := b.county()
	news := 0 // 3.4 activities published so far, for 工作动态
	for _, item := range []string{"3.1", "3.2", "3.3", "3.4"} {
		seq := map[int]int{}
		// Two notices of one county with the same title and body could be
		// told apart by nobody, the truth included: a repeated title gets
		// a number (no random draw, so the rest of the world is unchanged).
		titles := map[string]int{}
		n := g.vol.events[item]
		if item == "3.4" && b.site.uf.newsActivities {
			n *= 2 // enough activities for both columns
		}
		for range g.scaled(n) {
			formed := g.randomWorkday(r, w.opts.Start, w.horizon)
			rec := g.newRecord(b.ci, item, formed)
			y := formed.Year()
			seq[y]++
			ev := &event{No: fmt.Sprintf("%s-%s-%d-%02d", eventPrefix[item], c.Code, y, seq[y]), Item: item, Date: formed, rec: rec}
			switch item {
			case "3.1":
				ev.Title = pick(r, warningTopics)
			case "3.2":
				ev.Title = c.Name + pick(r, emergencyTopics)
			case "3.3":
				ev.Title = pick(r, complaintTopics)
			case "3.4":
				ev.Title = fmt.Sprintf("%s开展%d年%s", b.site.Org, y, pick(r, campaignTopics))
				ev.Place = c.Name + pick(r, towns) + pick(r, []string{"文化广场", "农贸市场", "中心学校", "便民服务中心"})
				ev.Form = pick(r, []string{"现场咨询、发放宣传资料", "专题讲座", "知识竞赛", "展板展示"})
			}
			if seq[y] > 1 && item != "3.4" {
				ev.Title = fmt.Sprintf("%s（%d年%d月）", ev.Title, y, int(formed.Month()))
			}
			if titles[ev.Title]++; titles[ev.Title] > 1 {
				ev.Title = fmt.Sprintf("%s（之%d）", ev.Title, titles[ev.Title])
			}
			rec.ev = ev
			rec.rec.RecordNo = ev.No
			rec.rec.Title = ev.Title
			rec.web = g.planWeb(r, rec, false, item == "3.4")
			w.recs = append(w.recs, rec)
			if rec.web.planned.IsZero() {
				continue
			}
			col := b.site.columnFor(item)
			if item == "3.4" && b.site.uf.newsActivities && rec.web.planned <= w.opts.AsOf {
				if news%2 == 0 {
					col = b.site.columnByName("工作动态") // an activity among the news
				}
				news++
			}
			e := b.newEntry(col, kindEvent, rec.web.planned)
			e.item = item
			e.ev = ev
			e.Title = ev.Title
			e.Formed = formed
			e.records = []*simRecord{rec}
			if rec.web.plan == planElement {
				e.omit = []string{"place"}
				rec.web.missing = []string{"活动地点"}
			}
			rec.web.entry = e
			rec.web.published = e.Published
		}
	}
}

// ---- history, the city's decisions, noise ----

// history publishes last year's decisions (numbered from 1 again), so that
// 第12号 of two years sit on the same list.
func (b *countyBuilder) history() {
	g, w := b.g, b.g.w
	r := b.rng("history")
	n := g.vol.history
	from, to := w.opts.Start.AddDays(-365), w.opts.Start.AddDays(-20)
	decided := make([]calendar.Date, n)
	for i := range decided {
		decided[i] = g.randomWorkday(r, from, to)
	}
	slices.Sort(decided)
	ctr := map[int]int{}
	col := b.site.columnFor("2.1")
	var items []tableItem
	for _, d := range decided {
		item := pick(r, []string{"2.1", "2.1", "2.1", "2.2", "2.3", "2.4"})
		ctr[d.Year()]++
		b.lastNo[d.Year()] = ctr[d.Year()]
		pc := b.newCase(r, item, d.Year(), ctr[d.Year()], false, false, d, b.site.docStyle, b.site.Org)
		pub := g.addWD(d, between(r, 2, 25))
		if chance(r, 0.8) {
			pc.creditOn = g.addWD(d, between(r, 2, 20))
		}
		w.extra = append(w.extra, pc)
		if b.site.Family == FamGeneric {
			items = append(items, tableItem{pc: pc, planned: pub, written: pc.DocNo})
			continue
		}
		e := b.penaltyEntry(r, col, pc, pc.DocNo, pub)
		e.otherNos = []string{pc.DocNo}
		if chance(r, 0.05) {
			e.withdrawnOn = w.opts.Start.AddDays(between(r, 1, 200))
		}
	}
	if len(items) > 0 {
		b.penaltyTables(r, col, items)
	}
}

// cityDecisions puts a few of the city bureau's decisions (晋市监罚…) on the
// county's penalty list: they carry numbers no county record has.
func (b *countyBuilder) cityDecisions() {
	switch b.site.County.Name {
	case "城区", "泽州县", "高平市":
	default:
		return
	}
	g, w := b.g, b.g.w
	r := b.rng("city")
	col := b.site.columnFor("2.1")
	for range g.vol.city {
		d := g.randomWorkday(r, w.opts.Start, w.opts.AsOf)
		y := d.Year()
		if g.cityNo[y] == 0 {
			g.cityNo[y] = between(r, 20, 60)
		}
		g.cityNo[y] += between(r, 1, 9)
		pc := b.newCase(r, "2.1", y, g.cityNo[y], false, false, d, cityDocStyle, cityBureau)
		pc.City = true
		pc.creditOn = g.addWD(d, between(r, 2, 15))
		w.extra = append(w.extra, pc)
		e := b.penaltyEntry(r, col, pc, pc.DocNo, g.addWD(d, between(r, 2, 15)))
		e.kind = kindPenaltyPage
		e.Title = cityBureau + "行政处罚决定信息公开（" + pc.DocNo + "）"
		e.otherNos = []string{pc.DocNo}
	}
}

func (b *countyBuilder) noise() {
	g, w := b.g, b.g.w
	r := b.rng("noise")
	from := w.opts.Start.AddDays(-180)
	for range g.scaled(g.vol.news) {
		col := b.site.Columns[len(b.site.Columns)-1]
		if chance(r, 0.3) {
			col = pick(r, b.site.Columns)
		}
		if col.Blank {
			col = b.site.Columns[len(b.site.Columns)-1]
		}
		e := b.newEntry(col, kindNews, g.randomWorkday(r, from, w.horizon))
		e.Title = b.site.Org + pick(r, newsTitles)
		e.Formed = e.Published
		e.newsBody = "为进一步加强食品药品安全监管工作，" + b.site.Org + "近日" + pick(r, newsTitles) +
			"。党组书记、局长" + bureauChiefs[b.ci] + "强调，要坚持问题导向，压实主体责任，切实保障人民群众饮食用药安全。"
		if chance(r, 0.08) {
			e.withdrawnOn = e.Published.AddDays(between(r, 5, 90))
		}
	}
	for i := range g.vol.offsite {
		link := offsiteLinks[(b.ci+i)%len(offsiteLinks)]
		col := b.site.Columns[i%len(b.site.Columns)]
		if col.Blank {
			col = b.site.Columns[len(b.site.Columns)-1]
		}
		e := b.newEntry(col, kindOffsite, g.randomWorkday(r, w.opts.Start, w.opts.AsOf))
		e.Title = link.Title
		e.offsiteURL = link.URL
	}
	if b.site.uf.pinnedNote {
		// A pinned explanatory note: it speaks of penalties but discloses none.
		e := b.newEntry(b.site.columnFor("2.1"), kindNote, w.opts.Start.AddDays(-150))
		e.Title = "关于行政处罚信息公示有关事项的说明"
		e.Formed = e.Published
		e.pinned = true
	}
	// Backdating: a few single-record pages go online days after the date
	// they declare; lists sort them by that date, deep below newer entries.
	for _, e := range b.site.entries {
		switch e.kind {
		case kindPenaltyPage, kindPenaltyPDF, kindPenaltyScan, kindEvent:
			if len(e.records) == 1 && chance(r, 0.04) {
				e.appearsOn = e.Published.AddDays(between(r, 3, 15))
			}
		}
	}
	// Edits: a correction note, sometimes a changed title.
	for _, e := range b.site.entries {
		if e.kind == kindOffsite || !chance(r, 0.05) {
			continue
		}
		e.editedOn = e.shownFrom().AddDays(between(r, 2, 60))
		e.editNote = fmt.Sprintf("（%s更新：更正部分文字表述。）", e.editedOn.Chinese())
		if e.kind == kindNews || (e.kind == kindEvent && chance(r, 0.5)) {
			e.editedTitle = e.Title + "（更正）"
		}
	}
	if b.site.uf.on {
		b.healthFaults()
	}
}

// healthFaults (unfamiliar world) plants what the column health must find
// on each site, on its two newest news pages published by as_of that are
// otherwise untouched: the newest is re-saved ten days after as_of with its
// declared date moved to that day; the next links an attachment that
// answers 404; the third is withdrawn twenty days after as_of. None
// carries a record, so no status changes. It
// draws no random numbers: the world's other choices stay as they were.
func (b *countyBuilder) healthFaults() {
	asOf := b.g.w.opts.AsOf
	var news []*Entry
	for _, e := range b.site.entries {
		if e.kind == kindNews && e.Published <= asOf && e.appearsOn == 0 && e.editedOn == 0 && e.withdrawnOn == 0 && !e.col.Blank {
			news = append(news, e)
		}
	}
	// Newest first; the stable sort keeps the entries' own order for a tie.
	slices.SortStableFunc(news, func(x, y *Entry) int { return cmp.Compare(y.Published, x.Published) })
	// A site with fewer news pages gets the first faults only.
	if len(news) > 0 {
		re := news[0]
		re.editedOn = asOf.AddDays(10)
		re.redated = re.editedOn
		re.editNote = fmt.Sprintf("（%s更新）", re.editedOn.Chinese())
	}
	if len(news) > 1 {
		dead := news[1]
		dead.attachments = append(dead.attachments, &Attachment{Name: "活动安排.pdf", Ext: "pdf", entry: dead, Dead: true})
	}
	if len(news) > 2 {
		news[2].withdrawnOn = asOf.AddDays(20)
	}
	// The fourth and fifth link, in their text, the same removed notice
	// (a dead internal link on two pages: checked once per sweep, reported
	// on both), the site's home page (alive), an outside site, an e-mail
	// address and an anchor (none of them internal links to check).
	for _, e := range news[min(3, len(news)):min(5, len(news))] {
		e.bodyLinks = []bodyLink{
			{Href: deadNoticePath, Text: "原通知", Dead: true},
			{Href: "/", Text: "本站首页"},
			{Href: "http://www.gov.cn/zhengce/", Text: "中国政府网政策"},
			{Href: "mailto:scjgj@example.gov.cn", Text: "联系我们"},
			{Href: "#top", Text: "返回顶部"},
		}
	}
	// The fourth also links a notice the site takes down until eight days
	// after as_of, when it is put back: a dead link that gets fixed.
	if len(news) > 3 {
		b.site.uf.noticeBack = asOf.AddDays(8)
		news[3].bodyLinks = append(news[3].bodyLinks, bodyLink{Href: restoredNoticePath, Text: "补充通知", Dead: true, DeadUntil: b.site.uf.noticeBack})
	}
}

// restoredNoticePath is the notice a site puts back eight days after as_of.
const restoredNoticePath = "/xxgk/old/t20190322_102.html"

// deadNoticePath is a notice every unfamiliar site removed: its news pages
// still link it.
const deadNoticePath = "/xxgk/old/t20190315_101.html"
