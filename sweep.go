// Sweeps and what they observed of each column.

package gongkai

import (
	"gongkai/catalogue"
	"time"
)

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
