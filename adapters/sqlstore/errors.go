package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"syscall"

	mysqldrv "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"github.com/authd-dev/authd/domain"
)

// classify translates a driver error at this edge: not found becomes
// domain.ErrNotFound, an unreachable or overloaded database wraps
// domain.ErrUnavailable (keeping the cause for logs), anything else is
// wrapped with op. Callers always get errors.Is-able values, never strings.
func classify(err error, op string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("sqlstore: %s: %w", op, domain.ErrNotFound)
	case unavailable(err):
		return fmt.Errorf("sqlstore: %s: %w: %w", op, domain.ErrUnavailable, err)
	default:
		return fmt.Errorf("sqlstore: %s: %w", op, err)
	}
}

// unreachable wraps err as domain.ErrUnavailable whatever its cause: for a
// ping, any failure means the database does not answer.
func unreachable(err error, op string) error {
	return fmt.Errorf("sqlstore: %s: %w: %w", op, domain.ErrUnavailable, err)
}

// unavailable reports whether err means "the database cannot answer now"
// (transient: retrying later may succeed) rather than a bug.
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, mysqldrv.ErrInvalidConn) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) || pgconn.Timeout(err) {
		return true
	}
	return transientCode(err) || refusesWrites(err) || strings.Contains(err.Error(), "connection refused")
}

// refusesWrites recognises a database that answers but will not store:
// read-only (a replica, a read-only transaction default, a read-only
// file), no write privilege, or a full disk. None is a bug of the
// request, and readiness reports it too (Health.Ping).
func refusesWrites(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 25006: read-only transaction (also a hot standby); 42501:
		// insufficient privilege. A full disk is 53100, transient above.
		return pgErr.Code == "25006" || pgErr.Code == "42501"
	}
	var myErr *mysqldrv.MySQLError
	if errors.As(err, &myErr) {
		switch myErr.Number {
		case 1290, 1792, 1036, 1142, 1021, 1114: // --read-only, read-only transaction, read-only table, no grant, disk full, table full
			return true
		}
		return false
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff { // primary result code
		case 8, 13: // SQLITE_READONLY, SQLITE_FULL
			return true
		}
	}
	return false
}

// transientCode recognises server error codes for overload, shutdown and
// lock contention, which a later retry can get past.
func transientCode(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 08: connection exception; 53: insufficient resources; 57P0x:
		// shutdown; 40001/40P01: serialization failure, deadlock.
		c := pgErr.Code
		return strings.HasPrefix(c, "08") || strings.HasPrefix(c, "53") ||
			strings.HasPrefix(c, "57P0") || c == "40001" || c == "40P01"
	}
	var myErr *mysqldrv.MySQLError
	if errors.As(err, &myErr) {
		switch myErr.Number {
		case 1040, 1053, 1205, 1213, 2002, 2003, 2006, 2013: // too many conns, shutdown, lock wait, deadlock, gone away
			return true
		}
		return false
	}
	return sqliteLocked(err)
}

// sqliteLocked reports SQLITE_BUSY or SQLITE_LOCKED: still locked after
// busy_timeout, or locked where SQLite does not wait at all.
func sqliteLocked(err error) bool {
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff { // primary result code
		case 5, 6:
			return true
		}
	}
	return false
}

// isUniqueViolation reports a duplicate key: a unique index or primary key
// that already holds the value.
func isUniqueViolation(err error) bool {
	return constraintCode(err, "23505", []uint16{1062}, []int{2067, 1555}) // unique, primary key
}

// isForeignKeyViolation reports a row that references a missing parent
// (a user deleted meanwhile, or never there).
func isForeignKeyViolation(err error) bool {
	return constraintCode(err, "23503", []uint16{1452, 1216}, []int{787})
}

// unknownUser turns a foreign-key violation of a row of userID into
// domain.ErrNotFound naming the user; err is already classified, which
// keeps the driver's error in the chain.
func unknownUser(err error, op, userID string) error {
	if isForeignKeyViolation(err) {
		return fmt.Errorf("sqlstore: %s: user %s: %w", op, userID, domain.ErrNotFound)
	}
	return err
}

// constraintCode matches err against one violation's Postgres SQLSTATE,
// MySQL error numbers and SQLite extended result codes.
func constraintCode(err error, pg string, my []uint16, lite []int) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == pg
	}
	var myErr *mysqldrv.MySQLError
	if errors.As(err, &myErr) {
		return slices.Contains(my, myErr.Number)
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		return slices.Contains(lite, liteErr.Code())
	}
	return false
}
