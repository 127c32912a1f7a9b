package reports

import (
	"encoding/json"
	"io"
)

// RenderJSON writes the report as the contract JSON (contracts.md §4),
// indented, with Chinese and <> written as themselves. Empty lists are
// written as [] rather than null so that consumers can iterate them.
func RenderJSON(w io.Writer, r *Report) error {
	out := *r
	if out.Sources == nil {
		out.Sources = []SourceState{}
	}
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	if out.Coverage == nil {
		out.Coverage = []Coverage{}
	}
	if out.Counties == nil {
		out.Counties = []CountyIndex{}
	}
	if out.Items == nil {
		out.Items = []Item{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(&out)
}

// ReadJSON reads a report written by RenderJSON (the weekly schedule reads
// last week's report to say what changed).
func ReadJSON(rd io.Reader) (*Report, error) {
	var r Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}
