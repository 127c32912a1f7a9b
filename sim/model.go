package sim

import (
	"sync"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
	"gongkai/region"
)

// Family names the CMS family a county site imitates.
type Family string

// The families of the simulated county sites.
const (
	FamTRS       Family = "trs"           // createPageHTML(count, idx, "index", "shtml")
	FamTRSCount  Family = "trs-countpage" // var countPage = N; index_N.shtml
	FamTRSList   Family = "trs-list"      // index.html, list_N.html, 首页/上一页/下一页/尾页 + select
	FamIntertid  Family = "intertid"      // index.shtml, index_2.shtml …; index_1 is a 404
	FamHanweb    Family = "hanweb"        // jcms column + datastore + dataproxy.jsp
	FamGeneric   Family = "generic"       // phpcms-like index.php?…&page=N with 下一页/尾页
	creditFamily Family = "gsxt"
)

type entryKind int

const (
	kindPenaltyPage    entryKind = iota // one decision, full text in the body
	kindPenaltyPDF                      // an empty page holding only a PDF link
	kindPenaltyTable                    // a monthly 案件信息公开表, one row per case
	kindInspection                      // a batch of inspection results in a body table
	kindSampling                        // a food-sampling notice with XLSX attachments
	kindDeviceSampling                  // a device-sampling notice with a body table
	kindEvent                           // 3.x: warning, emergency, complaints, campaign
	kindNews                            // noise: work news, notices
	kindOffsite                         // a list entry pointing to another host (never served)
	kindPenaltyScan                     // unfamiliar world: a page linking only an image-only (scanned) PDF
	kindNote                            // unfamiliar world: a pinned explanatory note (not a disclosure)
)

func (k entryKind) String() string {
	return [...]string{"penalty-page", "penalty-pdf", "penalty-table", "inspection-batch",
		"sampling-notice", "device-sampling", "event", "news", "offsite", "penalty-scan", "note"}[k]
}

type enterprise struct {
	Name        string
	USCC        string
	LegalRep    string
	Operator    string // natural person running a 个体工商户; "" for companies
	Established calendar.Date
	Address     string
	county      int // index into region.Jincheng
	Trade       string
	creditKey   string    // opaque company URL path on the credit mock
	dataKeys    [4]string // punishment, spot checks, 双随机, business exceptions
	creditRows  [3][]*creditRow
}

// party is how records and pages name the enterprise: the operator for a
// 个体工商户 (a natural person), else the company name.
func (e *enterprise) party() string {
	if e.Operator != "" {
		return e.Operator
	}
	return e.Name
}

type penaltyCase struct {
	DocNo     string // as the bureau writes it (the record number)
	Year, No  int
	Party     *enterprise
	CaseName  string
	Fact      string
	FactCore  string        // the violation alone, as prose decisions state it
	Found     calendar.Date // the inspection that found it
	Basis     string
	IllegType string
	Kind      string // 警告 / 罚款 / 警告、罚款 / 没收违法所得、罚款
	Content   string
	Amount    int // yuan
	Authority string
	Decided   calendar.Date
	Procedure string // 普通 / 简易
	Item      string
	Deadline  string
	City      bool // decided by the city bureau, shown on a county list
	rec       *simRecord
	// creditOn is the day a case without an expected record (history, the
	// city's) appears on the credit system; zero = never.
	creditOn calendar.Date
}

type inspection struct {
	No        string
	Party     *enterprise
	Date      calendar.Date
	Result    string
	Item      string
	Random    bool // 双随机 rather than a routine inspection
	Authority string
	rec       *simRecord
}

type sample struct {
	No        string
	Item      string // 1.3 food / 1.7 device
	Product   string
	Spec      string
	Batch     string
	Producer  string
	ProdAddr  string
	Sampled   *enterprise
	Category  string
	Pass      bool
	FailItem  string
	Agency    string
	Source    string
	Date      calendar.Date
	Trademark string
	rec       *simRecord
}

type event struct {
	No, Title, Item string
	Date            calendar.Date
	Place, Form     string
	Content         string
	rec             *simRecord
}

type planKind int

const (
	planOnTime planKind = iota
	planLate
	planNever
	planDocNo
	planElement
)

// outcome is what happens to one record on one channel.
type outcome struct {
	channel   catalogue.Channel
	plan      planKind
	planned   calendar.Date // intended publication day; zero = never
	entry     *Entry        // website: the page that carries it
	credit    *creditRow    // credit system: the row that carries it
	published calendar.Date // final declared date; zero = never
	writtenAs string        // identifier as the channel writes it
	missing   []string      // catalogue elements left out
	// unverifiable lists the elements no reader can see on the page (a
	// scanned PDF without a text layer): neither present nor missing.
	unverifiable []string
}

type simRecord struct {
	rec     records.Record
	county  int
	item    catalogue.Item
	due     calendar.Date
	pen     *penaltyCase
	insp    *inspection
	samp    *sample
	ev      *event
	web     *outcome
	cred    *outcome // nil when the credit system is not expected
	seq     int
	docBase string
}

// Entry is one article of a county site (or an off-site list entry).
type Entry struct {
	site      *Site
	col       *Column
	seq       int
	ID        int
	Path      string // absolute path (with query for the generic CMS)
	Title     string
	Published calendar.Date
	Clock     int // minutes after midnight of the declared publication time
	Formed    calendar.Date
	kind      entryKind
	item      string // true catalogue item, "" for noise

	pen      *penaltyCase
	cases    []*penaltyCase
	caseNos  []string // decision numbers as the table writes them, aligned with cases
	insps    []*inspection
	samples  []*sample
	ev       *event
	newsBody string

	docNoShown  string // the 文号 as the page writes it
	omit        []string
	tableOmit   string // 泽州 tables: a column left out
	attachments []*Attachment
	indexNo     string

	// appearsOn, when after Published, is the first day a backdated page is
	// served: it declares an earlier date than the day it went online.
	appearsOn   calendar.Date
	editedOn    calendar.Date
	editedTitle string
	editNote    string
	withdrawnOn calendar.Date
	offsiteURL  string
	// redated (unfamiliar world): from editedOn on, the page and the lists
	// declare this date instead of Published (a re-save that moved the
	// date), a page whose declared date changed after first publication.
	redated calendar.Date

	records  []*simRecord
	otherNos []string

	headerCharset string // a Content-Type charset that contradicts the page

	// bodyLinks (unfamiliar world, news pages): links written in the body
	// besides attachments, some internal and dead (column health).
	bodyLinks []bodyLink

	// pinned entries head every list regardless of their date (置顶).
	pinned bool
	// tableOmitAgency: a prose sampling notice whose table leaves out 检验机构.
	tableOmitAgency bool
}

// bodyLink is a link inside a news page's text. Internal links are written
// as absolute paths; Dead ones answer the site's missing page.
type bodyLink struct {
	Href, Text string
	Dead       bool
	// DeadUntil, when set, is the day the site puts the linked page back
	// (restoredNoticePath): dead before, alive from then on.
	DeadUntil calendar.Date
}

// Attachment is a file linked from an entry, rendered on request.
type Attachment struct {
	Path     string // served path (for Hanweb: the /attach/… target)
	LinkPath string // path the page links to (Hanweb: downfile.jsp?…)
	Name     string // human file name shown as link text
	Ext      string // xlsx / pdf
	entry    *Entry
	pass     *bool // sampling sheet split; nil = whole notice
	// Dead (unfamiliar world): the link answers 404, a dead link inside a
	// published item.
	Dead bool
}

// unfamiliar holds the variant a site shows in the unfamiliar world
// (Options.Unfamiliar); the zero value is the familiar site.
type unfamiliar struct {
	on             bool          // the site belongs to an unfamiliar world
	hanwebVarParam bool          // jpage gets ajaxParam/proxyUrl as variables; dataproxy needs webid and unitid
	countVarOnly   bool          // intertid list pages declare only var _pageCount (no 共N页, no page links)
	scanShare      float64       // share of PDF-only decisions whose PDF is an image-only scan
	prose          bool          // decisions are full 决定书 texts, elements stated in sentences
	samplingProse  bool          // sampling notices: body result table, 检查实施主体/检验依据 only in prose
	numberBase     int           // 普通程序 decision numbers of every year start after this
	newsActivities bool          // some 3.4 activities go to the 工作动态 news column
	pinnedNote     bool          // a pinned 说明 heads the penalty list
	noHead         bool          // the server answers HEAD with 405 (link checks must GET)
	noticeBack     calendar.Date // the day restoredNoticePath is served again (0: never linked)
}

// Column is a list inside a county site.
type Column struct {
	Name     string
	Slug     string
	Items    []string
	Dir      string // TRS-like families: the column directory, ending in "/"
	HanwebID int
	UnitID   int
	CatID    int
	PerPage  int
	// HeaderCharset, when set, is named in Content-Type for this column's
	// pages regardless of their real encoding (a contradicting header).
	HeaderCharset string
	// Shell: the first page is an empty shell whose list a script fills
	// from a JSON endpoint; the plain HTML list is at the shell's URL with
	// &ajax=0 (unfamiliar world only).
	Shell bool
	// Blank: a column that never holds anything and says 暂无信息.
	Blank bool
	// ScriptList: the list pages hold their entries only as an encoded
	// inline string a script turns into the list (Options.ScriptList).
	ScriptList bool
	// Kind is the column's kind as sites.yaml's kind: key says it ("" =
	// left out: a catalogue column, since every sim column holds items).
	Kind    string
	entries []*Entry

	mu      sync.Mutex
	cacheAt calendar.Date
	visible []*Entry
	lastMod calendar.Date
}

// kind is the column's kind for the column health, defaults applied.
func (c *Column) kind() string {
	if c.Kind != "" {
		return c.Kind
	}
	if len(c.Items) > 0 {
		return "catalogue"
	}
	return "notice"
}

// Site is one county's publication system.
type Site struct {
	County        region.County
	Family        Family
	Host          string // the real host it imitates, shown in meta tags
	SiteName      string
	Org           string // the bureau's full name
	OrgCode       string // the bureau's USCC (索引号 prefix)
	Charset       string // "utf-8" or "gb2312" (bytes then really GB18030)
	HeaderCharset string // charset named in Content-Type ("" = silent)
	ETag          bool
	LastModified  bool
	SoftNotFound  bool // past the last page / withdrawn: 200 with "页面不存在"
	Columns       []*Column

	labels     labelSet
	penLabels  penLabelSet
	docStyle   docStyle
	listDate   func(calendar.Date) string
	penaltyPDF float64 // share of decisions published as PDF-only pages
	uf         unfamiliar
	// jsonAPI: the site is a 集约化 platform (Options.JSONAPI): column
	// shells and a JSON list endpoint.
	jsonAPI bool

	entries []*Entry
	byPath  map[string]*Entry
	attach  map[string]*Attachment
	byID    map[int]*Entry
}
