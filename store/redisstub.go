package store

import (
	"context"
	"errors"
	"net/url"
)

// ErrRedisNotYet is what redis:// answers until the shared store exists.
var ErrRedisNotYet = errors.New("Redis 共享存储尚未实现（后续版本提供），请使用 sqlite://")

// The shared Redis store comes in a later version; until then the scheme is
// known (so --store redis://… gets a clear answer rather than "unsupported")
// and refuses. The real backend replaces this registration.
func init() {
	Register("redis", func(context.Context, *url.URL) (Store, error) {
		return nil, ErrRedisNotYet
	})
}
