// Command distbench measures one sweep distributed over harvester workers.
//
// It serves two small simulated worlds (seeds 1 and 2) on loopback and
// configures each county with both worlds' sites as two sources: twelve
// county sites, each its own host. Every answer is delayed by --latency and
// the harvest is polite (per_host 1, --delay between the starts of two
// requests to one host), so waiting, not CPU, bounds a sweep. For each
// worker count (--workers, default 1,2,4) it starts that many `harvester
// worker` processes (--concurrency each) on a fresh key prefix of one Redis
// server, times one `harvester run` (a first, full sweep of both worlds),
// and stops the workers. It prints requests per second, the speedup over
// the first count, duplicate fetches (requests asked more often than in the
// first count's sweep) and the most requests any host answered at once.
// bench/distributed/run.sh builds the binaries and runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"gongkai/sim"
	"gongkai/sources/harvest/redisq"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "distbench:", err)
		os.Exit(1)
	}
}

func run() error {
	harvester := flag.String("harvester", "", "harvester binary (run.sh builds it)")
	delay := flag.Duration("delay", 100*time.Millisecond, "politeness delay between requests to one host")
	latency := flag.Duration("latency", 100*time.Millisecond, "latency of every answer")
	concurrency := flag.Int("concurrency", 2, "--concurrency of each worker")
	counts := flag.String("workers", "1,2,4", "worker counts to measure")
	redisURL := flag.String("redis", "", "Redis server (default: start a redis-server of its own)")
	flag.Parse()
	if *harvester == "" {
		return fmt.Errorf("--harvester is required")
	}
	dir, err := os.MkdirTemp("", "distbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if *redisURL == "" {
		u, stop, err := startRedis(dir)
		if err != nil {
			return err
		}
		defer stop()
		*redisURL = u
	}

	var worlds []*sim.World
	var servers []*sim.Server
	for seed := int64(1); seed <= 2; seed++ {
		w, err := sim.Generate(sim.Options{Seed: seed, Size: sim.Small})
		if err != nil {
			return err
		}
		srv, err := w.Serve()
		if err != nil {
			return err
		}
		defer srv.Close()
		for _, c := range w.Counties() {
			srv.SetFaults(c, sim.Faults{SlowRate: 1, Slow: *latency})
		}
		worlds, servers = append(worlds, w), append(servers, srv)
	}
	y := mergeSites(string(worlds[0].SitesYAML(servers[0])), string(worlds[1].SitesYAML(servers[1])))
	y = strings.Replace(y, "{delay: 0s", fmt.Sprintf("{delay: %s, per_host: 1", *delay), 1)
	cfg := filepath.Join(dir, "sites.yaml")
	if err := os.WriteFile(cfg, []byte(y), 0o644); err != nil {
		return err
	}
	hosts := 0
	for _, w := range worlds {
		hosts += len(w.Counties())
	}
	fmt.Printf("distributed harvest: %d county sites (hosts), per_host 1, delay %v, latency %v, --concurrency %d per worker\n",
		hosts, *delay, *latency, *concurrency)
	fmt.Printf("%-8s %9s %9s %10s %8s %11s %13s\n", "workers", "requests", "seconds", "req/s", "speedup", "duplicates", "max per host")

	var base float64
	var ref map[string]int
	for _, f := range strings.Split(*counts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("--workers: %q", f)
		}
		for _, s := range servers {
			s.ResetRequests()
		}
		storeURL := fmt.Sprintf("%s?prefix=bench%d:", strings.TrimSuffix(*redisURL, "/"), n)
		secs, err := sweep(*harvester, cfg, storeURL, n, *concurrency)
		if err != nil {
			return err
		}
		att := map[string]int{}
		total, maxIn := 0, 0
		for i, s := range servers {
			for _, c := range worlds[i].Counties() {
				for k, v := range s.Attempts(c) {
					att[fmt.Sprintf("%d %s %s", i, c, k)] = v
					total += v
				}
				maxIn = max(maxIn, s.Requests(c).MaxInFlight)
			}
		}
		dup := 0
		if ref == nil {
			ref = att
		} else {
			for k, v := range att {
				if v > ref[k] {
					dup += v - ref[k]
				}
			}
		}
		rate := float64(total) / secs
		if base == 0 {
			base = rate
		}
		fmt.Printf("%-8d %9d %9.1f %10.1f %7.2f× %11d %13d\n", n, total, secs, rate, rate/base, dup, maxIn)
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Printf("load average: %s\n", strings.Join(strings.Fields(string(b))[:3], " "))
	}
	return nil
}

// sweep starts n workers, times one harvester run, and stops the workers.
func sweep(harvester, cfg, storeURL string, n, concurrency int) (float64, error) {
	var workers []*exec.Cmd
	defer func() {
		for _, w := range workers {
			w.Process.Signal(syscall.SIGTERM)
			w.Wait()
		}
	}()
	for i := range n {
		w := exec.Command(harvester, "worker", "--config", cfg, "--store", storeURL,
			"--concurrency", strconv.Itoa(concurrency), "--name", fmt.Sprintf("bench-w%d", i+1))
		if err := w.Start(); err != nil {
			return 0, err
		}
		workers = append(workers, w)
	}
	opt, err := goredis.ParseURL(strings.Split(storeURL, "?")[0])
	if err != nil {
		return 0, err
	}
	c := goredis.NewClient(opt)
	defer c.Close()
	prefix := strings.SplitN(storeURL, "prefix=", 2)[1]
	q := redisq.New(c, prefix, 0)
	for deadline := time.Now().Add(30 * time.Second); ; {
		alive, _ := q.WorkersAlive(context.Background())
		if int(alive) == n {
			break
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%d of %d workers alive after 30 s", alive, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	start := time.Now()
	out, err := exec.Command(harvester, "run", "--config", cfg, "--store", storeURL, "--log", "json").CombinedOutput()
	secs := time.Since(start).Seconds()
	if err != nil {
		return 0, fmt.Errorf("harvester run: %v\n%s", err, out)
	}
	return secs, nil
}

// mergeSites adds each county's source of b to the same county of a, under
// the source name suffixed -2 (the worlds share their counties).
func mergeSites(a, b string) string {
	extra := map[string][]string{}
	county := ""
	inSources := false
	for _, line := range strings.Split(b, "\n") {
		switch {
		case strings.HasPrefix(line, "  - county: "):
			county, inSources = strings.TrimPrefix(line, "  - county: "), false
		case line == "    sources:":
			inSources = true
		case !strings.HasPrefix(line, " "):
			county, inSources = "", false
		case inSources && county != "":
			if strings.HasPrefix(line, "      - name: ") {
				line += "-2"
			}
			extra[county] = append(extra[county], line)
		}
	}
	var out []string
	county = ""
	flush := func() {
		if county != "" {
			out = append(out, extra[county]...)
		}
		county = ""
	}
	for _, line := range strings.Split(a, "\n") {
		if strings.HasPrefix(line, "  - county: ") {
			flush()
			county = strings.TrimPrefix(line, "  - county: ")
		} else if !strings.HasPrefix(line, " ") && line != "counties:" {
			flush()
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// startRedis runs a redis-server of its own on a free loopback port.
func startRedis(dir string) (string, func(), error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("redis-server: %w", err)
	}
	u := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	c := goredis.NewClient(&goredis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	defer c.Close()
	for i := 0; c.Ping(context.Background()).Err() != nil; i++ {
		if i > 200 {
			cmd.Process.Kill()
			return "", nil, fmt.Errorf("redis-server did not start")
		}
		time.Sleep(25 * time.Millisecond)
	}
	return u, func() { cmd.Process.Kill(); cmd.Wait() }, nil
}
