package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"gongkai"
	"strings"
	"time"

	"gongkai/catalogue"
	"gongkai/store"
)

var (
	sqlInsertSweep = writeQuery(`INSERT INTO sweeps (source, county, channel, full, started, finished, interrupted)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	sqlFinishSweep = writeQuery(`UPDATE sweeps SET finished = ?, interrupted = ? WHERE id = ?`)
	sqlPutColumn   = writeQuery(`INSERT INTO sweep_columns (sweep_id, column_name, items, complete,
			list_pages, list_failed, details, details_failed, errors, observed_at,
			reason, failed_pages, blank, declared_pages, declared_total, listed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sweep_id, column_name) DO UPDATE SET
			items = excluded.items, complete = excluded.complete,
			list_pages = excluded.list_pages, list_failed = excluded.list_failed,
			details = excluded.details, details_failed = excluded.details_failed,
			errors = excluded.errors, observed_at = excluded.observed_at,
			reason = excluded.reason, failed_pages = excluded.failed_pages, blank = excluded.blank,
			declared_pages = excluded.declared_pages, declared_total = excluded.declared_total,
			listed = excluded.listed`)
	sqlSweepExists = writeQuery(`SELECT 1 FROM sweeps WHERE id = ?`)
)

// BeginSweep inserts a sweep (with any column outcomes it already carries)
// and returns its ID.
func (db *DB) BeginSweep(ctx context.Context, s gongkai.Sweep) (int64, error) {
	if s.Source == "" {
		return 0, fmt.Errorf("BeginSweep: Source is required")
	}
	if s.Started.IsZero() {
		return 0, fmt.Errorf("BeginSweep: Started is required")
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := db.txStmt(ctx, tx, sqlInsertSweep).ExecContext(ctx, s.Source, s.County, string(s.Channel),
		boolToDB(s.Full), timeToDB(s.Started), timeToDB(s.Finished), boolToDB(s.Interrupted))
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	for _, c := range s.Columns {
		if err := db.putColumn(ctx, tx, id, c); err != nil {
			return 0, err
		}
	}
	return id, tx.Commit()
}

func (db *DB) putColumn(ctx context.Context, tx *sql.Tx, sweepID int64, c gongkai.ColumnOutcome) error {
	if c.Column == "" {
		return fmt.Errorf("column outcome of sweep %d: Column is required", sweepID)
	}
	var exists int
	if err := db.txStmt(ctx, tx, sqlSweepExists).QueryRowContext(ctx, sweepID).Scan(&exists); err != nil {
		if err == sql.ErrNoRows {
			return fmt.Errorf("column outcome %q: sweep %d does not exist", c.Column, sweepID)
		}
		return err
	}
	items, err := sliceJSON(c.Items)
	if err != nil {
		return err
	}
	errs, err := sliceJSON(c.Errors)
	if err != nil {
		return err
	}
	failed, err := sliceJSON(c.FailedPages)
	if err != nil {
		return err
	}
	_, err = db.txStmt(ctx, tx, sqlPutColumn).ExecContext(ctx, sweepID, c.Column, items, boolToDB(c.Complete),
		c.ListPages, c.ListFailed, c.Details, c.DetailsFailed, errs, timeToDB(c.ObservedAt),
		c.Reason, failed, boolToDB(c.Blank), c.DeclaredPages, c.DeclaredTotal, c.Listed)
	return err
}

// FinishSweep records the end of a sweep.
func (db *DB) FinishSweep(ctx context.Context, id int64, finished time.Time, interrupted bool) error {
	if finished.IsZero() {
		return fmt.Errorf("FinishSweep %d: finished time is required", id)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := db.txStmt(ctx, tx, sqlFinishSweep).ExecContext(ctx, timeToDB(finished), boolToDB(interrupted), id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("FinishSweep: sweep %d does not exist", id)
	}
	return tx.Commit()
}

// Sweeps lists sweeps newest first (by start time), each with its column
// outcomes in the order they were first recorded. Two queries, whatever the
// number of sweeps.
func (db *DB) Sweeps(ctx context.Context, q store.SweepQuery) ([]gongkai.Sweep, error) {
	var w where
	w.eq("source", q.Source)
	w.eq("county", q.County)
	limit := -1 // no limit
	if q.Limit > 0 {
		limit = q.Limit
	}
	st, err := db.readStmt(ctx, `SELECT id, source, county, channel, full, started, finished, interrupted FROM sweeps`+
		w.String()+` ORDER BY started DESC, id DESC LIMIT ?`)
	if err != nil {
		return nil, err
	}
	// Both queries in one read transaction, so a column committed between
	// them cannot appear without its sweep or the other way round.
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	rows, err := tx.StmtContext(ctx, st).QueryContext(ctx, append(w.args, limit)...)
	if err != nil {
		return nil, err
	}
	var sweeps []gongkai.Sweep
	index := map[int64]int{}
	for rows.Next() {
		var s gongkai.Sweep
		var channel string
		var full, interrupted int64
		var started, finished int64
		if err := rows.Scan(&s.ID, &s.Source, &s.County, &channel, &full, &started, &finished, &interrupted); err != nil {
			rows.Close()
			return nil, err
		}
		s.Channel = catalogue.Channel(channel)
		s.Full, s.Interrupted = full != 0, interrupted != 0
		s.Started, s.Finished = timeFromDB(started), timeFromDB(finished)
		index[s.ID] = len(sweeps)
		sweeps = append(sweeps, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(sweeps) == 0 {
		return nil, nil
	}

	// Columns of exactly the sweeps listed: by ID list when it is short,
	// else all columns of the filtered sweeps.
	var colQuery string
	var colArgs []any
	if len(sweeps) <= 500 {
		marks := make([]string, len(sweeps))
		for i, s := range sweeps {
			marks[i] = "?"
			colArgs = append(colArgs, s.ID)
		}
		colQuery = `WHERE sweep_id IN (` + strings.Join(marks, ",") + `)`
	} else {
		colQuery = `WHERE sweep_id IN (SELECT id FROM sweeps` + w.String() + `)`
		colArgs = w.args
	}
	crows, err := tx.QueryContext(ctx, `SELECT sweep_id, column_name, items, complete, list_pages, list_failed,
		details, details_failed, errors, observed_at, reason, failed_pages, blank, declared_pages, declared_total,
		listed FROM sweep_columns `+colQuery+` ORDER BY rowid`, colArgs...)
	if err != nil {
		return nil, err
	}
	defer crows.Close()
	for crows.Next() {
		var sweepID, complete, observed, blank int64
		var c gongkai.ColumnOutcome
		var items, errs, failed []byte
		if err := crows.Scan(&sweepID, &c.Column, &items, &complete, &c.ListPages, &c.ListFailed,
			&c.Details, &c.DetailsFailed, &errs, &observed, &c.Reason, &failed, &blank, &c.DeclaredPages,
			&c.DeclaredTotal, &c.Listed); err != nil {
			return nil, err
		}
		i, ok := index[sweepID]
		if !ok {
			continue
		}
		c.Complete, c.Blank = complete != 0, blank != 0
		c.ObservedAt = timeFromDB(observed)
		if err := fromJSON(items, &c.Items, "column items"); err != nil {
			return nil, err
		}
		if err := fromJSON(errs, &c.Errors, "column errors"); err != nil {
			return nil, err
		}
		if err := fromJSON(failed, &c.FailedPages, "column failed pages"); err != nil {
			return nil, err
		}
		sweeps[i].Columns = append(sweeps[i].Columns, c)
	}
	return sweeps, crows.Err()
}
