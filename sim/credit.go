package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai/calendar"
	"gongkai/region"
)

const (
	rowPunishment = iota
	rowSpotCheck
	rowRanins
)

// creditRow is one row of a company's DataTables JSON on the credit system.
type creditRow struct {
	kind    int
	ent     *enterprise
	visible calendar.Date // from this day the row is shown
	pen     *penaltyCase
	insp    *inspection
	samp    *sample
	docNo   string // as the row writes it
	rec     *simRecord
	caseID  string
	noisy   bool // values wrapped in HTML noise
	seq     int
}

type creditTarget struct {
	ent  *enterprise
	kind int // -1 company page, else index into dataKeys
}

type creditWorld struct {
	jsluid, clearance string
	challenge         string
	validate          string
	seccode           string
	token             string
	byPath            map[string]creditTarget
	all               []*enterprise // every enterprise, in county then USCC order
}

// epochMs is the credit system's date form: milliseconds at Beijing midnight.
func epochMs(d calendar.Date) int64 {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, calendar.China).UnixMilli()
}

func hexOf(seed int64, parts ...string) string {
	a := uint64(hash01(seed, parts...) * (1 << 53))
	b := hashString(strings.Join(parts, "|"))
	return strings.ToUpper(fmt.Sprintf("%013x%016x%03x", a, b, a%4096))
}

func buildCredit(w *World) *creditWorld {
	seed := w.opts.Seed
	cw := &creditWorld{
		jsluid:    strings.ToLower(hexOf(seed, "jsluid"))[:32],
		clearance: fmt.Sprintf("%d.%03d|0|%s", 1600000000+int64(hash01(seed, "clr")*1e8), int(hash01(seed, "clr2")*1000), hexOf(seed, "clearance")[:28]),
		challenge: strings.ToLower(hexOf(seed, "challenge"))[:32],
		validate:  strings.ToLower(hexOf(seed, "validate"))[:32],
		seccode:   strings.ToLower(hexOf(seed, "validate"))[:32] + "|jordan",
		token:     strconv.FormatInt(int64(hash01(seed, "token")*1e10), 10),
		byPath:    map[string]creditTarget{},
	}
	for _, ents := range w.ents {
		for _, e := range ents {
			ms := int64(1500000000000) + int64(hash01(seed, "ms", e.USCC)*1e11)
			e.creditKey = "/%7B" + hexOf(seed, "ent", e.USCC) + "-" + strconv.FormatInt(ms, 10) + "%7D"
			cw.byPath[e.creditKey] = creditTarget{ent: e, kind: -1}
			for k := range e.dataKeys {
				e.dataKeys[k] = "/%7B" + hexOf(seed, "data", e.USCC, strconv.Itoa(k)) + "%7D"
				cw.byPath[e.dataKeys[k]] = creditTarget{ent: e, kind: k}
			}
			cw.all = append(cw.all, e)
		}
	}
	seq := 0
	addRow := func(row *creditRow) {
		seq++
		row.seq = seq
		row.noisy = hash01(seed, "noise", strconv.Itoa(seq)) < 0.3
		row.caseID = strings.ToLower(hexOf(seed, "case", strconv.Itoa(seq)))[:20]
		row.ent.creditRows[row.kind] = append(row.ent.creditRows[row.kind], row)
	}
	for _, rec := range w.recs {
		o := rec.cred
		if o == nil || o.planned.IsZero() {
			continue
		}
		row := &creditRow{visible: o.planned, rec: rec}
		switch {
		case rec.pen != nil:
			row.kind, row.pen, row.ent = rowPunishment, rec.pen, rec.pen.Party
			row.docNo = rec.pen.DocNo
			if o.writtenAs != "" {
				row.docNo = o.writtenAs
			}
		case rec.insp != nil:
			row.kind, row.insp, row.ent = rowSpotCheck, rec.insp, rec.insp.Party
			if rec.insp.Random {
				row.kind = rowRanins
			}
		case rec.samp != nil:
			row.kind, row.samp, row.ent = rowSpotCheck, rec.samp, rec.samp.Sampled
		default:
			continue
		}
		o.credit = row
		o.published = o.planned
		addRow(row)
	}
	for _, pc := range w.extra {
		if pc.creditOn.IsZero() {
			continue
		}
		addRow(&creditRow{kind: rowPunishment, ent: pc.Party, visible: pc.creditOn, pen: pc, docNo: pc.DocNo})
	}
	for _, e := range cw.all {
		for k := range e.creditRows {
			slices.SortStableFunc(e.creditRows[k], func(a, b *creditRow) int {
				if a.visible != b.visible {
					return int(b.visible - a.visible)
				}
				return b.seq - a.seq
			})
		}
	}
	return cw
}

// ---- HTTP ----

func (w *World) creditHandler(rw http.ResponseWriter, r *http.Request, now calendar.Date) reqKind {
	cw := w.credit
	if !cw.hasSession(r) {
		cw.writeChallenge521(rw)
		return reqChallenge
	}
	path := r.URL.EscapedPath()
	switch {
	case path == "/" || path == "/index.html":
		writeHTML(rw, http.StatusOK, cw.homePage())
		return reqList
	case path == "/corp-query-search-1.html":
		if r.Method != http.MethodPost {
			http.Error(rw, "Method Not Allowed", http.StatusMethodNotAllowed)
			return reqOther
		}
		if err := r.ParseForm(); err != nil {
			http.Error(rw, "bad form", http.StatusBadRequest)
			return reqOther
		}
		f := r.PostForm
		if f.Get("token") != cw.token || f.Get("geetest_challenge") != cw.challenge ||
			f.Get("geetest_validate") != cw.validate || f.Get("geetest_seccode") != cw.seccode {
			writeHTML(rw, http.StatusOK, captchaPage())
			return reqChallenge
		}
		return cw.search(w, rw, f.Get("searchword"), 1)
	case path == "/corp-query-search-advancetest.html":
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("page"))
		return cw.search(w, rw, q.Get("searchword"), max(page, 1))
	}
	t, ok := cw.byPath[path]
	if !ok {
		http.NotFound(rw, r)
		return reqOther
	}
	if t.ent.county == w.challenged {
		cw.writeChallenge521(rw)
		return reqChallenge
	}
	if t.kind < 0 {
		writeHTML(rw, http.StatusOK, cw.companyPage(t.ent))
		return reqDetail
	}
	_ = r.ParseForm()
	draw, _ := strconv.Atoi(r.Form.Get("draw"))
	start, _ := strconv.Atoi(r.Form.Get("start"))
	length, err := strconv.Atoi(r.Form.Get("length"))
	if err != nil || length <= 0 {
		length = 5
	}
	body := cw.dataJSON(t.ent, t.kind, max(draw, 1), max(start, 0), length, now)
	rw.Header().Set("Content-Type", "application/json;charset=utf-8")
	rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
	rw.WriteHeader(http.StatusOK)
	rw.Write(body)
	return reqAttachment
}

func (cw *creditWorld) hasSession(r *http.Request) bool {
	a, errA := r.Cookie("__jsluid_h")
	b, errB := r.Cookie("__jsl_clearance_s")
	return errA == nil && errB == nil && a.Value == cw.jsluid && b.Value == cw.clearance
}

// writeChallenge521 is 加速乐's answer: a cookie and a script that would set
// the clearance cookie in a browser — but not the configured, valid one.
func (cw *creditWorld) writeChallenge521(rw http.ResponseWriter) {
	http.SetCookie(rw, &http.Cookie{Name: "__jsluid_h", Value: cw.jsluid, Path: "/", MaxAge: 31536000, HttpOnly: true})
	body := `<html><body><script>document.cookie=('_')+('_j')+('sl_clear')+('ance_s=')+(+new Date()/1000|0)+('.')+(Math.random()*1000|0)+('|0|')+('tz')+(Math.random().toString(36).slice(2))+';max-age=3600;path=/';location.href=location.pathname+location.search</script></body></html>`
	rw.Header().Set("Content-Type", "text/html")
	rw.WriteHeader(521)
	rw.Write([]byte(body))
}

func captchaPage() []byte {
	return []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>安全验证</title></head><body>
<div class="geetest_holder geetest_wind"><div class="geetest_panel"><p>请完成下方验证后继续操作</p><div class="geetest_radar_tip">点击按钮进行验证</div></div></div>
<script src="/static/js/gt.js"></script></body></html>`)
}

func (cw *creditWorld) homePage() []byte {
	var p page
	p.w(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>国家企业信用信息公示系统</title></head><body>`, "\n")
	p.w(`<form id="searchForm" action="/corp-query-search-1.html" method="post">`)
	p.w(`<input type="hidden" name="province" value="100000"><input type="hidden" name="tab" value="ent_tab">`)
	p.w(`<input type="hidden" id="token" name="token" value="`, cw.token, `">`)
	p.w(`<input type="hidden" name="geetest_challenge"><input type="hidden" name="geetest_validate"><input type="hidden" name="geetest_seccode">`)
	p.w(`<input type="text" id="keyword" name="searchword" placeholder="请输入企业名称、统一社会信用代码或注册号"><button id="btn_query" type="button">查询</button></form>`, "\n")
	p.w("</body></html>\n")
	return []byte(p.String())
}

func (cw *creditWorld) matches(word string) []*enterprise {
	word = strings.TrimSpace(word)
	if word == "" {
		return nil
	}
	var out []*enterprise
	for _, e := range cw.all {
		if e.USCC == word || strings.Contains(e.Name, word) {
			out = append(out, e)
			if len(out) == 100 { // the system shows at most 100 hits
				break
			}
		}
	}
	return out
}

func (cw *creditWorld) search(w *World, rw http.ResponseWriter, word string, pageNo int) reqKind {
	hits := cw.matches(word)
	for _, e := range hits {
		if e.county == w.challenged {
			writeHTML(rw, http.StatusOK, captchaPage())
			return reqChallenge
		}
	}
	const per = 10
	pages := max(1, (len(hits)+per-1)/per)
	lo := min((pageNo-1)*per, len(hits))
	hi := min(lo+per, len(hits))
	var p page
	p.w(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>查询结果 - 国家企业信用信息公示系统</title></head><body>`, "\n")
	p.w(`<div class="search_result"><div class="search_title">找到 <span class="search_result_num">`, strconv.Itoa(len(hits)), "</span> 条结果</div>\n")
	for _, e := range hits[lo:hi] {
		name := esc(e.Name)
		if word != "" && e.USCC != strings.TrimSpace(word) {
			name = strings.ReplaceAll(name, esc(strings.TrimSpace(word)), `<font color=red>`+esc(strings.TrimSpace(word))+`</font>`)
		}
		repLabel := "法定代表人："
		if e.Operator != "" {
			repLabel = "经营者："
		}
		p.w(`<a class="search_list_item db" href="`, e.creditKey, `" target="_blank">`, "\n")
		p.w(`<div class="search_list_item_title"><h1 class="f20">`, name, `</h1><span class="wrap-corpStatus">存续（在营、开业、在册）</span></div>`, "\n")
		p.w(`<div class="div-map2"><span class="label">统一社会信用代码：</span><span class="g3">`, e.USCC, "</span></div>\n")
		p.w(`<div class="div-user2"><span class="label">`, repLabel, `</span><span class="g3">`, esc(e.LegalRep), "</span></div>\n")
		p.f(`<div class="div-info-circle2"><span class="label">成立日期：</span><span class="g3">%04d年%02d月%02d日</span></div>`+"\n",
			e.Established.Year(), int(e.Established.Month()), e.Established.Day())
		p.w("</a>\n")
	}
	p.w(`<div class="pagination">`)
	for i := 1; i <= min(pages, 10); i++ {
		if i == pageNo {
			p.f(`<span class="current">%d</span> `, i)
		} else {
			p.f(`<a href="javascript:turnOverPage(%d)">%d</a> `, i, i)
		}
	}
	p.w("</div></div>\n")
	p.w(`<form id="pageForm" action="/corp-query-search-advancetest.html" method="get"><input type="hidden" name="searchword" value="`, esc(word), `"><input type="hidden" name="page" value="1"></form>`, "\n")
	p.w(`<script>function turnOverPage(n){var f=document.getElementById('pageForm');f.page.value=n;f.submit();}</script>`, "\n</body></html>\n")
	writeHTML(rw, http.StatusOK, []byte(p.String()))
	return reqList
}

func (cw *creditWorld) companyPage(e *enterprise) []byte {
	var p page
	p.w(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>`, esc(e.Name), ` - 国家企业信用信息公示系统</title></head><body>`, "\n")
	p.w(`<div class="overview"><h1 class="fullName">`, esc(e.Name), "</h1><dl>")
	p.w("<dt>统一社会信用代码：</dt><dd>", e.USCC, "</dd>")
	p.w("<dt>法定代表人：</dt><dd>", esc(e.LegalRep), "</dd>")
	p.w("<dt>成立日期：</dt><dd>", e.Established.Chinese(), "</dd>")
	p.w("<dt>住所：</dt><dd>", esc(e.Address), "</dd></dl></div>\n")
	p.w(`<div id="url"><script type="text/javascript">`, "\n")
	p.w(`var entBaseInfoUrl = "`, e.creditKey, "\";\n")
	p.w(`var punishmentDetailInfoUrl = "`, e.dataKeys[rowPunishment], "\";\n")
	p.w(`var spotCheckInfoUrl = "`, e.dataKeys[rowSpotCheck], "\";\n")
	p.w(`var getDrRaninsResUrl = "`, e.dataKeys[rowRanins], "\";\n")
	p.w(`var entBusExcepUrl = "`, e.dataKeys[3], "\";\n")
	p.w("</script></div>\n")
	p.w(`<div id="punishmentDetailInfo"><table id="punishTable" class="table-result"></table></div>`, "\n")
	p.w("</body></html>\n")
	return []byte(p.String())
}

type punishmentJSON struct {
	PenDecNo      string `json:"penDecNo"`
	IllegActType  string `json:"illegActType"`
	PenContent    string `json:"penContent"`
	PenAuthCN     string `json:"penAuth_CN"`
	PenDecIssDate int64  `json:"penDecIssDate"`
	PublicDate    int64  `json:"publicDate"`
	CaseID        string `json:"caseId"`
	PenType       string `json:"penType_CN"`
}

type spotCheckJSON struct {
	InsAuthCN string `json:"insAuth_CN"`
	InsType   string `json:"insType"`
	InsTypeCN string `json:"insType_CN"`
	InsDate   int64  `json:"insDate"`
	InsResCN  string `json:"insRes_CN"`
	NodeNum   string `json:"nodeNum"`
}

type raninsItemJSON struct {
	ItemName string `json:"raninsItemName"`
	ResName  string `json:"raninsCheckResName"`
}

type raninsJSON struct {
	PlanID   string           `json:"raninsPlanId"`
	PlanName string           `json:"raninsPlaneName"`
	TaskID   string           `json:"raninsTaskId"`
	TaskName string           `json:"raninsTaskName"`
	TypeName string           `json:"raninsTypeName"`
	InsAuth  string           `json:"insAuth"`
	InsDate  int64            `json:"insDate"`
	Items    []raninsItemJSON `json:"items"`
}

type dataTablesJSON struct {
	Draw            int   `json:"draw"`
	RecordsTotal    int   `json:"recordsTotal"`
	RecordsFiltered int   `json:"recordsFiltered"`
	TotalPage       int   `json:"totalPage"`
	PerPage         int   `json:"perPage"`
	Start           int   `json:"start"`
	Data            []any `json:"data"`
}

func noisy(on bool, s string) string {
	if !on {
		return s
	}
	return `<span style="font-family:宋体;font-size:14px;">` + strings.Replace(s, "，", "，&nbsp;", 1) + "</span>"
}

func (cw *creditWorld) dataJSON(e *enterprise, kind, draw, start, length int, now calendar.Date) []byte {
	var rows []*creditRow
	if kind < len(e.creditRows) {
		for _, row := range e.creditRows[kind] {
			if row.visible <= now {
				rows = append(rows, row)
			}
		}
	}
	out := dataTablesJSON{Draw: draw, RecordsTotal: len(rows), RecordsFiltered: len(rows), PerPage: length, Start: start,
		TotalPage: (len(rows) + length - 1) / length, Data: []any{}}
	for _, row := range rows[min(start, len(rows)):min(start+length, len(rows))] {
		switch row.kind {
		case rowPunishment:
			pc := row.pen
			out.Data = append(out.Data, punishmentJSON{
				PenDecNo: row.docNo, IllegActType: noisy(row.noisy, pc.IllegType), PenContent: noisy(row.noisy, pc.Content),
				PenAuthCN: pc.Authority, PenDecIssDate: epochMs(pc.Decided), PublicDate: epochMs(row.visible),
				CaseID: row.caseID, PenType: pc.Kind,
			})
		case rowSpotCheck:
			if row.samp != nil {
				res := "合格"
				if !row.samp.Pass {
					res = "不合格"
				}
				out.Data = append(out.Data, spotCheckJSON{InsAuthCN: row.samp.Source, InsType: "1", InsTypeCN: "抽查",
					InsDate: epochMs(row.samp.Date), InsResCN: noisy(row.noisy, "抽查结果："+res), NodeNum: "140000"})
			} else {
				out.Data = append(out.Data, spotCheckJSON{InsAuthCN: row.insp.Authority, InsType: "2", InsTypeCN: "检查",
					InsDate: epochMs(row.insp.Date), InsResCN: noisy(row.noisy, row.insp.Result), NodeNum: "140000"})
			}
		case rowRanins:
			in := row.insp
			y := in.Date.Year()
			out.Data = append(out.Data, raninsJSON{
				PlanID: fmt.Sprintf("%s%d%04d", region.Jincheng[e.county].Code, y, int(in.Date.Month())), PlanName: fmt.Sprintf("%d年%s“双随机、一公开”抽查计划", y, in.Authority),
				TaskID: in.No, TaskName: fmt.Sprintf("%d年%d月%s双随机抽查任务", y, int(in.Date.Month()), itemShortName(in.Item)),
				TypeName: "定向抽查", InsAuth: in.Authority, InsDate: epochMs(in.Date),
				Items: []raninsItemJSON{{ItemName: itemShortName(in.Item), ResName: in.Result}},
			})
		}
	}
	b, _ := json.Marshal(out)
	return b
}

func itemShortName(item string) string {
	switch item {
	case "1.2":
		return "特殊食品经营检查"
	case "1.4":
		return "药品经营检查"
	case "1.5":
		return "化妆品经营检查"
	case "1.6":
		return "医疗机构药品使用检查"
	}
	return "食品经营检查"
}

func writeHTML(rw http.ResponseWriter, status int, body []byte) {
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
	rw.WriteHeader(status)
	rw.Write(body)
}

// CreditSession is the session a person would have opened on the credit
// system: the cookies and captcha answers the mock accepts.
type CreditSession struct {
	Cookies map[string]string
	Captcha map[string]string
	Token   string
}

// CreditSession returns the valid session for this world's credit mock.
func (w *World) CreditSession() CreditSession {
	cw := w.credit
	return CreditSession{
		Cookies: map[string]string{"__jsluid_h": cw.jsluid, "__jsl_clearance_s": cw.clearance},
		Captcha: map[string]string{"geetest_challenge": cw.challenge, "geetest_validate": cw.validate, "geetest_seccode": cw.seccode},
		Token:   cw.token,
	}
}
