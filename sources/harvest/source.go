package harvest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"gongkai"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/store"
)

// detailWorkersPerSlot is how many detail workers a source runs per
// request it may have in flight.
const detailWorkersPerSlot = 16

// remoteUnitsPerSlot is how many detail units a source keeps queued with
// an Executor per request it may have in flight: enough to keep its host
// busy, few enough that the shared queue holds every source's units side
// by side rather than one source's long run (a worker taking the next
// units would otherwise wait on one host's politeness while others idle).
const remoteUnitsPerSlot = 3

// maxColumnErrors bounds the error lines kept per column outcome; the counts
// stay exact.
const maxColumnErrors = 50

// sourceRun is one sweep of one bureau-site source.
type sourceRun struct {
	h       *Harvester
	county  config.County
	src     config.Source
	sweepID int64
	full    bool
	// known holds the source's publications as they were when the sweep
	// began (withdrawn ones included); read-only during the sweep.
	known map[string]gongkai.Publication
	// history is what earlier sweeps proved per column (read once, when the
	// sweep begins).
	history map[string]columnHistory
	claimed sync.Map // URL → column name: entries already handled in this sweep
	t       *tally
	tasks   chan task
	app     *appender
	// mem is the source's fetch state, read once when the sweep begins.
	mem *fetchMemory
	nf  *notFoundCheck // the site's soft-404 profile, probed once per sweep when needed
	// links: the internal links checked in this sweep (links.go).
	links *linkChecks
}

// columnRun collects one column's outcome while its walker and the detail
// workers run.
type columnRun struct {
	col config.Column
	wg  sync.WaitGroup

	mu  sync.Mutex
	out gongkai.ColumnOutcome
	// seen holds every URL listed on the walked pages.
	seen map[string]bool
	// rejected holds the links listed like entries but not followed (off
	// the configured hosts, failing the pattern): the site counts them in
	// its declared total.
	rejected map[string]bool
	// truncated: the walk hit the page cap or a page could not be read, so
	// absence from the walked pages proves nothing.
	truncated bool
	// stoppedEarly: an incremental walk ended at a run of known entries.
	stoppedEarly bool
	// oldest is the oldest list date on the walked pages.
	oldest calendar.Date

	// provenBefore: entries first committed before this time were
	// listed by the column's last complete observation (zero: never
	// complete); only they may end an incremental walk.
	provenBefore time.Time
	// retry holds the list pages that failed since the last complete
	// observation and have not been asked for again in this walk; the walk
	// does not stop early while any is left.
	retry map[string]bool
	// declaredPages, declaredTotal: the most any walked page declared.
	declaredPages, declaredTotal int
	// rows counts the list items of the walked pages, a link listed twice
	// counted twice, as a site counts them in its declared total.
	rows int
	// nothing: the first list page showed no entry and no empty-list
	// marker; blank: it showed the site's empty-list marker.
	nothing, blank bool
	// awaitFirst: the first page is a shell that only leads to API pages
	// (Hanweb's dataproxy); the first of those is judged as the first page.
	awaitFirst bool
	// reasons say why the column is not complete, in the order found;
	// moreReasons counts those left out (see maxReasons).
	reasons     []string
	moreReasons int
	failedPages []string
	// needed counts the detail units queued; out.Details and
	// out.DetailsFailed those committed and those that failed.
	needed int
	// remote: detail units an Executor reported committed (URL → when it
	// was queued), checked by checkLost before judging.
	remote map[string]time.Time
}

// columnHistory is what the stored sweeps say about one column.
type columnHistory struct {
	lastComplete time.Time       // ObservedAt of its newest complete outcome
	failedPages  map[string]bool // list pages that failed since then
}

// maxReasons bounds the reasons kept per column outcome.
const maxReasons = 5

// because records why the column is not complete.
func (c *columnRun) because(reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if slices.Contains(c.reasons, reason) {
		return
	}
	if len(c.reasons) >= maxReasons {
		c.moreReasons++
		return
	}
	c.reasons = append(c.reasons, reason)
}

// pageWhere names a list page in a reason: its number, its URL, and the
// count the column declares when it declares one.
func (c *columnRun) pageWhere(index int, u string) (where, declared string) {
	c.mu.Lock()
	n := c.declaredPages
	c.mu.Unlock()
	where = fmt.Sprintf("第 %d 页（%s）", index+1, u)
	if n > 0 && index < n {
		declared = fmt.Sprintf("，而栏目声明共 %d 页", n)
	}
	return where, declared
}

func (c *columnRun) fail(kind string, u string, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch kind {
	case "list":
		c.out.ListFailed++
	default:
		c.out.DetailsFailed++
	}
	if len(c.out.Errors) < maxColumnErrors {
		c.out.Errors = append(c.out.Errors, fmt.Sprintf("%s: %v", u, err))
	}
}

func (c *columnRun) detailDone() {
	c.mu.Lock()
	c.out.Details++
	c.mu.Unlock()
}

// queued counts n detail units handed to the workers.
func (c *columnRun) queued(n int) {
	c.mu.Lock()
	c.needed += n
	c.mu.Unlock()
}

// task is one detail unit: fetch (conditionally) the page, its attachments,
// and commit one Batch.
type task struct {
	col   *columnRun
	entry cms.Entry
	known *gongkai.Publication // nil for a URL never stored
	// goneCheck: the URL is known but was not on any walked list page; a
	// 404 or 页面不存在 confirms the withdrawal.
	goneCheck bool
}

// sweepSource runs one sweep of a bureau-site source.
func (h *Harvester) sweepSource(ctx context.Context, app *appender, county config.County, src config.Source) (Summary, error) {
	t := &tally{s: Summary{County: county.County, Source: src.Name, Started: h.now(), Complete: true}}
	finish := func(err error) (Summary, error) {
		t.update(func(s *Summary) { s.Finished = h.now() })
		sum := t.snapshot()
		h.emit(Event{Kind: SweepDone, County: county.County, Source: src.Name, Summary: &sum})
		return sum, err
	}
	full, err := h.isFull(ctx, county.County, src.Name)
	if err != nil {
		t.update(func(s *Summary) { s.Complete = false; s.Errors++ })
		return finish(fmt.Errorf("读取采集历史失败: %w", err))
	}
	id, err := h.st.BeginSweep(ctx, gongkai.Sweep{Source: src.Name, County: county.County, Channel: catalogue.Website, Full: full, Started: h.now()})
	if err != nil {
		t.update(func(s *Summary) { s.Complete = false; s.Errors++ })
		return finish(fmt.Errorf("开始采集失败: %w", err))
	}
	t.update(func(s *Summary) { s.SweepID = id; s.Full = full })
	h.emit(Event{Kind: SweepStarted, County: county.County, Source: src.Name, Full: full})
	h.log.Info("sweep started", "county", county.County, "source", src.Name, "sweep", id, "full", full)

	r := &sourceRun{h: h, county: county, src: src, sweepID: id, full: full, t: t, tasks: make(chan task), nf: &notFoundCheck{}, links: &linkChecks{}}
	r.app = app
	pubs, err := h.st.Publications(ctx, store.PublicationQuery{County: county.County, Source: src.Name, IncludeWithdrawn: true})
	if err == nil {
		r.known = make(map[string]gongkai.Publication, len(pubs))
		for _, p := range pubs {
			r.known[p.URL] = p
		}
		r.history, err = h.columnHistory(ctx, county.County, src.Name, id)
	}
	if err == nil {
		r.mem, err = loadFetchMemory(ctx, h.st, statePrefixes(src, maps.Keys(r.known)))
	}

	var storeErr error
	if err != nil {
		storeErr = fmt.Errorf("读取已知条目失败: %w", err)
	} else {
		storeErr = r.run(ctx)
	}

	interrupted := ctx.Err() != nil || storeErr != nil
	// The sweep's end is recorded even when the context was cancelled: that
	// is what tells the reports this sweep saw only part of the source.
	if err := h.st.FinishSweep(context.WithoutCancel(ctx), id, h.now(), interrupted); err != nil && storeErr == nil {
		storeErr = fmt.Errorf("结束采集失败: %w", err)
	}
	t.update(func(s *Summary) {
		s.Interrupted = interrupted
		s.Complete = s.Complete && !interrupted
	})
	h.log.Info("sweep finished", "county", county.County, "source", src.Name, "sweep", id, "interrupted", interrupted)
	return finish(storeErr)
}

// columnHistory reads, per column of a source, when it was last observed
// completely and which list pages failed since (sweep skip is the one just
// begun).
func (h *Harvester) columnHistory(ctx context.Context, county, source string, skip int64) (map[string]columnHistory, error) {
	sweeps, err := h.st.Sweeps(ctx, store.SweepQuery{Source: source, County: county})
	if err != nil {
		return nil, err
	}
	out := map[string]columnHistory{}
	done := map[string]bool{}
	for _, s := range sweeps { // newest first
		if s.ID == skip {
			continue
		}
		for _, c := range s.Columns {
			if done[c.Column] {
				continue
			}
			hist := out[c.Column]
			if c.Complete {
				hist.lastComplete = c.ObservedAt
				done[c.Column] = true
			} else {
				for _, k := range c.FailedPages {
					if hist.failedPages == nil {
						hist.failedPages = map[string]bool{}
					}
					hist.failedPages[k] = true
				}
			}
			out[c.Column] = hist
		}
	}
	return out, nil
}

// run walks every column with a shared pool of detail workers.
func (r *sourceRun) run(ctx context.Context) error {
	// More workers than requests allowed in flight per host: the fetcher
	// keeps the politeness (PerHost, Delay); the extra workers parse,
	// extract attachments and wait for commits while others fetch, so a
	// host's slots are never idle for want of a free worker.
	workers := max(1, r.h.cfg.Harvest.PerHost) * detailWorkersPerSlot
	if r.h.opts.Executor != nil {
		workers = max(1, r.h.cfg.Harvest.PerHost) * remoteUnitsPerSlot
	}
	var (
		wwg      sync.WaitGroup
		errMu    sync.Mutex
		storeErr error
	)
	setErr := func(err error) {
		if err == nil {
			return
		}
		errMu.Lock()
		if storeErr == nil {
			storeErr = err
		}
		errMu.Unlock()
	}
	for range workers {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			for t := range r.tasks {
				setErr(r.execute(ctx, t))
				t.col.wg.Done()
			}
		}()
	}
	var cwg sync.WaitGroup
	for _, col := range r.src.Columns {
		cwg.Add(1)
		go func() {
			defer cwg.Done()
			setErr(r.column(ctx, col))
		}()
	}
	cwg.Wait()
	close(r.tasks)
	wwg.Wait()
	if storeErr == nil && ctx.Err() == nil {
		setErr(r.recheckDeadLinks(ctx))
	}
	return storeErr
}

// column walks one column, waits for its details, checks for withdrawals and
// commits the column's outcome.
func (r *sourceRun) column(ctx context.Context, col config.Column) error {
	c := &columnRun{col: col, seen: map[string]bool{}, rejected: map[string]bool{}, out: gongkai.ColumnOutcome{Column: col.Name, Items: col.Items}}
	hist := r.history[col.Name]
	c.provenBefore = hist.lastComplete
	c.retry = map[string]bool{}
	for k := range hist.failedPages {
		c.retry[k] = true
	}
	walkErr := r.walk(ctx, c)
	c.wg.Wait()
	if walkErr == nil && ctx.Err() == nil {
		r.checkGone(ctx, c)
		c.wg.Wait()
	}

	r.checkLost(ctx, c)
	out := r.judge(ctx, c, walkErr)
	r.t.update(func(s *Summary) {
		s.Columns = append(s.Columns, out)
		s.Complete = s.Complete && out.Complete
	})
	if err := r.apply(ctx, store.Batch{SweepID: r.sweepID, At: r.h.now(), Column: &out}); err != nil {
		return fmt.Errorf("保存栏目结果失败: %w", err)
	}
	r.h.emit(Event{Kind: ColumnDone, County: r.county.County, Source: r.src.Name, Column: col.Name, Outcome: &out})
	return walkErr
}

// judge turns what the walk saw into the column's outcome: complete only
// when every declared page was read, the entries agree with a declared
// total, the list showed something (or the site's empty marker), and every
// needed detail was committed.
func (r *sourceRun) judge(ctx context.Context, c *columnRun, walkErr error) gongkai.ColumnOutcome {
	switch {
	case ctx.Err() != nil:
		c.because("采集被中断")
	case walkErr != nil:
		c.because(walkErr.Error())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.out
	out.Errors = append([]string(nil), c.out.Errors...)
	out.FailedPages = append([]string(nil), c.failedPages...)
	listed := len(c.seen)
	for u := range c.rejected {
		if !c.seen[u] {
			listed++
		}
	}
	out.DeclaredPages, out.DeclaredTotal, out.Listed = c.declaredPages, c.declaredTotal, listed
	out.ObservedAt = r.h.now()
	reasons := append([]string(nil), c.reasons...)
	more := c.moreReasons
	add := func(s string) {
		if len(reasons) < maxReasons {
			reasons = append(reasons, s)
		} else {
			more++
		}
	}
	switch {
	case c.nothing && listed == 0:
		add("未识别到任何条目")
	case c.nothing:
		// The newest entries are on the first page: a first page read
		// as empty loses exactly those.
		add(fmt.Sprintf("第 1 页（%s）未识别到任何条目，其后的页却有条目", c.col.URL))
	}
	// A declared total is checked only when the walk covered every page.
	covered := !c.stoppedEarly && !c.truncated && out.ListFailed == 0
	// The total agrees when it lies between the distinct links seen and the
	// list items seen (a site may list one link twice, or pin one on every
	// page).
	if covered && c.declaredTotal > 0 && (listed > c.declaredTotal || c.rows < c.declaredTotal) {
		if c.rows < c.declaredTotal {
			add(fmt.Sprintf("栏目声明 %d 条，只见到 %d 条", c.declaredTotal, c.rows))
		} else {
			add(fmt.Sprintf("栏目声明 %d 条，却见到 %d 条", c.declaredTotal, listed))
		}
	}
	if out.DetailsFailed > 0 {
		add(fmt.Sprintf("%d 个条目的详情未能采集", out.DetailsFailed))
	} else if left := c.needed - out.Details; left > 0 && ctx.Err() == nil && walkErr == nil {
		add(fmt.Sprintf("%d 个条目的详情未能保存", left))
	}
	if more > 0 {
		reasons = append(reasons, fmt.Sprintf("另有 %d 处问题", more))
	}
	out.Complete = len(reasons) == 0 && out.ListFailed == 0 && out.DetailsFailed == 0 && !c.truncated
	out.Reason = strings.Join(reasons, "；")
	out.Blank = out.Complete && c.blank && listed == 0
	if ctx.Err() != nil {
		out.Errors = append(out.Errors, "采集被中断")
	}
	return out
}

// walk fetches the column's list pages, commits each with the known entries
// it shows, and queues the details that need fetching.
func (r *sourceRun) walk(ctx context.Context, c *columnRun) error {
	limit := c.col.MaxPages
	if limit <= 0 {
		limit = r.h.cfg.Harvest.MaxPages
	}
	queue := []fetch.Request{r.h.family.FirstPage(c.col)}
	visited := map[string]bool{}
	run := &knownRun{stopAt: r.h.opts.KnownRun}
	for page := 0; len(queue) > 0; {
		if ctx.Err() != nil {
			return nil
		}
		req := queue[0]
		queue = queue[1:]
		key := requestKey(req)
		if visited[key] {
			continue
		}
		visited[key] = true
		if limit > 0 && page >= limit {
			r.pageCapReached(c, req, limit)
			return nil
		}
		index := page
		page++
		ans, lr, ok := r.readListPage(ctx, c, req, index)
		if !ok {
			continue
		}
		r.notePage(c, req, index, lr, limit)
		if run.stopAt <= 0 && index == 0 {
			run.stopAt = max(1, len(lr.Entries))
		}
		seen, need := r.classify(c, lr.Entries, run)
		if err := r.commitList(ctx, req, ans, seen); err != nil {
			return err
		}
		if !r.enqueue(ctx, c, need) {
			return nil
		}
		if lr.End {
			continue // drain already-queued requests only if the family queued them
		}
		if r.stopsEarly(c, run) {
			c.mu.Lock()
			c.stoppedEarly = len(queue) > 0 || len(lr.Next) > 0
			c.mu.Unlock()
			return nil
		}
		queue = append(queue, lr.Next...)
	}
	return nil
}

// knownRun counts the consecutive proven entries of a walk; stopAt of
// them end an incremental walk.
type knownRun struct {
	n, stopAt int
}

func (k *knownRun) add(proven bool) {
	if proven {
		k.n++
	} else {
		k.n = 0
	}
}

// pageCapReached records that the walk stops at the page cap.
func (r *sourceRun) pageCapReached(c *columnRun, req fetch.Request, limit int) {
	c.mu.Lock()
	c.truncated = true
	c.mu.Unlock()
	c.fail("list", req.URL, fmt.Errorf("超过每栏目页数上限 %d，其余页未采集", limit))
	c.because(fmt.Sprintf("超过每栏目页数上限 %d，其余页未采集", limit))
	r.failed(c, req.URL, errors.New("page cap"))
}

// readListPage fetches and parses one list page (page index, 0-based).
// ok=false: the page observed nothing (recorded as failed, unless the
// sweep was cancelled or the list simply ended with a 404).
func (r *sourceRun) readListPage(ctx context.Context, c *columnRun, req fetch.Request, index int) (listAnswer, cms.ListResult, bool) {
	if req.Kind == "" {
		req.Kind = "list"
	}
	// A script builds the list (render: browser): the page is read as
	// the browser shows it.
	req = cms.ListRequest(c.col, req)
	c.mu.Lock()
	delete(c.retry, requestKey(req)) // asked again: this walk's answer decides
	inRange := index < c.declaredPages
	c.mu.Unlock()
	ans, err := r.fetchList(ctx, req)
	if err != nil {
		if ctx.Err() == nil {
			r.listFailed(ctx, c, req, index, nil, fmt.Errorf("无法获取：%w", err))
		}
		return ans, cms.ListResult{}, false
	}
	resp := ans.resp
	if resp.Status == http.StatusNotFound && index > 0 && !inRange {
		// Past the last page some sites answer 404: where the column
		// declares no page count, the list ends here (a declared total
		// is still checked against the entries seen).
		r.h.log.Debug("list ends with 404", "url", req.URL)
		return ans, cms.ListResult{}, false
	}
	if err := responseError(resp); err != nil {
		r.listFailed(ctx, c, req, index, resp, err)
		return ans, cms.ListResult{}, false
	}
	lr, err := r.h.family.ParseList(c.col, ans.page, index)
	if err == nil && len(lr.Entries) == 0 && !lr.End && r.isSoftNotFound(ctx, ans.page) {
		lr, err = cms.ListResult{End: true}, softNotFoundList(index)
	}
	if err != nil {
		r.listFailed(ctx, c, req, index, resp, fmt.Errorf("无法解析列表页: %w", err))
		return ans, lr, false
	}
	if index > 0 && inRange && len(lr.Entries) == 0 && len(lr.Rejected) == 0 && !lr.EmptyMarker {
		// A page the column itself declared cannot be the end of it.
		what := "未识别到任何条目"
		if lr.End {
			what = "显示页面不存在"
		}
		r.listFailed(ctx, c, req, index, resp, errors.New(what))
		return ans, lr, false
	}
	return ans, lr, true
}

// notePage records a read list page in the column: what it declares, the
// rows it lists, and what a first page showing nothing means.
func (r *sourceRun) notePage(c *columnRun, req fetch.Request, index int, lr cms.ListResult, limit int) {
	c.mu.Lock()
	c.out.ListPages++
	if lr.Capped {
		c.truncated = true
	}
	c.declaredPages = max(c.declaredPages, lr.PageCount)
	c.declaredTotal = max(c.declaredTotal, lr.DeclaredTotal)
	c.rows += len(lr.Entries) + len(lr.Rejected) + lr.Repeats
	for _, u := range lr.Rejected {
		c.rejected[u] = true
	}
	first := index == 0 || (index == 1 && c.awaitFirst)
	if first && len(lr.Entries) == 0 && len(lr.Rejected) == 0 {
		switch {
		case lr.EmptyMarker:
			c.blank, c.nothing, c.awaitFirst = true, false, false
		case index == 0 && len(lr.Next) > 0 && allForms(lr.Next):
			c.awaitFirst = true
		default:
			c.nothing, c.awaitFirst = true, false
		}
	} else if first {
		c.awaitFirst = false
	}
	c.mu.Unlock()
	if lr.Capped {
		c.fail("list", req.URL, fmt.Errorf("栏目页数超过上限 %d，其余页未采集", limit))
		c.because(fmt.Sprintf("栏目页数超过每栏目页数上限 %d，其余页未采集", limit))
	}
	if index == 0 && lr.PageCount > 0 {
		r.h.emit(Event{Kind: ListPlanned, County: r.county.County, Source: r.src.Name, Column: c.col.Name, Pages: lr.PageCount})
	}
}

// classify sorts a list page's entries: the known, unchanged ones are seen
// (and re-checked by a full walk), the others need their detail fetched.
// It counts the run of proven entries that may end an incremental walk.
func (r *sourceRun) classify(c *columnRun, entries []cms.Entry, run *knownRun) (seen []string, need []task) {
	for _, e := range entries {
		if e.URL == "" {
			continue
		}
		c.mu.Lock()
		c.seen[e.URL] = true
		if !e.Date.IsZero() && (c.oldest.IsZero() || e.Date < c.oldest) {
			c.oldest = e.Date
		}
		c.mu.Unlock()
		p, isKnown := r.known[e.URL]
		unchanged := false
		if isKnown && p.State != gongkai.Withdrawn {
			unchanged = r.entryUnchanged(e, p)
		}
		// Only an entry the column's last complete observation already
		// held may end the walk: one committed since (by a sweep that was
		// interrupted) says nothing about the entries listed after it.
		// An entry listed in another column too and handled there still
		// counts towards where this walk may stop: otherwise the stop
		// would depend on which column reached the entry first.
		run.add(unchanged && !c.provenBefore.IsZero() && p.FirstSeen.Before(c.provenBefore))
		if _, dup := r.claimed.LoadOrStore(e.URL, c.col.Name); dup {
			continue
		}
		if unchanged {
			seen = append(seen, e.URL)
			if r.full {
				// A full re-walk re-checks the detail (conditional GET) to
				// notice edits that do not show on the list.
				need = append(need, task{col: c, entry: e, known: &p})
			}
			continue
		}
		t := task{col: c, entry: e}
		if isKnown {
			t.known = &p
		}
		need = append(need, t)
	}
	return seen, need
}

// enqueue hands detail units to the workers; false when the sweep was
// cancelled meanwhile.
func (r *sourceRun) enqueue(ctx context.Context, c *columnRun, tasks []task) bool {
	if len(tasks) > 0 {
		r.h.emit(Event{Kind: Queued, County: r.county.County, Source: r.src.Name, Column: c.col.Name, Pending: len(tasks)})
	}
	for _, t := range tasks {
		c.wg.Add(1)
		select {
		case r.tasks <- t:
			c.queued(1)
		case <-ctx.Done():
			c.wg.Done()
			return false
		}
	}
	return true
}

// stopsEarly reports whether an incremental walk ends here: a long enough
// run of proven entries, and no list page left to retry.
func (r *sourceRun) stopsEarly(c *columnRun, run *knownRun) bool {
	c.mu.Lock()
	retrying := len(c.retry) > 0
	c.mu.Unlock()
	return !r.full && run.n >= run.stopAt && !retrying
}

// allForms reports whether every request is a form POST (an API page such
// as Hanweb's dataproxy rather than a list page of its own).
func allForms(reqs []fetch.Request) bool {
	for _, q := range reqs {
		if len(q.Form) == 0 {
			return false
		}
	}
	return true
}

// checkGone looks for withdrawals: known current publications of the column
// that no walked list page showed. A full walk checks all of them; an
// incremental walk that stopped early checks only those newer than the
// oldest entry it saw (older ones may simply be on pages it did not walk).
// Nothing is checked when a list page failed: absence would prove nothing.
func (r *sourceRun) checkGone(ctx context.Context, c *columnRun) {
	c.mu.Lock()
	skip := c.truncated || c.out.ListFailed > 0 || c.out.ListPages == 0
	early := c.stoppedEarly
	oldest := c.oldest
	c.mu.Unlock()
	if skip {
		return
	}
	var checks []task
	for u, p := range r.known {
		if p.Column != c.col.Name || p.State == gongkai.Withdrawn || c.seen[u] {
			continue
		}
		if _, elsewhere := r.claimed.Load(u); elsewhere {
			continue
		}
		if early && (p.Declared.IsZero() || oldest.IsZero() || p.Declared <= oldest) {
			continue
		}
		p := p
		checks = append(checks, task{col: c, entry: cms.Entry{URL: u, Title: p.Title, Date: p.Declared}, known: &p, goneCheck: true})
	}
	r.enqueue(ctx, c, checks)
}

// listAnswer is a list page's answer.
type listAnswer struct {
	resp *fetch.Response // the server's answer (a 304 included)
	// page is what the list is read from: the answer, or after a 304 the
	// last full answer, replayed from its capture.
	page *fetch.Response
	prev store.FetchState // the page's fetch state before this fetch
	// extra holds the capture of a 304 that could not be used (the stored
	// answer was unreadable, so the page was fetched again): evidence all
	// the same.
	extra []gongkai.Capture
}

// fetchList fetches a list page. A GET whose last full answer is stored
// (fetch state with validators, its capture and payload digest) is sent
// conditionally: on 304 Not Modified the page is read from that capture,
// so it is observed, its entries seen and its further pages known exactly
// as if it had been sent again. A capture that cannot be read back (or a
// server that answers 304 to a request it cannot have matched) means a
// plain GET.
func (r *sourceRun) fetchList(ctx context.Context, req fetch.Request) (listAnswer, error) {
	var a listAnswer
	if req.Browser == nil && req.Form == nil && (req.Method == "" || strings.EqualFold(req.Method, http.MethodGet)) {
		st, ok := r.mem.state(requestKey(req))
		if ok && st.CaptureID != "" && st.ContentHash != "" && (st.ETag != "" || st.LastModified != "") &&
			(st.LastStatus == http.StatusOK || st.LastStatus == http.StatusNotModified) {
			a.prev = st
			creq := req
			creq.ETag, creq.LastModified = st.ETag, st.LastModified
			creq.PrevDigest, creq.PrevCaptureID = st.ContentHash, st.CaptureID
			if st.LastStatus == http.StatusOK {
				creq.PrevCaptureAt = st.LastFetched // when the referred response was captured
			}
			resp, err := r.fetch(ctx, creq)
			if err != nil || !resp.NotModified {
				a.resp, a.page = resp, resp
				return a, err
			}
			if page, err := r.replay(ctx, st.CaptureID, req); err == nil {
				a.resp, a.page = resp, page
				return a, nil
			} else {
				r.h.log.Warn("list page not modified, but its last answer cannot be read back; fetching it again",
					"url", req.URL, "capture", st.CaptureID, "err", err)
			}
			if resp.Capture.ID != "" {
				a.extra = append(a.extra, resp.Capture)
			}
			a.prev = store.FetchState{}
		}
	}
	resp, err := r.fetch(ctx, req)
	a.resp, a.page = resp, resp
	return a, err
}

// replay reads a stored response capture back as an answer.
func (r *sourceRun) replay(ctx context.Context, captureID string, req fetch.Request) (*fetch.Response, error) {
	c, ok, err := r.h.st.Capture(ctx, captureID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("记录 %s 不在存储中", captureID)
	}
	return fetch.Replay(c, req)
}

// commitList stores a list page's capture and fetch state and marks the
// known entries it shows as seen. A list page's fetch state keeps, as its
// ContentHash, the payload digest of its last full answer, and as its
// CaptureID that answer's record (after a 304 or an identical payload the
// new record is a revisit, which holds no payload): the next sweep asks
// conditionally with them and reads the page from that record on a 304.
func (r *sourceRun) commitList(ctx context.Context, req fetch.Request, a listAnswer, seen []string) error {
	resp := a.resp
	b := store.Batch{SweepID: r.sweepID, At: r.h.now(), Seen: seen}
	b.Captures = append(b.Captures, a.extra...)
	b.Captures = append(b.Captures, evidence(resp)...)
	st := store.FetchState{
		URL: req.URL, Form: requestForm(req), ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
		LastStatus: resp.Status, LastFetched: r.h.now(), CaptureID: resp.Capture.ID, ContentHash: resp.Digest,
	}
	if resp.NotModified || (resp.Capture.Type != "" && resp.Capture.Type != "response") {
		st.CaptureID, st.ContentHash = a.prev.CaptureID, a.prev.ContentHash
		if st.ETag == "" {
			st.ETag = a.prev.ETag
		}
		if st.LastModified == "" {
			st.LastModified = a.prev.LastModified
		}
	}
	b.FetchStates = append(b.FetchStates, st)
	return r.apply(ctx, b)
}

// listFailed records a list page (page index, 0-based) that could not be
// read: an error line, the reason the column is incomplete, and the page's
// key, so that the next sweep asks for it again.
func (r *sourceRun) listFailed(ctx context.Context, c *columnRun, req fetch.Request, index int, resp *fetch.Response, err error) {
	c.fail("list", req.URL, err)
	where, declared := c.pageWhere(index, req.URL)
	what := err.Error()
	if strings.HasPrefix(what, "HTTP ") {
		what = "应答 " + what
	}
	c.because(where + what + declared)
	c.mu.Lock()
	if key := requestKey(req); !slices.Contains(c.failedPages, key) {
		c.failedPages = append(c.failedPages, key)
	}
	c.mu.Unlock()
	r.failed(c, req.URL, err)
	r.recordFailure(ctx, req.URL, requestForm(req), resp, err)
}

// failed counts a URL that could not be observed and reports it.
func (r *sourceRun) failed(c *columnRun, u string, err error) {
	r.t.update(func(s *Summary) { s.Errors++ })
	r.h.emit(Event{Kind: Failed, County: r.county.County, Source: r.src.Name, Column: c.col.Name, URL: u, Err: err})
	r.h.log.Warn("not observed", "county", r.county.County, "source", r.src.Name, "column", c.col.Name, "url", u, "err", err)
}

// recordFailure bumps the URL's error count so that it is retried (and, after
// repeated failures, alerted on) and the evidence of the failed answer kept.
func (r *sourceRun) recordFailure(ctx context.Context, u, form string, resp *fetch.Response, cause error) {
	if ctx.Err() != nil {
		return
	}
	st, _ := r.mem.state(stateKey(u, form))
	st.URL, st.Form = u, form
	st.ErrorCount++
	st.LastError = truncate(cause.Error(), 300)
	st.LastFetched = r.h.now()
	b := store.Batch{SweepID: r.sweepID, At: r.h.now()}
	if resp != nil {
		st.LastStatus = resp.Status
		b.Captures = append(b.Captures, evidence(resp)...)
	}
	b.FetchStates = []store.FetchState{st}
	if err := r.apply(ctx, b); err != nil {
		r.h.log.Error("recording a failure", "url", u, "err", err)
	}
}

// evidence is what an answer adds to its batch: its own capture and, for a
// page rendered in the browser, the captures of the exchanges the page made.
func evidence(resp *fetch.Response) []gongkai.Capture {
	var out []gongkai.Capture
	if resp == nil {
		return nil
	}
	if resp.Capture.ID != "" {
		out = append(out, resp.Capture)
	}
	return append(out, resp.Network...)
}

// fetch performs one exchange and reports it.
func (r *sourceRun) fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	resp, err := r.h.fetcher.Fetch(ctx, req)
	if resp != nil && len(resp.Blocked) > 0 {
		r.h.log.Info("the rendered page's requests refused", "url", req.URL, "refused", resp.Blocked)
	}
	status := 0
	notModified := false
	if resp != nil {
		status = resp.Status
		notModified = resp.NotModified
	}
	if err == nil || ctx.Err() == nil {
		r.t.update(func(s *Summary) {
			s.Pages++
			if notModified {
				s.NotModified++
			}
		})
		r.h.emit(Event{Kind: Fetched, County: r.county.County, Source: r.src.Name, URL: req.URL, FetchKind: req.Kind, Status: status, Err: err})
	}
	return resp, err
}

// apply commits a batch (group-committed with the sweep's other batches
// in flight) and returns once it is committed. A cancelled sweep still
// commits what it fetched.
func (r *sourceRun) apply(ctx context.Context, b store.Batch) error {
	res, err := r.app.apply(context.WithoutCancel(ctx), b)
	if err != nil {
		return fmt.Errorf("写入存储失败: %w", err)
	}
	r.mem.remember(b)
	r.committed(res)
	return nil
}

// committed counts and reports one committed unit.
func (r *sourceRun) committed(res store.BatchResult) {
	r.t.update(func(s *Summary) {
		s.New += res.New
		s.Changed += res.Changed
		s.Withdrawn += res.Withdrawn
	})
	r.h.emit(Event{Kind: Committed, County: r.county.County, Source: r.src.Name, Result: res})
}

// responseError turns an answer that observed nothing into an error.
func responseError(resp *fetch.Response) error {
	switch {
	case resp.Challenge:
		return fmt.Errorf("遇到验证/挑战页面 (HTTP %d)", resp.Status)
	case resp.NotModified:
		return nil
	case resp.Status >= 200 && resp.Status < 300:
		return nil
	default:
		return fmt.Errorf("HTTP %d", resp.Status)
	}
}

// requestKey identifies a request for de-duplication and fetch state: the
// URL, plus the form for POSTs (Hanweb's dataproxy pages share one URL).
func requestKey(req fetch.Request) string { return stateKey(req.URL, requestForm(req)) }

// requestForm is the encoded form of a POST, "" for a GET.
func requestForm(req fetch.Request) string {
	if len(req.Form) == 0 {
		return ""
	}
	return req.Form.Encode()
}

// entrySignature is the hash of what a list shows for an entry.
func entrySignature(e cms.Entry) string {
	h := sha256.Sum256([]byte(normTitle(e.Title) + "\x00" + e.Date.String() + "\x00" + e.DateText + "\x00" + normTitle(e.DocNo)))
	return "sha256:" + hex.EncodeToString(h[:])
}

// entryUnchanged reports whether a known entry shows what the list showed
// when its publication was last committed. Lists often show a shorter
// title or another date than the detail page, so the comparison is with
// the list's own earlier signature; without one (a store written before
// signatures), with the publication.
func (r *sourceRun) entryUnchanged(e cms.Entry, p gongkai.Publication) bool {
	if sig, ok := r.mem.signature(e.URL); ok && sig != "" {
		return sig == entrySignature(e)
	}
	return listUnchanged(e, p)
}

// listEntry records an entry's list signature; it is committed with the
// entry's detail unit.
func (r *sourceRun) listEntry(e cms.Entry) store.ListEntry {
	return store.ListEntry{URL: e.URL, Signature: entrySignature(e), Seen: r.h.now()}
}

// listUnchanged reports whether a list entry shows what the stored
// publication already has: the same title (lists cut long titles with "…")
// and, where the list gives one, the same date.
func listUnchanged(e cms.Entry, p gongkai.Publication) bool {
	if t := normTitle(e.Title); t != "" {
		stored := normTitle(p.Title)
		cut := strings.TrimRight(t, ".…")
		if t != stored && (cut == t || !strings.HasPrefix(stored, cut)) {
			return false
		}
	}
	if !e.Date.IsZero() && !p.Declared.IsZero() && e.Date != p.Declared {
		return false
	}
	return true
}

func normTitle(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
