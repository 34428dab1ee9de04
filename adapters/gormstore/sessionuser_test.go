package gormstore_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/gormstore"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/test/backends"
)

// TestByIDWithUser: the joined read returns exactly what ByID and
// Users.ByID return separately, on every configured backend, including a
// revoked and rotated row (NULLs and non-NULLs), and ErrNotFound for an
// unknown id.
func TestByIDWithUser(t *testing.T) {
	for _, server := range backends.Servers(t) {
		t.Run("backend="+server.Name, func(t *testing.T) {
			db := backends.Open(t, backends.Fresh(t, server))
			users, sessions := gormstore.NewUsers(db, backends.TestPool()), gormstore.NewSessions(db, backends.TestPool())
			ctx := context.Background()
			s, now, err := newChain(users, sessions)
			if err != nil {
				t.Fatal(err)
			}
			check := func() {
				t.Helper()
				gotS, gotU, err := sessions.ByIDWithUser(ctx, s.ID())
				if err != nil {
					t.Fatal(err)
				}
				wantS, _ := sessions.ByID(ctx, s.ID())
				wantU, _ := users.ByID(ctx, s.UserID())
				if !reflect.DeepEqual(gotS.State(), wantS.State()) || !reflect.DeepEqual(gotU.State(), wantU.State()) {
					t.Fatalf("joined read differs:\n%+v\n%+v\nwant\n%+v\n%+v", gotS.State(), gotU.State(), wantS.State(), wantU.State())
				}
			}
			check()
			next := s.Rotated(now.Add(time.Second), benchPolicy, domain.Client{UserAgent: "ua", IP: "127.0.0.1"})
			if won, err := sessions.Rotate(ctx, next, now.Add(time.Second)); !won || err != nil {
				t.Fatalf("Rotate = %v, %v", won, err)
			}
			if _, err := sessions.Revoke(ctx, s.ID(), now.Add(2*time.Second), domain.RevokeLogout); err != nil {
				t.Fatal(err)
			}
			check()
			if _, _, err := sessions.ByIDWithUser(ctx, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, domain.ErrNotFound) {
				t.Fatalf("unknown id: err %v, want ErrNotFound", err)
			}
		})
	}
}
