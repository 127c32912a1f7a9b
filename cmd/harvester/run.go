package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"gongkai/internal/cli"
	"gongkai/sources/harvest"
	"gongkai/sources/harvest/redisq"
	"gongkai/store"
)

func init() {
	program.Add(cli.Command{
		Name:    "run",
		Summary: "采集一次：同步配置中的全部站点与信用公示系统，结束时按县区汇总",
		Run:     runCmd,
	})
}

// harvestFlags are the flags run and serve share.
type harvestFlags struct {
	config, store, only, logFormat string
	full                           bool
	lease                          time.Duration
}

func (f *harvestFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.config, "config", "", "站点配置文件 (sites.yaml)")
	fs.StringVar(&f.store, "store", store.DefaultURL, "存储地址: sqlite://路径 或 redis://主机:端口/库号")
	fs.StringVar(&f.only, "only", "", "只采集这些县区，逗号分隔（名称、简称或区划代码）")
	fs.BoolVar(&f.full, "full", false, "完整重走所有栏目（默认每 full_every 次采集完整重走一次）")
	fs.StringVar(&f.logFormat, "log", "text", "非终端时的日志格式: text 或 json")
	fs.DurationVar(&f.lease, "lease", redisq.DefaultLease, "redis:// 存储: 任务租约时长，工作进程停止续租这么久后任务由他人接管")
}

func (f *harvestFlags) onlyList() []string {
	var out []string
	for _, s := range strings.FieldsFunc(f.only, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// session is what run and serve set up: config, store, harvester, and the
// observers that show progress.
type session struct {
	st       store.Store
	h        *harvest.Harvester
	progress *progress // nil unless stderr is a terminal
	log      *slog.Logger
	coord    *coordinator // redis:// only: the queue of detail units
}

func (s *session) Close() {
	if s.progress != nil {
		s.progress.Close()
	}
	s.closeStore()
}

// closeStore stops the queue's consumer (redis://) and closes the store.
func (s *session) closeStore() {
	s.coord.close()
	if s.h != nil {
		s.h.CloseUnits()
	}
	s.st.Close()
}

func newSession(ctx context.Context, f harvestFlags, stderr io.Writer, extra ...harvest.Observer) (*session, error) {
	if f.logFormat != "text" && f.logFormat != "json" {
		return nil, cli.Usagef("--log 只能是 text 或 json")
	}
	cfg, err := loadConfig(f.config)
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, patientURL(f.store))
	if err != nil {
		return nil, err
	}
	s := &session{st: st}
	// On the shared Redis store the sweep keeps its walk and judgement
	// here and queues its detail units for the workers; it fetches through
	// the politeness every harvester of the store shares.
	var fetcher harvest.Fetcher
	var executor harvest.Executor
	if d := newDistributed(st, cfg, f.lease); d != nil {
		fx, err := d.fetcher(cfg)
		if err != nil {
			st.Close()
			return nil, err
		}
		fetcher = fx
		s.coord = d.startCoordinator()
		executor = s.coord.ex
	}
	var observers harvest.Observers
	if isTerminal(stderr) {
		// On a terminal the live display replaces the logs; only warnings
		// and errors would interleave with it, so logs are dropped.
		s.log = slog.New(slog.DiscardHandler)
		s.progress = newProgress(stderr)
		observers = append(observers, s.progress)
	} else {
		opts := &slog.HandlerOptions{Level: slog.LevelInfo}
		if f.logFormat == "json" {
			s.log = slog.New(slog.NewJSONHandler(stderr, opts))
		} else {
			s.log = slog.New(slog.NewTextHandler(stderr, opts))
		}
		observers = append(observers, logObserver{log: s.log})
	}
	observers = append(observers, extra...)
	h, err := harvest.New(harvest.Options{
		Config:   cfg,
		Store:    st,
		Only:     f.onlyList(),
		Full:     f.full,
		Observer: observers,
		Logger:   slog.New(slog.DiscardHandler), // events above carry what matters
		Fetcher:  fetcher,
		Executor: executor,
	})
	if err != nil {
		s.coord.close()
		st.Close()
		if s.progress != nil {
			s.progress.Close()
		}
		return nil, err
	}
	s.h = h
	if s.coord != nil {
		s.coord.standby(cfg, h.ExecuteDetail)
	}
	return s, nil
}

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("run", stderr)
	var f harvestFlags
	f.register(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %s", strings.Join(fs.Args(), " "))
	}
	s, err := newSession(ctx, f, stderr)
	if err != nil {
		return err
	}
	sums, err := s.h.Sweep(ctx)
	if s.progress != nil {
		s.progress.Close()
	}
	s.closeStore()
	printSummary(stdout, sums)
	switch {
	case ctx.Err() != nil:
		return errors.New("采集被中断；已提交的结果已保存，下次运行从中断处继续")
	case err != nil:
		// Only the store (or the context) fails a run; sites that could not be
		// reached are in the table and the store, not a command failure.
		return fmt.Errorf("采集未完成: %w", err)
	}
	return nil
}
