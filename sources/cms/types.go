// Package cms reads the pages of the CMS families county sites run on
// (TRS WCM, intertid, Hanweb jcms, and generic lists): list pages into
// entries and further list pages, detail pages into title, declared date,
// label metadata, body, tables and attachment links, and both into the
// store's Publication with its disclosures and record numbers.
package cms

import (
	"gongkai/calendar"
	"gongkai/sources/fetch"
)

// ListResult is what one list page yields.
type ListResult struct {
	Entries []Entry
	// Next are list pages still to fetch, in order. When the page count is
	// known (createPageHTML, countPage, 共N页, Hanweb totalRecord) the first
	// page returns all of them and later pages none; otherwise (next links,
	// sequential ?page=N) each page returns the one after it.
	Next []fetch.Request
	// End: this page is beyond the last (404, 页面不存在, or an empty page
	// of a column whose length is unknown).
	End bool
	// PageCount is the number of list pages the column declares (0 = unknown).
	PageCount int
	// DeclaredTotal is the number of entries the column declares (共N条,
	// Hanweb totalRecord); 0 when the page does not say. The harvester
	// compares it with the entries it saw before calling a column complete.
	DeclaredTotal int
	// Repeats counts list items that repeat a link this page already
	// listed; a declared total counts every item, repeats included.
	Repeats int
	// EmptyMarker: the page shows the site's own empty-list marker (暂无信息,
	// 暂无数据 …), so a list without entries is an observed blank column
	// rather than a list the reader failed to recognise.
	EmptyMarker bool
	// Capped: the column has more pages than MaxPages allows; the rest were
	// not requested, so the column was not fully observed.
	Capped bool
	// Rejected are links that looked like entries but were dropped because
	// they leave the scope or fail the column's pattern (trap guard).
	Rejected []string
	// RejectedPages are the list pages among Rejected: further pages of
	// the column that the scope or pattern kept the walk from (so the
	// column cannot be read whole).
	RejectedPages []string
}

// Entry is one item of a list.
type Entry struct {
	URL      string
	Title    string
	DocNo    string
	Date     calendar.Date
	DateText string
}

// Detail is what a detail page yields.
type Detail struct {
	Title        string
	Declared     calendar.Date     // the publication date the page declares
	DeclaredFrom string            // where it came from: rule, PubDate, 发布日期, list, 时间
	Metadata     map[string]string // 索引号, 发布机构, 生成日期, 文号 … and meta tags (PubDate, Maketime …)
	Body         string
	Links        []Link       // attachments
	BodyLinks    []Link       // other links inside the article body (bodyLinks)
	Tables       [][][]string // HTML tables in the body: rows of cells
	NotFound     bool         // 404 or 页面不存在
}

// Link is an attachment link.
type Link struct {
	URL, Name string
}
