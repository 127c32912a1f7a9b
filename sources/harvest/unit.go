package harvest

import (
	"context"
	"errors"
	"fmt"
	"gongkai"
	"sync"
	"time"

	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/store"
)

// The seam through which a sweep executes its detail units. The sweep (its
// walk, classification, incremental stop rule and judge) always runs where
// it was started; a detail unit — fetch the page and its attachments, build
// the publication, commit one batch — runs either in the sweep's own process
// (no Executor: the in-process path, unchanged) or wherever an Executor
// sends it (sources/harvest/redisq: a Redis Streams queue read by
// `harvester worker`s, which run it with ExecuteDetail). List pages and
// credit lookups are always executed by the sweep itself.

// DetailUnit is everything needed to execute one detail unit away from the
// sweep that queued it. It travels as JSON.
type DetailUnit struct {
	SweepID int64  `json:"sweep"`
	County  string `json:"county"`
	Source  string `json:"source"`
	Column  string `json:"column"`
	// Full: the unit belongs to a full re-walk.
	Full  bool      `json:"full,omitempty"`
	Entry cms.Entry `json:"entry"`
	// Known is the stored publication as the sweep began (nil: never stored).
	Known *gongkai.Publication `json:"known,omitempty"`
	// GoneCheck: known, but on no walked list page (a 404 confirms a withdrawal).
	GoneCheck bool `json:"gone,omitempty"`
	// States are the sweep's fetch states of the entry's URL (validators
	// for the conditional GET, error count).
	States []store.FetchState `json:"states,omitempty"`
}

// UnitOutcome says how a detail unit ended.
type UnitOutcome string

const (
	// UnitDone: its batch is committed.
	UnitDone UnitOutcome = "done"
	// UnitFailed: the page (or an attachment) could not be observed; the
	// failure is recorded in the store and the unit is retried next sweep.
	UnitFailed UnitOutcome = "failed"
	// UnitInterrupted: the executor stopped before the unit ended.
	UnitInterrupted UnitOutcome = "interrupted"
)

// UnitResult is what the sweep learns from an executed detail unit.
type UnitResult struct {
	Outcome UnitOutcome `json:"outcome"`
	Err     string      `json:"err,omitempty"` // why it failed, as the column's error line shows it
	// Pages and NotModified count the unit's HTTP exchanges as Summary does.
	Pages       int `json:"pages,omitempty"`
	NotModified int `json:"nm,omitempty"`
	New         int `json:"new,omitempty"`
	Changed     int `json:"changed,omitempty"`
	Withdrawn   int `json:"withdrawn,omitempty"`
	// FetchStates and ListEntries are what the unit committed, for the
	// sweep's memory of its requests.
	FetchStates []store.FetchState `json:"states,omitempty"`
	ListEntries []store.ListEntry  `json:"entries,omitempty"`
}

// Executor executes detail units for a sweep. Detail returns when the unit
// ended (its batch committed by whoever executed it, or its failure
// recorded); the error is non-nil only when the executor itself failed
// (store or queue unreachable for good) or ctx ended.
type Executor interface {
	Detail(ctx context.Context, u DetailUnit) (UnitResult, error)
}

// execute runs one detail unit through the configured Executor, or in
// this process when there is none.
func (r *sourceRun) execute(ctx context.Context, t task) error {
	ex := r.h.opts.Executor
	if ex == nil {
		return r.process(ctx, t)
	}
	if ctx.Err() != nil {
		return nil
	}
	u := DetailUnit{
		SweepID: r.sweepID, County: r.county.County, Source: r.src.Name, Column: t.col.col.Name,
		Full: r.full, Entry: t.entry, Known: t.known, GoneCheck: t.goneCheck,
	}
	if st, ok := r.mem.state(t.entry.URL); ok {
		u.States = []store.FetchState{st}
	}
	queued := time.Now()
	res, err := ex.Detail(ctx, u)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("执行详情任务失败: %w", err)
	}
	r.mem.remember(store.Batch{FetchStates: res.FetchStates, ListEntries: res.ListEntries})
	r.t.update(func(s *Summary) {
		s.Pages += res.Pages
		s.NotModified += res.NotModified
		s.New += res.New
		s.Changed += res.Changed
		s.Withdrawn += res.Withdrawn
	})
	switch res.Outcome {
	case UnitDone:
		t.col.mu.Lock()
		if t.col.remote == nil {
			t.col.remote = map[string]time.Time{}
		}
		t.col.remote[t.entry.URL] = queued
		t.col.mu.Unlock()
		r.h.emit(Event{Kind: Committed, County: r.county.County, Source: r.src.Name, URL: t.entry.URL,
			Result: store.BatchResult{New: res.New, Changed: res.Changed, Withdrawn: res.Withdrawn}})
		t.col.detailDone()
	case UnitFailed:
		err := errors.New(res.Err)
		t.col.fail("detail", t.entry.URL, err)
		r.failed(t.col, t.entry.URL, err)
	}
	return nil
}

// LossChecker is what an Executor may offer when the store it reports
// commits to can lose the last of them (a Redis server that crashed between
// two fsyncs of its AOF and restarted): Lost returns the URLs among done
// (URL → when its unit was queued) that the store holds no commit of since
// then. A column is judged only after this check, so a
// detail whose commit was lost is not counted as observed.
type LossChecker interface {
	Lost(ctx context.Context, done map[string]time.Time) ([]string, error)
}

// errCommitLost: a detail reported committed is not in the store.
var errCommitLost = errors.New("工作进程报告已保存的结果在 Redis 重启后不在存储中（随最后未落盘的写入丢失），下次采集重取")

// checkLost un-counts the column's remotely committed details whose
// batches the store lost; when the check itself fails, none of them counts.
func (r *sourceRun) checkLost(ctx context.Context, c *columnRun) {
	lc, ok := r.h.opts.Executor.(LossChecker)
	c.mu.Lock()
	done := c.remote
	c.mu.Unlock()
	if !ok || len(done) == 0 || ctx.Err() != nil {
		return
	}
	lost, err := lc.Lost(ctx, done)
	if err != nil {
		lost = lost[:0]
		for u := range done {
			lost = append(lost, u)
		}
		c.because("无法核实工作进程的结果是否已保存: " + err.Error())
	}
	for _, u := range lost {
		c.mu.Lock()
		c.out.Details--
		c.mu.Unlock()
		c.fail("detail", u, errCommitLost)
		r.failed(c, u, errCommitLost)
	}
}

// unitRuns holds what ExecuteDetail keeps between the units of one sweep
// of a source: its soft-404 profile (probed once, not once per unit) and
// the internal links checked (each URL once per sweep, as in one process).
// Only the newest sweep of each source is kept, so a long-running worker
// does not accumulate them.
type unitRuns struct {
	once    sync.Once
	app     *appender
	mu      sync.Mutex
	current map[unitSource]*unitSweep
}

type unitSource struct {
	county, source string
}

type unitSweep struct {
	id    int64
	nf    *notFoundCheck
	links *linkChecks
}

// ErrNotConfigured: a unit names a county, source or column the executing
// harvester's configuration does not have (a worker started with another
// sites.yaml).
var ErrNotConfigured = errors.New("工作进程的站点配置与发起采集的不同")

// ExecuteDetail executes a detail unit queued by a sweep elsewhere, with
// the same code as the in-process path, and commits its batch. Its error
// is non-nil only when the store failed (nothing was committed; the unit
// can be executed again) or the unit names a county, source or column this
// harvester's configuration does not have.
func (h *Harvester) ExecuteDetail(ctx context.Context, u DetailUnit) (UnitResult, error) {
	county, ok := h.findCounty(u.County)
	if !ok {
		return UnitResult{}, fmt.Errorf("%w: 配置 %s 中没有县区 %q", ErrNotConfigured, h.cfg.Path, u.County)
	}
	var src *config.Source
	for i := range county.Sources {
		if county.Sources[i].Name == u.Source {
			src = &county.Sources[i]
		}
	}
	if src == nil {
		return UnitResult{}, fmt.Errorf("%w: 配置 %s 中县区 %s 没有来源 %q", ErrNotConfigured, h.cfg.Path, u.County, u.Source)
	}
	c := &columnRun{seen: map[string]bool{}, rejected: map[string]bool{}}
	found := false
	for _, col := range src.Columns {
		if col.Name == u.Column {
			c.col, found = col, true
		}
	}
	if !found {
		return UnitResult{}, fmt.Errorf("%w: 配置 %s 中来源 %s 没有栏目 %q", ErrNotConfigured, h.cfg.Path, u.Source, u.Column)
	}
	h.units.once.Do(func() {
		h.units.app = newAppender(h.st)
		h.units.current = map[unitSource]*unitSweep{}
	})
	key := unitSource{county.County, src.Name}
	h.units.mu.Lock()
	sw := h.units.current[key]
	if sw == nil || sw.id != u.SweepID {
		sw = &unitSweep{id: u.SweepID, nf: &notFoundCheck{}, links: &linkChecks{}}
		h.units.current[key] = sw
	}
	h.units.mu.Unlock()

	mem := &fetchMemory{states: map[string]store.FetchState{}, sigs: map[string]string{}}
	mem.remember(store.Batch{FetchStates: u.States})
	if u.Known != nil {
		// The attachments' validators: the sweep holds them in its memory,
		// a worker reads them from the store.
		full, ok, err := h.st.Publication(ctx, u.Entry.URL)
		if err != nil {
			return UnitResult{}, err
		}
		var urls []string
		if ok {
			for _, a := range full.Attachments {
				urls = append(urls, a.URL)
			}
		}
		if len(urls) > 0 {
			states, err := h.st.FetchStates(ctx, urls)
			if err != nil {
				return UnitResult{}, err
			}
			mem.remember(store.Batch{FetchStates: states})
		}
	}
	t := &tally{}
	r := &sourceRun{h: h, county: county, src: *src, sweepID: u.SweepID, full: u.Full, t: t, app: h.units.app, mem: mem, nf: sw.nf, links: sw.links}
	err := r.process(ctx, task{col: c, entry: u.Entry, known: u.Known, goneCheck: u.GoneCheck})
	if err != nil {
		return UnitResult{}, err
	}
	s := t.snapshot()
	res := UnitResult{Pages: s.Pages, NotModified: s.NotModified, New: s.New, Changed: s.Changed, Withdrawn: s.Withdrawn}
	c.mu.Lock()
	switch {
	case c.out.Details > 0:
		res.Outcome = UnitDone
	case c.out.DetailsFailed > 0:
		res.Outcome = UnitFailed
		if len(c.out.Errors) > 0 {
			res.Err = c.out.Errors[0]
		}
	default:
		res.Outcome = UnitInterrupted
	}
	c.mu.Unlock()
	if res.Outcome == UnitFailed {
		// The column's error line is "URL: reason"; the sweep adds the URL again.
		res.Err = trimURLPrefix(res.Err, u.Entry.URL)
	}
	mem.mu.Lock()
	for _, st := range mem.states {
		res.FetchStates = append(res.FetchStates, st)
	}
	for eu, sig := range mem.sigs {
		res.ListEntries = append(res.ListEntries, store.ListEntry{URL: eu, Signature: sig})
	}
	mem.mu.Unlock()
	return res, nil
}

// CloseUnits stops the committer ExecuteDetail started (after the last unit).
func (h *Harvester) CloseUnits() {
	if h.units.app != nil {
		h.units.app.close()
	}
}

func trimURLPrefix(line, u string) string {
	if len(line) > len(u)+2 && line[:len(u)+2] == u+": " {
		return line[len(u)+2:]
	}
	return line
}
