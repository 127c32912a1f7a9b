package sim

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode/utf8"

	"gongkai/calendar"
)

var esc = html.EscapeString

type page struct{ strings.Builder }

func (p *page) w(parts ...string) {
	for _, s := range parts {
		p.WriteString(s)
	}
}

func (p *page) f(format string, a ...any) { fmt.Fprintf(&p.Builder, format, a...) }

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func pubStamp(e *Entry) string { return e.Published.String() + " " + clock(e.Clock) }

// cut shortens a title the way lists do ("..."); the full title stays in @title.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "..."
}

// partyShown is how a detail page names the party.
func partyShown(e *enterprise) string {
	if e.Operator != "" {
		return e.Operator + "（" + e.Name + "经营者）"
	}
	return e.Name
}

// masked is how published tables hide natural persons: 张**.
func masked(e *enterprise) string {
	if e.Operator != "" {
		r := []rune(e.Operator)
		return string(r[0]) + "**"
	}
	return e.Name
}

func (s *Site) metaCharset(p *page) {
	if s.Charset == "utf-8" {
		p.w(`<meta charset="utf-8">`, "\n")
	} else {
		p.w(`<meta http-equiv="Content-Type" content="text/html; charset=`, s.Charset, `">`, "\n")
	}
}

// standardMeta writes the government-site standard meta tags.
func (s *Site) standardMeta(p *page, e *Entry, title string, now calendar.Date) {
	p.w(`<meta name="SiteName" content="`, esc(s.SiteName), `">`, "\n")
	p.w(`<meta name="SiteDomain" content="`, s.Host, `">`, "\n")
	p.w(`<meta name="SiteIDCode" content="`, s.County.Code, `0001">`, "\n")
	p.w(`<meta name="ColumnName" content="`, esc(e.col.Name), `">`, "\n")
	p.w(`<meta name="ArticleTitle" content="`, esc(title), `">`, "\n")
	p.w(`<meta name="PubDate" content="`, pubStamp(e), `">`, "\n")
	p.w(`<meta name="ContentSource" content="`, esc(s.Org), `">`, "\n")
	p.w(`<meta name="Keywords" content="`, esc(e.col.Name), `">`, "\n")
	p.w(`<meta name="Description" content="`, esc(cut(title, 40)), `">`, "\n")
	p.w(`<meta name="Url" content="./`, lastSegment(e.Path), `">`, "\n")
}

func lastSegment(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// affairsHead writes the label/value 信息公开 table.
func (s *Site) affairsHead(p *page, e *Entry, title string) {
	l := s.labels
	if !l.Table {
		return
	}
	date := e.Formed
	if l.DateIsPub || date.IsZero() {
		date = e.Published
	}
	docNo := e.docNoShown
	if docNo == "" {
		docNo = l.EmptyDocNo
	}
	topic := "市场监管、安全生产监管\\食品药品监管"
	p.w(`<table class="affairs-detail-head" cellspacing="0" cellpadding="0"><tbody>`, "\n")
	rowIndex := `<tr><td class="affairs-label">` + l.Index + `：</td><td class="affairs-value">` + e.indexNo + `</td><td class="affairs-label">` + l.Topic + `：</td><td class="affairs-value">` + esc(topic) + "</td></tr>\n"
	rowOrg := `<tr><td class="affairs-label">` + l.Org + `：</td><td class="affairs-value">` + esc(s.Org) + `</td><td class="affairs-label">` + l.Date + `：</td><td class="affairs-value">` + date.Chinese() + "</td></tr>\n"
	rowName := `<tr><td class="affairs-label">名　　称：</td><td class="affairs-value" colspan="3">` + esc(title) + "</td></tr>\n"
	rowDoc := `<tr><td class="affairs-label">` + l.DocNo + `：</td><td class="affairs-value">` + esc(docNo) + `</td><td class="affairs-label">关 键 词：</td><td class="affairs-value">` + esc(e.col.Name) + "</td></tr>\n"
	if l.DocNoFirst {
		p.w(rowDoc, rowName, rowOrg, rowIndex)
	} else {
		p.w(rowIndex, rowOrg, rowName, rowDoc)
	}
	p.w("</tbody></table>\n")
}

// ---- bodies ----

func (s *Site) body(p *page, e *Entry, now calendar.Date) {
	switch e.kind {
	case kindPenaltyPage:
		s.penaltyBody(p, e)
	case kindPenaltyPDF, kindPenaltyScan:
		p.w(`<div style="text-align:center;">`)
		s.attachmentLinks(p, e)
		p.w("</div>\n")
	case kindPenaltyTable:
		s.tableBody(p, e)
	case kindInspection:
		s.inspectionBody(p, e)
	case kindSampling:
		s.samplingBody(p, e)
	case kindDeviceSampling:
		s.deviceBody(p, e)
	case kindEvent:
		s.eventBody(p, e)
	case kindNews:
		p.w("<p>　　", esc(e.newsBody), "</p>\n")
		if len(e.bodyLinks) > 0 {
			p.w("<p>相关链接：")
			for _, l := range e.bodyLinks {
				p.w(`<a href="`, esc(l.Href), `">`, esc(l.Text), "</a> ")
			}
			p.w("</p>\n")
		}
	case kindNote:
		s.noteBody(p)
	}
	if e.kind != kindPenaltyPDF && e.kind != kindPenaltyScan && len(e.attachments) > 0 {
		p.w(`<div class="fj"><p>附件：</p>`)
		s.attachmentLinks(p, e)
		p.w("</div>\n")
	}
	if e.editNote != "" && !e.editedOn.IsZero() && e.editedOn <= now {
		p.w(`<p class="edit-note">`, esc(e.editNote), "</p>\n")
	}
}

func (s *Site) attachmentLinks(p *page, e *Entry) {
	for _, a := range e.attachments {
		href := a.LinkPath
		if s.Family != FamHanweb && s.Family != FamGeneric {
			href = "./" + lastSegment(a.Path)
		}
		p.w(`<p><a href="`, esc(href), `" target="_blank" oldsrc="`, lastSegment(a.Path), `">`, esc(a.Name), "</a></p>\n")
	}
}

// penaltyFields lists the labelled elements of a decision, in order, with
// the label group each belongs to (for omissions).
func (s *Site) penaltyFields(e *Entry) [][3]string {
	pc := e.pen
	l := s.penLabels
	if l.Party == "" {
		l = penLabelSet{Party: "当事人", Case: "案件名称", Fact: "违法事实", Basis: "处罚依据", Kind: "处罚种类", Content: "处罚内容",
			Authority: "作出处罚决定部门", Date: "处罚时间", DocNo: "决定书文号", Deadline: "履行方式和期限"}
	}
	out := [][3]string{
		{"party", l.Party, partyShown(pc.Party)},
		{"uscc", "统一社会信用代码", pc.Party.USCC},
		{"rep", "法定代表人（负责人）", pc.Party.LegalRep},
		{"case", l.Case, pc.CaseName},
		{"fact", l.Fact, pc.Fact},
		{"basis", l.Basis, pc.Basis},
	}
	if l.Combined {
		out = append(out, [3]string{"kind", l.Kind, pc.Kind + "：" + pc.Content})
	} else {
		out = append(out, [3]string{"kind", l.Kind, pc.Kind}, [3]string{"kind", l.Content, pc.Content})
	}
	out = append(out,
		[3]string{"authority", l.Authority, pc.Authority},
		[3]string{"date", l.Date, pc.Decided.Chinese()},
		[3]string{"docno", l.DocNo, e.docNoShown},
		[3]string{"deadline", l.Deadline, pc.Deadline},
	)
	kept := out[:0]
	for _, f := range out {
		omitted := false
		for _, o := range e.omit {
			if f[0] == o {
				omitted = true
			}
		}
		if !omitted {
			kept = append(kept, f)
		}
	}
	return kept
}

func (s *Site) penaltyBody(p *page, e *Entry) {
	if s.uf.prose {
		for _, para := range s.proseDecision(e) {
			switch para.align {
			case "":
				p.w("<p>", esc(para.text), "</p>\n")
			default:
				p.w(`<p style="text-align:`, para.align, `;">`, esc(para.text), "</p>\n")
			}
		}
		return
	}
	fields := s.penaltyFields(e)
	if s.penLabels.AsTable {
		p.w(`<table class="cfxx" border="1" cellspacing="0" cellpadding="4" width="100%"><tbody>`, "\n")
		for _, f := range fields {
			p.w("<tr><td width=\"30%\">", f[1], "</td><td>", esc(f[2]), "</td></tr>\n")
		}
		p.w("</tbody></table>\n")
		return
	}
	for _, f := range fields {
		p.w("<p>", f[1], "：", esc(f[2]), "</p>\n")
	}
}

var tableHeaders = [2][]string{
	{"序号", "处罚文号", "案由", "违法企业", "违法事实", "处罚依据", "处罚种类和内容", "作出处罚的机关", "处罚日期", "履行方式和期限"},
	{"序号", "决定书文号", "案件名称", "当事人", "主要违法事实", "种类和依据", "罚没款", "机关名称和日期", "履行方式和期限"},
}

func (s *Site) tableBody(p *page, e *Entry) {
	v := int(e.Published.Month()) % 2
	hdr := slices.Clone(tableHeaders[v])
	if v == 1 && e.tableOmit == "basis" {
		hdr[5] = "处罚种类" // the basis half of 种类和依据 is left out
	}
	skip := -1
	switch {
	case e.tableOmit == "basis" && v == 0:
		skip = 5
	case e.tableOmit == "basis" && v == 1:
		// 种类和依据 carries both: drop only the basis half.
	case e.tableOmit == "fact":
		skip = 4
	}
	p.w("<p>　　根据《市场监督管理行政处罚信息公示规定》，现将本月作出的行政处罚案件信息公开如下：</p>\n")
	p.w(`<table class="xxgk-table" border="1" cellspacing="0" cellpadding="3"><thead><tr>`)
	for i, h := range hdr {
		if i != skip {
			p.w("<th>", h, "</th>")
		}
	}
	p.w("</tr></thead><tbody>\n")
	for k, pc := range e.cases {
		var cells []string
		if v == 0 {
			cells = []string{fmt.Sprint(k + 1), e.caseNos[k], pc.IllegType, masked(pc.Party), pc.Fact, pc.Basis,
				pc.Kind + "：" + pc.Content, pc.Authority, pc.Decided.String(), pc.Deadline}
		} else {
			kb := pc.Kind + "；依据" + pc.Basis
			if e.tableOmit == "basis" {
				kb = pc.Kind
			}
			amount := "—"
			if pc.Amount > 0 {
				amount = fmt.Sprintf("%.2f万元", float64(pc.Amount)/10000)
			}
			cells = []string{fmt.Sprint(k + 1), e.caseNos[k], pc.CaseName, masked(pc.Party), pc.Fact, kb,
				amount + "（" + pc.Content + "）", pc.Authority + " " + pc.Decided.Chinese(), pc.Deadline}
		}
		p.w("<tr>")
		for i, c := range cells {
			if i != skip {
				p.w("<td>", esc(c), "</td>")
			}
		}
		p.w("</tr>\n")
	}
	p.w("</tbody></table>\n")
}

var inspectionBasis = map[string][2]string{
	"1.1": {"《食品生产经营日常监督检查管理办法》", "《食品销售日常监督检查要点表》《餐饮服务日常监督检查要点表》"},
	"1.2": {"《食品生产经营日常监督检查管理办法》", "《特殊食品销售日常监督检查要点表》"},
	"1.4": {"《药品经营质量管理规范》《医疗器械经营监督管理办法》", "《药品零售企业现场检查指导原则》"},
	"1.5": {"《化妆品监督管理条例》", "《化妆品经营环节监督检查要点》"},
	"1.6": {"《医疗机构药品监督管理办法（试行）》", "《医疗机构药品质量安全监督检查要点》"},
}

func (s *Site) inspectionBody(p *page, e *Entry) {
	basis := inspectionBasis[e.item]
	p.f("<p>　　%s依据%s对辖区内%d家单位开展了监督检查，现将检查结果公示如下：</p>\n", esc(s.Org), basis[0], len(e.insps))
	p.w("<p>检查制度：", basis[0], "</p>\n<p>检查标准：", basis[1], "</p>\n")
	withNo := s.County.Name == "城区" || s.County.Name == "高平市" || s.County.Name == "陵川县"
	p.w(`<table class="jcjg" border="1" cellspacing="0"><thead><tr><th>序号</th>`)
	if withNo {
		p.w("<th>检查编号</th>")
	}
	p.w("<th>被检查单位名称</th><th>统一社会信用代码</th><th>检查日期</th><th>检查结果</th></tr></thead><tbody>\n")
	for k, in := range e.insps {
		p.f("<tr><td>%d</td>", k+1)
		if withNo {
			p.w("<td>", in.No, "</td>")
		}
		p.w("<td>", esc(in.Party.Name), "</td><td>", in.Party.USCC, "</td><td>", in.Date.String(), "</td><td>", esc(in.Result), "</td></tr>\n")
	}
	p.w("</tbody></table>\n")
}

func (s *Site) samplingBody(p *page, e *Entry) {
	if s.uf.samplingProse {
		s.samplingProseBody(p, e)
		return
	}
	fail := 0
	for _, sm := range e.samples {
		if !sm.Pass {
			fail++
		}
	}
	agency := e.samples[0].Agency
	p.f("<p>　　近期，%s（检查实施主体）组织抽检了%d批次食品样品，其中合格%d批次，不合格%d批次。</p>\n",
		esc(s.Org), len(e.samples), len(e.samples)-fail, fail)
	p.w("<p>　　检验依据：GB 2762-2017《食品安全国家标准 食品中污染物限量》、GB 2763-2019《食品安全国家标准 食品中农药最大残留限量》等。检验机构：", esc(agency), "。具体抽检结果（被抽检单位名称、食品名称、标示的生产日期/批号/规格、检查结果）见附件。</p>\n")
	p.w("<p>　　对抽检中发现的不合格产品，已责令相关经营者立即采取下架等措施，并依法进行查处。</p>\n")
}

func (s *Site) deviceBody(p *page, e *Entry) {
	p.f("<p>　　%s组织开展了医疗器械质量监督抽检，共抽检%d批次，结果如下：</p>\n", esc(s.Org), len(e.samples))
	p.w(`<table class="cjjg" border="1" cellspacing="0"><thead><tr><th>序号</th><th>抽样编号</th><th>被抽检单位名称</th><th>抽检产品名称</th><th>标示的生产单位名称</th><th>生产日期/批号/规格</th><th>检验依据</th><th>检验结果</th><th>检验机构</th></tr></thead><tbody>`, "\n")
	for k, sm := range e.samples {
		res := "合格"
		if !sm.Pass {
			res = "不合格"
		}
		p.f("<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			k+1, sm.No, esc(sm.Sampled.Name), esc(sm.Product), esc(sm.Producer), esc(sm.Batch+" / "+sm.Spec),
			"YY 0469-2011 等", res, esc(sm.Agency))
	}
	p.w("</tbody></table>\n")
}

func (s *Site) eventBody(p *page, e *Entry) {
	ev := e.ev
	switch ev.Item {
	case "3.1":
		p.w("<p>　　", esc(ev.Title), "：近期气温变化较大，", esc(s.Org), "提醒广大消费者：选购食品时应到正规市场、超市，注意查看生产日期和保质期，索要并保存购物凭证。如发现食品安全问题，请拨打12315投诉举报。</p>\n")
	case "3.2":
		p.w("<p><strong>一、应急组织机构及职责</strong></p><p>　　成立食品安全应急处置领导组，局长任组长。</p>\n")
		p.w("<p><strong>二、应急保障</strong></p><p>　　落实应急物资、经费和队伍保障。</p>\n")
		p.w("<p><strong>三、监测预警</strong></p><p>　　加强食品安全风险监测，及时发布预警信息。</p>\n")
		p.w("<p><strong>四、应急响应</strong></p><p>　　按照事件级别启动相应响应程序。</p>\n")
		p.w("<p><strong>五、热点问题落实情况</strong></p><p>　　已对群众反映的热点问题逐一核查处理。</p>\n")
	case "3.3":
		p.w("<p><strong>食品药品投诉举报管理制度和政策</strong>：依据《市场监督管理投诉举报处理暂行办法》受理和处理投诉举报。</p>\n")
		p.w("<p><strong>受理投诉举报的途径</strong>：拨打12315热线、登录全国12315平台（www.12315.cn）、或到", esc(s.Org), "窗口反映。</p>\n")
	case "3.4":
		p.w("<p>活动时间：", ev.Date.Chinese(), "</p>\n")
		omitPlace := false
		for _, o := range e.omit {
			if o == "place" {
				omitPlace = true
			}
		}
		if !omitPlace {
			p.w("<p>活动地点：", esc(ev.Place), "</p>\n")
		}
		p.w("<p>活动形式：", esc(ev.Form), "</p>\n")
		p.w("<p>活动主题和内容：", esc(ev.Title), "，主题为“尚德守法 共治共享食品安全”，向群众普及食品药品安全知识。</p>\n")
	}
}
