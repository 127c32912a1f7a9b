// Command harvestbench measures the harvester on the large simulated world.
//
// It generates and serves the Large world on loopback, then runs, each as a
// child process whose CPU time is read from getrusage and which reports its
// own peak RSS (VmHWM: getrusage's maxrss of a child would also count this
// process's memory at the fork):
//
//  1. rounds (--rounds, default 3) of: a full sweep by the harvester
//     (politeness delay off) into a fresh store, logging every request it
//     makes; then the baseline, a minimal colly program
//     (bench/harvest/baseline) fetching exactly those requests with the
//     same total concurrency, once reading each page's links as a crawler
//     does and once only fetching. Alternating them lets a change in the
//     machine's load hit both alike; the medians are compared;
//  2. a second sweep of the unchanged world into the last store (list pages
//     only, 304 where the site sends validators);
//  3. after moving the world on a few days (about 1% of the items new or
//     changed), an incremental sweep into the same store.
//
// and prints pages/s, peak RSS, CPU time, the throughput ratio against the
// baseline, the requests of the later sweeps as a share of the full sweep's,
// and the load average. bench/harvest/run.sh builds the binaries and runs it.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"gongkai/bench/internal/machine"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/sim"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/sources/harvest"
	"gongkai/store"
	_ "gongkai/store/sqlite"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "harvest" {
		if err := harvestChild(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "harvest:", err)
			os.Exit(1)
		}
		return
	}
	if err := drive(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "harvestbench:", err)
		os.Exit(1)
	}
}

// childResult is what a child prints on its last stdout line.
type childResult struct {
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	Seconds   float64 `json:"seconds"`
	New       int     `json:"new"`
	Changed   int     `json:"changed"`
	Withdrawn int     `json:"withdrawn"`
	Complete  bool    `json:"complete"`
	// NotModified is how many requests were answered 304.
	NotModified int `json:"not_modified"`
	// PeakRSSKiB is the child's own peak resident set (VmHWM).
	PeakRSSKiB int64 `json:"peak_rss_kib"`
	// Transactions is how many store transactions the sweep committed.
	Transactions int `json:"transactions"`
}

// run is one measured child process.
type run struct {
	childResult
	MaxRSSMiB  float64
	CPUSeconds float64 // user + system time of the child
	// ServerCPUSeconds is what this process (the simulated world serving
	// the child) spent meanwhile: on a machine with few cores the server
	// and the crawler share them.
	ServerCPUSeconds float64
}

func (r run) pagesPerSecond() float64 {
	if r.Seconds == 0 {
		return 0
	}
	return float64(r.Requests) / r.Seconds
}

func drive(args []string) error {
	fs := flag.NewFlagSet("harvestbench", flag.ContinueOnError)
	seed := fs.Int64("seed", 1, "world seed")
	size := fs.String("size", "large", "world size: small or large")
	perHost := fs.Int("per-host", 2, "requests in flight per site (harvester) — the baseline gets the same total")
	share := fs.Float64("change", 0.01, "share of the website pages that appear between the full and the incremental sweep")
	baseline := fs.String("baseline", "", "path of the built baseline program (bench/harvest/baseline)")
	dir := fs.String("dir", "", "working directory (default: a temporary one)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the harvester's full sweep here")
	memProfile := fs.String("memprofile", "", "write an allocation profile of the harvester's full sweep here")
	blockProfile := fs.String("blockprofile", "", "write blocking and mutex profiles of the harvester's full sweep here (they slow it)")
	harvestOnly := fs.Bool("harvest-only", false, "run only the harvester's full sweeps (for profiling; no ratio)")
	rounds := fs.Int("rounds", 3, "full sweeps and baseline runs, alternating; the medians are compared")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *baseline == "" {
		return errors.New("--baseline is required (run bench/harvest/run.sh)")
	}
	sz, err := sim.ParseSize(*size)
	if err != nil {
		return err
	}
	work := *dir
	if work == "" {
		if work, err = os.MkdirTemp("", "harvestbench"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}

	t0 := time.Now()
	w, err := sim.Generate(sim.Options{Seed: *seed, Size: sz})
	if err != nil {
		return err
	}
	// Start the world back in time so that the chosen share of its pages
	// appears when it is moved on to its as-of day for the incremental sweep.
	asOf := w.AsOf()
	var dates []calendar.Date
	for _, p := range w.Truth().Pages {
		if p.Channel == catalogue.Website && p.Withdrawn.IsZero() {
			dates = append(dates, p.Published)
		}
	}
	slices.Sort(dates)
	startDay := asOf
	if n := int(float64(len(dates)) * *share); n > 0 && n < len(dates) {
		startDay = dates[len(dates)-n] - 1
	}
	w.AdvanceTo(startDay)
	srv, err := w.Serve()
	if err != nil {
		return err
	}
	defer srv.Close()
	cfgPath := filepath.Join(work, "sites.yaml")
	if err := os.WriteFile(cfgPath, w.SitesYAML(srv), 0o644); err != nil {
		return err
	}
	fmt.Printf("世界: %s, 种子 %d, 生成并启动用时 %s\n", sz, *seed, time.Since(t0).Round(time.Millisecond))

	self, err := os.Executable()
	if err != nil {
		return err
	}
	sites := len(w.Counties())
	parallel := fmt.Sprint(*perHost * sites)
	harvestArgs := func(store, log string) []string {
		return []string{"harvest", "--config", cfgPath, "--store", "sqlite://" + filepath.Join(work, store),
			"--requests", filepath.Join(work, log), "--per-host", fmt.Sprint(*perHost)}
	}

	// Rounds: each a full sweep into a fresh store, then the baselines
	// replaying its requests, one after the other, so that a change in the
	// machine's load hits all three alike; the medians are compared.
	var fulls, bases, bares []run
	for i := range max(1, *rounds) {
		store, log := fmt.Sprintf("bench-%d.db", i), fmt.Sprintf("requests-%d.jsonl", i)
		args := harvestArgs(store, log)
		if i == 0 && *profile != "" {
			args = append(args, "--cpuprofile", *profile)
		}
		if i == 0 && *blockProfile != "" {
			args = append(args, "--blockprofile", *blockProfile)
		}
		if i == 0 && *memProfile != "" {
			args = append(args, "--memprofile", *memProfile)
		}
		full, err := measure(harvestCommand(self, args...))
		if err != nil {
			return fmt.Errorf("full sweep: %w", err)
		}
		fulls = append(fulls, full)
		if *harvestOnly {
			fmt.Printf("harvester 全量采集: %d 次请求, %.2fs, %.1f 页面/秒, 峰值RSS %.1f MiB, CPU %.1fs（模拟世界 CPU %.1fs）, 存储事务 %d 个\n",
				full.Requests, full.Seconds, full.pagesPerSecond(), full.MaxRSSMiB, full.CPUSeconds, full.ServerCPUSeconds, full.Transactions)
			continue
		}
		reqLog := filepath.Join(work, log)
		base, err := measure(exec.Command(*baseline, "--requests", reqLog, "--parallel", parallel))
		if err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		bare, err := measure(exec.Command(*baseline, "--requests", reqLog, "--parallel", parallel, "--parse=false"))
		if err != nil {
			return fmt.Errorf("baseline without parsing: %w", err)
		}
		bases, bares = append(bases, base), append(bares, bare)
		fmt.Printf("第 %d 轮: harvester %.1f 页面/秒, baseline（读链接）%.1f, baseline（只抓取）%.1f（负载 %s）\n",
			i+1, full.pagesPerSecond(), base.pagesPerSecond(), bare.pagesPerSecond(), machine.LoadAverage())
	}
	if *harvestOnly {
		return nil
	}
	last := fmt.Sprintf("bench-%d.db", len(fulls)-1)
	// Nothing changed: a second sweep of the same world into the last store.
	same, err := measure(harvestCommand(self, harvestArgs(last, "unchanged.jsonl")...))
	if err != nil {
		return fmt.Errorf("sweep of the unchanged world: %w", err)
	}
	w.AdvanceTo(asOf)
	inc, err := measure(harvestCommand(self, harvestArgs(last, "incremental.jsonl")...))
	if err != nil {
		return fmt.Errorf("incremental sweep: %w", err)
	}

	full, base, bare := median(fulls), median(bases), median(bares)
	fmt.Printf("\n%-28s %10s %10s %10s %12s %12s %14s\n", "", "请求数", "用时(s)", "页面/秒", "峰值RSS(MiB)", "CPU(s)", "模拟世界CPU(s)")
	for _, r := range []struct {
		name string
		r    run
	}{{"harvester 全量采集", full}, {"baseline colly（读链接）", base}, {"baseline colly（只抓取）", bare},
		{"harvester 再采集（无变化）", same}, {"harvester 增量采集", inc}} {
		fmt.Printf("%-28s %10d %10.2f %10.1f %12.1f %12.1f %14.1f\n", r.name, r.r.Requests, r.r.Seconds, r.r.pagesPerSecond(), r.r.MaxRSSMiB, r.r.CPUSeconds, r.r.ServerCPUSeconds)
	}
	if len(fulls) > 1 {
		fmt.Printf("（全量与基线各 %d 轮，取各列中位数）\n", len(fulls))
	}
	ratio := 0.0
	if base.pagesPerSecond() > 0 {
		ratio = full.pagesPerSecond() / base.pagesPerSecond()
	}
	incShare := 0.0
	if full.Requests > 0 {
		incShare = float64(inc.Requests) / float64(full.Requests)
	}
	fmt.Printf("\n全量采集: 新增 %d 条, 错误 %d, 完整 %v, 存储事务 %d 个\n", full.New, full.Errors, full.Complete, full.Transactions)
	fmt.Printf("无变化再采集: %d 次请求（%d 次 304），新增 %d, 变更 %d, 撤下 %d\n", same.Requests, same.NotModified, same.New, same.Changed, same.Withdrawn)
	fmt.Printf("世界从 %s 前进到 %s 后增量采集: 新增 %d, 变更 %d, 撤下 %d（占全量条目 %.2f%%）, %d 次 304\n", startDay, asOf, inc.New, inc.Changed, inc.Withdrawn,
		100*float64(inc.New+inc.Changed+inc.Withdrawn)/float64(max(1, full.New)), inc.NotModified)
	bareRatio := 0.0
	if bare.pagesPerSecond() > 0 {
		bareRatio = full.pagesPerSecond() / bare.pagesPerSecond()
	}
	cpuRatio := 0.0
	if full.CPUSeconds > 0 {
		cpuRatio = base.CPUSeconds / full.CPUSeconds
	}
	fmt.Printf("吞吐比 harvester/baseline = %.2f（目标 ≥ 0.70）；对只抓取不解析的 colly = %.2f；CPU 时间比 baseline/harvester = %.2f\n", ratio, bareRatio, cpuRatio)
	fmt.Printf("增量请求数 / 全量请求数 = %.2f%%（目标 ≤ 5%%）\n", 100*incShare)
	fmt.Printf("负载（1/5/15 分钟）: %s\n", machine.LoadAverage())
	return nil
}

// median is the run with the median throughput, its other columns the
// medians of theirs.
func median(runs []run) run {
	if len(runs) == 0 {
		return run{}
	}
	mid := func(f func(run) float64) float64 {
		v := make([]float64, len(runs))
		for i, r := range runs {
			v[i] = f(r)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	out := slices.Clone(runs)
	slices.SortFunc(out, func(a, b run) int { return cmp.Compare(a.pagesPerSecond(), b.pagesPerSecond()) })
	m := out[len(out)/2]
	m.Seconds = float64(m.Requests) / mid(run.pagesPerSecond)
	m.MaxRSSMiB = mid(func(r run) float64 { return r.MaxRSSMiB })
	m.CPUSeconds = mid(func(r run) float64 { return r.CPUSeconds })
	m.ServerCPUSeconds = mid(func(r run) float64 { return r.ServerCPUSeconds })
	return m
}

// measure runs a child, reads its JSON result line and its peak RSS.
func measure(cmd *exec.Cmd) (run, error) {
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	serverBefore := selfCPU()
	if err := cmd.Run(); err != nil {
		return run{}, err
	}
	var r run
	r.ServerCPUSeconds = (selfCPU() - serverBefore).Seconds()
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	if err := json.Unmarshal(lines[len(lines)-1], &r.childResult); err != nil {
		return run{}, fmt.Errorf("result %q: %w", out.String(), err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.CPUSeconds = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	// The child reports its own peak: getrusage's maxrss of a child also
	// counts this (large) process's resident set at the moment it forked.
	r.MaxRSSMiB = float64(r.PeakRSSKiB) / 1024
	return r, nil
}

// selfCPU is the user + system time this process has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loggingFetcher records every request the harvester makes, for the
// baseline to replay.
type loggingFetcher struct {
	next *fetch.Fetcher
	mu   sync.Mutex
	w    *bufio.Writer
	n    int
}

func (l *loggingFetcher) Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	method := req.Method
	if method == "" {
		method = "GET"
		if req.Form != nil {
			method = "POST"
		}
	}
	line := map[string]any{"method": method, "url": req.URL}
	if len(req.Form) > 0 {
		form := map[string]string{}
		for k := range req.Form {
			form[k] = req.Form.Get(k)
		}
		line["form"] = form
	}
	b, _ := json.Marshal(line)
	l.mu.Lock()
	l.w.Write(append(b, '\n'))
	l.n++
	l.mu.Unlock()
	return l.next.Fetch(ctx, req)
}

// countingStore counts the harvester's write transactions.
type countingStore struct {
	store.Store
	group        store.GroupApplier
	transactions atomic.Int64
}

func (c *countingStore) Apply(ctx context.Context, b store.Batch) (store.BatchResult, error) {
	c.transactions.Add(1)
	return c.Store.Apply(ctx, b)
}

func (c *countingStore) ApplyBatches(ctx context.Context, bs []store.Batch) ([]store.BatchResult, error) {
	c.transactions.Add(1)
	return c.group.ApplyBatches(ctx, bs)
}

// harvestCommand starts the bench's harvest child with the garbage
// collector cmd/harvester sets for itself (GOGC=200, cmd/harvester/gc.go),
// unless GOGC is set already.
func harvestCommand(self string, args ...string) *exec.Cmd {
	cmd := exec.Command(self, args...)
	if os.Getenv("GOGC") == "" {
		cmd.Env = append(os.Environ(), "GOGC=200")
	}
	return cmd
}

// harvestChild runs one sweep with politeness delays off, as
// cmd/harvester would run it (the bench starts it with cmd/harvester's
// garbage-collector setting, see harvestCommand).
func harvestChild(args []string) error {
	fs := flag.NewFlagSet("harvest", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "sites.yaml")
	storeURL := fs.String("store", "", "store URL")
	reqLog := fs.String("requests", "", "request log to write")
	perHost := fs.Int("per-host", 2, "requests in flight per host")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the sweep here")
	blockProfile := fs.String("blockprofile", "", "write a blocking profile of the sweep here")
	memProfile := fs.String("memprofile", "", "write an allocation profile of the sweep here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return err
	}
	cfg.Harvest.Delay = 0
	cfg.Harvest.PerHost = *perHost
	ctx := context.Background()
	st, err := store.Open(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer st.Close()
	f, err := fetch.New(cfg.Harvest, harvest.Hosts(cfg))
	if err != nil {
		return err
	}
	logFile, err := os.Create(*reqLog)
	if err != nil {
		return err
	}
	lf := &loggingFetcher{next: f, w: bufio.NewWriterSize(logFile, 1<<16)}
	group, ok := st.(store.GroupApplier)
	if !ok {
		return fmt.Errorf("store %s cannot commit several batches at once", *storeURL)
	}
	cs := &countingStore{Store: st, group: group}
	h, err := harvest.New(harvest.Options{Config: cfg, Store: cs, Fetcher: lf, NoCredit: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	if *blockProfile != "" {
		runtime.SetBlockProfileRate(int(time.Millisecond))
		runtime.SetMutexProfileFraction(1)
		defer func() {
			f, err := os.Create(*blockProfile)
			if err == nil {
				pprof.Lookup("block").WriteTo(f, 0)
				f.Close()
			}
			if f, err := os.Create(*blockProfile + ".mutex"); err == nil {
				pprof.Lookup("mutex").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	if *memProfile != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			if f, err := os.Create(*memProfile); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	start := time.Now()
	sums, err := h.Sweep(ctx)
	elapsed := time.Since(start)
	lf.w.Flush()
	logFile.Close()
	if err != nil {
		return err
	}
	res := childResult{Requests: lf.n, Seconds: elapsed.Seconds(), Complete: true, Transactions: int(cs.transactions.Load())}
	for _, s := range sums {
		fmt.Fprintf(os.Stderr, "  %s %s: %d 次请求, %.1fs\n", s.County, s.Source, s.Pages, s.Finished.Sub(s.Started).Seconds())
		for _, c := range s.Columns {
			for _, e := range c.Errors {
				fmt.Fprintf(os.Stderr, "%s %s: %s\n", s.County, c.Column, e)
			}
		}
		res.New += s.New
		res.Changed += s.Changed
		res.Withdrawn += s.Withdrawn
		res.NotModified += s.NotModified
		res.Errors += s.Errors
		res.Complete = res.Complete && s.Complete
	}
	res.PeakRSSKiB = machine.PeakRSSKiB()
	return json.NewEncoder(os.Stdout).Encode(res)
}
