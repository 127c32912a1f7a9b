package reports

import "gongkai/audit"

// renderSampleReport is a hand-built report with every status, a doubtful
// publication date, missing elements, an incomplete source, an ambiguity and
// hostile harvested text, shared by the renderer, browser and diff tests.

const renderXSSTitle = `<script>alert(1)</script>关于"泽州县"某超市的处罚 & 其他`

func renderSampleReport() *audit.Report {
	return &audit.Report{
		AsOf:        "2020-12-31",
		From:        "2020-01-01",
		To:          "2020-12-31",
		GeneratedAt: "2021-01-04T08:00:00+08:00",
		Catalogue:   "晋城市食品药品监管领域基层政务公开标准目录",
		Sources: []audit.SourceState{
			{County: "泽州县", Source: "泽州县人民政府信息公开", Channel: "政府网站", Complete: true, LastSync: "2021-01-03T02:00:00+08:00"},
			{County: "高平市", Source: "高平市人民政府信息公开", Channel: "政府网站", Complete: false, LastSync: "2021-01-03T02:10:00+08:00", Errors: 3, Failed: []string{"行政处罚", "抽检信息"}},
			{County: "", Source: "国家企业信用信息公示系统", Channel: "国家企业信用信息公示系统", Complete: true, LastSync: "2021-01-03T03:00:00+08:00"},
		},
		Findings: []audit.Finding{
			{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕12号", Title: renderXSSTitle, Party: "某超市<b>有限公司</b>", Channel: "政府网站",
				Status: audit.Late, FormedOn: "2020-07-01", Due: "2020-07-29", Published: "2020-08-05", LateWorkdays: 5,
				URL: "http://xxgk.zezhou.gov.cn/zfxxgk/202008/t20200805_1.shtml", Evidence: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
				MissingElements: []string{"处罚依据"}, FirstSeen: "2020-08-06T02:00:00+08:00", MatchedBy: "决定书文号"},
			{County: "泽州县", Item: "2.1", RecordNo: "泽市监罚〔2020〕12号", Channel: "国家企业信用信息公示系统",
				Status: audit.OnTime, FormedOn: "2020-07-01", Due: "2020-07-29", Published: "2020-07-10",
				URL: "http://gsxt.example/detail#1", Evidence: "sha256:aa", FirstSeen: "2020-07-11T02:00:00+08:00"},
			{County: "泽州县", Item: "1.3", RecordNo: "DC20200525000123", Title: "食品安全监督抽检信息公告（2020年第5期）", Channel: "政府网站",
				Status: audit.OnTime, FormedOn: "2020-05-25", Due: "2020-06-22", Published: "2020-06-01", URL: "http://xxgk.zezhou.gov.cn/cj/1.shtml",
				Evidence: "sha256:bb", FirstSeen: "2020-06-20T02:00:00+08:00", Notes: []string{"发布日期存疑：2020-06-10 完整观察的列表中没有此条目，首次发现于 2020-06-20"}},
			{County: "泽州县", Item: "3.1", RecordNo: "XF-2020-03", Title: "春节消费提示", Channel: "政府网站",
				Status: audit.Missing, FormedOn: "2020-01-15", Due: "2020-01-24"},
			{County: "高平市", Item: "2.1", RecordNo: "高市监罚〔2020〕7号", Title: "=HYPERLINK(\"http://evil\")", Channel: "政府网站",
				Status: audit.Unverified, FormedOn: "2020-11-02", Due: "2020-11-30", Notes: []string{"行政处罚 栏目 2020-12-01 起未能完整观察"}},
			{County: "高平市", Item: "1.1", RecordNo: "高市监查〔2020〕3号", Channel: "政府网站",
				Status: audit.Pending, FormedOn: "2020-12-20", Due: "2021-01-18"},
			{County: "城区", Item: "2.2", RecordNo: "城市监罚〔2020〕1号", Channel: "政府网站",
				Status: audit.OnTime, FormedOn: "2020-03-02", Due: "2020-03-30", Published: "2020-03-20", URL: "javascript:alert(2)", Evidence: "sha256:cc"},
		},
		Coverage: []audit.Coverage{
			{County: "泽州县", Item: "1.3", Expected: 1, OnTime: 1, PublishedItems: 2, Score: 1, Records: 1, Basis: "records"},
			{County: "泽州县", Item: "2.1", Expected: 2, OnTime: 1, Late: 1, PublishedItems: 1, Score: 0.75, Records: 1, Basis: "records"},
			{County: "泽州县", Item: "3.1", Expected: 1, Missing: 1, Score: 0, Note: "未公开 1 条", Records: 1, Basis: "records"},
			{County: "高平市", Item: "1.1", Expected: 1, Pending: 1, Records: 1, Basis: "none"},
			{County: "高平市", Item: "2.1", Expected: 1, Unverified: 1, Records: 1, Basis: "none"},
			{County: "城区", Item: "2.2", Expected: 1, OnTime: 1, PublishedItems: 1, Score: 1, Records: 1, Basis: "records"},
			{County: "城区", Item: "3.4", Expected: 0, PublishedItems: 1, Score: 0.5, Note: "栏目最近一次更新为 2020-03-01，已超过6个月未更新", Basis: "column"},
		},
		Counties: []audit.CountyIndex{
			{County: "城区", Score: 0.6, Timely: 1, Complete: 1},
			{County: "泽州县", Score: 0.58, Timely: 0.67, Complete: 0.8},
			{County: "高平市", Score: 0.75, Timely: 1, Complete: 1},
		},
		Items: []audit.Item{
			{County: "泽州县", Channel: "政府网站", URL: "http://xxgk.zezhou.gov.cn/zfxxgk/202008/t20200805_1.shtml", Title: renderXSSTitle,
				Item: "2.1", Published: "2020-08-05", FirstSeen: "2020-08-06T02:00:00+08:00", RecordNos: []string{"泽市监罚〔2020〕12号"}, State: "current", Reason: "栏目候选 2.1"},
			{County: "泽州县", Channel: "政府网站", URL: "http://xxgk.zezhou.gov.cn/cj/1.shtml", Title: "食品安全监督抽检信息公告（2020年第5期）",
				Item: "1.3", Published: "2020-06-01", FirstSeen: "2020-06-20T02:00:00+08:00"},
			{County: "泽州县", Channel: "政府网站", URL: "http://xxgk.zezhou.gov.cn/other.shtml", Title: "工作动态", FirstSeen: "2020-06-20T02:00:00+08:00"},
			{County: "城区", Channel: "政府网站", URL: "http://xxgk.jccq.gov.cn/1.shtml", Title: "处罚决定", Item: "2.2", Published: "2020-03-20", FirstSeen: "2020-03-21T02:00:00+08:00", State: "withdrawn"},
		},
		Ambiguities: []audit.Ambiguity{
			{County: "城区", Item: "2.2", RecordNo: "城市监罚〔2020〕2号", Channel: "政府网站", Candidates: []string{"http://a/1", "http://a/2"}},
		},
	}
}
