// Publications: pages and entries as published, with their disclosures.

package gongkai

import (
	"gongkai/calendar"
	"gongkai/catalogue"
	"time"
)

// PubState is a publication's state.
type PubState string

const (
	Current   PubState = "current"
	Changed   PubState = "changed" // current, and edited since first seen
	Withdrawn PubState = "withdrawn"
)

// Publication is a page or entry as published on a channel.
type Publication struct {
	URL          string            `json:"url"` // key; credit rows use the data URL plus #caseId
	County       string            `json:"county"`
	Channel      catalogue.Channel `json:"channel"`
	Source       string            `json:"source"`
	Column       string            `json:"column"`
	Candidates   []string          `json:"candidates,omitempty"` // catalogue items the column may hold
	Title        string            `json:"title"`
	Declared     calendar.Date     `json:"declared"`                // publication date the channel declares
	DeclaredFrom string            `json:"declared_from,omitempty"` // where it came from: list, PubDate, 发布时间 …
	Metadata     map[string]string `json:"metadata,omitempty"`      // 索引号, 发布机构, 生成日期, 文号, Maketime …
	Body         string            `json:"body,omitempty"`          // extracted text
	Attachments  []Attachment      `json:"attachments,omitempty"`
	Disclosures  []Disclosure      `json:"disclosures,omitempty"`
	RecordNos    []string          `json:"record_nos,omitempty"` // identifiers found, as written
	ContentHash  string            `json:"content_hash"`
	CaptureID    string            `json:"capture_id,omitempty"` // WARC record of the detail page
	Evidence     string            `json:"evidence,omitempty"`   // sha256:… payload digest
	FirstSeen    time.Time         `json:"first_seen"`
	LastSeen     time.Time         `json:"last_seen"`
	State        PubState          `json:"state"`
	Version      int               `json:"version"`
	Withdrawn    time.Time         `json:"withdrawn,omitempty"`
}

// Attachment is a linked file kept as evidence.
type Attachment struct {
	URL       string  `json:"url"`
	Name      string  `json:"name"` // link text / file name
	MediaType string  `json:"media_type,omitempty"`
	Size      int64   `json:"size"`
	Evidence  string  `json:"evidence,omitempty"` // sha256:…
	CaptureID string  `json:"capture_id,omitempty"`
	Text      string  `json:"text,omitempty"`   // extracted text (DOCX, PDF)
	Sheets    []Sheet `json:"sheets,omitempty"` // extracted tables (XLSX, XLS, CSV)
	Error     string  `json:"error,omitempty"`  // why it could not be fetched or read
}

// Sheet is a table extracted from an attachment.
type Sheet struct {
	Name string     `json:"name"`
	Rows [][]string `json:"rows"`
}

// Disclosure is a unit that can satisfy a record: a whole page, one table
// row, one spreadsheet row, one credit-system JSON row.
type Disclosure struct {
	Kind        string            `json:"kind"`             // page, table-row, sheet-row, credit-punishment, credit-inspection
	Ref         string            `json:"ref,omitempty"`    // where inside the publication: "表格第3行", "附件1 合格 第5行"
	Fields      map[string]string `json:"fields,omitempty"` // header → value for rows
	Text        string            `json:"text,omitempty"`
	Date        calendar.Date     `json:"date,omitempty"` // a date the row declares as its publication (公示日期)
	DecisionNos []string          `json:"decision_nos,omitempty"`
	SamplingNos []string          `json:"sampling_nos,omitempty"`
	USCCs       []string          `json:"usccs,omitempty"`
	Parties     []string          `json:"parties,omitempty"`
}
