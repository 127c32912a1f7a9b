package harvest

import (
	"context"
	"sync"

	"gongkai/store"
)

// appender commits one sweep's batches with group commit: while one
// transaction is being written, the batches that arrive wait, and the next
// transaction carries all of them. Every caller still returns only after
// the transaction holding its batch committed, so "a URL is done only after
// its result is committed" holds; the store just sees fewer, larger
// transactions when many detail workers finish at once (SQLite has one
// writer, and a commit costs far more than the rows in it).
type appender struct {
	st store.Store
	// committed is called once per transaction, by the caller that wrote it.
	committed func(store.BatchResult)

	mu      sync.Mutex
	pending []*pendingBatch
	leading bool // a caller is committing on behalf of the others
}

type pendingBatch struct {
	b    store.Batch
	err  error
	done chan struct{}
}

// maxGroup bounds how many batches one transaction carries.
const maxGroup = 64

// apply commits b, possibly in one transaction with others of the sweep,
// and returns once that transaction is committed.
func (a *appender) apply(ctx context.Context, b store.Batch) error {
	if b.Column != nil {
		// Column outcomes close a column; they are rare and go alone.
		r, err := a.st.Apply(ctx, b)
		if err == nil {
			a.committed(r)
		}
		return err
	}
	p := &pendingBatch{b: b, done: make(chan struct{})}
	a.mu.Lock()
	a.pending = append(a.pending, p)
	if a.leading {
		a.mu.Unlock()
		<-p.done
		return p.err
	}
	a.leading = true
	a.mu.Unlock()

	// Lead: commit groups until nothing waits (our own batch is in the
	// first one), then hand the lead back.
	for {
		a.mu.Lock()
		n := min(len(a.pending), maxGroup)
		if n == 0 {
			a.leading = false
			a.mu.Unlock()
			return p.err
		}
		group := a.pending[:n:n]
		a.pending = a.pending[n:]
		a.mu.Unlock()
		r, err := a.st.Apply(ctx, merge(group))
		if err == nil {
			a.committed(r)
		}
		for _, q := range group {
			q.err = err
			if q != p {
				close(q.done)
			}
		}
	}
}

// merge concatenates batches of one sweep into one, in arrival order (a
// later fetch state of the same URL wins, as it would one by one).
func merge(group []*pendingBatch) store.Batch {
	if len(group) == 1 {
		return group[0].b
	}
	out := store.Batch{SweepID: group[0].b.SweepID}
	for _, q := range group {
		b := q.b
		if b.At.After(out.At) {
			out.At = b.At
		}
		out.Captures = append(out.Captures, b.Captures...)
		out.FetchStates = append(out.FetchStates, b.FetchStates...)
		out.Publications = append(out.Publications, b.Publications...)
		out.Seen = append(out.Seen, b.Seen...)
		out.Withdrawn = append(out.Withdrawn, b.Withdrawn...)
		out.Credit = append(out.Credit, b.Credit...)
	}
	return out
}
