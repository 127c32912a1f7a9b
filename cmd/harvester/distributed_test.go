package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/internal/auditsetup"
	"gongkai/internal/redistest"
	"gongkai/records"
	"gongkai/sim"
	"gongkai/sources/harvest/redisq"
	"gongkai/store"
)

// distWorld is a small simulated world, its sites.yaml (per_host 2) and
// the records to import.
type distWorld struct {
	w       *sim.World
	srv     *sim.Server
	cfg     string
	recs    []records.Record
	perHost int
	only    []string // --only for every run (two counties under the race detector)
}

func newDistWorld(t *testing.T) *distWorld {
	t.Helper()
	w, err := sim.Generate(sim.Options{Seed: 20201231, Size: sim.Small})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := w.Serve()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	d := &distWorld{w: w, srv: srv, cfg: filepath.Join(dir, "sites.yaml"), perHost: 2}
	if raceEnabled {
		d.only = []string{"陵川县", "泽州县"}
	}
	y := strings.Replace(string(w.SitesYAML(srv)), "{delay: 0s", "{delay: 0s, per_host: 2", 1)
	if !strings.Contains(y, "per_host: 2") {
		t.Fatal("sites.yaml has no harvest line to set per_host in")
	}
	if err := os.WriteFile(d.cfg, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	csv := filepath.Join(dir, "records.csv")
	if err := os.WriteFile(csv, w.RecordsCSV(), 0o644); err != nil {
		t.Fatal(err)
	}
	if d.recs, err = records.ReadFile(csv, catalogue.Default(), calendar.Default()); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *distWorld) sites() []string { return append(d.w.Counties(), "gsxt") }

// runArgs are the arguments of a `harvester run` of this world.
func (d *distWorld) runArgs(storeURL string, extra ...string) []string {
	args := []string{"run", "--config", d.cfg, "--store", storeURL}
	if len(d.only) > 0 {
		args = append(args, "--only", strings.Join(d.only, ","))
	}
	return append(args, extra...)
}

// enough is how many units a worker should have done before a fault is
// injected: well into the sweep.
func (d *distWorld) enough(n int) int {
	if len(d.only) > 0 {
		return n / 2
	}
	return n
}

// attempts is how often each request reached the world since the last reset.
func (d *distWorld) attempts() map[string]int {
	out := map[string]int{}
	for _, s := range d.sites() {
		for k, n := range d.srv.Attempts(s) {
			out[s+" "+k] = n
		}
	}
	return out
}

// importInto opens a store and imports the world's records.
func (d *distWorld) importInto(t *testing.T, storeURL string) {
	t.Helper()
	st, err := store.Open(context.Background(), storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.ImportRecords(context.Background(), d.recs); err != nil {
		t.Fatal(err)
	}
}

// snapshot is what a store says after a sweep, without times and capture
// IDs: every publication (content hash, state, version), every column
// outcome of the last sweep of each source, and the report's findings and
// items.
func (d *distWorld) snapshot(t *testing.T, storeURL string) []string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out []string
	pubs, err := st.Publications(ctx, store.PublicationQuery{IncludeWithdrawn: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pubs {
		out = append(out, fmt.Sprintf("pub %s %s %s v%d", p.URL, p.ContentHash, p.State, p.Version))
	}
	sweeps, err := st.Sweeps(ctx, store.SweepQuery{})
	if err != nil {
		t.Fatal(err)
	}
	last := map[string]bool{}
	for _, s := range sweeps { // newest first
		k := s.County + "/" + s.Source
		if last[k] {
			continue
		}
		last[k] = true
		out = append(out, fmt.Sprintf("sweep %s full=%v finished=%v interrupted=%v", k, s.Full, !s.Finished.IsZero(), s.Interrupted))
		for _, c := range s.Columns {
			out = append(out, fmt.Sprintf("column %s %s complete=%v reason=%q pages=%d listfailed=%d details=%d failed=%d listed=%d blank=%v",
				k, c.Column, c.Complete, c.Reason, c.ListPages, c.ListFailed, c.Details, c.DetailsFailed, c.Listed, c.Blank))
		}
	}
	setup, err := auditsetup.Load(d.cfg, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Build(ctx, st, setup.Options(d.w.AsOf(), time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		f.FirstSeen, f.Evidence = "", ""
		b, _ := json.Marshal(f)
		out = append(out, "finding "+clock.ReplaceAllString(string(b), "T"))
	}
	for _, it := range rep.Items {
		it.FirstSeen = ""
		b, _ := json.Marshal(it)
		out = append(out, "item "+clock.ReplaceAllString(string(b), "T"))
	}
	slices.Sort(out)
	return out
}

// clock masks the times of day notes carry (首次发现于 … 08:28:28).
var clock = regexp.MustCompile(`\d{2}:\d{2}:\d{2}`)

func diffSnapshots(t *testing.T, what string, want, got []string) {
	t.Helper()
	var diffs []string
	for _, w := range want {
		if _, ok := slices.BinarySearch(got, w); !ok {
			diffs = append(diffs, "missing: "+w)
		}
	}
	for _, g := range got {
		if _, ok := slices.BinarySearch(want, g); !ok {
			diffs = append(diffs, "extra:   "+g)
		}
	}
	if len(diffs) > 0 {
		if len(diffs) > 12 {
			diffs = append(diffs[:12], fmt.Sprintf("… %d more", len(diffs)-12))
		}
		t.Errorf("%s differs from one process on SQLite:\n%s", what, strings.Join(diffs, "\n"))
	}
	n := 0
	for _, w := range want {
		if strings.HasPrefix(w, "finding ") {
			n++
		}
	}
	if n == 0 {
		t.Errorf("%s: the reference report has no findings: nothing was compared", what)
	}
}

// child is a `harvester` child process (the test binary in
// TestHarvesterChild's role).
type child struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan error
}

func (c *child) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Write(p)
}

func (c *child) output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	raw, _ := json.Marshal(args)
	c := &child{done: make(chan error, 1)}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestHarvesterChild$", "-test.count=1")
	c.cmd.Env = append(os.Environ(), childArgs+"="+string(raw))
	c.cmd.Stdout, c.cmd.Stderr = c, c
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- c.cmd.Wait() }()
	t.Cleanup(func() {
		c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			c.cmd.Process.Kill()
		}
	})
	return c
}

// units counts the units a worker reports done or failed.
func (c *child) units() int {
	return strings.Count(c.output(), " 完成 ") + strings.Count(c.output(), " 未能采集 ")
}

// testLease is the lease of the fault tests (a killed worker's units are
// taken over after it); the others use a long one, so that a worker slowed
// by a loaded machine never has its units taken over (fetched twice).
const testLease, calmLease = 2 * time.Second, 15 * time.Second

// startWorkers starts n `harvester worker`s and waits until all are alive.
func startWorkers(t *testing.T, d *distWorld, storeURL string, n int, lease time.Duration) []*child {
	t.Helper()
	var ws []*child
	for i := range n {
		args := []string{"worker", "--config", d.cfg, "--store", storeURL,
			"--concurrency", "4", "--lease", lease.String(), "--name", fmt.Sprintf("w%d", i+1)}
		if i == 0 {
			args = append(args, "--metrics", "127.0.0.1:0")
		}
		ws = append(ws, startChild(t, args...))
	}
	q := queueOf(t, storeURL)
	deadline := time.Now().Add(60 * time.Second)
	for {
		alive, _ := q.WorkersAlive(context.Background())
		if int(alive) == n {
			return ws
		}
		if time.Now().After(deadline) {
			for _, w := range ws {
				t.Log(w.output())
			}
			t.Fatalf("%d of %d workers alive after 60 s", alive, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func queueOf(t *testing.T, storeURL string) *redisq.Queue {
	t.Helper()
	u, err := url.Parse(storeURL)
	if err != nil {
		t.Fatal(err)
	}
	prefix := u.Query().Get("prefix")
	q := u.Query()
	q.Del("prefix")
	u.RawQuery = q.Encode()
	return redisq.New(redistest.Client(t, u.String()), prefix, testLease)
}

// runSweep runs `harvester run` in this process.
func runSweep(t *testing.T, d *distWorld, storeURL string, lease time.Duration) {
	t.Helper()
	code, out, stderr := runProgram(t, context.Background(), d.runArgs(storeURL, "--lease", lease.String())...)
	if code != 0 {
		t.Fatalf("run: %d\n%s\n%s", code, out, stderr)
	}
}

// checkPoliteness: no site ever answered more requests at once than per_host.
func (d *distWorld) checkPoliteness(t *testing.T) {
	t.Helper()
	for _, s := range d.sites() {
		if m := d.srv.Requests(s).MaxInFlight; m > d.perHost {
			t.Errorf("%s answered %d requests at once, per_host is %d", s, m, d.perHost)
		}
	}
}

// Issue 11, done-when 1 and 2: three `harvester worker` processes on the
// shared Redis store give the items, column outcomes and report one
// process gives on SQLite, fetch (almost) nothing twice, and keep every
// host's per_host; a worker SIGKILLed mid-sweep loses nothing (its units
// are taken over after the lease) and the result is the same.
func TestWorkersSameAsOneProcess(t *testing.T) {
	if os.Getenv(childArgs) != "" {
		t.Skip("parent only")
	}
	base, _ := redistest.URL(t)
	d := newDistWorld(t)

	ref := "sqlite://" + filepath.Join(t.TempDir(), "ref.db")
	d.importInto(t, ref)
	runProgramOK(t, d.runArgs(ref)...)
	refAttempts := d.attempts()
	refTotal := 0
	for _, n := range refAttempts {
		refTotal += n
	}
	want := d.snapshot(t, ref)

	threeURL := withPrefix(t, base, "three")
	t.Run("three workers", func(t *testing.T) {
		d.srv.ResetRequests()
		storeURL := threeURL
		d.importInto(t, storeURL)
		ws := startWorkers(t, d, storeURL, 3, calmLease)
		runSweep(t, d, storeURL, calmLease)
		busy := 0
		for _, w := range ws {
			if w.units() > 0 {
				busy++
			}
		}
		if busy < 2 {
			t.Errorf("only %d of 3 workers executed units", busy)
		}
		diffSnapshots(t, "three workers", want, d.snapshot(t, storeURL))
		checkMetrics(t, ws[0])
		d.checkPoliteness(t)
		got := d.attempts()
		dup, total := 0, 0
		for k, n := range got {
			total += n
			if n > refAttempts[k] {
				dup += n - refAttempts[k]
			}
		}
		t.Logf("requests: one process %d, three workers %d, fetched more often than by one process: %d", refTotal, total, dup)
		if dup*100 > total {
			t.Errorf("%d duplicate fetches of %d requests (more than 1%%)", dup, total)
		}
	})

	t.Run("no worker", func(t *testing.T) {
		// harvester run alone on the Redis store executes its units itself.
		d.srv.ResetRequests()
		storeURL := withPrefix(t, base, "alone")
		d.importInto(t, storeURL)
		runSweep(t, d, storeURL, calmLease)
		diffSnapshots(t, "run alone on Redis", want, d.snapshot(t, storeURL))
		d.checkPoliteness(t)
	})

	t.Run("worker killed", func(t *testing.T) {
		d.srv.ResetRequests()
		storeURL := withPrefix(t, base, "killed")
		d.importInto(t, storeURL)
		ws := startWorkers(t, d, storeURL, 3, testLease)
		held := unitsHeldBy(t, storeURL, "w1")
		killed := make(chan int, 1)
		go func() {
			deadline := time.Now().Add(60 * time.Second)
			for time.Now().Before(deadline) {
				// Killed while it holds units, so that others must take them over.
				if n := ws[0].units(); n >= d.enough(5) && held() > 0 {
					ws[0].cmd.Process.Kill()
					killed <- n
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
			killed <- -1
		}()
		runSweep(t, d, storeURL, testLease)
		if n := <-killed; n < 0 {
			t.Fatal("the first worker never executed enough units; nothing was killed")
		} else {
			t.Logf("worker w1 SIGKILLed after %d units", n)
		}
		taken := 0
		for _, w := range ws[1:] {
			taken += strings.Count(w.output(), "接管")
		}
		t.Logf("units taken over from the killed worker: %d", taken)
		if taken == 0 {
			t.Error("no worker took over a unit of the killed one (it held some: it ran 4 at a time)")
		}
		diffSnapshots(t, "after a worker was killed", want, d.snapshot(t, storeURL))
		d.checkPoliteness(t)
	})

	// A week later: the incremental sweep of three workers stops where one
	// process stops and finds the same new, edited and withdrawn pages.
	t.Run("incremental", func(t *testing.T) {
		d.w.AdvanceTo(d.w.AsOf() + 7)
		runProgramOK(t, d.runArgs(ref)...)
		want := d.snapshot(t, ref)
		ws := startWorkers(t, d, threeURL, 3, calmLease)
		runSweep(t, d, threeURL, calmLease)
		diffSnapshots(t, "incremental sweep of three workers", want, d.snapshot(t, threeURL))
		done := 0
		for _, w := range ws {
			done += w.units()
		}
		t.Logf("incremental sweep: %d units executed by the workers", done)
	})
}

// Issue 11, done-when 2: redis-server (AOF everysec) restarted mid-sweep:
// the workers and the sweep wait, resume, and the sweep's result equals one
// process's on SQLite (nothing reported observed that was not).
func TestRedisRestartMidSweep(t *testing.T) {
	if os.Getenv(childArgs) != "" {
		t.Skip("parent only")
	}
	redistest.URL(t) // skips or fails (CI) without a redis-server, as the others
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server not installed")
	}
	d := newDistWorld(t)
	ref := "sqlite://" + filepath.Join(t.TempDir(), "ref.db")
	d.importInto(t, ref)
	runProgramOK(t, d.runArgs(ref)...)
	want := d.snapshot(t, ref)

	port := freePort(t)
	dir := t.TempDir()
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
			"--appendonly", "yes", "--appendfsync", "everysec", "--dir", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		c := goredis.NewClient(&goredis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
		defer c.Close()
		for i := 0; c.Ping(context.Background()).Err() != nil; i++ {
			if i > 200 {
				t.Fatal("redis-server did not start")
			}
			time.Sleep(25 * time.Millisecond)
		}
		return cmd
	}
	srv := start()
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	storeURL := fmt.Sprintf("redis://127.0.0.1:%d/0?prefix=restart:", port)
	d.importInto(t, storeURL)
	ws := startWorkers(t, d, storeURL, 3, testLease)

	restarted := make(chan string, 1)
	atRestart := 0
	go func() {
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			n := 0
			for _, w := range ws {
				n += w.units()
			}
			if n >= d.enough(30) {
				atRestart = n
				srv.Process.Signal(syscall.SIGTERM) // shutdown: the AOF is flushed
				srv.Wait()
				time.Sleep(3 * time.Second) // longer than go-redis's own retries
				srv = start()
				restarted <- fmt.Sprintf("restarted after %d units", n)
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		restarted <- ""
	}()
	runSweep(t, d, storeURL, testLease)
	msg := <-restarted
	if msg == "" {
		t.Fatal("the workers never executed enough units; nothing was restarted")
	}
	t.Log(msg)
	diffSnapshots(t, "after a restart of redis-server", want, d.snapshot(t, storeURL))
	after := 0
	for _, w := range ws {
		after += w.units()
	}
	after -= atRestart
	t.Logf("units the workers finished after the restart: %d", after)
	if after <= 0 {
		t.Error("the workers finished no unit after the restart: the sweep was not resumed by them")
	}
	if t.Failed() || testing.Verbose() {
		for i, w := range ws {
			t.Logf("worker %d:\n%s", i+1, lastLines(w.output(), 15))
		}
	}
}

func runProgramOK(t *testing.T, args ...string) {
	t.Helper()
	if code, out, stderr := runProgram(t, context.Background(), args...); code != 0 {
		t.Fatalf("%v: %d\n%s\n%s", args, code, out, stderr)
	}
}

// unitsHeldBy returns a function counting the units the worker named
// consumer has read from the store's queue and not yet acknowledged.
func unitsHeldBy(t *testing.T, storeURL, consumer string) func() int {
	u, err := url.Parse(storeURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	prefix := q.Get("prefix")
	q.Del("prefix")
	u.RawQuery = q.Encode()
	opt, err := goredis.ParseURL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	c := goredis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return func() int {
		ps, err := c.XPendingExt(context.Background(), &goredis.XPendingExtArgs{
			Stream: prefix + "q:units", Group: redisq.Group, Consumer: consumer, Start: "-", End: "+", Count: 100}).Result()
		if err != nil {
			return 0 // no group yet
		}
		return len(ps)
	}
}

func withPrefix(t *testing.T, raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("prefix", q.Get("prefix")+name+":")
	u.RawQuery = q.Encode()
	return u.String()
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

var metricsAddr = regexp.MustCompile(`监控地址: (http://\S+/metrics)`)

// checkMetrics reads the worker's /metrics: the queue, its units and the
// hosts' politeness waits are there.
func checkMetrics(t *testing.T, w *child) {
	t.Helper()
	m := metricsAddr.FindStringSubmatch(w.output())
	if m == nil {
		t.Fatalf("worker printed no metrics address:\n%s", lastLines(w.output(), 5))
	}
	resp, err := http.Get(m[1])
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{"gongkai_worker_queue_depth ", "gongkai_worker_units_leased ", `gongkai_worker_units_total{outcome="done"}`,
		"gongkai_worker_units_reclaimed_total ", "gongkai_worker_units_retried_total ", "gongkai_worker_host_wait_seconds_bucket{host="} {
		if !strings.Contains(string(body), want) {
			t.Errorf("worker metrics lack %s", want)
		}
	}
}

// Issue 11, faults: redis-server SIGKILLed mid-sweep (a crash: AOF
// everysec may lose the last second of commits, queue entries, results)
// and started again. Whatever the sweep then says, it never calls a record
// 未公开 that one complete process on SQLite found: a column it calls
// complete holds every page the reference holds.
func TestRedisCrashNothingFalselyMissing(t *testing.T) {
	if os.Getenv(childArgs) != "" {
		t.Skip("parent only")
	}
	redistest.URL(t)
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server not installed")
	}
	d := newDistWorld(t)
	d.only = []string{"陵川县", "泽州县", "城区"} // three families are enough here; CI time is short
	ref := "sqlite://" + filepath.Join(t.TempDir(), "ref.db")
	d.importInto(t, ref)
	runProgramOK(t, d.runArgs(ref)...)

	port := freePort(t)
	dir := t.TempDir()
	var srv *exec.Cmd
	start := func() {
		srv = exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
			"--appendonly", "yes", "--appendfsync", "everysec", "--dir", dir)
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		c := goredis.NewClient(&goredis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
		defer c.Close()
		for i := 0; c.Ping(context.Background()).Err() != nil; i++ {
			if i > 400 {
				t.Fatal("redis-server did not start")
			}
			time.Sleep(25 * time.Millisecond)
		}
	}
	start()
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	storeURL := fmt.Sprintf("redis://127.0.0.1:%d/0?prefix=crash:", port)
	d.importInto(t, storeURL)
	time.Sleep(1100 * time.Millisecond) // the records are on disk before the crash
	ws := startWorkers(t, d, storeURL, 3, testLease)
	crashed := make(chan bool, 1)
	go func() {
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) {
			n := 0
			for _, w := range ws {
				n += w.units()
			}
			if n >= d.enough(40) {
				srv.Process.Kill()
				srv.Wait()
				time.Sleep(500 * time.Millisecond)
				start()
				crashed <- true
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		crashed <- false
	}()
	code, out, stderr := runProgram(t, context.Background(), d.runArgs(storeURL, "--lease", testLease.String())...)
	if !<-crashed {
		t.Fatal("the workers never executed enough units; nothing crashed")
	}
	t.Logf("run after the crash: exit %d\n%s", code, lastLines(out+stderr, 6))

	// Every record the crashed store's report calls missing is missing in
	// the reference too.
	missing := func(storeURL string) map[string]bool {
		st, err := store.Open(context.Background(), storeURL)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		setup, err := auditsetup.Load(d.cfg, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		rep, err := audit.Build(context.Background(), st, setup.Options(d.w.AsOf(), time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, f := range rep.Findings {
			if f.Status == audit.Missing {
				out[f.County+" "+f.Item+" "+f.RecordNo+" "+f.Channel] = true
			}
		}
		return out
	}
	want, got := missing(ref), missing(storeURL)
	for k := range got {
		if !want[k] {
			t.Errorf("after the crash the report calls %s 未公开, which one complete process found", k)
		}
	}
	t.Logf("missing: %d in the reference, %d after the crash", len(want), len(got))
}
