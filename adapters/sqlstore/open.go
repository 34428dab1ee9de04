package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	mysqldrv "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Pool sizes the connection pool and bounds how long connecting and each
// repository call may take.
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

// SizedPool is DefaultPool with maxConns connections, all of which may
// stay idle, and queryTimeout on each repository call: the pool authd
// serves with. OpenSQLite still caps SQLite at one connection.
func SizedPool(maxConns int, queryTimeout time.Duration) Pool {
	p := DefaultPool()
	p.MaxOpen, p.MaxIdle, p.QueryTimeout = maxConns, maxConns, queryTimeout
	return p
}

// sqliteMaxOpen caps SQLite's pool at one connection: SQLite has one
// writer at a time anyway, and every connection keeps its own page cache,
// lookaside and schema in this process, so a second one costs memory for
// little throughput; for more, Postgres or MySQL. One is also what :memory:
// needs: each connection to it is a new database.
const sqliteMaxOpen = 1

// sqliteTimeFormat makes the driver store times as text
// "2006-01-02 15:04:05.999999999-07:00", which the schema's comparisons
// and indexes rely on (migrations.go); the driver's default is
// time.Time.String, whose text does not sort like the instant.
const sqliteTimeFormat = "_time_format=sqlite"

// openSQLite opens (creating if needed) the SQLite database at dsn, e.g.
// "file:data/authd.db", in WAL mode with a busy timeout, so concurrent
// writers wait for each other instead of failing with "database is locked".
// dsn takes modernc.org/sqlite's parameters; a pragma it sets (as
// _pragma=name(value) or the driver's shorthand, e.g. _busy_timeout=) wins
// over authd's default. A parameter that would store times otherwise
// (_time_format other than "sqlite", _time_integer_format, _timezone) is
// an error.
func openSQLite(ctx context.Context, s string, pool Pool) (*DB, error) {
	if err := checkSQLiteTimeParams(s); err != nil {
		return nil, err
	}
	if err := makeParentDir(s); err != nil {
		return nil, err
	}
	// _txlock=immediate: transactions take the write lock at BEGIN, so a
	// read-then-write transaction never fails on lock upgrade.
	s = addSQLiteParams(s, "_pragma=busy_timeout(5000)", "_pragma=journal_mode(WAL)",
		"_pragma=foreign_keys(1)", "_pragma=synchronous(NORMAL)", "_txlock=immediate", sqliteTimeFormat)
	pool.MaxOpen, pool.MaxIdle = sqliteMaxOpen, sqliteMaxOpen
	return openRetryingLocked(ctx, func() (*sql.DB, error) { return sql.Open("sqlite", s) }, pool)
}

// openRetryingLocked is open for SQLite. Processes opening one new file at
// once race to switch it to WAL, and SQLite answers that race with
// SQLITE_BUSY at once, without waiting busy_timeout: so retry, within
// Pool.ConnectTimeout.
func openRetryingLocked(ctx context.Context, connect func() (*sql.DB, error), pool Pool) (*DB, error) {
	deadline := time.Now().Add(pool.ConnectTimeout)
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		db, err := open(ctx, DriverSQLite, connect, pool)
		if err == nil || !sqliteLocked(err) || time.Now().Add(wait).After(deadline) {
			return db, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
	}
}

// openPostgres connects to Postgres through pgx.
func openPostgres(ctx context.Context, dsn string, pool Pool) (*DB, error) {
	dsn = postgresDSN(dsn, pool)
	return open(ctx, DriverPostgres, func() (*sql.DB, error) { return sql.Open("pgx", dsn) }, pool)
}

// postgresDSN adds a connect_timeout from pool to s unless s sets one.
func postgresDSN(s string, pool Pool) string {
	if secs := int(pool.ConnectTimeout.Seconds()); secs > 0 && !strings.Contains(s, "connect_timeout") {
		s = addParam(s, fmt.Sprintf("connect_timeout=%d", secs))
	}
	return s
}

// openMySQL connects to MySQL or MariaDB. It forces parseTime and UTC, and
// clientFoundRows so RowsAffected counts matched rows as on other backends.
func openMySQL(ctx context.Context, dsn string, pool Pool) (*DB, error) {
	cfg, err := mysqldrv.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: parse mysql dsn: %w", err)
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
	return open(ctx, DriverMySQL, func() (*sql.DB, error) {
		conn, err := mysqldrv.NewConnector(cfg)
		if err != nil {
			return nil, err
		}
		return sql.OpenDB(conn), nil
	}, pool)
}

// open sizes connect's pool, then pings within ConnectTimeout so a bad DSN
// or a dead server fails at start-up, not at the first request.
func open(ctx context.Context, dialect string, connect func() (*sql.DB, error), pool Pool) (*DB, error) {
	sqlDB, err := connect()
	if err != nil {
		return nil, classify(err, "open "+dialect)
	}
	sqlDB.SetMaxOpenConns(pool.MaxOpen)
	sqlDB.SetMaxIdleConns(pool.MaxIdle)
	sqlDB.SetConnMaxLifetime(pool.ConnMaxLifetime)
	pctx, cancel := withTimeout(ctx, pool.ConnectTimeout)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		return nil, unreachable(err, "connect "+dialect)
	}
	return &DB{sql: sqlDB, dialect: dialect, pool: pool}, nil
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
		return fmt.Errorf("sqlstore: create sqlite directory %s: %w", dir, err)
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
		return fmt.Errorf("sqlstore: sqlite dsn: %w", err)
	}
	for _, key := range []string{"_time_format", "_time_integer_format", "_timezone"} {
		if q.Has(key) && (key != "_time_format" || q.Get(key) != "sqlite") {
			return fmt.Errorf("sqlstore: sqlite dsn: %s=%s: authd stores times as %s", key, q.Get(key), sqliteTimeFormat)
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
