package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"gongkai/internal/cli"
	"gongkai/sources/harvest"
	"gongkai/sources/harvest/redisq"
)

func init() {
	program.Add(cli.Command{
		Name:    "worker",
		Summary: "工作进程：在共享的 Redis 存储上执行各次采集排队的详情任务，直到被停止",
		Run:     workerCmd,
	})
}

func workerCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("worker", stderr)
	cfgPath := fs.String("config", "", "站点配置文件 (sites.yaml)，与发起采集的 harvester run 相同")
	storeURL := fs.String("store", "", "共享存储地址: redis://主机:端口/库号")
	concurrency := fs.Int("concurrency", 8, "同时执行的任务数（每个站点的并发仍受 per_host 限制，由全部进程共享）")
	metricsAddr := fs.String("metrics", "", "监控地址（/metrics，Prometheus）；空则不提供")
	lease := fs.Duration("lease", redisq.DefaultLease, "任务租约时长：工作进程停止续租这么久后，任务由其他进程接管")
	name := fs.String("name", "", "工作进程名（默认 主机名-进程号）")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %s", strings.Join(fs.Args(), " "))
	}
	if !strings.HasPrefix(*storeURL, "redis://") && !strings.HasPrefix(*storeURL, "rediss://") {
		return cli.Usagef("--store 必须是共享的 redis:// 存储")
	}
	if *concurrency < 1 {
		return cli.Usagef("--concurrency 至少为 1")
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, patientURL(*storeURL))
	if err != nil {
		return err
	}
	defer st.Close()
	d := newDistributed(st, cfg, *lease)
	if d == nil {
		return errors.New("--store 不是 Redis 存储")
	}
	var out sync.Mutex
	logf := func(format string, a ...any) {
		out.Lock()
		defer out.Unlock()
		fmt.Fprintf(stdout, "%s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
	}
	m := redisq.NewMetrics()
	d.gate.OnWait = m.HostWait
	fx, err := d.fetcher(cfg)
	if err != nil {
		return err
	}
	h, err := harvest.New(harvest.Options{Config: cfg, Store: st, Fetcher: fx, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	defer h.CloseUnits()
	if *name == "" {
		host, _ := os.Hostname()
		*name = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if *metricsAddr != "" {
		ln, stop, err := listenMetrics(*metricsAddr, m.Registry, nil)
		if err != nil {
			return err
		}
		defer stop()
		logf("监控地址: http://%s/metrics", ln)
	}
	w := &redisq.Worker{Q: d.q, Name: *name, Concurrency: *concurrency, Exec: h.ExecuteDetail, Logf: logf, Metrics: m}
	logf("工作进程 %s 已启动：并发 %d，租约 %v，等待任务", *name, *concurrency, d.q.Lease())
	w.Run(ctx)
	logf("工作进程 %s 已停止；未完成的任务将在租约到期后由其他进程接管", *name)
	return nil
}
