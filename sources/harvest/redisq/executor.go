package redisq

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	goredis "github.com/redis/go-redis/v9"

	"gongkai/internal/retry"
	"gongkai/sources/harvest"
	"gongkai/store"
)

var _ harvest.LossChecker = (*Executor)(nil)

// clockSkew is how far the clocks of the sweep's and the workers' machines
// may disagree for Lost.
const clockSkew = time.Minute

// serverRunID is the Redis server process's run_id (a new one after every
// restart).
func serverRunID(ctx context.Context, c goredis.UniversalClient) (string, error) {
	info, err := c.Info(ctx, "server").Result()
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "run_id:"); ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("INFO server has no run_id")
}

// Lost returns the units among done (URL → when it was queued) whose
// batches are not in the store. While the server that received them has
// not restarted, nothing was lost (it answered EXEC after writing the AOF);
// after a restart each is looked up: a crash between two fsyncs loses the
// last second of commits. A unit's commit is in the store when the URL's
// fetch state was written after the unit was queued; the machines' clocks
// (the worker's stamps the state, the sweep's the queueing) may differ by
// up to clockSkew, while the state a lost commit leaves is the previous
// sweep's, days older.
func (e *Executor) Lost(ctx context.Context, done map[string]time.Time) ([]string, error) {
	id, err := serverRunID(ctx, e.q.c)
	if err != nil {
		return nil, err
	}
	if id == e.runID && id != "" {
		return nil, nil
	}
	if e.Store == nil {
		return nil, fmt.Errorf("Redis 已重启，无法核实")
	}
	var lost []string
	for u, at := range done {
		st, ok, err := e.Store.FetchState(ctx, u)
		if err != nil {
			return nil, err
		}
		if !ok || st.LastFetched.Before(at.Add(-clockSkew)) {
			lost = append(lost, u)
		}
	}
	return lost, nil
}

// Executor is the sweep's side: harvest.Executor over the units stream.
// Results come back on the executor's own reply stream, read by one
// goroutine that hands each to the Detail call waiting for it.
type Executor struct {
	q     *Queue
	reply string
	// OnError, when set, is told of Redis errors the executor waits out.
	OnError func(err error)
	// Store, when set, is what Lost checks reported commits against.
	Store store.Store

	runID string // the server process's run_id when the executor started

	mu      sync.Mutex
	waiting map[string]*waiter

	stop chan struct{}
	done sync.WaitGroup
}

type waiter struct {
	unit  []byte
	msgID string
	added time.Time
	ch    chan harvest.UnitResult
}

var _ harvest.Executor = (*Executor)(nil)

// NewExecutor starts reading this process's reply stream. Close it after
// the sweep.
func (q *Queue) NewExecutor() *Executor {
	host, _ := os.Hostname()
	e := &Executor{
		q: q, reply: q.kReply(fmt.Sprintf("%s-%d-%s", host, os.Getpid(), uuid.NewString())),
		waiting: map[string]*waiter{}, stop: make(chan struct{}),
	}
	e.runID, _ = serverRunID(context.Background(), q.c)
	e.done.Add(2)
	go e.readResults()
	go e.watchLost()
	return e
}

// Close stops the reader and deletes the reply stream.
func (e *Executor) Close() {
	close(e.stop)
	e.done.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	e.q.c.Del(ctx, e.reply)
}

func (e *Executor) oops(err error) {
	if e.OnError != nil && err != nil {
		e.OnError(err)
	}
}

// Detail queues the unit and waits for its result.
func (e *Executor) Detail(ctx context.Context, u harvest.DetailUnit) (harvest.UnitResult, error) {
	raw, err := json.Marshal(u)
	if err != nil {
		return harvest.UnitResult{}, err
	}
	id := uuid.NewString()
	w := &waiter{unit: raw, ch: make(chan harvest.UnitResult, 1)}
	e.mu.Lock()
	e.waiting[id] = w
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.waiting, id)
		e.mu.Unlock()
	}()
	msgID, err := e.add(ctx, id, raw)
	if err != nil {
		return harvest.UnitResult{Outcome: harvest.UnitInterrupted}, err
	}
	e.mu.Lock()
	w.msgID, w.added = msgID, time.Now()
	e.mu.Unlock()
	select {
	case res := <-w.ch:
		e.mu.Lock()
		delete(e.waiting, id) // before the XDEL: watchLost must not add it again
		msgID = w.msgID
		e.mu.Unlock()
		// Done: the entry leaves the stream (an acknowledged entry would
		// otherwise stay for good).
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		if err := e.q.c.XDel(dctx, e.q.kUnits(), msgID).Err(); err != nil {
			e.oops(err)
		}
		cancel()
		return res, nil
	case <-ctx.Done():
		// The sweep was stopped: the unit is not wanted any more.
		e.mu.Lock()
		msgID = w.msgID
		e.mu.Unlock()
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		e.q.c.XDel(dctx, e.q.kUnits(), msgID)
		cancel()
		return harvest.UnitResult{Outcome: harvest.UnitInterrupted}, ctx.Err()
	}
}

// add XADDs a unit, waiting out an unreachable server until ctx ends.
func (e *Executor) add(ctx context.Context, id string, raw []byte) (string, error) {
	var down retry.Backoff
	for {
		msgID, err := e.q.c.XAdd(ctx, &goredis.XAddArgs{
			Stream: e.q.kUnits(),
			Values: []any{"id", id, "reply", e.reply, "unit", raw},
		}).Result()
		if err == nil {
			return msgID, nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		e.oops(err)
		if err := retry.Sleep(ctx, down.Next()); err != nil {
			return "", err
		}
	}
}

// readResults hands each result on the reply stream to its waiter; a
// result for a unit no longer waited for (a unit done twice, after its
// worker was presumed dead) is dropped.
func (e *Executor) readResults() {
	defer e.done.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-e.stop
		cancel()
	}()
	last := "0"
	var down retry.Backoff
	for ctx.Err() == nil {
		streams, err := e.q.c.XRead(ctx, &goredis.XReadArgs{Streams: []string{e.reply, last}, Count: 256, Block: time.Second}).Result()
		if err == goredis.Nil {
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			e.oops(err)
			retry.Sleep(ctx, down.Next())
			continue
		}
		down = retry.Backoff{}
		var read []string
		for _, s := range streams {
			for _, m := range s.Messages {
				last = m.ID
				read = append(read, m.ID)
				id, _ := m.Values["id"].(string)
				raw, _ := m.Values["res"].(string)
				var res harvest.UnitResult
				if err := json.Unmarshal([]byte(raw), &res); err != nil {
					e.oops(fmt.Errorf("unreadable result of unit %s: %w", id, err))
					continue
				}
				e.mu.Lock()
				w := e.waiting[id]
				e.mu.Unlock()
				if w != nil {
					select {
					case w.ch <- res:
					default:
					}
				}
			}
		}
		if len(read) > 0 {
			e.q.c.XDel(ctx, e.reply, read...)
		}
	}
}

// watchLost adds again a unit whose entry is gone from the units stream
// although no result came: a server that crashed between two fsyncs of its
// AOF can lose the last second of entries.
func (e *Executor) watchLost() {
	defer e.done.Done()
	tk := time.NewTicker(e.q.lease)
	defer tk.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-tk.C:
		}
		e.mu.Lock()
		var old []string
		for id, w := range e.waiting {
			if w.msgID != "" && time.Since(w.added) > e.q.lease {
				old = append(old, id)
			}
		}
		e.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), e.q.lease)
		for _, id := range old {
			e.mu.Lock()
			w := e.waiting[id]
			e.mu.Unlock()
			if w == nil {
				continue
			}
			msgs, err := e.q.c.XRange(ctx, e.q.kUnits(), w.msgID, w.msgID).Result()
			if err != nil {
				e.oops(err)
				break
			}
			if len(msgs) > 0 {
				continue
			}
			e.mu.Lock()
			still := e.waiting[id] == w
			e.mu.Unlock()
			if !still {
				continue
			}
			msgID, err := e.q.c.XAdd(ctx, &goredis.XAddArgs{
				Stream: e.q.kUnits(),
				Values: []any{"id", id, "reply", e.reply, "unit", w.unit},
			}).Result()
			if err != nil {
				e.oops(err)
				break
			}
			e.mu.Lock()
			if e.waiting[id] == w {
				w.msgID, w.added = msgID, time.Now()
			}
			e.mu.Unlock()
		}
		cancel()
	}
}
