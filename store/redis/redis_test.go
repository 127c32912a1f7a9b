package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"gongkai/store"
	"gongkai/store/redis"
	"gongkai/store/storetest"
)

// EnvTestRedis names the redis-server the tests use, e.g.
// redis://127.0.0.1:6390/0 (scripts/test.sh starts one and sets it).
const EnvTestRedis = "GONGKAI_TEST_REDIS"

// testURL returns the server's URL with a key prefix of its own for this
// test, and deletes that prefix's keys when the test ends. Without the
// variable the test skips, except under CI=true, where it fails: CI must
// run the Redis backend, not skip it silently.
func testURL(t *testing.T) string {
	t.Helper()
	raw := os.Getenv(EnvTestRedis)
	if raw == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: under CI=true the Redis store tests need a redis-server (scripts/test.sh starts one)", EnvTestRedis)
		}
		t.Skipf("%s not set: no redis-server to test against (e.g. %s=redis://127.0.0.1:6390/0)", EnvTestRedis, EnvTestRedis)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s=%q: %v", EnvTestRedis, raw, err)
	}
	var b [6]byte
	rand.Read(b[:])
	prefix := "gktest:" + hex.EncodeToString(b[:]) + ":"
	q := u.Query()
	q.Set("prefix", prefix)
	u.RawQuery = q.Encode()
	t.Cleanup(func() { cleanPrefix(t, u) })
	return u.String()
}

func cleanPrefix(t *testing.T, u *url.URL) {
	ctx := context.Background()
	db, err := redis.OpenURL(ctx, u)
	if err != nil {
		t.Errorf("cleanup: %v", err)
		return
	}
	defer db.Close()
	c := db.Client()
	iter := c.Scan(ctx, 0, db.Prefix()+"*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Errorf("cleanup: %v", err)
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		if err := c.Unlink(ctx, keys[:n]...).Err(); err != nil {
			t.Errorf("cleanup: %v", err)
			return
		}
		keys = keys[n:]
	}
}

func openTest(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), testURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestConformance(t *testing.T) {
	storetest.Run(t, openTest)
}
