package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"gongkai"
	"gongkai/calendar"
	"gongkai/internal/texttable"
	"io"
	"sort"
	"strings"
	"time"

	"gongkai/catalogue"
	"gongkai/internal/cli"
	"gongkai/region"
	"gongkai/store"
)

func init() {
	program.Add(cli.Command{
		Name:    "items",
		Summary: "列出存储中已采集的条目（县区、渠道、标题、发布日期、首次/最后发现、编号、附件、状态）",
		Run:     itemsCmd,
	})
}

// itemView is one publication as `items` shows it.
type itemView struct {
	County      string            `json:"county"`
	Channel     catalogue.Channel `json:"channel"`
	Source      string            `json:"source"`
	Column      string            `json:"column,omitempty"`
	URL         string            `json:"url"`
	Title       string            `json:"title"`
	Declared    string            `json:"declared,omitempty"`
	FirstSeen   time.Time         `json:"first_seen"`
	LastSeen    time.Time         `json:"last_seen"`
	Metadata    map[string]string `json:"metadata,omitempty"`
	RecordNos   []string          `json:"record_nos"`
	Attachments []attachmentView  `json:"attachments"`
	State       gongkai.PubState  `json:"state"`
	Version     int               `json:"version"`
	Withdrawn   *time.Time        `json:"withdrawn,omitempty"`
	Evidence    string            `json:"evidence,omitempty"`
}

type attachmentView struct {
	Name  string `json:"name"`
	URL   string `json:"url"`
	Size  int64  `json:"size"`
	Error string `json:"error,omitempty"`
}

var stateNames = map[gongkai.PubState]string{gongkai.Current: "在列", gongkai.Changed: "已修改", gongkai.Withdrawn: "已撤下"}

func itemsCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlags("items", stderr)
	storeURL := fs.String("store", store.DefaultURL, "存储地址")
	county := fs.String("county", "", "只列出该县区（名称、简称或区划代码）")
	channel := fs.String("channel", "", "只列出该渠道（政府网站 或 国家企业信用信息公示系统）")
	format := fs.String("format", "table", "输出格式: table、json 或 csv")
	current := fs.Bool("current", false, "不列出已撤下的条目")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("多余的参数: %s", strings.Join(fs.Args(), " "))
	}
	switch *format {
	case "table", "json", "csv":
	default:
		return cli.Usagef("--format 只能是 table、json 或 csv")
	}
	q := store.PublicationQuery{IncludeWithdrawn: !*current, Channel: catalogue.Channel(*channel)}
	if *county != "" {
		c, ok := region.Lookup(*county)
		if !ok {
			c, ok = region.Division(*county) // a county configured outside Jincheng, by its code
		}
		if !ok {
			c, ok = region.DivisionByName(*county)
		}
		if !ok {
			return cli.Usagef("未知的县区 %q（可用: %s）", *county, strings.Join(region.Names(), "、"))
		}
		q.County = c.Name
	}
	st, err := openStore(ctx, *storeURL)
	if err != nil {
		return err
	}
	defer st.Close()
	pubs, err := st.Publications(ctx, q)
	if err != nil {
		return fmt.Errorf("读取条目失败: %w", err)
	}
	sort.SliceStable(pubs, func(i, j int) bool {
		a, b := pubs[i], pubs[j]
		if a.County != b.County {
			return countyOrder(a.County) < countyOrder(b.County)
		}
		if a.Channel != b.Channel {
			return a.Channel < b.Channel
		}
		if a.Declared != b.Declared {
			return a.Declared > b.Declared
		}
		return a.URL < b.URL
	})
	views := make([]itemView, len(pubs))
	for i, p := range pubs {
		views[i] = view(p)
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(views)
	case "csv":
		return writeItemsCSV(stdout, views)
	}
	writeItemsTable(stdout, views)
	return nil
}

// countyOrder sorts counties in division-code order; the credit system's
// rows carry a county too.
func countyOrder(name string) int {
	for i, c := range region.Jincheng {
		if c.Name == name {
			return i
		}
	}
	return len(region.Jincheng)
}

func view(p gongkai.Publication) itemView {
	v := itemView{
		County: p.County, Channel: p.Channel, Source: p.Source, Column: p.Column, URL: p.URL, Title: p.Title,
		Declared: p.Declared.String(), FirstSeen: p.FirstSeen, LastSeen: p.LastSeen, Metadata: p.Metadata,
		RecordNos: p.RecordNos, State: p.State, Version: p.Version, Evidence: p.Evidence,
		Attachments: []attachmentView{},
	}
	if v.RecordNos == nil {
		v.RecordNos = []string{}
	}
	if !p.Withdrawn.IsZero() {
		w := p.Withdrawn
		v.Withdrawn = &w
	}
	for _, a := range p.Attachments {
		v.Attachments = append(v.Attachments, attachmentView{Name: a.Name, URL: a.URL, Size: a.Size, Error: a.Error})
	}
	return v
}

func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(calendar.China).Format("2006-01-02 15:04")
}

func metadataText(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if m[k] != "" {
			parts = append(parts, k+"："+m[k])
		}
	}
	return strings.Join(parts, "；")
}

func attachmentsText(as []attachmentView) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		s := a.Name
		if a.Error != "" {
			s += "（" + a.Error + "）"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "；")
}

var csvHeader = []string{"县区", "渠道", "来源", "栏目", "标题", "发布日期", "首次发现", "最后发现", "元数据", "编号", "附件", "状态", "版本", "网址", "证据"}

func writeItemsCSV(w io.Writer, views []itemView) error {
	// A BOM so that Excel opens the UTF-8 file with the right encoding.
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, v := range views {
		cw.Write([]string{v.County, string(v.Channel), v.Source, v.Column, v.Title, v.Declared,
			localTime(v.FirstSeen), localTime(v.LastSeen), metadataText(v.Metadata), strings.Join(v.RecordNos, "；"),
			attachmentsText(v.Attachments), stateNames[v.State], fmt.Sprint(v.Version), v.URL, v.Evidence})
	}
	cw.Flush()
	return cw.Error()
}

func writeItemsTable(w io.Writer, views []itemView) {
	if len(views) == 0 {
		fmt.Fprintln(w, "存储中没有条目。先运行 harvester run --config sites.yaml。")
		return
	}
	header := []string{"县区", "渠道", "发布日期", "状态", "标题", "编号", "附件", "首次发现", "最后发现", "网址"}
	var rows [][]string
	for _, v := range views {
		rows = append(rows, []string{v.County, shortChannel(v.Channel), v.Declared, stateNames[v.State], texttable.Truncate(v.Title, 36),
			texttable.Truncate(strings.Join(v.RecordNos, "、"), 30), fmt.Sprint(len(v.Attachments)), localTime(v.FirstSeen), localTime(v.LastSeen), v.URL})
	}
	texttable.Write(w, header, rows, 0)
	fmt.Fprintf(w, "\n共 %d 条。完整字段（元数据、附件名）用 --format json 或 csv。\n", len(views))
}

func shortChannel(c catalogue.Channel) string {
	if c == catalogue.Credit {
		return "信用公示"
	}
	return string(c)
}
