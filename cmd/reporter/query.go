package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai/audit"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/internal/cli"
	"gongkai/reports"
)

func init() {
	program.Add(cli.Command{
		Name:    "query",
		Summary: "按县区、事项、状态、渠道、期间查询核查结果（表格、JSON 或 CSV）",
		Run:     runQuery,
	})
}

// runQuery answers ad-hoc questions — "every late penalty disclosure of
// 泽州县 this year" is
//
//	reporter query --config sites.yaml --county 泽州县 --item 2 --status late --year 2020
//
// It runs the same audit as `report` (as of today unless --as-of) and prints
// the findings that pass the filters.
func runQuery(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("query", stderr)
	var af auditFlags
	af.register(fs)
	asOf := fs.String("as-of", "", "截止日期（默认今天）")
	status := fs.String("status", "", "状态，多个用逗号分隔: ontime,late,missing,pending,unverified 或 按时公开、逾期公开、未公开、未到期、待核实；flagged 为需关注的全部")
	channel := fs.String("channel", "", "渠道: 政府网站 或 国家企业信用信息公示系统（可简写 网站、信用）")
	year := fs.Int("year", 0, "只看该年形成的记录（等同 --from YYYY-01-01 --to YYYY-12-31）")
	text := fs.String("q", "", "自由文本检索（文号、标题、当事人、网址、备注）")
	format := fs.String("format", "table", "输出格式 table|json|csv")
	fs.Lookup("item").Usage = "目录事项，如 2.1；多个用逗号分隔；2 表示 2.1–2.4 全部行政处罚"
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %s", strings.Join(fs.Args(), " "))
	}
	switch *format {
	case "table", "json", "csv":
	default:
		return cli.Usagef("不支持的输出格式 %q（可用: table、json、csv）", *format)
	}
	statuses, err := parseStatuses(*status)
	if err != nil {
		return err
	}
	channels, err := parseChannels(*channel)
	if err != nil {
		return err
	}
	if *year != 0 {
		if *year < 1949 || *year > 2200 {
			return cli.Usagef("--year %d 不是有效年份", *year)
		}
		if af.from != "" || af.to != "" {
			return cli.Usagef("--year 不能与 --from/--to 同时使用")
		}
		af.from = fmt.Sprintf("%d-01-01", *year)
		af.to = fmt.Sprintf("%d-12-31", *year)
	}
	itemSpec := af.item
	af.item = "" // checked below: it may be a list or a group
	asOfDate := calendar.FromTime(time.Now().In(calendar.China))
	if *asOf != "" {
		if asOfDate, err = parseUserDate("--as-of", *asOf); err != nil {
			return err
		}
	}
	if *year != 0 && calendar.Of(*year, 12, 31) > asOfDate {
		af.to = asOfDate.String() // this year so far
	}

	a, err := af.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	items, err := a.itemFilter(itemSpec)
	if err != nil {
		return err
	}
	opts, err := a.options(asOfDate)
	if err != nil {
		return err
	}
	if len(items) == 1 {
		opts.Item = items[0] // let the audit skip everything else
	}
	rep, err := audit.Build(ctx, a.store, opts)
	if err != nil {
		return fmt.Errorf("核查失败: %w", err)
	}
	found := audit.Filter{Items: items, Statuses: statuses, Channels: channels, Text: *text}.Apply(rep.Findings)

	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if found == nil {
			found = []audit.Finding{}
		}
		return enc.Encode(found)
	case "csv":
		sub := *rep
		sub.Findings = found
		return reports.RenderCSV(stdout, &sub)
	}
	return writeFindingsTable(stdout, found)
}

// filterFindings keeps the findings that match every given filter (nil =
// any): audit.Filter, the one implementation the web UI shares.
func filterFindings(all []audit.Finding, items []string, statuses []audit.Status, channels []string) []audit.Finding {
	return audit.Filter{Items: items, Statuses: statuses, Channels: channels}.Apply(all)
}

// parseStatuses reads --status (see audit.ParseStatuses).
func parseStatuses(s string) ([]audit.Status, error) {
	out, err := audit.ParseStatuses(splitFlagList(s))
	if err != nil {
		return nil, cli.UsageError{Msg: err.Error()}
	}
	return out, nil
}

// parseChannels reads --channel (see audit.ParseChannels).
func parseChannels(s string) ([]string, error) {
	out, err := audit.ParseChannels(splitFlagList(s))
	if err != nil {
		return nil, cli.UsageError{Msg: err.Error()}
	}
	return out, nil
}

// itemFilter expands --item: exact codes and group numbers (2 → 2.1–2.4),
// comma-separated, checked against the counties' catalogues.
func (a *auditEnv) itemFilter(spec string) ([]string, error) {
	var known []string
	for _, c := range a.Config.Counties {
		for _, k := range a.Catalogues[c.County].Codes() {
			if !slices.Contains(known, k) {
				known = append(known, k)
			}
		}
	}
	slices.SortFunc(known, catalogue.CompareCodes)
	var out []string
	for _, p := range splitFlagList(spec) {
		var match []string
		for _, k := range known {
			if k == p || strings.HasPrefix(k, p+".") {
				match = append(match, k)
			}
		}
		if _, err := strconv.Atoi(strings.ReplaceAll(p, ".", "")); err != nil || len(match) == 0 {
			return nil, cli.Usagef("未知目录事项 %q（可用: %s；或 1、2、3 表示一类）", p, strings.Join(known, " "))
		}
		for _, m := range match {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out, nil
}
