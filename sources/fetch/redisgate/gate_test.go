package redisgate_test

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/internal/redistest"
	"gongkai/sources/fetch"
	"gongkai/sources/fetch/redisgate"
)

var _ fetch.Gate = (*redisgate.Gate)(nil)

// Three gates (three processes' worth: each its own connection pool) on one
// server: no host ever has more than perHost requests in flight, starts to
// one host are at least delay apart, and a pause set through one gate holds
// the others back.
func TestSharedLimits(t *testing.T) {
	_, prefix := redistest.URL(t)
	raw := os.Getenv(redistest.Env)
	const perHost, delay = 2, 15 * time.Millisecond
	var gates []*redisgate.Gate
	for range 3 {
		gates = append(gates, redisgate.New(redistest.Client(t, raw), prefix, perHost, delay))
	}
	hosts := []string{"a.test:80", "b.test:80"}
	var (
		mu       sync.Mutex
		inFlight = map[string]int{}
		maxSeen  = map[string]int{}
		starts   = map[string][]time.Time{}
		wg       sync.WaitGroup
		n        atomic.Int32
	)
	ctx := context.Background()
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := gates[i%3]
			host := hosts[i%2]
			for range 4 {
				release, err := g.Acquire(ctx, host)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				inFlight[host]++
				maxSeen[host] = max(maxSeen[host], inFlight[host])
				starts[host] = append(starts[host], time.Now())
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
				mu.Lock()
				inFlight[host]--
				mu.Unlock()
				n.Add(1)
				release()
			}
		}()
	}
	wg.Wait()
	for _, h := range hosts {
		if maxSeen[h] > perHost || maxSeen[h] < 1 {
			t.Errorf("%s: %d requests in flight at once, want at most %d", h, maxSeen[h], perHost)
		}
		s := starts[h]
		for i := 1; i < len(s); i++ {
			// Starts are taken after Acquire returned; allow scheduling jitter.
			if gap := s[i].Sub(s[i-1]); gap < delay-5*time.Millisecond {
				t.Errorf("%s: starts %d and %d only %v apart, delay %v", h, i-1, i, gap, delay)
			}
		}
		if len(s) != 48 {
			t.Errorf("%s: %d starts, want 48", h, len(s))
		}
	}

	// Retry-After seen by one gate pauses the host for the others.
	pause := 300 * time.Millisecond
	gates[0].Pause("a.test:80", time.Now().Add(pause))
	begin := time.Now()
	release, err := gates[2].Acquire(ctx, "a.test:80")
	if err != nil {
		t.Fatal(err)
	}
	release()
	if waited := time.Since(begin); waited < pause-20*time.Millisecond {
		t.Errorf("another gate waited %v for a paused host, want about %v", waited, pause)
	}
}

// A slot is held until released; a released slot is free at once.
func TestSlotHeldUntilReleased(t *testing.T) {
	_, prefix := redistest.URL(t)
	raw := os.Getenv(redistest.Env)
	first := redisgate.New(redistest.Client(t, raw), prefix, 1, 0)
	first.SetLease(300 * time.Millisecond) // renewed while held
	release, err := first.Acquire(context.Background(), "h.test")
	if err != nil {
		t.Fatal(err)
	}
	other := redisgate.New(redistest.Client(t, raw), prefix, 1, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel()
	if _, err := other.Acquire(ctx, "h.test"); err == nil {
		t.Fatal("a second holder got the host's only slot while the first held it (past its lease: the renewal failed)")
	}
	release()
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Second)
	defer cancel2()
	r2, err := other.Acquire(ctx2, "h.test")
	if err != nil {
		t.Fatalf("slot not free after release: %v", err)
	}
	r2()
}
