package harvest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/store"
)

// groupingStore is a store.Store whose ApplyBatches records the groups and
// fails every group holding a batch marked bad.
type groupingStore struct {
	store.Store
	mu     sync.Mutex
	groups [][]int64 // SweepIDs per transaction
}

var errBadBatch = errors.New("bad batch")

func (g *groupingStore) ApplyBatches(_ context.Context, bs []store.Batch) ([]store.BatchResult, error) {
	time.Sleep(200 * time.Microsecond) // a commit takes a while
	ids := make([]int64, len(bs))
	out := make([]store.BatchResult, len(bs))
	for i, b := range bs {
		if len(b.Seen) > 0 && b.Seen[0] == "bad" {
			return nil, errBadBatch
		}
		ids[i] = b.SweepID
		out[i] = store.BatchResult{New: int(b.SweepID)}
	}
	g.mu.Lock()
	g.groups = append(g.groups, ids)
	g.mu.Unlock()
	return out, nil
}

func TestAppenderGroupsAcrossSweepsAndIsolatesFailures(t *testing.T) {
	st := &groupingStore{}
	a := newAppender(st)
	if a.group == nil {
		t.Fatal("the store's ApplyBatches was not picked up")
	}
	// run applies perSource batches of each of six sweeps at once, the one
	// of sweep 3 numbered bad (if any) marked bad, and counts failures.
	run := func(perSource, bad int) int {
		var wg sync.WaitGroup
		var failed atomic.Int32
		for s := range 6 {
			for i := range perSource {
				wg.Add(1)
				go func() {
					defer wg.Done()
					b := store.Batch{SweepID: int64(s + 1), At: time.Now()}
					isBad := s == 2 && i == bad
					if isBad {
						b.Seen = []string{"bad"}
					}
					res, err := a.apply(context.Background(), b)
					switch {
					case isBad && !errors.Is(err, errBadBatch):
						t.Errorf("the bad batch returned %v", err)
					case isBad:
						failed.Add(1)
					case err != nil:
						t.Errorf("batch of sweep %d failed with another's error: %v", s+1, err)
					case res.New != s+1:
						t.Errorf("batch of sweep %d got the result %+v", s+1, res)
					}
				}()
			}
		}
		wg.Wait()
		return int(failed.Load())
	}

	if n := run(40, -1); n != 0 {
		t.Errorf("%d batches failed", n)
	}
	committed, mixed := 0, false
	for _, g := range st.groups {
		committed += len(g)
		for _, id := range g {
			mixed = mixed || id != g[0]
		}
	}
	if committed != 240 {
		t.Errorf("%d batches committed, want 240", committed)
	}
	if len(st.groups) >= committed/4 || !mixed {
		t.Errorf("%d transactions for %d batches (sources mixed: %v): no group commit", len(st.groups), committed, mixed)
	}

	st.groups = nil
	if n := run(5, 3); n != 1 {
		t.Errorf("%d batches failed, want the bad one alone", n)
	}
	committed = 0
	for _, g := range st.groups {
		committed += len(g)
	}
	if committed != 29 {
		t.Errorf("%d batches committed beside the bad one, want 29", committed)
	}
}
