// Package store defines what gongkai keeps and the interface every storage
// backend implements: the embedded SQLite store (store/sqlite) and the shared
// Redis store (store/redis). Backends register themselves by URL scheme, the
// way database/sql drivers do; callers open a store with Open("sqlite://…").
//
// Writes from the harvester go through Apply, one Batch per unit of work (a
// detail page with its attachments and captures, a list page, a credit
// lookup), in one transaction: a URL counts as done only once its Batch is
// committed, so a crash loses at most the unit in flight.
package store

import (
	"context"
	"time"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
)

// Store is the persistence interface. Implementations must pass storetest.
type Store interface {
	// ImportRecords stores one file's records in one transaction; a record
	// whose Key already exists is replaced. It counts new, replaced and
	// unchanged (same content, whatever file it came from) records.
	ImportRecords(ctx context.Context, recs []records.Record) (ImportSummary, error)
	// Records lists expected records, filtered.
	Records(ctx context.Context, q RecordQuery) ([]records.Record, error)

	// BeginSweep starts a sweep of one source and returns its ID.
	BeginSweep(ctx context.Context, s Sweep) (int64, error)
	// FinishSweep records the end of a sweep (Finished set, Interrupted if
	// stopped early). Column outcomes arrive through Batch.Column.
	FinishSweep(ctx context.Context, id int64, finished time.Time, interrupted bool) error
	// Sweeps lists sweeps with their column outcomes, newest first.
	Sweeps(ctx context.Context, q SweepQuery) ([]Sweep, error)

	// Apply commits a batch of harvest results atomically.
	Apply(ctx context.Context, b Batch) (BatchResult, error)

	// FetchState returns the per-URL state, ok=false if never fetched.
	FetchState(ctx context.Context, url string) (FetchState, bool, error)
	// Publication returns the current version of a publication by URL.
	Publication(ctx context.Context, url string) (Publication, bool, error)
	// Publications lists current publications, filtered; Versions are not filled.
	Publications(ctx context.Context, q PublicationQuery) ([]Publication, error)
	// Versions lists every stored version of a publication, oldest first.
	Versions(ctx context.Context, url string) ([]Publication, error)
	// CreditLookups lists credit-system lookups, newest first.
	CreditLookups(ctx context.Context, q CreditQuery) ([]CreditLookup, error)
	// Capture returns one stored capture (a WARC record) by its record ID.
	Capture(ctx context.Context, id string) (Capture, bool, error)
	// Captures streams capture metadata in commit order (for WARC export).
	Captures(ctx context.Context, fn func(Capture) error) error

	Close() error
}

// ImportSummary says what an import changed.
type ImportSummary struct {
	Added, Replaced, Unchanged int
}

// RecordQuery filters records; empty fields match all.
type RecordQuery struct {
	County string
	Item   string
}

// Sweep is one sync of one source.
type Sweep struct {
	ID          int64
	Source      string // source name from sites.yaml
	County      string // official county name, "" for the credit system
	Channel     catalogue.Channel
	Full        bool // a full re-walk (not stopping at known items)
	Started     time.Time
	Finished    time.Time // zero while running or if the process died
	Interrupted bool
	Columns     []ColumnOutcome
}

// Complete reports whether the sweep finished and every column was fully observed.
func (s Sweep) Complete() bool {
	if s.Finished.IsZero() || s.Interrupted {
		return false
	}
	for _, c := range s.Columns {
		if !c.Complete {
			return false
		}
	}
	return true
}

// ColumnOutcome says how completely one column (list) was observed in a sweep.
type ColumnOutcome struct {
	Column        string   // column name from sites.yaml
	Items         []string // catalogue items the column may hold
	Complete      bool     // every list page and every needed detail observed
	ListPages     int
	ListFailed    int
	Details       int
	DetailsFailed int
	Errors        []string // what failed, one line each (URL: reason)
	ObservedAt    time.Time
	// Reason says in Chinese why the column is not complete ("" when it
	// is): which page failed, which declared total disagreed, what was seen.
	Reason string
	// FailedPages are the request keys (URL, plus "#form" for POSTs) of the
	// list pages that could not be read; the next sweep walks on until it
	// has asked for each of them again.
	FailedPages []string
	// Blank: complete, and the column lists nothing while the site shows its
	// own empty-list marker (暂无信息 …): an observed empty column.
	Blank bool
	// DeclaredPages and DeclaredTotal are the list pages and entries the
	// column declares (0 = the site does not say); Listed is the number of
	// distinct entries seen on the walked list pages (those not followed,
	// such as links to other sites, included).
	DeclaredPages int
	DeclaredTotal int
	Listed        int
}

// Why is the reason the column is not complete, for people: Reason, or for
// outcomes stored before reasons were kept, the first error line.
func (c ColumnOutcome) Why() string {
	switch {
	case c.Complete:
		return ""
	case c.Reason != "":
		return c.Reason
	case len(c.Errors) > 0:
		return c.Errors[0]
	}
	return "未完整采集"
}

// SweepQuery filters sweeps; zero fields match all.
type SweepQuery struct {
	Source string
	County string
	Limit  int
}

// FetchState is what the harvester remembers per URL for incremental sync.
type FetchState struct {
	URL          string
	ETag         string
	LastModified string
	ContentHash  string // hash of the extracted part, not of the raw bytes
	LastStatus   int
	LastFetched  time.Time
	ErrorCount   int
	LastError    string
	CaptureID    string // last capture of this URL
}

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

// PublicationQuery filters publications; zero fields match all.
type PublicationQuery struct {
	County           string
	Channel          catalogue.Channel
	Source           string
	IncludeWithdrawn bool
	WithBodies       bool // fill Body, Attachments text and Disclosures (heavier)
}

// CreditLookup is one targeted lookup on the credit system for an enterprise.
type CreditLookup struct {
	County     string    `json:"county"`
	Key        string    `json:"key"` // USCC, else normalised party name
	Party      string    `json:"party,omitempty"`
	At         time.Time `json:"at"`
	Observed   bool      `json:"observed"`         // false: challenge, captcha, login wall, error
	Reason     string    `json:"reason,omitempty"` // why not observed
	CompanyURL string    `json:"company_url,omitempty"`
	CaptureID  string    `json:"capture_id,omitempty"`
}

// CreditQuery filters credit lookups.
type CreditQuery struct {
	County string
	Key    string
}

// Capture is one HTTP exchange as fetched, kept as a WARC record.
type Capture struct {
	ID            string // WARC-Record-ID, <urn:uuid:…>
	URL           string
	At            time.Time
	Type          string // response, revisit, metadata
	Status        int
	PayloadDigest string // sha256:<hex>
	WARC          []byte // the record as one gzip member (empty in Captures listings)
}

// Batch is one unit of harvest work, committed atomically.
type Batch struct {
	SweepID      int64
	At           time.Time
	Captures     []Capture
	FetchStates  []FetchState
	Publications []Publication // observed now; the store decides new/changed/unchanged by ContentHash
	Seen         []string      // URLs of known publications seen on a list (touches LastSeen; revives a withdrawn one as a new version)
	Withdrawn    []string      // URLs confirmed gone (off the list and 404/页面不存在)
	Credit       []CreditLookup
	Column       *ColumnOutcome // a column finished
}

// BatchResult says what Apply did with each publication.
type BatchResult struct {
	New, Changed, Unchanged, Withdrawn int
}
