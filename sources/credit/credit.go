// Package credit looks up, on the national enterprise credit publicity
// system (国家企业信用信息公示系统), the enterprises whose records must be
// published there. The system cannot be listed, only searched, so the
// lookups are driven by the expected records in the store: one lookup per
// enterprise per sweep, by credit code (USCC), else by name, through the
// search result, the company page's data URLs and the paged DataTables JSON
// behind them. Every punishment and spot-check row becomes a publication
// with one disclosure.
//
// The system sits behind a JavaScript challenge (HTTP 521), a captcha and
// sometimes a login wall. A program works with the session a person opened
// (cookies and captcha fields from the configuration); whenever it meets a
// wall anyway, the lookup is recorded as not observed, with the reason —
// never as "nothing published".
package credit

import (
	"context"
	"errors"
	"fmt"
	"gongkai"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/records"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/store"
)

// Fetcher performs HTTP exchanges; *fetch.Fetcher implements it.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// Hooks report progress to the harvester; nil hooks are skipped.
type Hooks struct {
	Fetched   func(url, kind string, status int, err error)
	Committed func(res store.BatchResult)
	Failed    func(key string, err error)
	Queued    func(n int)
}

// Options configure a sweep.
type Options struct {
	Credit    config.Credit
	Store     store.Store
	Fetcher   Fetcher
	Catalogue *catalogue.Catalogue
	Counties  []string // official names; empty = every county with records
	Hooks     Hooks
	Logger    *slog.Logger
	Now       func() time.Time
	// PageSize is the DataTables page length asked for (default 5, as the site's UI).
	PageSize int
	// MaxDataPages bounds the pages read per table (default 50).
	MaxDataPages int
}

// Result says what a sweep did.
type Result struct {
	SweepID     int64
	Lookups     int
	Observed    int
	Columns     []gongkai.ColumnOutcome // one per county
	Interrupted bool
}

// Target is one enterprise to look up and the records that need it.
type Target struct {
	Key      string // USCC, else normalised party name
	USCC     string
	Party    string
	Counties []string
}

// Targets selects the expected records that must appear on the credit
// system and groups them by enterprise. Records naming neither a credit
// code nor a party cannot be looked up and are skipped.
func Targets(recs []records.Record, cat *catalogue.Catalogue, counties []string) []Target {
	byKey := map[string]*Target{}
	for _, r := range recs {
		if len(counties) > 0 && !slices.Contains(counties, r.County) {
			continue
		}
		it, ok := cat.Item(r.Item)
		if !ok || !slices.Contains(r.ExpectedChannels(it), catalogue.Credit) {
			continue
		}
		key := enterpriseKey(r.USCC, r.Party)
		if key == "" {
			continue
		}
		t := byKey[key]
		if t == nil {
			t = &Target{Key: key, USCC: strings.ToUpper(strings.TrimSpace(r.USCC)), Party: strings.TrimSpace(r.Party)}
			byKey[key] = t
		}
		if t.Party == "" {
			t.Party = strings.TrimSpace(r.Party)
		}
		if !slices.Contains(t.Counties, r.County) {
			t.Counties = append(t.Counties, r.County)
		}
	}
	out := make([]Target, 0, len(byKey))
	for _, t := range byKey {
		sort.Strings(t.Counties)
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Counties[0] != out[j].Counties[0] {
			return out[i].Counties[0] < out[j].Counties[0]
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Sweep runs one round of lookups and records it as a sweep of the credit
// source with one column outcome per county.
func Sweep(ctx context.Context, o Options) (Result, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Catalogue == nil {
		o.Catalogue = catalogue.Default()
	}
	if o.PageSize <= 0 {
		o.PageSize = 5
	}
	if o.MaxDataPages <= 0 {
		o.MaxDataPages = 50
	}
	var res Result
	recs, err := o.Store.Records(ctx, store.RecordQuery{})
	if err != nil {
		return res, fmt.Errorf("读取应公开记录失败: %w", err)
	}
	targets := Targets(recs, o.Catalogue, o.Counties)
	id, err := o.Store.BeginSweep(ctx, gongkai.Sweep{Source: o.Credit.Name, Channel: catalogue.Credit, Full: true, Started: o.Now()})
	if err != nil {
		return res, fmt.Errorf("开始采集失败: %w", err)
	}
	res.SweepID = id
	known, err := o.Store.Publications(ctx, store.PublicationQuery{Source: o.Credit.Name, Channel: catalogue.Credit})
	if err != nil {
		return res, fmt.Errorf("读取已知条目失败: %w", err)
	}
	l := &looker{o: o, sweepID: id, known: known}
	if o.Hooks.Queued != nil && len(targets) > 0 {
		o.Hooks.Queued(len(targets))
	}

	outcomes := map[string]*gongkai.ColumnOutcome{}
	outcome := func(county string) *gongkai.ColumnOutcome {
		if c := outcomes[county]; c != nil {
			return c
		}
		c := &gongkai.ColumnOutcome{Column: county, Complete: true}
		for _, it := range o.Catalogue.Items {
			if it.HasChannel(catalogue.Credit) {
				c.Items = append(c.Items, it.Code)
			}
		}
		outcomes[county] = c
		return c
	}
	var storeErr error
	for _, t := range targets {
		if ctx.Err() != nil {
			break
		}
		lk, err := l.lookup(ctx, t)
		if err != nil {
			storeErr = err
			break
		}
		if ctx.Err() != nil && !lk.observed {
			break // cancelled mid-lookup: nothing committed, nothing to count
		}
		res.Lookups++
		if lk.observed {
			res.Observed++
		}
		for _, county := range t.Counties {
			c := outcome(county)
			c.Details++
			if !lk.observed {
				c.DetailsFailed++
				c.Complete = false
				if len(c.Errors) < 50 {
					c.Errors = append(c.Errors, fmt.Sprintf("%s: %s", displayName(t), lk.reason))
				}
			}
		}
	}
	res.Interrupted = ctx.Err() != nil || storeErr != nil
	names := sortedKeys(outcomes)
	for _, county := range names {
		c := outcomes[county]
		c.ObservedAt = o.Now()
		var why []string
		if c.DetailsFailed > 0 {
			why = append(why, fmt.Sprintf("%d 家企业的查询未能完成", c.DetailsFailed))
		}
		if res.Interrupted {
			c.Complete = false
			why = append(why, "采集被中断")
		}
		c.Reason = strings.Join(why, "；")
		res.Columns = append(res.Columns, *c)
		if _, err := o.Store.Apply(context.WithoutCancel(ctx), store.Batch{SweepID: id, At: o.Now(), Column: c}); err != nil && storeErr == nil {
			storeErr = fmt.Errorf("保存查询结果失败: %w", err)
		}
	}
	if err := o.Store.FinishSweep(context.WithoutCancel(ctx), id, o.Now(), res.Interrupted); err != nil && storeErr == nil {
		storeErr = fmt.Errorf("结束采集失败: %w", err)
	}
	return res, storeErr
}

func displayName(t Target) string {
	switch {
	case t.Party != "" && t.USCC != "":
		return t.Party + "（" + t.USCC + "）"
	case t.Party != "":
		return t.Party
	}
	return t.USCC
}

// looker performs lookups within one sweep.
type looker struct {
	o       Options
	sweepID int64
	known   []gongkai.Publication
	token   string // the search form's token, from the home page
}

// lookupResult is the outcome of one lookup.
type lookupResult struct {
	observed bool
	reason   string
}

// unobserved is a reason the system could not be observed.
type unobserved struct{ reason string }

func (u unobserved) Error() string { return u.reason }

// lookup runs one enterprise's lookup and commits it as one batch: the
// captures of every exchange, the rows as publications, rows that
// disappeared as withdrawn, and the CreditLookup per county. Only store
// failures are returned.
func (l *looker) lookup(ctx context.Context, t Target) (lookupResult, error) {
	b := store.Batch{SweepID: l.sweepID, At: l.o.Now()}
	var lookupCapture string
	companyURL, co, err := l.find(ctx, t, &b, &lookupCapture)
	if err == nil && companyURL != "" {
		err = l.company(ctx, t, companyURL, co, &b, &lookupCapture)
	}
	var res lookupResult
	var u unobserved
	switch {
	case err == nil:
		res.observed = true
	case errors.As(err, &u):
		res.reason = u.reason
	default:
		res.reason = err.Error()
	}
	if !res.observed && ctx.Err() != nil {
		return res, nil // cancelled: not an observation of the system
	}
	if !res.observed {
		// Rows gathered before the wall are still evidence of what is
		// published; withdrawals are only decided on a complete lookup.
		b.Withdrawn = nil
		if l.o.Hooks.Failed != nil {
			l.o.Hooks.Failed(t.Key, errors.New(res.reason))
		}
		l.o.Logger.Warn("credit lookup not observed", "key", t.Key, "party", t.Party, "reason", res.reason)
	}
	if lookupCapture == "" && len(b.Captures) > 0 {
		// The wall itself is the evidence of why nothing was observed.
		lookupCapture = b.Captures[len(b.Captures)-1].ID
	}
	for _, county := range t.Counties {
		b.Credit = append(b.Credit, gongkai.CreditLookup{
			County: county, Key: t.Key, Party: t.Party, At: l.o.Now(),
			Observed: res.observed, Reason: res.reason, CompanyURL: companyURL, CaptureID: lookupCapture,
		})
	}
	br, err := l.o.Store.Apply(context.WithoutCancel(ctx), b)
	if err != nil {
		return res, fmt.Errorf("保存信用查询失败: %w", err)
	}
	if l.o.Hooks.Committed != nil {
		l.o.Hooks.Committed(br)
	}
	return res, nil
}

// fetch performs one exchange, keeps its capture and turns walls and
// failures into unobserved errors.
func (l *looker) fetch(ctx context.Context, req fetch.Request, b *store.Batch) (*fetch.Response, error) {
	if len(l.o.Credit.Cookies) > 0 {
		req.Cookies = l.o.Credit.Cookies
	}
	resp, err := l.o.Fetcher.Fetch(ctx, req)
	status := 0
	if resp != nil {
		status = resp.Status
		if resp.Capture.ID != "" {
			b.Captures = append(b.Captures, resp.Capture)
		}
	}
	if l.o.Hooks.Fetched != nil && ctx.Err() == nil {
		l.o.Hooks.Fetched(req.URL, req.Kind, status, err)
	}
	switch {
	case err != nil:
		return nil, unobserved{"网络错误: " + err.Error()}
	case resp.Challenge || resp.Status == 521 || resp.Status == 412:
		return nil, unobserved{fmt.Sprintf("加速乐/防护验证 (HTTP %d)", resp.Status)}
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		return nil, unobserved{fmt.Sprintf("需要登录或无权访问 (HTTP %d)", resp.Status)}
	case resp.Status < 200 || resp.Status >= 300:
		return nil, unobserved{fmt.Sprintf("HTTP %d", resp.Status)}
	}
	return resp, nil
}

// find searches for the enterprise and returns its company page, or "" when
// the (recognised) result list does not show it.
func (l *looker) find(ctx context.Context, t Target, b *store.Batch, capID *string) (string, company, error) {
	word := t.USCC
	if word == "" {
		word = t.Party
	}
	form := url.Values{}
	form.Set("province", "100000")
	form.Set("searchword", word)
	form.Set("tab", "ent_tab")
	form.Set("token", "")
	for _, k := range sortedKeys(l.o.Credit.Captcha) {
		form.Set(k, l.o.Credit.Captcha[k])
	}
	if form.Get("token") == "" {
		// The search form carries a token from the home page; read it once
		// per sweep when the configuration does not give it.
		if l.token == "" {
			resp, err := l.fetch(ctx, fetch.Request{Method: http.MethodGet, URL: resolve(l.o.Credit.URL, "/"), Kind: "credit-home"}, b)
			if err != nil {
				return "", company{}, err
			}
			l.token = formToken(body(resp))
		}
		form.Set("token", l.token)
	}
	searchURL := resolve(l.o.Credit.URL, "/corp-query-search-1.html")
	resp, err := l.fetch(ctx, fetch.Request{Method: http.MethodPost, URL: searchURL, Form: form, Kind: "credit-search"}, b)
	if err != nil {
		return "", company{}, err
	}
	*capID = resp.Capture.ID
	page := ParseSearch(resp.FinalURL, body(resp))
	if !page.Recognised {
		return "", company{}, unobserved{page.Reason}
	}
	for _, r := range page.Results {
		if t.USCC != "" && strings.EqualFold(r.USCC, t.USCC) {
			return r.Href, company{Name: r.Name, USCC: r.USCC}, nil
		}
	}
	if t.USCC == "" {
		for _, r := range page.Results {
			if ident.NormaliseParty(r.Name) == ident.NormaliseParty(t.Party) {
				return r.Href, company{Name: r.Name, USCC: r.USCC}, nil
			}
		}
		for _, r := range page.Results {
			if ident.PartyMatches(r.Name, t.Party) {
				return r.Href, company{Name: r.Name, USCC: r.USCC}, nil
			}
		}
	}
	// The system answered but does not list the enterprise: a mistyped code
	// or name in the records, or a registration the system lacks. Either way
	// the place where the disclosure would be was not seen.
	return "", company{}, unobserved{"信用公示系统未检索到该企业: " + word}
}

// company reads the company page and every data table behind it.
func (l *looker) company(ctx context.Context, t Target, companyURL string, co company, b *store.Batch, capID *string) error {
	resp, err := l.fetch(ctx, fetch.Request{Method: http.MethodGet, URL: companyURL, Kind: "credit-company"}, b)
	if err != nil {
		return err
	}
	*capID = resp.Capture.ID
	cp := ParseCompany(resp.FinalURL, body(resp))
	if cp.Reason != "" {
		return unobserved{cp.Reason}
	}
	if co.USCC == "" {
		co.USCC = cp.USCC
	}
	if co.Name == "" {
		co.Name = cp.Name
	}
	county := t.Counties[0]
	for _, k := range tableKinds {
		dataURL, ok := cp.DataURLs[k.Var]
		if !ok {
			continue
		}
		rows, err := l.table(ctx, dataURL, b)
		if err != nil {
			return err
		}
		current := map[string]bool{}
		for _, r := range rows {
			pub := k.publication(dataURL, r.Row, co, county, l.o.Credit.Name, l.o.Catalogue)
			pub.CaptureID = r.captureID
			pub.Evidence = r.digest
			// Rows without an identifier (spot checks) can repeat the same
			// content; number the repeats so that none is lost.
			base := pub.URL
			for n := 2; current[pub.URL]; n++ {
				pub.URL = fmt.Sprintf("%s~%d", base, n)
			}
			current[pub.URL] = true
			b.Publications = append(b.Publications, pub)
		}
		// A row published before and absent from a complete read of the
		// same table was withdrawn (e.g. a revoked decision).
		prefix := dataURL + "#"
		for _, p := range l.known {
			if strings.HasPrefix(p.URL, prefix) && !current[p.URL] && p.State != gongkai.Withdrawn {
				b.Withdrawn = append(b.Withdrawn, p.URL)
			}
		}
	}
	return nil
}

// capturedRow is a row with the capture of the page it came from.
type capturedRow struct {
	Row
	captureID, digest string
}

// table reads every page of one DataTables endpoint.
func (l *looker) table(ctx context.Context, dataURL string, b *store.Batch) ([]capturedRow, error) {
	var rows []capturedRow
	for page := 0; page < l.o.MaxDataPages; page++ {
		start := page * l.o.PageSize
		form := url.Values{}
		form.Set("draw", strconv.Itoa(page+1))
		form.Set("start", strconv.Itoa(start))
		form.Set("length", strconv.Itoa(l.o.PageSize))
		resp, err := l.fetch(ctx, fetch.Request{Method: http.MethodPost, URL: dataURL, Form: form, Kind: "credit-data"}, b)
		if err != nil {
			return nil, err
		}
		tab, err := ParseTable(resp.Body)
		if err != nil {
			return nil, unobserved{err.Error()}
		}
		for _, d := range tab.Data {
			rows = append(rows, capturedRow{Row: Row(d), captureID: resp.Capture.ID, digest: resp.Digest})
		}
		total := max(tab.RecordsTotal, tab.RecordsFiltered)
		if len(tab.Data) == 0 || start+len(tab.Data) >= total {
			return rows, nil
		}
	}
	return nil, unobserved{fmt.Sprintf("数据超过 %d 页，未读完", l.o.MaxDataPages)}
}

// body returns the decoded page text.
func body(resp *fetch.Response) string {
	if resp.HTML != "" {
		return resp.HTML
	}
	return string(resp.Body)
}
