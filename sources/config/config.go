// Package config reads sites.yaml: how to harvest (politeness, retries,
// limits), which county sites to read and how (CMS family presets plus
// per-column overrides), and the credit-system session a person opened.
//
// Load resolves everything a harvester needs: county names become official
// names, presets are applied so every Column carries complete List, Paging
// and Detail rules, URL guards are compiled, and the in-scope hosts of each
// source are computed. Every mistake is reported as
// "FILE:LINE: key.path: 说明", all of them at once.
package config

import (
	"gongkai"
	"regexp"
	"time"
)

// Config is a loaded sites.yaml.
type Config struct {
	Path     string // the file as given to Load
	Harvest  Harvest
	Counties []County
	Credit   *Credit // nil when the file names no credit-system source
}

// Harvest holds the fetching policy shared by every source.
type Harvest struct {
	Delay         time.Duration // pause between two requests to one host
	Timeout       time.Duration // one HTTP attempt
	RetryAfterCap time.Duration // longest Retry-After honoured
	RetryWait     time.Duration // first back-off after a failed attempt
	RetryWaitMax  time.Duration // longest back-off between attempts
	Retries       int           // attempts after the first
	PerHost       int           // requests in flight per host
	MaxPages      int           // list pages per column unless the column says otherwise
	FullEvery     int           // a full re-walk of every column every N sweeps
	MaxBody       int64         // bytes; larger bodies are refused
	UserAgent     string
}

// DefaultUserAgent names gongkai honestly, so a site's operator knows who
// is reading and why.
const DefaultUserAgent = "gongkai/1.0 (政务公开监测; +https://gongkai.invalid/about)"

// DefaultHarvest returns the policy used for keys the file leaves out.
func DefaultHarvest() Harvest {
	return Harvest{
		Delay:         time.Second,
		Timeout:       30 * time.Second,
		RetryAfterCap: 5 * time.Minute,
		RetryWait:     time.Second,
		RetryWaitMax:  30 * time.Second,
		Retries:       3,
		PerHost:       1,
		MaxPages:      200,
		FullEvery:     7,
		MaxBody:       20 << 20,
		UserAgent:     DefaultUserAgent,
	}
}

// WithDefaults fills the keys a Harvest built in code (not loaded from a
// file) leaves at zero with DefaultHarvest's values: the one place the
// defaults are applied. Delay 0 stays 0 (no politeness delay, as tests and
// benchmarks on loopback ask for).
func (h Harvest) WithDefaults() Harvest {
	def := DefaultHarvest()
	if h.Timeout <= 0 {
		h.Timeout = def.Timeout
	}
	if h.UserAgent == "" {
		h.UserAgent = def.UserAgent
	}
	if h.PerHost < 1 {
		h.PerHost = def.PerHost
	}
	if h.RetryWait <= 0 {
		h.RetryWait = def.RetryWait
	}
	if h.RetryWaitMax < h.RetryWait {
		h.RetryWaitMax = h.RetryWait
	}
	if h.RetryAfterCap <= 0 {
		h.RetryAfterCap = def.RetryAfterCap
	}
	if h.MaxBody <= 0 {
		h.MaxBody = def.MaxBody
	}
	if h.MaxPages <= 0 {
		h.MaxPages = def.MaxPages
	}
	return h
}

// County is one county-level division and the sources that publish for it.
type County struct {
	County    string // official name (泽州县)
	Code      string // division code (140525)
	Catalogue string // path of the county catalogue variant, resolved against the config file; "" = municipal catalogue
	Sources   []Source
}

// Source is one publication system (a county's information-disclosure site).
type Source struct {
	Name    string
	Preset  string   // trs | intertid | hanweb | generic
	Charset string   // auto, or a forced charset label (gbk, utf-8 …)
	Hosts   []string // in-scope hosts: the column URLs' hosts plus the extra ones configured
	Columns []Column
}

// Column is one list inside a source, with its rules resolved (preset
// defaults overlaid with the source's and the column's overrides).
type Column struct {
	Name  string
	URL   string   // first list page
	Items []string // catalogue items the column may hold
	// Kind is what the column publishes (news, notice, policy, catalogue,
	// static): how long it may go without a new item before the column
	// health calls it stale. Never empty after Load: DefaultKind fills it.
	Kind     string
	List     ListRule
	Paging   PagingRule
	Detail   DetailRule
	MaxPages int
	Pattern  *regexp.Regexp // guard: list and detail URL paths (with query) must match; nil = no guard
	// Render says how the column's pages are fetched: over HTTP (the
	// default) or loaded in headless Chromium (render: browser).
	Render RenderRule

	// Copied from the source so that a Column alone is enough to parse pages.
	Source  string
	Preset  string
	Charset string
	Hosts   []string
}

// Column kinds (the kind: key): what a column publishes, and so how long
// it may go without a new item before the audit calls it stale. The kinds
// are the module root's (gongkai.ColumnKinds), shared with the audit.
const (
	KindNews      = gongkai.KindNews
	KindNotice    = gongkai.KindNotice
	KindPolicy    = gongkai.KindPolicy
	KindCatalogue = gongkai.KindCatalogue
	KindStatic    = gongkai.KindStatic
)

// Kinds lists the accepted column kinds.
var Kinds = gongkai.ColumnKinds

// DefaultKind is the kind of a column whose kind: key is left out
// (gongkai.DefaultColumnKind: catalogue with items, notice without).
func DefaultKind(items []string) string { return gongkai.DefaultColumnKind(items) }

// ListRule says how to read entries from a list page. Selectors are CSS
// (goquery); an "@attr" suffix takes an attribute instead of the text.
// Empty fields mean "find it": see package cms for the heuristics.
type ListRule struct {
	Item        string         // one entry (li, tr …)
	Link        string         // the entry's link inside the item
	Title       string         // the entry's title; default: the link's @title, else its text
	Date        string         // the entry's date; default: the first date-shaped text in the item
	DocNo       string         // the document number cell, if the list shows one
	LinkPattern *regexp.Regexp // detail links look like this (path); nil = any in-scope link
}

// Paging kinds.
const (
	PagingCreatePageHTML = "create-page-html" // TRS createPageHTML(count, cur, "index", "shtml"): page N is index_{N-1}
	PagingCountVar       = "count-var"        // a page-count variable (var countPage = N, _pageCount …); pages named by Naming
	PagingListN          = "list-n"           // list_N.html
	PagingIntertid       = "intertid"         // page N is index_N (index_1 does not exist)
	PagingNextLink       = "next-link"        // follow 下一页
	PagingQuery          = "query"            // ?page=N
	PagingHanweb         = "hanweb"           // Hanweb jcms datastore + dataproxy.jsp
	PagingJSONAPI        = "json-api"         // the list comes from a JSON endpoint (paging.api), page by page
	PagingNone           = "none"             // a single page
)

// PagingKinds lists the accepted paging kinds.
var PagingKinds = []string{PagingCreatePageHTML, PagingCountVar, PagingListN, PagingIntertid,
	PagingNextLink, PagingQuery, PagingHanweb, PagingJSONAPI, PagingNone}

// Page namings: how list page N (1-based; page 1 is the column URL) is
// named by the kinds that name pages by file. The naming is independent of
// how the page count is found.
const (
	NamingTRS      = "trs"      // page N is index_{N-1}.shtml (index_1 = page 2)
	NamingIntertid = "intertid" // page N is index_N.shtml (index_2 = page 2; index_1 does not exist)
	NamingListN    = "list-n"   // page N is list_N.html
)

// Namings lists the accepted page namings.
var Namings = []string{NamingTRS, NamingIntertid, NamingListN}

// FileNamedKinds are the paging kinds whose pages are named by file (and so
// take a Naming).
var FileNamedKinds = []string{PagingCreatePageHTML, PagingCountVar, PagingIntertid, PagingListN}

// PagingRule says how a column's list continues past its first page.
type PagingRule struct {
	Kind     string
	Param    string // query: the parameter name (page); count-var: the variable name; next-link: a selector for the next link
	Start    int    // query: the parameter value of the first page (default 1)
	PerPage  int    // hanweb: records asked per dataproxy request (default: the page's perPage × 3)
	Template string // page URL template relative to the column, {n} = page number (1-based), {i} = page index (0-based)
	// Naming is how file-named kinds name page N (trs | intertid | list-n);
	// the loader fills it with Preset.DefaultNaming when the file names none.
	// Template, when set, wins over it.
	Naming string
	// Form (hanweb): dataproxy.jsp form fields (webid, unitid, columnid …)
	// that win over what the column page says.
	Form map[string]string
	// API (json-api): the JSON endpoint the column's shell page fetches
	// its list from; Param names its page parameter (default pageNo) and
	// Start the first page's value (default 1).
	API *APIRule
}

// APIRule says where a JSON-API column's list comes from and where in the
// answer its entries are. Paths are dot-separated keys (data.list; a
// number indexes an array).
type APIRule struct {
	URL     string // the endpoint, absolute or relative to the column URL (query parameters kept)
	Method  string // GET (default) or POST (the page parameter sent as a form field)
	Entries string // the array of entries (data, data.list)
	Title   string // an entry's title (title)
	Link    string // an entry's link (url)
	Date    string // an entry's date (publishDate)
	Total   string // the number of entries the endpoint declares (total); "" = it declares none
}

// DetailRule says how to read a detail page. Empty fields mean "find it".
type DetailRule struct {
	Title       string // default: meta ArticleTitle, then h1/h2, then <title>
	Date        string // a selector whose text is the declared publication date; default: PubDate meta, 发布日期/发布时间 label, list date
	Body        string // default: TRS_Editor / trs_editor_view / UCAP-CONTENT / zoom …
	Metadata    string // the region holding 索引号/发布机构/生成日期/文号; default: the whole page outside the body
	Attachments string // links to attachments; default: links to files (pdf, doc, xls …, downfile.jsp)
}

// Render modes (the render: key).
const (
	RenderHTTP    = "http"    // the page as the server sends it
	RenderBrowser = "browser" // the DOM after headless Chromium ran the page's scripts
)

// RenderRule says how a column's pages are fetched.
type RenderRule struct {
	// Mode is RenderHTTP or RenderBrowser for the list pages (never empty
	// after Load).
	Mode string
	// Details: the detail pages are rendered too (render: browser written
	// on the source).
	Details bool
	// Wait is the CSS selector the rendered list must show before its DOM
	// is read; "" = wait until the page's network falls idle.
	Wait string
	// Timeout bounds the load and the wait; 0 = the harvest timeout.
	Timeout time.Duration
}

// Browser reports whether the column's list pages are rendered in the browser.
func (r RenderRule) Browser() bool { return r.Mode == RenderBrowser }

// Credit is the credit-system source and the session a person opened in a
// browser (the site's challenge and captcha cannot be passed by a program).
type Credit struct {
	Name    string
	URL     string
	Cookies map[string]string
	Captcha map[string]string
}

// AllSources returns every bureau-site source with its county, in file order.
func (c *Config) AllSources() []CountySource {
	var out []CountySource
	for _, county := range c.Counties {
		for _, s := range county.Sources {
			out = append(out, CountySource{County: county.County, Source: s})
		}
	}
	return out
}

// CountySource pairs a source with the official name of its county.
type CountySource struct {
	County string
	Source Source
}
