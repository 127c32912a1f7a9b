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
	// Request is the WARC request record of the exchange (one gzip member,
	// WARC-Concurrent-To the record above); empty for captures stored
	// before it was kept, or made from stored bytes. Empty in Captures
	// listings, as WARC is.
	Request []byte
	// County is the county the capture was committed for (the sweep's, or
	// the publication's or credit lookup's the capture is evidence of);
	// set by the store on Apply, "" when unknown. Stores return it in
	// Capture and Captures.
	County string
}
