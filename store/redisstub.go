package store

import (
	"context"
	"errors"
	"net/url"
)

// ErrRedisNotYet is what redis:// answers in a program built without the
// Redis backend (gongkai/store/redis, which replaces this registration when
// it is linked in). The name is from the versions before that backend
// existed; callers test for it with errors.Is.
var ErrRedisNotYet = errors.New("本程序未编入 Redis 共享存储（gongkai/store/redis），请使用 sqlite://")

// The scheme stays known without the backend, so that --store redis://…
// gets a clear answer rather than "unsupported".
func init() {
	Register("redis", func(context.Context, *url.URL) (Store, error) {
		return nil, ErrRedisNotYet
	})
}
