// Command weeklybench measures the weekly sweep an office runs: the small
// simulated world is harvested once into a fresh store (politeness off:
// this only sets the store up), moved on --days days, the records formed
// meanwhile imported, and then swept as scheduled at the configured
// politeness (default 1 request/s per host: harvest delay 1s, per_host 1)
// — incremental walks of the county sites and incremental credit lookups
// (sources/credit/schedule.go). It prints, per host, the requests the
// simulated servers counted and the wall time of that source's sweep, the
// credit sweep's account of what it looked up and what it carried, and the
// wall time of the whole sweep against the target of 2 minutes.
// bench/weekly/run.sh builds and runs it.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"gongkai/bench/internal/machine"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/internal/texttable"
	"gongkai/records"
	"gongkai/sim"
	"gongkai/sources/config"
	"gongkai/sources/credit"
	"gongkai/sources/harvest"
	"gongkai/store"
	_ "gongkai/store/sqlite"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "weeklybench:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("weeklybench", flag.ContinueOnError)
	seed := fs.Int64("seed", 1, "world seed")
	days := fs.Int("days", 7, "days the world moves on between the two sweeps")
	delay := fs.Duration("delay", time.Second, "politeness delay between two requests to one host in the weekly sweep")
	perHost := fs.Int("per-host", 1, "requests in flight per host in the weekly sweep")
	full := fs.Bool("full", false, "make the weekly sweep a full one (--full), for comparison")
	dir := fs.String("dir", "", "working directory (default: a temporary one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	work := *dir
	var err error
	if work == "" {
		if work, err = os.MkdirTemp("", "weeklybench"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	ctx := context.Background()

	w, err := sim.Generate(sim.Options{Seed: *seed, Size: sim.Small})
	if err != nil {
		return err
	}
	srv, err := w.Serve()
	if err != nil {
		return err
	}
	defer srv.Close()
	cfgPath := filepath.Join(work, "sites.yaml")
	if err := os.WriteFile(cfgPath, w.SitesYAML(srv), 0o644); err != nil {
		return err
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, "sqlite://"+filepath.Join(work, "weekly.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	if err := importRecords(ctx, st, w, work); err != nil {
		return err
	}

	// The first sweep sets the store up; it is not what is measured.
	first := *cfg
	first.Harvest.Delay = 0
	t0 := time.Now()
	sums, err := sweep(ctx, &first, st, w, false)
	if err != nil {
		return fmt.Errorf("first sweep: %w", err)
	}
	fmt.Printf("世界: small, 种子 %d；首次采集（%s，礼貌延迟关闭，仅用于建立存储）用时 %s，%d 次请求，其中信用公示系统 %d 次"+
		"（每次采集都全部重查时的量：按每秒 1 次约 %.0f 分钟）\n",
		*seed, w.AsOf(), time.Since(t0).Round(time.Millisecond), pages(sums), srv.Requests("gsxt").Total, float64(srv.Requests("gsxt").Total)/60)

	from := w.AsOf()
	w.AdvanceTo(from.AddDays(*days))
	if err := importRecords(ctx, st, w, work); err != nil {
		return err
	}
	srv.ResetRequests()
	weekly := *cfg
	weekly.Harvest.Delay, weekly.Harvest.PerHost = *delay, *perHost
	t0 = time.Now()
	sums, err = sweep(ctx, &weekly, st, w, *full)
	wall := time.Since(t0)
	if err != nil {
		return fmt.Errorf("weekly sweep: %w", err)
	}

	kind := "增量"
	if *full {
		kind = "完整（--full）"
	}
	fmt.Printf("世界前进 %d 天到 %s，导入该周记录后%s采集，礼貌策略: 每主机延迟 %s，并发 %d\n\n", *days, w.AsOf(), kind, *delay, *perHost)
	var rows [][]string
	total := 0
	for _, s := range sums {
		host, name := s.County, s.County
		if host == "" {
			host, name = "gsxt", s.Source
		}
		r := srv.Requests(host)
		total += r.Total
		rows = append(rows, []string{name, fmt.Sprint(r.Total), fmt.Sprint(r.NotModified), fmt.Sprint(r.Challenge), fmt.Sprint(s.New),
			fmt.Sprintf("%.1f", s.Finished.Sub(s.Started).Seconds())})
	}
	rows = append(rows, []string{"合计", fmt.Sprint(total), "", "", "", fmt.Sprintf("%.1f", wall.Seconds())})
	texttable.Write(os.Stdout, []string{"主机（来源）", "请求数", "其中304", "质询", "新增", "用时(s)"}, rows, 0)
	for _, s := range sums {
		if c := s.Credit; c != nil {
			var why []string
			for _, r := range credit.Reasons {
				if n := c.Why[r]; n > 0 {
					why = append(why, fmt.Sprintf("%s %d", r.Label(), n))
				}
			}
			fmt.Printf("\n信用查询：本次查询 %d 家（%s），沿用上次观察 %d 家；共 %d 家\n", c.Looked, strings.Join(why, "、"), c.Carried, c.Targets)
		}
	}
	verdict := "达到"
	if wall > 2*time.Minute {
		verdict = "未达到"
	}
	fmt.Printf("\n每周采集总用时 %.1f s（目标 ≤ 120 s：%s）\n", wall.Seconds(), verdict)
	fmt.Printf("负载（1/5/15 分钟）: %s\n", machine.LoadAverage())
	return nil
}

// sweep runs one sweep of every source on the world's clock.
func sweep(ctx context.Context, cfg *config.Config, st store.Store, w *sim.World, full bool) ([]harvest.Summary, error) {
	h, err := harvest.New(harvest.Options{Config: cfg, Store: st, Full: full, Now: sim.ObserverClock(w.AsOf())})
	if err != nil {
		return nil, err
	}
	sums, err := h.Sweep(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(sums, func(a, b harvest.Summary) int {
		return cmp.Compare(b.Finished.Sub(b.Started), a.Finished.Sub(a.Started))
	})
	return sums, nil
}

// importRecords imports the world's records as of its current day, as the
// office does before each weekly sweep.
func importRecords(ctx context.Context, st store.Store, w *sim.World, dir string) error {
	path := filepath.Join(dir, "records.csv")
	if err := os.WriteFile(path, w.RecordsCSV(), 0o644); err != nil {
		return err
	}
	recs, err := records.ReadFile(path, catalogue.Default(), calendar.Default())
	if err != nil {
		return err
	}
	_, err = st.ImportRecords(ctx, recs)
	return err
}

func pages(sums []harvest.Summary) int {
	n := 0
	for _, s := range sums {
		n += s.Pages
	}
	return n
}
