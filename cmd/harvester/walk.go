package main

import (
	"context"
	"errors"
	"fmt"

	"gongkai/sources/cms"
	"gongkai/sources/config"
	"gongkai/sources/fetch"
)

// listWalk is what probe and check saw of one column's list pages: a dry
// walk, nothing stored.
type listWalk struct {
	Pages         int // list pages read
	PageCount     int // pages the column declares (0 = unknown)
	Declared      int // entries the first page declares (0 = it does not say)
	Entries       []cms.Entry
	Rejected      []string
	RejectedPages []string // list pages the scope or pattern kept out
	Repeats       int
	EmptyMarker   bool
	Capped        bool // the column has more pages than the walk read
	Stopped       bool // the walk stopped at its page limit with pages left
	// Problems are what broke the walk (HTTP errors, a declared page that
	// is missing, Hanweb form errors), in Chinese.
	Problems     []string
	FormError    bool     // a Hanweb dataproxy form is missing or answered nothing
	OutOfPattern []string // declared pages that answered 404/页面不存在
}

// walkList reads a column's list pages in order, at most limit of them
// (0 = every page the column declares, up to its max_pages).
func walkList(ctx context.Context, f *fetch.Fetcher, col config.Column, limit int) listWalk {
	var w listWalk
	queue := []fetch.Request{cms.FirstPage(col)}
	seen := map[string]bool{}
	for idx := 0; idx < len(queue); idx++ {
		if limit > 0 && idx >= limit {
			w.Stopped = true
			break
		}
		req := cms.ListRequest(col, queue[idx])
		key := req.URL + "|" + req.Form.Encode()
		if seen[key] {
			continue
		}
		seen[key] = true
		resp, err := f.Fetch(ctx, req)
		if err != nil {
			w.Problems = append(w.Problems, fmt.Sprintf("列表第 %d 页 %s 取不到：%v", idx+1, req.URL, err))
			continue
		}
		if resp.Challenge {
			w.Problems = append(w.Problems, fmt.Sprintf("列表第 %d 页 %s 返回了反爬验证页，没有看到内容", idx+1, req.URL))
			continue
		}
		lr, err := cms.ParseList(col, resp, idx)
		if err != nil {
			var fe *cms.HanwebFormError
			var tm *cms.TotalMismatchError
			if errors.As(err, &fe) || errors.As(err, &tm) {
				w.FormError = true
			}
			w.Problems = append(w.Problems, fmt.Sprintf("列表第 %d 页 %s：%v", idx+1, req.URL, err))
			if idx == 0 {
				w.Declared = lr.DeclaredTotal
				w.Entries = append(w.Entries, lr.Entries...)
				w.Pages++
			}
			continue
		}
		if lr.End {
			if idx == 0 {
				w.Problems = append(w.Problems, fmt.Sprintf("栏目首页 %s 不存在（404 或 页面不存在）", req.URL))
			} else {
				w.OutOfPattern = append(w.OutOfPattern, req.URL)
			}
			continue
		}
		w.Pages++
		if idx == 0 {
			w.Declared = lr.DeclaredTotal
			w.PageCount = lr.PageCount
			w.EmptyMarker = lr.EmptyMarker
		}
		w.Entries = append(w.Entries, lr.Entries...)
		w.Rejected = append(w.Rejected, lr.Rejected...)
		w.RejectedPages = append(w.RejectedPages, lr.RejectedPages...)
		w.Repeats += lr.Repeats
		w.Capped = w.Capped || lr.Capped
		queue = append(queue, lr.Next...)
	}
	return w
}

// complete: every page was read and the entries agree with what the
// column declares.
func (w listWalk) complete() bool {
	if len(w.Problems) > 0 || len(w.OutOfPattern) > 0 || w.Capped || w.Stopped {
		return false
	}
	if w.Declared > 0 && w.Declared != len(w.Entries)+len(w.Rejected)+w.Repeats {
		return false
	}
	return len(w.Entries) > 0 || w.EmptyMarker
}
