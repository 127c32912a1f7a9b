package cms

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"gongkai/calendar"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// The JSON-API family (provincial "集约化" platforms): the column page is
// an empty shell whose script fetches the list from a JSON endpoint, page
// by page (GET /api/…/list?channelId=…&pageNo=2 answering {"total": …,
// "data": [{"title": …, "url": …, "publishDate": …}]}). The configuration
// names the endpoint and the JSON paths (paging.api); the declared total
// is what completeness is proven against. Details are ordinary HTML pages.
func init() {
	family(config.Preset{
		Name:   "jsonapi",
		Paging: config.PagingRule{Kind: config.PagingJSONAPI, Param: "pageNo"},
	}, map[string]paging{
		config.PagingJSONAPI: {parse: parseJSONList},
	})
}

// apiRequest is the request for page i (0-based) of a JSON-API column.
func apiRequest(col config.Column, i int) fetch.Request {
	api := col.Paging.API
	req := fetch.Request{Method: "GET", Kind: fetch.KindList, Charset: col.Charset}
	if api == nil {
		req.URL = col.URL
		return req
	}
	base, err := url.Parse(col.URL)
	if err != nil {
		req.URL = api.URL
		return req
	}
	u, err := base.Parse(api.URL)
	if err != nil {
		req.URL = api.URL
		return req
	}
	start := col.Paging.Start
	if start == 0 {
		start = 1
	} else if start < 0 {
		start = 0
	}
	param := orDefault(col.Paging.Param, "pageNo")
	n := strconv.Itoa(start + i)
	if api.Method == "POST" {
		req.Method = "POST"
		req.Form = url.Values{param: {n}}
	} else {
		q := u.Query()
		q.Set(param, n)
		u.RawQuery = q.Encode()
	}
	req.URL = u.String()
	return req
}

// jsonPath follows a dot-separated path (keys, and numbers for array
// indexes) into a decoded JSON value.
func jsonPath(v any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	for _, k := range strings.Split(path, ".") {
		switch t := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = t[k]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(t) {
				return nil, false
			}
			v = t[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// jsonText is a JSON scalar as text ("" for objects, arrays and null).
func jsonText(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

func parseJSONList(col config.Column, resp *fetch.Response, idx int, ref calendar.Date) (ListResult, error) {
	var lr ListResult
	api := col.Paging.API
	if api == nil {
		return lr, fmt.Errorf("json-api 翻页没有配置接口 paging.api")
	}
	dec := json.NewDecoder(strings.NewReader(orDefault(resp.HTML, string(resp.Body))))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return lr, fmt.Errorf("接口 %s 的应答不是 JSON（%v）：核对 paging.api.url，或该接口需要浏览器里的会话", resp.URL, err)
	}
	raw, ok := jsonPath(root, api.Entries)
	list, isList := raw.([]any)
	if !ok || (!isList && raw != nil) {
		return lr, fmt.Errorf("接口应答中 JSON 路径 %q 不是条目数组：核对 paging.api.entries", api.Entries)
	}
	totalKnown := false
	if api.Total != "" {
		v, ok := jsonPath(root, api.Total)
		n, err := strconv.Atoi(jsonText(v))
		if !ok || err != nil || n < 0 {
			// Without it, a short list would look like the whole column.
			return lr, fmt.Errorf("接口应答中 JSON 路径 %q 不是条目总数：核对 paging.api.total", api.Total)
		}
		lr.DeclaredTotal, totalKnown = n, true
	}
	base, err := url.Parse(col.URL)
	if err != nil {
		return lr, err
	}
	seen := map[string]bool{}
	for _, item := range list {
		lv, _ := jsonPath(item, api.Link)
		target := resolve(base, jsonText(lv))
		if target == "" {
			continue
		}
		e := Entry{URL: target}
		if api.Title != "" {
			tv, _ := jsonPath(item, api.Title)
			e.Title = cleanSpace(jsonText(tv))
		}
		if api.Date != "" {
			dv, _ := jsonPath(item, api.Date)
			e.DateText = jsonText(dv)
			e.Date, _ = findDate(e.DateText, ref)
		}
		switch {
		case seen[target]:
			lr.Repeats++
		case !config.InScope(col.Hosts, target) || (col.Pattern != nil && !col.Pattern.MatchString(config.GuardedPart(target))):
			seen[target] = true
			lr.Rejected = append(lr.Rejected, target)
		default:
			seen[target] = true
			lr.Entries = append(lr.Entries, e)
		}
	}
	if len(list) == 0 {
		if idx == 0 {
			// The endpoint's own statement that the column is empty.
			lr.EmptyMarker = totalKnown && lr.DeclaredTotal == 0
		} else if !totalKnown {
			lr.End = true // past the last page of a list that declares no total
		}
		return lr, nil
	}
	if !totalKnown {
		// Unknown length: ask for the next page until one lists nothing.
		if idx+1 >= maxPages(col) {
			lr.Capped = true
			return lr, nil
		}
		addAPINext(col, &lr, idx+1)
		return lr, nil
	}
	if idx > 0 {
		return lr, nil
	}
	per := len(list)
	pages := (lr.DeclaredTotal + per - 1) / per
	lr.PageCount = max(pages, 1)
	for i := 1; i < pages; i++ {
		if i >= maxPages(col) {
			lr.Capped = true
			break
		}
		addAPINext(col, &lr, i)
	}
	return lr, nil
}

func addAPINext(col config.Column, lr *ListResult, i int) {
	req := apiRequest(col, i)
	if !config.InScope(col.Hosts, req.URL) {
		lr.Rejected = append(lr.Rejected, req.URL)
		lr.RejectedPages = append(lr.RejectedPages, req.URL)
		return
	}
	lr.Next = append(lr.Next, req)
}
