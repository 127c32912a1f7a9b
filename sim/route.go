package sim

import (
	"net/http"
	"strconv"
	"strings"

	"gongkai/calendar"
)

type reqKind int

const (
	reqList reqKind = iota
	reqDetail
	reqAttachment
	reqRedirect
	reqOther
	reqChallenge
)

// response is what a site answers before faults and validators are applied.
type response struct {
	status   int
	body     []byte
	ctype    string
	kind     reqKind
	col      *Column
	modified calendar.Date // zero: no Last-Modified
	location string
}

func (s *Site) htmlType(c *Column) string {
	if c != nil && c.HeaderCharset != "" {
		return "text/html; charset=" + c.HeaderCharset
	}
	if s.HeaderCharset == "" {
		return "text/html"
	}
	return "text/html; charset=" + s.HeaderCharset
}

func (s *Site) notFound(c *Column, kind reqKind) response {
	status := http.StatusNotFound
	if s.SoftNotFound {
		status = http.StatusOK
	}
	return response{status: status, body: s.notFoundPage(), ctype: s.htmlType(nil), kind: kind, col: c}
}

func (s *Site) listResponse(c *Column, idx int, now calendar.Date) response {
	body := s.renderList(c, idx, now)
	if body == nil {
		return s.notFound(c, reqList)
	}
	_, last := c.visibleEntries(now)
	return response{status: http.StatusOK, body: body, ctype: s.htmlType(c), kind: reqList, col: c, modified: last}
}

func (s *Site) entryResponse(e *Entry, now calendar.Date) response {
	if e == nil || !e.visible(now) {
		var c *Column
		if e != nil {
			c = e.col
		}
		return s.notFound(c, reqDetail)
	}
	return response{status: http.StatusOK, body: s.renderDetail(e, now), ctype: s.htmlType(e.col), kind: reqDetail, col: e.col, modified: e.changedAt(now)}
}

func (s *Site) attachmentResponse(a *Attachment, now calendar.Date) response {
	if a != nil && a.Dead && a.entry.visible(now) {
		// The file is gone from the upload directory: the web server in
		// front answers a plain 404 even where the CMS pages say 页面不存在.
		return response{status: http.StatusNotFound, body: s.notFoundPage(), ctype: s.htmlType(nil), kind: reqAttachment, col: a.entry.col}
	}
	if a == nil || !a.entry.visible(now) {
		var c *Column
		if a != nil {
			c = a.entry.col
		}
		r := s.notFound(c, reqAttachment)
		return r
	}
	var body []byte
	var ctype string
	switch a.Ext {
	case "pdf":
		body, ctype = s.decisionPDF(a.entry), "application/pdf"
	case "xlsx":
		b, err := s.samplingXLSX(a)
		if err != nil {
			return response{status: http.StatusInternalServerError, body: []byte(err.Error()), ctype: "text/plain", kind: reqAttachment}
		}
		body, ctype = b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return response{status: http.StatusOK, body: body, ctype: ctype, kind: reqAttachment, col: a.entry.col, modified: a.entry.Published}
}

// route answers a request to a county site from the model at day now.
func (s *Site) route(r *http.Request, now calendar.Date) response {
	path := r.URL.Path
	if path == "/" || path == "/index.html" && s.Family != FamHanweb {
		return response{status: http.StatusOK, body: s.home(), ctype: s.htmlType(nil), kind: reqOther}
	}
	if path == restoredNoticePath && s.uf.noticeBack != 0 && now >= s.uf.noticeBack {
		// The notice put back: a plain page of the site.
		return response{status: http.StatusOK, body: s.home(), ctype: s.htmlType(nil), kind: reqOther}
	}
	if s.jsonAPI {
		if path == "/api/cms/list" {
			q := r.URL.Query()
			ch, _ := strconv.Atoi(q.Get("channelId"))
			page, err := strconv.Atoi(q.Get("pageNo"))
			for _, c := range s.Columns {
				if apiChannel(s, c) == ch {
					if err != nil || page < 1 {
						return response{status: http.StatusBadRequest, body: []byte(`{"code":400,"msg":"pageNo"}`), ctype: "application/json; charset=utf-8", kind: reqList, col: c}
					}
					_, last := c.visibleEntries(now)
					return response{status: http.StatusOK, body: s.jsonAPIList(c, page, now), ctype: "application/json; charset=utf-8", kind: reqList, col: c, modified: last}
				}
			}
			return response{status: http.StatusBadRequest, body: []byte(`{"code":400,"msg":"channelId"}`), ctype: "application/json; charset=utf-8", kind: reqList}
		}
		for _, c := range s.Columns {
			if path == c.Dir || path == c.Dir+"index.shtml" {
				_, last := c.visibleEntries(now)
				return response{status: http.StatusOK, body: s.jsonAPIShell(c), ctype: s.htmlType(c), kind: reqList, col: c, modified: last}
			}
			if _, ok := s.trsListIndex(strings.TrimPrefix(path, c.Dir)); ok && strings.HasPrefix(path, c.Dir) {
				return s.notFound(c, reqList) // the platform has no further list pages
			}
		}
	}
	switch s.Family {
	case FamHanweb:
		return s.routeHanweb(r, now)
	case FamGeneric:
		return s.routeGeneric(r, now)
	}
	for _, c := range s.Columns {
		if !strings.HasPrefix(path, c.Dir) {
			continue
		}
		rest := path[len(c.Dir):]
		if idx, ok := s.trsListIndex(rest); ok {
			if idx < 0 {
				return s.notFound(c, reqList)
			}
			return s.listResponse(c, idx, now)
		}
		if e := s.byPath[path]; e != nil {
			return s.entryResponse(e, now)
		}
		if a := s.attach[path]; a != nil {
			return s.attachmentResponse(a, now)
		}
		return s.notFound(c, reqOther)
	}
	return s.notFound(nil, reqOther)
}

// trsListIndex maps a file name inside a column directory to a list page
// index; ok is false when the name is not a list page; idx < 0 means a list
// page name that this family does not serve (intertid's index_1).
func (s *Site) trsListIndex(rest string) (idx int, ok bool) {
	switch s.Family {
	case FamTRSList:
		if rest == "" || rest == "index.html" {
			return 0, true
		}
		if n, found := numberBetween(rest, "list_", ".html"); found {
			if n < 2 {
				return -1, true
			}
			return n - 1, true
		}
		return 0, false
	default:
		if rest == "" || rest == "index.shtml" {
			return 0, true
		}
		if n, found := numberBetween(rest, "index_", ".shtml"); found {
			if s.Family == FamIntertid {
				if n < 2 {
					return -1, true // page 2 is index_2; index_1 does not exist
				}
				return n - 1, true
			}
			if n < 1 {
				return -1, true
			}
			return n, true
		}
		return 0, false
	}
}

func numberBetween(s, prefix, suffix string) (int, bool) {
	if !strings.HasPrefix(s, prefix) || !strings.HasSuffix(s, suffix) {
		return 0, false
	}
	n, err := strconv.Atoi(s[len(prefix) : len(s)-len(suffix)])
	if err != nil {
		return 0, false
	}
	return n, true
}

func (s *Site) columnByHanwebID(id int) *Column {
	for _, c := range s.Columns {
		if c.HanwebID == id {
			return c
		}
	}
	return nil
}

func (s *Site) routeHanweb(r *http.Request, now calendar.Date) response {
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/col/col"):
		id, ok := numberBetween(path, "/col/col", "/index.html")
		c := s.columnByHanwebID(id)
		if !ok || c == nil {
			return s.notFound(nil, reqList)
		}
		_, last := c.visibleEntries(now)
		return response{status: http.StatusOK, body: s.hanwebColumn(c, now), ctype: s.htmlType(c), kind: reqList, col: c, modified: last}
	case path == "/module/web/jpage/dataproxy.jsp":
		if err := r.ParseForm(); err != nil {
			return response{status: http.StatusBadRequest, body: []byte("参数错误"), ctype: "text/plain; charset=utf-8", kind: reqList}
		}
		colID, _ := strconv.Atoi(r.Form.Get("columnid"))
		unitID, _ := strconv.Atoi(r.Form.Get("unitid"))
		c := s.columnByHanwebID(colID)
		if s.uf.hanwebVarParam {
			// Real jcms: a form without webid or unitid is not refused,
			// it just lists nothing.
			webID, _ := strconv.Atoi(r.Form.Get("webid"))
			if c == nil || unitID != c.UnitID || webID != s.hanwebWebID() {
				return response{status: http.StatusOK, body: hanwebEmptyProxy(), ctype: "text/xml; charset=UTF-8", kind: reqList, col: c}
			}
		}
		if c == nil || unitID != c.UnitID {
			return response{status: http.StatusBadRequest, body: []byte("参数错误：columnid/unitid"), ctype: "text/plain; charset=utf-8", kind: reqList}
		}
		q := r.URL.Query()
		perPage, _ := strconv.Atoi(q.Get("perpage"))
		var from, to int
		if r.Method == http.MethodPost {
			from, _ = strconv.Atoi(q.Get("startrecord"))
			to, _ = strconv.Atoi(q.Get("endrecord"))
			if from <= 0 || to < from {
				return response{status: http.StatusBadRequest, body: []byte("参数错误：startrecord/endrecord"), ctype: "text/plain; charset=utf-8", kind: reqList, col: c}
			}
		} else {
			if perPage <= 0 {
				perPage = c.PerPage
			}
			page, _ := strconv.Atoi(r.Form.Get("page"))
			page = max(page, 1)
			from, to = (page-1)*perPage+1, page*perPage
		}
		return response{status: http.StatusOK, body: s.hanwebProxy(c, from, to, perPage, now), ctype: "text/xml; charset=UTF-8", kind: reqList, col: c}
	case path == "/module/download/downfile.jsp":
		name := r.URL.Query().Get("filename")
		a := s.attach["/attach/0/"+name]
		if a == nil || !a.entry.visible(now) {
			return s.notFound(nil, reqRedirect)
		}
		return response{status: http.StatusFound, location: a.Path, kind: reqRedirect, col: a.entry.col}
	case strings.HasPrefix(path, "/attach/"):
		return s.attachmentResponse(s.attach[path], now)
	case strings.HasPrefix(path, "/art/"):
		e := s.byPath[path]
		if e == nil {
			return s.notFound(nil, reqDetail)
		}
		return s.entryResponse(e, now)
	}
	return s.notFound(nil, reqOther)
}

func (s *Site) columnByCatID(id int) *Column {
	for _, c := range s.Columns {
		if c.CatID == id {
			return c
		}
	}
	return nil
}

func (s *Site) routeGeneric(r *http.Request, now calendar.Date) response {
	path := r.URL.Path
	if strings.HasPrefix(path, "/uploadfile/") {
		return s.attachmentResponse(s.attach[path], now)
	}
	if path != "/index.php" {
		return s.notFound(nil, reqOther)
	}
	q := r.URL.Query()
	switch q.Get("a") {
	case "lists":
		id, _ := strconv.Atoi(q.Get("catid"))
		c := s.columnByCatID(id)
		if c == nil {
			return s.notFound(nil, reqList)
		}
		page := 1
		if v := q.Get("page"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return s.notFound(c, reqList)
			}
			page = n
		}
		if c.Shell && q.Get("ajax") != "0" {
			if page != 1 {
				return s.notFound(c, reqList)
			}
			_, last := c.visibleEntries(now)
			return response{status: http.StatusOK, body: s.genericShell(c, now), ctype: s.htmlType(c), kind: reqList, col: c, modified: last}
		}
		return s.listResponse(c, page-1, now)
	case "json":
		id, _ := strconv.Atoi(q.Get("catid"))
		c := s.columnByCatID(id)
		if c == nil || !c.Shell {
			return s.notFound(nil, reqOther)
		}
		page, err := strconv.Atoi(q.Get("page"))
		if err != nil || page < 1 {
			page = 1
		}
		_, last := c.visibleEntries(now)
		return response{status: http.StatusOK, body: s.genericJSON(c, page, now), ctype: "application/json; charset=utf-8", kind: reqList, col: c, modified: last}
	case "show":
		id, _ := strconv.Atoi(q.Get("id"))
		return s.entryResponse(s.byID[id], now)
	case "calendar":
		d := q.Get("date")
		y, m := now.Year(), int(now.Month())
		if len(d) >= 7 {
			if yy, err := strconv.Atoi(d[:4]); err == nil {
				y = yy
			}
			if mm, err := strconv.Atoi(d[5:7]); err == nil {
				m = mm
			}
		}
		return response{status: http.StatusOK, body: s.calendarPage(y, m), ctype: "text/html; charset=utf-8", kind: reqOther}
	case "":
		return response{status: http.StatusOK, body: s.home(), ctype: s.htmlType(nil), kind: reqOther}
	}
	return s.notFound(nil, reqOther)
}
