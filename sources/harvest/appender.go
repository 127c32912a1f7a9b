package harvest

import (
	"context"
	"sync"
	"time"

	"gongkai/store"
)

// appender commits a sweep's batches with group commit: while one
// transaction is being written, the batches that arrive (from any source of
// the sweep) wait, and the next transaction carries all of them. Every
// caller still returns only after the transaction holding its batch
// committed, so "a URL is done only after its result is committed" holds;
// the store just sees fewer, larger transactions when many detail workers
// finish at once (SQLite has one writer, and a commit — the WAL frames of
// every page it touched, and the checkpoints they lead to — costs far more
// than the rows in it).
//
// A store without ApplyBatches gets the batches one transaction each.
type appender struct {
	st    store.Store
	group store.GroupApplier // nil: no group commit

	// A new leader lingers before the first transaction of its turn while
	// batches keep arriving: until none came for lingerGap, groupFull
	// wait, or lingerMax passed. (Zero lingerMax: no lingering.)
	lingerGap, lingerMax time.Duration
	arrived              chan struct{} // a batch arrived while a leader lingers

	mu      sync.Mutex
	pending []*pendingBatch
	leading bool // a caller is committing on behalf of the others
}

type pendingBatch struct {
	b    store.Batch
	res  store.BatchResult
	err  error
	done chan struct{}
}

// maxGroup bounds how many batches one transaction carries.
const maxGroup = 512

// groupFull ends a leader's linger.
const groupFull = 192

// The units of a sweep finish a millisecond or so apart, and a commit takes
// a few hundred microseconds, so a leader that committed at once would
// mostly commit its own batch alone: with 40,000 units, 25,000 transactions,
// each writing its share of index pages into the WAL again. Lingering while
// more arrive turns a dozen or more transactions into one. The wait is
// spent by a worker that holds no request slot, so fetching goes on
// meanwhile; when batches come rarely (an incremental sweep), the gap ends
// the wait after a couple of milliseconds.
const (
	commitLingerGap = 2 * time.Millisecond
	commitLingerMax = 40 * time.Millisecond
)

func newAppender(st store.Store) *appender {
	a := &appender{st: st, lingerGap: commitLingerGap, lingerMax: commitLingerMax, arrived: make(chan struct{}, 1)}
	a.group, _ = st.(store.GroupApplier)
	return a
}

// apply commits b, possibly in one transaction with other batches of the
// sweep, and returns its result once that transaction is committed.
func (a *appender) apply(ctx context.Context, b store.Batch) (store.BatchResult, error) {
	if a.group == nil {
		return a.st.Apply(ctx, b)
	}
	p := &pendingBatch{b: b, done: make(chan struct{})}
	a.mu.Lock()
	a.pending = append(a.pending, p)
	if a.leading {
		select {
		case a.arrived <- struct{}{}:
		default:
		}
		a.mu.Unlock()
		<-p.done
		return p.res, p.err
	}
	a.leading = true
	select { // a signal left from an earlier turn (sent under mu) says nothing now
	case <-a.arrived:
	default:
	}
	a.mu.Unlock()
	a.linger()

	// Lead: commit groups until nothing waits (our own batch is in the
	// first one), then hand the lead back.
	for {
		a.mu.Lock()
		n := min(len(a.pending), maxGroup)
		if n == 0 {
			a.leading = false
			a.mu.Unlock()
			return p.res, p.err
		}
		group := a.pending[:n:n]
		a.pending = a.pending[n:]
		a.mu.Unlock()
		a.commit(ctx, group)
		for _, q := range group {
			if q != p {
				close(q.done)
			}
		}
	}
}

// linger waits while batches keep arriving (see commitLingerGap).
func (a *appender) linger() {
	if a.lingerMax <= 0 {
		return
	}
	deadline := time.Now().Add(a.lingerMax)
	t := time.NewTimer(a.lingerGap)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			return // a gap: nothing more is coming soon
		case <-a.arrived:
		}
		a.mu.Lock()
		n := len(a.pending)
		a.mu.Unlock()
		left := time.Until(deadline)
		if n >= groupFull || left <= 0 {
			return
		}
		t.Reset(min(a.lingerGap, left))
	}
}

// commit writes a group in one transaction. When that fails and the group
// holds more than one batch, each is retried alone, so that one bad batch
// fails only its own unit (and its own source), not every source's.
func (a *appender) commit(ctx context.Context, group []*pendingBatch) {
	bs := make([]store.Batch, len(group))
	for i, q := range group {
		bs[i] = q.b
	}
	res, err := a.group.ApplyBatches(ctx, bs)
	if err == nil {
		for i, q := range group {
			q.res = res[i]
		}
		return
	}
	if len(group) == 1 {
		group[0].err = err
		return
	}
	for _, q := range group {
		r, err := a.group.ApplyBatches(ctx, []store.Batch{q.b})
		if err != nil {
			q.err = err
			continue
		}
		q.res = r[0]
	}
}
