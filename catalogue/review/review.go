package review

import (
	"fmt"
	"slices"
	"strings"

	"gongkai/catalogue"
)

// The rules a county catalogue is reviewed against, by id. Each comes from
// the seed's 三、公开事项 (本级目录应当保持市级《目录》基本框架 …).
const (
	RuleMissing      = "framework.missing"       // a municipal 二级事项 is not in the county catalogue
	RuleRenamed      = "framework.renamed"       // a 二级事项 renamed beyond recognition (same number, other name)
	RuleMoved        = "framework.moved"         // a 二级事项 listed under another 一级事项
	RuleGroupMissing = "framework.group_missing" // a municipal 一级事项 does not appear
	RuleGroupRenamed = "framework.group_renamed" // a 一级事项 holding municipal items has another name
	RuleExtra        = "framework.extra"         // a 二级事项 the municipal catalogue does not have
	RuleDuplicate    = "framework.duplicate"     // a 二级事项 listed twice
	RuleSubOverlap   = "sub.overlap"             // a 三级事项 repeats a 一级/二级事项
	RuleSubCrosses   = "sub.crosses"             // a 三级事项 belongs to another 一级事项 (a 处罚 under 监督检查)
	RuleSubOrphan    = "sub.orphan"              // a 三级事项 under no 二级事项
	RuleElement      = "content.element_removed" // a municipal 公开内容 element is missing
	RuleContent      = "content.missing"         // the 公开内容 cell is empty
	RuleBasis        = "basis.removed"           // a municipal 公开依据 document is missing
	RuleBasisEmpty   = "basis.missing"           // the 公开依据 cell is empty
	RuleTimeLooser   = "time.looser"             // more working days than the municipal limit
	RuleTimeUnread   = "time.unreadable"         // the 公开时限 names no number of working days
	RuleChannel      = "channel.dropped"         // a municipal channel is not ticked
	RuleCredit       = "channel.credit_dropped"  // the credit publicity system is not ticked
	RuleChannelUnk   = "channel.unknown"         // a ticked channel gongkai does not know
	RuleLevel        = "level.dropped"           // a municipal 公开层级 is not ticked
	RuleAudience     = "audience.dropped"        // 全社会 not ticked where the city publishes to everyone
	RuleMode         = "mode.dropped"            // 主动 not ticked where the city publishes on its own initiative
	RuleLicensing    = "licensing.missing"       // 食品生产经营许可服务指南 / 基本信息 not listed
)

// Finding is one departure from the rules. Row 0 means the finding is about
// something absent from the file (a dropped item) rather than a row.
type Finding struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Item    string `json:"item"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Result is a review: the findings, and what the county changed that the
// rules allow (its rules for the audit once accepted).
type Result struct {
	County   string    `json:"county"`
	Findings []Finding `json:"findings"`
	// Changes are the allowed changes per municipal item, in catalogue order.
	Changes []Change `json:"-"`
	// Licensing are the rows naming the two licensing entries.
	Licensing []Row  `json:"-"`
	Title     string `json:"-"`
}

// Change is what the county catalogue adds to one municipal item.
type Change struct {
	Code         string
	Sub          []string            // 三级事项, in file order
	Workdays     int                 // the loosest of the county's rows when stricter than the city; 0 = unchanged
	Channels     []catalogue.Channel // ticked on every row of the item, beyond the city's
	Elements     []string            // 公开内容 beyond the municipal elements (as written), on every row of the item
	SomeElements []string            // added 公开内容 on some of the item's rows (三级事项) only
	Basis        []string            // 公开依据 beyond the municipal ones
	Levels       []string            // 公开层级 beyond the city's
	RowNumbers   []int
}

// The two licensing entries every county lists (seed: 没有获得食品生产经营许可
// 事权的基层市场监管部门，也应当将…列入本级目录).
const (
	LicensingGuide = "食品生产经营许可服务指南"
	LicensingInfo  = "食品生产经营许可基本信息"
)

// groupKeywords are words that place a 三级事项 in one 一级事项: a 三级事项
// with another group's word crosses into it.
var groupKeywords = map[string][]string{
	"监督检查": {"检查", "抽检", "抽查", "抽样"},
	"行政处罚": {"处罚", "罚款", "罚没", "没收", "吊销"},
	"公共服务": {"投诉", "举报", "宣传", "科普", "消费提示", "警示", "应急"},
}

type reviewer struct {
	cat   *catalogue.Catalogue
	t     *Table
	res   *Result
	names map[string]int // normalised 二级 name → index in cat.Items
	seen  map[int]int    // item index → first row
	rows  map[int][]Row  // item index → rows
}

// Review checks t against the municipal catalogue cat for county.
func Review(cat *catalogue.Catalogue, county string, t *Table) *Result {
	rv := &reviewer{cat: cat, t: t, res: &Result{County: county, Findings: []Finding{}, Title: t.Title},
		names: map[string]int{}, seen: map[int]int{}, rows: map[int][]Row{}}
	for i, it := range cat.Items {
		rv.names[norm(it.Name)] = i
	}
	rv.run()
	// By row of the file, the findings about absent items (row 0) last.
	slices.SortStableFunc(rv.res.Findings, func(a, b Finding) int {
		ra, rb := a.Row, b.Row
		if ra == 0 {
			ra = 1 << 30
		}
		if rb == 0 {
			rb = 1 << 30
		}
		return ra - rb
	})
	return rv.res
}

func (rv *reviewer) add(row int, f Field, item, rule, format string, a ...any) {
	rv.res.Findings = append(rv.res.Findings, Finding{Row: row, Column: f.ColumnName(), Item: item, Rule: rule, Message: fmt.Sprintf(format, a...)})
}

func label(it catalogue.Item) string { return it.Code + " " + it.Name }

func groups(cat *catalogue.Catalogue) []string {
	var out []string
	for _, it := range cat.Items {
		if !slices.Contains(out, it.Group) {
			out = append(out, it.Group)
		}
	}
	return out
}

// group recognises a 一级事项 cell: the municipal group it names, or "".
func (rv *reviewer) group(cellText string) string {
	_, name := splitCode(cellText)
	n := norm(name)
	for _, g := range groups(rv.cat) {
		if n == g || strings.Contains(n, g) {
			return g
		}
	}
	return ""
}

func isLicensing(s string) (guide, info bool) {
	n := norm(s)
	if !strings.Contains(n, "许可") || !strings.Contains(n, "食品") {
		return false, false
	}
	return strings.Contains(n, "服务指南"), strings.Contains(n, "基本信息")
}

// matchItem finds the municipal item a 二级事项 cell names: exactly, else
// the most similar name above the recognisable threshold.
func (rv *reviewer) matchItem(name string) (int, bool) {
	n := norm(name)
	if i, ok := rv.names[n]; ok {
		return i, true
	}
	best, score := -1, 0.0
	for i, it := range rv.cat.Items {
		if s := similarity(n, norm(it.Name)); s > score {
			best, score = i, s
		}
	}
	return best, score >= recognisable
}

func (rv *reviewer) run() {
	var guide, info bool
	// unknownGroups: first row of each unrecognised 一级事项 → municipal groups of the items under it.
	type unknownGroup struct {
		row    int
		name   string
		groups []string
	}
	var unknown []*unknownGroup
	seenGroups := map[string]bool{}
	prevItem := -1
	for _, r := range rv.t.Rows {
		l1, l2, l3 := r.Get(FieldL1), r.Get(FieldL2), r.Get(FieldL3)
		for _, s := range []string{l1, l2, l3} {
			g, i := isLicensing(s)
			guide, info = guide || g, info || i
		}
		g := ""
		var ug *unknownGroup
		if l1 != "" {
			if g = rv.group(l1); g != "" {
				seenGroups[g] = true
			} else {
				i := slices.IndexFunc(unknown, func(u *unknownGroup) bool { return u.name == norm(l1) })
				if i < 0 {
					unknown = append(unknown, &unknownGroup{row: r.Line, name: norm(l1)})
					i = len(unknown) - 1
				}
				ug = unknown[i]
			}
		}
		if l2 == "" {
			if l3 != "" {
				rv.add(r.Line, FieldL3, l3, RuleSubOrphan, "三级事项“%s”不在任何二级事项之下", l3)
			}
			prevItem = -1
			continue // a row that only opens a 一级事项
		}
		if g, i := isLicensing(l2); g || i {
			rv.res.Licensing = append(rv.res.Licensing, r)
			prevItem = -1
			continue
		}
		if g, i := isLicensing(l3); g || i {
			rv.res.Licensing = append(rv.res.Licensing, r)
		}
		code, name := splitCode(l2)
		idx, ok := rv.matchItem(name)
		if !ok {
			// Same number as a municipal item that is nowhere else: renamed.
			j := slices.IndexFunc(rv.cat.Items, func(it catalogue.Item) bool { return it.Code == code })
			if j < 0 || rv.namedElsewhere(j) {
				rv.add(r.Line, FieldL2, name, RuleExtra,
					"市级目录没有二级事项“%s”：本级目录应保持市级目录基本框架，只能增减、调整、细化三级事项", name)
				prevItem = -1
				continue
			}
			if _, dup := rv.seen[j]; !dup {
				rv.add(r.Line, FieldL2, label(rv.cat.Items[j]), RuleRenamed,
					"二级事项“%s”改名为“%s”，已无法辨认：本级目录应保持市级目录的二级事项名称", rv.cat.Items[j].Name, name)
			}
			idx = j
		}
		it := rv.cat.Items[idx]
		if first, dup := rv.seen[idx]; dup && prevItem != idx {
			rv.add(r.Line, FieldL2, label(it), RuleDuplicate, "二级事项“%s”重复列出（第%d行已有）", it.Name, first)
			prevItem = idx
			continue
		}
		if _, dup := rv.seen[idx]; !dup {
			rv.seen[idx] = r.Line
			switch {
			case ug != nil:
				ug.groups = append(ug.groups, it.Group)
			case g != "" && g != it.Group:
				rv.add(r.Line, FieldL1, label(it), RuleMoved,
					"二级事项“%s”列在一级事项“%s”下，市级目录中属于“%s”：本级目录应保持市级目录基本框架", it.Name, g, it.Group)
			}
		}
		prevItem = idx
		rv.rows[idx] = append(rv.rows[idx], r)
		rv.checkRow(r, it)
	}
	for _, u := range unknown {
		if len(u.groups) == 0 {
			continue // a new 一级事项 holding only the licensing entries or extra items
		}
		var gs []string
		for _, g := range u.groups {
			if !slices.Contains(gs, g) {
				gs = append(gs, g)
			}
		}
		for _, g := range gs {
			seenGroups[g] = true
		}
		rv.add(u.row, FieldL1, u.name, RuleGroupRenamed,
			"一级事项“%s”不是市级目录的一级事项（%s），其下的二级事项属于“%s”：本级目录应保持市级目录的一级事项",
			u.name, strings.Join(groups(rv.cat), "、"), strings.Join(gs, "、"))
	}
	for _, g := range groups(rv.cat) {
		if !seenGroups[g] {
			rv.add(0, FieldL1, g, RuleGroupMissing, "缺少市级目录的一级事项“%s”", g)
		}
	}
	for i, it := range rv.cat.Items {
		if _, ok := rv.seen[i]; !ok {
			rv.add(0, FieldL2, label(it), RuleMissing, "缺少市级目录的二级事项“%s”：本级目录应保持市级目录基本框架", it.Name)
		}
	}
	if !guide {
		rv.add(0, FieldL2, LicensingGuide, RuleLicensing,
			"未列入“%s”：没有食品生产经营许可事权的县级市场监管部门也应列入本级目录（可援引有权部门的服务指南或指向其网站）", LicensingGuide)
	}
	if !info {
		rv.add(0, FieldL2, LicensingInfo, RuleLicensing,
			"未列入“%s”：没有食品生产经营许可事权的县级市场监管部门也应列入本级目录（可指向有权部门的网站）", LicensingInfo)
	}
	rv.collectChanges()
}

// namedElsewhere reports whether municipal item j is named (recognisably)
// by some 二级事项 cell of the table.
func (rv *reviewer) namedElsewhere(j int) bool {
	for _, r := range rv.t.Rows {
		if l2 := r.Get(FieldL2); l2 != "" {
			_, name := splitCode(l2)
			if i, ok := rv.matchItem(name); ok && i == j {
				return true
			}
		}
	}
	return false
}

// checkRow checks one row of a municipal item (its 二级 row or one of its
// 三级 rows) against the item's municipal rules.
func (rv *reviewer) checkRow(r Row, it catalogue.Item) {
	item := label(it)
	if l3 := r.Get(FieldL3); l3 != "" {
		item += " / " + l3
		rv.checkSub(r, it, l3)
	}
	content := r.Get(FieldContent)
	if content == "" {
		rv.add(r.Line, FieldContent, item, RuleContent, "公开内容为空：市级目录要求公开%s", strings.Join(it.Elements, "、"))
	} else {
		nc := norm(content)
		for _, el := range it.Elements {
			if !strings.Contains(nc, norm(el)) {
				rv.add(r.Line, FieldContent, item, RuleElement, "删去了公开内容要素“%s”：只能增加要素，不能减少", el)
			}
		}
	}
	basis := r.Get(FieldBasis)
	if basis == "" {
		rv.add(r.Line, FieldBasis, item, RuleBasisEmpty, "公开依据为空：市级目录的依据为%s", strings.Join(it.Basis, ""))
	} else {
		docs := documents(basis)
		for _, b := range it.Basis {
			if !slices.Contains(docs, norm(b)) {
				rv.add(r.Line, FieldBasis, item, RuleBasis, "删去了公开依据%s：公开依据应与市级目录和相关制度规定一致", b)
			}
		}
	}
	if days, ok := parseWorkdays(r.Get(FieldTime)); !ok {
		rv.add(r.Line, FieldTime, item, RuleTimeUnread, "公开时限“%s”没有写明工作日数：市级目录为“%s”", r.Get(FieldTime), it.TimeLimit.Text)
	} else if days > it.TimeLimit.Workdays {
		rv.add(r.Line, FieldTime, item, RuleTimeLooser, "公开时限%d个工作日宽于市级目录的%d个工作日（%s）：只能收紧，不能放宽",
			days, it.TimeLimit.Workdays, it.TimeLimit.Text)
	}
	chs, unknown := channelsOf(r.Get(FieldChannels))
	for _, ch := range it.Channels {
		if containsChannel(chs, ch) {
			continue
		}
		if ch == catalogue.Credit {
			rv.add(r.Line, FieldChannels, item, RuleCredit,
				"未勾选“其他：%s”：市级目录要求该事项同时在国家企业信用信息公示系统公示", ch)
		} else {
			rv.add(r.Line, FieldChannels, item, RuleChannel, "未勾选公开渠道“%s”：只能增加渠道，不能减少", ch)
		}
	}
	for _, u := range unknown {
		rv.add(r.Line, FieldChannels, item, RuleChannelUnk, "无法识别勾选的公开渠道“%s”：请使用目录表中的渠道名称", u)
	}
	for _, lv := range it.Levels {
		if !rv.ticked(r, lv) {
			rv.add(r.Line, FieldLevel, item, RuleLevel, "未勾选公开层级“%s”：市级目录要求%s公开", lv, strings.Join(it.Levels, "、"))
		}
	}
	if slices.Contains(it.Audience, "全社会") && !rv.ticked(r, "全社会") {
		rv.add(r.Line, FieldAudience, item, RuleAudience, "未勾选公开对象“全社会”：市级目录面向全社会公开")
	}
	if slices.Contains(it.Mode, "主动") && !rv.ticked(r, "主动") {
		rv.add(r.Line, FieldMode, item, RuleMode, "未勾选公开方式“主动”：市级目录要求主动公开，不能改为依申请公开")
	}
}

// ticked reads whether the row ticks a 公开对象/方式/层级 option, from its own
// tick column or the words column.
func (rv *reviewer) ticked(r Row, word string) bool {
	var col, words Field
	switch word {
	case "全社会":
		col, words = FieldAudAll, FieldAudience
	case "主动":
		col, words = FieldModeActive, FieldMode
	case "县级":
		col, words = FieldLevelCounty, FieldLevel
	case "乡级":
		col, words = FieldLevelTown, FieldLevel
	default:
		return false
	}
	if rv.t.Has(col) && isTicked(r.Get(col)) {
		return true
	}
	return rv.t.Has(words) && tickedWords(r.Get(words), word)[word]
}

// checkSub applies the seed's 三级事项不得与一级、二级事项重叠交叉.
func (rv *reviewer) checkSub(r Row, it catalogue.Item, sub string) {
	_, name := splitCode(sub)
	n, own := norm(name), norm(it.Name)
	if g, i := isLicensing(n); g || i {
		return
	}
	for _, g := range groups(rv.cat) {
		if n == g {
			rv.add(r.Line, FieldL3, label(it)+" / "+sub, RuleSubOverlap, "三级事项“%s”与一级事项“%s”重叠", name, g)
			return
		}
	}
	for _, o := range rv.cat.Items {
		on := norm(o.Name)
		if n == on || (o.Code != it.Code && strings.Contains(n, on) && !strings.Contains(n, own)) {
			rv.add(r.Line, FieldL3, label(it)+" / "+sub, RuleSubOverlap, "三级事项“%s”与二级事项“%s %s”重叠", name, o.Code, o.Name)
			return
		}
	}
	for _, g := range groups(rv.cat) {
		if g == it.Group {
			continue
		}
		for _, kw := range groupKeywords[g] {
			if strings.Contains(n, kw) {
				rv.add(r.Line, FieldL3, label(it)+" / "+sub, RuleSubCrosses,
					"三级事项“%s”列在“%s”（%s）下，但属于一级事项“%s”（含“%s”）：三级事项不得与一级、二级事项交叉",
					name, it.Group, it.Name, g, kw)
				return
			}
		}
	}
}

// collectChanges gathers, per municipal item, what the county adds that
// the rules allow.
func (rv *reviewer) collectChanges() {
	for i, it := range rv.cat.Items {
		rows := rv.rows[i]
		if len(rows) == 0 {
			continue
		}
		c := Change{Code: it.Code}
		loosest := 0
		var common []catalogue.Channel
		for k, r := range rows {
			c.RowNumbers = append(c.RowNumbers, r.Line)
			if l3 := r.Get(FieldL3); l3 != "" {
				if _, name := splitCode(l3); !slices.Contains(c.Sub, name) {
					c.Sub = append(c.Sub, name)
				}
			}
			if d, ok := parseWorkdays(r.Get(FieldTime)); ok {
				loosest = max(loosest, d)
			}
			chs, _ := channelsOf(r.Get(FieldChannels))
			if k == 0 {
				common = chs
			} else {
				common = slices.DeleteFunc(common, func(ch catalogue.Channel) bool { return !containsChannel(chs, ch) })
			}
			var rowElements []string
			for _, p := range strings.FieldsFunc(r.Get(FieldContent), func(r rune) bool { return strings.ContainsRune("、，,；;\n", r) }) {
				np := norm(p)
				if np == "" || slices.ContainsFunc(it.Elements, func(el string) bool { n := norm(el); return strings.Contains(np, n) || strings.Contains(n, np) }) {
					continue
				}
				p = strings.TrimSuffix(strings.TrimSpace(p), "等")
				rowElements = append(rowElements, p)
				if !slices.Contains(c.Elements, p) && !slices.Contains(c.SomeElements, p) {
					if k == 0 {
						c.Elements = append(c.Elements, p)
					} else {
						c.SomeElements = append(c.SomeElements, p)
					}
				}
			}
			// An element becomes the item's requirement only when every
			// row (三级事项) lists it: the audit cannot tell a disclosure's
			// 三级事项 apart.
			for _, e := range slices.Clone(c.Elements) {
				if !slices.Contains(rowElements, e) {
					c.Elements = slices.DeleteFunc(c.Elements, func(x string) bool { return x == e })
					c.SomeElements = append(c.SomeElements, e)
				}
			}
			for _, d := range titleRe.FindAllString(r.Get(FieldBasis), -1) {
				if !slices.ContainsFunc(it.Basis, func(b string) bool { return norm(b) == norm(d) }) && !slices.Contains(c.Basis, d) {
					c.Basis = append(c.Basis, d)
				}
			}
			for _, lv := range []string{"县级", "乡级"} {
				if !slices.Contains(it.Levels, lv) && !slices.Contains(c.Levels, lv) && rv.ticked(r, lv) {
					c.Levels = append(c.Levels, lv)
				}
			}
		}
		if loosest > 0 && loosest < it.TimeLimit.Workdays {
			c.Workdays = loosest
		}
		for _, ch := range common {
			if !it.HasChannel(ch) {
				c.Channels = append(c.Channels, ch)
			}
		}
		rv.res.Changes = append(rv.res.Changes, c)
	}
}
