package main

import (
	"bufio"
	"context"
	"fmt"
	"gongkai"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gongkai/calendar"
	"gongkai/internal/cli"
	"gongkai/region"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
	"gongkai/store"
)

func init() {
	program.Add(cli.Command{
		Name:    "export-warc",
		Summary: "把存储中的存档记录导出为标准 WARC 文件（.warc.gz，可用 pywb、ReplayWeb.page 回放）",
		Run:     exportWARCCmd,
	})
}

// warcFilter selects captures for an export; zero fields match all.
type warcFilter struct {
	County   string        // canonical county name
	From, To calendar.Date // capture dates in China time, inclusive
}

func (f warcFilter) match(c gongkai.Capture) bool {
	if f.County != "" && c.County != f.County {
		return false
	}
	d := calendar.FromTime(c.At.In(calendar.China))
	if !f.From.IsZero() && d < f.From {
		return false
	}
	if !f.To.IsZero() && d > f.To {
		return false
	}
	return true
}

// warcExportStats counts what an export wrote.
type warcExportStats struct {
	Types         map[string]int // WARC-Type → records written
	Selected      int            // captures matching the filter
	Referred      int            // originals outside the filter written for a revisit that refers to them
	NoRequest     int            // captures stored without a request record (older stores)
	UnknownCounty int            // captures whose county is unknown (left out of a county export)
}

func exportWARCCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("export-warc", stderr)
	storeURL := fs.String("store", store.DefaultURL, "存储地址")
	county := fs.String("county", "", "只导出该县区的记录（名称、简称或区划代码）")
	from := fs.String("from", "", "只导出该日（含）以后抓取的记录，YYYY-MM-DD，北京时间")
	to := fs.String("to", "", "只导出该日（含）以前抓取的记录，YYYY-MM-DD，北京时间")
	out := fs.String("out", "", "输出文件（.warc.gz）")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %s", strings.Join(fs.Args(), " "))
	}
	if *out == "" {
		return cli.Usagef("缺少 --out（输出的 .warc.gz 文件）")
	}
	var f warcFilter
	if *county != "" {
		c, ok := region.Lookup(*county)
		if !ok {
			return cli.Usagef("--county: 不认识的县区 %q", *county)
		}
		f.County = c.Name
	}
	var err error
	if *from != "" {
		if f.From, err = calendar.ParseISO(*from); err != nil {
			return cli.Usagef("--from: %v", err)
		}
	}
	if *to != "" {
		if f.To, err = calendar.ParseISO(*to); err != nil {
			return cli.Usagef("--to: %v", err)
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To < f.From {
		return cli.Usagef("--to（%s）早于 --from（%s）", f.To, f.From)
	}
	st, err := openStore(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer st.Close()

	// Write beside the target and rename: a failed export leaves no
	// truncated file that looks like evidence.
	dir := filepath.Dir(*out)
	tmp, err := os.CreateTemp(dir, ".export-*.warc.gz")
	if err != nil {
		return fmt.Errorf("无法创建输出文件: %w", err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	stats, err := exportWARC(ctx, st, f, filepath.Base(*out), time.Now(), bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("导出 %s 失败: %w", *out, err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("导出 %s 失败: %w", *out, err)
	}
	total := 0
	for _, n := range stats.Types {
		total += n
	}
	fmt.Fprintf(stdout, "已写出 %s：%d 条 WARC 记录（warcinfo %d，response %d，revisit %d，request %d），覆盖 %d 次抓取\n",
		*out, total, stats.Types["warcinfo"], stats.Types["response"], stats.Types["revisit"], stats.Types["request"], stats.Selected)
	if n := stats.Types["resource"]; n > 0 {
		fmt.Fprintf(stdout, "其中 %d 条 resource 记录是浏览器渲染后的页面（render: browser），与渲染所用的应答记录一起导出\n", n)
	}
	if stats.Referred > 0 {
		fmt.Fprintf(stdout, "另含 %d 条筛选范围以外的原始记录：范围内的 revisit 记录引用它们，回放需要\n", stats.Referred)
	}
	if stats.NoRequest > 0 {
		fmt.Fprintf(stdout, "%d 次抓取没有请求记录（存储于保存请求记录之前）\n", stats.NoRequest)
	}
	if f.County != "" && stats.UnknownCounty > 0 {
		fmt.Fprintf(stdout, "%d 条记录不知所属县区（旧存储中的列表页等），未导出\n", stats.UnknownCounty)
	}
	return nil
}

// exportWARC writes a warcinfo record and then, in commit order, each
// selected capture's record followed by its request record. A selected
// revisit whose original lies outside the selection brings the original
// (and its request) along, written before it: without it the file cannot
// replay that page.
func exportWARC(ctx context.Context, st store.Store, f warcFilter, filename string, now time.Time, w io.Writer) (warcExportStats, error) {
	stats := warcExportStats{Types: map[string]int{}}
	var selected []string
	err := st.Captures(ctx, func(c gongkai.Capture) error {
		if f.County != "" && c.County == "" {
			stats.UnknownCounty++
		}
		if f.match(c) {
			selected = append(selected, c.ID)
		}
		return nil
	})
	if err != nil {
		return stats, err
	}
	stats.Selected = len(selected)

	desc := "gongkai 政务公开监测的存档证据"
	var scope []string
	if f.County != "" {
		scope = append(scope, "县区 "+f.County)
	}
	if !f.From.IsZero() {
		scope = append(scope, "自 "+f.From.String())
	}
	if !f.To.IsZero() {
		scope = append(scope, "至 "+f.To.String())
	}
	if len(scope) > 0 {
		desc += "（" + strings.Join(scope, "，") + "，按抓取日期的北京时间）"
	}
	info, _, err := fetch.WARCInfo(now, filename, [][2]string{
		{"software", config.DefaultUserAgent},
		{"format", "WARC File Format 1.1"},
		{"conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"},
		{"description", desc},
		{"isPartOf", "gongkai"},
	})
	if err != nil {
		return stats, err
	}
	if _, err := w.Write(info); err != nil {
		return stats, err
	}
	stats.Types["warcinfo"]++

	written := map[string]bool{}
	var write func(id string, referred bool) error
	write = func(id string, referred bool) error {
		if written[id] {
			return nil
		}
		c, ok, err := st.Capture(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			if referred {
				return nil // the original is gone from the store; the revisit still says what it was
			}
			return fmt.Errorf("记录 %s 在导出过程中消失", id)
		}
		fields, err := fetch.RecordFields(c.WARC)
		if err != nil {
			return fmt.Errorf("记录 %s（%s）: %w", id, c.URL, err)
		}
		if ref := fields["warc-refers-to"]; ref != "" && !written[ref] {
			if err := write(ref, true); err != nil {
				return err
			}
		}
		written[id] = true
		if referred {
			stats.Referred++
		}
		if _, err := w.Write(c.WARC); err != nil {
			return err
		}
		stats.Types[fields["warc-type"]]++
		if len(c.Request) == 0 {
			if fields["warc-type"] != "resource" { // a rendered page (render: browser) was never requested as such
				stats.NoRequest++
			}
			return nil
		}
		if _, err := w.Write(c.Request); err != nil {
			return err
		}
		stats.Types["request"]++
		return nil
	}
	for _, id := range selected {
		if err := ctx.Err(); err != nil {
			return stats, err
		}
		if err := write(id, false); err != nil {
			return stats, err
		}
	}
	return stats, nil
}
