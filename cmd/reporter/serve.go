package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/internal/cli"
	"gongkai/reports"
	"gongkai/store"
	"gongkai/web"
)

func init() {
	program.Add(cli.Command{
		Name:    "serve",
		Summary: "网页界面与 JSON 接口（报告、查询、健康检查）",
		Run:     runServe,
	})
}

// runServe serves the web UI (package web) on --addr, loopback by default;
// any other address needs --token. Routes:
//
//	/                       overview and findings (?as_of=&from=&to=&county=&item=&status=&channel=&q=);
//	                        as_of defaults to the last complete sweep's day
//	/record                 one record with its evidence (?county=&item=&no=[&channel=])
//	/evidence/<id>          a stored capture; /evidence/<id>/raw the copy as fetched
//	/export.{xlsx,csv,json} the view's findings, same parameters
//	/api/view, /api/record, /api/evidence/<id>   the pages' data as JSON
//	/report.{json,html,xlsx,csv,md}   the whole report (as of today unless ?as_of=)
//	/api/report             the JSON report, same parameters
//	/api/findings           findings filtered like `reporter query` (?status=&channel=&item=&q=&year=)
//	/healthz                ok when the store answers
//
// The UI caches audits per (store generation, scope) and runs at most one
// at a time (503 beyond); /report.* and /api/findings audit afresh, one at
// a time.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("serve", stderr)
	var af auditFlags
	af.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "监听地址")
	token := fs.String("token", "", "访问令牌（监听非本机地址时必填）：请求带 Authorization: Bearer 令牌，或以令牌为密码的基本认证")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %s", strings.Join(fs.Args(), " "))
	}
	if af.from != "" || af.to != "" || af.county != "" || af.item != "" {
		return cli.Usagef("serve 的期间、县区和事项在请求参数中指定（?from=&to=&county=&item=）")
	}
	if err := checkExposure(*addr, *token); err != nil {
		return err
	}
	a, err := af.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s: %w", *addr, err)
	}
	srv := &http.Server{Handler: newServeHandler(a, *token), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "报告服务: http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	case err := <-errc:
		return err
	}
}

// checkExposure refuses to serve beyond loopback without a token: the
// store holds the office's findings.
func checkExposure(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return cli.Usagef("--addr %q 不是 主机:端口", addr)
	}
	if token != "" {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return cli.Usagef("监听 %s 不是本机地址，必须用 --token 设置访问令牌", addr)
}

type serveHandler struct {
	a   *auditEnv
	sem chan struct{} // one audit at a time (the report downloads and /api/findings)
	ui  *web.Server
	now func() time.Time
}

func newServeHandler(a *auditEnv, token string) *serveHandler {
	h := &serveHandler{a: a, sem: make(chan struct{}, 1), now: time.Now}
	h.ui = web.New(webEnv{a}, web.Options{Token: token})
	h.ui.Now = func() time.Time { return h.now() }
	for _, f := range reports.Formats {
		h.ui.Handle("GET /report."+f, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.report(w, r, f) }))
	}
	h.ui.Handle("GET /report.markdown", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.report(w, r, "md") }))
	h.ui.Handle("GET /api/report", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.report(w, r, "json") }))
	h.ui.Handle("GET /api/findings", http.HandlerFunc(h.findings))
	h.ui.Handle("GET /healthz", http.HandlerFunc(h.health))
	return h
}

func (h *serveHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.ui.ServeHTTP(w, r) }

// webEnv gives the web UI the command's configuration and validation.
type webEnv struct{ a *auditEnv }

func (e webEnv) Store() store.Store { return e.a.store }

func (e webEnv) Options(s web.Scope) (audit.Options, error) {
	sub := *e.a
	sub.flags.from, sub.flags.to, sub.flags.county, sub.flags.item = s.From, s.To, s.County, s.Item
	if err := e.a.checkItem(s.Item); err != nil {
		return audit.Options{}, err
	}
	return sub.options(s.AsOf)
}

func (e webEnv) ExpandItems(spec string) ([]string, error) { return e.a.itemFilter(spec) }

func (e webEnv) Counties() []string {
	var out []string
	for _, c := range e.a.Config.Counties {
		out = append(out, c.County)
	}
	return out
}

func (e webEnv) ItemCodes() []string {
	var known []string
	for _, c := range e.a.Config.Counties {
		for _, k := range e.a.Catalogues[c.County].Codes() {
			if !slices.Contains(known, k) {
				known = append(known, k)
			}
		}
	}
	slices.SortFunc(known, catalogue.CompareCodes)
	return known
}

func (e webEnv) ColumnURL(county, column string) string {
	for _, c := range e.a.Config.Counties {
		if c.County != county {
			continue
		}
		for _, s := range c.Sources {
			for _, col := range s.Columns {
				if col.Name == column {
					return col.URL
				}
			}
		}
	}
	return ""
}

// requestError is a bad query parameter (400).
type requestError struct{ msg string }

func (e requestError) Error() string { return e.msg }

// build audits for the request's parameters.
func (h *serveHandler) build(ctx context.Context, q url.Values, itemFromQuery bool) (*audit.Report, error) {
	f := h.a.flags
	f.from, f.to, f.county, f.item = q.Get("from"), q.Get("to"), q.Get("county"), ""
	if itemFromQuery {
		f.item = q.Get("item")
	}
	if y := q.Get("year"); y != "" {
		if f.from != "" || f.to != "" {
			return nil, requestError{"year 不能与 from/to 同时使用"}
		}
		f.from, f.to = y+"-01-01", y+"-12-31"
	}
	asOf := calendar.FromTime(h.now().In(calendar.China))
	if s := q.Get("as_of"); s != "" {
		d, err := calendar.ParseDate(s)
		if err != nil {
			return nil, requestError{fmt.Sprintf("as_of %q 不是有效日期", s)}
		}
		asOf = d
	}
	if q.Get("year") != "" && f.to > asOf.String() {
		f.to = asOf.String()
	}
	if f.item != "" {
		if err := h.a.checkItem(f.item); err != nil {
			return nil, requestError{err.Error()}
		}
	}
	sub := *h.a
	sub.flags = f
	opts, err := sub.options(asOf)
	if err != nil {
		return nil, requestError{err.Error()}
	}
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-h.sem }()
	return audit.Build(ctx, h.a.store, opts)
}

func (h *serveHandler) report(w http.ResponseWriter, r *http.Request, format string) {
	if format == "markdown" {
		format = "md"
	}
	if !isFormat(format) {
		http.NotFound(w, r)
		return
	}
	rep, err := h.build(r.Context(), r.URL.Query(), true)
	if err != nil {
		h.fail(w, err)
		return
	}
	contentTypes := map[string]string{
		"json": "application/json; charset=utf-8",
		"html": "text/html; charset=utf-8",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"csv":  "text/csv; charset=utf-8",
		"md":   "text/markdown; charset=utf-8",
	}
	w.Header().Set("Content-Type", contentTypes[format])
	if format == "xlsx" || format == "csv" {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="report-%s.%s"`, rep.AsOf, format))
	}
	if err := reports.Render(w, rep, format); err != nil {
		// Headers are gone; the truncated body is the only signal left.
		fmt.Fprintf(w, "\n报告输出失败: %v\n", err)
	}
}

func isFormat(f string) bool {
	for _, k := range reports.Formats {
		if k == f {
			return true
		}
	}
	return false
}

func (h *serveHandler) findings(w http.ResponseWriter, r *http.Request) {
	found, err := h.queryFindings(r)
	if err != nil {
		h.fail(w, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, found)
}

// queryFindings applies the query command's filters to a fresh audit.
func (h *serveHandler) queryFindings(r *http.Request) ([]audit.Finding, error) {
	q := r.URL.Query()
	statuses, err := parseStatuses(q.Get("status"))
	if err != nil {
		return nil, err
	}
	channels, err := parseChannels(q.Get("channel"))
	if err != nil {
		return nil, err
	}
	items, err := h.a.itemFilter(q.Get("item"))
	if err != nil {
		return nil, err
	}
	qq := cloneValues(q)
	qq.Del("item")
	if len(items) == 1 {
		qq.Set("item", items[0]) // let the audit skip everything else
	}
	rep, err := h.build(r.Context(), qq, true)
	if err != nil {
		return nil, err
	}
	found := audit.Filter{Items: items, Statuses: statuses, Channels: channels, Text: q.Get("q")}.Apply(rep.Findings)
	if found == nil {
		found = []audit.Finding{}
	}
	return found, nil
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

func (h *serveHandler) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if _, err := h.a.store.Sweeps(ctx, store.SweepQuery{Limit: 1}); err != nil {
		web.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "error", "error": err.Error()})
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (h *serveHandler) fail(w http.ResponseWriter, err error) {
	var re requestError
	var ue cli.UsageError
	switch {
	case errors.As(err, &re):
		web.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": re.msg})
	case errors.As(err, &ue):
		web.WriteJSON(w, http.StatusBadRequest, map[string]string{"error": ue.Msg})
	case errors.Is(err, context.Canceled):
		// the client went away
	default:
		web.WriteJSON(w, http.StatusInternalServerError, map[string]string{"error": "生成报告失败: " + err.Error()})
	}
}
