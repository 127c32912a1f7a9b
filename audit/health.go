package audit

import (
	"cmp"
	"context"
	"fmt"
	"gongkai"
	"slices"
	"strings"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/store"
)

// Column health (栏目健康): whether each website column is kept up, from
// the harvest history. The allowances are the State Council's website
// indicators (国办秘函〔2019〕19号): a 动态 column with nothing new for two
// weeks, a 通知公告 or 政策文件 column with nothing new for six months is
// not being updated. Catalogue columns get the six months too: their items
// follow decisions and inspections, which a county bureau makes every
// month, and the coverage's column basis already uses six months.
const (
	newsAllowanceDays = 14
	healthMonths      = staleMonths
)

// Verdicts and problems of a column (Chinese, user-facing).
const (
	HealthOK         = "正常"
	HealthStale      = "超期未更新"
	HealthBlank      = "空白栏目"
	HealthUndated    = "有未标注发布日期的信息"
	HealthDeadLinks  = "有失效链接"
	HealthRedated    = "有发布日期被改动的信息"
	HealthWithdrawn  = "有已撤下的信息"
	HealthUnverified = "待核实"
)

// KindLabel is a column kind as users read it.
func KindLabel(kind string) string {
	switch kind {
	case gongkai.KindNews:
		return "动态类"
	case gongkai.KindNotice:
		return "通知公告类"
	case gongkai.KindPolicy:
		return "政策文件类"
	case gongkai.KindCatalogue:
		return "目录事项类"
	case gongkai.KindStatic:
		return "静态类（不考核更新）"
	}
	return kind
}

// allowedDays is how many days a column of kind may go without a new item
// as of asOf; 0 = never stale.
func allowedDays(kind string, asOf calendar.Date) int {
	switch kind {
	case gongkai.KindStatic:
		return 0
	case gongkai.KindNews:
		return newsAllowanceDays
	}
	six := calendar.FromTime(asOf.Time().AddDate(0, -healthMonths, 0))
	return int(asOf - six)
}

// columnHealth judges every website column of the county.
func (a *audit) columnHealth(ctx context.Context, cr *countyRun) ([]ColumnHealth, error) {
	byColumn := map[string][]*gongkai.Publication{}
	for _, p := range cr.pubs {
		byColumn[p.Source+"|"+p.Column] = append(byColumn[p.Source+"|"+p.Column], p)
	}
	var out []ColumnHealth
	seen := map[string]bool{}
	for _, pl := range a.places {
		k := pl.Source + "|" + pl.Column
		if pl.Channel == catalogue.Credit || pl.County != cr.county || seen[k] {
			continue
		}
		seen[k] = true
		h, err := a.health(ctx, pl, byColumn[k])
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

func (a *audit) health(ctx context.Context, pl Place, pubs []*gongkai.Publication) (ColumnHealth, error) {
	dead, err := a.deadInternalLinks(ctx)
	if err != nil {
		return ColumnHealth{}, err
	}
	kind := cmp.Or(pl.Kind, gongkai.DefaultColumnKind(pl.Items))
	asOf := a.o.AsOf
	h := ColumnHealth{County: pl.County, Source: pl.Source, Column: pl.Column, URL: pl.URL, Kind: kind,
		AllowedDays: allowedDays(kind, asOf)}

	// The latest outcome of the column, and its latest complete one.
	var latest, complete *gongkai.ColumnOutcome
	sweeps := a.sweepsBy[pl.Source]
	for i := len(sweeps) - 1; i >= 0 && (latest == nil || complete == nil); i-- {
		for j := range sweeps[i].Columns {
			c := &sweeps[i].Columns[j]
			if c.Column != pl.Column {
				continue
			}
			if latest == nil {
				latest = c
			}
			if complete == nil && c.Complete {
				complete = c
				h.Observed = rfcTime(cmp.Or(c.ObservedAt, sweeps[i].Finished, sweeps[i].Started))
			}
		}
	}
	if latest != nil {
		h.Complete = latest.Complete
		h.Reason = latest.Why()
	}

	var newest *gongkai.Publication
	for _, p := range pubs {
		if p.State == gongkai.Withdrawn {
			h.Withdrawn = append(h.Withdrawn, HealthEvidence{URL: p.URL, Title: p.Title, Date: dayOf(p.Withdrawn),
				CaptureID: p.CaptureID, Note: "撤下前最后一次采集"})
			continue
		}
		h.Items++
		d := publishedOf(p)
		if d.IsZero() {
			h.Undated = append(h.Undated, HealthEvidence{URL: p.URL, Title: p.Title, CaptureID: p.CaptureID})
		} else if d <= asOf && (newest == nil || d > publishedOf(newest)) {
			newest = p
		}
		for _, at := range p.Attachments {
			if deadLink(at.Error) {
				h.DeadLinks = append(h.DeadLinks, DeadLink{Page: p.URL, PageTitle: p.Title, PageCapture: p.CaptureID,
					Link: at.URL, Name: at.Name, Error: at.Error, Type: DeadAttachment, LinkCapture: at.CaptureID})
			}
		}
		for _, l := range dead[p.URL] {
			if l.Dead() {
				h.DeadLinks = append(h.DeadLinks, DeadLink{Page: p.URL, PageTitle: p.Title, PageCapture: p.CaptureID,
					Link: l.URL, Name: l.Name, Error: l.Error, Type: DeadInternal, LinkCapture: l.CaptureID, Checked: rfcTime(l.CheckedAt)})
			}
		}
		if p.Version > 1 {
			vs, err := a.st.Versions(ctx, p.URL)
			if err != nil {
				return h, fmt.Errorf("读取 %s 的历史版本失败: %w", p.URL, err)
			}
			if r, ok := redated(vs); ok {
				r.Title = p.Title
				h.Redated = append(h.Redated, r)
			}
		}
	}
	if newest != nil {
		d := publishedOf(newest)
		h.Newest = d.String()
		h.DaysWithoutNew = int(asOf - d)
	}

	var problems []string
	switch {
	case complete == nil:
		problems = append(problems, HealthUnverified+"："+cmp.Or(h.Reason, "从未完整采集"))
	case newest == nil && h.Items == 0 && (complete.Blank || complete.Listed == 0):
		h.Blank = true
		problems = append(problems, HealthBlank)
		ev := HealthEvidence{URL: pl.URL, Note: "列表为空"}
		if complete.Blank {
			ev.Note = "列表为空，网站显示无信息"
		}
		if pl.URL != "" {
			if st, ok, err := a.st.FetchState(ctx, pl.URL); err == nil && ok {
				ev.CaptureID = st.CaptureID
			}
		}
		h.Evidence = append(h.Evidence, ev)
	case newest != nil && h.AllowedDays > 0 && h.DaysWithoutNew > h.AllowedDays:
		if !h.Complete {
			problems = append(problems, HealthUnverified+"：最近一次采集未完整（"+h.Reason+"），无法确认是否超期未更新")
			break
		}
		h.Stale = true
		problems = append(problems, fmt.Sprintf("%s（最近一条 %s，已 %d 天无新信息，%s栏目限 %d 天）",
			HealthStale, h.Newest, h.DaysWithoutNew, KindLabel(kind), h.AllowedDays))
		h.Evidence = append(h.Evidence, HealthEvidence{URL: newest.URL, Title: newest.Title, Date: h.Newest,
			CaptureID: newest.CaptureID, Note: "栏目中最新的一条信息"})
	}
	if len(h.Undated) > 0 {
		problems = append(problems, fmt.Sprintf("%s %d 条", HealthUndated, len(h.Undated)))
	}
	if len(h.DeadLinks) > 0 {
		problems = append(problems, fmt.Sprintf("%s %d 个", HealthDeadLinks, len(h.DeadLinks)))
	}
	if len(h.Redated) > 0 {
		problems = append(problems, fmt.Sprintf("%s %d 条", HealthRedated, len(h.Redated)))
	}
	if len(h.Withdrawn) > 0 {
		problems = append(problems, fmt.Sprintf("%s %d 条", HealthWithdrawn, len(h.Withdrawn)))
	}
	h.Verdict = HealthOK
	if len(problems) > 0 {
		h.Verdict = strings.Join(problems, "；")
	}
	slices.SortFunc(h.Undated, compareEvidence)
	slices.SortFunc(h.Withdrawn, compareEvidence)
	slices.SortFunc(h.DeadLinks, func(x, y DeadLink) int {
		return cmp.Or(strings.Compare(x.Page, y.Page), strings.Compare(x.Link, y.Link))
	})
	slices.SortFunc(h.Redated, func(x, y Redated) int { return strings.Compare(x.URL, y.URL) })
	return h, nil
}

func compareEvidence(x, y HealthEvidence) int { return strings.Compare(x.URL, y.URL) }

// deadInternalLinks are the stored internal links of every page with a
// dead one (the harvester checks them, sources/harvest/links.go), by page.
func (a *audit) deadInternalLinks(ctx context.Context) (map[string][]store.PageLink, error) {
	a.deadOnce.Do(func() {
		pls, err := a.st.PageLinks(ctx, store.PageLinkQuery{DeadOnly: true})
		if err != nil {
			a.deadErr = fmt.Errorf("读取页面内链接的检查结果失败: %w", err)
			return
		}
		a.deadLinks = make(map[string][]store.PageLink, len(pls))
		for _, pl := range pls {
			a.deadLinks[pl.Page] = pl.Links
		}
	})
	return a.deadLinks, a.deadErr
}

// deadLink reports whether an attachment's error says the link is dead:
// the server answered 4xx (the harvester retries 5xx and gives up the
// page instead). Unreadable files and links off the configured hosts are
// not dead.
func deadLink(err string) bool {
	return strings.HasPrefix(err, "HTTP 4")
}

// redated finds a change of the declared date between a page's first
// version and its current one (versions oldest first).
func redated(vs []gongkai.Publication) (Redated, bool) {
	if len(vs) < 2 {
		return Redated{}, false
	}
	first, last := vs[0], vs[len(vs)-1]
	from, to := publishedOf(&first), publishedOf(&last)
	if from.IsZero() || to.IsZero() || from == to {
		return Redated{}, false
	}
	return Redated{URL: last.URL, From: from.String(), To: to.String(), FirstCapture: first.CaptureID, CaptureID: last.CaptureID}, true
}

// dayOf is the China day of t ("" for zero).
func dayOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return calendar.FromTime(t.In(calendar.China)).String()
}
