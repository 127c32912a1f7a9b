// Command demo runs gongkai's whole job on the built-in simulated world:
// it serves six county sites and the credit-system mock on 127.0.0.1,
// imports the world's expected records, harvests every source into a fresh
// embedded store, builds the audit and writes the HTML, XLSX, JSON and
// Markdown reports — then says where they are and how far the report agrees
// with the world's ground truth.
//
// No real site is contacted: everything is served on loopback.
package main

import (
	"context"
	"flag"
	"fmt"
	"gongkai/internal/texttable"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/internal/auditsetup"
	"gongkai/records"
	"gongkai/reports"
	"gongkai/sim"
	"gongkai/sources/harvest"
	"gongkai/store"
	_ "gongkai/store/sqlite"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dir := fs.String("out", "demo", "输出目录（报告、配置、存储）")
	seed := fs.Int64("seed", 1, "模拟世界的随机种子")
	asOfText := fs.String("as-of", "2020-12-31", "审核截止日期（模拟世界的“今天”）")
	size := fs.String("size", "small", "模拟世界规模: small 或 large")
	serve := fs.Bool("serve", false, "完成后继续运行模拟站点，直到 Ctrl-C")
	if err := fs.Parse(args); err != nil {
		return err
	}
	asOf, err := calendar.ParseDate(*asOfText)
	if err != nil {
		return fmt.Errorf("--as-of: %w", err)
	}
	sz, err := sim.ParseSize(*size)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}

	fmt.Fprintf(out, "1. 生成模拟世界（种子 %d，截止 %s）并在本机启动六个县区站点和信用公示系统模拟…\n", *seed, asOf)
	world, err := sim.Generate(sim.Options{Seed: *seed, AsOf: asOf, Size: sz})
	if err != nil {
		return err
	}
	srv, err := world.Serve()
	if err != nil {
		return err
	}
	defer srv.Close()
	for _, c := range world.Counties() {
		fmt.Fprintf(out, "   %s %-14s %s\n", pad(c, 8), world.Family(c), srv.SiteURL(c))
	}
	fmt.Fprintf(out, "   %s %s\n", catalogue.Credit, srv.CreditURL())

	sitesPath := filepath.Join(*dir, "sites.yaml")
	recordsPath := filepath.Join(*dir, "records.csv")
	for path, data := range map[string][]byte{
		sitesPath:                         world.SitesYAML(srv),
		recordsPath:                       world.RecordsCSV(),
		filepath.Join(*dir, "truth.json"): world.Truth().JSON(),
	} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}

	dbPath := filepath.Join(*dir, "gongkai.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(dbPath + suffix) // a fresh store each run: the demo starts from nothing
	}
	storeURL := "sqlite://" + dbPath
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		return err
	}
	defer st.Close()

	setup, err := auditsetup.Load(sitesPath, nil, "")
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "2. 导入应公开记录 %s …\n", recordsPath)
	recs, err := records.ReadFile(recordsPath, catalogue.Default(), setup.Calendar)
	if err != nil {
		return err
	}
	sum, err := st.ImportRecords(ctx, recs)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "   新增 %d 条，替换 %d 条，未变 %d 条\n", sum.Added, sum.Replaced, sum.Unchanged)

	fmt.Fprintln(out, "3. 采集各县区网站与信用公示系统（证据存为 WARC 记录）…")
	clock := sim.ObserverClock(asOf)
	h, err := harvest.New(harvest.Options{Config: setup.Config, Store: st, Now: clock})
	if err != nil {
		return err
	}
	started := time.Now()
	sums, err := h.Sweep(ctx)
	if err != nil {
		return err
	}
	var total harvest.Summary
	for _, s := range sums {
		total.Add(s)
		state := "完整"
		if !s.Complete {
			state = "不完整"
		}
		name := s.County
		if name == "" {
			name = string(catalogue.Credit)
		}
		fmt.Fprintf(out, "   %s 请求 %4d  新增 %4d  错误 %3d  %s\n", pad(name, 26), s.Pages, s.New, s.Errors, state)
	}
	fmt.Fprintf(out, "   共请求 %d 次，新增条目 %d 个，用时 %.1f 秒\n", total.Pages, total.New, time.Since(started).Seconds())

	fmt.Fprintln(out, "4. 比对目录与记录，判定公开状态，生成报告…")
	rep, err := audit.Build(ctx, st, setup.Options(asOf, clock()))
	if err != nil {
		return err
	}
	var written []string
	for _, format := range []string{"html", "xlsx", "json", "md"} {
		path := filepath.Join(*dir, "report-"+asOf.String()+reports.FormatExt(format))
		if err := writeReport(path, rep, format); err != nil {
			return err
		}
		written = append(written, path)
	}
	counts := map[audit.Status]int{}
	for _, f := range rep.Findings {
		counts[f.Status]++
	}
	fmt.Fprintf(out, "   %d 条记录×渠道: 按时 %d，逾期 %d，未公开 %d，未到期 %d，待核实 %d\n", len(rep.Findings),
		counts[audit.OnTime], counts[audit.Late], counts[audit.Missing], counts[audit.Pending], counts[audit.Unverified])
	printAgreement(out, agreement(rep, world.Truth()))

	fmt.Fprintln(out, "\n报告:")
	for _, p := range written {
		fmt.Fprintln(out, "  ", p)
	}
	fmt.Fprintf(out, "\n继续查询，例如:\n  go run ./cmd/reporter query --store %s --config %s --as-of %s --status late,missing\n", storeURL, sitesPath, asOf)
	fmt.Fprintf(out, "  go run ./cmd/harvester items --store %s --county 泽州县\n", storeURL)
	fmt.Fprintf(out, "\n在浏览器中查看（网页界面，仅本机可访问）:\n  go run ./cmd/reporter serve --store %s --config %s\n  然后打开 http://127.0.0.1:8080/?as_of=%s&county=泽州县&item=2.1&status=late\n", storeURL, sitesPath, asOf)

	if *serve {
		fmt.Fprintln(out, "\n模拟站点继续运行中，按 Ctrl-C 结束。")
		<-ctx.Done()
	}
	return nil
}

func writeReport(path string, rep *audit.Report, format string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := reports.Render(f, rep, format); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// disagreement is one (record, channel) whose status in the report differs
// from the world's ground truth.
type disagreement struct {
	County, Item, RecordNo, Channel string
	Want, Got                       string // statuses; Got "" when the report has no finding
	URL                             string // where the report found it, if it did
}

// agreed is how the report compares with the ground truth.
type agreed struct {
	Agree, Total int
	Diffs        []disagreement // in truth order
}

// agreement compares the report's (record, channel) statuses with the
// world's ground truth.
func agreement(rep *audit.Report, truth *sim.Truth) agreed {
	type key struct{ county, item, no, channel string }
	got := map[key]*audit.Finding{}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		got[key{f.County, f.Item, f.RecordNo, f.Channel}] = f
	}
	var a agreed
	for _, tr := range truth.Records {
		a.Total++
		f := got[key{tr.County, tr.Item, tr.RecordNo, string(tr.Channel)}]
		if f != nil && string(f.Status) == tr.Status {
			a.Agree++
			continue
		}
		d := disagreement{County: tr.County, Item: tr.Item, RecordNo: tr.RecordNo, Channel: string(tr.Channel), Want: tr.Status}
		if f != nil {
			d.Got, d.URL = string(f.Status), f.URL
		}
		a.Diffs = append(a.Diffs, d)
	}
	return a
}

// maxListedDiffs bounds the disagreements printed; the count is always exact.
const maxListedDiffs = 100

// printAgreement writes the exact agreement count — never a rounded share,
// which would hide a few disagreements among tens of thousands — and lists
// the disagreements.
func printAgreement(out io.Writer, a agreed) {
	if len(a.Diffs) == 0 {
		fmt.Fprintf(out, "   与模拟世界真值比对: %d/%d 一致\n", a.Agree, a.Total)
		return
	}
	fmt.Fprintf(out, "   与模拟世界真值比对: %d/%d 一致，%d 处不一致:\n", a.Agree, a.Total, len(a.Diffs))
	for i, d := range a.Diffs {
		if i == maxListedDiffs {
			fmt.Fprintf(out, "     …另有 %d 处未列出\n", len(a.Diffs)-i)
			break
		}
		got := "（报告中无此条）"
		if d.Got != "" {
			got = d.Got
		}
		line := fmt.Sprintf("     %s %s %s %s: 真值 %s，报告 %s", d.County, d.Item, d.RecordNo, d.Channel, d.Want, got)
		if d.URL != "" {
			line += "（" + d.URL + "）"
		}
		fmt.Fprintln(out, line)
	}
}

// pad right-pads s to a display width, counting CJK characters as two columns.
func pad(s string, width int) string {
	for w := texttable.Width(s); w < width; w++ {
		s += " "
	}
	return s
}
