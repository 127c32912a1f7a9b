package harvest

import (
	"context"
	"errors"
	"fmt"
	"gongkai"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"

	"gongkai/sources/attach"
	"gongkai/sources/cms"
	"gongkai/sources/fetch"
	"gongkai/store"
)

// process handles one detail unit and commits it. Only store failures are
// returned; a page that could not be observed is recorded and retried next
// sweep.
func (r *sourceRun) process(ctx context.Context, t task) error {
	if ctx.Err() != nil {
		return nil
	}
	u := t.entry.URL
	// The last state matters for conditional requests of known pages; a
	// URL never stored has none worth a read (its failures are re-read
	// when it fails again).
	var prev store.FetchState
	hadState := false
	if t.known != nil {
		prev, hadState = r.mem.state(u)
	}
	req := fetch.Request{Method: http.MethodGet, URL: u, Kind: fetch.KindDetail, Charset: t.col.col.Charset}
	if t.col.col.Render.Details {
		req.Browser = cms.BrowserRender(t.col.col)
	}
	if t.known != nil && hadState && req.Browser == nil {
		req.ETag, req.LastModified = prev.ETag, prev.LastModified
		req.PrevDigest = t.known.Evidence
		req.PrevCaptureID, req.PrevCaptureAt = prev.CaptureID, prev.LastFetched
	}
	resp, err := r.fetch(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		r.detailFailed(ctx, t, nil, err)
		return nil
	}
	state := r.okState(u, prev, resp)

	unchanged := resp.NotModified ||
		(t.known != nil && t.known.State != gongkai.Withdrawn && resp.Digest != "" && resp.Digest == t.known.Evidence)
	switch {
	case unchanged && t.known != nil:
		// Seen, unchanged: keep the evidence of the check (a revisit record).
		b := store.Batch{SweepID: r.sweepID, At: r.h.now(), FetchStates: []store.FetchState{state}}
		b.Captures = evidence(resp)
		if !t.goneCheck {
			b.Seen = []string{u}
			b.ListEntries = []store.ListEntry{r.listEntry(t.entry)}
		}
		return r.applyDetail(ctx, t, b)
	case resp.Status == http.StatusNotFound || resp.Status == http.StatusGone:
		return r.notFound(ctx, t, resp, state)
	}
	if err := responseError(resp); err != nil {
		r.detailFailed(ctx, t, resp, err)
		return nil
	}
	d, err := r.h.family.ParseDetail(t.col.col, t.entry, resp)
	if err != nil {
		r.detailFailed(ctx, t, resp, fmt.Errorf("无法解析详情页: %w", err))
		return nil
	}
	if d.NotFound || d.Body == "" && len(d.Links) == 0 && len(d.Tables) == 0 && r.isSoftNotFound(ctx, resp) {
		return r.notFound(ctx, t, resp, state)
	}
	if t.goneCheck {
		// Off the list but still reachable: not withdrawn. Record the check
		// and leave the publication as it is.
		b := store.Batch{SweepID: r.sweepID, At: r.h.now(), FetchStates: []store.FetchState{state}}
		b.Captures = evidence(resp)
		return r.applyDetail(ctx, t, b)
	}

	b := store.Batch{SweepID: r.sweepID, At: r.h.now()}
	b.Captures = append(b.Captures, evidence(resp)...)
	atts, attCaps, attStates, err := r.attachments(ctx, t, d.Links)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		// An attachment that could not be fetched now may hold the very
		// record numbers matching needs: retry the whole unit next sweep.
		r.detailFailed(ctx, t, resp, err)
		return nil
	}
	b.Captures = append(b.Captures, attCaps...)
	pub := r.h.family.BuildPublication(r.county, r.src, t.col.col, t.entry, d, atts)
	if pub.URL == "" {
		pub.URL = u
	}
	if pub.County == "" {
		pub.County = r.county.County
	}
	if pub.Source == "" {
		pub.Source = r.src.Name
	}
	if pub.Column == "" {
		pub.Column = t.col.col.Name
	}
	if pub.CaptureID == "" {
		pub.CaptureID = resp.Capture.ID
	}
	if pub.Evidence == "" {
		pub.Evidence = resp.Digest
	}
	if pl, caps, ok := r.pageLinks(ctx, pub.URL, d.BodyLinks); ok && (len(pl.Links) > 0 || t.known != nil) {
		// A new page without internal links has no stored links to clear.
		b.PageLinks, b.Captures = []store.PageLinks{pl}, append(b.Captures, caps...)
	}
	state.ContentHash = pub.ContentHash
	b.FetchStates = append([]store.FetchState{state}, attStates...)
	b.ListEntries = []store.ListEntry{r.listEntry(t.entry)}
	b.Publications = []gongkai.Publication{pub}
	return r.applyDetail(ctx, t, b)
}

// notFound handles a detail page that answers 404 or 页面不存在. That is
// an observation, not a failure: a known publication gone from the list is
// withdrawn; a listed link to a missing page (never stored, or still listed)
// publishes nothing. The URL keeps an error count so that it is fetched
// again next sweep, in case the page appears.
func (r *sourceRun) notFound(ctx context.Context, t task, resp *fetch.Response, state store.FetchState) error {
	b := store.Batch{SweepID: r.sweepID, At: r.h.now()}
	if t.goneCheck && t.known != nil {
		if t.known.State != gongkai.Withdrawn {
			b.Withdrawn = []string{t.entry.URL}
		}
	} else {
		prev, _ := r.mem.state(t.entry.URL)
		state.ErrorCount = prev.ErrorCount + 1
		state.LastError = fmt.Sprintf("列表中的链接指向不存在的页面 (HTTP %d)", resp.Status)
		r.h.log.Info("listed link to a missing page", "county", r.county.County, "url", t.entry.URL, "status", resp.Status)
	}
	b.FetchStates = []store.FetchState{state}
	b.Captures = evidence(resp)
	return r.applyDetail(ctx, t, b)
}

// applyDetail commits a detail unit; it counts as done once committed.
func (r *sourceRun) applyDetail(ctx context.Context, t task, b store.Batch) error {
	if err := r.apply(ctx, b); err != nil {
		return err
	}
	t.col.detailDone()
	return nil
}

// detailFailed records a detail that could not be observed.
func (r *sourceRun) detailFailed(ctx context.Context, t task, resp *fetch.Response, err error) {
	t.col.fail("detail", t.entry.URL, err)
	r.failed(t.col, t.entry.URL, err)
	r.recordFailure(ctx, t.entry.URL, "", resp, err)
}

// okState is the fetch state after a successful exchange.
func (r *sourceRun) okState(u string, prev store.FetchState, resp *fetch.Response) store.FetchState {
	st := store.FetchState{
		URL: u, ETag: prev.ETag, LastModified: prev.LastModified, ContentHash: prev.ContentHash,
		LastStatus: resp.Status, LastFetched: r.h.now(), CaptureID: resp.Capture.ID,
	}
	if st.CaptureID == "" {
		st.CaptureID = prev.CaptureID
	}
	if e := resp.Header.Get("ETag"); e != "" {
		st.ETag = e
	}
	if lm := resp.Header.Get("Last-Modified"); lm != "" {
		st.LastModified = lm
	}
	return st
}

// attachments fetches and extracts the detail's attachment links. Links
// outside the configured hosts, over the size cap or answering 4xx are kept
// with their Error; a transport failure or a final 5xx fails the unit.
func (r *sourceRun) attachments(ctx context.Context, t task, links []cms.Link) ([]gongkai.Attachment, []gongkai.Capture, []store.FetchState, error) {
	var (
		atts   []gongkai.Attachment
		caps   []gongkai.Capture
		states []store.FetchState
		done   = map[string]bool{}
	)
	var prevAtts map[string]gongkai.Attachment
	if t.known != nil && len(links) > 0 {
		if full, ok, err := r.h.st.Publication(ctx, t.entry.URL); err == nil && ok {
			prevAtts = map[string]gongkai.Attachment{}
			for _, a := range full.Attachments {
				prevAtts[a.URL] = a
			}
		}
	}
	for _, l := range links {
		if l.URL == "" || done[l.URL] {
			continue
		}
		done[l.URL] = true
		name := strings.TrimSpace(l.Name)
		if name == "" {
			name = fileName(l.URL)
		}
		a := gongkai.Attachment{URL: l.URL, Name: name}
		req := fetch.Request{Method: http.MethodGet, URL: l.URL, Kind: fetch.KindAttachment}
		prev, hadPrev := prevAtts[l.URL]
		if hadPrev && prev.Error == "" {
			if st, ok := r.mem.state(l.URL); ok {
				req.ETag, req.LastModified = st.ETag, st.LastModified
				req.PrevCaptureAt = st.LastFetched
			}
			req.PrevDigest, req.PrevCaptureID = prev.Evidence, prev.CaptureID
		}
		resp, err := r.fetch(ctx, req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil, nil, ctx.Err()
			}
			if permanentFetchError(err) {
				a.Error = err.Error()
				atts = append(atts, a)
				continue
			}
			r.recordFailure(ctx, l.URL, "", nil, err)
			return nil, nil, nil, fmt.Errorf("附件 %s: %w", l.URL, err)
		}
		if resp.Capture.ID != "" {
			caps = append(caps, resp.Capture)
		}
		st := r.okState(l.URL, store.FetchState{}, resp)
		states = append(states, st)
		if hadPrev && prev.Error == "" && (resp.NotModified || (resp.Digest != "" && resp.Digest == prev.Evidence)) {
			kept := prev
			kept.Name = name
			if resp.Capture.ID != "" && !resp.NotModified {
				kept.CaptureID = resp.Capture.ID
			}
			atts = append(atts, kept)
			continue
		}
		switch {
		case resp.Challenge:
			return nil, nil, nil, fmt.Errorf("附件 %s: 遇到验证/挑战页面 (HTTP %d)", l.URL, resp.Status)
		case resp.Status >= 500:
			r.recordFailure(ctx, l.URL, "", resp, fmt.Errorf("HTTP %d", resp.Status))
			return nil, nil, nil, fmt.Errorf("附件 %s: HTTP %d", l.URL, resp.Status)
		case resp.Status >= 400:
			a.Error = fmt.Sprintf("HTTP %d", resp.Status)
			atts = append(atts, a)
			continue
		}
		a.MediaType = resp.MediaType
		if a.MediaType == "" {
			a.MediaType = mediaType(resp.Header.Get("Content-Type"))
		}
		a.Size = int64(len(resp.Body))
		a.Evidence = resp.Digest
		a.CaptureID = resp.Capture.ID
		var xerr error
		a.Text, a.Sheets, xerr = attach.Extract(name, a.MediaType, resp.Body)
		if xerr != nil {
			a.Error = "无法读取: " + xerr.Error()
		}
		atts = append(atts, a)
	}
	return atts, caps, states, nil
}

// permanentFetchError reports errors that retrying will not cure: the link
// leaves the configured hosts or the body exceeds the cap.
func permanentFetchError(err error) bool {
	return errors.Is(err, fetch.ErrOffScope) || errors.Is(err, fetch.ErrBodyTooLarge)
}

func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.TrimSpace(strings.SplitN(ct, ";", 2)[0])
	}
	return mt
}

// fileName is the last path element of a URL (or its filename= parameter,
// as in Hanweb's downfile.jsp?filename=…).
func fileName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if f := u.Query().Get("filename"); f != "" {
		return f
	}
	return path.Base(u.Path)
}
