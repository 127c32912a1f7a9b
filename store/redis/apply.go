package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	goredis "github.com/redis/go-redis/v9"

	"gongkai"
	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/store"
)

// head is the publication hash P pub:<u>, the part Apply decides from.
type head struct {
	url                                string
	county, channel, source, column    string
	candidates                         []string
	state                              gongkai.PubState
	version                            int64
	hash                               string   // content hash of the current version
	since, first, last, withdrawn, seq int64    // since: when the current version was first seen
	firstHash                          string   // content hash of version 1
	edited                             bool     // some version's hash differs from firstHash
	cur                                *version // current version, when read or written in this transaction
	dirty                              bool
}

// version is one element of P pubv:<u>.
type version struct {
	Version      int64                `json:"v"`
	State        gongkai.PubState     `json:"s"`
	FirstSeen    int64                `json:"f"`
	SweepID      int64                `json:"sw,omitempty"`
	Hash         string               `json:"h"`
	CaptureID    string               `json:"cap,omitempty"`
	Evidence     string               `json:"ev,omitempty"`
	Title        string               `json:"t,omitempty"`
	Declared     int32                `json:"d,omitempty"`
	DeclaredFrom string               `json:"df,omitempty"`
	Metadata     map[string]string    `json:"m,omitempty"`
	RecordNos    []string             `json:"rn,omitempty"`
	Attachments  []gongkai.Attachment `json:"a,omitempty"`
	Body         string               `json:"b,omitempty"`
	Disclosures  []gongkai.Disclosure `json:"ds,omitempty"`
}

func versionOf(p *gongkai.Publication, n int64, state gongkai.PubState, sweepID, at int64) *version {
	return &version{Version: n, State: state, FirstSeen: at, SweepID: sweepID, Hash: p.ContentHash,
		CaptureID: p.CaptureID, Evidence: p.Evidence, Title: p.Title, Declared: int32(p.Declared),
		DeclaredFrom: p.DeclaredFrom, Metadata: p.Metadata, RecordNos: p.RecordNos,
		Attachments: p.Attachments, Body: p.Body, Disclosures: p.Disclosures}
}

func (h *head) fieldMap() map[string]any {
	cand := ""
	if len(h.candidates) > 0 {
		b, _ := json.Marshal(h.candidates)
		cand = string(b)
	}
	return map[string]any{
		"county": h.county, "channel": h.channel, "source": h.source, "column": h.column,
		"candidates": cand, "state": string(h.state), "version": h.version, "hash": h.hash,
		"since": h.since, "first": h.first, "last": h.last, "withdrawn": h.withdrawn, "seq": h.seq,
		"h1": h.firstHash, "edited": boolStr(h.edited),
	}
}

func headFrom(u string, m map[string]string, key string) (*head, error) {
	if len(m) == 0 {
		return nil, nil
	}
	f := fields{m: m, key: key}
	h := &head{url: u, county: f.str("county"), channel: f.str("channel"), source: f.str("source"),
		column: f.str("column"), state: gongkai.PubState(f.str("state")), version: f.int("version"),
		hash: f.str("hash"), since: f.int("since"), first: f.int("first"), last: f.int("last"),
		withdrawn: f.int("withdrawn"), seq: f.int("seq"), firstHash: f.str("h1"), edited: f.bool("edited")}
	if c := f.str("candidates"); c != "" {
		if err := json.Unmarshal([]byte(c), &h.candidates); err != nil {
			return nil, fmt.Errorf("Redis 存储数据损坏: %s 的 candidates: %v", key, err)
		}
	}
	return h, f.err
}

// Apply commits b in one MULTI/EXEC; the rules are those of store/sqlite
// (see its Apply): new/changed/unchanged by ContentHash, sightings move
// LastSeen and bring back a withdrawn publication, stale observations change
// nothing, captures and credit lookups already stored are kept as they are,
// so that re-applying a committed batch is a no-op.
func (db *DB) Apply(ctx context.Context, b store.Batch) (store.BatchResult, error) {
	res, err := db.ApplyBatches(ctx, []store.Batch{b})
	if err != nil {
		return store.BatchResult{}, err
	}
	return res[0], nil
}

// ApplyBatches commits several batches in one MULTI/EXEC, each applied as
// Apply would apply it, in order: all or none. It saves round trips (one
// WATCH, one read pipeline, one EXEC for the group).
func (db *DB) ApplyBatches(ctx context.Context, bs []store.Batch) ([]store.BatchResult, error) {
	if err := store.ValidateBatches(bs); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	keys, urls := db.watchKeys(bs)
	var out []store.BatchResult
	err := db.retryTx(ctx, func(tx *goredis.Tx) error {
		w, err := db.readTx(ctx, tx, bs, urls)
		if err != nil {
			return err
		}
		out = make([]store.BatchResult, len(bs))
		for i := range bs {
			if out[i], err = w.apply(&bs[i]); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			w.flush(p)
			return nil
		})
		return err
	}, keys...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// watchKeys lists the keys the group decides from, and the publication
// URLs it names (in first-mention order).
func (db *DB) watchKeys(bs []store.Batch) (keys, urls []string) {
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	addURL := func(u string) {
		if !seen[db.kPub(u)] {
			urls = append(urls, u)
		}
		add(db.kPub(u))
	}
	for _, b := range bs {
		for _, c := range b.Captures {
			add(db.kCapture(c.ID))
		}
		for _, p := range b.Publications {
			addURL(p.URL)
		}
		for _, u := range b.Seen {
			addURL(u)
		}
		for _, u := range b.Withdrawn {
			addURL(u)
		}
		for _, c := range b.Credit {
			add(db.kCredit(c.County))
		}
		if b.Column != nil {
			add(db.kSweep(b.SweepID))
			add(db.kSweepCols(b.SweepID))
		}
	}
	return keys, urls
}

// writeTx holds what a transaction read and the writes it decided.
type writeTx struct {
	db    *DB
	ctx   context.Context
	tx    *goredis.Tx
	heads map[string]*head // nil value: unknown URL

	captures map[string]bool // stored or written in this transaction
	credit   map[string]bool // credit county hash key + field
	sweeps   map[int64]bool  // exists
	columns  map[string]bool // sweep cols key + column name

	pubSeq, pubSeqEnd int64

	ops []func(goredis.Pipeliner)
}

func (db *DB) readTx(ctx context.Context, tx *goredis.Tx, bs []store.Batch, urls []string) (*writeTx, error) {
	w := &writeTx{db: db, ctx: ctx, tx: tx, heads: map[string]*head{}, captures: map[string]bool{},
		credit: map[string]bool{}, sweeps: map[int64]bool{}, columns: map[string]bool{}}
	type credRead struct {
		key, field string
		cmd        *goredis.BoolCmd
	}
	type colRead struct {
		key, col string
		cmd      *goredis.BoolCmd
	}
	headCmds := make([]*goredis.MapStringStringCmd, len(urls))
	capCmds := map[string]*goredis.IntCmd{}
	sweepCmds := map[int64]*goredis.IntCmd{}
	var creds []credRead
	var cols []colRead
	_, err := tx.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for i, u := range urls {
			headCmds[i] = p.HGetAll(ctx, db.kPub(u))
		}
		for _, b := range bs {
			for _, c := range b.Captures {
				if _, ok := capCmds[c.ID]; !ok {
					capCmds[c.ID] = p.Exists(ctx, db.kCapture(c.ID))
				}
			}
			for _, c := range b.Credit {
				k, f := db.kCredit(c.County), creditField(c.Key, creditAt(c, b))
				creds = append(creds, credRead{k, f, p.HExists(ctx, k, f)})
			}
			if b.Column != nil {
				if _, ok := sweepCmds[b.SweepID]; !ok {
					sweepCmds[b.SweepID] = p.Exists(ctx, db.kSweep(b.SweepID))
				}
				k := db.kSweepCols(b.SweepID)
				cols = append(cols, colRead{k, b.Column.Column, p.HExists(ctx, k, b.Column.Column)})
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, goredis.Nil) {
		return nil, err
	}
	for i, u := range urls {
		h, err := headFrom(u, headCmds[i].Val(), db.kPub(u))
		if err != nil {
			return nil, err
		}
		w.heads[u] = h
	}
	for id, c := range capCmds {
		w.captures[id] = c.Val() > 0
	}
	for _, c := range creds {
		w.credit[c.key+"\x00"+c.field] = c.cmd.Val()
	}
	for id, c := range sweepCmds {
		w.sweeps[id] = c.Val() > 0
	}
	for _, c := range cols {
		w.columns[c.key+"\x00"+c.col] = c.cmd.Val()
	}
	// Sequence numbers for the publications that may be new: taken outside
	// the transaction (INCRBY is not watched); an unused one is a gap.
	var maybeNew int64
	for _, b := range bs {
		for _, p := range b.Publications {
			if w.heads[p.URL] == nil {
				maybeNew++
			}
		}
	}
	if maybeNew > 0 {
		end, err := tx.IncrBy(ctx, db.kPubSeq(), maybeNew).Result()
		if err != nil {
			return nil, err
		}
		w.pubSeq, w.pubSeqEnd = end-maybeNew, end
	}
	return w, nil
}

func creditAt(c gongkai.CreditLookup, b store.Batch) int64 {
	if c.At.IsZero() {
		return timeTo(b.At)
	}
	return timeTo(c.At)
}

func (w *writeTx) op(f func(goredis.Pipeliner)) { w.ops = append(w.ops, f) }

// flush queues every decided write, then the publication heads touched.
func (w *writeTx) flush(p goredis.Pipeliner) {
	for _, f := range w.ops {
		f(p)
	}
	for u, h := range w.heads {
		if h != nil && h.dirty {
			p.HSet(w.ctx, w.db.kPub(u), h.fieldMap())
		}
	}
}

func (w *writeTx) apply(b *store.Batch) (store.BatchResult, error) {
	var res store.BatchResult
	ctx, db := w.ctx, w.db
	at := timeTo(b.At)

	if len(b.Captures) > 0 {
		sweepCounty := ""
		if b.SweepID != 0 {
			// A sweep's county is written once, at BeginSweep.
			c, err := db.c.HGet(ctx, db.kSweep(b.SweepID), "county").Result()
			if err != nil && !errors.Is(err, goredis.Nil) {
				return res, fmt.Errorf("Apply: sweep %d: %w", b.SweepID, err)
			}
			sweepCounty = c
		}
		county := store.CaptureCounty(b, sweepCounty)
		for _, c := range b.Captures {
			if w.captures[c.ID] {
				continue // stored already: kept as it is
			}
			w.captures[c.ID] = true
			c := c
			if c.County == "" {
				c.County = county(c.ID)
			}
			warc, req := c.WARC, c.Request
			if warc == nil {
				warc = []byte{}
			}
			if req == nil {
				req = []byte{}
			}
			w.op(func(p goredis.Pipeliner) {
				p.HSet(ctx, db.kCapture(c.ID), "url", c.URL, "at", timeTo(c.At), "type", c.Type,
					"status", c.Status, "digest", c.PayloadDigest, "warc", warc, "request", req, "county", c.County)
				p.RPush(ctx, db.kCaptures(), c.ID)
			})
		}
	}

	for _, f := range b.FetchStates {
		v, err := json.Marshal(fetchDoc{ETag: f.ETag, LastModified: f.LastModified, ContentHash: f.ContentHash,
			LastStatus: f.LastStatus, LastFetched: timeTo(f.LastFetched), ErrorCount: f.ErrorCount,
			LastError: f.LastError, CaptureID: f.CaptureID})
		if err != nil {
			return res, err
		}
		field := fetchField(f.URL, f.Form)
		w.op(func(p goredis.Pipeliner) { p.HSet(ctx, db.kFetch(), field, v) })
	}
	for _, e := range b.ListEntries {
		v, err := json.Marshal(listEntryDoc{Signature: e.Signature, Seen: timeTo(e.Seen)})
		if err != nil {
			return res, err
		}
		u := e.URL
		w.op(func(p goredis.Pipeliner) { p.HSet(ctx, db.kListEntries(), u, v) })
	}

	for _, pl := range b.PageLinks {
		page := pl.Page
		if len(pl.Links) == 0 {
			w.op(func(p goredis.Pipeliner) { p.HDel(ctx, db.kPageLinks(), page) })
			continue
		}
		docs := make([]pageLinkDoc, len(pl.Links))
		for i, l := range pl.Links {
			docs[i] = pageLinkDoc{URL: l.URL, Name: l.Name, Status: l.Status, Error: l.Error, CheckedAt: timeTo(l.CheckedAt), CaptureID: l.CaptureID}
		}
		v, err := json.Marshal(docs)
		if err != nil {
			return res, err
		}
		w.op(func(p goredis.Pipeliner) { p.HSet(ctx, db.kPageLinks(), page, v) })
	}

	for i := range b.Publications {
		if err := w.applyPublication(&b.Publications[i], b.SweepID, at, &res); err != nil {
			return store.BatchResult{}, fmt.Errorf("Apply: publication %s: %w", b.Publications[i].URL, err)
		}
	}

	for _, u := range b.Seen {
		h := w.heads[u]
		switch {
		case h == nil: // unknown: ignored
		case h.state != gongkai.Withdrawn:
			if at > h.last {
				h.last, h.dirty = at, true
			}
		default:
			if err := w.seenWithdrawn(h, b.SweepID, at, &res); err != nil {
				return store.BatchResult{}, fmt.Errorf("Apply: seen %s: %w", u, err)
			}
		}
	}

	for _, u := range b.Withdrawn {
		h := w.heads[u]
		if h == nil || h.state == gongkai.Withdrawn || h.last > at {
			continue // unknown, withdrawn already, or sighted after this observation
		}
		h.state, h.withdrawn, h.dirty = gongkai.Withdrawn, at, true
		res.Withdrawn++
	}

	for _, c := range b.Credit {
		when := creditAt(c, *b)
		k, f := db.kCredit(c.County), creditField(c.Key, when)
		if w.credit[k+"\x00"+f] {
			continue
		}
		w.credit[k+"\x00"+f] = true
		seq, err := w.tx.Incr(ctx, db.kCreditSeq()).Result()
		if err != nil {
			return store.BatchResult{}, err
		}
		v, err := json.Marshal(creditDoc{County: c.County, Key: c.Key, Party: c.Party, At: when, Observed: c.Observed,
			Reason: c.Reason, CompanyURL: c.CompanyURL, CaptureID: c.CaptureID, Seq: seq})
		if err != nil {
			return store.BatchResult{}, err
		}
		county := c.County
		w.op(func(p goredis.Pipeliner) {
			p.HSet(ctx, k, f, v)
			p.SAdd(ctx, db.kCreditCounties(), county)
		})
	}

	if b.Column != nil {
		if !w.sweeps[b.SweepID] {
			return store.BatchResult{}, fmt.Errorf("Apply: column outcome %q: sweep %d does not exist", b.Column.Column, b.SweepID)
		}
		if err := w.putColumn(b.SweepID, *b.Column); err != nil {
			return store.BatchResult{}, fmt.Errorf("Apply: %w", err)
		}
	}
	return res, nil
}

func (w *writeTx) putColumn(sweepID int64, c gongkai.ColumnOutcome) error {
	v, err := json.Marshal(columnDocOf(c))
	if err != nil {
		return err
	}
	ctx, db := w.ctx, w.db
	k := db.kSweepCols(sweepID)
	first := !w.columns[k+"\x00"+c.Column]
	w.columns[k+"\x00"+c.Column] = true
	name := c.Column
	w.op(func(p goredis.Pipeliner) {
		p.HSet(ctx, k, name, v)
		if first {
			p.RPush(ctx, db.kSweepOrd(sweepID), name)
		}
	})
	return nil
}

func (w *writeTx) applyPublication(p *gongkai.Publication, sweepID, at int64, res *store.BatchResult) error {
	h := w.heads[p.URL]
	if h == nil {
		if w.pubSeq >= w.pubSeqEnd {
			return errors.New("internal: no sequence number left") // cannot happen: counted in readTx
		}
		w.pubSeq++
		h = &head{url: p.URL, state: gongkai.Current, version: 1, hash: p.ContentHash, since: at, first: at,
			last: at, seq: w.pubSeq, firstHash: p.ContentHash, dirty: true}
		h.setLocation(p)
		v := versionOf(p, 1, gongkai.Current, sweepID, at)
		h.cur = v
		w.heads[p.URL] = h
		if err := w.pushVersion(p.URL, v); err != nil {
			return err
		}
		seq, u := h.seq, p.URL
		w.op(func(pl goredis.Pipeliner) {
			pl.ZAdd(w.ctx, w.db.kPubs(), goredis.Z{Score: float64(seq), Member: u})
		})
		res.New++
		return nil
	}

	if h.state == gongkai.Withdrawn {
		if at < h.withdrawn {
			res.Unchanged++ // stale: observed before the withdrawal we already know of
			return nil
		}
		// Back after a withdrawal: always a new version, so the history
		// shows the gap.
		res.Changed++
		return w.newVersion(h, h.backState(p.ContentHash), p, sweepID, at)
	}
	if at < h.since {
		res.Unchanged++ // stale: older than the version we hold
		return nil
	}
	if h.hash == p.ContentHash {
		h.setLocation(p)
		if at > h.last {
			h.last = at
		}
		h.dirty = true
		res.Unchanged++
		return nil
	}
	res.Changed++
	return w.newVersion(h, gongkai.Changed, p, sweepID, at)
}

func (h *head) setLocation(p *gongkai.Publication) {
	h.county, h.channel, h.source, h.column = p.County, string(p.Channel), p.Source, p.Column
	h.candidates = p.Candidates
}

// backState is the state of a withdrawn publication observed again with
// content hash: "changed" if its content ever differed, else "current".
func (h *head) backState(hash string) gongkai.PubState {
	if h.edited || h.firstHash != hash {
		return gongkai.Changed
	}
	return gongkai.Current
}

// newVersion closes the current version (its last sighting is the
// publication's) and makes a new one, with the content observed, current.
func (w *writeTx) newVersion(h *head, state gongkai.PubState, p *gongkai.Publication, sweepID, at int64) error {
	w.closeVersion(h)
	v := versionOf(p, h.version+1, state, sweepID, at)
	if err := w.pushVersion(h.url, v); err != nil {
		return err
	}
	h.setLocation(p)
	h.state, h.version, h.hash, h.since, h.withdrawn, h.cur = state, h.version+1, p.ContentHash, at, 0, v
	if at > h.last {
		h.last = at
	}
	if p.ContentHash != h.firstHash {
		h.edited = true
	}
	h.dirty = true
	return nil
}

// seenWithdrawn: a withdrawn publication sighted on its list (after its
// withdrawal) is back, with a new version carrying its last content (the
// harvester sends a sighting when the page answered 304 Not Modified).
func (w *writeTx) seenWithdrawn(h *head, sweepID, at int64, res *store.BatchResult) error {
	if at < h.withdrawn {
		return nil // stale sighting
	}
	cur, err := w.current(h)
	if err != nil {
		return err
	}
	state := h.backState(h.hash)
	w.closeVersion(h)
	v := *cur
	v.Version, v.State, v.FirstSeen, v.SweepID = h.version+1, state, at, sweepID
	if err := w.pushVersion(h.url, &v); err != nil {
		return err
	}
	h.state, h.version, h.since, h.withdrawn, h.cur = state, h.version+1, at, 0, &v
	if at > h.last {
		h.last = at
	}
	h.dirty = true
	res.Changed++
	return nil
}

// current returns the current version of h, reading it (inside the WATCH:
// the head is watched and every version write rewrites the head).
func (w *writeTx) current(h *head) (*version, error) {
	if h.cur != nil {
		return h.cur, nil
	}
	s, err := w.tx.LIndex(w.ctx, w.db.kPubVersions(h.url), -1).Result()
	if err != nil {
		return nil, fmt.Errorf("current version of %s: %w", h.url, err)
	}
	var v version
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("Redis 存储数据损坏: %s: %v", w.db.kPubVersions(h.url), err)
	}
	h.cur = &v
	return &v, nil
}

func (w *writeTx) closeVersion(h *head) {
	last, k := h.last, w.db.kPubLast(h.url)
	w.op(func(p goredis.Pipeliner) { p.RPush(w.ctx, k, last) })
}

func (w *writeTx) pushVersion(u string, v *version) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	k := w.db.kPubVersions(u)
	w.op(func(p goredis.Pipeliner) { p.RPush(w.ctx, k, b) })
	return nil
}

// --- documents ----------------------------------------------------------------

type fetchDoc struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lm,omitempty"`
	ContentHash  string `json:"h,omitempty"`
	LastStatus   int    `json:"st,omitempty"`
	LastFetched  int64  `json:"at,omitempty"`
	ErrorCount   int    `json:"errs,omitempty"`
	LastError    string `json:"err,omitempty"`
	CaptureID    string `json:"cap,omitempty"`
}

// listEntryDoc is what a list last showed for an entry.
type listEntryDoc struct {
	Signature string `json:"sig"`
	Seen      int64  `json:"seen,omitempty"`
}

type creditDoc struct {
	County     string `json:"county"`
	Key        string `json:"key"`
	Party      string `json:"party,omitempty"`
	At         int64  `json:"at"`
	Observed   bool   `json:"ok,omitempty"`
	Reason     string `json:"reason,omitempty"`
	CompanyURL string `json:"url,omitempty"`
	CaptureID  string `json:"cap,omitempty"`
	Seq        int64  `json:"seq"`
}

type columnDoc struct {
	Column        string   `json:"column"`
	Items         []string `json:"items,omitempty"`
	Complete      bool     `json:"complete,omitempty"`
	ListPages     int      `json:"list_pages,omitempty"`
	ListFailed    int      `json:"list_failed,omitempty"`
	Details       int      `json:"details,omitempty"`
	DetailsFailed int      `json:"details_failed,omitempty"`
	Errors        []string `json:"errors,omitempty"`
	ObservedAt    int64    `json:"observed_at,omitempty"`
	Reason        string   `json:"reason,omitempty"`
	FailedPages   []string `json:"failed_pages,omitempty"`
	Blank         bool     `json:"blank,omitempty"`
	DeclaredPages int      `json:"declared_pages,omitempty"`
	DeclaredTotal int      `json:"declared_total,omitempty"`
	Listed        int      `json:"listed,omitempty"`
}

func columnDocOf(c gongkai.ColumnOutcome) columnDoc {
	return columnDoc{Column: c.Column, Items: c.Items, Complete: c.Complete, ListPages: c.ListPages,
		ListFailed: c.ListFailed, Details: c.Details, DetailsFailed: c.DetailsFailed, Errors: c.Errors,
		ObservedAt: timeTo(c.ObservedAt), Reason: c.Reason, FailedPages: c.FailedPages, Blank: c.Blank,
		DeclaredPages: c.DeclaredPages, DeclaredTotal: c.DeclaredTotal, Listed: c.Listed}
}

func (d columnDoc) outcome() gongkai.ColumnOutcome {
	return gongkai.ColumnOutcome{Column: d.Column, Items: d.Items, Complete: d.Complete, ListPages: d.ListPages,
		ListFailed: d.ListFailed, Details: d.Details, DetailsFailed: d.DetailsFailed, Errors: d.Errors,
		ObservedAt: timeFrom(d.ObservedAt), Reason: d.Reason, FailedPages: d.FailedPages, Blank: d.Blank,
		DeclaredPages: d.DeclaredPages, DeclaredTotal: d.DeclaredTotal, Listed: d.Listed}
}

// publication builds the current view (or, with v not current, a version
// view) of a stored publication.
func (h *head) publication(v *version, bodies bool) gongkai.Publication {
	p := gongkai.Publication{URL: h.url, County: h.county, Channel: catalogue.Channel(h.channel), Source: h.source,
		Column: h.column, Candidates: h.candidates, Title: v.Title, Declared: calendar.Date(v.Declared),
		DeclaredFrom: v.DeclaredFrom, Metadata: v.Metadata, RecordNos: v.RecordNos, ContentHash: v.Hash,
		CaptureID: v.CaptureID, Evidence: v.Evidence, FirstSeen: timeFrom(h.first), LastSeen: timeFrom(h.last),
		State: h.state, Version: int(h.version), Withdrawn: timeFrom(h.withdrawn)}
	if bodies {
		p.Body, p.Attachments, p.Disclosures = v.Body, v.Attachments, v.Disclosures
		return p
	}
	if len(v.Attachments) > 0 {
		p.Attachments = make([]gongkai.Attachment, len(v.Attachments))
		for i, a := range v.Attachments {
			a.Text, a.Sheets = "", nil
			p.Attachments[i] = a
		}
	}
	return p
}
