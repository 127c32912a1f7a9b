package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/internal/cli"
	"gongkai/reports"
)

func init() {
	program.Add(cli.Command{
		Name:    "schedule",
		Summary: "每周定时生成报告到目录（DIR/YYYY-Www/），并写出与上周相比的变化",
		Run:     runSchedule,
	})
}

// weekDirPattern matches the directories schedule writes (ISO weeks).
var weekDirPattern = regexp.MustCompile(`^\d{4}-W\d{2}$`)

// runSchedule writes one week's report into DIR/YYYY-Www/ (ISO week of the
// as-of date): report.html, report.xlsx, report.json (by default), and
// 变化.md / changes.json comparing it with the newest earlier week in DIR.
// With --once it does that for --as-of (default today) and exits; otherwise
// it waits for each --weekday at --at (China time) until stopped. A cron
// job or systemd timer running `reporter schedule --once` does the same
// (docs/reports.md).
func runSchedule(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("schedule", stderr)
	var af auditFlags
	af.register(fs)
	out := fs.String("out", "", "报告目录（必填）；每周写入 目录/YYYY-Www/")
	weekday := fs.Int("weekday", 1, "每周哪天生成：1=周一 … 7=周日")
	at := fs.String("at", "08:00", "生成时刻（北京时间 HH:MM）")
	once := fs.Bool("once", false, "立即生成一次后退出（配合 cron/systemd 定时器使用）")
	asOf := fs.String("as-of", "", "截止日期（仅与 --once 一起使用；默认今天）")
	formatList := fs.String("format", "html,xlsx,json", "报告格式，逗号分隔；json 总会写出（用于比较变化）")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %s", strings.Join(fs.Args(), " "))
	}
	if *out == "" {
		return cli.Usagef("缺少 --out 报告目录")
	}
	if *weekday < 1 || *weekday > 7 {
		return cli.Usagef("--weekday 应为 1（周一）到 7（周日），不是 %d", *weekday)
	}
	hour, minute, err := parseClock(*at)
	if err != nil {
		return err
	}
	if *asOf != "" && !*once {
		return cli.Usagef("--as-of 只能与 --once 一起使用")
	}
	formats, err := reports.ParseFormats([]string{*formatList})
	if err != nil {
		return cli.UsageError{Msg: err.Error()}
	}
	if !slices.Contains(formats, "json") {
		formats = append(formats, "json")
	}
	var asOfDate calendar.Date
	if *asOf != "" {
		if asOfDate, err = parseUserDate("--as-of", *asOf); err != nil {
			return err
		}
	}
	a, err := af.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("无法创建报告目录: %w", err)
	}

	if *once {
		if asOfDate.IsZero() {
			asOfDate = calendar.FromTime(time.Now().In(calendar.China))
		}
		return runWeek(ctx, a, *out, asOfDate, formats, stdout)
	}
	for {
		next := nextRun(time.Now().In(calendar.China), time.Weekday(*weekday%7), hour, minute)
		fmt.Fprintf(stdout, "下次生成: %s\n", next.Format("2006-01-02 15:04 MST"))
		timer := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
		// A failed week is reported and retried next week; the schedule
		// itself keeps running.
		if err := runWeek(ctx, a, *out, calendar.FromTime(next), formats, stdout); err != nil {
			fmt.Fprintf(stderr, "reporter schedule: %s 的报告失败: %v\n", calendar.FromTime(next), err)
		}
	}
}

// runWeek builds the report as of asOf, writes it into its ISO-week
// directory and writes what changed since the newest earlier week.
func runWeek(ctx context.Context, a *auditEnv, root string, asOf calendar.Date, formats []string, stdout io.Writer) error {
	opts, err := a.options(asOf)
	if err != nil {
		return err
	}
	rep, err := audit.Build(ctx, a.store, opts)
	if err != nil {
		return fmt.Errorf("生成报告失败: %w", err)
	}
	week := isoWeekDir(asOf)
	dir := filepath.Join(root, week)
	var targets []reportTarget
	for _, f := range formats {
		targets = append(targets, reportTarget{f, filepath.Join(dir, "report"+reports.FormatExt(f))})
	}
	if err := renderFiles(rep, targets); err != nil {
		return err
	}
	prev, prevWeek, err := previousWeekReport(root, week)
	if err != nil {
		return err
	}
	changes := reports.Diff(prev, rep)
	if err := writeFileAtomic(filepath.Join(dir, "changes.json"), func(w io.Writer) error { return reports.RenderChangesJSON(w, changes) }); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, "变化.md"), func(w io.Writer) error { return reports.RenderChangesMarkdown(w, changes) }); err != nil {
		return err
	}
	since := "首次报告"
	if prev != nil {
		since = "与 " + prevWeek + " 相比"
	}
	fmt.Fprintf(stdout, "%s: 截至 %s 的报告已写入 %s（%s：新增问题 %d，已解决 %d，变化 %d，栏目健康变化 %d）\n",
		week, asOf, dir, since, len(changes.New), len(changes.Resolved), len(changes.Changed), len(changes.Columns))
	return nil
}

// isoWeekDir names the directory of the ISO week holding d: 2020-W53.
func isoWeekDir(d calendar.Date) string {
	y, w := d.Time().ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// previousWeekReport reads report.json of the newest week directory before
// week; nil when there is none.
func previousWeekReport(root, week string) (*audit.Report, string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, "", err
	}
	var weeks []string
	for _, e := range entries {
		if e.IsDir() && weekDirPattern.MatchString(e.Name()) && e.Name() < week {
			if _, err := os.Stat(filepath.Join(root, e.Name(), "report.json")); err == nil {
				weeks = append(weeks, e.Name())
			}
		}
	}
	if len(weeks) == 0 {
		return nil, "", nil
	}
	slices.Sort(weeks)
	last := weeks[len(weeks)-1]
	f, err := os.Open(filepath.Join(root, last, "report.json"))
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	r, err := reports.ReadJSON(f)
	if err != nil {
		return nil, "", fmt.Errorf("读取上期报告 %s 失败: %w", f.Name(), err)
	}
	return r, last, nil
}

// parseClock reads HH:MM.
func parseClock(s string) (hour, minute int, err error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, 0, cli.Usagef("--at %q 不是 HH:MM 格式的时刻", s)
	}
	return t.Hour(), t.Minute(), nil
}

// nextRun is the first moment strictly after now that falls on weekday at
// hour:minute in now's zone.
func nextRun(now time.Time, weekday time.Weekday, hour, minute int) time.Time {
	t := time.Date(now.Year(), now.Month(), now.Day(), hour, minute, 0, 0, now.Location())
	for i := 0; i < 8; i++ {
		if t.Weekday() == weekday && t.After(now) {
			return t
		}
		t = t.AddDate(0, 0, 1)
	}
	return t
}
