package catalogue

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteJSON writes the catalogue as indented JSON (the Catalogue struct's
// JSON form, which is what `reporter catalogue --format json` promises).
func (c *Catalogue) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(c)
}

// WriteMarkdown writes the catalogue as a Chinese Markdown table, one row
// per item: 编号 一级事项 二级事项 (三级事项 when any) 公开内容 公开依据
// 公开时限 公开渠道 公开层级.
func (c *Catalogue) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", c.Name)
	if c.Source != "" {
		fmt.Fprintf(&b, "来源：%s\n\n", c.Source)
	}
	if c.County != "" {
		fmt.Fprintf(&b, "县区：%s（在市级目录基础上调整的本级目录）\n\n", c.County)
	}
	withSub := false
	for _, it := range c.Items {
		if len(it.Sub) > 0 {
			withSub = true
		}
	}
	head := []string{"编号", "一级事项", "二级事项"}
	if withSub {
		head = append(head, "三级事项")
	}
	head = append(head, "公开内容", "公开依据", "公开时限", "公开渠道", "公开层级")
	b.WriteString("| " + strings.Join(head, " | ") + " |\n")
	b.WriteString(strings.Repeat("|---", len(head)) + "|\n")
	for _, it := range c.Items {
		row := []string{it.Code, it.Group, it.Name}
		if withSub {
			row = append(row, strings.Join(it.Sub, "、"))
		}
		channels := make([]string, len(it.Channels))
		for i, ch := range it.Channels {
			channels[i] = string(ch)
		}
		chText := strings.Join(channels, "、")
		if it.ChannelsNote != "" {
			chText += "（" + it.ChannelsNote + "）"
		}
		levels := strings.Join(it.Levels, "、")
		if levels == "" {
			levels = "（目录未勾选）"
		}
		row = append(row, it.Content, strings.Join(it.Basis, ""), it.TimeLimit.Text, chText, levels)
		for i := range row {
			row[i] = mdCell(row[i])
		}
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	fmt.Fprintf(&b, "\n共 %d 项。公开时限按工作日计算（法定节假日及调休上班日按国务院通知），事项形成之日不计入。\n", len(c.Items))
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell keeps a value inside one Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\r\n", " ")
	return strings.ReplaceAll(s, "\n", " ")
}
