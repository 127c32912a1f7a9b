package harvest

import (
	"gongkai"
	"maps"
	"sync"
	"time"

	"gongkai/sources/credit"
	"gongkai/store"
)

// EventKind says what happened in an Event.
type EventKind int

const (
	// SweepStarted: a source's sweep began (Full says whether it is a full re-walk).
	SweepStarted EventKind = iota
	// ListPlanned: a column's first list page declared how many pages it has
	// (Pages), for progress estimates.
	ListPlanned
	// Fetched: one HTTP exchange finished (Status, FetchKind; Err for transport failures).
	Fetched
	// Committed: a unit of work was applied to the store (Result).
	Committed
	// Failed: a URL could not be observed in this sweep (URL, Err); it is retried next sweep.
	Failed
	// Queued: Pending more detail or attachment fetches are expected.
	Queued
	// ColumnDone: a column finished (Outcome).
	ColumnDone
	// SweepDone: a source's sweep finished (Interrupted, Summary).
	SweepDone
)

// Event is one observation the Harvester reports to its Observer. Progress
// displays, metrics, logs and tests all read the same stream.
type Event struct {
	Kind      EventKind
	At        time.Time
	County    string // official county name; "" for the credit system
	Source    string
	Column    string
	URL       string
	FetchKind string // list, detail, attachment, link (an internal link checked), probe, credit-search, credit-company, credit-data
	Status    int
	Err       error
	Full      bool
	Pages     int
	Pending   int
	Result    store.BatchResult
	Outcome   *gongkai.ColumnOutcome
	Summary   *Summary
}

// Observer receives events. It is called from many goroutines at once and
// must not block for long.
type Observer interface {
	Event(Event)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(Event)

// Event calls f.
func (f ObserverFunc) Event(e Event) { f(e) }

// Observers fans one event stream out to several observers.
type Observers []Observer

// Event forwards e to every observer.
func (os Observers) Event(e Event) {
	for _, o := range os {
		if o != nil {
			o.Event(e)
		}
	}
}

// Summary is what one source's sweep did: the numbers of the end-of-run table.
type Summary struct {
	County      string
	Source      string
	SweepID     int64
	Full        bool
	Pages       int // HTTP exchanges (lists, details, attachments, JSON)
	NotModified int // of which answered 304 or with identical content
	New         int
	Changed     int
	Withdrawn   int
	Errors      int // URLs that could not be observed
	// LinksChecked and DeadLinks count the distinct internal links checked
	// in the sweep and those found dead (each URL once per sweep).
	LinksChecked int
	DeadLinks    int
	Complete     bool
	Interrupted  bool
	Columns      []gongkai.ColumnOutcome
	Started      time.Time
	Finished     time.Time
	// Credit is what the credit source's sweep looked up and what it
	// judged on earlier observations (nil for a bureau site's sweep).
	Credit *CreditSummary
}

// CreditSummary says which enterprises a credit sweep looked up, why, and
// how many it did not (incremental lookups, credit.Schedule).
type CreditSummary struct {
	Targets int                // enterprises the records need looked up
	Why     map[credit.Why]int // lookups planned, by reason
	Looked  int                // lookups made and committed
	Carried int                // not looked up: judged on their last observed lookup
	// OldestCarried is the oldest observation a carried enterprise is
	// judged on (zero when none is carried).
	OldestCarried time.Time
}

// Planned is the number of lookups the sweep set out to make.
func (c *CreditSummary) Planned() int {
	n := 0
	for _, v := range c.Why {
		n += v
	}
	return n
}

func (c *CreditSummary) carry(d credit.Decision) {
	c.Carried++
	for _, at := range d.LastObserved {
		if c.OldestCarried.IsZero() || at.Before(c.OldestCarried) {
			c.OldestCarried = at
		}
	}
}

// Add merges o into s (used to total several sources of one county).
func (s *Summary) Add(o Summary) {
	s.Pages += o.Pages
	s.NotModified += o.NotModified
	s.New += o.New
	s.Changed += o.Changed
	s.Withdrawn += o.Withdrawn
	s.Errors += o.Errors
	s.LinksChecked += o.LinksChecked
	s.DeadLinks += o.DeadLinks
	s.Complete = s.Complete && o.Complete
	s.Interrupted = s.Interrupted || o.Interrupted
	s.Columns = append(s.Columns, o.Columns...)
	if s.Started.IsZero() || (!o.Started.IsZero() && o.Started.Before(s.Started)) {
		s.Started = o.Started
	}
	if o.Finished.After(s.Finished) {
		s.Finished = o.Finished
	}
}

// tally counts one source's sweep while its goroutines run.
type tally struct {
	mu sync.Mutex
	s  Summary
}

func (t *tally) update(f func(s *Summary)) {
	t.mu.Lock()
	f(&t.s)
	t.mu.Unlock()
}

func (t *tally) snapshot() Summary {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.s
	s.Columns = append([]gongkai.ColumnOutcome(nil), t.s.Columns...)
	if t.s.Credit != nil {
		c := *t.s.Credit
		c.Why = maps.Clone(c.Why)
		s.Credit = &c
	}
	return s
}
