// Package redis is gongkai's shared store: a store.Store on one Redis server
// (go-redis v9), registered as the "redis" URL scheme, so that harvesters
// on several machines write to the store the reporter reads. Import it for
// its side effect:
//
//	import _ "gongkai/store/redis"
//	st, err := store.Open(ctx, "redis://127.0.0.1:6379/0")
//
// URL: redis://[user:password@]host:port/db[?prefix=gongkai:] (rediss:// for
// TLS) — the go-redis URL options (dial_timeout, …) are accepted too, and
// patience=60s makes the store wait out a server restart that long. Every key starts with the
// prefix (default "gongkai:"), so that several stores can share one
// database. The store is for a single Redis server (or a primary with
// replicas), not Redis Cluster: a batch touches keys of many URLs in one
// transaction, which Cluster allows only within one hash slot.
//
// Key layout (P is the prefix, <u> a URL, <id> a number):
//
//	P rec               HASH   records.Key → record (JSON)
//	P sweep:seq         STRING last sweep ID
//	P sweeps            ZSET   sweep IDs (score = ID)
//	P sweep:<id>        HASH   source county channel full started finished interrupted
//	P sweep:<id>:cols   HASH   column name → outcome (JSON)
//	P sweep:<id>:order  LIST   column names in the order first recorded
//	P fetch             HASH   URL (a POST: URL \n form) → fetch state (JSON)
//	P listent           HASH   entry URL → what a list last showed for it (JSON)
//	P plinks            HASH   page URL → its internal links and their last check (JSON array)
//	P pub:seq           STRING last publication sequence number
//	P pubs              ZSET   publication URLs, score = sequence (first-seen order)
//	P pub:<u>           HASH   the publication: where found, state, version, times, hashes
//	P pubv:<u>          LIST   its versions, oldest first (JSON with bodies); the last is current
//	P publast:<u>       LIST   last sighting of each closed version (all but the current)
//	P credit:seq        STRING last credit lookup sequence number
//	P credit:counties   SET    counties with lookups
//	P credit:<county>   HASH   key \x1f at → lookup (JSON)
//	P cap:<id>          HASH   url at type status digest warc: one capture with its WARC record
//	P caps              LIST   capture IDs in commit order
//
// Atomicity: each Apply (and each ApplyBatches group) is one optimistic
// transaction: WATCH the keys the batch decides from (the publications it
// names, its captures, the credit hashes, the sweep and its columns), read
// them, decide in Go exactly as store/sqlite does, and write everything in
// one MULTI/EXEC. If another writer changed a watched key in between, EXEC
// does nothing and the batch is decided again. Lua would avoid the retry
// but would mean writing the version rules a second time in another
// language; workers write different URLs, so retries are rare.
//
// Evidence (WARC records) is kept in Redis with the capture, in the same
// transaction as the publication that cites it: no shared disk to mount on
// every worker, and a capture never exists without its batch or the other
// way round. See docs/redis.md for the memory this costs and for
// persistence.
package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"gongkai/store"
)

func init() {
	open := func(ctx context.Context, u *url.URL) (store.Store, error) { return OpenURL(ctx, u) }
	store.Register("redis", open)
	store.Register("rediss", open) // TLS
	// go-redis prints its own retries to stderr; what matters reaches the
	// caller as an error, so its chatter goes to the debug log.
	goredis.SetLogger(debugLogger{})
}

type debugLogger struct{}

func (debugLogger) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}

// DefaultPrefix starts every key unless the URL names another (?prefix=).
const DefaultPrefix = "gongkai:"

// DB is the Redis store. It is safe for concurrent use, by several
// processes as well.
type DB struct {
	c      *goredis.Client
	prefix string
	addr   string
	// patience is how long a transaction waits out an unreachable server
	// (restart, failover) before failing; 0 fails at once.
	patience time.Duration
}

var (
	_ store.Store               = (*DB)(nil)
	_ store.GroupApplier        = (*DB)(nil)
	_ store.PublicationStreamer = (*DB)(nil)
)

// OpenURL connects to the server a redis:// URL names and checks that it
// answers.
func OpenURL(ctx context.Context, u *url.URL) (*DB, error) {
	q := u.Query()
	prefix := DefaultPrefix
	if q.Has("prefix") {
		prefix = q.Get("prefix")
		q.Del("prefix")
	}
	var patience time.Duration
	if q.Has("patience") {
		d, err := time.ParseDuration(q.Get("patience"))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("存储地址无效 %q: patience=%q 不是时长（如 60s）", redacted(u), q.Get("patience"))
		}
		patience = d
		q.Del("patience")
	}
	rest := *u
	rest.RawQuery = q.Encode()
	opt, err := goredis.ParseURL(rest.String())
	if err != nil {
		return nil, fmt.Errorf("存储地址无效 %q: %v（应为 redis://主机:端口/库号）", redacted(u), err)
	}
	db, err := Open(ctx, opt, prefix)
	if err != nil {
		return nil, err
	}
	db.patience = patience
	return db, nil
}

// Open connects with the given options; every key starts with prefix.
func Open(ctx context.Context, opt *goredis.Options, prefix string) (*DB, error) {
	c := goredis.NewClient(opt)
	db := &DB{c: c, prefix: prefix, addr: opt.Addr}
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("无法连接 Redis 存储 %s（库 %d）: %v", opt.Addr, opt.DB, err)
	}
	if err := db.checkEviction(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return db, nil
}

// checkEviction refuses a server that evicts keys when full: an evicted
// capture or column outcome would be evidence silently lost. The store sets
// no TTLs, so the volatile-* policies never touch it. A server that does not
// let us read its configuration (managed Redis) is taken as it is.
func (db *DB) checkEviction(ctx context.Context) error {
	cfg, err := db.c.ConfigGet(ctx, "maxmemory-policy").Result()
	if err != nil {
		return nil
	}
	if p := cfg["maxmemory-policy"]; strings.HasPrefix(p, "allkeys-") {
		return fmt.Errorf("Redis 存储 %s 的 maxmemory-policy 为 %s：内存满时会删除证据和采集结果，请设为 noeviction（见 docs/redis.md）", db.addr, p)
	}
	return nil
}

func redacted(u *url.URL) string { return u.Redacted() }

// Client returns the underlying client (for tests and tools).
func (db *DB) Client() *goredis.Client { return db.c }

// Prefix returns the key prefix.
func (db *DB) Prefix() string { return db.prefix }

// Close closes the connection pool.
func (db *DB) Close() error {
	err := db.c.Close()
	if errors.Is(err, goredis.ErrClosed) {
		return nil
	}
	return err
}

// --- keys -----------------------------------------------------------------

func (db *DB) k(parts ...string) string { return db.prefix + strings.Join(parts, "") }

func (db *DB) kRecords() string           { return db.k("rec") }
func (db *DB) kSweepSeq() string          { return db.k("sweep:seq") }
func (db *DB) kSweeps() string            { return db.k("sweeps") }
func (db *DB) kSweep(id int64) string     { return db.k("sweep:", itoa(id)) }
func (db *DB) kSweepCols(id int64) string { return db.k("sweep:", itoa(id), ":cols") }
func (db *DB) kSweepOrd(id int64) string  { return db.k("sweep:", itoa(id), ":order") }
func (db *DB) kFetch() string             { return db.k("fetch") }
func (db *DB) kListEntries() string       { return db.k("listent") }
func (db *DB) kPageLinks() string         { return db.k("plinks") }
func (db *DB) kPubSeq() string            { return db.k("pub:seq") }
func (db *DB) kPubs() string              { return db.k("pubs") }
func (db *DB) kPub(u string) string       { return db.k("pub:", u) }
func (db *DB) kPubVersions(u string) string {
	return db.k("pubv:", u)
}
func (db *DB) kPubLast(u string) string       { return db.k("publast:", u) }
func (db *DB) kCreditSeq() string             { return db.k("credit:seq") }
func (db *DB) kCreditCounties() string        { return db.k("credit:counties") }
func (db *DB) kCredit(county string) string   { return db.k("credit:", county) }
func (db *DB) kCapture(id string) string      { return db.k("cap:", id) }
func (db *DB) kCaptures() string              { return db.k("caps") }
func creditField(key string, at int64) string { return key + "\x1f" + itoa(at) }

// --- encoding ---------------------------------------------------------------

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Times are Unix nanoseconds, 0 for the zero time, read back in time.Local
// (as store/sqlite does), so calendar.FromTime gives the local civil date.
func timeTo(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func timeFrom(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func boolStr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// fields reads typed values from a HGETALL result, remembering the first
// malformed one.
type fields struct {
	m   map[string]string
	key string
	err error
}

func (f *fields) str(name string) string { return f.m[name] }

func (f *fields) int(name string) int64 {
	s, ok := f.m[name]
	if !ok || s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil && f.err == nil {
		f.err = fmt.Errorf("Redis 存储数据损坏: %s 的字段 %s = %q 不是整数", f.key, name, s)
	}
	return n
}

func (f *fields) bool(name string) bool { return f.m[name] == "1" }

// maxRetries bounds how often an optimistic transaction is decided again
// after another writer touched a watched key.
const maxRetries = 50

// retryTx runs db.c.Watch until EXEC succeeds or the error is not a
// conflict.
func (db *DB) retryTx(ctx context.Context, fn func(*goredis.Tx) error, keys ...string) error {
	var unreachable time.Time // since when the server has not answered
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := db.c.Watch(ctx, fn, keys...)
		if db.patience > 0 && err != nil && unreachableErr(err) {
			// Re-deciding the batch is safe: re-applying a committed batch
			// changes nothing, so an EXEC whose reply was lost may run again.
			if unreachable.IsZero() {
				unreachable = time.Now()
			}
			if time.Since(unreachable) < db.patience {
				attempt = 0
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(200 * time.Millisecond):
				}
				continue
			}
		}
		if !errors.Is(err, goredis.TxFailedErr) {
			return err
		}
		if attempt >= maxRetries {
			return fmt.Errorf("Redis 存储写入冲突，重试 %d 次仍未成功: %w", maxRetries, err)
		}
		// Back off a little, more each time, so that two writers of the
		// same keys stop colliding.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * time.Millisecond):
		}
	}
}

// unreachableErr reports errors of a server that is down, restarting or
// loading its data, as opposed to errors of the request.
func unreachableErr(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, goredis.ErrClosed) {
		return true
	}
	msg := err.Error()
	return strings.HasPrefix(msg, "LOADING") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "connection reset") || strings.Contains(msg, "broken pipe") || strings.HasPrefix(msg, "MASTERDOWN")
}
