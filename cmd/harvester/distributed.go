package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync"
	"time"

	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/sources/fetch/redisgate"
	"gongkai/sources/harvest"
	"gongkai/sources/harvest/redisq"
	"gongkai/store"
	redisstore "gongkai/store/redis"
)

// defaultPatience is how long harvesters on a redis:// store wait out a
// server that does not answer (a restart) before a batch fails.
const defaultPatience = "60s"

// patientURL adds patience= to a redis:// store URL that has none: a
// harvester waits for a restarting server rather than failing its sweep.
func patientURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		return raw
	}
	q := u.Query()
	if q.Has("patience") {
		return raw
	}
	q.Set("patience", defaultPatience)
	u.RawQuery = q.Encode()
	return u.String()
}

// distributed is what a harvester on the shared Redis store adds: the
// politeness shared with every other harvester of the store, and the queue
// of detail units.
type distributed struct {
	db   *redisstore.DB
	q    *redisq.Queue
	gate *redisgate.Gate
}

// newDistributed returns nil for a store that is not Redis.
func newDistributed(st store.Store, cfg *config.Config, lease time.Duration) *distributed {
	db, ok := st.(*redisstore.DB)
	if !ok {
		return nil
	}
	h := cfg.Harvest.WithDefaults()
	d := &distributed{db: db, q: redisq.New(db.Client(), db.Prefix(), lease)}
	d.gate = redisgate.New(db.Client(), db.Prefix(), h.PerHost, h.Delay)
	d.gate.SetLease(d.q.Lease())
	return d
}

// fetcher fetches through the shared gate.
func (d *distributed) fetcher(cfg *config.Config) (*fetch.Fetcher, error) {
	return fetch.New(cfg.Harvest, harvest.Hosts(cfg), fetch.WithGate(d.gate))
}

// coordinator is the sweep's side on a Redis store: the executor that
// queues detail units, and a standby consumer that executes them itself
// while no worker is alive.
type coordinator struct {
	ex     *redisq.Executor
	q      *redisq.Queue
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func (d *distributed) startCoordinator() *coordinator {
	ex := d.q.NewExecutor()
	ex.Store = d.db
	return &coordinator{ex: ex, q: d.q, cancel: func() {}}
}

// standby starts the sweep's own consumer (once the harvester exists).
// Alone it executes as many units at once as the sources keep queued (3
// per host slot each), so that no host waits for a free consumer.
func (c *coordinator) standby(cfg *config.Config, exec redisq.ExecFunc) {
	sources := 0
	for _, county := range cfg.Counties {
		sources += len(county.Sources)
	}
	concurrency := max(16, 3*cfg.Harvest.WithDefaults().PerHost*sources)
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	host, _ := os.Hostname()
	w := &redisq.Worker{
		Q: c.q, Name: fmt.Sprintf("run-%s-%d", host, os.Getpid()), Standby: true, Concurrency: concurrency, Exec: exec,
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		w.Run(ctx)
	}()
}

func (c *coordinator) close() {
	if c == nil {
		return
	}
	c.cancel()
	c.wg.Wait()
	c.ex.Close()
}
