package catalogue

import (
	"encoding/json"
	"strings"
)

// The other channels the catalogue's 公开渠道和载体 column offers. gongkai
// cannot observe them, but a county catalogue may require them.
const (
	Broadcast     Channel = "广播电视"
	Print         Channel = "纸质媒体"
	ServiceCenter Channel = "政务服务中心"
	ServiceDesk   Channel = "便民服务站"
	Hotline       Channel = "便民服务热线"
	ReadingPoint  Channel = "公开查阅点"
	Push          Channel = "精准推送"
)

// KnownChannels lists every channel the catalogue table offers, in the
// table's order, followed by the credit system named under 其他.
var KnownChannels = []Channel{Website, WeMedia, Broadcast, Print, ServiceCenter, ServiceDesk,
	Hotline, ReadingPoint, Bulletin, Push, Credit}

// channelAliases are the short names users write in files.
var channelAliases = map[string]Channel{
	"网站":           Website,
	"门户网站":         Website,
	"政府门户网站":       Website,
	"信用公示系统":       Credit,
	"企业信用信息公示系统":   Credit,
	"国家企业信用信息公示系统": Credit,
	"公示系统":         Credit,
	"公示栏":          Bulletin,
	"电子屏":          Bulletin,
	"两微一端(微博、微信、客户端)": WeMedia,
	"微博微信客户端":         WeMedia,
}

// ParseChannel reads a channel name as written by users: the catalogue's
// own names (full-width brackets accepted), plus short forms such as 公示栏
// and 信用公示系统.
func ParseChannel(s string) (Channel, bool) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("（", "(", "）", ")", " ", "", "　", "").Replace(s)
	s = strings.TrimPrefix(s, "其他:")
	s = strings.TrimPrefix(s, "其他：")
	for _, c := range KnownChannels {
		if s == string(c) {
			return c, true
		}
	}
	c, ok := channelAliases[s]
	return c, ok
}

func channelNames() string {
	names := make([]string, len(KnownChannels))
	for i, c := range KnownChannels {
		names[i] = string(c)
	}
	return strings.Join(names, "、")
}

// DefaultName is the name of the municipal catalogue.
const DefaultName = "晋城市食品药品监管领域基层政务公开标准目录"

// Clone returns a deep copy of c.
func (c *Catalogue) Clone() *Catalogue {
	b, err := json.Marshal(c)
	if err != nil {
		panic("catalogue: cannot copy: " + err.Error())
	}
	var out Catalogue
	if err := json.Unmarshal(b, &out); err != nil {
		panic("catalogue: cannot copy: " + err.Error())
	}
	return &out
}
