// Package redistest finds the redis-server the tests of the distributed
// harvest use (GONGKAI_TEST_REDIS, as for store/redis) and gives each test
// a key prefix of its own, deleted afterwards.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	goredis "github.com/redis/go-redis/v9"
)

// Env names the server, e.g. redis://127.0.0.1:6390/0.
const Env = "GONGKAI_TEST_REDIS"

// URL returns the server's URL with a fresh ?prefix= for this test. Without
// the variable the test skips, except under CI=true, where it fails.
func URL(t testing.TB) (storeURL, prefix string) {
	t.Helper()
	raw := os.Getenv(Env)
	if raw == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: under CI=true these tests need a redis-server (scripts/test.sh starts one)", Env)
		}
		t.Skipf("%s is not set", Env)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	var b [6]byte
	rand.Read(b[:])
	prefix = "t" + hex.EncodeToString(b[:]) + ":"
	q := u.Query()
	q.Set("prefix", prefix)
	u.RawQuery = q.Encode()
	t.Cleanup(func() { Clean(t, raw, prefix) })
	return u.String(), prefix
}

// Client connects to the server named by the raw URL (without prefix).
func Client(t testing.TB, raw string) *goredis.Client {
	t.Helper()
	opt, err := goredis.ParseURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	c := goredis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

// Clean deletes every key of the prefix (and redis_rate's keys under it).
func Clean(t testing.TB, raw, prefix string) {
	opt, err := goredis.ParseURL(raw)
	if err != nil {
		return
	}
	opt.Protocol = 2
	c := goredis.NewClient(opt)
	defer c.Close()
	ctx := context.Background()
	for _, pat := range []string{prefix + "*", "rate:" + prefix + "*"} {
		it := c.Scan(ctx, 0, pat, 500).Iterator()
		var keys []string
		for it.Next(ctx) {
			keys = append(keys, it.Val())
			if len(keys) == 500 {
				c.Unlink(ctx, keys...)
				keys = keys[:0]
			}
		}
		if len(keys) > 0 {
			c.Unlink(ctx, keys...)
		}
	}
}
