package reports

// Charts for the HTML report, computed in Go as shapes with coordinates and
// written by html/template as inline SVG: no script library, no network,
// and every label escaped like the rest of the page.

import (
	"fmt"
	"gongkai/audit"
	"math"
	"slices"
	"strconv"
)

// svgChart is one inline SVG chart.
type svgChart struct {
	ID, Title, Caption string
	Width, Height      int
	Rects              []svgRect
	Lines              []svgLine
	Polylines          []svgPolyline
	Dots               []svgDot
	Texts              []svgText
	Legend             []svgLegend
	Empty              string // shown instead of the chart when there is nothing to draw
}

type svgRect struct {
	X, Y, W, H float64
	Class      string
	Tip        string
}

type svgLine struct {
	X1, Y1, X2, Y2 float64
	Class          string
}

type svgPolyline struct {
	Points string
	Stroke string
	Class  string
}

type svgDot struct {
	X, Y  float64
	Fill  string
	Tip   string
	Class string
}

type svgText struct {
	X, Y   float64
	Anchor string // start, middle, end
	Class  string
	Text   string
}

type svgLegend struct {
	Class, Color, Text string
}

// statusClass is the CSS class that colours a status (bars, cards, rows).
func statusClass(s audit.Status) string { return "st-" + string(s) }

// lineColours tell apart the per-county lines of the trend chart.
var lineColours = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"}

// maxChartMonths caps the month axis: older months are left out of the
// trend charts (they stay in the tables).
const maxChartMonths = 36

// monthStats counts findings by the month their record was formed.
type monthStats struct {
	months   []string                        // YYYY-MM ascending
	byStatus map[string]map[audit.Status]int // month → status → count
	byCounty map[string]map[string]*audit.Coverage
}

func collectMonths(r *audit.Report) monthStats {
	ms := monthStats{byStatus: map[string]map[audit.Status]int{}, byCounty: map[string]map[string]*audit.Coverage{}}
	for i := range r.Findings {
		f := &r.Findings[i]
		if len(f.FormedOn) < 7 {
			continue
		}
		m := f.FormedOn[:7]
		if ms.byStatus[m] == nil {
			ms.byStatus[m] = map[audit.Status]int{}
			ms.byCounty[m] = map[string]*audit.Coverage{}
			ms.months = append(ms.months, m)
		}
		ms.byStatus[m][f.Status]++
		c := ms.byCounty[m][f.County]
		if c == nil {
			c = &audit.Coverage{}
			ms.byCounty[m][f.County] = c
		}
		switch f.Status {
		case audit.OnTime:
			c.OnTime++
		case audit.Late:
			c.Late++
		case audit.Missing:
			c.Missing++
		}
	}
	slices.Sort(ms.months)
	ms.months = fillMonths(ms.months)
	if len(ms.months) > maxChartMonths {
		ms.months = ms.months[len(ms.months)-maxChartMonths:]
	}
	return ms
}

// fillMonths returns every month from the first to the last of the sorted
// YYYY-MM list, so that the time axis has no silent gaps.
func fillMonths(months []string) []string {
	if len(months) < 2 {
		return months
	}
	parse := func(m string) (int, bool) {
		y, err1 := strconv.Atoi(m[:4])
		mo, err2 := strconv.Atoi(m[5:7])
		return y*12 + mo - 1, err1 == nil && err2 == nil && m[4] == '-'
	}
	first, ok1 := parse(months[0])
	last, ok2 := parse(months[len(months)-1])
	if !ok1 || !ok2 || last-first > 1200 {
		return months
	}
	out := make([]string, 0, last-first+1)
	for m := first; m <= last; m++ {
		out = append(out, fmt.Sprintf("%04d-%02d", m/12, m%12+1))
	}
	return out
}

// niceMax rounds a maximum up to 1, 2 or 5 × a power of ten.
func niceMax(v int) int {
	if v <= 0 {
		return 1
	}
	p := int(math.Pow10(int(math.Floor(math.Log10(float64(v))))))
	for _, m := range []int{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// labelEvery returns k so that every k-th of n labels is drawn, at most max.
func labelEvery(n, max int) int {
	if n <= max {
		return 1
	}
	return (n + max - 1) / max
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// monthStatusChart: stacked bars of findings per formed month, by status.
func monthStatusChart(ms monthStats) svgChart {
	ch := svgChart{ID: "chart-month", Title: "按形成月份的记录状态", Width: 760, Height: 300,
		Caption: "每根柱为该月形成的应公开记录（按渠道计）的状态构成。"}
	for _, s := range audit.Statuses {
		ch.Legend = append(ch.Legend, svgLegend{Class: statusClass(s), Text: s.Label()})
	}
	if len(ms.months) == 0 {
		ch.Empty = "没有可统计的记录。"
		return ch
	}
	const left, right, top, bottom = 48.0, 28.0, 16.0, 44.0
	plotW := float64(ch.Width) - left - right
	plotH := float64(ch.Height) - top - bottom
	maxTotal := 0
	for _, m := range ms.months {
		t := 0
		for _, n := range ms.byStatus[m] {
			t += n
		}
		maxTotal = max(maxTotal, t)
	}
	ymax := niceMax(maxTotal)
	for i := 0; i <= 4; i++ {
		y := top + plotH - plotH*float64(i)/4
		ch.Lines = append(ch.Lines, svgLine{X1: left, Y1: round1(y), X2: left + plotW, Y2: round1(y), Class: "grid"})
		ch.Texts = append(ch.Texts, svgText{X: left - 6, Y: round1(y + 4), Anchor: "end", Class: "tick",
			Text: strconv.FormatFloat(float64(ymax)*float64(i)/4, 'f', -1, 64)})
	}
	slot := plotW / float64(len(ms.months))
	barW := math.Max(1, slot*0.7)
	every := labelEvery(len(ms.months), 12)
	for i, m := range ms.months {
		x := left + slot*float64(i) + (slot-barW)/2
		y := top + plotH
		for _, s := range audit.Statuses {
			n := ms.byStatus[m][s]
			if n == 0 {
				continue
			}
			h := plotH * float64(n) / float64(ymax)
			y -= h
			ch.Rects = append(ch.Rects, svgRect{X: round1(x), Y: round1(y), W: round1(barW), H: round1(h),
				Class: "bar " + statusClass(s), Tip: fmt.Sprintf("%s %s：%d 条", m, s.Label(), n)})
		}
		if i%every == 0 {
			ch.Texts = append(ch.Texts, svgText{X: round1(x + barW/2), Y: top + plotH + 18, Anchor: "middle", Class: "tick", Text: m})
		}
	}
	ch.Lines = append(ch.Lines, svgLine{X1: left, Y1: top + plotH, X2: left + plotW, Y2: top + plotH, Class: "axis"})
	return ch
}

// countyOntimeChart: horizontal bars of each county's on-time rate (on
// time / judged), worst first.
func countyOntimeChart(v *renderView) svgChart {
	ch := svgChart{ID: "chart-county", Title: "各县区按时公开率",
		Caption: "按时公开率 = 按时公开 ÷（按时公开 + 逾期公开 + 未公开）；未到期和待核实的记录不计入。从低到高排列。"}
	type row struct {
		county string
		rate   float64
		ok     bool
		c      *audit.Coverage
	}
	var rows []row
	for _, c := range v.counties {
		t := v.totals[c]
		if t == nil {
			t = &audit.Coverage{}
		}
		rate, ok := ontimeRate(t)
		rows = append(rows, row{c, rate, ok, t})
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		switch {
		case a.ok != b.ok:
			if a.ok {
				return -1
			}
			return 1
		case a.rate < b.rate:
			return -1
		case a.rate > b.rate:
			return 1
		}
		return 0
	})
	if len(rows) == 0 {
		ch.Width, ch.Height, ch.Empty = 760, 60, "没有县区。"
		return ch
	}
	const left, right, top, rowH = 110.0, 60.0, 8.0, 22.0
	ch.Width = 760
	ch.Height = int(top*2 + rowH*float64(len(rows)) + 20)
	plotW := float64(ch.Width) - left - right
	for i := 0; i <= 4; i++ {
		x := left + plotW*float64(i)/4
		ch.Lines = append(ch.Lines, svgLine{X1: round1(x), Y1: top, X2: round1(x), Y2: top + rowH*float64(len(rows)), Class: "grid"})
		ch.Texts = append(ch.Texts, svgText{X: round1(x), Y: top + rowH*float64(len(rows)) + 14, Anchor: "middle", Class: "tick", Text: strconv.Itoa(i*25) + "%"})
	}
	for i, r := range rows {
		y := top + rowH*float64(i)
		ch.Texts = append(ch.Texts, svgText{X: left - 6, Y: round1(y + rowH/2 + 4), Anchor: "end", Class: "label", Text: r.county})
		if !r.ok {
			ch.Texts = append(ch.Texts, svgText{X: left + 4, Y: round1(y + rowH/2 + 4), Anchor: "start", Class: "note", Text: "无可判定记录"})
			continue
		}
		w := plotW * r.rate
		ch.Rects = append(ch.Rects, svgRect{X: left, Y: round1(y + 3), W: round1(math.Max(w, 1)), H: rowH - 6,
			Class: "bar " + heatClass(r.rate),
			Tip:   fmt.Sprintf("%s：按时 %d，逾期 %d，未公开 %d", r.county, r.c.OnTime, r.c.Late, r.c.Missing)})
		ch.Texts = append(ch.Texts, svgText{X: round1(left + w + 4), Y: round1(y + rowH/2 + 4), Anchor: "start", Class: "value", Text: percent(r.rate)})
	}
	return ch
}

// ontimeTrendChart: on-time rate by formed month, overall and — when there
// are few enough counties to tell the lines apart — per county.
func ontimeTrendChart(v *renderView, ms monthStats) svgChart {
	ch := svgChart{ID: "chart-trend", Title: "按月按时公开率趋势", Width: 760, Height: 300,
		Caption: "按记录形成月份计算的按时公开率（未到期、待核实不计入）。"}
	if len(ms.months) == 0 {
		ch.Empty = "没有可统计的记录。"
		return ch
	}
	const left, right, top, bottom = 48.0, 28.0, 16.0, 44.0
	plotW := float64(ch.Width) - left - right
	plotH := float64(ch.Height) - top - bottom
	for i := 0; i <= 4; i++ {
		y := top + plotH - plotH*float64(i)/4
		ch.Lines = append(ch.Lines, svgLine{X1: left, Y1: round1(y), X2: left + plotW, Y2: round1(y), Class: "grid"})
		ch.Texts = append(ch.Texts, svgText{X: left - 6, Y: round1(y + 4), Anchor: "end", Class: "tick", Text: strconv.Itoa(i*25) + "%"})
	}
	xAt := func(i int) float64 {
		if len(ms.months) == 1 {
			return left + plotW/2
		}
		return left + plotW*float64(i)/float64(len(ms.months)-1)
	}
	every := labelEvery(len(ms.months), 12)
	for i, m := range ms.months {
		if i%every == 0 {
			ch.Texts = append(ch.Texts, svgText{X: round1(xAt(i)), Y: top + plotH + 18, Anchor: "middle", Class: "tick", Text: m})
		}
	}
	series := []string{""} // "" is all counties together
	if len(v.counties) > 1 && len(v.counties) <= len(lineColours) {
		series = append(series, v.counties...)
	}
	for si, county := range series {
		colour, name := "#333333", "全部县区"
		if county != "" {
			colour, name = lineColours[(si-1)%len(lineColours)], county
		}
		var pts []byte
		for i, m := range ms.months {
			var c audit.Coverage
			for cn, cc := range ms.byCounty[m] {
				if county == "" || cn == county {
					c.OnTime += cc.OnTime
					c.Late += cc.Late
					c.Missing += cc.Missing
				}
			}
			rate, ok := ontimeRate(&c)
			if !ok {
				continue
			}
			x, y := round1(xAt(i)), round1(top+plotH-plotH*rate)
			pts = fmt.Appendf(pts, "%g,%g ", x, y)
			ch.Dots = append(ch.Dots, svgDot{X: x, Y: y, Fill: colour, Class: "dot",
				Tip: fmt.Sprintf("%s %s：按时公开率 %s（%d/%d）", name, m, percent(rate), c.OnTime, judged(&c))})
		}
		if len(pts) > 0 {
			pl := svgPolyline{Points: string(pts), Stroke: colour}
			if county == "" {
				pl.Class = "all"
			}
			ch.Polylines = append(ch.Polylines, pl)
		}
		ch.Legend = append(ch.Legend, svgLegend{Color: colour, Text: name})
	}
	ch.Lines = append(ch.Lines, svgLine{X1: left, Y1: top + plotH, X2: left + plotW, Y2: top + plotH, Class: "axis"})
	return ch
}

// heatClass is the CSS class of a 0..1 score on the red–yellow–green scale
// (h0 … h10).
func heatClass(score float64) string {
	b := int(math.Round(math.Max(0, math.Min(1, score)) * 10))
	return "h" + strconv.Itoa(b)
}
