package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/internal/cli"
	"gongkai/records"
	"gongkai/region"
	"gongkai/sources/config"
	"gongkai/store"
)

func init() {
	program.Add(cli.Command{
		Name:    "import",
		Summary: "导入应公开记录（CSV 或 XLSX），全部文件校验通过才写入",
		Run:     runImport,
	})
}

// runImport validates every file completely before touching the store: if
// any row of any file is bad, every bad row is printed to stderr as
// FILE:ROW: column: reason and nothing is imported (exit 1). Only then are
// the files imported, each in one store transaction (records.Record.Key
// identifies a record: re-importing the same rows changes nothing, a changed
// row replaces the stored one). Validating all files first means a typo in
// the third file cannot leave the first two half of an intended batch.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("import", stderr)
	storeURL := fs.String("store", store.DefaultURL, "存储地址: sqlite://路径 或 redis://主机:端口/库号")
	holidays := fs.String("holidays", "", "补充节假日安排文件（holiday-cn 格式 JSON，多个用逗号分隔），用于内置数据之外的年份")
	cfgPath := fs.String("config", "", "站点配置文件 (sites.yaml)：其中配置的县区（名称与区划代码）都可导入；不写时只认晋城市六县区和内置区划代码表中的代码")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return cli.Usagef("缺少要导入的文件（CSV 或 XLSX）")
	}

	cal := calendar.Default()
	if *holidays != "" {
		for _, f := range strings.Split(*holidays, ",") {
			if err := cal.LoadFile(strings.TrimSpace(f)); err != nil {
				return err
			}
		}
	}
	cat := catalogue.Default()
	var counties region.Set
	if *cfgPath != "" {
		cfg, err := config.Load(*cfgPath)
		if err != nil {
			return err
		}
		counties = cfg.Divisions()
	}

	batches := make([][]records.Record, len(files))
	bad, badRows := 0, 0
	for i, f := range files {
		recs, err := records.ReadFileIn(f, cat, cal, counties)
		if err != nil {
			bad++
			var fe *records.FileErrors
			if errors.As(err, &fe) {
				badRows += len(fe.Rows)
			} else {
				badRows++
			}
			fmt.Fprintln(stderr, err)
			continue
		}
		batches[i] = recs
	}
	if bad > 0 {
		return fmt.Errorf("%d 个文件共 %d 处错误，未导入任何记录", bad, badRows)
	}

	st, err := store.Open(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer st.Close()
	for i, f := range files {
		sum, err := st.ImportRecords(ctx, batches[i])
		if err != nil {
			return fmt.Errorf("%s: 写入存储失败（该文件未导入）: %w", f, err)
		}
		fmt.Fprintf(stdout, "%s: 新增 %d 条, 替换 %d 条, 未变 %d 条\n", f, sum.Added, sum.Replaced, sum.Unchanged)
	}
	return nil
}

// parseInterleaved parses flags that may come before, between or after the
// file names (reporter import a.csv --store sqlite://x.db b.xlsx).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := cli.Parse(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return files, nil
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
}
