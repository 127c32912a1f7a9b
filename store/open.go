package store

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// DefaultURL is the embedded store in the working directory.
const DefaultURL = "sqlite://gongkai.db"

// Opener opens a store from a parsed URL.
type Opener func(ctx context.Context, u *url.URL) (Store, error)

var (
	mu      sync.Mutex
	openers = map[string]Opener{}
)

// Register makes a backend available under a URL scheme. Backends call it
// from init; commands import the backends they support.
func Register(scheme string, open Opener) {
	mu.Lock()
	defer mu.Unlock()
	openers[scheme] = open
}

// Open opens the store named by rawURL (sqlite://path, redis://host:port/db).
// An empty URL means DefaultURL.
func Open(ctx context.Context, rawURL string) (Store, error) {
	if rawURL == "" {
		rawURL = DefaultURL
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" {
		return nil, fmt.Errorf("存储地址无效 %q: 应为 sqlite://路径 或 redis://主机:端口/库号", rawURL)
	}
	mu.Lock()
	open, ok := openers[strings.ToLower(u.Scheme)]
	schemes := make([]string, 0, len(openers))
	for s := range openers {
		schemes = append(schemes, s)
	}
	mu.Unlock()
	if !ok {
		sort.Strings(schemes)
		return nil, fmt.Errorf("不支持的存储类型 %q (支持: %s)", u.Scheme, strings.Join(schemes, ", "))
	}
	return open(ctx, u)
}
