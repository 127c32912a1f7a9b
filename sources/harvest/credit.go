package harvest

import (
	"context"
	"errors"
	"fmt"
	"gongkai"

	"gongkai/catalogue"
	"gongkai/sources/config"
	"gongkai/sources/credit"
	"gongkai/sources/fetch"
	"gongkai/store"
)

// sweepCredit runs the credit-system lookups for the selected counties as
// a sweep like a bureau site's: the lookups are its units (one at a time:
// the system sees one browser session), each committed as one batch
// through the sweep's appender, and the counties are its columns.
//
// Lookups are incremental (credit.Schedule): a sweep looks up only the
// targets something is owed for — never looked up, not observed last
// time, records new or changed, newly due, an absence awaited — and
// every target on the full-walk cadence; the others keep their last
// observation, and the county's outcome says how old it is.
func (h *Harvester) sweepCredit(ctx context.Context, app *appender, counties []config.County) (Summary, error) {
	c := h.cfg.Credit
	names := make([]string, len(counties))
	for i, county := range counties {
		names[i] = county.County
	}
	t := &tally{s: Summary{Source: c.Name, Complete: true, Started: h.now(), Credit: &CreditSummary{Why: map[credit.Why]int{}}}}
	started := false
	start := func(full bool) {
		if !started {
			started = true
			t.update(func(s *Summary) { s.Full = full })
			h.emit(Event{Kind: SweepStarted, Source: c.Name, Full: full})
		}
	}
	finish := func(err error) (Summary, error) {
		start(false)
		t.update(func(s *Summary) {
			s.Complete = s.Complete && !s.Interrupted && err == nil
			s.Finished = h.now()
		})
		sum := t.snapshot()
		h.emit(Event{Kind: SweepDone, Source: c.Name, Summary: &sum})
		return sum, err
	}
	recs, err := h.st.Records(ctx, store.RecordQuery{})
	if err != nil {
		return finish(fmt.Errorf("读取应公开记录失败: %w", err))
	}
	targets := credit.Targets(recs, h.cat, names)
	full, err := h.isFull(ctx, "", c.Name)
	if err != nil {
		return finish(fmt.Errorf("读取采集记录失败: %w", err))
	}
	start(full)
	// What earlier sweeps left: the lookups, the fingerprints of the
	// records each observed lookup was made for, and the rows seen
	// (withdrawn ones too: they still show a record was published).
	lookups, err := h.st.CreditLookups(ctx, store.CreditQuery{})
	if err != nil {
		return finish(fmt.Errorf("读取信用查询记录失败: %w", err))
	}
	states, err := h.st.FetchStates(ctx, []string{credit.StateURL(c.URL)})
	if err != nil {
		return finish(fmt.Errorf("读取信用查询状态失败: %w", err))
	}
	known, err := h.st.Publications(ctx, store.PublicationQuery{Source: c.Name, Channel: catalogue.Credit, IncludeWithdrawn: true})
	if err != nil {
		return finish(fmt.Errorf("读取已知条目失败: %w", err))
	}
	sched := credit.Schedule{Full: full, Now: h.now(), Calendar: h.cal, Catalogue: h.cat, History: credit.NewHistory(lookups, states, known)}
	outcomes := credit.NewOutcomes(h.cat)
	var todo []credit.Target
	for _, target := range targets {
		d := sched.Decide(target)
		outcomes.Plan(target)
		if d.Why == credit.Carried {
			outcomes.Carry(d)
			t.update(func(s *Summary) { s.Credit.carry(d) })
			continue
		}
		todo = append(todo, d.Target)
		t.update(func(s *Summary) { s.Credit.Why[d.Why]++ })
	}
	t.update(func(s *Summary) { s.Credit.Targets = len(targets) })
	h.log.Info("credit lookups planned", "targets", len(targets), "lookups", len(todo), "carried", len(targets)-len(todo), "full", full)

	// A full re-check made under --only covered only those counties: it
	// does not reset the cadence of the others.
	id, err := h.st.BeginSweep(ctx, gongkai.Sweep{Source: c.Name, Channel: catalogue.Credit, Full: full && len(h.opts.Only) == 0, Started: h.now()})
	if err != nil {
		return finish(fmt.Errorf("开始采集失败: %w", err))
	}
	t.update(func(s *Summary) { s.SweepID = id })

	r := &sourceRun{h: h, src: config.Source{Name: c.Name}, sweepID: id, full: full, t: t, app: app, links: &linkChecks{}}
	l := &credit.Lookups{Credit: *c, Fetcher: fetchFunc(r.fetch), Catalogue: h.cat, Known: known, Now: h.now}
	if len(todo) > 0 {
		h.emit(Event{Kind: Queued, Source: c.Name, Pending: len(todo)})
	}
	var storeErr error
	for _, target := range todo {
		if ctx.Err() != nil {
			break
		}
		lk := l.Lookup(ctx, target)
		if lk.Cancelled {
			break // nothing committed, nothing to count
		}
		if !lk.Observed {
			t.update(func(s *Summary) { s.Errors++ })
			h.emit(Event{Kind: Failed, Source: c.Name, URL: target.Key, Err: errors.New(lk.Reason)})
			h.log.Warn("credit lookup not observed", "key", target.Key, "party", target.Party, "reason", lk.Reason)
		}
		lk.Batch.SweepID = id
		res, err := app.apply(context.WithoutCancel(ctx), lk.Batch)
		if err != nil {
			storeErr = fmt.Errorf("保存信用查询失败: %w", err)
			break
		}
		r.committed(res)
		outcomes.Add(target, lk)
		t.update(func(s *Summary) { s.Credit.Looked++ })
	}

	interrupted := ctx.Err() != nil || storeErr != nil
	cols := outcomes.Columns(h.now(), interrupted)
	for i := range cols {
		out := &cols[i]
		res, err := app.apply(context.WithoutCancel(ctx), store.Batch{SweepID: id, At: h.now(), Column: out})
		if err != nil {
			if storeErr == nil {
				storeErr = fmt.Errorf("保存查询结果失败: %w", err)
			}
			continue
		}
		r.committed(res)
		h.emit(Event{Kind: ColumnDone, Source: c.Name, Column: out.Column, Outcome: out})
	}
	if err := h.st.FinishSweep(context.WithoutCancel(ctx), id, h.now(), interrupted); err != nil && storeErr == nil {
		storeErr = fmt.Errorf("结束采集失败: %w", err)
	}
	t.update(func(s *Summary) {
		s.Columns = cols
		s.Interrupted = interrupted
		for _, col := range cols {
			s.Complete = s.Complete && col.Complete
		}
	})
	return finish(storeErr)
}

// fetchFunc adapts a function to credit.Fetcher.
type fetchFunc func(context.Context, fetch.Request) (*fetch.Response, error)

func (f fetchFunc) Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	return f(ctx, req)
}
