package sqlstore

import (
	"errors"
	"fmt"
	"testing"

	mysqldrv "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/authd-dev/authd/domain"
)

// A refused write is an outage (503), not a bug (500); the real refusals
// of each backend are exercised end to end in test/readonly_test.go.
func TestClassifyRefusedWrites(t *testing.T) {
	refused := []error{
		&pgconn.PgError{Code: "25006"},     // read-only transaction, hot standby
		&pgconn.PgError{Code: "42501"},     // insufficient privilege
		&pgconn.PgError{Code: "53100"},     // disk full
		&mysqldrv.MySQLError{Number: 1290}, // --read-only
		&mysqldrv.MySQLError{Number: 1792}, // read-only transaction
		&mysqldrv.MySQLError{Number: 1142}, // command denied
		&mysqldrv.MySQLError{Number: 1021}, // disk full
	}
	for _, err := range refused {
		if got := classify(fmt.Errorf("wrapped: %w", err), "op"); !errors.Is(got, domain.ErrUnavailable) {
			t.Errorf("%v: classified %v, want ErrUnavailable", err, got)
		}
	}
	bugs := []error{&pgconn.PgError{Code: "22021"}, &pgconn.PgError{Code: "42P01"}, &mysqldrv.MySQLError{Number: 1366}}
	for _, err := range bugs {
		if got := classify(err, "op"); errors.Is(got, domain.ErrUnavailable) {
			t.Errorf("%v: classified as unavailable, want a plain error", err)
		}
	}
}
