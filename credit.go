// Lookups on the enterprise credit publicity system.

package gongkai

import (
	"time"
)

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
