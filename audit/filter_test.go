package audit

import (
	"slices"
	"testing"
)

func TestFilterMatchesEveryGivenField(t *testing.T) {
	all := []Finding{
		{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕1号", Channel: "政府网站", Status: Late, Title: "某超市销售过期食品案"},
		{County: "泽州县", Item: "2.2", RecordNo: "泽市监罚〔2020〕2号", Channel: "政府网站", Status: OnTime, Party: "某药房"},
		{County: "城区", Item: "2.1", RecordNo: "城区市监罚〔2020〕3号", Channel: "国家企业信用信息公示系统", Status: Missing},
		{County: "城区", Item: "2.1", RecordNo: "城区市监罚〔2020〕4号", Channel: "政府网站", Status: OnTime, MissingElements: []string{"违法事实"}},
	}
	nos := func(fs []Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.RecordNo)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    Filter
		want []string
	}{
		{"none", Filter{}, nos(all)},
		{"item", Filter{Items: []string{"2.1"}}, []string{"泽市监罚〔2020〕1号", "城区市监罚〔2020〕3号", "城区市监罚〔2020〕4号"}},
		{"status", Filter{Statuses: []Status{Late, Missing}}, []string{"泽市监罚〔2020〕1号", "城区市监罚〔2020〕3号"}},
		{"flagged", Filter{Statuses: []Status{Flagged}}, []string{"泽市监罚〔2020〕1号", "城区市监罚〔2020〕3号", "城区市监罚〔2020〕4号"}},
		{"channel", Filter{Channels: []string{"国家企业信用信息公示系统"}}, []string{"城区市监罚〔2020〕3号"}},
		{"text in title", Filter{Text: "过期食品"}, []string{"泽市监罚〔2020〕1号"}},
		{"text in party", Filter{Text: "药房"}, []string{"泽市监罚〔2020〕2号"}},
		{"all fields", Filter{Items: []string{"2.1"}, Statuses: []Status{OnTime}, Channels: []string{"政府网站"}, Text: "4号"}, []string{"城区市监罚〔2020〕4号"}},
		{"nothing", Filter{Text: "不存在"}, nil},
	} {
		if got := nos(tc.f.Apply(all)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := ParseStatuses([]string{"逾期", "待核实", "flagged"}); err != nil {
		t.Error(err)
	}
	if _, err := ParseStatuses([]string{"lat"}); err == nil {
		t.Error("unknown status accepted")
	}
	if ch, err := ParseChannels([]string{"信用", "网站"}); err != nil || len(ch) != 2 {
		t.Errorf("channels %q %v", ch, err)
	}
}
