package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/test/backends"
)

// TestOpenByDriverName: Open picks each driver's own opener (the dialect
// and, for SQLite, its single connection show it) and refuses an unknown
// driver.
func TestOpenByDriverName(t *testing.T) {
	pool := sqlstore.SizedPool(3, time.Second)
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			db, err := sqlstore.Open(context.Background(), server.Driver, server.DSN, pool)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if got := db.Dialect(); got != server.Driver {
				t.Errorf("dialect %q, want %q", got, server.Driver)
			}
			sqlDB := db.SQL()
			want := 3
			if server.Driver == sqlstore.DriverSQLite {
				want = 1
			}
			if got := sqlDB.Stats().MaxOpenConnections; got != want {
				t.Errorf("max open connections %d, want %d", got, want)
			}
		})
	}
	if _, err := sqlstore.Open(context.Background(), "oracle", "x", pool); err == nil {
		t.Error("an unknown driver opened")
	}
}

func TestSizedPool(t *testing.T) {
	p := sqlstore.SizedPool(7, 3*time.Second)
	if p.MaxOpen != 7 || p.MaxIdle != 7 || p.QueryTimeout != 3*time.Second {
		t.Errorf("SizedPool(7, 3s) = %+v", p)
	}
	if d := sqlstore.DefaultPool(); p.ConnectTimeout != d.ConnectTimeout || p.ConnMaxLifetime != d.ConnMaxLifetime {
		t.Errorf("SizedPool changed more than size and query timeout: %+v, default %+v", p, d)
	}
}
