package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"gongkai"

	"gongkai/store"
)

var (
	sqlInsertCapture = writeQuery(`INSERT INTO captures (id, url, at, type, status, payload_digest, warc,
			request, county)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
	sqlSweepCounty   = writeQuery(`SELECT county FROM sweeps WHERE id = ?`)
	sqlPutFetchState = writeQuery(`INSERT INTO fetch_state (url, form, etag, last_modified, content_hash,
			last_status, last_fetched, error_count, last_error, capture_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url, form) DO UPDATE SET
			etag = excluded.etag, last_modified = excluded.last_modified,
			content_hash = excluded.content_hash, last_status = excluded.last_status,
			last_fetched = excluded.last_fetched, error_count = excluded.error_count,
			last_error = excluded.last_error, capture_id = excluded.capture_id`)
	sqlPutListEntry = writeQuery(`INSERT INTO list_entries (url, signature, seen) VALUES (?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET signature = excluded.signature, seen = excluded.seen`)
	sqlDeletePageLinks = writeQuery(`DELETE FROM page_links WHERE page = ?`)
	sqlPutPageLink     = writeQuery(`INSERT INTO page_links (page, link, name, status, error, checked_at, capture_id)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (page, link) DO UPDATE SET name = excluded.name,
			status = excluded.status, error = excluded.error, checked_at = excluded.checked_at, capture_id = excluded.capture_id`)
	sqlPubHead = writeQuery(`SELECT id, content_hash, state, version, current_id, version_since, last_seen, withdrawn
		FROM publications WHERE url = ?`)
	sqlInsertPub = writeQuery(`INSERT INTO publications (url, county, channel, source, column_name,
			candidates, state, version, content_hash, version_since, first_seen, last_seen)
		VALUES (?, ?, ?, ?, ?, ?, 'current', 1, ?, ?, ?, ?)`)
	sqlInsertVersion = writeQuery(`INSERT INTO publication_versions (pub_id, version, state, content_hash,
			capture_id, evidence, sweep_id, first_seen, title, declared, declared_from,
			metadata, record_nos, attachments, body, attachment_content, disclosures)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	sqlVersionClose  = writeQuery(`UPDATE publication_versions SET last_seen = ? WHERE id = ?`)
	sqlPubSetCurrent = writeQuery(`UPDATE publications SET current_id = ? WHERE id = ?`)
	sqlPubNewVersion = writeQuery(`UPDATE publications SET county = ?, channel = ?, source = ?,
			column_name = ?, candidates = ?, state = ?, version = ?, current_id = ?, content_hash = ?,
			version_since = ?, last_seen = max(last_seen, ?), withdrawn = 0
		WHERE id = ?`)
	sqlPubTouch = writeQuery(`UPDATE publications SET county = ?, channel = ?, source = ?,
			column_name = ?, candidates = ?, last_seen = max(last_seen, ?)
		WHERE id = ?`)
	sqlCopyVersion = writeQuery(`INSERT INTO publication_versions (pub_id, version, state, content_hash,
			capture_id, evidence, sweep_id, first_seen, title, declared, declared_from,
			metadata, record_nos, attachments, body, attachment_content, disclosures)
		SELECT pub_id, ?, ?, content_hash, capture_id, evidence, ?, ?, title, declared, declared_from,
			metadata, record_nos, attachments, body, attachment_content, disclosures
		FROM publication_versions WHERE id = ?`)
	sqlPubRevive = writeQuery(`UPDATE publications SET state = ?, version = ?, current_id = ?,
			version_since = ?, last_seen = max(last_seen, ?), withdrawn = 0
		WHERE id = ?`)
	sqlOtherContentExists = writeQuery(`SELECT EXISTS (SELECT 1 FROM publication_versions
		WHERE pub_id = ? AND content_hash != ?)`)
	sqlSeen = writeQuery(`UPDATE publications SET last_seen = max(last_seen, ?)
		WHERE url = ? AND state != 'withdrawn'`)
	sqlWithdraw = writeQuery(`UPDATE publications SET state = 'withdrawn', withdrawn = ?1
		WHERE url = ?2 AND state != 'withdrawn' AND last_seen <= ?1`)
	sqlInsertCredit = writeQuery(`INSERT INTO credit_lookups (county, key, party, at, observed, reason,
			company_url, capture_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (county, key, at) DO NOTHING`)
)

// Apply commits b in one transaction: captures, fetch states, publications,
// list sightings, withdrawals, credit lookups and the column outcome. Any
// error rolls everything back.
//
// Publications are compared with the stored current version by ContentHash:
// an unknown URL becomes version 1 (New); the same hash only moves LastSeen
// and the fields that describe where the item was found (county, channel,
// source, column, candidates) (Unchanged); a different hash adds a version
// (Changed); a withdrawn URL observed again gets a new version and is current
// again (counted Changed) — observed in Publications with the content given,
// or only sighted (Seen) with its last content. Seen moves LastSeen of known
// publications and ignores unknown URLs. An observation older than the
// stored one (At before the current version was first seen, or before the
// withdrawal) is stale and changes nothing (a stale publication is counted
// Unchanged). Together with
// ON CONFLICT DO NOTHING for captures and credit lookups this makes
// re-applying a committed batch a no-op.
func (db *DB) Apply(ctx context.Context, b store.Batch) (store.BatchResult, error) {
	res, err := db.ApplyBatches(ctx, []store.Batch{b})
	if err != nil {
		return store.BatchResult{}, err
	}
	return res[0], nil
}

// ApplyBatches commits several batches in one transaction, each applied as
// Apply would apply it (with its own SweepID and At), in order, and returns
// their results in the same order. Either all of them are committed or, on
// any error, none. The harvester uses it for group commit: a SQLite commit
// costs far more than the rows in it, and batches of different sources
// (different sweeps) can share one.
func (db *DB) ApplyBatches(ctx context.Context, bs []store.Batch) ([]store.BatchResult, error) {
	if err := store.ValidateBatches(bs); err != nil {
		return nil, err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	w := &writeTx{db: db, tx: tx, ctx: ctx}
	out := make([]store.BatchResult, len(bs))
	for i := range bs {
		if out[i], err = w.apply(&bs[i]); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return out, nil
}

// writeTx is one write transaction with its statements bound once.
type writeTx struct {
	db    *DB
	tx    *sql.Tx
	ctx   context.Context
	stmts map[string]*sql.Stmt
	// enc: one encoder per blob column of a version row, reused row to row.
	enc struct{ candidates, metadata, recordNos, attachments, content, disclosures encoder }
}

// stmt returns the prepared writer statement q bound to the transaction.
func (w *writeTx) stmt(q string) *sql.Stmt {
	if st, ok := w.stmts[q]; ok {
		return st
	}
	if w.stmts == nil {
		w.stmts = make(map[string]*sql.Stmt, 8)
	}
	st := w.db.txStmt(w.ctx, w.tx, q)
	w.stmts[q] = st
	return st
}

// captureCounties reads the county of b's sweep and applies
// store.CaptureCounty, the rule every backend shares.
func (w *writeTx) captureCounties(b *store.Batch) (func(id string) string, error) {
	sweep := ""
	if b.SweepID != 0 {
		err := w.stmt(sqlSweepCounty).QueryRowContext(w.ctx, b.SweepID).Scan(&sweep)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("Apply: sweep %d: %w", b.SweepID, err)
		}
	}
	return store.CaptureCounty(b, sweep), nil
}

// apply writes one batch inside the transaction.
func (w *writeTx) apply(b *store.Batch) (store.BatchResult, error) {
	var res store.BatchResult
	ctx, db, tx := w.ctx, w.db, w.tx
	at := timeToDB(b.At)

	if len(b.Captures) > 0 {
		ins := w.stmt(sqlInsertCapture)
		county, err := w.captureCounties(b)
		if err != nil {
			return res, err
		}
		for _, c := range b.Captures {
			if c.ID == "" {
				return res, fmt.Errorf("Apply: capture of %s has no ID", c.URL)
			}
			warc := c.WARC
			if warc == nil {
				warc = []byte{}
			}
			req := c.Request
			if req == nil {
				req = []byte{}
			}
			cc := c.County
			if cc == "" {
				cc = county(c.ID)
			}
			if _, err := ins.ExecContext(ctx, c.ID, c.URL, timeToDB(c.At), c.Type, c.Status, c.PayloadDigest, warc, req, cc); err != nil {
				return res, fmt.Errorf("Apply: capture %s: %w", c.ID, err)
			}
		}
	}

	if len(b.FetchStates) > 0 {
		put := w.stmt(sqlPutFetchState)
		for _, f := range b.FetchStates {
			if f.URL == "" {
				return res, errors.New("Apply: fetch state without URL")
			}
			if _, err := put.ExecContext(ctx, f.URL, f.Form, f.ETag, f.LastModified, f.ContentHash, f.LastStatus,
				timeToDB(f.LastFetched), f.ErrorCount, f.LastError, f.CaptureID); err != nil {
				return res, fmt.Errorf("Apply: fetch state %s: %w", f.URL, err)
			}
		}
	}
	if len(b.ListEntries) > 0 {
		put := w.stmt(sqlPutListEntry)
		for _, e := range b.ListEntries {
			if e.URL == "" {
				return res, errors.New("Apply: list entry without URL")
			}
			if _, err := put.ExecContext(ctx, e.URL, e.Signature, timeToDB(e.Seen)); err != nil {
				return res, fmt.Errorf("Apply: list entry %s: %w", e.URL, err)
			}
		}
	}

	for i := range b.Publications {
		if err := w.applyPublication(&b.Publications[i], b.SweepID, at, &res); err != nil {
			return store.BatchResult{}, fmt.Errorf("Apply: publication %s: %w", b.Publications[i].URL, err)
		}
	}

	if len(b.Seen) > 0 {
		seen := w.stmt(sqlSeen)
		for _, u := range b.Seen {
			r, err := seen.ExecContext(ctx, at, u)
			if err != nil {
				return store.BatchResult{}, fmt.Errorf("Apply: seen %s: %w", u, err)
			}
			if n, err := r.RowsAffected(); err != nil {
				return store.BatchResult{}, err
			} else if n == 0 {
				// Unknown (ignored) or withdrawn: seen again, it is back.
				if err := w.seenWithdrawn(u, b.SweepID, at, &res); err != nil {
					return store.BatchResult{}, fmt.Errorf("Apply: seen %s: %w", u, err)
				}
			}
		}
	}

	if len(b.Withdrawn) > 0 {
		wd := w.stmt(sqlWithdraw)
		for _, u := range b.Withdrawn {
			r, err := wd.ExecContext(ctx, at, u)
			if err != nil {
				return store.BatchResult{}, fmt.Errorf("Apply: withdraw %s: %w", u, err)
			}
			n, err := r.RowsAffected()
			if err != nil {
				return store.BatchResult{}, err
			}
			res.Withdrawn += int(n)
		}
	}

	if len(b.Credit) > 0 {
		ins := w.stmt(sqlInsertCredit)
		for _, c := range b.Credit {
			if c.Key == "" {
				return store.BatchResult{}, errors.New("Apply: credit lookup without Key")
			}
			when := c.At
			if when.IsZero() {
				when = b.At
			}
			if _, err := ins.ExecContext(ctx, c.County, c.Key, c.Party, timeToDB(when), boolToDB(c.Observed),
				c.Reason, c.CompanyURL, c.CaptureID); err != nil {
				return store.BatchResult{}, fmt.Errorf("Apply: credit lookup %s: %w", c.Key, err)
			}
		}
	}

	if len(b.PageLinks) > 0 {
		del, put := w.stmt(sqlDeletePageLinks), w.stmt(sqlPutPageLink)
		for _, pl := range b.PageLinks {
			if pl.Page == "" {
				return store.BatchResult{}, errors.New("Apply: page links without Page")
			}
			if _, err := del.ExecContext(ctx, pl.Page); err != nil {
				return store.BatchResult{}, fmt.Errorf("Apply: links of %s: %w", pl.Page, err)
			}
			for _, l := range pl.Links {
				if l.URL == "" {
					return store.BatchResult{}, fmt.Errorf("Apply: a link of %s without URL", pl.Page)
				}
				if _, err := put.ExecContext(ctx, pl.Page, l.URL, l.Name, l.Status, l.Error, timeToDB(l.CheckedAt), l.CaptureID); err != nil {
					return store.BatchResult{}, fmt.Errorf("Apply: link %s of %s: %w", l.URL, pl.Page, err)
				}
			}
		}
	}

	if b.Column != nil {
		if err := db.putColumn(ctx, tx, b.SweepID, *b.Column); err != nil {
			return store.BatchResult{}, fmt.Errorf("Apply: %w", err)
		}
	}
	return res, nil
}

func (w *writeTx) applyPublication(p *gongkai.Publication, sweepID, at int64, res *store.BatchResult) error {
	ctx := w.ctx
	if p.URL == "" {
		return errors.New("URL is required")
	}
	var h pubHead
	err := w.stmt(sqlPubHead).QueryRowContext(ctx, p.URL).Scan(&h.id, &h.hash, &h.state, &h.version,
		&h.currentID, &h.versionSince, &h.lastSeen, &h.withdrawn)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		r, err := w.stmt(sqlInsertPub).ExecContext(ctx, p.URL, p.County, string(p.Channel), p.Source,
			p.Column, writeStrings(&w.enc.candidates, p.Candidates), p.ContentHash, at, at, at)
		if err != nil {
			return err
		}
		id, err := r.LastInsertId()
		if err != nil {
			return err
		}
		vid, err := w.insertVersion(id, 1, gongkai.Current, p, sweepID, at)
		if err != nil {
			return err
		}
		if _, err := w.stmt(sqlPubSetCurrent).ExecContext(ctx, vid, id); err != nil {
			return err
		}
		res.New++
		return nil
	case err != nil:
		return err
	}

	if h.state == string(gongkai.Withdrawn) {
		if at < h.withdrawn {
			res.Unchanged++ // stale: observed before the withdrawal we already know of
			return nil
		}
		// Back after a withdrawal: always a new version, so the history
		// shows the gap.
		state, err := w.backState(h.id, p.ContentHash)
		if err != nil {
			return err
		}
		res.Changed++
		return w.newVersion(h, state, p, sweepID, at)
	}

	if at < h.versionSince {
		res.Unchanged++ // stale: older than the version we hold
		return nil
	}
	if h.hash == p.ContentHash {
		if _, err := w.stmt(sqlPubTouch).ExecContext(ctx, p.County, string(p.Channel), p.Source,
			p.Column, writeStrings(&w.enc.candidates, p.Candidates), at, h.id); err != nil {
			return err
		}
		res.Unchanged++
		return nil
	}
	res.Changed++
	return w.newVersion(h, gongkai.Changed, p, sweepID, at)
}

// backState is the state of a withdrawn publication observed again with
// content hash: "changed" if its content ever differed, else "current".
func (w *writeTx) backState(pubID int64, hash string) (gongkai.PubState, error) {
	ctx := w.ctx
	var other bool
	if err := w.stmt(sqlOtherContentExists).QueryRowContext(ctx, pubID, hash).Scan(&other); err != nil {
		return "", err
	}
	if other {
		return gongkai.Changed, nil
	}
	return gongkai.Current, nil
}

// seenWithdrawn handles a list sighting of a URL the plain update did not
// touch: unknown URLs are ignored; a withdrawn publication seen (after its
// withdrawal) is back, with a new version carrying its last content (the
// harvester sends a sighting when the page answered 304 Not Modified).
func (w *writeTx) seenWithdrawn(u string, sweepID, at int64, res *store.BatchResult) error {
	ctx := w.ctx
	var h pubHead
	err := w.stmt(sqlPubHead).QueryRowContext(ctx, u).Scan(&h.id, &h.hash, &h.state, &h.version,
		&h.currentID, &h.versionSince, &h.lastSeen, &h.withdrawn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if h.state != string(gongkai.Withdrawn) || at < h.withdrawn {
		return nil // stale sighting (or a state the update already covered)
	}
	state, err := w.backState(h.id, h.hash)
	if err != nil {
		return err
	}
	if _, err := w.stmt(sqlVersionClose).ExecContext(ctx, h.lastSeen, h.currentID); err != nil {
		return err
	}
	r, err := w.stmt(sqlCopyVersion).ExecContext(ctx, h.version+1, string(state), sweepID, at, h.currentID)
	if err != nil {
		return err
	}
	vid, err := r.LastInsertId()
	if err != nil {
		return err
	}
	if _, err := w.stmt(sqlPubRevive).ExecContext(ctx, string(state), h.version+1, vid, at, at, h.id); err != nil {
		return err
	}
	res.Changed++
	return nil
}

// pubHead is the small row Apply decides from.
type pubHead struct {
	id, version, currentID, versionSince, lastSeen, withdrawn int64
	hash, state                                               string
}

// newVersion closes the current version (its last sighting is the
// publication's) and makes a new one current.
func (w *writeTx) newVersion(h pubHead, state gongkai.PubState, p *gongkai.Publication, sweepID, at int64) error {
	ctx := w.ctx
	if _, err := w.stmt(sqlVersionClose).ExecContext(ctx, h.lastSeen, h.currentID); err != nil {
		return err
	}
	vid, err := w.insertVersion(h.id, h.version+1, state, p, sweepID, at)
	if err != nil {
		return err
	}
	_, err = w.stmt(sqlPubNewVersion).ExecContext(ctx, p.County, string(p.Channel), p.Source,
		p.Column, writeStrings(&w.enc.candidates, p.Candidates), string(state), h.version+1, vid, p.ContentHash, at, at, h.id)
	return err
}

func (w *writeTx) insertVersion(pubID, version int64, state gongkai.PubState, p *gongkai.Publication,
	sweepID, at int64) (int64, error) {
	ctx := w.ctx
	r, err := w.stmt(sqlInsertVersion).ExecContext(ctx, pubID, version, string(state), p.ContentHash,
		p.CaptureID, p.Evidence, sweepID, at, p.Title, int64(p.Declared), p.DeclaredFrom,
		writeStrMap(&w.enc.metadata, p.Metadata), writeStrings(&w.enc.recordNos, p.RecordNos),
		writeAttachments(&w.enc.attachments, p.Attachments), p.Body,
		writeAttachmentContent(&w.enc.content, p.Attachments), writeDisclosures(&w.enc.disclosures, p.Disclosures))
	if err != nil {
		return 0, err
	}
	return r.LastInsertId()
}
