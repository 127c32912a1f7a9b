package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"gongkai/internal/cli"
	"gongkai/sources/harvest"
)

func init() {
	program.Add(cli.Command{
		Name:    "serve",
		Summary: "定时采集（默认每 24 小时），提供 /metrics（Prometheus）与 /healthz",
		Run:     serveCmd,
	})
}

// health is what /healthz reports: the last sweep and whether one runs.
type health struct {
	mu        sync.Mutex
	running   bool
	lastStart time.Time
	lastEnd   time.Time
	lastErr   string
	sums      []harvest.Summary
	next      time.Time
}

func (h *health) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	type source struct {
		County    string `json:"county,omitempty"`
		Source    string `json:"source"`
		Complete  bool   `json:"complete"`
		Errors    int    `json:"errors"`
		Finished  string `json:"finished"`
		Interrupt bool   `json:"interrupted,omitempty"`
	}
	out := struct {
		Status    string   `json:"status"`
		Running   bool     `json:"running"`
		LastStart string   `json:"last_start,omitempty"`
		LastEnd   string   `json:"last_end,omitempty"`
		NextSweep string   `json:"next_sweep,omitempty"`
		Error     string   `json:"error,omitempty"`
		Sources   []source `json:"sources"`
	}{Status: "ok", Running: h.running, Error: h.lastErr, Sources: []source{}}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	out.LastStart, out.LastEnd, out.NextSweep = stamp(h.lastStart), stamp(h.lastEnd), stamp(h.next)
	for _, s := range h.sums {
		out.Sources = append(out.Sources, source{County: s.County, Source: s.Source, Complete: s.Complete, Errors: s.Errors, Finished: stamp(s.Finished), Interrupt: s.Interrupted})
	}
	code := http.StatusOK
	if h.lastErr != "" {
		// The store failed: the service is not doing its job.
		out.Status = "error"
		code = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(out)
}

func serveCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("serve", stderr)
	var f harvestFlags
	f.register(fs)
	every := fs.Duration("every", 24*time.Hour, "两次采集之间的间隔")
	addr := fs.String("metrics", "127.0.0.1:9464", "监控地址（/metrics 与 /healthz）；空则不提供")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %s", strings.Join(fs.Args(), " "))
	}
	if *every <= 0 {
		return cli.Usagef("--every 必须为正的时长，如 24h")
	}
	m := newMetrics()
	s, err := newSession(ctx, f, stderr, m)
	if err != nil {
		return err
	}
	defer s.Close()
	hl := &health{}

	if *addr != "" {
		ln, stop, err := listenMetrics(*addr, m.reg, map[string]http.Handler{"/healthz": hl})
		if err != nil {
			return err
		}
		defer stop()
		s.log.Info("metrics listening", "addr", ln.String())
		fmt.Fprintf(stdout, "监控地址: http://%s/metrics  http://%s/healthz\n", ln, ln)
	}

	for {
		// On the shared store several schedulers may run; one sweeps.
		var unlock func()
		if s.coord != nil {
			u, ok, err := s.coord.q.TryLock(ctx, "sweep", time.Minute)
			switch {
			case err != nil:
				s.log.Error("sweep lock", "err", err)
				fmt.Fprintf(stdout, "无法取得采集锁（%v），本次跳过\n", err)
			case !ok:
				fmt.Fprintln(stdout, "另一调度进程正在采集（Redis 中的采集锁），本次跳过")
			}
			if !ok {
				select {
				case <-ctx.Done():
					fmt.Fprintln(stdout, "已停止。")
					return nil
				case <-time.After(*every):
				}
				continue
			}
			unlock = u
		}
		hl.mu.Lock()
		hl.running, hl.lastStart = true, time.Now()
		hl.mu.Unlock()
		sums, err := s.h.Sweep(ctx)
		if unlock != nil {
			unlock()
		}
		if ctx.Err() != nil {
			fmt.Fprintln(stdout, "已停止；已提交的结果已保存。")
			return nil
		}
		next := time.Now().Add(*every)
		hl.mu.Lock()
		hl.running, hl.lastEnd, hl.sums, hl.next = false, time.Now(), sums, next
		hl.lastErr = ""
		if err != nil {
			hl.lastErr = err.Error()
		}
		hl.mu.Unlock()
		printSummary(stdout, sums)
		if err != nil {
			s.log.Error("sweep failed", "err", err)
		}
		s.log.Info("next sweep", "at", next.Format(time.RFC3339))
		select {
		case <-ctx.Done():
			fmt.Fprintln(stdout, "已停止。")
			return nil
		case <-time.After(time.Until(next)):
		}
	}
}
