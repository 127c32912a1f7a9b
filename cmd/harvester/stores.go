package main

import (
	"context"
	"fmt"

	"gongkai/sources/config"
	"gongkai/store"
	_ "gongkai/store/redis"  // the shared store, redis://
	_ "gongkai/store/sqlite" // the embedded store, sqlite://
)

// openStore opens the store named by --store (default store.DefaultURL).
func openStore(ctx context.Context, rawURL string) (store.Store, error) {
	st, err := store.Open(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("无法打开存储: %w", err)
	}
	return st, nil
}

// loadConfig reads sites.yaml; errors already name file, line and key.
func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return nil, fmt.Errorf("缺少 --config（站点配置文件 sites.yaml）")
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}
