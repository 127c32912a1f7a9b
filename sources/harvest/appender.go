package harvest

import (
	"context"
	"time"

	"gongkai/store"
)

// appender commits a sweep's batches through one committer goroutine. The
// detail workers of every source hand their batches to it over a channel;
// it takes what is queued when it gets to it and commits that in one
// transaction (SQLite has one writer, and a commit costs far more than the
// rows in it). Every caller still returns only after the transaction
// holding its batch committed, so "a URL is done only after its result is
// committed" holds.
//
// A store without ApplyBatches gets the batches one transaction each,
// applied by their callers.
type appender struct {
	st    store.Store
	group store.GroupApplier // nil: no group commit
	queue chan *pendingBatch
	done  chan struct{} // closed when the committer has stopped
}

type pendingBatch struct {
	ctx  context.Context
	b    store.Batch
	res  store.BatchResult
	err  error
	done chan struct{}
}

// maxGroup bounds how many batches one transaction carries.
const maxGroup = 512

// gatherWait is how long the committer, holding a batch, waits for others
// to join its transaction. The detail workers wait for their own commits,
// so few batches are ever queued at the instant the committer looks; a
// short wait lets a transaction carry tens of them instead of one or two
// (bench/harvest: 24,883 transactions for 37,736 requests without it).
const gatherWait = 10 * time.Millisecond

func newAppender(st store.Store) *appender {
	a := &appender{st: st, queue: make(chan *pendingBatch, maxGroup), done: make(chan struct{})}
	a.group, _ = st.(store.GroupApplier)
	if a.group == nil {
		close(a.done)
		return a
	}
	go a.commitLoop()
	return a
}

// apply commits b, possibly in one transaction with other batches of the
// sweep, and returns its result once that transaction is committed.
func (a *appender) apply(ctx context.Context, b store.Batch) (store.BatchResult, error) {
	if a.group == nil {
		return a.st.Apply(ctx, b)
	}
	p := &pendingBatch{ctx: ctx, b: b, done: make(chan struct{})}
	a.queue <- p
	<-p.done
	return p.res, p.err
}

// close stops the committer once every batch handed over is committed;
// apply must not be called afterwards.
func (a *appender) close() {
	if a.group != nil {
		close(a.queue)
	}
	<-a.done
}

// commitLoop is the committer: it waits for a batch, gathers the others
// that arrive within gatherWait, and commits them together.
func (a *appender) commitLoop() {
	defer close(a.done)
	for p := range a.queue {
		group := []*pendingBatch{p}
		timer := time.NewTimer(gatherWait)
	gather:
		for len(group) < maxGroup {
			select {
			case q, ok := <-a.queue:
				if !ok {
					break gather
				}
				group = append(group, q)
			case <-timer.C:
				break gather
			}
		}
		timer.Stop()
		a.commit(group)
		for _, q := range group {
			close(q.done)
		}
	}
}

// commit writes a group in one transaction. When that fails and the group
// holds more than one batch, each is retried alone, so that one bad batch
// fails only its own unit (and its own source), not every source's.
func (a *appender) commit(group []*pendingBatch) {
	bs := make([]store.Batch, len(group))
	for i, q := range group {
		bs[i] = q.b
	}
	res, err := a.group.ApplyBatches(group[0].ctx, bs)
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
		r, err := a.group.ApplyBatches(q.ctx, []store.Batch{q.b})
		if err != nil {
			q.err = err
			continue
		}
		q.res = r[0]
	}
}
