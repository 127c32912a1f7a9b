package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"gongkai/calendar"
	"gongkai/catalogue"
	"gongkai/records"
	"gongkai/store"
)

const recordColumns = `county, item, record_no, title, party, uscc, formed_on, procedure, penalty, channels, source`

var (
	sqlRecordByKey = writeQuery(`SELECT ` + recordColumns + ` FROM records WHERE key = ?`)
	sqlPutRecord   = writeQuery(`INSERT INTO records (key, ` + recordColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
			county = excluded.county, item = excluded.item, record_no = excluded.record_no,
			title = excluded.title, party = excluded.party, uscc = excluded.uscc,
			formed_on = excluded.formed_on, procedure = excluded.procedure,
			penalty = excluded.penalty, channels = excluded.channels, source = excluded.source`)
)

// ImportRecords stores recs in one transaction. A record whose key exists is
// replaced, and counted Unchanged when its content is equal; the same rows
// re-imported from another file stay Unchanged and take the new file name as
// their source.
func (db *DB) ImportRecords(ctx context.Context, recs []records.Record) (store.ImportSummary, error) {
	var sum store.ImportSummary
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return sum, err
	}
	defer tx.Rollback()
	get := db.txStmt(ctx, tx, sqlRecordByKey)
	put := db.txStmt(ctx, tx, sqlPutRecord)
	for _, r := range recs {
		if r.County == "" || r.Item == "" || r.RecordNo == "" {
			return store.ImportSummary{}, fmt.Errorf("record %q: county, item and record_no are required", r.Key())
		}
		old, err := scanRecord(get.QueryRowContext(ctx, r.Key()))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			sum.Added++
		case err != nil:
			return store.ImportSummary{}, err
		case sameContent(old, r):
			sum.Unchanged++
			if old.Source == r.Source {
				continue
			}
		default:
			sum.Replaced++
		}
		channels, err := sliceJSON(r.Channels)
		if err != nil {
			return store.ImportSummary{}, err
		}
		if _, err := put.ExecContext(ctx, r.Key(), r.County, r.Item, r.RecordNo, r.Title, r.Party, r.USCC,
			int64(r.FormedOn), r.Procedure, r.Penalty, channels, r.Source); err != nil {
			return store.ImportSummary{}, fmt.Errorf("record %q: %w", r.Key(), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return store.ImportSummary{}, err
	}
	return sum, nil
}

// sameContent compares every field of two records but their source file.
// Written out so that a field added to records.Record without a column here
// fails the storetest round trip rather than being silently ignored.
func sameContent(a, b records.Record) bool {
	return a.County == b.County && a.Item == b.Item && a.RecordNo == b.RecordNo &&
		a.Title == b.Title && a.Party == b.Party && a.USCC == b.USCC && a.FormedOn == b.FormedOn &&
		a.Procedure == b.Procedure && a.Penalty == b.Penalty && slices.Equal(a.Channels, b.Channels)
}

type rowScanner interface{ Scan(dest ...any) error }

func scanRecord(row rowScanner) (records.Record, error) {
	var r records.Record
	var formed int64
	var channels []byte
	if err := row.Scan(&r.County, &r.Item, &r.RecordNo, &r.Title, &r.Party, &r.USCC, &formed,
		&r.Procedure, &r.Penalty, &channels, &r.Source); err != nil {
		return r, err
	}
	r.FormedOn = calendar.Date(formed)
	var chans []catalogue.Channel
	if err := fromJSON(channels, &chans, "record channels"); err != nil {
		return r, err
	}
	r.Channels = chans
	return r, nil
}

// Records lists expected records ordered by county, item and record number.
func (db *DB) Records(ctx context.Context, q store.RecordQuery) ([]records.Record, error) {
	var w where
	w.eq("county", q.County)
	w.eq("item", q.Item)
	st, err := db.readStmt(ctx, `SELECT `+recordColumns+` FROM records`+w.String()+` ORDER BY county, item, record_no`)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []records.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// recordKeyFormat is the form of the record keys this build writes
// (records.Key). PRAGMA user_version holds the form a store's keys were
// last brought to, so that rekeyRecords reads the records table once per
// store, not on every open (reading and re-parsing a province's 60,000
// record numbers took a third of a second before every report).
const recordKeyFormat = 1

// rekeyRecords brings the keys of records stored by builds that keyed them
// by the record number as written (county|item|record_no) to records.Key,
// which keys them by the number's normalised form. It is not a numbered
// migration because the key is computed in Go (ident's decision-number
// parser), which SQL cannot do. It runs once per store: the keys that
// differ are rewritten and recordKeyFormat recorded in user_version in one
// transaction, and a store that has it is not read again. (Builds that keyed records
// the old way know schema version 2 at most and refuse this store, so no
// stale key can be written after.) When two old rows are one record under
// the new key (泽市监罚〔2020〕1号 and 泽市监罚[2020]1号 imported one after the
// other), the one inserted last (highest rowid) is kept: it is the later
// import of the two, as a re-import under the new key would have kept it.
func rekeyRecords(ctx context.Context, w *sql.DB) error {
	var format int
	if err := w.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&format); err != nil || format >= recordKeyFormat {
		return err
	}
	type row struct {
		rowid             int64
		key, newKey       string
		county, item, num string
	}
	scan := func(tx *sql.Tx) ([]row, error) {
		rs, err := tx.QueryContext(ctx, `SELECT rowid, key, county, item, record_no FROM records ORDER BY rowid`)
		if err != nil {
			return nil, err
		}
		defer rs.Close()
		var stale []row
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.rowid, &r.key, &r.county, &r.item, &r.num); err != nil {
				return nil, err
			}
			r.newKey = records.Record{County: r.county, Item: r.item, RecordNo: r.num}.Key()
			if r.newKey != r.key {
				stale = append(stale, r)
			}
		}
		return stale, rs.Err()
	}
	// In the write transaction: another process opening the file at the
	// same time re-keys it before or after, never at once.
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stale, err := scan(tx)
	if err != nil {
		return err
	}
	for _, r := range stale {
		// A row already holding the new key was inserted before or after
		// this one; keep whichever has the higher rowid.
		var other int64
		err := tx.QueryRowContext(ctx, `SELECT rowid FROM records WHERE key = ?`, r.newKey).Scan(&other)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `UPDATE records SET key = ? WHERE rowid = ?`, r.newKey, r.rowid)
		case err != nil:
		case other > r.rowid:
			_, err = tx.ExecContext(ctx, `DELETE FROM records WHERE rowid = ?`, r.rowid)
		default:
			if _, err = tx.ExecContext(ctx, `DELETE FROM records WHERE rowid = ?`, other); err == nil {
				_, err = tx.ExecContext(ctx, `UPDATE records SET key = ? WHERE rowid = ?`, r.newKey, r.rowid)
			}
		}
		if err != nil {
			return fmt.Errorf("re-keying record %q: %w", r.key, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, recordKeyFormat)); err != nil {
		return err
	}
	return tx.Commit()
}
