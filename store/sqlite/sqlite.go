// Package sqlite is gongkai's embedded store: a store.Store on a single
// SQLite file (modernc.org/sqlite, pure Go), registered as the "sqlite" URL
// scheme. Import it for its side effect:
//
//	import _ "gongkai/store/sqlite"
//	st, err := store.Open(ctx, "sqlite://gongkai.db")
//
// URL forms: sqlite://gongkai.db and sqlite://dir/gongkai.db are relative to
// the working directory, sqlite:///abs/path.db is absolute.
//
// The database runs in WAL mode with synchronous=NORMAL: a committed
// transaction survives a crash of the process (kill -9); only a power loss
// can lose the last few commits, never corrupt the file.
//
// Connections: one writer connection (all writes are serialised through it,
// and transactions start with BEGIN IMMEDIATE so that two processes sharing
// the file queue on busy_timeout instead of failing on a lock upgrade), and a
// separate pool of read-only connections. With WAL, readers see the last
// committed state and never wait for the writer, so report queries and the
// harvester's look-ups run while a batch is being committed.
//
// The schema is in migrations/*.sql; migrations run in order on open, each in
// its own transaction, and schema_version records which have run.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"gongkai/store"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

func init() {
	store.Register("sqlite", func(ctx context.Context, u *url.URL) (store.Store, error) {
		path, err := PathFromURL(u)
		if err != nil {
			return nil, err
		}
		return Open(ctx, path)
	})
}

// DB is the SQLite store. It is safe for concurrent use.
type DB struct {
	path string
	w    *sql.DB // the single writer connection
	r    *sql.DB // read-only pool

	wstmts map[string]*sql.Stmt // writer statements, prepared at open; read-only afterwards

	mu     sync.Mutex
	rstmts map[string]*sql.Stmt // read statements, prepared on first use
}

var (
	_ store.Store               = (*DB)(nil)
	_ store.GroupApplier        = (*DB)(nil)
	_ store.PublicationStreamer = (*DB)(nil)
)

// PathFromURL returns the file path a sqlite:// URL names.
func PathFromURL(u *url.URL) (string, error) {
	var p string
	switch {
	case u.Opaque != "": // sqlite:gongkai.db
		var err error
		if p, err = url.PathUnescape(u.Opaque); err != nil {
			return "", fmt.Errorf("存储地址无效 %q: %v", u.String(), err)
		}
	default: // sqlite://gongkai.db, sqlite://dir/x.db, sqlite:///abs/x.db
		p = u.Host + u.Path
	}
	if p == "" {
		return "", fmt.Errorf("存储地址缺少文件路径 %q: 应为 sqlite://gongkai.db 或 sqlite:///绝对路径.db", u.String())
	}
	if p == ":memory:" {
		return "", fmt.Errorf("不支持内存存储 %q: 请指定文件，例如 sqlite://gongkai.db", u.String())
	}
	return p, nil
}

// Open opens (creating if needed) the store at path and brings its schema
// up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("无法打开存储 %s: %v", path, err)
	}
	if err := checkPath(abs); err != nil {
		return nil, err
	}
	fileURI := (&url.URL{Scheme: "file", Path: abs}).String()
	pragmas := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"

	// journal_size_limit: after a checkpoint the WAL file is cut back to
	// 64 MiB rather than keeping the size of the largest batch ever written.
	// wal_autocheckpoint: checkpoint every 8192 pages (32 MiB) instead of
	// SQLite's 1000: a page changed by many commits in between (index and
	// interior pages) is copied into the database once, and the fsyncs of
	// checkpoints are fewer. cache_size: 32 MiB for the writer, so that
	// the B-tree pages a harvest touches over and over stay in memory.
	w, err := sql.Open("sqlite", fileURI+"?"+pragmas+
		"&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(67108864)&_pragma=wal_autocheckpoint(8192)"+
		"&_pragma=cache_size(-32768)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("无法打开存储 %s: %v", abs, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)

	db := &DB{path: abs, w: w, wstmts: map[string]*sql.Stmt{}, rstmts: map[string]*sql.Stmt{}}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, openError(abs, err)
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, openError(abs, err)
	}
	if err := rekeyRecords(ctx, w); err != nil {
		w.Close()
		return nil, openError(abs, err)
	}
	if err := db.prepareWrites(ctx); err != nil {
		db.Close()
		return nil, err
	}

	r, err := sql.Open("sqlite", fileURI+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("无法打开存储 %s: %v", abs, err)
	}
	readers := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)
	db.r = r
	if err := r.PingContext(ctx); err != nil {
		db.Close()
		return nil, openError(abs, err)
	}
	return db, nil
}

// checkPath turns the common mistakes into one-line errors before SQLite
// reports them as "unable to open database file".
func checkPath(abs string) error {
	dir := filepath.Dir(abs)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("存储目录不存在: %s（请先创建该目录，或换一个 --store 路径）", dir)
	case err != nil:
		return fmt.Errorf("无法访问存储目录 %s: %v", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("存储路径 %s 的上级 %s 不是目录", abs, dir)
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		return fmt.Errorf("存储路径是一个目录而不是数据库文件: %s", abs)
	}
	return nil
}

func openError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "file is not a database") || strings.Contains(msg, "SQLITE_NOTADB"):
		return fmt.Errorf("不是 gongkai 的 SQLite 存储文件: %s", path)
	case strings.Contains(msg, "unable to open") || strings.Contains(msg, "SQLITE_CANTOPEN") ||
		strings.Contains(msg, "readonly") || strings.Contains(msg, "SQLITE_READONLY"):
		return fmt.Errorf("无法打开存储 %s（检查文件及所在目录的读写权限）: %v", path, err)
	case strings.HasPrefix(msg, "存储"): // already ours (e.g. a newer schema)
		return fmt.Errorf("%s: %w", path, err)
	}
	return fmt.Errorf("无法打开存储 %s: %v", path, err)
}

// Path returns the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// Close closes both pools. It is safe to call more than once.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	for k, st := range db.rstmts {
		st.Close()
		delete(db.rstmts, k)
	}
	for k, st := range db.wstmts {
		st.Close()
		delete(db.wstmts, k)
	}
	var errs []error
	if db.r != nil {
		errs = append(errs, db.r.Close())
		db.r = nil
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
		db.w = nil
	}
	return errors.Join(errs...)
}

// IntegrityCheck runs PRAGMA integrity_check and returns nil if it says ok.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	rows, err := db.r.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("存储文件损坏 %s: %s", db.path, strings.Join(problems, "; "))
	}
	return nil
}

// writeSQL lists every statement the writer uses; Open prepares them all on
// the writer connection, so a transaction never has to prepare (which would
// need the one connection the transaction already holds).
var writeSQL []string

func writeQuery(q string) string {
	writeSQL = append(writeSQL, q)
	return q
}

func (db *DB) prepareWrites(ctx context.Context) error {
	for _, q := range writeSQL {
		st, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		db.wstmts[q] = st
	}
	return nil
}

// txStmt returns the prepared writer statement q bound to tx.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	st, ok := db.wstmts[q]
	if !ok {
		panic("sqlite: write statement not registered with writeQuery: " + q)
	}
	return tx.StmtContext(ctx, st)
}

// readStmt returns q prepared on the read pool, preparing it on first use.
func (db *DB) readStmt(ctx context.Context, q string) (*sql.Stmt, error) {
	db.mu.Lock()
	st, ok := db.rstmts[q]
	db.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := db.r.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare %q: %w", q, err)
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if prev, ok := db.rstmts[q]; ok { // another goroutine won the race
		st.Close()
		return prev, nil
	}
	db.rstmts[q] = st
	return st, nil
}
