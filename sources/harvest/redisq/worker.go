package redisq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"gongkai/internal/retry"
	"gongkai/sources/harvest"
)

// ExecFunc executes one unit; harvest.Harvester.ExecuteDetail is one.
type ExecFunc func(ctx context.Context, u harvest.DetailUnit) (harvest.UnitResult, error)

// Worker consumes the units stream.
type Worker struct {
	Q *Queue
	// Name is the consumer's name in the group; unique per process.
	Name string
	// Concurrency is how many units it executes at once (default 8).
	Concurrency int
	Exec        ExecFunc
	// Standby: the sweep's own consumer (harvester run). It reads units
	// only while no worker is alive, and sends no heartbeat, so that a
	// sweep completes alone and leaves the work to the workers otherwise.
	Standby bool
	// Logf, when set, receives one line (Chinese) per unit and per problem.
	Logf func(format string, args ...any)
	// Metrics, when set, is kept up to date.
	Metrics *Metrics

	mu       sync.Mutex
	inFlight map[string]bool // message IDs being executed
}

func (w *Worker) logf(format string, args ...any) {
	if w.Logf != nil {
		w.Logf(format, args...)
	}
}

// Run consumes units until ctx ends. Units being executed when it ends are
// left unacknowledged and are taken over by another consumer after the
// lease.
func (w *Worker) Run(ctx context.Context) error {
	if w.Concurrency <= 0 {
		w.Concurrency = 8
	}
	w.inFlight = map[string]bool{}
	q := w.Q
	var bg sync.WaitGroup
	stopBG := make(chan struct{})
	if !w.Standby {
		bg.Add(1)
		go func() { defer bg.Done(); w.heartbeat(stopBG) }()
	}
	bg.Add(1)
	go func() { defer bg.Done(); w.renew(stopBG) }()
	if w.Metrics != nil {
		bg.Add(1)
		go func() { defer bg.Done(); w.Metrics.watchDepth(q, stopBG) }()
	}

	slots := make(chan struct{}, w.Concurrency)
	var units sync.WaitGroup
	var down retry.Backoff
	wasDown := false
	problem := func(err error) {
		if !wasDown {
			w.logf("Redis 不可用（%v），稍后重试", err)
		}
		wasDown = true
		if w.Metrics != nil {
			w.Metrics.redisErrors.Inc()
		}
		retry.Sleep(ctx, down.Next())
	}
	groupReady := false
	lastClaim := time.Time{}
	for ctx.Err() == nil {
		if !groupReady {
			if err := q.ensureGroup(ctx); err != nil {
				problem(err)
				continue
			}
			groupReady = true
		}
		if w.Standby {
			n, err := q.WorkersAlive(ctx)
			if err != nil {
				problem(err)
				continue
			}
			if n > 0 {
				retry.Sleep(ctx, 500*time.Millisecond)
				continue
			}
		}
		// Wait for a free slot, then take as many as are free.
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			continue
		}
		free := 1
		for free < w.Concurrency {
			select {
			case slots <- struct{}{}:
				free++
				continue
			default:
			}
			break
		}
		var msgs []goredis.XMessage
		var err error
		reclaimed := false
		if time.Since(lastClaim) > q.lease/4 {
			lastClaim = time.Now()
			msgs, _, err = q.c.XAutoClaim(ctx, &goredis.XAutoClaimArgs{
				Stream: q.kUnits(), Group: Group, Consumer: w.Name, MinIdle: q.lease, Start: "0-0", Count: int64(free),
			}).Result()
			reclaimed = len(msgs) > 0
		}
		if err == nil && len(msgs) == 0 {
			var streams []goredis.XStream
			streams, err = q.c.XReadGroup(ctx, &goredis.XReadGroupArgs{
				Group: Group, Consumer: w.Name, Streams: []string{q.kUnits(), ">"}, Count: int64(free), Block: time.Second,
			}).Result()
			if errors.Is(err, goredis.Nil) {
				err = nil
			}
			for _, s := range streams {
				msgs = append(msgs, s.Messages...)
			}
		}
		// Give back the slots no unit came for.
		for range free - len(msgs) {
			<-slots
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if isNoGroup(err) {
				groupReady = false
			}
			problem(err)
			continue
		}
		if wasDown {
			w.logf("Redis 已恢复，继续处理")
			wasDown = false
		}
		down = retry.Backoff{}
		for _, m := range msgs {
			if reclaimed {
				w.logf("接管超时未续租的任务 %s", m.ID)
				if w.Metrics != nil {
					w.Metrics.reclaimed.Inc()
				}
			}
			w.mu.Lock()
			w.inFlight[m.ID] = true
			w.mu.Unlock()
			units.Add(1)
			go func() {
				defer units.Done()
				defer func() { <-slots }()
				w.handle(ctx, m)
				w.mu.Lock()
				delete(w.inFlight, m.ID)
				w.mu.Unlock()
			}()
		}
	}
	units.Wait()
	close(stopBG)
	bg.Wait()
	if !w.Standby {
		c, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		q.c.ZRem(c, q.kWorkers(), w.Name)
		cancel()
	}
	return nil
}

// handle executes one unit, reports its result and acknowledges it.
func (w *Worker) handle(ctx context.Context, m goredis.XMessage) {
	q := w.Q
	id, _ := m.Values["id"].(string)
	reply, _ := m.Values["reply"].(string)
	raw, _ := m.Values["unit"].(string)
	var u harvest.DetailUnit
	if err := json.Unmarshal([]byte(raw), &u); err != nil || reply == "" {
		w.logf("无法读取任务 %s，丢弃: %v", m.ID, err)
		w.finish(ctx, m.ID)
		return
	}
	if w.Metrics != nil {
		w.Metrics.leased.Inc()
		defer w.Metrics.leased.Dec()
	}
	var res harvest.UnitResult
	var down retry.Backoff
	for {
		var err error
		res, err = w.Exec(ctx, u)
		if err == nil {
			break
		}
		if errors.Is(err, harvest.ErrNotConfigured) {
			res = harvest.UnitResult{Outcome: harvest.UnitFailed, Err: err.Error()}
			break
		}
		if ctx.Err() != nil {
			return // left to another consumer after the lease
		}
		// The store failed: nothing of the unit was committed. Execute it
		// again once the store answers.
		if w.Metrics != nil {
			w.Metrics.retried.Inc()
		}
		d := down.Next()
		w.logf("%s %s 写入存储失败（%v），%v 后重做", u.County, u.Entry.URL, err, d.Round(time.Millisecond))
		if retry.Sleep(ctx, d) != nil {
			return
		}
	}
	if res.Outcome == harvest.UnitInterrupted {
		return
	}
	out, _ := json.Marshal(res)
	// The batch is committed: the sweep must learn it even while this
	// worker is being stopped, so the report and the ack outlive ctx.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), q.lease)
	defer cancel()
	var rdown retry.Backoff
	for {
		p := q.c.TxPipeline()
		p.XAdd(rctx, &goredis.XAddArgs{Stream: reply, Values: []any{"id", id, "res", out}})
		// The reply stream of a sweep process that died goes away by itself.
		p.Expire(rctx, reply, 24*time.Hour)
		_, err := p.Exec(rctx)
		if err == nil {
			break
		}
		if rctx.Err() != nil {
			return
		}
		retry.Sleep(rctx, rdown.Next())
	}
	w.finish(rctx, m.ID)
	what := map[harvest.UnitOutcome]string{harvest.UnitDone: "完成", harvest.UnitFailed: "未能采集"}[res.Outcome]
	change := ""
	switch {
	case res.New > 0:
		change = "（新）"
	case res.Changed > 0:
		change = "（有更新）"
	case res.Withdrawn > 0:
		change = "（已撤下）"
	}
	if res.Outcome == harvest.UnitFailed {
		change = "：" + res.Err
	}
	w.logf("%s %s %s %s%s", what, u.County, u.Column, u.Entry.URL, change)
	if w.Metrics != nil {
		w.Metrics.units.WithLabelValues(string(res.Outcome)).Inc()
	}
}

// finish acknowledges a unit.
func (w *Worker) finish(ctx context.Context, msgID string) {
	var down retry.Backoff
	for {
		err := w.Q.c.XAck(ctx, w.Q.kUnits(), Group, msgID).Err()
		if err == nil || ctx.Err() != nil {
			return
		}
		retry.Sleep(ctx, down.Next())
	}
}

// heartbeat keeps the worker's entry in the workers zset alive.
func (w *Worker) heartbeat(stop <-chan struct{}) {
	tk := time.NewTicker(Heartbeat)
	defer tk.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), Heartbeat)
		exp := time.Now().Add(3 * Heartbeat).UnixMilli()
		w.Q.c.ZAdd(ctx, w.Q.kWorkers(), goredis.Z{Score: float64(exp), Member: w.Name})
		// Forget workers gone for a minute.
		w.Q.c.ZRemRangeByScore(ctx, w.Q.kWorkers(), "-inf", strconv.FormatInt(time.Now().Add(-time.Minute).UnixMilli(), 10))
		cancel()
		select {
		case <-stop:
			return
		case <-tk.C:
		}
	}
}

// renew resets the idle time of the units being executed (XCLAIM by their
// own consumer), so that only a unit whose worker stopped renewing it —
// a dead one — is taken over.
func (w *Worker) renew(stop <-chan struct{}) {
	tk := time.NewTicker(w.Q.lease / 3)
	defer tk.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tk.C:
		}
		w.mu.Lock()
		ids := make([]string, 0, len(w.inFlight))
		for id := range w.inFlight {
			ids = append(ids, id)
		}
		w.mu.Unlock()
		if len(ids) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), w.Q.lease/3)
		err := w.Q.c.XClaimJustID(ctx, &goredis.XClaimArgs{
			Stream: w.Q.kUnits(), Group: Group, Consumer: w.Name, MinIdle: 0, Messages: ids,
		}).Err()
		cancel()
		if err != nil && w.Metrics != nil {
			w.Metrics.redisErrors.Inc()
		}
	}
}

// String names the worker in logs.
func (w *Worker) String() string { return fmt.Sprintf("worker %s", w.Name) }
