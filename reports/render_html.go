package reports

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
)

//go:embed assets/report.html.tmpl
var reportHTMLTemplate string

var reportHTML = template.Must(template.New("report").Funcs(template.FuncMap{
	"shortDigest": shortDigest,
}).Parse(reportHTMLTemplate))

// RenderHTML writes the report as one self-contained Chinese HTML page:
// summary, county index, the county × item matrix as a heat map, trend
// charts as inline SVG, every flag with its evidence, ambiguous matches,
// harvested items per county and channel, and the state of the sources.
// It loads nothing from the network (no CDN, fonts, or favicon request)
// and every piece of harvested text goes through html/template escaping.
func RenderHTML(w io.Writer, r *Report) error {
	page := buildHTMLPage(r)
	b := bufio.NewWriterSize(w, 64<<10)
	if err := reportHTML.Execute(b, page); err != nil {
		return err
	}
	return b.Flush()
}

type htmlPage struct {
	Title, AsOf, Period, GeneratedAt, Catalogue string
	CountyN, FindingN, ItemN, FlagN             int
	Cards                                       []htmlCard
	Index                                       []htmlIndexRow
	Items                                       []htmlItemHead
	Matrix                                      []htmlMatrixRow
	Heat                                        []htmlCard // legend
	Charts                                      []svgChart
	Flags                                       []htmlFlag
	FlagKinds                                   []string
	Ambiguities                                 []Ambiguity
	Sources                                     []htmlSource
	SourcesIncomplete                           int
	Harvest                                     []htmlHarvestRow
}

type htmlCard struct {
	Label, Value, Class string
}

type htmlIndexRow struct {
	County, Score, Timely, Complete, Class string
	T                                      Coverage
	Rate                                   string
}

type htmlItemHead struct{ Code, Name string }

type htmlMatrixRow struct {
	County string
	Cells  []htmlCell
}

type htmlCell struct {
	Item, Class, Score, Counts, Tip string
	Empty                           bool
}

// htmlFlag is one row of the flag table. Its fields are its own, not a
// Finding's through embedding: text/template looks up a promoted field by
// a breadth-first search of the embedded structs, for every cell of tens of
// thousands of rows.
type htmlFlag struct {
	County, Item, RecordNo, Title, Party, Channel string
	FormedOn, Due, Published, URL, Evidence       string
	FirstSeen                                     string

	Kinds     string
	Late      string
	Missing   string
	Notes     string
	ItemName  string
	RowClass  string
	StatusTxt string
}

type htmlSource struct {
	SourceState
	Failed string
}

type htmlHarvestRow struct {
	County, Channel           string
	Total, Classified, Others int
}

func buildHTMLPage(r *Report) *htmlPage {
	v := newRenderView(r)
	p := &htmlPage{
		Title:       ReportTitle + "（截至 " + r.AsOf + "）",
		AsOf:        r.AsOf,
		Period:      periodText(r),
		GeneratedAt: r.GeneratedAt,
		Catalogue:   r.Catalogue,
		CountyN:     len(v.counties),
		FindingN:    len(r.Findings),
		ItemN:       len(r.Items),
		FlagN:       len(v.flags),
		FlagKinds:   []string{FlagLate, FlagMissing, FlagUnverified, FlagBackdated, FlagIncomplete},
		Ambiguities: r.Ambiguities,
	}
	for _, s := range Statuses {
		p.Cards = append(p.Cards, htmlCard{Label: s.Label(), Value: fmt.Sprint(v.status[s]), Class: statusClass(s)})
	}
	p.Cards = append(p.Cards,
		htmlCard{Label: FlagBackdated, Value: fmt.Sprint(v.backdate), Class: "st-doubt"},
		htmlCard{Label: FlagIncomplete, Value: fmt.Sprint(v.partial), Class: "st-partial"})

	for _, c := range v.counties {
		row := htmlIndexRow{County: c, Score: "—", Timely: "—", Complete: "—", Class: "hna", Rate: "—"}
		if ix := v.index[c]; ix != nil {
			row.Score, row.Timely, row.Complete, row.Class = percent(ix.Score), percent(ix.Timely), percent(ix.Complete), heatClass(ix.Score)
		}
		if t := v.totals[c]; t != nil {
			row.T = *t
			if rate, ok := ontimeRate(t); ok {
				row.Rate = percent(rate)
			}
		}
		p.Index = append(p.Index, row)
	}

	for _, it := range v.items {
		p.Items = append(p.Items, htmlItemHead{Code: it, Name: ItemName(it)})
	}
	for _, c := range v.counties {
		row := htmlMatrixRow{County: c}
		for _, it := range v.items {
			cell := v.cells[[2]string{c, it}]
			if cell == nil {
				row.Cells = append(row.Cells, htmlCell{Item: it, Class: "hna", Empty: true, Tip: c + " " + itemLabel(it) + "：无统计"})
				continue
			}
			score := percent(cell.Score)
			if !scored(cell) {
				score = "不计分"
			}
			tip := fmt.Sprintf("%s %s\n得分 %s（依据：%s）；应公开 %d，按时 %d，逾期 %d，未公开 %d，未到期 %d，待核实 %d；已采集条目 %d",
				c, itemLabel(it), score, basisLabel(cell.Basis), cell.Expected, cell.OnTime, cell.Late, cell.Missing, cell.Pending, cell.Unverified, cell.PublishedItems)
			if cell.Note != "" {
				tip += "\n" + cell.Note
			}
			hc := htmlCell{Item: it, Class: heatClass(cell.Score), Score: score, Counts: fmt.Sprintf("%d/%d", cell.OnTime, cell.Expected), Tip: tip}
			switch {
			case !scored(cell):
				hc.Class, hc.Empty = "hna", true
			case cell.Basis == basisColumn:
				hc.Counts = "栏目"
			}
			row.Cells = append(row.Cells, hc)
		}
		p.Matrix = append(p.Matrix, row)
	}
	for i := 0; i <= 10; i++ {
		label := fmt.Sprintf("%d%%", i*10)
		p.Heat = append(p.Heat, htmlCard{Label: label, Class: fmt.Sprintf("h%d", i)})
	}

	ms := collectMonths(r)
	p.Charts = []svgChart{monthStatusChart(ms), countyOntimeChart(v), ontimeTrendChart(v, ms)}

	p.Flags = make([]htmlFlag, 0, len(v.flags))
	for _, f := range v.flagFindings() {
		hf := htmlFlag{County: f.County, Item: f.Item, RecordNo: f.RecordNo, Title: f.Title, Party: f.Party, Channel: f.Channel,
			FormedOn: f.FormedOn, Due: f.Due, Published: f.Published, URL: f.URL, Evidence: f.Evidence, FirstSeen: f.FirstSeen,
			Kinds: joinList(FlagKinds(*f)), Missing: joinList(f.MissingElements),
			Notes: strings.Join(f.Notes, "；"), ItemName: ItemName(f.Item), RowClass: statusClass(f.Status), StatusTxt: f.Status.Label()}
		if f.Status == Late {
			hf.Late = fmt.Sprint(f.LateWorkdays)
		}
		p.Flags = append(p.Flags, hf)
	}

	for _, s := range r.Sources {
		if !s.Complete {
			p.SourcesIncomplete++
		}
		p.Sources = append(p.Sources, htmlSource{SourceState: s, Failed: joinList(s.Failed)})
	}

	type hk struct{ county, channel string }
	harvest := map[hk]*htmlHarvestRow{}
	for _, it := range r.Items {
		k := hk{it.County, it.Channel}
		h := harvest[k]
		if h == nil {
			h = &htmlHarvestRow{County: it.County, Channel: it.Channel}
			harvest[k] = h
		}
		h.Total++
		if it.Item != "" {
			h.Classified++
		} else {
			h.Others++
		}
	}
	order := map[string]int{}
	for i, c := range v.counties {
		order[c] = i
	}
	for _, h := range harvest {
		p.Harvest = append(p.Harvest, *h)
	}
	slices.SortFunc(p.Harvest, func(a, b htmlHarvestRow) int {
		oa, okA := order[a.County]
		ob, okB := order[b.County]
		switch {
		case okA && okB && oa != ob:
			return oa - ob
		case okA != okB:
			if okA {
				return -1
			}
			return 1
		case a.County != b.County:
			return strings.Compare(a.County, b.County)
		}
		return strings.Compare(a.Channel, b.Channel)
	})
	return p
}

// shortDigest shortens "sha256:<64 hex>" for display; the full digest is
// kept in the title attribute.
func shortDigest(s string) string {
	if i := strings.IndexByte(s, ':'); i >= 0 && len(s) > i+17 {
		return s[:i+13] + "…"
	}
	return s
}
