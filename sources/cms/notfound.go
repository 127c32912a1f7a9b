package cms

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"path"
	"strings"
	"unicode"

	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// Soft 404s are recognised by what the site's own missing pages look like:
// ask once for a URL that surely names no page, keep the shape of the
// answer (NotFoundProfile), and compare answers with it. A word in a title
// proves nothing: decisions are numbered 404号 and 1404号.

// ProbeURL is a URL beside the column's first page (same host and
// directory, the same extension) that surely names no page: its name is
// derived from the column URL and cannot be a CMS's page name. "" when the
// column URL cannot be read.
func ProbeURL(col config.Column) string {
	u, err := url.Parse(col.URL)
	if err != nil || u.Host == "" {
		return ""
	}
	dir, file := path.Split(u.Path)
	if dir == "" {
		dir = "/"
	}
	ext := path.Ext(file)
	if ext == "" || len(ext) > 6 {
		ext = ".html"
	}
	sum := sha256.Sum256([]byte("gongkai soft-404 probe " + col.URL))
	p := *u
	p.Path = dir + "gongkai-probe-" + hex.EncodeToString(sum[:8]) + "-nonexistent" + ext
	p.RawPath, p.RawQuery, p.Fragment = "", "", ""
	return p.String()
}

// NotFoundProfile is the shape of the page a site answers with 200 for a
// URL that names no page.
type NotFoundProfile struct {
	ProbeURL string
	FinalURL string // where the probe landed; differs from ProbeURL when missing pages redirect
	Title    string
	skeleton string // body text without the requested URL, digits folded, no white space
}

// NewNotFoundProfile builds the profile from the answer to ProbeURL. It is
// nil when the site answers missing pages honestly (a 4xx or 5xx status),
// when the answer is not an HTML page or is blank, and when it lists
// entries (a site that answers unknown URLs with a real list gives no
// shape to tell missing pages by).
func NewNotFoundProfile(resp *fetch.Response) *NotFoundProfile {
	if resp == nil || !resp.OK() || resp.Challenge || resp.HTML == "" {
		return nil
	}
	p, err := parsePage(resp)
	if err != nil {
		return nil
	}
	prof := &NotFoundProfile{ProbeURL: resp.URL, FinalURL: orDefault(resp.FinalURL, resp.URL),
		Title: cleanSpace(p.doc.Find("title").First().Text()), skeleton: skeleton(p, resp)}
	if prof.Title == "" && prof.skeleton == "" {
		return nil
	}
	bare := config.Column{URL: resp.URL}
	if es, _, _ := entriesFrom(bare, p.base, listItems(bare, p.doc.Selection), false, referenceDay(resp)); len(es) >= 2 {
		return nil
	}
	return prof
}

// Matches reports whether resp is the site's missing-page answer: a 200
// that landed where the probe was redirected, or a page with the probe's
// title and (the requested URL left out) nearly the same text. A real
// page differs from it in its text, whatever its title says.
func (nf *NotFoundProfile) Matches(resp *fetch.Response) bool {
	if nf == nil || resp == nil || !resp.OK() || resp.HTML == "" {
		return false
	}
	final := orDefault(resp.FinalURL, resp.URL)
	if nf.FinalURL != nf.ProbeURL && final == nf.FinalURL && resp.URL != nf.FinalURL {
		return true // missing pages redirect here, and so did this one
	}
	p, err := parsePage(resp)
	if err != nil {
		return false
	}
	if cleanSpace(p.doc.Find("title").First().Text()) != nf.Title {
		return false
	}
	return similar(skeleton(p, resp), nf.skeleton)
}

// skeleton is a page's body text with the requested URL (which missing
// pages often echo) removed, digits folded to 0 (dates, counters) and
// white space dropped.
func skeleton(p *page, resp *fetch.Response) string {
	text := renderText(p.doc.Find("body"), false)
	for _, raw := range []string{resp.URL, resp.FinalURL} {
		if raw == "" {
			continue
		}
		text = strings.ReplaceAll(text, raw, "")
		if u, err := url.Parse(raw); err == nil {
			for _, s := range []string{u.RequestURI(), u.Path, u.EscapedPath(), path.Base(u.Path)} {
				if len(s) > 1 {
					text = strings.ReplaceAll(text, s, "")
				}
			}
		}
	}
	var b strings.Builder
	for _, r := range text {
		switch {
		case unicode.IsSpace(r):
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			b.WriteByte('0')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// similar: equal, or of nearly the same length and sharing nearly all of
// their text at the start and end (a changing ad or counter in between).
func similar(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(ra) == 0 || float64(len(ra)) < 0.9*float64(len(rb)) {
		return false
	}
	pre := 0
	for pre < len(ra) && ra[pre] == rb[pre] {
		pre++
	}
	suf := 0
	for suf < len(ra)-pre && ra[len(ra)-1-suf] == rb[len(rb)-1-suf] {
		suf++
	}
	return float64(pre+suf) >= 0.9*float64(len(rb))
}
