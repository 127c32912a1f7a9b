package audit

// The one filter over findings that `reporter query`, `reporter serve` and
// its downloads share, so that the web UI lists exactly what the CLI lists.

import (
	"fmt"
	"slices"
	"strings"

	"gongkai/catalogue"
)

// Flagged is the pseudo-status "anything that needs attention": a finding
// with at least one flag kind (FlagKinds).
const Flagged Status = "flagged"

// Filter keeps findings that match every non-empty field.
type Filter struct {
	Items    []string // exact item codes (already expanded from groups)
	Statuses []Status // Flagged matches any finding with a flag
	Channels []string // channel names as in Finding.Channel
	// Text is a free-text search, case-insensitive, over the record number,
	// title, party, URL and notes.
	Text string
}

// Match says whether f passes the filter.
func (x Filter) Match(f *Finding) bool {
	if len(x.Items) > 0 && !slices.Contains(x.Items, f.Item) {
		return false
	}
	if len(x.Channels) > 0 && !slices.Contains(x.Channels, f.Channel) {
		return false
	}
	if len(x.Statuses) > 0 && !slices.Contains(x.Statuses, f.Status) &&
		!(slices.Contains(x.Statuses, Flagged) && len(FlagKinds(*f)) > 0) {
		return false
	}
	if q := strings.ToLower(strings.TrimSpace(x.Text)); q != "" {
		hay := strings.ToLower(strings.Join(append([]string{f.RecordNo, f.Title, f.Party, f.URL, f.County}, f.Notes...), "\n"))
		if !strings.Contains(hay, q) {
			return false
		}
	}
	return true
}

// Apply returns the findings that pass, in their order (nil when none).
func (x Filter) Apply(all []Finding) []Finding {
	var out []Finding
	for i := range all {
		if x.Match(&all[i]) {
			out = append(out, all[i])
		}
	}
	return out
}

// ParseStatuses reads a comma-separated status list: English codes or the
// Chinese labels, with the short forms people type (逾期, 待核, 需关注).
func ParseStatuses(list []string) ([]Status, error) {
	var out []Status
	for _, p := range list {
		st, ok := statusAlias(p)
		if !ok {
			return nil, fmt.Errorf("未知状态 %q（可用: ontime 按时公开、late 逾期公开、missing 未公开、pending 未到期、unverified 待核实、flagged 需关注）", p)
		}
		if !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	return out, nil
}

func statusAlias(p string) (Status, bool) {
	p = strings.ToLower(strings.TrimSpace(p))
	for _, st := range Statuses {
		if p == string(st) || p == st.Label() {
			return st, true
		}
	}
	switch p {
	case "on-time", "on_time", "按时":
		return OnTime, true
	case "逾期":
		return Late, true
	case "未发布":
		return Missing, true
	case "未到期限":
		return Pending, true
	case "待核", "未核实":
		return Unverified, true
	case "flagged", "flags", "需关注", "问题":
		return Flagged, true
	}
	return "", false
}

// ParseChannels reads channel names and their short forms (网站, 信用).
func ParseChannels(list []string) ([]string, error) {
	var out []string
	for _, p := range list {
		var ch catalogue.Channel
		switch strings.ToLower(strings.TrimSpace(p)) {
		case string(catalogue.Website), "网站", "政府网", "website", "web":
			ch = catalogue.Website
		case string(catalogue.Credit), "信用", "信用公示", "公示系统", "credit", "gsxt":
			ch = catalogue.Credit
		default:
			return nil, fmt.Errorf("未知渠道 %q（可用: 政府网站、国家企业信用信息公示系统）", p)
		}
		if !slices.Contains(out, string(ch)) {
			out = append(out, string(ch))
		}
	}
	return out, nil
}
