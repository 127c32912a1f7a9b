package main

import "gongkai/sources/harvest"

// The harvester's garbage-collector setting (see harvest.TuneGC).
func init() { harvest.TuneGC() }
