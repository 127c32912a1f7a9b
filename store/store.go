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
	"gongkai"
	"time"

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
	BeginSweep(ctx context.Context, s gongkai.Sweep) (int64, error)
	// FinishSweep records the end of a sweep (Finished set, Interrupted if
	// stopped early). Column outcomes arrive through Batch.Column.
	FinishSweep(ctx context.Context, id int64, finished time.Time, interrupted bool) error
	// Sweeps lists sweeps with their column outcomes, newest first.
	Sweeps(ctx context.Context, q SweepQuery) ([]gongkai.Sweep, error)

	// Apply commits a batch of harvest results atomically.
	Apply(ctx context.Context, b Batch) (BatchResult, error)

	// FetchState returns the state of a GET of url, ok=false if never fetched.
	FetchState(ctx context.Context, url string) (FetchState, bool, error)
	// FetchStates returns the state of every request (GET or POST) whose URL
	// starts with one of the prefixes ("http://host/"): the harvester
	// reads a source's states once per sweep.
	FetchStates(ctx context.Context, prefixes []string) ([]FetchState, error)
	// ListEntries returns what the lists last showed for every entry whose
	// URL starts with one of the prefixes.
	ListEntries(ctx context.Context, prefixes []string) ([]ListEntry, error)
	// PageLinks returns the internal links found on every page whose URL
	// starts with one of the prefixes (nil: every page), each page with all
	// its links and their last check; DeadOnly keeps the pages with at
	// least one dead link.
	PageLinks(ctx context.Context, q PageLinkQuery) ([]PageLinks, error)
	// gongkai.Publication returns the current version of a publication by URL.
	Publication(ctx context.Context, url string) (gongkai.Publication, bool, error)
	// Publications lists current publications, filtered; Versions are not filled.
	Publications(ctx context.Context, q PublicationQuery) ([]gongkai.Publication, error)
	// Versions lists every stored version of a publication, oldest first.
	Versions(ctx context.Context, url string) ([]gongkai.Publication, error)
	// CreditLookups lists credit-system lookups, newest first.
	CreditLookups(ctx context.Context, q CreditQuery) ([]gongkai.CreditLookup, error)
	// gongkai.Capture returns one stored capture (a WARC record) by its record ID.
	Capture(ctx context.Context, id string) (gongkai.Capture, bool, error)
	// Captures streams capture metadata in commit order (for WARC export).
	Captures(ctx context.Context, fn func(gongkai.Capture) error) error

	Close() error
}

// GroupApplier is the optional capability of a store that commits several
// batches in one transaction, each applied as Apply would apply it
// (store/sqlite has it). Callers find it by type assertion, as io.Copy
// finds io.WriterTo; a store without it gets one transaction per batch.
type GroupApplier interface {
	ApplyBatches(ctx context.Context, bs []Batch) ([]BatchResult, error)
}

// PublicationStreamer is the optional capability of a store that hands
// publications over one at a time instead of in one slice (store/sqlite
// has it); the audit of a province reads a few hundred thousand.
type PublicationStreamer interface {
	EachPublication(ctx context.Context, q PublicationQuery, fn func(gongkai.Publication) error) error
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

// SweepQuery filters sweeps; zero fields match all.
type SweepQuery struct {
	Source string
	County string
	Limit  int
}

// FetchState is what the harvester remembers per request for incremental
// sync: a GET of URL, or a POST of Form to it.
type FetchState struct {
	URL          string
	Form         string // encoded form of a POST (Hanweb's dataproxy pages share one URL); "" for a GET
	ETag         string
	LastModified string
	ContentHash  string // hash of the extracted part, not of the raw bytes
	LastStatus   int
	LastFetched  time.Time
	ErrorCount   int
	LastError    string
	CaptureID    string // last capture of this URL
}

// ListEntry is what a list last showed for an entry: the signature of its
// title, date and document number there. Lists often show a shorter title
// or another date than the detail page, so an incremental walk compares an
// entry with its own earlier signature, not with the publication.
type ListEntry struct {
	URL       string // the entry's detail URL
	Signature string
	Seen      time.Time
}

// PageLink is a link inside a published page's body that points into the
// site (an internal link), with the result of its last check.
type PageLink struct {
	URL       string // the link, resolved
	Name      string // its text
	Status    int    // HTTP status of the last check (0: no answer)
	Error     string // why the link is dead ("HTTP 404", a transport failure, 页面不存在); "" when it answered
	CheckedAt time.Time
	CaptureID string // capture of the check
}

// Dead reports whether the link's last check found it dead.
func (l PageLink) Dead() bool { return l.Error != "" }

// PageLinks are the internal links of one page, as its latest parsed
// version links them.
type PageLinks struct {
	Page  string
	Links []PageLink
}

// PageLinkQuery filters PageLinks.
type PageLinkQuery struct {
	Prefixes []string // page URL prefixes; nil = every page
	DeadOnly bool     // only pages with a dead link (each still with all its links)
}

// PublicationQuery filters publications; zero fields match all.
type PublicationQuery struct {
	County           string
	Channel          catalogue.Channel
	Source           string
	IncludeWithdrawn bool
	WithBodies       bool // fill Body, Attachments text and Disclosures (heavier)
}

// CreditQuery filters credit lookups.
type CreditQuery struct {
	County string
	Key    string
}

// Batch is one unit of harvest work, committed atomically.
type Batch struct {
	SweepID      int64
	At           time.Time
	Captures     []gongkai.Capture
	FetchStates  []FetchState
	ListEntries  []ListEntry
	Publications []gongkai.Publication // observed now; the store decides new/changed/unchanged by ContentHash
	Seen         []string              // URLs of known publications seen on a list (touches LastSeen; revives a withdrawn one as a new version)
	Withdrawn    []string              // URLs confirmed gone (off the list and 404/页面不存在)
	Credit       []gongkai.CreditLookup
	// PageLinks replace, page by page, the internal links stored for each
	// page named (no links: the page has none now).
	PageLinks []PageLinks
	Column    *gongkai.ColumnOutcome // a column finished
}

// BatchResult says what Apply did with each publication.
type BatchResult struct {
	New, Changed, Unchanged, Withdrawn int
}
