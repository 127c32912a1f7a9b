package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"gongkai"

	"gongkai/store"
)

const fetchStateColumns = `url, form, etag, last_modified, content_hash, last_status, last_fetched,
		error_count, last_error, capture_id`

func scanFetchState(row interface{ Scan(...any) error }) (store.FetchState, error) {
	var f store.FetchState
	var fetched int64
	err := row.Scan(&f.URL, &f.Form, &f.ETag, &f.LastModified, &f.ContentHash, &f.LastStatus,
		&fetched, &f.ErrorCount, &f.LastError, &f.CaptureID)
	f.LastFetched = timeFromDB(fetched)
	return f, err
}

// FetchState returns the incremental-sync state of a GET of url.
func (db *DB) FetchState(ctx context.Context, url string) (store.FetchState, bool, error) {
	st, err := db.readStmt(ctx, `SELECT `+fetchStateColumns+` FROM fetch_state WHERE url = ? AND form = ''`)
	if err != nil {
		return store.FetchState{}, false, err
	}
	f, err := scanFetchState(st.QueryRowContext(ctx, url))
	if errors.Is(err, sql.ErrNoRows) {
		return store.FetchState{}, false, nil
	}
	if err != nil {
		return store.FetchState{}, false, err
	}
	return f, true, nil
}

// prefixRange is the key range of the strings starting with prefix: valid
// UTF-8 never holds the byte 0xff, so prefix+"\xff" bounds them from above.
func prefixRange(prefix string) (lo, hi string) { return prefix, prefix + "\xff" }

// FetchStates returns the state of every request under one of the URL prefixes.
func (db *DB) FetchStates(ctx context.Context, prefixes []string) ([]store.FetchState, error) {
	st, err := db.readStmt(ctx, `SELECT `+fetchStateColumns+` FROM fetch_state WHERE url >= ? AND url < ?`)
	if err != nil {
		return nil, err
	}
	var out []store.FetchState
	for _, p := range prefixes {
		lo, hi := prefixRange(p)
		rows, err := st.QueryContext(ctx, lo, hi)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			f, err := scanFetchState(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, f)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ListEntries returns the list signatures of the entries under one of the URL prefixes.
func (db *DB) ListEntries(ctx context.Context, prefixes []string) ([]store.ListEntry, error) {
	st, err := db.readStmt(ctx, `SELECT url, signature, seen FROM list_entries WHERE url >= ? AND url < ?`)
	if err != nil {
		return nil, err
	}
	var out []store.ListEntry
	for _, p := range prefixes {
		lo, hi := prefixRange(p)
		rows, err := st.QueryContext(ctx, lo, hi)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var e store.ListEntry
			var seen int64
			if err := rows.Scan(&e.URL, &e.Signature, &seen); err != nil {
				rows.Close()
				return nil, err
			}
			e.Seen = timeFromDB(seen)
			out = append(out, e)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// PageLinks returns the internal links of the pages under the prefixes
// (nil: all), page by page in URL order; DeadOnly keeps the pages with a
// dead link.
func (db *DB) PageLinks(ctx context.Context, q store.PageLinkQuery) ([]store.PageLinks, error) {
	cond := `page >= ? AND page < ?`
	if q.DeadOnly {
		cond += ` AND page IN (SELECT page FROM page_links WHERE error <> '' AND page >= ? AND page < ?)`
	}
	st, err := db.readStmt(ctx, `SELECT page, link, name, status, error, checked_at, capture_id FROM page_links
		WHERE `+cond+` ORDER BY page, link`)
	if err != nil {
		return nil, err
	}
	prefixes := q.Prefixes
	if prefixes == nil {
		prefixes = []string{""}
	}
	var out []store.PageLinks
	for _, p := range prefixes {
		lo, hi := prefixRange(p)
		args := []any{lo, hi}
		if q.DeadOnly {
			args = append(args, lo, hi)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var page string
			var l store.PageLink
			var at int64
			if err := rows.Scan(&page, &l.URL, &l.Name, &l.Status, &l.Error, &at, &l.CaptureID); err != nil {
				rows.Close()
				return nil, err
			}
			l.CheckedAt = timeFromDB(at)
			if n := len(out); n == 0 || out[n-1].Page != page {
				out = append(out, store.PageLinks{Page: page})
			}
			out[len(out)-1].Links = append(out[len(out)-1].Links, l)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CreditLookups lists credit-system lookups, newest first.
func (db *DB) CreditLookups(ctx context.Context, q store.CreditQuery) ([]gongkai.CreditLookup, error) {
	var w where
	w.eq("county", q.County)
	w.eq("key", q.Key)
	st, err := db.readStmt(ctx, `SELECT county, key, party, at, observed, reason, company_url, capture_id
		FROM credit_lookups`+w.String()+` ORDER BY at DESC, id DESC`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gongkai.CreditLookup
	for rows.Next() {
		var c gongkai.CreditLookup
		var at, observed int64
		if err := rows.Scan(&c.County, &c.Key, &c.Party, &at, &observed, &c.Reason, &c.CompanyURL, &c.CaptureID); err != nil {
			return nil, err
		}
		c.At, c.Observed = timeFromDB(at), observed != 0
		out = append(out, c)
	}
	return out, rows.Err()
}

// Capture returns one capture with its WARC record.
func (db *DB) Capture(ctx context.Context, id string) (gongkai.Capture, bool, error) {
	st, err := db.readStmt(ctx, `SELECT id, url, at, type, status, payload_digest, warc, request, county
		FROM captures WHERE id = ?`)
	if err != nil {
		return gongkai.Capture{}, false, err
	}
	var c gongkai.Capture
	var at int64
	err = st.QueryRowContext(ctx, id).Scan(&c.ID, &c.URL, &at, &c.Type, &c.Status, &c.PayloadDigest, &c.WARC, &c.Request, &c.County)
	if errors.Is(err, sql.ErrNoRows) {
		return gongkai.Capture{}, false, nil
	}
	if err != nil {
		return gongkai.Capture{}, false, err
	}
	c.At = timeFromDB(at)
	if c.WARC == nil {
		c.WARC = []byte{}
	}
	if len(c.Request) == 0 {
		c.Request = nil
	}
	return c, true, nil
}

// Captures streams capture metadata (WARC left empty) in commit order. fn
// may call other read methods; an error from fn stops the walk.
func (db *DB) Captures(ctx context.Context, fn func(gongkai.Capture) error) error {
	st, err := db.readStmt(ctx, `SELECT id, url, at, type, status, payload_digest, county FROM captures ORDER BY seq`)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c gongkai.Capture
		var at int64
		if err := rows.Scan(&c.ID, &c.URL, &at, &c.Type, &c.Status, &c.PayloadDigest, &c.County); err != nil {
			return err
		}
		c.At = timeFromDB(at)
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}
