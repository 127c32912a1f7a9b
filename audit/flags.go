package audit

// What an auditor is asked to look at in a finding, and how findings are
// told apart across reports: derived from a Finding alone, so that every
// renderer and the week-over-week diff agree.

import "strings"

// Flag kinds: what an auditor is asked to look at in a finding.
const (
	FlagLate       = "逾期公开"
	FlagMissing    = "未公开"
	FlagUnverified = "待核实"
	FlagBackdated  = "发布日期存疑"
	FlagIncomplete = "要素不全"
	// FlagElementsUnverified: elements the tool could not read (a scanned
	// PDF, an unsupported attachment): never counted as missing.
	FlagElementsUnverified = "要素无法核实"
)

// FlagKinds says why a finding needs attention: its status (late, missing,
// unverified), a publication date the sweep history contradicts, or missing
// elements. An on-time, complete or pending finding has none.
func FlagKinds(f Finding) []string {
	var kinds []string
	switch f.Status {
	case Late:
		kinds = append(kinds, FlagLate)
	case Missing:
		kinds = append(kinds, FlagMissing)
	case Unverified:
		kinds = append(kinds, FlagUnverified)
	}
	if HasBackdateDoubt(f) {
		kinds = append(kinds, FlagBackdated)
	}
	if len(f.MissingElements) > 0 {
		kinds = append(kinds, FlagIncomplete)
	}
	if len(f.UnverifiableElements) > 0 {
		kinds = append(kinds, FlagElementsUnverified)
	}
	return kinds
}

// HasBackdateDoubt reports whether the audit noted that the declared
// publication date is contradicted by the sweep history.
func HasBackdateDoubt(f Finding) bool {
	for _, n := range f.Notes {
		if strings.Contains(n, NoteBackdate) {
			return true
		}
	}
	return false
}

// FindingKey identifies a finding across reports: county, item, record
// number and channel.
func FindingKey(f Finding) string {
	return f.County + "\x1f" + f.Item + "\x1f" + f.RecordNo + "\x1f" + f.Channel
}
