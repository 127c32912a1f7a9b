package cms

import (
	"github.com/PuerkitoBio/goquery"
)

// bodyLinks are the links inside a detail page's article body other than
// its attachments: the pages an item points its readers to. Anchors,
// mailto:, javascript: and the like lead nowhere to check and are left
// out (resolveURL), as are links to the page itself. Whether a link is
// internal (same site) is the harvester's to decide: it knows the
// configured hosts.
func bodyLinks(p *page, body *goquery.Selection, attachments []Link) []Link {
	if body == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, a := range attachments {
		seen[a.URL] = true
	}
	self := *p.base
	self.Fragment = ""
	seen[self.String()] = true
	var out []Link
	body.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u := resolveURL(p.base, href)
		if u == nil || isAttachment(u) {
			return
		}
		s := u.String()
		if seen[s] {
			return
		}
		seen[s] = true
		name := cleanSpace(a.Text())
		if name == "" {
			name = cleanSpace(a.AttrOr("title", ""))
		}
		out = append(out, Link{URL: s, Name: name})
	})
	return out
}
