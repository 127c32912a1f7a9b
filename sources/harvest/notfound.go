package harvest

import (
	"context"
	"errors"
	"gongkai"
	"sync"

	"gongkai/sources/cms"
	"gongkai/sources/fetch"
	"gongkai/store"
)

// kindProbe labels the one request per source and sweep that asks for a
// surely-missing URL, to learn what the site's missing pages look like.
const kindProbe = "probe"

// notFoundCheck holds a source's soft-404 profile for one sweep. The probe
// is fetched lazily, the first time an answer needs judging: a sweep whose
// pages all list entries or carry a body never asks for it.
type notFoundCheck struct {
	once sync.Once
	prof *cms.NotFoundProfile
}

// isSoftNotFound reports whether a 200 answer is the site's own
// missing-page answer (same shape as its answer to cms.ProbeURL). Call it
// only for answers that yielded nothing (a list page without entries, a
// detail page without body or attachments): a page with content is never
// a missing page, whatever its title says. Sites answering missing pages
// with a real 404 have no profile, and cms's conservative fallback (a
// short page stating 页面不存在) still applies inside ParseList and
// ParseDetail.
func (r *sourceRun) isSoftNotFound(ctx context.Context, resp *fetch.Response) bool {
	if resp == nil || !resp.OK() || resp.HTML == "" || resp.NotModified {
		return false
	}
	r.nf.once.Do(func() { r.nf.prof = r.probeNotFound(ctx) })
	return r.nf.prof.Matches(resp)
}

// probeNotFound asks for the source's surely-missing URL and keeps its
// answer as evidence of how the site says "not found".
func (r *sourceRun) probeNotFound(ctx context.Context) *cms.NotFoundProfile {
	if len(r.src.Columns) == 0 {
		return nil
	}
	col := r.src.Columns[0]
	u := cms.ProbeURL(col)
	if u == "" {
		return nil
	}
	resp, err := r.fetch(ctx, fetch.Request{Method: "GET", URL: u, Kind: kindProbe, Charset: col.Charset})
	if err != nil || resp == nil {
		r.h.log.Info("soft-404 probe failed; only the conservative fallback applies", "source", r.src.Name, "url", u, "err", err)
		return nil
	}
	if resp.Capture.ID != "" {
		b := store.Batch{SweepID: r.sweepID, At: r.h.now(), Captures: []gongkai.Capture{resp.Capture}}
		if err := r.apply(ctx, b); err != nil {
			r.h.log.Warn("recording the soft-404 probe", "url", u, "err", err)
		}
	}
	prof := cms.NewNotFoundProfile(resp)
	r.h.log.Debug("soft-404 probe", "source", r.src.Name, "url", u, "status", resp.Status, "profile", prof != nil)
	return prof
}

// softNotFoundList is what a list page answered with the site's missing
// page means: past the end for a later page (the harvester judges whether
// the site declared it), an error for the column's first page, whose
// address then leads nowhere.
func softNotFoundList(index int) error {
	if index == 0 {
		return errors.New("栏目首页是本站的“页面不存在”页（与探测到的不存在页面相同），栏目地址可能已失效")
	}
	return nil
}
