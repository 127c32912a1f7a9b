package sim

import (
	"fmt"
	"strings"
)

// This file renders the pages only the unfamiliar world shows
// (Options.Unfamiliar): decisions in prose, sampling notices with their
// basis in prose, the pinned note, scanned PDFs.

// violatedProvision is the article a decision says was violated, per item
// (the penalty provision is in penaltyCase.Basis).
var violatedProvision = map[string]string{
	"2.1": "《中华人民共和国食品安全法》第三十四条",
	"2.2": "《中华人民共和国药品管理法》第五十五条",
	"2.3": "《医疗器械监督管理条例》第五十五条",
	"2.4": "《化妆品监督管理条例》第三十八条",
}

type proseParagraph struct{ text, align string }

// proseDecision writes a decision as a full 行政处罚决定书: the elements are
// in sentences (当事人 is the only label), never "经查" or "……一案". An
// omitted element (e.omit) drops its sentence or clause.
func (s *Site) proseDecision(e *Entry) []proseParagraph {
	pc := e.pen
	omitted := func(g string) bool {
		for _, o := range e.omit {
			if o == g {
				return true
			}
		}
		return false
	}
	out := []proseParagraph{
		{pc.Authority, "center"},
		{"行政处罚决定书", "center"},
		{e.docNoShown, "right"},
		{"当事人：" + partyShown(pc.Party), ""},
		{"统一社会信用代码：" + pc.Party.USCC, ""},
		{"法定代表人（负责人）：" + pc.Party.LegalRep, ""},
		{"住所：" + pc.Party.Address, ""},
	}
	filed := pc.Found.AddDays(3)
	out = append(out, proseParagraph{fmt.Sprintf("　　%s，本局执法人员对当事人的经营场所依法进行检查，当事人涉嫌%s，本局于%s立案调查。",
		pc.Found.Chinese(), pc.IllegType, filed.Chinese()), ""})
	if !omitted("fact") {
		out = append(out, proseParagraph{"　　经调查，发现当事人存在" + pc.FactCore + "的行为。上述事实有现场检查笔录、询问笔录、进货票据等证据为证。", ""})
	}
	var b strings.Builder
	b.WriteString("　　")
	if !omitted("basis") {
		b.WriteString("本局认为，当事人的上述行为违反了" + violatedProvision[pc.Item] + "的规定。依据" + pc.Basis + "的规定，")
	}
	if omitted("kind") {
		b.WriteString("本局决定对当事人依法予以处理。")
	} else {
		b.WriteString("本局决定给予当事人" + pc.Content + "的行政处罚。")
	}
	out = append(out, proseParagraph{b.String(), ""})
	if !omitted("deadline") {
		deadline := pc.Deadline
		if omitted("kind") {
			// Without its penalty the decision must not name it here either.
			deadline = strings.ReplaceAll(deadline, "缴纳罚款", "履行本决定")
		}
		if deadline == "当场执行" {
			out = append(out, proseParagraph{"　　本处罚决定当场执行。", ""})
		} else {
			out = append(out, proseParagraph{"　　当事人应当" + deadline + "。", ""})
		}
	}
	out = append(out,
		proseParagraph{"　　如不服本处罚决定，可以在收到本决定书之日起六十日内向晋城市市场监督管理局申请行政复议，也可以在六个月内依法向人民法院提起行政诉讼。", ""},
		proseParagraph{pc.Authority, "right"},
		proseParagraph{pc.Decided.Chinese(), "right"},
	)
	return out
}

// proseDecisionPDF is the PDF of a prose decision (one line per paragraph).
func (s *Site) proseDecisionPDF(e *Entry) []byte {
	var lines []string
	for _, para := range s.proseDecision(e) {
		lines = append(lines, strings.TrimLeft(para.text, "　"))
	}
	return writePDF(lines)
}

// samplingProseBody states the organiser (检查实施主体) and the standards
// (检验依据) in sentences, then lists the results in a body table without
// those columns.
func (s *Site) samplingProseBody(p *page, e *Entry) {
	fail := 0
	for _, sm := range e.samples {
		if !sm.Pass {
			fail++
		}
	}
	p.f("<p>　　近期，%s组织对辖区内食品生产经营单位开展了食品安全监督抽检，共抽检食品样品%d批次，其中合格%d批次，不合格%d批次。</p>\n",
		esc(s.Org), len(e.samples), len(e.samples)-fail, fail)
	p.w("<p>　　本次抽检依据GB 2762-2017《食品安全国家标准 食品中污染物限量》、GB 2763-2019《食品安全国家标准 食品中农药最大残留限量》等食品安全国家标准及产品明示标准和指标进行检验，结果如下：</p>\n")
	p.w(`<table class="cjjg" border="1" cellspacing="0"><thead><tr><th>序号</th><th>抽样编号</th><th>被抽样单位名称</th><th>食品名称</th><th>规格型号</th><th>生产日期/批号</th><th>检验结论</th>`)
	if !e.tableOmitAgency {
		p.w("<th>承检机构</th>")
	}
	p.w("</tr></thead><tbody>\n")
	for k, sm := range e.samples {
		res := "合格"
		if !sm.Pass {
			res = "不合格（" + sm.FailItem + "）"
		}
		p.f("<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>",
			k+1, sm.No, esc(sm.Sampled.Name), esc(sm.Product), esc(sm.Spec), esc(sm.Batch), esc(res))
		if !e.tableOmitAgency {
			p.w("<td>", esc(sm.Agency), "</td>")
		}
		p.w("</tr>\n")
	}
	p.w("</tbody></table>\n")
	p.w("<p>　　对抽检中发现的不合格产品，已责令相关经营者立即采取下架等措施，并依法进行查处。</p>\n")
}

// noteBody is the pinned 说明: it mentions penalties, decisions and their
// publication, and discloses nothing.
func (s *Site) noteBody(p *page) {
	p.w("<p>　　根据《市场监督管理行政处罚信息公示规定》，", esc(s.Org), "自作出行政处罚决定之日起二十个工作日内，通过本栏目公示行政处罚决定书。现将有关事项说明如下：</p>\n")
	p.w("<p>　　一、适用普通程序作出的行政处罚决定，公示内容包括行政处罚决定书全文；适用简易程序作出的，公示处罚对象、违法事实、处罚依据和处罚种类。</p>\n")
	p.w("<p>　　二、公示期满或者行政处罚决定被依法撤销、变更的，本局将及时调整公示内容。</p>\n")
	p.w("<p>　　三、对公示内容有异议的，可以向本局政务公开办公室提出，联系电话0356-12315。</p>\n")
}

// writeScanPDF writes a valid one-page PDF whose page is a single grey
// image (a scan): no font, no text operators, so no text layer at all.
func writeScanPDF(seed int64, tag string) []byte {
	const w, h = 64, 90
	img := make([]byte, w*h)
	for i := range img {
		// Faint "lines of print": darker rows with some noise.
		row := i / w
		v := byte(235)
		if row%6 < 2 && row > 8 && row < h-8 && i%w > 6 && i%w < w-6 {
			v = byte(60 + int(hash01(seed, "scan-pixel", tag, fmt.Sprint(i))*120))
		}
		img[i] = v
	}
	content := "q\n510 0 0 720 42 60 cm\n/Im1 Do\nQ\n"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream", w, h, len(img), img),
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content),
	}
	return assemblePDF(objs, 1)
}
