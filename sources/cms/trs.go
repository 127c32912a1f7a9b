package cms

import (
	"regexp"
	"strconv"

	"gongkai/sources/config"
)

// The TRS WCM family (拓尔思): a column is index.shtml, page 2 is
// index_1.shtml, and the page count is only in a createPageHTML(count,
// current, "index", "shtml") script; details are ./YYYYMM/tYYYYMMDD_N.shtml.
// Some TRS sites keep the count in a variable instead (count-var).
func init() {
	family(config.Preset{
		Name:   "trs",
		List:   config.ListRule{DocNo: "td.affaires-doc-sizes", LinkPattern: trsDetail},
		Paging: config.PagingRule{Kind: config.PagingCreatePageHTML, Naming: config.NamingTRS},
	}, map[string]paging{
		config.PagingCreatePageHTML: {count: createPageCount},
		config.PagingCountVar:       {count: countVarCount},
	})
}

// TRS WCM detail pages: ./YYYYMM/tYYYYMMDD_NNNNNNN.shtml (multi-page: _1).
var trsDetail = regexp.MustCompile(`/t\d{8}_\d+(?:_\d+)?\.s?html?$`)

// createPageCount reads createPageHTML's count; its stem and extension
// name the pages.
func createPageCount(pc *pageContext) int {
	m := createPageRe.FindStringSubmatch(pc.text)
	if m == nil {
		return 0
	}
	pc.stem, pc.ext = m[3], "."+m[4]
	n, _ := strconv.Atoi(m[1])
	return n
}

// countVarCount reads the page count from the variable the rule names
// (var countPage = 5, _pageCount = 5).
func countVarCount(pc *pageContext) int {
	name := pc.col.Paging.Param
	if name == "" {
		return 0
	}
	re := regexp.MustCompile(`(?:^|[^\w$])` + regexp.QuoteMeta(name) + `\s*=\s*['"]?(\d+)`)
	m := re.FindStringSubmatch(pc.text)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
