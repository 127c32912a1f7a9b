package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gongkai/store"
)

var (
	sqlInsertCapture = writeQuery(`INSERT INTO captures (id, url, at, type, status, payload_digest, warc)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`)
	sqlPutFetchState = writeQuery(`INSERT INTO fetch_state (url, etag, last_modified, content_hash,
			last_status, last_fetched, error_count, last_error, capture_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET
			etag = excluded.etag, last_modified = excluded.last_modified,
			content_hash = excluded.content_hash, last_status = excluded.last_status,
			last_fetched = excluded.last_fetched, error_count = excluded.error_count,
			last_error = excluded.last_error, capture_id = excluded.capture_id`)
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
	var res store.BatchResult
	if b.At.IsZero() {
		return res, errors.New("Apply: Batch.At is required")
	}
	if b.Column != nil && b.SweepID == 0 {
		return res, errors.New("Apply: Batch.Column needs Batch.SweepID")
	}
	at := timeToDB(b.At)

	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()

	if len(b.Captures) > 0 {
		ins := db.txStmt(ctx, tx, sqlInsertCapture)
		for _, c := range b.Captures {
			if c.ID == "" {
				return res, fmt.Errorf("Apply: capture of %s has no ID", c.URL)
			}
			warc := c.WARC
			if warc == nil {
				warc = []byte{}
			}
			if _, err := ins.ExecContext(ctx, c.ID, c.URL, timeToDB(c.At), c.Type, c.Status, c.PayloadDigest, warc); err != nil {
				return res, fmt.Errorf("Apply: capture %s: %w", c.ID, err)
			}
		}
	}

	if len(b.FetchStates) > 0 {
		put := db.txStmt(ctx, tx, sqlPutFetchState)
		for _, f := range b.FetchStates {
			if f.URL == "" {
				return res, errors.New("Apply: fetch state without URL")
			}
			if _, err := put.ExecContext(ctx, f.URL, f.ETag, f.LastModified, f.ContentHash, f.LastStatus,
				timeToDB(f.LastFetched), f.ErrorCount, f.LastError, f.CaptureID); err != nil {
				return res, fmt.Errorf("Apply: fetch state %s: %w", f.URL, err)
			}
		}
	}

	for i := range b.Publications {
		if err := db.applyPublication(ctx, tx, &b.Publications[i], b.SweepID, at, &res); err != nil {
			return store.BatchResult{}, fmt.Errorf("Apply: publication %s: %w", b.Publications[i].URL, err)
		}
	}

	if len(b.Seen) > 0 {
		seen := db.txStmt(ctx, tx, sqlSeen)
		for _, u := range b.Seen {
			r, err := seen.ExecContext(ctx, at, u)
			if err != nil {
				return store.BatchResult{}, fmt.Errorf("Apply: seen %s: %w", u, err)
			}
			if n, err := r.RowsAffected(); err != nil {
				return store.BatchResult{}, err
			} else if n == 0 {
				// Unknown (ignored) or withdrawn: seen again, it is back.
				if err := db.seenWithdrawn(ctx, tx, u, b.SweepID, at, &res); err != nil {
					return store.BatchResult{}, fmt.Errorf("Apply: seen %s: %w", u, err)
				}
			}
		}
	}

	if len(b.Withdrawn) > 0 {
		wd := db.txStmt(ctx, tx, sqlWithdraw)
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
		ins := db.txStmt(ctx, tx, sqlInsertCredit)
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

	if b.Column != nil {
		if err := db.putColumn(ctx, tx, b.SweepID, *b.Column); err != nil {
			return store.BatchResult{}, fmt.Errorf("Apply: %w", err)
		}
	}

	if err := tx.Commit(); err != nil {
		return store.BatchResult{}, err
	}
	return res, nil
}

func (db *DB) applyPublication(ctx context.Context, tx *sql.Tx, p *store.Publication, sweepID, at int64, res *store.BatchResult) error {
	if p.URL == "" {
		return errors.New("URL is required")
	}
	var h pubHead
	err := db.txStmt(ctx, tx, sqlPubHead).QueryRowContext(ctx, p.URL).Scan(&h.id, &h.hash, &h.state, &h.version,
		&h.currentID, &h.versionSince, &h.lastSeen, &h.withdrawn)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		r, err := db.txStmt(ctx, tx, sqlInsertPub).ExecContext(ctx, p.URL, p.County, string(p.Channel), p.Source,
			p.Column, encodeStrings(p.Candidates), p.ContentHash, at, at, at)
		if err != nil {
			return err
		}
		id, err := r.LastInsertId()
		if err != nil {
			return err
		}
		vid, err := db.insertVersion(ctx, tx, id, 1, store.Current, p, sweepID, at)
		if err != nil {
			return err
		}
		if _, err := db.txStmt(ctx, tx, sqlPubSetCurrent).ExecContext(ctx, vid, id); err != nil {
			return err
		}
		res.New++
		return nil
	case err != nil:
		return err
	}

	if h.state == string(store.Withdrawn) {
		if at < h.withdrawn {
			res.Unchanged++ // stale: observed before the withdrawal we already know of
			return nil
		}
		// Back after a withdrawal: always a new version, so the history
		// shows the gap.
		state, err := db.backState(ctx, tx, h.id, p.ContentHash)
		if err != nil {
			return err
		}
		res.Changed++
		return db.newVersion(ctx, tx, h, state, p, sweepID, at)
	}

	if at < h.versionSince {
		res.Unchanged++ // stale: older than the version we hold
		return nil
	}
	if h.hash == p.ContentHash {
		if _, err := db.txStmt(ctx, tx, sqlPubTouch).ExecContext(ctx, p.County, string(p.Channel), p.Source,
			p.Column, encodeStrings(p.Candidates), at, h.id); err != nil {
			return err
		}
		res.Unchanged++
		return nil
	}
	res.Changed++
	return db.newVersion(ctx, tx, h, store.Changed, p, sweepID, at)
}

// backState is the state of a withdrawn publication observed again with
// content hash: "changed" if its content ever differed, else "current".
func (db *DB) backState(ctx context.Context, tx *sql.Tx, pubID int64, hash string) (store.PubState, error) {
	var other bool
	if err := db.txStmt(ctx, tx, sqlOtherContentExists).QueryRowContext(ctx, pubID, hash).Scan(&other); err != nil {
		return "", err
	}
	if other {
		return store.Changed, nil
	}
	return store.Current, nil
}

// seenWithdrawn handles a list sighting of a URL the plain update did not
// touch: unknown URLs are ignored; a withdrawn publication seen (after its
// withdrawal) is back, with a new version carrying its last content (the
// harvester sends a sighting when the page answered 304 Not Modified).
func (db *DB) seenWithdrawn(ctx context.Context, tx *sql.Tx, u string, sweepID, at int64, res *store.BatchResult) error {
	var h pubHead
	err := db.txStmt(ctx, tx, sqlPubHead).QueryRowContext(ctx, u).Scan(&h.id, &h.hash, &h.state, &h.version,
		&h.currentID, &h.versionSince, &h.lastSeen, &h.withdrawn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if h.state != string(store.Withdrawn) || at < h.withdrawn {
		return nil // stale sighting (or a state the update already covered)
	}
	state, err := db.backState(ctx, tx, h.id, h.hash)
	if err != nil {
		return err
	}
	if _, err := db.txStmt(ctx, tx, sqlVersionClose).ExecContext(ctx, h.lastSeen, h.currentID); err != nil {
		return err
	}
	r, err := db.txStmt(ctx, tx, sqlCopyVersion).ExecContext(ctx, h.version+1, string(state), sweepID, at, h.currentID)
	if err != nil {
		return err
	}
	vid, err := r.LastInsertId()
	if err != nil {
		return err
	}
	if _, err := db.txStmt(ctx, tx, sqlPubRevive).ExecContext(ctx, string(state), h.version+1, vid, at, at, h.id); err != nil {
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
func (db *DB) newVersion(ctx context.Context, tx *sql.Tx, h pubHead, state store.PubState, p *store.Publication, sweepID, at int64) error {
	if _, err := db.txStmt(ctx, tx, sqlVersionClose).ExecContext(ctx, h.lastSeen, h.currentID); err != nil {
		return err
	}
	vid, err := db.insertVersion(ctx, tx, h.id, h.version+1, state, p, sweepID, at)
	if err != nil {
		return err
	}
	_, err = db.txStmt(ctx, tx, sqlPubNewVersion).ExecContext(ctx, p.County, string(p.Channel), p.Source,
		p.Column, encodeStrings(p.Candidates), string(state), h.version+1, vid, p.ContentHash, at, at, h.id)
	return err
}

func (db *DB) insertVersion(ctx context.Context, tx *sql.Tx, pubID, version int64, state store.PubState, p *store.Publication,
	sweepID, at int64) (int64, error) {
	r, err := db.txStmt(ctx, tx, sqlInsertVersion).ExecContext(ctx, pubID, version, string(state), p.ContentHash,
		p.CaptureID, p.Evidence, sweepID, at, p.Title, int64(p.Declared), p.DeclaredFrom,
		encodeStrMap(p.Metadata), encodeStrings(p.RecordNos), encodeAttachments(p.Attachments), p.Body,
		encodeAttachmentContent(p.Attachments), encodeDisclosures(p.Disclosures))
	if err != nil {
		return 0, err
	}
	return r.LastInsertId()
}
