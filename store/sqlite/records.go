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
