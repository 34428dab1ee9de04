package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/test/backends"
)

// TestMigrateEmailsResumesAfterAnInterruption: the emails step commits
// batch by batch; stopped after the first batch, it keeps that batch,
// is not recorded, and a plain rerun rewrites the rest and records it.
func TestMigrateEmailsResumesAfterAnInterruption(t *testing.T) {
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			db, users := beforeEmailsMigration(t, server)
			var ids []string
			for i := 0; i < sqlstore.EmailBatch+20; i++ {
				ids = append(ids, createOldForm(t, users, fmt.Sprintf("jose\u0301%d@example.com", i)))
			}
			sort.Strings(ids)
			stop := errors.New("interrupted")
			err := sqlstore.MigrateWithEmailHook(context.Background(), db, emailnorm.New(), func(_ context.Context, _ sqlstore.MigrationConn, batch int) error {
				if batch == 1 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) {
				t.Fatalf("interrupted Migrate: %v, want the interruption", err)
			}
			if applied(t, db, emailsMigration) {
				t.Fatal("the interrupted step was recorded")
			}
			for i, id := range ids {
				rewritten := strings.Contains(storedEmail(t, db, id), "\u00e9")
				if rewritten != (i < sqlstore.EmailBatch) {
					t.Fatalf("user %d of %d in id order: rewritten=%v after the first batch committed", i, len(ids), rewritten)
				}
			}

			if err := sqlstore.Migrate(context.Background(), db, emailnorm.New()); err != nil {
				t.Fatalf("Migrate again: %v", err)
			}
			for _, id := range ids {
				if got := storedEmail(t, db, id); !strings.HasPrefix(got, "jos\u00e9") {
					t.Errorf("user %s: email %q after the rerun, want the NFC form", id, got)
				}
			}
			if !applied(t, db, emailsMigration) {
				t.Error("the rerun did not record the step")
			}
		})
	}
}

// TestMigrateEmailsTakenMeanwhile: another writer stores a row's
// normalised email after the collision check; the rewrite then fails
// naming that row's id, leaves both rows as they are and records nothing.
func TestMigrateEmailsTakenMeanwhile(t *testing.T) {
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			db, users := beforeEmailsMigration(t, server)
			old := createOldForm(t, users, "jose\u0301@example.com")
			other := createOldForm(t, users, "other@example.com")
			err := sqlstore.MigrateWithEmailHook(context.Background(), db, emailnorm.New(), func(ctx context.Context, conn sqlstore.MigrationConn, _ int) error {
				return conn.Exec(ctx, "UPDATE users SET email = ? WHERE id = ?", "jos\u00e9@example.com", other)
			})
			if err == nil || !strings.Contains(err.Error(), old) || !strings.Contains(err.Error(), "another account now holds") {
				t.Fatalf("Migrate: %v, want the taken-meanwhile error naming user %s", err, old)
			}
			if strings.Contains(err.Error(), "@example.com") {
				t.Errorf("error carries an email address: %v", err)
			}
			if got := storedEmail(t, db, old); got != "jose\u0301@example.com" {
				t.Errorf("user %s: email %q, want it unchanged", old, got)
			}
			if got := storedEmail(t, db, other); got != "jos\u00e9@example.com" {
				t.Errorf("user %s: email %q, want the concurrent writer's", other, got)
			}
			if applied(t, db, emailsMigration) {
				t.Error("the failed step was recorded")
			}
		})
	}
}
