package reports

import (
	"bufio"
	_ "embed"
	"fmt"
	"gongkai/audit"
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
func RenderHTML(w io.Writer, r *audit.Report) error {
	page := buildHTMLPage(r)
	b := bufio.NewWriterSize(w, 64<<10)
	// The flag table's rows — tens of thousands at province scale — are
	// written by writeHTMLFlagRows where the template prints FlagRows:
	// through text/template every cell cost a reflective call of each of
	// its escapers.
	rows := &flagRowsWriter{w: b, flags: page.Flags}
	if err := reportHTML.Execute(rows, page); err != nil {
		return err
	}
	if rows.err != nil {
		return rows.err
	}
	return b.Flush()
}

// flagRowsMarker is what the template prints for FlagRows; flagRowsWriter
// writes the rows in its place. text/template hands an action's output to
// the writer in one Write, so the marker arrives whole.
const flagRowsMarker = "<!--gongkai:flag-rows-->"

type flagRowsWriter struct {
	w     *bufio.Writer
	flags []htmlFlag
	err   error
}

func (fw *flagRowsWriter) Write(p []byte) (int, error) {
	if string(p) == flagRowsMarker {
		fw.err = writeHTMLFlagRows(fw.w, fw.flags)
		return len(p), fw.err
	}
	return fw.w.Write(p)
}

// writeHTMLFlagRows writes one <tr> per flag, exactly as html/template
// wrote them from the row template (TestHTMLFlagRowsMatchTemplate):
// text and attribute values through htmlEscape, the link through
// html/template's URL filter and normaliser.
func writeHTMLFlagRows(w io.Writer, flags []htmlFlag) error {
	b := make([]byte, 0, 64<<10)
	for i := range flags {
		f := &flags[i]
		b = append(b, `<tr class="`...)
		b = appendHTMLEscaped(b, f.RowClass)
		b = append(b, `" data-county="`...)
		b = appendHTMLEscaped(b, f.County)
		b = append(b, `" data-item="`...)
		b = appendHTMLEscaped(b, f.Item)
		b = append(b, `" data-kinds="`...)
		b = appendHTMLEscaped(b, f.Kinds)
		b = append(b, `"><td>`...)
		b = appendHTMLEscaped(b, f.County)
		b = append(b, `</td><td title="`...)
		b = appendHTMLEscaped(b, f.ItemName)
		b = append(b, `">`...)
		b = appendHTMLEscaped(b, f.Item)
		b = append(b, `</td><td class="record-no">`...)
		b = appendHTMLEscaped(b, f.RecordNo)
		b = append(b, `</td><td class="title">`...)
		b = appendHTMLEscaped(b, f.Title)
		b = append(b, `</td><td class="party">`...)
		b = appendHTMLEscaped(b, f.Party)
		b = append(b, `</td><td>`...)
		b = appendHTMLEscaped(b, f.Channel)
		b = append(b, `</td><td class="kinds">`...)
		b = appendHTMLEscaped(b, f.Kinds)
		b = append(b, `</td><td>`...)
		b = appendHTMLEscaped(b, f.FormedOn)
		b = append(b, `</td><td>`...)
		b = appendHTMLEscaped(b, f.Due)
		b = append(b, `</td><td>`...)
		b = appendHTMLEscaped(b, f.Published)
		b = append(b, `</td><td class="num">`...)
		b = appendHTMLEscaped(b, f.Late)
		b = append(b, `</td><td class="missing">`...)
		b = appendHTMLEscaped(b, f.Missing)
		b = append(b, `</td><td class="unverifiable">`...)
		b = appendHTMLEscaped(b, f.Unverifiable)
		b = append(b, `</td><td class="url">`...)
		if f.URL != "" {
			b = append(b, `<a href="`...)
			b = appendHTMLURL(b, f.URL)
			b = append(b, `" rel="noopener noreferrer" target="_blank">`...)
			b = appendHTMLEscaped(b, f.URL)
			b = append(b, `</a>`...)
		}
		if f.Evidence != "" {
			b = append(b, `<br><code title="`...)
			b = appendHTMLEscaped(b, f.Evidence)
			b = append(b, `">`...)
			b = appendHTMLEscaped(b, shortDigest(f.Evidence))
			b = append(b, `</code>`...)
		}
		if f.FirstSeen != "" {
			b = append(b, `<br><span class="muted">首次发现 `...)
			b = appendHTMLEscaped(b, f.FirstSeen)
			b = append(b, `</span>`...)
		}
		b = append(b, `</td><td class="notes">`...)
		b = appendHTMLEscaped(b, f.Notes)
		b = append(b, "</td></tr>\n"...)
		if len(b) >= 60<<10 {
			if _, err := w.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	_, err := w.Write(b)
	return err
}

// appendHTMLEscaped escapes s for a text node or a quoted attribute value
// as html/template does (its htmlReplacementTable): NUL, quotes, &, + and
// angle brackets.
func appendHTMLEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, repl...)
		start = i + 1
	}
	return append(b, s[start:]...)
}

// appendHTMLURL writes a URL into a quoted href as html/template does: a
// URL with a scheme other than http, https or mailto becomes #ZgotmplZ;
// bytes a URL may not hold are percent-encoded (existing %XX escapes
// kept); what remains is attribute-escaped.
func appendHTMLURL(b []byte, s string) []byte {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		s = "#ZgotmplZ"
	}
	const hexDigits = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			b = append(b, "&amp;"...)
		case c == '+':
			b = append(b, "&#43;"...)
		case strings.IndexByte("!#$*,/:;=?@[]-._~", c) >= 0, 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b = append(b, c)
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			b = append(b, c)
		default:
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&0xF])
		}
	}
	return b
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
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
	FlagRows                                    template.HTML // flagRowsMarker
	FlagKinds                                   []string
	Ambiguities                                 []audit.Ambiguity
	Sources                                     []htmlSource
	Health                                      []htmlHealth
	HealthHeader                                []string
	HealthProblems                              int
	HealthRules                                 string
	SourcesIncomplete                           int
	Harvest                                     []htmlHarvestRow
	HarvestNote                                 string
}

type htmlCard struct {
	Label, Value, Class string
}

type htmlIndexRow struct {
	County, Score, Timely, Complete, Class string
	T                                      audit.Coverage
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

	Kinds   string
	Late    string
	Missing string
	// Unverifiable: elements that could not be read (要素无法核实).
	Unverifiable string
	Notes        string
	ItemName     string
	RowClass     string
	StatusTxt    string
}

type htmlSource struct {
	audit.SourceState
	Failed string
}

// htmlHealth is one row of the 栏目健康 table.
type htmlHealth struct {
	Cells    []string // healthHeader's cells but the last two
	Evidence []string
	URL      string
	OK       bool
}

type htmlHarvestRow struct {
	County, Channel           string
	Total, Classified, Others int
}

func buildHTMLPage(r *audit.Report) *htmlPage {
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
		FlagRows:    flagRowsMarker,
		FlagKinds:   []string{audit.FlagLate, audit.FlagMissing, audit.FlagUnverified, audit.FlagBackdated, audit.FlagIncomplete, audit.FlagElementsUnverified},
		Ambiguities: r.Ambiguities,
	}
	for _, s := range audit.Statuses {
		p.Cards = append(p.Cards, htmlCard{Label: s.Label(), Value: fmt.Sprint(v.status[s]), Class: statusClass(s)})
	}
	p.Cards = append(p.Cards,
		htmlCard{Label: audit.FlagBackdated, Value: fmt.Sprint(v.backdate), Class: "st-doubt"},
		htmlCard{Label: audit.FlagIncomplete, Value: fmt.Sprint(v.partial), Class: "st-partial"},
		htmlCard{Label: audit.FlagElementsUnverified, Value: fmt.Sprint(v.unread), Class: "st-unverified"})

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
			case cell.Basis == audit.BasisColumn:
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
			Kinds: joinList(audit.FlagKinds(*f)), Missing: joinList(f.MissingElements), Unverifiable: joinList(f.UnverifiableElements),
			Notes: strings.Join(f.Notes, "；"), ItemName: ItemName(f.Item), RowClass: statusClass(f.Status), StatusTxt: f.Status.Label()}
		if f.Status == audit.Late {
			hf.Late = fmt.Sprint(f.LateWorkdays)
		}
		p.Flags = append(p.Flags, hf)
	}

	p.HealthHeader = healthHeader
	p.HealthRules = healthRulesText
	for i := range r.ColumnHealth {
		h := &r.ColumnHealth[i]
		cells := healthCells(h)
		p.Health = append(p.Health, htmlHealth{Cells: cells[:len(cells)-2], Evidence: healthEvidence(h), URL: h.URL, OK: healthOK(h)})
		if !healthOK(h) {
			p.HealthProblems++
		}
	}
	for _, s := range r.Sources {
		if !s.Complete {
			p.SourcesIncomplete++
		}
		p.Sources = append(p.Sources, htmlSource{SourceState: s, Failed: failedText(s)})
	}

	// The page counts harvested items; where to read them one by one.
	p.HarvestNote = "按县区和渠道统计；逐条清单见 XLSX 报告的“已采集”工作表或 JSON 报告的 items。"
	if len(r.Items) > XLSXMaxItems {
		p.HarvestNote = fmt.Sprintf("按县区和渠道统计。共采集 %d 条，超过 XLSX 报告逐条列出的上限（%d 条）：逐条清单见 JSON 报告的 items。", len(r.Items), XLSXMaxItems)
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
