package credit

import (
	"crypto/sha256"
	"encoding/hex"
	"gongkai"
	"strings"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/ident"
)

// field is one JSON key of a data table and its label in the UI.
type field struct {
	Key, Label string
	Date       bool
}

// tableKind describes one of the company page's data tables.
type tableKind struct {
	Var    string // JS variable on the company page
	Column string // the tab's title
	Kind   string // Disclosure.Kind
	Group  string // catalogue group whose items it can satisfy
	Fields []field
	// RowKey names the row inside its table (the URL fragment).
	RowKey func(Row) string
	// Declared is the publication date the row declares (zero if none).
	Declared func(Row) (calendar.Date, string)
	// RecordNos are the identifiers matching keys on.
	RecordNos func(Row) []string
}

var tableKinds = []tableKind{
	{
		Var: "punishmentDetailInfoUrl", Column: "行政处罚信息", Kind: "credit-punishment", Group: "行政处罚",
		Fields: []field{
			{"penDecNo", "决定书文号", false},
			{"illegActType", "违法行为类型", false},
			{"penContent", "行政处罚内容", false},
			{"penAuth_CN", "决定机关名称", false},
			{"penDecIssDate", "处罚决定日期", true},
			{"publicDate", "公示日期", true},
			{"caseId", "案件编号", false},
		},
		RowKey: func(r Row) string {
			if id := r.Text("caseId"); id != "" {
				return id
			}
			return "penDecNo=" + r.Text("penDecNo")
		},
		Declared: func(r Row) (calendar.Date, string) { return r.Date("publicDate"), "公示日期" },
		RecordNos: func(r Row) []string {
			if n := r.Text("penDecNo"); n != "" {
				return []string{n}
			}
			return nil
		},
	},
	{
		Var: "spotCheckInfoUrl", Column: "抽查检查结果信息", Kind: "credit-inspection", Group: "监督检查",
		Fields: []field{
			{"insAuth_CN", "检查实施机关", false},
			{"insType_CN", "类型", false},
			{"insType", "类型代码", false},
			{"insDate", "日期", true},
			{"insRes_CN", "结果", false},
		},
		RowKey: func(r Row) string {
			return "ins=" + hashOf(r.Text("insAuth_CN"), r.Text("insType"), r.Date("insDate").String(), r.Text("insRes_CN"))
		},
		// The system shows no publication date for inspections
		// (contracts.md §3: 发布日期未知).
		Declared:  func(Row) (calendar.Date, string) { return 0, "" },
		RecordNos: func(Row) []string { return nil },
	},
	{
		Var: "getDrRaninsResUrl", Column: "双随机抽查结果信息", Kind: "credit-inspection", Group: "监督检查",
		Fields: []field{
			{"raninsPlanId", "抽查计划编号", false},
			{"raninsPlaneName", "抽查计划名称", false},
			{"raninsTaskId", "抽查任务编号", false},
			{"raninsTaskName", "抽查任务名称", false},
			{"raninsTypeName", "抽查类型", false},
			{"insAuth", "抽查机关", false},
			{"insAuth_CN", "抽查机关名称", false},
			{"insDate", "完成日期", true},
		},
		RowKey: func(r Row) string {
			if id := r.Text("raninsTaskId"); id != "" {
				return "task=" + id
			}
			return "ranins=" + hashOf(r.Text("raninsTaskName"), r.Date("insDate").String())
		},
		Declared: func(Row) (calendar.Date, string) { return 0, "" },
		RecordNos: func(r Row) []string {
			if id := r.Text("raninsTaskId"); id != "" {
				return []string{id}
			}
			return nil
		},
	},
}

// company is the enterprise a row belongs to.
type company struct {
	Name, USCC string
}

// publication turns one data row into a publication with one disclosure.
func (k tableKind) publication(dataURL string, r Row, co company, county, source string, cat *catalogue.Catalogue) gongkai.Publication {
	fields := map[string]string{}
	var lines []string
	for _, f := range k.Fields {
		v := r.Text(f.Key)
		if f.Date {
			if d := r.Date(f.Key); !d.IsZero() {
				v = d.String()
			}
		}
		if v == "" {
			continue
		}
		fields[f.Label] = v
		lines = append(lines, f.Label+"："+v)
	}
	// 双随机 rows list their check items and results.
	if items, ok := r["items"].([]any); ok {
		var parts []string
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				ir := Row(m)
				parts = append(parts, strings.TrimSpace(ir.Text("raninsItemName")+" "+ir.Text("raninsCheckResName")))
			}
		}
		if len(parts) > 0 {
			fields["检查事项及结果"] = strings.Join(parts, "；")
			lines = append(lines, "检查事项及结果："+fields["检查事项及结果"])
		}
	}
	declared, from := k.Declared(r)
	recNos := k.RecordNos(r)
	var decisionNos []string
	if k.Kind == "credit-punishment" {
		decisionNos = recNos
	}
	var usccs []string
	if co.USCC != "" {
		usccs = []string{co.USCC}
	}
	var parties []string
	if co.Name != "" {
		parties = []string{co.Name}
	}
	text := strings.Join(lines, "\n")
	title := strings.TrimSpace(co.Name + " " + k.Column)
	if len(recNos) > 0 {
		title += " " + recNos[0]
	}
	meta := map[string]string{"企业名称": co.Name}
	if co.USCC != "" {
		meta["统一社会信用代码"] = co.USCC
	}
	for kk, v := range fields {
		meta[kk] = v
	}
	var candidates []string
	for _, it := range cat.Items {
		if it.Group == k.Group && it.HasChannel(catalogue.Credit) {
			candidates = append(candidates, it.Code)
		}
	}
	d := gongkai.Disclosure{
		Kind: k.Kind, Ref: k.Column, Fields: fields, Text: text, Date: declared,
		DecisionNos: decisionNos, USCCs: usccs, Parties: parties,
	}
	pub := gongkai.Publication{
		URL:          dataURL + "#" + k.RowKey(r),
		County:       county,
		Channel:      catalogue.Credit,
		Source:       source,
		Column:       k.Column,
		Candidates:   candidates,
		Title:        title,
		Declared:     declared,
		DeclaredFrom: from,
		Metadata:     meta,
		Body:         text,
		Disclosures:  []gongkai.Disclosure{d},
		RecordNos:    recNos,
	}
	// The hash covers what the row says, not where the system serves it
	// (data URLs are opaque and may change between sessions).
	hashParts := []string{k.Kind, co.Name, co.USCC}
	for _, key := range sortedKeys(fields) {
		hashParts = append(hashParts, key+"="+fields[key])
	}
	pub.ContentHash = "sha256:" + hashOf(hashParts...)
	return pub
}

func hashOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// enterpriseKey is how lookups are de-duplicated: the credit code, else the
// normalised party name.
func enterpriseKey(uscc, party string) string {
	if u := strings.ToUpper(strings.TrimSpace(uscc)); u != "" {
		return u
	}
	return ident.NormaliseParty(party)
}
