// Command simworld serves gongkai's simulated publication world on
// loopback: six Jincheng county sites of different CMS families and a mock
// of the enterprise credit publicity system. It writes the matching
// harvester configuration (sites.yaml), the expected records (records.csv)
// and the ground truth (truth.json), prints the addresses, and runs until
// Ctrl-C.
//
//	go run ./cmd/simworld --seed 1 --as-of 2020-12-31 --size small --out simworld
//
// --unfamiliar serves the unfamiliar variant of every county (sim.Options.Unfamiliar).
// --jsonapi puts 高平市 on a 集约化 JSON-API platform (sim.Options.JSONAPI);
// --script-list makes 城区's 食品安全抽检 render only with JavaScript
// (sim.Options.ScriptList).
//
// While it runs, each server answers admin requests on loopback:
// POST /_sim/advance?to=YYYY-MM-DD moves the world on (the files are
// rewritten), POST /_sim/faults?county=泽州县 with a JSON body switches
// faults, GET /_sim/stats, /_sim/truth.json, /_sim/records.csv, /_sim/sites.yaml.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"gongkai/calendar"
	"gongkai/sim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "simworld:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("simworld", flag.ContinueOnError)
	fs.SetOutput(stderr)
	seed := fs.Int64("seed", 1, "随机种子（同一种子生成完全相同的世界）")
	asOf := fs.String("as-of", "2020-12-31", "世界的“今天” YYYY-MM-DD")
	start := fs.String("start", "", "记录形成的起始日 YYYY-MM-DD（默认：as-of 前一年）")
	size := fs.String("size", "small", "规模：small（测试用，数百页）或 large（基准测试用，三万页以上）")
	out := fs.String("out", "simworld", "输出目录：records.csv、truth.json、sites.yaml")
	unfamiliar := fs.Bool("unfamiliar", false, "陌生站点变体：六县各换成其 CMS 家族的另一种真实写法（变量 ajaxParam、仅 _pageCount、扫描件 PDF、决定书全文、检验依据写在正文、404号决定、工作动态里的宣传周活动、置顶说明、脚本填充的空壳栏目、暂无信息空栏目），见 sim/README.md")
	jsonAPI := fs.Bool("jsonapi", false, "高平市换成省级集约化平台：栏目页是空壳，列表来自 JSON 接口 /api/cms/list（带 total），详情仍是网页")
	scriptList := fs.Bool("script-list", false, "城区的食品安全抽检栏目只有执行脚本后才显示列表（条目编码在页内脚本里），采集须 render: browser")
	addrBase := fs.String("addr-base", "", "固定端口起点，如 127.0.0.1:18000（六县依次 18000–18005，信用系统 18006）；默认随机端口")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("多余的参数 %q", fs.Args())
	}
	opts := sim.Options{Seed: *seed, Unfamiliar: *unfamiliar, JSONAPI: *jsonAPI, ScriptList: *scriptList}
	var err error
	if opts.AsOf, err = calendar.ParseISO(*asOf); err != nil {
		return fmt.Errorf("--as-of: %w", err)
	}
	if *start != "" {
		if opts.Start, err = calendar.ParseISO(*start); err != nil {
			return fmt.Errorf("--start: %w", err)
		}
	}
	if opts.Size, err = sim.ParseSize(*size); err != nil {
		return fmt.Errorf("--size: %w", err)
	}
	w, err := sim.Generate(opts)
	if err != nil {
		return err
	}
	srv, err := w.ServeOn(*addrBase)
	if err != nil {
		return err
	}
	defer srv.Close()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	dir, _ := filepath.Abs(*out)
	write := func() error {
		for name, data := range map[string][]byte{
			"records.csv": w.RecordsCSV(),
			"truth.json":  w.Truth().JSON(),
			"sites.yaml":  w.SitesYAML(srv),
		} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	if err := write(); err != nil {
		return err
	}
	w.OnAdvance(func(d calendar.Date) {
		if err := write(); err != nil {
			fmt.Fprintln(stderr, "simworld: 写文件失败:", err)
			return
		}
		fmt.Fprintf(stdout, "世界已推进到 %s，已重写 %s\n", d, dir)
	})
	fmt.Fprintf(stdout, "模拟世界 seed=%d as_of=%s 规模=%s\n", opts.Seed, w.AsOf(), opts.Size)
	if opts.Unfamiliar {
		fmt.Fprintln(stdout, "陌生站点变体（--unfamiliar）：见 sim/README.md")
	}
	for _, c := range w.Counties() {
		fmt.Fprintf(stdout, "  %-6s %s  (%s)\n", c, srv.SiteURL(c), w.Family(c))
	}
	fmt.Fprintf(stdout, "  %-6s %s  (挑战县：%s)\n", "信用公示系统", srv.CreditURL(), sim.ChallengedCounty)
	fmt.Fprintf(stdout, "配置:     %s\n", filepath.Join(dir, "sites.yaml"))
	fmt.Fprintf(stdout, "预期记录: %s\n", filepath.Join(dir, "records.csv"))
	fmt.Fprintf(stdout, "真值:     %s\n", filepath.Join(dir, "truth.json"))
	fmt.Fprintf(stdout, "推进时间: curl -X POST '%s/_sim/advance?to=YYYY-MM-DD'\n", srv.CreditURL())
	fmt.Fprintln(stdout, "按 Ctrl-C 退出")
	<-ctx.Done()
	fmt.Fprintln(stdout, "已停止")
	return nil
}
