package gormstore

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/authd-dev/authd/adapters/gormstore/internal/sqlitedialect"
)

// SQLiteDSN, PostgresDSN and MySQLDSN are distinct types so Wire can tell
// the openers' inputs apart.
type (
	SQLiteDSN   string
	PostgresDSN string
	MySQLDSN    string
)

// Pool sizes the connection pool and bounds how long connecting and each
// repository call may take (but for SQLite's single-row reads:
// inProcessRead).
type Pool struct {
	MaxOpen, MaxIdle int
	ConnMaxLifetime  time.Duration
	ConnectTimeout   time.Duration
	QueryTimeout     time.Duration
}

// DefaultPool is a pool fit for a single authd replica: two connections
// per core plus two keep the cores busy (a refresh spends most of its time
// waiting on the database), and every idle one costs memory on both ends.
func DefaultPool() Pool {
	n := 2*runtime.NumCPU() + 2
	return Pool{MaxOpen: n, MaxIdle: n, ConnMaxLifetime: 30 * time.Minute,
		ConnectTimeout: 5 * time.Second, QueryTimeout: 5 * time.Second}
}

// sqliteMaxOpen caps SQLite's pool at one connection: SQLite has one
// writer at a time anyway, and every connection keeps its own page cache,
// lookaside and schema in this process, so a second one costs memory for
// little throughput; for more, Postgres or MySQL. One is also what :memory:
// needs: each connection to it is a new database.
const sqliteMaxOpen = 1

// sqliteCache is each connection's page cache, smaller than SQLite's default:
// pages missing from it are a pread from the OS page cache away, which the
// process's memory need not hold twice. A DSN that sets
// _pragma=cache_size keeps its own.
const sqliteCache = "_pragma=cache_size(-256)"

// sqliteTimeFormat makes the driver store times as text
// "2006-01-02 15:04:05.999999999-07:00", which the schema's comparisons
// and indexes rely on (migrations.go); the driver's default is
// time.Time.String, whose text does not sort like the instant.
const sqliteTimeFormat = "_time_format=sqlite"

// OpenSQLite opens (creating if needed) the SQLite database at dsn, e.g.
// "file:data/authd.db", in WAL mode with a busy timeout, so concurrent
// writers wait for each other instead of failing with "database is locked".
// dsn takes modernc.org/sqlite's parameters; a pragma it sets (as
// _pragma=name(value) or the driver's shorthand, e.g. _busy_timeout=) wins
// over authd's default. A parameter that would store times otherwise
// (_time_format other than "sqlite", _time_integer_format, _timezone) is
// an error.
func OpenSQLite(ctx context.Context, dsn SQLiteDSN, pool Pool) (*gorm.DB, func(), error) {
	s := string(dsn)
	if err := checkSQLiteTimeParams(s); err != nil {
		return nil, nil, err
	}
	if err := makeParentDir(s); err != nil {
		return nil, nil, err
	}
	// _txlock=immediate: transactions take the write lock at BEGIN, so a
	// read-then-write transaction never fails on lock upgrade.
	s = addSQLiteParams(s, "_pragma=busy_timeout(5000)", "_pragma=journal_mode(WAL)",
		"_pragma=foreign_keys(1)", "_pragma=synchronous(NORMAL)", sqliteCache, "_txlock=immediate", sqliteTimeFormat)
	pool.MaxOpen = sqliteMaxOpen
	return openRetryingLocked(ctx, sqlitedialect.Open(s), pool)
}

// openRetryingLocked is open for SQLite. Processes opening one new file at
// once race to switch it to WAL, and SQLite answers that race with
// SQLITE_BUSY at once, without waiting busy_timeout: so retry, within
// Pool.ConnectTimeout.
func openRetryingLocked(ctx context.Context, d gorm.Dialector, pool Pool) (*gorm.DB, func(), error) {
	deadline := time.Now().Add(pool.ConnectTimeout)
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		db, cleanup, err := open(ctx, d, pool)
		if err == nil || !sqliteLocked(err) || time.Now().Add(wait).After(deadline) {
			return db, cleanup, err
		}
		select {
		case <-ctx.Done():
			return nil, nil, err
		case <-time.After(wait):
		}
	}
}

// pgStatementCache sizes pgx's statement and description caches.
const pgStatementCache = 64

// OpenPostgres connects to Postgres with postgresDSN's additions to dsn.
func OpenPostgres(ctx context.Context, dsn PostgresDSN, pool Pool) (*gorm.DB, func(), error) {
	return open(ctx, postgres.Open(postgresDSN(string(dsn), pool)), pool)
}

// postgresDSN adds to s, unless s sets them: a connect_timeout from pool,
// and pgx cache sizes for authd's few dozen distinct statements (pgx's
// default of 512 per cache preallocates ~50 KB per cache and connection).
func postgresDSN(s string, pool Pool) string {
	if secs := int(pool.ConnectTimeout.Seconds()); secs > 0 && !strings.Contains(s, "connect_timeout") {
		s = addParam(s, fmt.Sprintf("connect_timeout=%d", secs))
	}
	for _, param := range []string{"statement_cache_capacity", "description_cache_capacity"} {
		if !strings.Contains(s, param) {
			s = addParam(s, fmt.Sprintf("%s=%d", param, pgStatementCache))
		}
	}
	return s
}

// OpenMySQL connects to MySQL or MariaDB. It forces parseTime and UTC, and
// clientFoundRows so RowsAffected counts matched rows as on other backends.
func OpenMySQL(ctx context.Context, dsn MySQLDSN, pool Pool) (*gorm.DB, func(), error) {
	cfg, err := mysqldrv.ParseDSN(string(dsn))
	if err != nil {
		return nil, nil, fmt.Errorf("gormstore: parse mysql dsn: %w", err)
	}
	cfg.ParseTime, cfg.Loc, cfg.ClientFoundRows = true, time.UTC, true
	if cfg.Timeout == 0 {
		cfg.Timeout = pool.ConnectTimeout
	}
	if cfg.ReadTimeout == 0 && pool.QueryTimeout > 0 {
		cfg.ReadTimeout = 2 * pool.QueryTimeout
	}
	if cfg.WriteTimeout == 0 && pool.QueryTimeout > 0 {
		cfg.WriteTimeout = 2 * pool.QueryTimeout
	}
	return open(ctx, mysql.Open(cfg.FormatDSN()), pool)
}

// open configures GORM and the pool, then pings within ConnectTimeout so a
// bad DSN or a dead server fails at start-up, not at the first request.
func open(ctx context.Context, d gorm.Dialector, pool Pool) (*gorm.DB, func(), error) {
	db, err := gorm.Open(d, &gorm.Config{
		TranslateError:         true,
		Logger:                 logger.Default.LogMode(logger.Silent), // never log SQL with values
		DisableAutomaticPing:   true,
		SkipDefaultTransaction: true, // single statements need no wrapping transaction
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, nil, classify(err, "open "+d.Name())
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, nil, fmt.Errorf("gormstore: %s pool: %w", d.Name(), err)
	}
	sqlDB.SetMaxOpenConns(pool.MaxOpen)
	sqlDB.SetMaxIdleConns(pool.MaxIdle)
	sqlDB.SetConnMaxLifetime(pool.ConnMaxLifetime)
	cleanup := func() { _ = sqlDB.Close() }
	pctx, cancel := withTimeout(ctx, pool.ConnectTimeout)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		cleanup()
		return nil, nil, unreachable(err, "connect "+d.Name())
	}
	return db, cleanup, nil
}

// repo is what both repositories hold: the pool and its per-call bound.
type repo struct {
	db   *gorm.DB
	pool Pool
}

// conn returns the database bound to ctx and Pool.QueryTimeout.
func (r repo) conn(ctx context.Context) (*gorm.DB, context.CancelFunc) {
	ctx, cancel := withTimeout(ctx, r.pool.QueryTimeout)
	return r.db.WithContext(ctx), cancel
}

// withTimeout bounds ctx by d; d <= 0 means no bound beyond ctx's own.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}

func sqlitePath(dsn string) string {
	p := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	return p
}

func isSQLiteMemory(dsn string) bool {
	p := sqlitePath(dsn)
	return p == "" || p == ":memory:" || strings.Contains(dsn, "mode=memory")
}

func makeParentDir(dsn string) error {
	if isSQLiteMemory(dsn) {
		return nil
	}
	dir := filepath.Dir(sqlitePath(dsn))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("gormstore: create sqlite directory %s: %w", dir, err)
	}
	return nil
}

// sqliteShorthands are the driver's other spellings of the pragmas authd
// sets: a DSN that uses one keeps its value.
var sqliteShorthands = map[string][]string{
	"_pragma=busy_timeout": {"_busy_timeout=", "_timeout="},
	"_pragma=journal_mode": {"_journal_mode=", "_journal="},
	"_pragma=foreign_keys": {"_foreign_keys=", "_fk="},
	"_pragma=synchronous":  {"_synchronous=", "_sync="},
}

// addSQLiteParams appends each key=value whose key (or pragma name) the
// DSN does not already set, so an operator's explicit choice wins.
func addSQLiteParams(dsn string, params ...string) string {
	for _, p := range params {
		key := p
		if strings.HasPrefix(p, "_pragma=") {
			key = p[:strings.IndexByte(p, '(')]
		} else {
			key = p[:strings.IndexByte(p, '=')+1]
		}
		if strings.Contains(dsn, key) || slices.ContainsFunc(sqliteShorthands[key], func(k string) bool {
			return strings.Contains(dsn, k)
		}) {
			continue
		}
		if strings.Contains(dsn, "?") {
			dsn += "&" + p
		} else {
			dsn += "?" + p
		}
	}
	return dsn
}

// checkSQLiteTimeParams refuses the driver's parameters that would store
// times other than as sqliteTimeFormat's UTC text.
func checkSQLiteTimeParams(dsn string) error {
	_, query, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return fmt.Errorf("gormstore: sqlite dsn: %w", err)
	}
	for _, key := range []string{"_time_format", "_time_integer_format", "_timezone"} {
		if q.Has(key) && (key != "_time_format" || q.Get(key) != "sqlite") {
			return fmt.Errorf("gormstore: sqlite dsn: %s=%s: authd stores times as %s", key, q.Get(key), sqliteTimeFormat)
		}
	}
	return nil
}

// addParam appends p to a URL-style Postgres DSN, or to a key=value one
// with a space.
func addParam(dsn, p string) string {
	switch {
	case strings.Contains(dsn, "://") || !strings.Contains(dsn, "="):
		if strings.Contains(dsn, "?") {
			return dsn + "&" + p
		}
		return dsn + "?" + p
	default:
		return dsn + " " + p
	}
}
