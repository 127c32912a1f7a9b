// Package catalogue holds the disclosure catalogue gongkai audits against:
// 晋城市食品药品监管领域基层政务公开标准目录, its 15 items, and the county
// variants (本级目录) that may add 三级事项, tighten time limits or add channels.
package catalogue

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
)

// Channel is a publication channel (公开渠道和载体) as the catalogue names it.
type Channel string

// The channels gongkai can audit or that the seed catalogue ticks.
const (
	Website  Channel = "政府网站"
	Credit   Channel = "国家企业信用信息公示系统"
	WeMedia  Channel = "两微一端"
	Bulletin Channel = "社区/企事业单位/村公示栏(电子屏)"
)

// Observable reports whether gongkai can observe the channel by harvesting.
// 两微一端 and physical bulletin boards cannot be crawled; findings for them
// are never produced rather than reported as missing.
func (c Channel) Observable() bool { return c == Website || c == Credit }

// TimeLimit is a 公开时限 rule: N working days after an event, the event day
// not counted.
type TimeLimit struct {
	Workdays int    `json:"workdays"`
	From     string `json:"from"` // the event: 信息形成或变更之日, 行政处罚决定形成之日 …
	Text     string `json:"text"` // the rule as the catalogue words it
}

// Item is one catalogue item (an 二级事项 with its row of the table).
type Item struct {
	Code         string    `json:"code"`  // 1.1 … 3.4
	Group        string    `json:"group"` // 一级事项: 监督检查 / 行政处罚 / 公共服务
	Name         string    `json:"name"`  // 二级事项
	Sub          []string  `json:"sub,omitempty"`
	Content      string    `json:"content"`  // 公开内容(要素) verbatim
	Elements     []string  `json:"elements"` // the same, as a list of element names
	Basis        []string  `json:"basis"`    // 公开依据
	TimeLimit    TimeLimit `json:"time_limit"`
	Subject      string    `json:"subject"`  // 公开主体
	Channels     []Channel `json:"channels"` // ticked 公开渠道和载体
	ChannelsNote string    `json:"channels_note,omitempty"`
	Audience     []string  `json:"audience"` // 公开对象
	Mode         []string  `json:"mode"`     // 公开方式
	Levels       []string  `json:"levels"`   // 公开层级 as ticked in the seed
}

// HasChannel reports whether the item requires publication on ch.
func (it Item) HasChannel(ch Channel) bool { return slices.Contains(it.Channels, ch) }

// Catalogue is an ordered set of items.
type Catalogue struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	County string `json:"county,omitempty"` // set for a county's 本级目录 (ApplyVariant)
	Items  []Item `json:"items"`
}

//go:embed catalogue.json
var seedJSON []byte

// Default returns the municipal catalogue transcribed from the seed document.
// Each call returns a fresh copy that the caller may modify.
func Default() *Catalogue {
	var c Catalogue
	if err := json.Unmarshal(seedJSON, &c); err != nil {
		panic("catalogue: embedded catalogue.json is invalid: " + err.Error())
	}
	return &c
}

// Item returns the item with the given code.
func (c *Catalogue) Item(code string) (Item, bool) {
	for _, it := range c.Items {
		if it.Code == code {
			return it, true
		}
	}
	return Item{}, false
}

// Codes returns the item codes in catalogue order.
func (c *Catalogue) Codes() []string {
	out := make([]string, len(c.Items))
	for i, it := range c.Items {
		out[i] = it.Code
	}
	return out
}

// Validate checks structural rules every catalogue must keep.
func (c *Catalogue) Validate() error {
	seen := map[string]bool{}
	for i, it := range c.Items {
		switch {
		case it.Code == "":
			return fmt.Errorf("第%d项: 缺少事项编号", i+1)
		case seen[it.Code]:
			return fmt.Errorf("事项 %s: 编号重复", it.Code)
		case it.TimeLimit.Workdays <= 0:
			return fmt.Errorf("事项 %s: 公开时限必须为正的工作日数", it.Code)
		case !it.HasChannel(Website):
			return fmt.Errorf("事项 %s: 公开渠道必须包含政府网站", it.Code)
		}
		seen[it.Code] = true
	}
	return nil
}
