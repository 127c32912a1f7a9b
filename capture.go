// Captures: the evidence of every HTTP exchange.

package gongkai

import (
	"time"
)

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
