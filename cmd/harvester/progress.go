package main

import (
	"fmt"
	"gongkai/internal/texttable"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"gongkai/sources/harvest"
)

// isTerminal reports whether w is a terminal (then progress is drawn live
// instead of logged).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress draws one line per county on a terminal: pages, items, errors
// and an estimate of the time left, redrawn a few times a second.
type progress struct {
	w     io.Writer
	start time.Time

	mu     sync.Mutex
	order  []string
	rows   map[string]*progressRow
	drawn  int // lines drawn last time
	stop   chan struct{}
	done   chan struct{}
	closed bool
}

type progressRow struct {
	name                    string
	pages, errors           int
	newItems, changed, gone int
	planned, handled        int // units expected and finished, for the estimate
	running                 int // sources still sweeping
	finished, incomplete    bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now(), rows: map[string]*progressRow{}, stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *progress) row(e harvest.Event) *progressRow {
	name := e.County
	if name == "" {
		name = e.Source
	}
	r := p.rows[name]
	if r == nil {
		r = &progressRow{name: name}
		p.rows[name] = r
		p.order = append(p.order, name)
	}
	return r
}

// Event implements harvest.Observer.
func (p *progress) Event(e harvest.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.row(e)
	switch e.Kind {
	case harvest.SweepStarted:
		r.running++
		r.planned++ // the first list page of each source, before anything is known
	case harvest.ListPlanned:
		r.planned += e.Pages
	case harvest.Queued:
		r.planned += e.Pending
	case harvest.Fetched:
		r.pages++
		if e.FetchKind != "attachment" {
			r.handled++
		}
	case harvest.Committed:
		r.newItems += e.Result.New
		r.changed += e.Result.Changed
		r.gone += e.Result.Withdrawn
	case harvest.Failed:
		r.errors++
	case harvest.SweepDone:
		r.running--
		if r.running <= 0 {
			r.finished = true
		}
		if e.Summary != nil && (!e.Summary.Complete || e.Summary.Interrupted) {
			r.incomplete = true
		}
	}
}

func (p *progress) loop() {
	defer close(p.done)
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			p.draw(true)
			return
		case <-t.C:
			p.draw(false)
		}
	}
}

// Close draws the final state and stops redrawing.
func (p *progress) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.mu.Unlock()
	close(p.stop)
	<-p.done
}

func (p *progress) draw(final bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn) // back to the first line drawn
	}
	elapsed := time.Since(p.start)
	lines := 0
	for _, name := range p.order {
		r := p.rows[name]
		state := "采集中"
		switch {
		case r.finished && r.incomplete:
			state = "完成（不完整）"
		case r.finished:
			state = "完成"
		default:
			if eta, ok := estimate(elapsed, r.handled, r.planned); ok {
				state = "预计剩余 " + eta
			}
		}
		fmt.Fprintf(&b, "\x1b[2K%s%s  页面 %5d  新增 %4d  变更 %4d  撤下 %3d  错误 %3d  %s\n",
			name, strings.Repeat(" ", max(0, 16-texttable.Width(name))), r.pages, r.newItems, r.changed, r.gone, r.errors, state)
		lines++
	}
	if final || lines > 0 {
		fmt.Fprintf(&b, "\x1b[2K已用时 %s\n", elapsed.Round(time.Second))
		lines++
	}
	p.drawn = lines
	io.WriteString(p.w, b.String())
}

// estimate extrapolates the time left from the pace so far.
func estimate(elapsed time.Duration, done, planned int) (string, bool) {
	if done < 3 || planned <= done || elapsed < time.Second {
		return "", false
	}
	left := time.Duration(float64(elapsed) / float64(done) * float64(planned-done))
	return left.Round(time.Second).String(), true
}

// logObserver writes structured logs of the events that matter when no one
// is watching a terminal: sweeps, columns, failures.
type logObserver struct{ log *slog.Logger }

func (l logObserver) Event(e harvest.Event) {
	switch e.Kind {
	case harvest.SweepStarted:
		l.log.Info("sweep started", "county", e.County, "source", e.Source, "full", e.Full)
	case harvest.ColumnDone:
		o := e.Outcome
		l.log.Info("column done", "county", e.County, "source", e.Source, "column", e.Column,
			"complete", o.Complete, "list_pages", o.ListPages, "list_failed", o.ListFailed,
			"details", o.Details, "details_failed", o.DetailsFailed, "reason", o.Why(), "blank", o.Blank)
	case harvest.Failed:
		l.log.Warn("not observed", "county", e.County, "source", e.Source, "column", e.Column, "url", e.URL, "err", e.Err)
	case harvest.SweepDone:
		s := e.Summary
		l.log.Info("sweep done", "county", e.County, "source", e.Source, "pages", s.Pages, "not_modified", s.NotModified,
			"new", s.New, "changed", s.Changed, "withdrawn", s.Withdrawn, "errors", s.Errors,
			"links_checked", s.LinksChecked, "dead_links", s.DeadLinks, "complete", s.Complete, "interrupted", s.Interrupted, "duration", s.Finished.Sub(s.Started).Round(time.Millisecond).String())
		if c := s.Credit; c != nil {
			l.log.Info("credit lookups", "source", e.Source, "targets", c.Targets, "looked_up", c.Looked, "planned", c.Planned(),
				"carried", c.Carried, "oldest_carried", c.OldestCarried)
		}
	}
}
