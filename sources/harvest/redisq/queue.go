// Package redisq distributes a sweep's detail units over processes with a
// Redis Stream and a consumer group: the sweep (harvester run) XADDs each
// unit to the units stream and waits for its result on a stream of its own;
// `harvester worker`s XREADGROUP units, execute them with
// harvest.Harvester.ExecuteDetail (the code the in-process path runs),
// XADD the result to the unit's reply stream and XACK — after the unit's
// batch is committed. A unit a worker leased and stopped renewing (the
// worker died) is taken over by another with XAUTOCLAIM once idle longer
// than the lease.
//
// Keys (P is the store's prefix):
//
//	P q:units        stream  unit id, reply stream, unit (JSON); group "workers"
//	P q:res:<run>    stream  results for one sweep process: unit id, result (JSON)
//	P q:workers      zset    worker name → heartbeat expiry (Unix ms)
//
// The sweep deletes a unit's entry when its result arrives, so the units
// stream holds only units not yet done; an entry that vanished without a
// result (lost with the last second of a crashed server) is added again.
package redisq

import (
	"context"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Group is the consumer group of the units stream.
const Group = "workers"

// DefaultLease is how long a unit may go without its worker's renewal
// before another worker takes it over.
const DefaultLease = 30 * time.Second

// Heartbeat is how often a worker says it is alive; it counts as gone
// after three missed beats.
const Heartbeat = time.Second

// Queue names the streams of one store.
type Queue struct {
	c      goredis.UniversalClient
	prefix string
	lease  time.Duration
}

// New returns the queue of the store whose keys start with prefix. lease 0
// means DefaultLease.
func New(c goredis.UniversalClient, prefix string, lease time.Duration) *Queue {
	if lease <= 0 {
		lease = DefaultLease
	}
	return &Queue{c: c, prefix: prefix, lease: lease}
}

// Lease returns the lease timeout.
func (q *Queue) Lease() time.Duration { return q.lease }

func (q *Queue) kUnits() string           { return q.prefix + "q:units" }
func (q *Queue) kWorkers() string         { return q.prefix + "q:workers" }
func (q *Queue) kReply(run string) string { return q.prefix + "q:res:" + run }

// ensureGroup creates the units stream and its group if missing (a new
// store, or a server that lost them).
func (q *Queue) ensureGroup(ctx context.Context) error {
	err := q.c.XGroupCreateMkStream(ctx, q.kUnits(), Group, "0").Err()
	if err != nil && strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return nil
	}
	return err
}

// WorkersAlive counts the workers whose heartbeat has not expired.
func (q *Queue) WorkersAlive(ctx context.Context) (int64, error) {
	now := strconv.FormatInt(time.Now().UnixMilli(), 10)
	return q.c.ZCount(ctx, q.kWorkers(), "("+now, "+inf").Result()
}

// Depth reports the units not yet delivered to any worker (lag) and those
// delivered but not yet acknowledged (pending).
func (q *Queue) Depth(ctx context.Context) (lag, pending int64, err error) {
	groups, err := q.c.XInfoGroups(ctx, q.kUnits()).Result()
	if err != nil {
		return 0, 0, err
	}
	for _, g := range groups {
		if g.Name == Group {
			return g.Lag, g.Pending, nil
		}
	}
	return 0, 0, nil
}

// isNoGroup: the stream or its group is gone (a server restarted empty).
func isNoGroup(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOGROUP")
}
