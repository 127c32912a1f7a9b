package main

// The store backends reporter can open with --store. Each registers its
// URL scheme in init (store.Register); redis:// answers "not yet" from the
// store package itself.
import _ "gongkai/store/sqlite"
