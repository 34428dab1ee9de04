package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// TestSQLiteReadWaitEndsWithItsContext: a SQLite read waiting for the
// pool's only connection stops waiting when the caller's context ends, and
// a read after the wait answers.
func TestSQLiteReadWaitEndsWithItsContext(t *testing.T) {
	ctx := context.Background()
	db := backends.Open(t, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}))
	sqlDB := db.SQL()
	var held []*sql.Conn
	for range sqlDB.Stats().MaxOpenConnections {
		c, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	users := sqlstore.NewUsers(db)
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err := users.ByID(short, "x")
	if !errors.Is(err, domain.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ByID with every connection held: %v, want ErrUnavailable wrapping DeadlineExceeded", err)
	}
	for _, c := range held {
		c.Close()
	}
	if _, err := users.ByID(ctx, "x"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("ByID once connections are free: %v, want ErrNotFound", err)
	}
}
