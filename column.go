// Column kinds: what a column publishes, which decides how long it may go
// without a new item (the audit's column health owns the allowances).

package gongkai

// Column kinds, as sites.yaml's kind: key writes them.
const (
	KindNews      = "news"      // 工作动态, 新闻
	KindNotice    = "notice"    // 通知公告
	KindPolicy    = "policy"    // 政策文件
	KindCatalogue = "catalogue" // catalogue items (行政处罚, 抽检 …)
	KindStatic    = "static"    // 机构职能, 办事指南 …: not expected to change
)

// ColumnKinds lists the accepted column kinds.
var ColumnKinds = []string{KindNews, KindNotice, KindPolicy, KindCatalogue, KindStatic}

// DefaultColumnKind is the kind of a column whose kind is not said: a
// column holding catalogue items is a catalogue column, one holding none
// (items: []) a notice column — the longer allowance, so that a news
// column is held to two weeks only when the configuration says it is one.
func DefaultColumnKind(items []string) string {
	if len(items) > 0 {
		return KindCatalogue
	}
	return KindNotice
}
