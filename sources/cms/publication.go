package cms

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"gongkai"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gongkai/catalogue"
	"gongkai/ident"
	"gongkai/sources/config"
)

// BuildPublication turns a parsed detail page (and its attachments, already
// fetched and extracted) into what the store keeps: the publication with
// its declared date and metadata, and the disclosures matching works on —
// the page itself, one per row of each body table, one per row of each
// attachment sheet — each with the identifiers found in it.
func BuildPublication(county config.County, src config.Source, col config.Column, e Entry, d Detail, atts []gongkai.Attachment) gongkai.Publication {
	title := d.Title
	if title == "" || (truncated(title) && e.Title != "" && !truncated(e.Title)) {
		title = e.Title
	}
	pub := gongkai.Publication{
		URL:          e.URL,
		County:       county.County,
		Channel:      catalogue.Website,
		Source:       src.Name,
		Column:       col.Name,
		Candidates:   append([]string(nil), col.Items...),
		Title:        title,
		Declared:     d.Declared,
		DeclaredFrom: d.DeclaredFrom,
		Metadata:     map[string]string{},
		Body:         d.Body,
		Attachments:  atts,
	}
	for k, v := range d.Metadata {
		pub.Metadata[k] = v
	}
	if e.DocNo != "" && pub.Metadata["文号"] == "" {
		pub.Metadata["文号"] = e.DocNo
	}
	if !e.Date.IsZero() {
		pub.Metadata["列表日期"] = e.Date.String()
	}
	if pub.Declared.IsZero() && !e.Date.IsZero() {
		pub.Declared, pub.DeclaredFrom = e.Date, "list"
	}

	// The page as a whole: title, body, attachment names and texts.
	var text strings.Builder
	text.WriteString(title + "\n" + d.Body)
	var names []string
	for _, l := range d.Links {
		names = append(names, l.Name, fileName(l.URL))
	}
	for _, a := range atts {
		names = append(names, a.Name, fileName(a.URL))
		if a.Text != "" {
			text.WriteString("\n" + a.Text)
		}
	}
	fields := bodyFields(d.Body)
	for _, a := range atts {
		for k, v := range bodyFields(a.Text) {
			if _, ok := fields[k]; !ok {
				fields[k] = v
			}
		}
	}
	for _, t := range d.Tables {
		if kv, ok := keyValueTable(t); ok {
			for k, v := range kv {
				if _, seen := fields[k]; !seen {
					fields[k] = v
				}
			}
		}
	}
	page := disclosure("page", "", fields, text.String()+"\n"+strings.Join(names, "\n")+"\n"+e.DocNo+"\n"+pub.Metadata["文号"])
	page.Text = strings.TrimSpace(text.String())
	pub.Disclosures = append(pub.Disclosures, page)

	for ti, t := range d.Tables {
		if _, kv := keyValueTable(t); kv {
			continue
		}
		for _, r := range tableRows(t) {
			pub.Disclosures = append(pub.Disclosures, rowDisclosure("table-row",
				fmt.Sprintf("表格%d第%d行", ti+1, r.n), r.fields, r.cells))
		}
	}
	for ai, a := range atts {
		for _, sh := range a.Sheets {
			for _, r := range tableRows(sh.Rows) {
				pub.Disclosures = append(pub.Disclosures, rowDisclosure("sheet-row",
					fmt.Sprintf("附件%d《%s》%s 第%d行", ai+1, a.Name, sh.Name, r.n), r.fields, r.cells))
			}
		}
	}

	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			pub.RecordNos = append(pub.RecordNos, n)
		}
	}
	for _, dis := range pub.Disclosures {
		for _, n := range dis.DecisionNos {
			add(n)
		}
		for _, n := range dis.SamplingNos {
			add(n)
		}
		// Other identifiers (检查编号, 抽样编号 …) as the row writes them.
		for _, k := range sortedKeys(dis.Fields) {
			if isNumberHeader(k) && looksLikeIdentifier(dis.Fields[k]) {
				if _, ok := ident.ParseDecisionNo(dis.Fields[k]); !ok {
					add(strings.TrimSpace(dis.Fields[k]))
				}
			}
		}
	}
	pub.ContentHash = contentHash(pub)
	return pub
}

// disclosure extracts identifiers from text.
func disclosure(kind, ref string, fields map[string]string, text string) gongkai.Disclosure {
	d := gongkai.Disclosure{Kind: kind, Ref: ref, Fields: fields, Text: text}
	for _, n := range ident.FindDecisionNos(text) {
		d.DecisionNos = appendNew(d.DecisionNos, n.Key())
	}
	sampling, usccs := ident.FindSamplingNosAndUSCCs(text)
	for _, n := range sampling {
		d.SamplingNos = appendNew(d.SamplingNos, n)
	}
	for _, c := range usccs {
		d.USCCs = appendNew(d.USCCs, c)
	}
	for k, v := range fields {
		if isPartyHeader(k) && v != "" {
			d.Parties = appendNew(d.Parties, v)
		}
	}
	sort.Strings(d.Parties)
	return d
}

func rowDisclosure(kind, ref string, fields map[string]string, cells []string) gongkai.Disclosure {
	text := strings.Join(cells, " | ")
	d := disclosure(kind, ref, fields, text)
	for k, v := range fields {
		if isRowDateHeader(k) {
			if dt, _ := findDate(v, 0); !dt.IsZero() {
				d.Date = dt
			}
		}
	}
	return d
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Header words that name the party of a record.
var partyHeaders = []string{"当事人", "相对人", "处罚对象", "违法企业", "被检查单位", "被抽样单位", "被抽检单位", "企业名称", "单位名称", "经营者", "被检查对象"}

func isPartyHeader(h string) bool {
	h = noSpace(h)
	if strings.Contains(h, "代码") || strings.Contains(h, "地址") {
		return false
	}
	for _, p := range partyHeaders {
		if strings.Contains(h, p) {
			return true
		}
	}
	return false
}

// isNumberHeader: a column or label holding a record's identifier.
func isNumberHeader(h string) bool {
	h = noSpace(h)
	return strings.HasSuffix(h, "编号") || strings.HasSuffix(h, "文号") || h == "公告号" || h == "批次号" || strings.HasSuffix(h, "书号")
}

var identifierRe = regexp.MustCompile(`^[0-9A-Za-z\p{Han}〔〕\[\]（）()【】﹝﹞［］〖〗\-_/.]{6,40}$`)

func looksLikeIdentifier(v string) bool {
	v = strings.TrimSpace(v)
	return identifierRe.MatchString(v) && strings.ContainsAny(v, "0123456789")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func isRowDateHeader(h string) bool {
	h = noSpace(h)
	return h == "公示日期" || h == "公告日期" || h == "发布日期" || h == "公示时间" || h == "公开日期"
}

// bodyFieldRe is a "label：value" line of a decision written as paragraphs
// (当事人：某某有限公司).
var bodyFieldRe = regexp.MustCompile(`^([^：:，。；、\s\d]{2,14})[：:]\s*(.+)$`)

func bodyFields(text string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if m := bodyFieldRe.FindStringSubmatch(line); m != nil {
			k := noSpace(m[1])
			if _, ok := out[k]; !ok {
				out[k] = strings.TrimSpace(m[2])
			}
		}
	}
	return out
}

// keyValueTable recognises a two-column label/value table (a decision's
// elements as a table) and returns its pairs.
func keyValueTable(t [][]string) (map[string]string, bool) {
	if len(t) < 3 {
		return nil, false
	}
	out := map[string]string{}
	for _, r := range t {
		if len(r) != 2 {
			return nil, false
		}
		k := strings.TrimRight(noSpace(r[0]), "：:")
		if k == "" || len([]rune(k)) > 16 || strings.ContainsAny(k, "0123456789") {
			return nil, false
		}
		out[k] = r[1]
	}
	return out, true
}

type tableRow struct {
	n      int // 1-based data row number
	cells  []string
	fields map[string]string
}

// Words a header row is made of.
var headerWords = []string{"序号", "名称", "文号", "当事人", "单位", "日期", "结果", "企业", "产品", "编号", "案由", "事实", "依据", "机关", "批号", "规格", "地址", "类别", "项目", "种类"}

// tableRows finds the header row (skipping title rows above it) and turns
// each later row into header → value fields.
func tableRows(t [][]string) []tableRow {
	if len(t) == 0 {
		return nil
	}
	width := 0
	for _, r := range t {
		width = max(width, nonEmpty(r))
	}
	hi := -1
	for i := 0; i < len(t) && i < 6; i++ {
		r := t[i]
		if nonEmpty(r) < max(2, (width*6+9)/10) {
			continue
		}
		words := 0
		for _, c := range r {
			for _, w := range headerWords {
				if strings.Contains(c, w) {
					words++
					break
				}
			}
		}
		if words > 0 {
			hi = i
			break
		}
		if hi < 0 {
			hi = i
		}
	}
	if hi < 0 {
		return nil
	}
	header := make([]string, len(t[hi]))
	for i, h := range t[hi] {
		header[i] = noSpace(h)
	}
	var out []tableRow
	n := 0
	for _, r := range t[hi+1:] {
		if nonEmpty(r) == 0 || sameRow(r, t[hi]) {
			continue
		}
		n++
		f := map[string]string{}
		for i, c := range r {
			k := ""
			if i < len(header) {
				k = header[i]
			}
			if k == "" {
				k = fmt.Sprintf("第%d列", i+1)
			}
			if _, dup := f[k]; dup {
				if f[k] == c {
					continue
				}
				k = fmt.Sprintf("%s(%d)", k, i+1)
			}
			f[k] = c
		}
		out = append(out, tableRow{n: n, cells: r, fields: f})
	}
	return out
}

func nonEmpty(r []string) int {
	n := 0
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func sameRow(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if noSpace(a[i]) != noSpace(b[i]) {
			return false
		}
	}
	return true
}

// contentHash is a digest of what was extracted (not of the raw bytes):
// stable across fetches of an unchanged page, so a page that differs only
// in a visit counter or a timestamp in a script is not a new version.
func contentHash(p gongkai.Publication) string {
	h := sha256.New()
	var num [24]byte
	w := func(parts ...string) {
		for _, s := range parts {
			// len:s; — what fmt's "%d:%s;" writes, without fmt.
			h.Write(strconv.AppendInt(num[:0], int64(len(s)), 10))
			h.Write([]byte{':'})
			io.WriteString(h, s)
			h.Write([]byte{';'})
		}
	}
	w(p.Title, p.Declared.String(), p.Body)
	keys := make([]string, 0, len(p.Metadata))
	for k := range p.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "列表日期" {
			continue // read off the list, not the page; a year-less list date moves with the clock
		}
		w(k, p.Metadata[k])
	}
	for _, a := range p.Attachments {
		w(a.URL, a.Name, a.Evidence)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
