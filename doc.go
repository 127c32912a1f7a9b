// Package gongkai holds the nouns every part of the audit shares: what was
// published (Publication with its Disclosures, Attachments and Sheets),
// how completely each place was observed (Sweep, ColumnOutcome), what the
// credit publicity system answered (CreditLookup) and the evidence of
// every exchange (Capture). They sit at the centre, as in Ben Johnson's
// standard package layout: sources/ produces them, store/ keeps them,
// matcher/ and the audit read them, and none of those packages owns them.
// This package imports only the domain packages below it (calendar,
// catalogue), never a dependency such as SQLite or HTTP.
package gongkai
