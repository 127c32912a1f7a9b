package main

// The store backends reporter can open with --store. Each registers its
// URL scheme in init (store.Register).
import (
	_ "gongkai/store/redis"  // the shared store, redis://
	_ "gongkai/store/sqlite" // the embedded store, sqlite://
)
