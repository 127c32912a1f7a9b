// Package audit holds the audit rules — due dates, statuses, coverage,
// scores and the doubt about declared dates — and the Report they produce,
// whose types are the JSON contract (contracts.md §4). It reads the store,
// lets the matcher classify and link, and only judges; package reports
// renders and diffs its results. The CLI, the weekly schedule and the web
// UI all call Build here.
package audit

// Status of one expected record on one channel (contracts.md §3).
type Status string

const (
	OnTime     Status = "ontime"
	Late       Status = "late"
	Missing    Status = "missing"
	Pending    Status = "pending"
	Unverified Status = "unverified"
)

// Label is the status as users read it.
func (s Status) Label() string {
	switch s {
	case OnTime:
		return "按时公开"
	case Late:
		return "逾期公开"
	case Missing:
		return "未公开"
	case Pending:
		return "未到期"
	case Unverified:
		return "待核实"
	}
	return string(s)
}

// Report is the whole result of one audit run. Field names are the contract.
type Report struct {
	AsOf        string        `json:"as_of"`
	From        string        `json:"from,omitempty"`
	To          string        `json:"to,omitempty"`
	GeneratedAt string        `json:"generated_at"`
	Catalogue   string        `json:"catalogue"`
	Sources     []SourceState `json:"sources"`
	Findings    []Finding     `json:"findings"`
	Coverage    []Coverage    `json:"coverage"`
	Counties    []CountyIndex `json:"counties"`
	Items       []Item        `json:"items"`
	Ambiguities []Ambiguity   `json:"ambiguities,omitempty"`
	// ColumnHealth is, per website column, whether it is kept up
	// (栏目健康): stale, blank, undated items, dead links, changed dates,
	// withdrawn pages, each with its evidence; omitted when the run has no
	// website column.
	ColumnHealth []ColumnHealth `json:"column_health,omitempty"`
}

// SourceState is how completely a source was observed.
type SourceState struct {
	County   string   `json:"county"`
	Source   string   `json:"source"`
	Channel  string   `json:"channel"`
	Complete bool     `json:"complete"`
	LastSync string   `json:"last_sync"`
	Errors   int      `json:"errors"`
	Failed   []string `json:"failed,omitempty"` // columns not fully observed
	// Columns say per column of the latest sweep whether it was fully
	// observed and, when not, why.
	Columns []SourceColumn `json:"columns,omitempty"`
}

// SourceColumn is how completely one column of a source was observed.
type SourceColumn struct {
	Column   string `json:"column"`
	Complete bool   `json:"complete"`
	Reason   string `json:"reason,omitempty"` // why not complete, in Chinese
	Blank    bool   `json:"blank,omitempty"`  // complete, and the site shows its own empty-list marker
}

// Finding is one expected record on one channel.
type Finding struct {
	County          string   `json:"county"`
	Item            string   `json:"item"`
	RecordNo        string   `json:"record_no"`
	Title           string   `json:"title,omitempty"`
	Party           string   `json:"party,omitempty"`
	Channel         string   `json:"channel"`
	Status          Status   `json:"status"`
	FormedOn        string   `json:"formed_on"`
	Due             string   `json:"due"`
	Published       string   `json:"published,omitempty"`
	LateWorkdays    int      `json:"late_workdays,omitempty"`
	URL             string   `json:"url,omitempty"`
	Evidence        string   `json:"evidence,omitempty"`
	MissingElements []string `json:"missing_elements,omitempty"`
	// UnverifiableElements are elements not found where part of the
	// disclosure could not be read (a scanned PDF, an unsupported or failed
	// attachment): 要素无法核实, never counted as missing.
	UnverifiableElements []string `json:"unverifiable_elements,omitempty"`
	FirstSeen            string   `json:"first_seen,omitempty"`
	Notes                []string `json:"notes,omitempty"` // 发布日期存疑, 发布日期未知, why unverified …
	MatchedBy            string   `json:"matched_by,omitempty"`

	// DueEarliest and DueLatest bound a due date that falls in days no
	// loaded holiday notice settles (late December, the next year): set
	// only then, and Due is empty.
	DueEarliest string `json:"due_earliest,omitempty"`
	DueLatest   string `json:"due_latest,omitempty"`
	// LateWorkdaysAtLeast: LateWorkdays is the least the delay can be; the
	// exact count waits for a holiday notice (or for proof of absence).
	LateWorkdaysAtLeast bool `json:"late_workdays_at_least,omitempty"`
}

// Coverage bases (Coverage.Basis): what a cell's score rests on.
const (
	BasisRecords = "records" // the due disclosures of expected records
	BasisColumn  = "column"  // no records: presence and freshness of the column
	BasisNone    = "none"    // nothing to judge
)

// Coverage aggregates one county × catalogue item.
type Coverage struct {
	County         string  `json:"county"`
	Item           string  `json:"item"`
	Expected       int     `json:"expected"`
	OnTime         int     `json:"ontime"`
	Late           int     `json:"late"`
	Missing        int     `json:"missing"`
	Pending        int     `json:"pending"`
	Unverified     int     `json:"unverified"`
	PublishedItems int     `json:"published_items"`
	Score          float64 `json:"score"`
	Note           string  `json:"note,omitempty"`
	// Records is the number of expected records behind Expected (which
	// counts record × channel findings, so that the statuses add up to it).
	Records int `json:"records"`
	// Basis says what Score rests on: "records" (the due disclosures),
	// "column" (no expected records: presence and freshness of the item's
	// publications), or "none" (nothing to judge; Score is not meaningful).
	Basis string `json:"basis,omitempty"`
}

// CountyIndex is a county's overall index.
type CountyIndex struct {
	County   string  `json:"county"`
	Score    float64 `json:"score"`
	Timely   float64 `json:"timeliness"`
	Complete float64 `json:"completeness"`
}

// Item is a harvested publication as the report lists it.
type Item struct {
	County    string   `json:"county"`
	Channel   string   `json:"channel"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Item      string   `json:"item"`
	Published string   `json:"published,omitempty"`
	FirstSeen string   `json:"first_seen"`
	RecordNos []string `json:"record_nos,omitempty"`
	State     string   `json:"state,omitempty"`
	Reason    string   `json:"reason,omitempty"` // why it was classified to Item
}

// Ambiguity is a record with more than one candidate disclosure that the
// matcher could not decide between.
type Ambiguity struct {
	County     string   `json:"county"`
	Item       string   `json:"item"`
	RecordNo   string   `json:"record_no"`
	Channel    string   `json:"channel"`
	Candidates []string `json:"candidates"`
}

// Statuses lists every status in the order reports show them.
var Statuses = []Status{OnTime, Late, Missing, Pending, Unverified}

// ColumnHealth is the health of one website column (栏目健康), from the
// harvest history up to the report's as-of day.
type ColumnHealth struct {
	County string `json:"county"`
	Source string `json:"source"`
	Column string `json:"column"`
	URL    string `json:"url,omitempty"` // the first list page
	Kind   string `json:"kind"`          // news, notice, policy, catalogue, static
	// AllowedDays is how long the kind may go without a new item (0:
	// static, never stale; notice, policy and catalogue columns: six
	// calendar months, given here as the days of the six months before as_of).
	AllowedDays int `json:"allowed_days"`
	// Newest is the declared date of the column's newest current item
	// ("" when it lists none); DaysWithoutNew the days from it to as_of.
	Newest         string `json:"newest,omitempty"`
	DaysWithoutNew int    `json:"days_without_new"`
	Items          int    `json:"items"` // current (not withdrawn) items the store holds for the column
	// Observed is when the column was last observed completely ("" =
	// never); Complete whether its latest observation was complete.
	Observed string `json:"observed,omitempty"`
	Complete bool   `json:"complete"`
	Reason   string `json:"reason,omitempty"` // why the latest observation was not complete

	Stale     bool             `json:"stale"`
	Blank     bool             `json:"blank"`
	Undated   []HealthEvidence `json:"undated,omitempty"`
	DeadLinks []DeadLink       `json:"dead_links,omitempty"`
	Redated   []Redated        `json:"redated,omitempty"`
	Withdrawn []HealthEvidence `json:"withdrawn,omitempty"`
	// Verdict is the column's state in Chinese: 正常, or the problems
	// found (超期未更新, 空白栏目, …) joined by "；", or 待核实 with the reason
	// when the column was never observed completely.
	Verdict string `json:"verdict"`
	// Evidence shows the stale or blank verdict: the newest item, or the
	// list page that listed nothing.
	Evidence []HealthEvidence `json:"evidence,omitempty"`
}

// HealthEvidence is a page that shows a column health finding.
type HealthEvidence struct {
	URL       string `json:"url"`
	Title     string `json:"title,omitempty"`
	Date      string `json:"date,omitempty"`       // declared date, or the day it was withdrawn
	CaptureID string `json:"capture_id,omitempty"` // WARC record that shows it
	Note      string `json:"note,omitempty"`
}

// DeadLink is a link inside a published item (an attachment, or an
// internal link of its text) that answered 4xx or could not be fetched,
// with the page it was found on.
type DeadLink struct {
	Page        string `json:"page"`
	PageTitle   string `json:"page_title,omitempty"`
	PageCapture string `json:"page_capture,omitempty"` // capture of the page that links it
	Link        string `json:"link"`
	Name        string `json:"name,omitempty"`
	Error       string `json:"error"`
	// Type is attachment (an attachment that answered 4xx) or link (an
	// internal link of the page's text that answered 4xx, failed or showed
	// the site's missing page; checked once per sweep).
	Type        string `json:"type,omitempty"`
	LinkCapture string `json:"link_capture,omitempty"` // capture of the link's last check (internal links; "" when nothing answered)
	Checked     string `json:"checked,omitempty"`      // when an internal link was last checked (RFC 3339)
}

// Dead link types.
const (
	DeadAttachment = "attachment"
	DeadInternal   = "link"
)

// Redated is a page whose declared date changed after it was first seen.
type Redated struct {
	URL          string `json:"url"`
	Title        string `json:"title,omitempty"`
	From         string `json:"from"` // declared date first seen
	To           string `json:"to"`   // declared date now
	FirstCapture string `json:"first_capture,omitempty"`
	CaptureID    string `json:"capture_id,omitempty"` // capture of the version that declares To
}
