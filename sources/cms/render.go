package cms

import (
	"net/http"
	"strings"

	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// BrowserRender is how a column's pages are loaded in the browser
// (render: browser): waiting as configured, reaching only the source's
// hosts.
func BrowserRender(col config.Column) *fetch.Render {
	return &fetch.Render{Wait: col.Render.Wait, Timeout: col.Render.Timeout, Hosts: col.Hosts}
}

// ListRequest is a list-page request as the column fetches it: loaded in
// the browser when the column says render: browser. Only pages are:
// a JSON endpoint, a form POST (Hanweb's dataproxy) stay plain requests.
func ListRequest(col config.Column, req fetch.Request) fetch.Request {
	if col.Render.Browser() && col.Paging.Kind != config.PagingJSONAPI && req.Form == nil && req.Body == nil &&
		(req.Method == "" || strings.EqualFold(req.Method, http.MethodGet)) {
		req.Browser = BrowserRender(col)
	}
	return req
}

// ListsNothing reports whether a page shows no list entry the heuristics
// recognise (an empty shell, or a list a script builds).
func ListsNothing(resp *fetch.Response) bool {
	p, err := parsePage(resp)
	return err == nil && listsNothing(p)
}

// HasScript reports whether a page carries a script that could build its
// list (inline or linked).
func HasScript(resp *fetch.Response) bool {
	p, err := parsePage(resp)
	return err == nil && p.doc.Find("script").Length() > 0
}
