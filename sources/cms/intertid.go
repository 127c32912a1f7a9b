package cms

import "gongkai/sources/config"

// The intertid family: like TRS, but page 2 is index_2.shtml (index_1 does
// not exist); the count is the one the page declares (共N页, countPage, the
// 尾页 link).
func init() {
	family(config.Preset{
		Name:   "intertid",
		List:   config.ListRule{DocNo: "td.affaires-doc-sizes"},
		Paging: config.PagingRule{Kind: config.PagingIntertid, Naming: config.NamingIntertid},
	}, map[string]paging{
		config.PagingIntertid: {},
	})
}
