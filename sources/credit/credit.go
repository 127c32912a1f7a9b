// Package credit looks up, on the national enterprise credit publicity
// system (国家企业信用信息公示系统), the enterprises whose records must be
// published there. The system cannot be listed, only searched, so the
// lookups are driven by the expected records in the store: at most one
// lookup per enterprise per sweep, and only when one is owed (schedule.go:
// never looked up, not observed, records new or changed, newly due, or an
// absence awaited; everything on the full-walk cadence), by credit code
// (USCC), else by name, through the search result, the company page's
// data URLs and the paged DataTables JSON behind them. Every punishment
// and spot-check row becomes a publication with one disclosure.
//
// The harvester runs the credit source's sweep like any other (its units,
// events and commits): this package picks the targets and decides which
// of them a sweep looks up, performs one lookup as one unit of work, and
// judges the per-county outcomes.
//
// The system sits behind a JavaScript challenge (HTTP 521), a captcha and
// sometimes a login wall. A program works with the session a person opened
// (cookies and captcha fields from the configuration); whenever it meets a
// wall anyway, the lookup is recorded as not observed, with the reason —
// never as "nothing published".
package credit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"gongkai"
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

// Lookups performs the lookups of one sweep, one enterprise at a time
// (the system sees one browser session, which must stay polite).
type Lookups struct {
	Credit config.Credit
	// Fetcher is the harvester's, which counts and reports every exchange.
	Fetcher   Fetcher
	Catalogue *catalogue.Catalogue
	// Known holds the source's publications as the sweep began (withdrawals
	// are decided against them).
	Known []gongkai.Publication
	Now   func() time.Time
	// PageSize is the DataTables page length asked for (default 5, as the site's UI).
	PageSize int
	// MaxDataPages bounds the pages read per table (default 50).
	MaxDataPages int

	token string // the search form's token, from the home page
}

// Lookup is one enterprise's lookup, one unit of work: the batch to commit
// (the captures of every exchange, the rows as publications, rows that
// disappeared as withdrawn, the CreditLookup per county; SweepID is the
// caller's to set) and whether the system was observed.
type Lookup struct {
	Batch    store.Batch
	Observed bool
	Reason   string // why not observed
	// Cancelled: the context ended mid-lookup; that is not an observation
	// of the system, and there is nothing to commit or count.
	Cancelled bool
}

// Target is one enterprise to look up and the records that need it.
type Target struct {
	Key      string // USCC, else normalised party name
	USCC     string
	Party    string
	Counties []string
	// Records are the expected records that need the lookup, in import
	// order: what Schedule decides on and Fingerprint hashes.
	Records []records.Record
	// CompanyURL is the company page an earlier observed lookup found
	// (Schedule.Decide fills it): the lookup reads it directly, and
	// searches only when it no longer shows the enterprise.
	CompanyURL string
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
		t.Records = append(t.Records, r)
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

// Outcomes judges a credit sweep per county: one column outcome each,
// covering every target of the county — those looked up in the sweep
// (Details, DetailsFailed) and those carried on their last observation;
// Listed counts them all. It is complete only when every target's latest
// lookup observed the system, and its ObservedAt is the oldest
// observation it rests on: a sweep that looked up only some targets does
// not claim a fresh observation of the others.
type Outcomes struct {
	items    []string
	byCounty map[string]*gongkai.ColumnOutcome
	oldest   map[string]time.Time // county → oldest carried observation
	reached  map[string]int       // county → targets looked up or carried
}

// NewOutcomes starts the outcomes of a sweep.
func NewOutcomes(cat *catalogue.Catalogue) *Outcomes {
	o := &Outcomes{byCounty: map[string]*gongkai.ColumnOutcome{}, oldest: map[string]time.Time{}, reached: map[string]int{}}
	for _, it := range cat.Items {
		if it.HasChannel(catalogue.Credit) {
			o.items = append(o.items, it.Code)
		}
	}
	return o
}

func (o *Outcomes) column(county string) *gongkai.ColumnOutcome {
	c := o.byCounty[county]
	if c == nil {
		c = &gongkai.ColumnOutcome{Column: county, Complete: true, Items: append([]string(nil), o.items...)}
		o.byCounty[county] = c
	}
	return c
}

// Plan counts a target the sweep must account for, looked up or carried.
func (o *Outcomes) Plan(t Target) {
	for _, county := range t.Counties {
		o.column(county).Listed++
	}
}

// Add counts a committed lookup in each of its target's counties.
func (o *Outcomes) Add(t Target, lk Lookup) {
	for _, county := range t.Counties {
		c := o.column(county)
		o.reached[county]++
		c.Details++
		if !lk.Observed {
			c.DetailsFailed++
			c.Complete = false
			if len(c.Errors) < 50 {
				c.Errors = append(c.Errors, fmt.Sprintf("%s: %s", displayName(t), lk.Reason))
			}
		}
	}
}

// Carry counts a target not looked up in this sweep, judged on its last
// observed lookup in each county (Decision.LastObserved).
func (o *Outcomes) Carry(d Decision) {
	for _, county := range d.Target.Counties {
		o.column(county)
		o.reached[county]++
		at := d.LastObserved[county]
		if old, ok := o.oldest[county]; !ok || at.Before(old) {
			o.oldest[county] = at
		}
	}
}

// Columns returns the counties' outcomes in name order, observed at at
// (or at the oldest carried observation, when older).
func (o *Outcomes) Columns(at time.Time, interrupted bool) []gongkai.ColumnOutcome {
	var out []gongkai.ColumnOutcome
	for _, county := range sortedKeys(o.byCounty) {
		c := *o.byCounty[county]
		c.ObservedAt = at
		if old, ok := o.oldest[county]; ok && old.Before(at) {
			c.ObservedAt = old
		}
		var why []string
		if c.DetailsFailed > 0 {
			why = append(why, fmt.Sprintf("%d 家企业的查询未能完成", c.DetailsFailed))
		}
		if interrupted || o.reached[county] < c.Listed {
			c.Complete = false
			why = append(why, "采集被中断")
		}
		c.Reason = strings.Join(why, "；")
		out = append(out, c)
	}
	return out
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

// unobserved is a reason the system could not be observed.
type unobserved struct{ reason string }

func (u unobserved) Error() string { return u.reason }

// Lookup looks one enterprise up: search, company page, every data table.
func (l *Lookups) Lookup(ctx context.Context, t Target) Lookup {
	l.defaults()
	lk := Lookup{Batch: store.Batch{At: l.Now()}}
	b := &lk.Batch
	var lookupCapture string
	var (
		companyURL string
		co         company
		page       CompanyPage
		err        error
	)
	if t.CompanyURL != "" {
		// The page found before: the search (behind the captcha) is
		// needed only when it no longer shows this enterprise.
		companyURL = t.CompanyURL
		if page, err = l.companyPage(ctx, t, companyURL, true, b, &lookupCapture); err != nil && ctx.Err() == nil {
			companyURL, lookupCapture, err = "", "", nil
		}
		// The rows name the enterprise as the search would have.
		co = company{Name: page.Name, USCC: cmp.Or(page.USCC, t.USCC)}
	}
	if companyURL == "" && err == nil {
		if companyURL, co, err = l.find(ctx, t, b, &lookupCapture); err == nil && companyURL != "" {
			page, err = l.companyPage(ctx, t, companyURL, false, b, &lookupCapture)
		}
	}
	if err == nil && companyURL != "" {
		err = l.tables(ctx, t, page, co, b)
	}
	var u unobserved
	switch {
	case err == nil:
		lk.Observed = true
	case errors.As(err, &u):
		lk.Reason = u.reason
	default:
		lk.Reason = err.Error()
	}
	if !lk.Observed && ctx.Err() != nil {
		return Lookup{Cancelled: true}
	}
	if !lk.Observed {
		// Rows gathered before the wall are still evidence of what is
		// published; withdrawals are only decided on a complete lookup.
		b.Withdrawn = nil
	}
	if lookupCapture == "" && len(b.Captures) > 0 {
		// The wall itself is the evidence of why nothing was observed.
		lookupCapture = b.Captures[len(b.Captures)-1].ID
	}
	at := l.Now()
	for _, county := range t.Counties {
		b.Credit = append(b.Credit, gongkai.CreditLookup{
			County: county, Key: t.Key, Party: t.Party, At: at,
			Observed: lk.Observed, Reason: lk.Reason, CompanyURL: companyURL, CaptureID: lookupCapture,
		})
		if lk.Observed {
			// What this observation was made for: Schedule looks the
			// target up again once its records say something else.
			b.FetchStates = append(b.FetchStates, store.FetchState{
				URL: StateURL(l.Credit.URL), Form: stateForm(county, t.Key), ContentHash: Fingerprint(t, county),
				LastStatus: http.StatusOK, LastFetched: at, CaptureID: lookupCapture,
			})
		}
	}
	return lk
}

func (l *Lookups) defaults() {
	if l.Now == nil {
		l.Now = time.Now
	}
	if l.Catalogue == nil {
		l.Catalogue = catalogue.Default()
	}
	if l.PageSize <= 0 {
		l.PageSize = 5
	}
	if l.MaxDataPages <= 0 {
		l.MaxDataPages = 50
	}
}

// fetch performs one exchange, keeps its capture and turns walls and
// failures into unobserved errors.
func (l *Lookups) fetch(ctx context.Context, req fetch.Request, b *store.Batch) (*fetch.Response, error) {
	if len(l.Credit.Cookies) > 0 {
		req.Cookies = l.Credit.Cookies
	}
	resp, err := l.Fetcher.Fetch(ctx, req)
	if resp != nil && resp.Capture.ID != "" {
		b.Captures = append(b.Captures, resp.Capture)
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
func (l *Lookups) find(ctx context.Context, t Target, b *store.Batch, capID *string) (string, company, error) {
	word := t.USCC
	if word == "" {
		word = t.Party
	}
	form := url.Values{}
	form.Set("province", "100000")
	form.Set("searchword", word)
	form.Set("tab", "ent_tab")
	form.Set("token", "")
	for _, k := range sortedKeys(l.Credit.Captcha) {
		form.Set(k, l.Credit.Captcha[k])
	}
	if form.Get("token") == "" {
		// The search form carries a token from the home page; read it once
		// per sweep when the configuration does not give it.
		if l.token == "" {
			resp, err := l.fetch(ctx, fetch.Request{Method: http.MethodGet, URL: resolve(l.Credit.URL, "/"), Kind: "credit-home"}, b)
			if err != nil {
				return "", company{}, err
			}
			l.token = formToken(body(resp))
		}
		form.Set("token", l.token)
	}
	searchURL := resolve(l.Credit.URL, "/corp-query-search-1.html")
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

// companyPage reads an enterprise's company page; verify checks that it
// is the target's (by credit code, else by name) when no search result
// just said so.
func (l *Lookups) companyPage(ctx context.Context, t Target, companyURL string, verify bool, b *store.Batch, capID *string) (CompanyPage, error) {
	resp, err := l.fetch(ctx, fetch.Request{Method: http.MethodGet, URL: companyURL, Kind: "credit-company"}, b)
	if err != nil {
		return CompanyPage{}, err
	}
	*capID = resp.Capture.ID
	cp := ParseCompany(resp.FinalURL, body(resp))
	if cp.Reason != "" {
		return CompanyPage{}, unobserved{cp.Reason}
	}
	switch {
	case !verify:
	case t.USCC != "" && cp.USCC != "":
		if !strings.EqualFold(cp.USCC, t.USCC) {
			return CompanyPage{}, unobserved{"企业页面显示的统一社会信用代码不是 " + t.USCC}
		}
	case cp.Name == "" || t.Party == "" || !ident.PartyMatches(cp.Name, t.Party):
		return CompanyPage{}, unobserved{"企业页面显示的企业不是 " + displayName(t)}
	}
	return cp, nil
}

// tables reads every data table of the company page.
func (l *Lookups) tables(ctx context.Context, t Target, cp CompanyPage, co company, b *store.Batch) error {
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
			pub := k.publication(dataURL, r.Row, co, county, l.Credit.Name, l.Catalogue)
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
		for _, p := range l.Known {
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
func (l *Lookups) table(ctx context.Context, dataURL string, b *store.Batch) ([]capturedRow, error) {
	var rows []capturedRow
	for page := 0; page < l.MaxDataPages; page++ {
		start := page * l.PageSize
		form := url.Values{}
		form.Set("draw", strconv.Itoa(page+1))
		form.Set("start", strconv.Itoa(start))
		form.Set("length", strconv.Itoa(l.PageSize))
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
	return nil, unobserved{fmt.Sprintf("数据超过 %d 页，未读完", l.MaxDataPages)}
}

// body returns the decoded page text.
func body(resp *fetch.Response) string {
	if resp.HTML != "" {
		return resp.HTML
	}
	return string(resp.Body)
}
