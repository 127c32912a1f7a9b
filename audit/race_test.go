//go:build race

package audit

// raceEnabled: the race detector makes sync.Pool drop what is put back at
// random, so code that reuses pooled buffers (regexp's backtracker among
// them) allocates anew on every call: allocation bounds mean nothing there.
const raceEnabled = true
