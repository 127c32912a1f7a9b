package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	goredis "github.com/redis/go-redis/v9"

	"gongkai"
	"gongkai/store"
)

// chunk is how many publications or captures one round trip reads.
const chunk = 256

// FetchState returns the incremental-sync state of a GET of url.
func (db *DB) FetchState(ctx context.Context, url string) (store.FetchState, bool, error) {
	s, err := db.c.HGet(ctx, db.kFetch(), fetchField(url, "")).Result()
	if errors.Is(err, goredis.Nil) {
		return store.FetchState{}, false, nil
	}
	if err != nil {
		return store.FetchState{}, false, err
	}
	f, err := db.fetchStateFrom(fetchField(url, ""), s)
	return f, err == nil, err
}

// FetchStates returns the state of every request whose URL starts with one
// of the prefixes: one HSCAN of the fetch-state hash per prefix.
func (db *DB) FetchStates(ctx context.Context, prefixes []string) ([]store.FetchState, error) {
	var out []store.FetchState
	err := db.scanPrefixes(ctx, db.kFetch(), prefixes, func(field, value string) error {
		f, err := db.fetchStateFrom(field, value)
		out = append(out, f)
		return err
	})
	return out, err
}

// ListEntries returns what the lists last showed for every entry whose URL
// starts with one of the prefixes.
func (db *DB) ListEntries(ctx context.Context, prefixes []string) ([]store.ListEntry, error) {
	var out []store.ListEntry
	err := db.scanPrefixes(ctx, db.kListEntries(), prefixes, func(field, value string) error {
		var d listEntryDoc
		if err := json.Unmarshal([]byte(value), &d); err != nil {
			return fmt.Errorf("Redis 存储数据损坏: %s 的 %s: %v", db.kListEntries(), field, err)
		}
		out = append(out, store.ListEntry{URL: field, Signature: d.Signature, Seen: timeFrom(d.Seen)})
		return nil
	})
	return out, err
}

// scanPrefixes calls fn for every field of the hash key that starts with
// one of the prefixes (HSCAN with the prefix as a glob, its glob characters
// escaped; a field is visited once even if two prefixes match it).
func (db *DB) scanPrefixes(ctx context.Context, key string, prefixes []string, fn func(field, value string) error) error {
	seen := map[string]bool{}
	for _, prefix := range prefixes {
		it := db.c.HScan(ctx, key, 0, globEscape(prefix)+"*", 1000).Iterator()
		for it.Next(ctx) {
			field := it.Val()
			if !it.Next(ctx) {
				break
			}
			if seen[field] || !strings.HasPrefix(field, prefix) {
				continue
			}
			seen[field] = true
			if err := fn(field, it.Val()); err != nil {
				return err
			}
		}
		if err := it.Err(); err != nil {
			return err
		}
	}
	return nil
}

// pageLinkDoc is one internal link of a page, in H plinks (field: the
// page URL, value: the page's links as a JSON array).
type pageLinkDoc struct {
	URL       string `json:"u"`
	Name      string `json:"n,omitempty"`
	Status    int    `json:"s,omitempty"`
	Error     string `json:"e,omitempty"`
	CheckedAt int64  `json:"t,omitempty"`
	CaptureID string `json:"c,omitempty"`
}

// PageLinks returns the internal links of the pages under the prefixes
// (nil: all), in page URL order; DeadOnly keeps the pages with a dead link.
func (db *DB) PageLinks(ctx context.Context, q store.PageLinkQuery) ([]store.PageLinks, error) {
	prefixes := q.Prefixes
	if prefixes == nil {
		prefixes = []string{""}
	}
	var out []store.PageLinks
	err := db.scanPrefixes(ctx, db.kPageLinks(), prefixes, func(field, value string) error {
		var docs []pageLinkDoc
		if err := json.Unmarshal([]byte(value), &docs); err != nil {
			return fmt.Errorf("Redis 存储数据损坏: %s 的 %s: %v", db.kPageLinks(), field, err)
		}
		pl := store.PageLinks{Page: field}
		dead := false
		for _, d := range docs {
			pl.Links = append(pl.Links, store.PageLink{URL: d.URL, Name: d.Name, Status: d.Status, Error: d.Error,
				CheckedAt: timeFrom(d.CheckedAt), CaptureID: d.CaptureID})
			dead = dead || d.Error != ""
		}
		if dead || !q.DeadOnly {
			slices.SortFunc(pl.Links, func(a, b store.PageLink) int { return strings.Compare(a.URL, b.URL) })
			out = append(out, pl)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b store.PageLinks) int { return strings.Compare(a.Page, b.Page) })
	return out, nil
}

// globEscape quotes the characters Redis's MATCH patterns treat specially.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fetchField is the fetch-state hash field of a request: its URL, and for
// a POST a newline and its encoded form (a URL holds no newline).
func fetchField(url, form string) string {
	if form == "" {
		return url
	}
	return url + "\n" + form
}

func (db *DB) fetchStateFrom(field, value string) (store.FetchState, error) {
	var d fetchDoc
	if err := json.Unmarshal([]byte(value), &d); err != nil {
		return store.FetchState{}, fmt.Errorf("Redis 存储数据损坏: %s 的 %s: %v", db.kFetch(), field, err)
	}
	url, form, _ := strings.Cut(field, "\n")
	return store.FetchState{URL: url, Form: form, ETag: d.ETag, LastModified: d.LastModified, ContentHash: d.ContentHash,
		LastStatus: d.LastStatus, LastFetched: timeFrom(d.LastFetched), ErrorCount: d.ErrorCount,
		LastError: d.LastError, CaptureID: d.CaptureID}, nil
}

// readPubs reads the heads and current versions of urls in one MULTI/EXEC
// (a consistent view); a URL not stored gives a nil head.
func (db *DB) readPubs(ctx context.Context, urls []string) ([]*head, []*version, error) {
	hc := make([]*goredis.MapStringStringCmd, len(urls))
	vc := make([]*goredis.StringCmd, len(urls))
	_, err := db.c.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		for i, u := range urls {
			hc[i] = p.HGetAll(ctx, db.kPub(u))
			vc[i] = p.LIndex(ctx, db.kPubVersions(u), -1)
		}
		return nil
	})
	if err != nil && !errors.Is(err, goredis.Nil) {
		return nil, nil, err
	}
	heads := make([]*head, len(urls))
	vers := make([]*version, len(urls))
	for i, u := range urls {
		h, err := headFrom(u, hc[i].Val(), db.kPub(u))
		if err != nil {
			return nil, nil, err
		}
		if h == nil {
			continue
		}
		s, err := vc[i].Result()
		if err != nil {
			return nil, nil, fmt.Errorf("Redis 存储数据损坏: %s 没有版本: %v", db.kPub(u), err)
		}
		var v version
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return nil, nil, fmt.Errorf("Redis 存储数据损坏: %s: %v", db.kPubVersions(u), err)
		}
		heads[i], vers[i] = h, &v
	}
	return heads, vers, nil
}

// Publication returns the current version of the publication at url, with
// body, attachment content and disclosures.
func (db *DB) Publication(ctx context.Context, url string) (gongkai.Publication, bool, error) {
	hs, vs, err := db.readPubs(ctx, []string{url})
	if err != nil || hs[0] == nil {
		return gongkai.Publication{}, false, err
	}
	return hs[0].publication(vs[0], true), true, nil
}

// Publications lists current publications (see EachPublication for the
// order).
func (db *DB) Publications(ctx context.Context, q store.PublicationQuery) ([]gongkai.Publication, error) {
	var out []gongkai.Publication
	err := db.EachPublication(ctx, q, func(p gongkai.Publication) error {
		out = append(out, p)
		return nil
	})
	return out, err
}

func (q pubFilter) match(h *head) bool {
	return (q.County == "" || h.county == q.County) && (q.Channel == "" || h.channel == string(q.Channel)) &&
		(q.Source == "" || h.source == q.Source) && (q.IncludeWithdrawn || h.state != gongkai.Withdrawn)
}

type pubFilter store.PublicationQuery

// EachPublication streams the publications q selects to fn, a chunk of
// publications per round trip: it first collects the matching URLs (from
// the small head fields), then reads and hands over the publications a
// chunk at a time, so bodies are never all in memory. An error from fn
// stops the walk. Order: the order they were first seen; with a County
// filter, by channel and then first seen (as store/sqlite).
//
// It walks the P pubs sorted set by score rather than SCANning the key
// space: SCAN has no order and would visit every key of the store (versions,
// captures) to find the publication heads. The walk is not a snapshot: a
// publication committed meanwhile may or may not be seen, each one
// delivered is read consistently (head with its current version).
func (db *DB) EachPublication(ctx context.Context, q store.PublicationQuery, fn func(gongkai.Publication) error) error {
	f := pubFilter(q)
	// Pass 1: the URLs that match, from the small head fields only.
	type hit struct {
		url, channel string
	}
	var hits []hit
	from := "-inf"
	for {
		zs, err := db.c.ZRangeArgsWithScores(ctx, goredis.ZRangeArgs{Key: db.kPubs(), ByScore: true,
			Start: from, Stop: "+inf", Count: chunk}).Result()
		if err != nil {
			return err
		}
		if len(zs) == 0 {
			break
		}
		cmds := make([]*goredis.SliceCmd, len(zs))
		if _, err := db.c.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for i, z := range zs {
				cmds[i] = p.HMGet(ctx, db.kPub(z.Member.(string)), "county", "channel", "source", "state")
			}
			return nil
		}); err != nil {
			return err
		}
		for i, z := range zs {
			v := cmds[i].Val()
			h := &head{county: str(v[0]), channel: str(v[1]), source: str(v[2]), state: gongkai.PubState(str(v[3]))}
			if f.match(h) {
				hits = append(hits, hit{z.Member.(string), h.channel})
			}
		}
		from = "(" + strconv.FormatFloat(zs[len(zs)-1].Score, 'f', -1, 64)
		if len(zs) < chunk {
			break
		}
	}
	if q.County != "" {
		slices.SortStableFunc(hits, func(a, b hit) int {
			switch {
			case a.channel < b.channel:
				return -1
			case a.channel > b.channel:
				return 1
			}
			return 0
		})
	}
	// Pass 2: whole publications, a chunk at a time.
	for start := 0; start < len(hits); start += chunk {
		end := min(start+chunk, len(hits))
		urls := make([]string, 0, end-start)
		for _, h := range hits[start:end] {
			urls = append(urls, h.url)
		}
		hs, vs, err := db.readPubs(ctx, urls)
		if err != nil {
			return err
		}
		for i, h := range hs {
			if h == nil || !f.match(h) { // changed since pass 1
				continue
			}
			if err := fn(h.publication(vs[i], q.WithBodies)); err != nil {
				return err
			}
		}
	}
	return nil
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// Versions lists every stored version of the publication at url, oldest
// first, with bodies. Each version carries the state it was recorded with
// and FirstSeen/LastSeen of that version; identity fields are the
// publication's current ones.
func (db *DB) Versions(ctx context.Context, url string) ([]gongkai.Publication, error) {
	var hc *goredis.MapStringStringCmd
	var vc, lc *goredis.StringSliceCmd
	if _, err := db.c.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		hc = p.HGetAll(ctx, db.kPub(url))
		vc = p.LRange(ctx, db.kPubVersions(url), 0, -1)
		lc = p.LRange(ctx, db.kPubLast(url), 0, -1)
		return nil
	}); err != nil {
		return nil, err
	}
	h, err := headFrom(url, hc.Val(), db.kPub(url))
	if err != nil || h == nil {
		return nil, err
	}
	lasts := lc.Val()
	var out []gongkai.Publication
	for i, s := range vc.Val() {
		var v version
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return nil, fmt.Errorf("Redis 存储数据损坏: %s: %v", db.kPubVersions(url), err)
		}
		p := h.publication(&v, true)
		p.State, p.Version, p.FirstSeen, p.Withdrawn = v.State, int(v.Version), timeFrom(v.FirstSeen), timeFrom(0)
		if i < len(lasts) { // closed; the current one's last sighting is the publication's
			n, err := strconv.ParseInt(lasts[i], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("Redis 存储数据损坏: %s: %q", db.kPubLast(url), lasts[i])
			}
			p.LastSeen = timeFrom(n)
		}
		out = append(out, p)
	}
	return out, nil
}

// CreditLookups lists credit-system lookups, newest first (then latest
// committed first).
func (db *DB) CreditLookups(ctx context.Context, q store.CreditQuery) ([]gongkai.CreditLookup, error) {
	counties := []string{q.County}
	if q.County == "" {
		var err error
		if counties, err = db.c.SMembers(ctx, db.kCreditCounties()).Result(); err != nil {
			return nil, err
		}
	}
	cmds := make([]*goredis.MapStringStringCmd, len(counties))
	if _, err := db.c.TxPipelined(ctx, func(p goredis.Pipeliner) error {
		for i, c := range counties {
			cmds[i] = p.HGetAll(ctx, db.kCredit(c))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var docs []creditDoc
	for i, cmd := range cmds {
		for field, s := range cmd.Val() {
			var d creditDoc
			if err := json.Unmarshal([]byte(s), &d); err != nil {
				return nil, fmt.Errorf("Redis 存储数据损坏: %s 的 %q: %v", db.kCredit(counties[i]), field, err)
			}
			if q.Key != "" && d.Key != q.Key {
				continue
			}
			docs = append(docs, d)
		}
	}
	sort.Slice(docs, func(i, j int) bool {
		if docs[i].At != docs[j].At {
			return docs[i].At > docs[j].At
		}
		return docs[i].Seq > docs[j].Seq
	})
	var out []gongkai.CreditLookup
	for _, d := range docs {
		out = append(out, gongkai.CreditLookup{County: d.County, Key: d.Key, Party: d.Party, At: timeFrom(d.At),
			Observed: d.Observed, Reason: d.Reason, CompanyURL: d.CompanyURL, CaptureID: d.CaptureID})
	}
	return out, nil
}

// Capture returns one capture with its WARC record.
func (db *DB) Capture(ctx context.Context, id string) (gongkai.Capture, bool, error) {
	m, err := db.c.HGetAll(ctx, db.kCapture(id)).Result()
	if err != nil || len(m) == 0 {
		return gongkai.Capture{}, false, err
	}
	f := fields{m: m, key: db.kCapture(id)}
	c := gongkai.Capture{ID: id, URL: f.str("url"), At: timeFrom(f.int("at")), Type: f.str("type"),
		Status: int(f.int("status")), PayloadDigest: f.str("digest"), WARC: []byte(f.str("warc")),
		Request: []byte(f.str("request")), County: f.str("county")}
	return c, true, f.err
}

// Captures streams capture metadata (WARC left empty) in commit order, a
// chunk per round trip. fn may call other read methods; an error from fn
// stops the walk.
func (db *DB) Captures(ctx context.Context, fn func(gongkai.Capture) error) error {
	for start := int64(0); ; start += chunk {
		ids, err := db.c.LRange(ctx, db.kCaptures(), start, start+chunk-1).Result()
		if err != nil {
			return err
		}
		cmds := make([]*goredis.SliceCmd, len(ids))
		if _, err := db.c.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for i, id := range ids {
				cmds[i] = p.HMGet(ctx, db.kCapture(id), "url", "at", "type", "status", "digest", "county")
			}
			return nil
		}); err != nil && len(ids) > 0 {
			return err
		}
		for i, id := range ids {
			v := cmds[i].Val()
			at, err1 := strconv.ParseInt(str(v[1]), 10, 64)
			status, err2 := strconv.Atoi(str(v[3]))
			if err := errors.Join(err1, err2); err != nil {
				return fmt.Errorf("Redis 存储数据损坏: %s: %v", db.kCapture(id), err)
			}
			c := gongkai.Capture{ID: id, URL: str(v[0]), At: timeFrom(at), Type: str(v[2]), Status: status,
				PayloadDigest: str(v[4]), County: str(v[5])}
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(ids) < chunk {
			return nil
		}
	}
}
