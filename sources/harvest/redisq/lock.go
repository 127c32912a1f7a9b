package redisq

import (
	"context"
	"strconv"
	"time"

	"github.com/google/uuid"
	goredis "github.com/redis/go-redis/v9"
)

// renewLock extends the lock only while this holder has it.
var renewLock = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)

// dropLock deletes the lock only while this holder has it.
var dropLock = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// TryLock takes the lock P lock:<name> (SET NX with a TTL) unless another
// process holds it, and renews it every ttl/3 until unlock is called; a
// holder that dies frees it after ttl. `harvester serve` takes "sweep"
// before it starts a sweep, so that of several schedulers on one store
// only one sweeps at a time.
func (q *Queue) TryLock(ctx context.Context, name string, ttl time.Duration) (unlock func(), ok bool, err error) {
	key := q.prefix + "lock:" + name
	tok := uuid.NewString()
	ok, err = q.c.SetNX(ctx, key, tok, ttl).Result()
	if err != nil || !ok {
		return nil, false, err
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	ms := strconv.FormatInt(ttl.Milliseconds(), 10)
	go func() {
		defer close(done)
		tk := time.NewTicker(ttl / 3)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				c, cancel := context.WithTimeout(context.Background(), ttl/3)
				renewLock.Run(c, q.c, []string{key}, tok, ms)
				cancel()
			}
		}
	}()
	return func() {
		close(stop)
		<-done
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		dropLock.Run(c, q.c, []string{key}, tok)
	}, true, nil
}
