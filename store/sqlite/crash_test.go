package sqlite

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"gongkai"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gongkai/store"
)

const (
	crashChildEnv = "GONGKAI_STORE_CRASH_CHILD" // database path; set only in the child
	crashItems    = 5                           // publications (and captures, fetch states) per batch
)

// TestCrashSafety re-executes the test binary as a child that applies
// batches in a loop and prints the number of each batch once Apply has
// returned. The parent SIGKILLs it at a random moment (often while a
// transaction is being written), several times on the same file, and checks
// after each kill that the file is intact and holds every reported batch
// whole and no partial one.
func TestCrashSafety(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("crash test re-executes the test binary")
	}
	path := t.TempDir() + "/crash.db"
	rng := rand.New(rand.NewPCG(7, 11))
	lastReported := -1
	for round := range 4 {
		reported := runAndKill(t, path, 8+rng.IntN(15), time.Duration(rng.IntN(4000))*time.Microsecond)
		if reported > lastReported {
			lastReported = reported
		}
		checkAfterCrash(t, path, round, lastReported)
	}
}

// runAndKill starts the child, waits until it reports `after` more commits,
// waits `delay` more and kills it. It returns the last batch reported.
func runAndKill(t *testing.T, path string, after int, delay time.Duration) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSafety$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan int)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if n, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
				if v, err := strconv.Atoi(n); err == nil {
					lines <- v
				}
			}
		}
	}()
	last, seen := -1, 0
	timeout := time.After(60 * time.Second)
	for seen < after {
		select {
		case n, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("child exited early after %d commits: %s", seen, stderr.String())
			}
			last, seen = n, seen+1
		case <-timeout:
			cmd.Process.Kill()
			t.Fatalf("child made %d commits in 60s: %s", seen, stderr.String())
		}
	}
	time.Sleep(delay)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Reports that were printed before the kill count too.
	for n := range lines {
		last = n
	}
	cmd.Wait()
	return last
}

func crashChild(path string) {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	next := 0
	ps, err := db.Publications(ctx, store.PublicationQuery{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	for _, p := range ps {
		if n, _, ok := batchOf(p.URL); ok && n >= next {
			next = n + 1
		}
	}
	sweep, err := db.BeginSweep(ctx, gongkai.Sweep{Source: "crash", Started: time.Now()})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	blob := make([]byte, 256<<10)
	rng := rand.New(rand.NewPCG(uint64(next), 1))
	for n := next; ; n++ {
		b := testBatch(sweep, n, crashItems)
		for i := 0; i < len(blob); i += 8 {
			binary.LittleEndian.PutUint64(blob[i:], rng.Uint64())
		}
		b.Captures[0].WARC = blob // a large random record makes the commit take a while
		if n > 0 {
			b.Seen = []string{fmt.Sprintf("http://zezhou.example/xzcf/%d-0.html", n-1)}
		}
		if _, err := db.Apply(ctx, b); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		fmt.Printf("committed %d\n", n)
	}
}

// batchOf parses the batch and item number from a testBatch URL.
func batchOf(u string) (batch, item int, ok bool) {
	rest, found := strings.CutPrefix(u, "http://zezhou.example/xzcf/")
	if !found {
		return 0, 0, false
	}
	b, i, found := strings.Cut(strings.TrimSuffix(rest, ".html"), "-")
	if !found {
		return 0, 0, false
	}
	bn, err1 := strconv.Atoi(b)
	in, err2 := strconv.Atoi(i)
	return bn, in, err1 == nil && err2 == nil
}

func checkAfterCrash(t *testing.T, path string, round, lastReported int) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("round %d: reopen after kill: %v", round, err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatalf("round %d: %v", round, err)
	}

	pubs := map[int]int{}
	ps, err := db.Publications(ctx, store.PublicationQuery{WithBodies: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		n, _, ok := batchOf(p.URL)
		if !ok {
			t.Fatalf("unexpected publication %s", p.URL)
		}
		pubs[n]++
		if p.Body == "" || p.Version != 1 {
			t.Errorf("round %d: %s: version %d, body %d bytes", round, p.URL, p.Version, len(p.Body))
		}
	}
	caps := map[int]int{}
	if err := db.Captures(ctx, func(c gongkai.Capture) error {
		n, _, ok := batchOf(c.URL)
		if !ok {
			return fmt.Errorf("unexpected capture %s", c.URL)
		}
		caps[n]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	maxBatch := -1
	for n := range pubs {
		maxBatch = max(maxBatch, n)
	}
	if maxBatch < lastReported {
		t.Fatalf("round %d: batches up to %d were reported committed, the store holds up to %d", round, lastReported, maxBatch)
	}
	// The batch in flight may have committed just before the kill, but no
	// further; every batch present is whole.
	if maxBatch > lastReported+1 {
		t.Errorf("round %d: store holds batch %d, only %d was reported", round, maxBatch, lastReported)
	}
	for n := 0; n <= maxBatch; n++ {
		if pubs[n] != crashItems || caps[n] != crashItems {
			t.Errorf("round %d: batch %d has %d publications and %d captures, want %d of each", round, n, pubs[n], caps[n], crashItems)
			continue
		}
		for i := range crashItems {
			u := fmt.Sprintf("http://zezhou.example/xzcf/%d-%d.html", n, i)
			if _, ok, err := db.FetchState(ctx, u); !ok || err != nil {
				t.Errorf("round %d: fetch state of %s missing (%v)", round, u, err)
			}
		}
	}
	var columns int
	if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM sweep_columns`).Scan(&columns); err != nil {
		t.Fatal(err)
	}
	if columns == 0 {
		t.Errorf("round %d: no column outcomes survived", round)
	}
	t.Logf("round %d: %d whole batches after kill (last reported %d)", round, maxBatch+1, lastReported)
}
