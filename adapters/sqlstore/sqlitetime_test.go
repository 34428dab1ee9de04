package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// TestSQLiteTimesAreSortableText: SQLite stores times as the text
// "2006-01-02 15:04:05.999999+00:00", which the schema's comparisons rely
// on and which databases written by earlier releases hold; a row written
// that way outside authd reads back as the same instant.
func TestSQLiteTimesAreSortableText(t *testing.T) {
	ctx := context.Background()
	db := backends.Open(t, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}))
	users := sqlstore.NewUsers(db)
	at := time.Date(2026, 11, 27, 8, 9, 10, 123456000, time.UTC)
	email, err := domain.NewEmail("stored@example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := domain.NewUser("stored", email, "$2a$04$hash", domain.RoleUser, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Create(ctx, u); err != nil {
		t.Fatal(err)
	}
	var stored string
	mustScan(t, db, "SELECT CAST(created_at AS TEXT) FROM users WHERE id = ?", []any{"stored"}, &stored)
	if want := "2026-11-27 08:09:10.123456+00:00"; stored != want {
		t.Errorf("created_at stored as %q, want %q", stored, want)
	}

	mustExec(t, db, `INSERT INTO users (id, email, role, password_hash, created_at, updated_at)
		VALUES ('earlier', 'earlier@example.com', 'user', '$2a$04$hash',
		        '2025-01-02 03:04:05.5+00:00', '2025-01-02 03:04:05+00:00')`)
	got, err := users.ByID(ctx, "earlier")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 1, 2, 3, 4, 5, 500000000, time.UTC); !got.CreatedAt().Equal(want) {
		t.Errorf("created_at written as text reads back as %v, want %v", got.CreatedAt(), want)
	}
	if want := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC); !got.UpdatedAt().Equal(want) {
		t.Errorf("updated_at written as text reads back as %v, want %v", got.UpdatedAt(), want)
	}
}

// TestOpenSQLiteRefusesOtherTimeStorage: other time parameters would
// store text (or integers) that do not sort like the instant; the one
// authd asks for itself is accepted.
func TestOpenSQLiteRefusesOtherTimeStorage(t *testing.T) {
	for _, param := range []string{"_time_format=datetime", "_time_integer_format=unix", "_timezone=Europe/Paris"} {
		dsn := "file:" + t.TempDir() + "/authd.db?" + param
		if db, err := sqlstore.Open(context.Background(), sqlstore.DriverSQLite, dsn, sqlstore.DefaultPool()); err == nil {
			db.Close()
			t.Errorf("Open sqlite with %s: no error", param)
		}
	}
	dsn := "file:" + t.TempDir() + "/authd.db?_time_format=sqlite"
	db, err := sqlstore.Open(context.Background(), sqlstore.DriverSQLite, dsn, sqlstore.DefaultPool())
	if err != nil {
		t.Fatalf("Open sqlite with _time_format=sqlite: %v", err)
	}
	db.Close()
}
