package redisq_test

import (
	"context"
	"os"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"gongkai/internal/redistest"
	"gongkai/sources/cms"
	"gongkai/sources/harvest"
	"gongkai/sources/harvest/redisq"
)

func queue(t *testing.T, lease time.Duration) (*redisq.Queue, *goredis.Client, string) {
	t.Helper()
	_, prefix := redistest.URL(t)
	c := redistest.Client(t, os.Getenv(redistest.Env))
	return redisq.New(c, prefix, lease), c, prefix
}

// echo executes a unit by answering with its URL as the error text.
func echo(ctx context.Context, u harvest.DetailUnit) (harvest.UnitResult, error) {
	return harvest.UnitResult{Outcome: harvest.UnitFailed, Err: u.Entry.URL, Pages: 1}, nil
}

func detail(t *testing.T, ex *redisq.Executor, u string) <-chan harvest.UnitResult {
	ch := make(chan harvest.UnitResult, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		res, err := ex.Detail(ctx, harvest.DetailUnit{County: "泽州县", Entry: cms.Entry{URL: u}})
		if err != nil {
			t.Error(err)
		}
		ch <- res
	}()
	return ch
}

func runWorker(t *testing.T, w *redisq.Worker) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// A unit delivered to a consumer that died (never renews, never acks) is
// taken over by a live worker once idle longer than the lease, and its
// result reaches the sweep.
func TestDeadConsumersUnitIsTakenOver(t *testing.T) {
	q, c, prefix := queue(t, 400*time.Millisecond)
	ex := q.NewExecutor()
	defer ex.Close()
	c.XGroupCreateMkStream(context.Background(), prefix+"q:units", redisq.Group, "0")
	got := detail(t, ex, "http://a.test/1")
	// The dead consumer takes the unit and vanishes.
	var taken []goredis.XStream
	for len(taken) == 0 {
		taken, _ = c.XReadGroup(context.Background(), &goredis.XReadGroupArgs{Group: redisq.Group, Consumer: "dead",
			Streams: []string{prefix + "q:units", ">"}, Count: 1, Block: time.Second}).Result()
	}
	m := redisq.NewMetrics()
	start := time.Now()
	runWorker(t, &redisq.Worker{Q: q, Name: "alive", Concurrency: 2, Exec: echo, Metrics: m})
	select {
	case res := <-got:
		if res.Err != "http://a.test/1" {
			t.Errorf("result %+v", res)
		}
		if d := time.Since(start); d < 300*time.Millisecond {
			t.Errorf("taken over after %v, before the lease ran out", d)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the dead consumer's unit was never taken over")
	}
}

// A live worker renews its units: a unit slower than the lease is not
// taken over (executed twice) by another worker.
func TestSlowUnitIsNotTakenOver(t *testing.T) {
	q, _, _ := queue(t, 300*time.Millisecond)
	ex := q.NewExecutor()
	defer ex.Close()
	runs := make(chan string, 4)
	slow := func(ctx context.Context, u harvest.DetailUnit) (harvest.UnitResult, error) {
		runs <- u.Entry.URL
		time.Sleep(1200 * time.Millisecond)
		return echo(ctx, u)
	}
	runWorker(t, &redisq.Worker{Q: q, Name: "w1", Concurrency: 1, Exec: slow})
	runWorker(t, &redisq.Worker{Q: q, Name: "w2", Concurrency: 1, Exec: slow})
	res := <-detail(t, ex, "http://a.test/slow")
	if res.Err != "http://a.test/slow" {
		t.Errorf("result %+v", res)
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(runs); n != 1 {
		t.Errorf("the slow unit ran %d times, want once", n)
	}
}

// A unit whose stream entry vanished without a result (lost with a server
// that crashed between fsyncs) is queued again by the sweep.
func TestLostUnitIsQueuedAgain(t *testing.T) {
	q, c, prefix := queue(t, 300*time.Millisecond)
	ex := q.NewExecutor()
	defer ex.Close()
	got := detail(t, ex, "http://a.test/lost")
	for {
		n, _ := c.XLen(context.Background(), prefix+"q:units").Result()
		if n > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.Del(context.Background(), prefix+"q:units")
	time.Sleep(50 * time.Millisecond)
	runWorker(t, &redisq.Worker{Q: q, Name: "w", Concurrency: 1, Exec: echo})
	select {
	case res := <-got:
		if res.Err != "http://a.test/lost" {
			t.Errorf("result %+v", res)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the lost unit was never queued again")
	}
}

// A standby consumer (harvester run's) executes nothing while a worker is alive.
func TestStandbyLeavesUnitsToWorkers(t *testing.T) {
	q, c, prefix := queue(t, 2*time.Second)
	ex := q.NewExecutor()
	defer ex.Close()
	c.ZAdd(context.Background(), prefix+"q:workers", goredis.Z{Score: float64(time.Now().Add(time.Hour).UnixMilli()), Member: "other"})
	standby := make(chan string, 1)
	runWorker(t, &redisq.Worker{Q: q, Name: "run", Standby: true, Concurrency: 1, Exec: func(ctx context.Context, u harvest.DetailUnit) (harvest.UnitResult, error) {
		standby <- u.Entry.URL
		return echo(ctx, u)
	}})
	got := detail(t, ex, "http://a.test/s")
	select {
	case <-standby:
		t.Fatal("the standby consumer executed a unit while a worker was alive")
	case <-time.After(1500 * time.Millisecond):
	}
	c.ZRem(context.Background(), prefix+"q:workers", "other")
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the standby consumer did not take over when no worker was left")
	}
}

func TestLockOneHolder(t *testing.T) {
	q, _, _ := queue(t, 0)
	ctx := context.Background()
	unlock, ok, err := q.TryLock(ctx, "sweep", time.Second)
	if err != nil || !ok {
		t.Fatalf("first TryLock: %v %v", ok, err)
	}
	if _, ok, _ := q.TryLock(ctx, "sweep", time.Second); ok {
		t.Fatal("a second holder got the lock")
	}
	time.Sleep(1500 * time.Millisecond) // renewed past its TTL
	if _, ok, _ := q.TryLock(ctx, "sweep", time.Second); ok {
		t.Fatal("the lock expired while its holder renewed it")
	}
	unlock()
	u2, ok, _ := q.TryLock(ctx, "sweep", time.Second)
	if !ok {
		t.Fatal("the lock is not free after unlock")
	}
	u2()
}
