package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/reports"
	"gongkai/sources/fetch"
	"gongkai/store"
)

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"label":    func(s audit.Status) string { return s.Label() },
	"itemName": reports.ItemName,
	"pct":      func(x float64) string { return strconv.FormatFloat(x*100, 'f', 0, 64) + "%" },
	"join":     func(xs []string) string { return strings.Join(xs, "、") },
	"kinds":    func(f audit.Finding) []string { return audit.FlagKinds(f) },
	"deref":    func(f *audit.Finding) audit.Finding { return *f },
	"when": func(s string) string { // RFC 3339 as people read it, in China time
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return s
		}
		return t.In(calendar.China).Format("2006-01-02 15:04")
	},
	"channels": func() []string { return []string{string(catalogue.Website), string(catalogue.Credit)} },
	"short": func(s string) string {
		if len(s) > 19 {
			return s[:19] + "…"
		}
		return s
	},
}).ParseFS(files, "templates/*.html"))

func (s *Server) routes() {
	assets, _ := fs.Sub(files, "assets")
	s.mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(assets)))
	s.mux.HandleFunc("GET /{$}", s.page(s.overviewData, "overview.html"))
	s.mux.HandleFunc("GET /api/view", s.api(s.overviewData))
	s.mux.HandleFunc("GET /record", s.page(s.recordData, "record.html"))
	s.mux.HandleFunc("GET /api/record", s.api(s.recordData))
	s.mux.HandleFunc("GET /evidence/{id}", s.page(s.evidenceData, "evidence.html"))
	s.mux.HandleFunc("GET /api/evidence/{id}", s.api(s.evidenceData))
	s.mux.HandleFunc("GET /evidence/{id}/raw", s.raw)
	s.mux.HandleFunc("GET /evidence-of", s.evidenceOf)
	for _, f := range []string{"xlsx", "csv", "json"} {
		s.mux.HandleFunc("GET /export."+f, func(w http.ResponseWriter, r *http.Request) { s.export(w, r, f) })
	}
	s.mux.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "没有这个接口: "+r.URL.Path)
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "页面不存在: "+r.URL.Path)
	})
}

type dataFunc func(ctx context.Context, r *http.Request) (any, error)

func (s *Server) page(data dataFunc, tmpl string) http.HandlerFunc {
	return s.rendered("text/html; charset=utf-8", data, func(d any) ([]byte, error) {
		var b bytes.Buffer
		err := pages.ExecuteTemplate(&b, tmpl, d)
		return b.Bytes(), err
	})
}

func (s *Server) api(data dataFunc) http.HandlerFunc {
	return s.rendered("application/json; charset=utf-8", data, func(d any) ([]byte, error) {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err := enc.Encode(d)
		return b.Bytes(), err
	})
}

// rendered answers with the page of a request, keeping the bytes per
// (store generation, path, query): a page of a thousand findings costs far
// more to render than to send, and 200 loads of it should cost one render.
func (s *Server) rendered(contentType string, data dataFunc, render func(any) ([]byte, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		gen, err := s.generation(r.Context())
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		key := gen + "|" + r.URL.Path + "?" + r.URL.Query().Encode()
		body, ok := s.pageCache(key)
		if !ok {
			d, err := data(r.Context(), r)
			if err != nil {
				s.failErr(w, r, err)
				return
			}
			if body, err = render(d); err != nil {
				s.failErr(w, r, err)
				return
			}
			s.keepPage(key, body)
		}
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	}
}

// Overview is the data of `/` and `/api/view`.
type Overview struct {
	AsOf       string               `json:"as_of"`
	Filters    []string             `json:"filters"`
	Query      string               `json:"query"` // the view's query string, for links
	Form       map[string]string    `json:"form"`
	Counties   []string             `json:"county_names"`
	ItemCodes  []string             `json:"item_codes"`
	Report     *audit.Report        `json:"-"`
	Index      []audit.CountyIndex  `json:"counties"`
	Matrix     []MatrixRow          `json:"matrix"`
	Items      []string             `json:"items"`
	Sources    []audit.SourceState  `json:"sources"`
	New        []reports.FlagChange `json:"new_flags"`
	PrevAsOf   string               `json:"previous_as_of"`
	NewUnknown string               `json:"new_flags_unavailable,omitempty"`
	Findings   []audit.Finding      `json:"findings"`
	Statuses   []audit.Status       `json:"-"`
	q          *query
}

// RecordHref is the record page of a finding, in the view's as-of and period.
func (o *Overview) RecordHref(f audit.Finding) string {
	return "/record" + o.q.with("county", f.County, "item", f.Item, "no", f.RecordNo, "channel", f.Channel, "status", "", "q", "")
}

// CellHref is the view narrowed to a county × item cell (and a status).
func (o *Overview) CellHref(county, item string, status audit.Status) string {
	return "/" + o.q.with("county", county, "item", item, "status", string(status))
}

// ReportHref is the full HTML report for the view's as-of date and scope.
func (o *Overview) ReportHref() string {
	return "/report.html" + o.q.with("status", "", "channel", "", "q", "")
}

// Export is a download of the view.
func (o *Overview) Export(format string) string { return "/export." + format + o.Query }

// MatrixRow is one county's cells in item order.
type MatrixRow struct {
	County string            `json:"county"`
	Cells  []*audit.Coverage `json:"cells"`
}

func (s *Server) overviewData(ctx context.Context, r *http.Request) (any, error) {
	q, err := s.parseQuery(ctx, r.URL.Query())
	if err != nil {
		return nil, err
	}
	rep, err := s.report(ctx, q.Scope)
	if err != nil {
		return nil, err
	}
	o := &Overview{AsOf: rep.AsOf, Filters: q.describe(), Query: q.with(), Form: map[string]string{},
		Counties: s.env.Counties(), ItemCodes: s.env.ItemCodes(), Report: rep, Index: rep.Counties,
		Sources: rep.Sources, Statuses: audit.Statuses, q: q}
	for k := range q.Raw {
		o.Form[k] = q.Raw.Get(k)
	}
	o.Form["as_of"] = q.Scope.AsOf.String()
	o.Findings = q.Filter.Apply(rep.Findings)
	if o.Findings == nil {
		o.Findings = []audit.Finding{}
	}
	// The matrix: counties × items that have coverage.
	cells := map[string]map[string]*audit.Coverage{}
	for i := range rep.Coverage {
		c := &rep.Coverage[i]
		if cells[c.County] == nil {
			cells[c.County] = map[string]*audit.Coverage{}
			o.Matrix = append(o.Matrix, MatrixRow{County: c.County})
		}
		cells[c.County][c.Item] = c
		if !slices.Contains(o.Items, c.Item) {
			o.Items = append(o.Items, c.Item)
		}
	}
	for i := range o.Matrix {
		for _, it := range o.Items {
			o.Matrix[i].Cells = append(o.Matrix[i].Cells, cells[o.Matrix[i].County][it])
		}
	}
	// New flags since the report one week earlier (same scope).
	prevScope := q.Scope
	prevScope.AsOf = q.Scope.AsOf.AddDays(-7)
	if prevScope.To != "" {
		if d, err := calendar.ParseDate(prevScope.To); err == nil && d > prevScope.AsOf {
			prevScope.To = prevScope.AsOf.String()
		}
	}
	if prev, err := s.report(ctx, prevScope); err == nil {
		o.PrevAsOf = prev.AsOf
		for _, c := range reports.Diff(prev, rep).New {
			if c.After != nil && q.Filter.Match(c.After) {
				o.New = append(o.New, c)
			}
		}
	} else if errors.Is(err, errBusy) {
		o.NewUnknown = "上周报告正在排队，稍后刷新可见本周新增标记"
	} else if errors.Is(err, context.Canceled) {
		return nil, err
	}
	return o, nil
}

// Record is the data of `/record`.
type Record struct {
	Query    string          `json:"query"`
	AsOf     string          `json:"as_of"`
	Findings []RecordFinding `json:"findings"`
}

// RecordFinding is one channel's finding with its evidence.
type RecordFinding struct {
	audit.Finding
	Kinds   []string  `json:"flag_kinds,omitempty"`
	Links   []Link    `json:"evidence_links,omitempty"`
	Absence []Absence `json:"absence,omitempty"`
	NoWatch string    `json:"not_observed,omitempty"` // why the place could not be observed
}

// Link is one piece of evidence.
type Link struct {
	Label     string `json:"label"`
	CaptureID string `json:"capture_id"`
	Href      string `json:"href"`
}

// Absence is one complete observation of the column after the due date.
type Absence struct {
	Sentence string `json:"sentence"`
	Pages    []Link `json:"pages,omitempty"`
}

func evidenceHref(id string) string {
	return "/evidence/" + strings.Trim(strings.TrimPrefix(id, "<urn:uuid:"), "<>")
}

func (s *Server) recordData(ctx context.Context, r *http.Request) (any, error) {
	v := r.URL.Query()
	q, err := s.parseQuery(ctx, v)
	if err != nil {
		return nil, err
	}
	county, item, no, ch := v.Get("county"), v.Get("item"), v.Get("no"), v.Get("channel")
	if county == "" || item == "" || no == "" {
		return nil, requestError{"缺少参数: county、item、no（县区、事项、文号）"}
	}
	rep, err := s.report(ctx, q.Scope)
	if err != nil {
		return nil, err
	}
	out := &Record{Query: q.with("no", "", "channel", ""), AsOf: rep.AsOf}
	for _, f := range rep.Findings {
		if f.County != county || f.Item != item || f.RecordNo != no || (ch != "" && f.Channel != ch) {
			continue
		}
		rf := RecordFinding{Finding: f, Kinds: audit.FlagKinds(f)}
		if err := s.evidenceOfFinding(ctx, &rf); err != nil {
			return nil, err
		}
		out.Findings = append(out.Findings, rf)
	}
	if len(out.Findings) == 0 {
		return nil, notFound{"截至 " + rep.AsOf + " 的核查中没有这条记录: " + county + " " + item + " " + no}
	}
	return out, nil
}

type notFound struct{ msg string }

func (e notFound) Error() string { return e.msg }

// evidenceOfFinding links the stored copies behind a finding: the detail
// page and its attachments for a found disclosure; for a missing or
// unverified one, the complete observations of its column after the due
// date, or why the column could not be observed.
func (s *Server) evidenceOfFinding(ctx context.Context, rf *RecordFinding) error {
	st := s.env.Store()
	if rf.URL != "" {
		if p, ok, err := st.Publication(ctx, rf.URL); err != nil {
			return err
		} else if ok {
			if p.CaptureID != "" {
				rf.Links = append(rf.Links, Link{Label: "详情页 " + p.URL, CaptureID: p.CaptureID, Href: evidenceHref(p.CaptureID)})
			}
			for _, a := range p.Attachments {
				if a.CaptureID != "" {
					rf.Links = append(rf.Links, Link{Label: "附件 " + a.URL, CaptureID: a.CaptureID, Href: evidenceHref(a.CaptureID)})
				}
			}
		}
		if len(rf.Links) == 0 {
			if fs, ok, err := st.FetchState(ctx, rf.URL); err != nil {
				return err
			} else if ok && fs.CaptureID != "" {
				rf.Links = append(rf.Links, Link{Label: "详情页 " + rf.URL, CaptureID: fs.CaptureID, Href: evidenceHref(fs.CaptureID)})
			}
		}
	}
	if rf.Status != audit.Missing && rf.Status != audit.Unverified {
		return nil
	}
	due := rf.Due
	if due == "" {
		due = rf.DueEarliest
	}
	dueDate, _ := calendar.ParseDate(due)
	if rf.Channel == string(catalogue.Credit) {
		return s.creditAbsence(ctx, rf, dueDate)
	}
	sweeps, err := st.Sweeps(ctx, store.SweepQuery{County: rf.County})
	if err != nil {
		return err
	}
	var caps []gongkai.Capture
	capsRead := false
	for _, sw := range sweeps {
		if string(sw.Channel) != rf.Channel || sw.Finished.IsZero() || sw.Interrupted {
			continue
		}
		for _, c := range sw.Columns {
			if !slices.Contains(c.Items, rf.Item) {
				continue
			}
			day := calendar.FromTime(c.ObservedAt.In(calendar.China))
			if dueDate != 0 && day < dueDate {
				continue
			}
			if !c.Complete {
				if rf.NoWatch == "" {
					rf.NoWatch = fmt.Sprintf("于 %s 未能完整观察栏目「%s」: %s", day, c.Column, c.Why())
				}
				continue
			}
			a := Absence{Sentence: fmt.Sprintf("于 %s 完整观察栏目「%s」%d 页，未见该记录", day, c.Column, c.ListPages)}
			if u := s.env.ColumnURL(rf.County, c.Column); u != "" {
				if !capsRead {
					capsRead = true
					if err := st.Captures(ctx, func(x gongkai.Capture) error { caps = append(caps, x); return nil }); err != nil {
						return err
					}
				}
				a.Pages = listCaptures(caps, u, sw.Started, sw.Finished)
				if len(a.Pages) == 0 {
					// Captures dated by another clock than the sweep (or
					// pruned): the list pages' last stored copies.
					if a.Pages, err = s.lastListCaptures(ctx, u); err != nil {
						return err
					}
				}
			}
			rf.Absence = append(rf.Absence, a)
		}
	}
	if len(rf.Absence) == 0 && rf.NoWatch == "" {
		rf.NoWatch = "截止日期之后尚无该栏目的完整采集"
	}
	return nil
}

// creditAbsence: the credit-system lookups of the party after the due
// date — observed ones prove absence, the others say why not.
func (s *Server) creditAbsence(ctx context.Context, rf *RecordFinding, due calendar.Date) error {
	lookups, err := s.env.Store().CreditLookups(ctx, store.CreditQuery{County: rf.County})
	if err != nil {
		return err
	}
	for _, l := range lookups {
		if rf.Party == "" || (l.Party != rf.Party && l.Key != rf.Party) {
			continue
		}
		day := calendar.FromTime(l.At.In(calendar.China))
		if due != 0 && day < due {
			continue
		}
		if !l.Observed {
			if rf.NoWatch == "" {
				rf.NoWatch = fmt.Sprintf("于 %s 查询「%s」未能完成: %s", day, l.Party, l.Reason)
			}
			continue
		}
		a := Absence{Sentence: fmt.Sprintf("于 %s 在国家企业信用信息公示系统查询「%s」，未见该记录", day, l.Party)}
		if l.CaptureID != "" {
			a.Pages = []Link{{Label: "查询结果 " + l.CompanyURL, CaptureID: l.CaptureID, Href: evidenceHref(l.CaptureID)}}
		}
		rf.Absence = append(rf.Absence, a)
	}
	if len(rf.Absence) == 0 && rf.NoWatch == "" {
		rf.NoWatch = "截止日期之后尚未在国家企业信用信息公示系统查询该当事人"
	}
	return nil
}

// lastListCaptures are the last stored copies of a column's list pages,
// from the fetch states.
func (s *Server) lastListCaptures(ctx context.Context, first string) ([]Link, error) {
	dir := first[:strings.LastIndex(first, "/")+1]
	states, err := s.env.Store().FetchStates(ctx, []string{dir})
	if err != nil {
		return nil, err
	}
	var out []Link
	for _, st := range states {
		if st.CaptureID == "" || !isListPage(st.URL, first) {
			continue
		}
		out = append(out, Link{Label: fmt.Sprintf("列表页 %s（最近采集 %s）", st.URL, st.LastFetched.In(calendar.China).Format("2006-01-02 15:04")),
			CaptureID: st.CaptureID, Href: evidenceHref(st.CaptureID)})
	}
	slices.SortFunc(out, func(a, b Link) int { return strings.Compare(a.Label, b.Label) })
	return out, nil
}

// isListPage: u is the first list page or one of its numbered siblings
// (index_1.shtml) or a paged query of it.
func isListPage(u, first string) bool {
	dir := first[:strings.LastIndex(first, "/")+1]
	if !strings.HasPrefix(u, dir) {
		return false
	}
	if u == first {
		return true
	}
	base := path.Base(first)
	stem := strings.TrimSuffix(base, path.Ext(base))
	rest := u[len(dir):]
	return !strings.Contains(rest, "/") && (strings.HasPrefix(rest, stem) || strings.HasPrefix(u, strings.SplitN(first, "?", 2)[0]+"?"))
}

// listCaptures are the captures of a column's list pages (URLs in the
// first list page's directory that are not detail pages) fetched during a
// sweep.
func listCaptures(caps []gongkai.Capture, first string, from, to time.Time) []Link {
	var out []Link
	for _, c := range caps {
		if c.At.Before(from.Add(-time.Minute)) || c.At.After(to.Add(time.Minute)) || !isListPage(c.URL, first) {
			continue
		}
		out = append(out, Link{Label: "列表页 " + c.URL, CaptureID: c.ID, Href: evidenceHref(c.ID)})
	}
	return out
}

// Evidence is the data of `/evidence/{id}`.
type Evidence struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	At        string `json:"fetched_at"`
	Status    int    `json:"status"`
	Digest    string `json:"digest"`
	MediaType string `json:"media_type"`
	Raw       string `json:"raw"`
	Download  string `json:"download"`
	Framed    bool   `json:"-"`
}

func (s *Server) capture(ctx context.Context, id string) (gongkai.Capture, *fetch.Response, error) {
	full := id
	if !strings.HasPrefix(id, "<") {
		full = "<urn:uuid:" + id + ">"
	}
	c, ok, err := s.env.Store().Capture(ctx, full)
	if err != nil {
		return c, nil, err
	}
	if !ok {
		return c, nil, notFound{"没有这份存档: " + id}
	}
	if c.Type != "" && c.Type != "response" && c.Type != "resource" {
		return c, nil, nil // a revisit or metadata record: no payload of its own (a resource, render: browser's DOM, has one)
	}
	resp, err := fetch.Replay(c, fetch.Request{})
	if err != nil {
		return c, nil, err
	}
	return c, resp, nil
}

func (s *Server) evidenceData(ctx context.Context, r *http.Request) (any, error) {
	id := r.PathValue("id")
	c, resp, err := s.capture(ctx, id)
	if err != nil {
		return nil, err
	}
	href := evidenceHref(c.ID)
	if resp == nil {
		return &Evidence{ID: c.ID, URL: c.URL, At: c.At.In(calendar.China).Format("2006-01-02 15:04:05 MST"), Status: c.Status,
			Digest: c.PayloadDigest, MediaType: c.Type + " 记录（内容与此前同摘要的存档相同，本记录不含内容）"}, nil
	}
	e := &Evidence{ID: c.ID, URL: c.URL, At: c.At.In(calendar.China).Format("2006-01-02 15:04:05 MST"), Status: resp.Status,
		Digest: c.PayloadDigest, MediaType: resp.MediaType, Raw: href + "/raw", Download: href + "/raw?download=1"}
	if e.Digest == "" {
		e.Digest = resp.Digest
	}
	e.Framed = strings.HasPrefix(resp.MediaType, "text/") || resp.MediaType == "image/png" || resp.MediaType == "image/jpeg"
	return e, nil
}

// raw serves the stored payload as fetched. Scripts are forbidden by CSP
// and the response is sandboxed; it may be framed only by the UI itself.
func (s *Server) raw(w http.ResponseWriter, r *http.Request) {
	c, resp, err := s.capture(r.Context(), r.PathValue("id"))
	if err == nil && resp == nil {
		err = notFound{"该存档是 " + c.Type + " 记录，不含内容"}
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; script-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	if r.URL.Query().Get("download") != "" || !strings.HasPrefix(resp.MediaType, "text/") {
		name := path.Base(strings.SplitN(c.URL, "?", 2)[0])
		if name == "" || name == "/" || name == "." {
			name = "evidence"
		}
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	}
	w.Write(resp.Body)
}

func (s *Server) evidenceOf(w http.ResponseWriter, r *http.Request) {
	u := r.URL.Query().Get("url")
	st, ok, err := s.env.Store().FetchState(r.Context(), u)
	if err == nil && !ok {
		if base, _, cut := strings.Cut(u, "#"); cut { // a fragment names a part of the page
			st, ok, err = s.env.Store().FetchState(r.Context(), base)
		}
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if !ok || st.CaptureID == "" {
		s.fail(w, r, http.StatusNotFound, "没有该网址的存档: "+u)
		return
	}
	http.Redirect(w, r, evidenceHref(st.CaptureID), http.StatusFound)
}

func (s *Server) export(w http.ResponseWriter, r *http.Request, format string) {
	types := map[string]string{
		"json": "application/json; charset=utf-8",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"csv":  "text/csv; charset=utf-8",
	}
	if types[format] == "" {
		s.fail(w, r, http.StatusNotFound, "不支持的下载格式: "+format)
		return
	}
	q, err := s.parseQuery(r.Context(), r.URL.Query())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	rep, err := s.report(r.Context(), q.Scope)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	var b strings.Builder
	if err := reports.Render(&b, filtered(rep, q.Filter), format); err != nil {
		s.failErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", types[format])
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="gongkai-%s.%s"`, rep.AsOf, format))
	fmt.Fprint(w, b.String())
}

func (s *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	var re requestError
	var nf notFound
	switch {
	case errors.As(err, &re):
		s.fail(w, r, http.StatusBadRequest, re.msg)
	case errors.As(err, &nf):
		s.fail(w, r, http.StatusNotFound, nf.msg)
	case errors.Is(err, errBusy):
		w.Header().Set("Retry-After", "5")
		s.fail(w, r, http.StatusServiceUnavailable, "核查任务已满，请稍后再试")
	case errors.Is(err, context.Canceled):
		// the client went away
	default:
		s.fail(w, r, http.StatusInternalServerError, "生成失败: "+err.Error())
	}
}

// fail answers an error: JSON under /api/, a Chinese page elsewhere.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		WriteJSON(w, code, map[string]string{"error": msg})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	pages.ExecuteTemplate(w, "error.html", map[string]any{"Code": code, "Msg": msg})
}

// WriteJSON answers v as indented JSON (Chinese and <> as themselves) with
// the status code: the API's one way of answering.
func WriteJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
