// Package redisgate keeps per-host politeness in Redis, shared by every
// process that fetches from the same hosts (the `harvester worker`s of one
// store and the sweep that feeds them): at most PerHost requests in flight
// to a host across all of them, Delay between the starts of its requests,
// and a Retry-After seen by one pausing the host for all. It implements
// fetch.Gate.
//
// Keys (P is the store's prefix, <h> the host as in the URL, port included):
//
//	P gate:<h>:slots   zset   holder token → lease expiry (ms, Redis clock)
//	P gate:<h>:pause   string pause end (Unix ms); expires with it
//	rate:P gate:<h>    hash   GCRA state of go-redis/redis_rate (its own "rate:" prefix)
//
// A slot is a lease: a holder that dies frees its slot when the lease runs
// out (Lease, 30 s by default); a live holder renews it every Lease/3.
package redisgate

import (
	"context"
	"errors"
	"gongkai/internal/retry"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/google/uuid"
	goredis "github.com/redis/go-redis/v9"
)

// Gate is a per-host limiter shared through one Redis server.
type Gate struct {
	c       goredis.UniversalClient
	prefix  string
	perHost int
	delay   time.Duration
	lease   time.Duration
	limiter *redis_rate.Limiter
	// OnWait, when set, is told how long each request waited for its host.
	OnWait func(host string, wait time.Duration)
	// OnError, when set, is told of Redis errors the gate waits out.
	OnError func(err error)
}

// New returns a gate allowing perHost requests in flight per host and delay
// between the starts of two requests to one host.
func New(c goredis.UniversalClient, prefix string, perHost int, delay time.Duration) *Gate {
	if perHost < 1 {
		perHost = 1
	}
	return &Gate{c: c, prefix: prefix, perHost: perHost, delay: delay, lease: 30 * time.Second, limiter: redis_rate.NewLimiter(c)}
}

// SetLease sets how long a slot outlives a holder that stopped renewing it.
func (g *Gate) SetLease(d time.Duration) {
	if d > 0 {
		g.lease = d
	}
}

func (g *Gate) key(host, part string) string {
	return g.prefix + "gate:" + strings.ToLower(host) + part
}

// takeSlot adds the token to the host's holders if fewer than ARGV[1] hold
// a live lease. Redis's clock decides expiry, so the machines' clocks do
// not have to agree.
var takeSlot = goredis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`)

// renewSlot extends a held lease (nothing if it was lost).
var renewSlot = goredis.NewScript(`
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`)

// pauseHost moves the pause end later, never earlier.
var pauseHost = goredis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1`)

// Acquire waits for a slot of the host, then for its pause and its delay.
// While Redis cannot be reached it waits (backing off) until ctx ends.
func (g *Gate) Acquire(ctx context.Context, host string) (func(), error) {
	start := time.Now()
	token := uuid.NewString()
	slots := g.key(host, ":slots")
	leaseMs := strconv.FormatInt(g.lease.Milliseconds(), 10)
	var down retry.Backoff
	for {
		ok, err := takeSlot.Run(ctx, g.c, []string{slots}, g.perHost, leaseMs, token).Int()
		if err != nil {
			if err := g.wait(ctx, down.Next(), err); err != nil {
				return nil, err
			}
			continue
		}
		down = retry.Backoff{}
		if ok == 1 {
			break
		}
		if err := retry.Sleep(ctx, 5*time.Millisecond+time.Duration(rand.Int64N(int64(10*time.Millisecond)))); err != nil {
			return nil, err
		}
	}
	stop := make(chan struct{})
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		tk := time.NewTicker(g.lease / 3)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				renewSlot.Run(context.Background(), g.c, []string{slots}, leaseMs, token)
			}
		}
	}()
	release := func() {
		close(stop)
		<-renewed
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := g.c.ZRem(ctx, slots, token).Err(); err != nil && g.OnError != nil {
			g.OnError(err) // the lease runs out by itself
		}
	}
	if err := g.ready(ctx, host); err != nil {
		release()
		return nil, err
	}
	if g.OnWait != nil {
		g.OnWait(host, time.Since(start))
	}
	return release, nil
}

// ready waits out the host's pause and its delay since the last start.
func (g *Gate) ready(ctx context.Context, host string) error {
	var down retry.Backoff
	for {
		v, err := g.c.Get(ctx, g.key(host, ":pause")).Int64()
		if err != nil && !errors.Is(err, goredis.Nil) {
			if err := g.wait(ctx, down.Next(), err); err != nil {
				return err
			}
			continue
		}
		if until := time.UnixMilli(v); v > 0 && time.Until(until) > 0 {
			if err := retry.Sleep(ctx, time.Until(until)); err != nil {
				return err
			}
			continue
		}
		if g.delay <= 0 {
			return nil
		}
		// GCRA: one start per delay, no burst.
		res, err := g.limiter.Allow(ctx, g.key(host, ""), redis_rate.Limit{Rate: 1, Burst: 1, Period: g.delay})
		if err != nil {
			if err := g.wait(ctx, down.Next(), err); err != nil {
				return err
			}
			continue
		}
		if res.Allowed > 0 {
			return nil
		}
		if err := retry.Sleep(ctx, res.RetryAfter); err != nil {
			return err
		}
	}
}

// Pause holds every request to host back, in every process, until until.
func (g *Gate) Pause(host string, until time.Time) {
	d := time.Until(until)
	if d <= 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := pauseHost.Run(ctx, g.c, []string{g.key(host, ":pause")}, until.UnixMilli(), d.Milliseconds()+1).Err()
	if err != nil && g.OnError != nil {
		g.OnError(err)
	}
}

func (g *Gate) wait(ctx context.Context, d time.Duration, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if g.OnError != nil {
		g.OnError(err)
	}
	return retry.Sleep(ctx, d)
}
