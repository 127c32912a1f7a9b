package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"gongkai/internal/auditsetup"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/internal/cli"
	"gongkai/region"
	"gongkai/reports"
	"gongkai/store"
)

func init() {
	program.Add(cli.Command{
		Name:    "report",
		Summary: "生成核查报告（JSON、HTML、XLSX、CSV、Markdown）",
		Run:     runReport,
	})
}

// runReport builds the report for one as-of date and writes it in one or
// more formats. With one format --out is the file ("-" = stdout) or an
// existing directory; with several formats (repeated --format or
// "html,xlsx,json") --out is a directory and the files are named
// report-<as-of>.<ext>.
func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("report", stderr)
	var af auditFlags
	af.register(fs)
	asOf := fs.String("as-of", "", "截止日期（必填），如 2020-12-31、2020年12月31日")
	var formats repeatedFlag
	fs.Var(&formats, "format", "报告格式 json|html|xlsx|csv|md，可重复或用逗号分隔（多个格式时 --out 为目录）；all 为全部")
	out := fs.String("out", "", "输出文件；多个格式时为目录；- 为标准输出")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %s", strings.Join(fs.Args(), " "))
	}
	if *asOf == "" {
		return cli.Usagef("缺少 --as-of 截止日期，如 --as-of 2020-12-31")
	}
	if len(formats) == 0 {
		return cli.Usagef("缺少 --format（json、html、xlsx、csv 或 md）")
	}
	fmts, err := reports.ParseFormats(formats)
	if err != nil {
		return cli.UsageError{Msg: err.Error()}
	}
	if *out == "" {
		return cli.Usagef("缺少 --out 输出路径")
	}
	asOfDate, err := parseUserDate("--as-of", *asOf)
	if err != nil {
		return err
	}
	targets, err := reportTargets(*out, fmts, asOfDate)
	if err != nil {
		return err
	}
	a, err := af.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	opts, err := a.options(asOfDate)
	if err != nil {
		return err
	}
	rep, err := audit.Build(ctx, a.store, opts)
	if err != nil {
		return fmt.Errorf("生成报告失败: %w", err)
	}
	if len(targets) == 1 && targets[0].path == "-" {
		return reports.Render(stdout, rep, targets[0].format)
	}
	if err := renderFiles(rep, targets); err != nil {
		return err
	}
	for _, t := range targets {
		fmt.Fprintf(stdout, "%s: %s\n", t.format, t.path)
	}
	return nil
}

// renderFiles writes the report in each target's format, the formats
// concurrently (the renderers only read the report; on two cores the
// workbook renders while JSON and HTML do). Every file is written
// atomically; the first error is returned after all have finished.
func renderFiles(rep *audit.Report, targets []reportTarget) error {
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := writeFileAtomic(t.path, func(w io.Writer) error { return reports.Render(w, rep, t.format) }); err != nil {
				errs[i] = fmt.Errorf("写入 %s 失败: %w", t.path, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

type reportTarget struct{ format, path string }

// reportTargets decides where each format goes (see runReport).
func reportTargets(out string, formats []string, asOf calendar.Date) ([]reportTarget, error) {
	isDir := false
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		isDir = true
	}
	if len(formats) > 1 {
		if out == "-" {
			return nil, cli.Usagef("多个格式不能写到标准输出；--out 应为目录")
		}
		if !isDir {
			if _, err := os.Stat(out); err == nil {
				return nil, cli.Usagef("多个格式时 --out 应为目录，%s 是文件", out)
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return nil, fmt.Errorf("无法创建输出目录: %w", err)
			}
		}
		isDir = true
	}
	var ts []reportTarget
	for _, f := range formats {
		p := out
		if isDir {
			p = filepath.Join(out, "report-"+asOf.String()+reports.FormatExt(f))
		}
		ts = append(ts, reportTarget{f, p})
	}
	return ts, nil
}

// writeFileAtomic writes through a temporary file in the same directory
// and renames it into place, so a failed render never leaves half a report
// where last week's complete one was.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// repeatedFlag collects a flag given several times.
type repeatedFlag []string

func (r *repeatedFlag) String() string     { return strings.Join(*r, ",") }
func (r *repeatedFlag) Set(v string) error { *r = append(*r, v); return nil }

// auditFlags are the flags every audit command shares: where the store
// and the configuration are, and what to narrow the audit to.
type auditFlags struct {
	storeURL, configPath, holidays, rules string
	from, to, county, item                string
}

func (f *auditFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.storeURL, "store", store.DefaultURL, "存储地址: sqlite://路径 或 redis://主机:端口/库号")
	fs.StringVar(&f.configPath, "config", "", "站点配置文件 sites.yaml（必填）")
	fs.StringVar(&f.holidays, "holidays", "", "补充节假日安排文件（holiday-cn 格式 JSON，多个用逗号分隔）")
	fs.StringVar(&f.rules, "rules", "", "补充或替换内置归类规则的文件（YAML）")
	fs.StringVar(&f.from, "from", "", "审核期间起始日期（按记录形成日期）")
	fs.StringVar(&f.to, "to", "", "审核期间截止日期（按记录形成日期）")
	fs.StringVar(&f.county, "county", "", "只审核一个县区（名称、简称或区划代码）")
	fs.StringVar(&f.item, "item", "", "只审核一个目录事项，如 2.1")
}

// auditEnv is everything Build needs except the dates and filters of one run.
type auditEnv struct {
	*auditsetup.Setup
	flags auditFlags
	store store.Store
}

// open validates the flags, reads the configuration, county catalogues,
// holidays and rules, and opens the store. Argument mistakes are usage
// errors (exit 2); an unreadable file or store is a failure (exit 1).
func (f auditFlags) open(ctx context.Context, stderr io.Writer) (*auditEnv, error) {
	if f.configPath == "" {
		return nil, cli.Usagef("缺少 --config 站点配置文件（sites.yaml）")
	}
	setup, err := auditsetup.Load(f.configPath, splitFlagList(f.holidays), f.rules)
	if err != nil {
		return nil, summariseError(stderr, err)
	}
	a := &auditEnv{Setup: setup, flags: f}
	if _, err := a.resolveCounty(f.county); err != nil {
		return nil, err
	}
	if err := a.checkItem(f.item); err != nil {
		return nil, err
	}
	if err := checkStoreExists(f.storeURL); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, f.storeURL)
	if err != nil {
		return nil, fmt.Errorf("无法打开存储: %w", err)
	}
	a.store = st
	return a, nil
}

func (a *auditEnv) close() {
	if a.store != nil {
		a.store.Close()
	}
}

// options returns Build's options for one as-of date with the flags'
// period and filters.
func (a *auditEnv) options(asOf calendar.Date) (audit.Options, error) {
	o := a.Options(asOf, time.Now())
	o.Item = a.flags.item
	var err error
	if o.County, err = a.resolveCounty(a.flags.county); err != nil {
		return o, err
	}
	if a.flags.from != "" {
		if o.From, err = parseUserDate("--from", a.flags.from); err != nil {
			return o, err
		}
	}
	if a.flags.to != "" {
		if o.To, err = parseUserDate("--to", a.flags.to); err != nil {
			return o, err
		}
	}
	if !o.From.IsZero() && !o.To.IsZero() && o.To < o.From {
		return o, cli.Usagef("--to %s 早于 --from %s", o.To, o.From)
	}
	if !o.To.IsZero() && o.To > asOf {
		return o, cli.Usagef("--to %s 晚于截止日期 %s", o.To, asOf)
	}
	return o, nil
}

// resolveCounty turns what the user typed (泽州县, 泽州, 140525) into the
// county's official name as the configuration has it.
func (a *auditEnv) resolveCounty(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	var names []string
	for _, c := range a.Config.Counties {
		names = append(names, c.County)
		if s == c.County || s == c.Code {
			return c.County, nil
		}
	}
	if rc, ok := region.Lookup(s); ok && slices.Contains(names, rc.Name) {
		return rc.Name, nil
	}
	return "", cli.Usagef("未知县区 %q（配置中的县区: %s）", s, strings.Join(names, "、"))
}

// checkItem accepts an item code any county's catalogue has.
func (a *auditEnv) checkItem(code string) error {
	if code == "" {
		return nil
	}
	var known []string
	for _, c := range a.Config.Counties {
		for _, k := range a.Catalogues[c.County].Codes() {
			if k == code {
				return nil
			}
			if !slices.Contains(known, k) {
				known = append(known, k)
			}
		}
	}
	slices.SortFunc(known, catalogue.CompareCodes)
	return cli.Usagef("未知目录事项 %q（可用: %s）", code, strings.Join(known, " "))
}

// parseUserDate reads a date in any form users write; a bad one is a usage
// error naming the flag.
func parseUserDate(flagName, s string) (calendar.Date, error) {
	d, err := calendar.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return 0, cli.Usagef("%s %q 不是有效日期（如 2020-12-31、2020/12/31、2020年12月31日）", flagName, s)
	}
	return d, nil
}

// checkStoreExists refuses a sqlite store file that does not exist: opening
// it would create an empty database and produce a report of nothing.
func checkStoreExists(raw string) error {
	if raw == "" {
		raw = store.DefaultURL
	}
	u, err := url.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, "sqlite") {
		return nil // other schemes: store.Open says what is wrong
	}
	p := u.Host + u.Path
	if u.Opaque != "" {
		p = u.Opaque
	}
	if p == "" {
		return nil
	}
	if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("存储文件 %s 不存在（先用 reporter import 导入记录、harvester run 采集）", p)
	}
	return nil
}

// splitList splits a comma-separated flag value.
func splitFlagList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// summariseError prints every line of a multi-line error (a configuration
// file with several mistakes) to stderr and returns a one-line reason.
func summariseError(stderr io.Writer, err error) error {
	lines := strings.Split(strings.TrimSpace(err.Error()), "\n")
	if len(lines) <= 1 {
		return err
	}
	for _, l := range lines {
		fmt.Fprintln(stderr, l)
	}
	return fmt.Errorf("%s（共 %d 处问题，见上）", lines[0], len(lines))
}
