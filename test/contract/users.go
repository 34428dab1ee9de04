package contract

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

func runUsers(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "create and get by id and by email", open, func(f fixture) {
		u := f.user("Alice@Example.COM", domain.RoleUser)
		byID := f.getUser(u.ID())
		byEmail, err := f.b.Users.ByEmail(f.ctx, f.email("alice@example.com"))
		f.ok("ByEmail", err)
		for _, got := range []domain.User{byID, byEmail} {
			sameUser(f, got, u)
		}
	})
	leaf(t, "times round-trip in UTC at TimePrecision", open, func(f fixture) {
		u := f.newUser("t@example.com", domain.RoleUser, t0) // non-UTC, nanoseconds
		f.ok("Create", f.b.Users.Create(f.ctx, u))
		got := f.getUser(u.ID())
		f.sameTime("CreatedAt", got.CreatedAt(), t0)
		f.sameTime("UpdatedAt", got.UpdatedAt(), t0)
	})
	leaf(t, "Create stores a verified flag", open, func(f fixture) {
		u := f.newUser("vouched@example.com", domain.RoleAdmin, t0).WithEmailVerified(true, t0)
		f.ok("Create", f.b.Users.Create(f.ctx, u))
		sameUser(f, f.getUser(u.ID()), u) // compares EmailVerified too
	})
	leaf(t, "email is unique case-insensitively", open, func(f fixture) {
		first := f.user("bob@example.com", domain.RoleUser)
		dup := f.newUser("  BOB@Example.com ", domain.RoleUser, t0)
		f.wantErr("Create duplicate email", f.b.Users.Create(f.ctx, dup), domain.ErrEmailTaken)
		f.wantErr("ByID of refused user", errOf(f.b.Users.ByID(f.ctx, dup.ID())), domain.ErrNotFound)
		sameUser(f, f.getUser(first.ID()), first)
	})
	leaf(t, "unknown ids and emails are ErrNotFound", open, func(f fixture) {
		ghost := f.newUser("ghost@example.com", domain.RoleAdmin, t0)
		f.wantErr("ByID", errOf(f.b.Users.ByID(f.ctx, ghost.ID())), domain.ErrNotFound)
		f.wantErr("ByID malformed", errOf(f.b.Users.ByID(f.ctx, "not-a-uuid")), domain.ErrNotFound)
		f.wantErr("ByEmail", errOf(f.b.Users.ByEmail(f.ctx, ghost.Email())), domain.ErrNotFound)
		f.wantErr("UpdatePasswordHash", f.b.Users.UpdatePasswordHash(f.ctx, ghost), domain.ErrNotFound)
		f.wantErr("ChangeRole", f.b.Users.ChangeRole(f.ctx, ghost.WithRole(domain.RoleUser, t0)), domain.ErrNotFound)
		f.wantErr("Delete", f.b.Users.Delete(f.ctx, ghost.ID()), domain.ErrNotFound)
		f.wantErr("SetEmailVerified", f.b.Users.SetEmailVerified(f.ctx, ghost.WithEmailVerified(true, t0)), domain.ErrNotFound)
	})
	leaf(t, "email verified: new users start without it, it is stored and read everywhere", open, func(f fixture) {
		u := f.user("dora@example.com", domain.RoleUser)
		if f.getUser(u.ID()).EmailVerified() {
			f.t.Fatal("a new user reads as verified")
		}
		later := t0.Add(time.Minute)
		f.ok("SetEmailVerified", f.b.Users.SetEmailVerified(f.ctx, u.WithEmailVerified(true, later)))
		f.ok("SetEmailVerified unchanged", f.b.Users.SetEmailVerified(f.ctx, u.WithEmailVerified(true, later)))
		want := u.WithEmailVerified(true, later)
		sameUser(f, f.getUser(u.ID()), want)
		byEmail, err := f.b.Users.ByEmail(f.ctx, u.Email())
		f.ok("ByEmail", err)
		sameUser(f, byEmail, want)
		s := f.session(u.ID(), t0, policy)
		_, withUser, err := f.b.Sessions.ByIDWithUser(f.ctx, s.ID())
		f.ok("ByIDWithUser", err)
		sameUser(f, withUser, want)
		page, err := f.b.Users.List(f.ctx, "", 10)
		f.ok("List", err)
		if len(page) != 1 || !page[0].EmailVerified() {
			f.t.Errorf("List = %+v, want the verified user", page)
		}
		f.ok("SetEmailVerified false", f.b.Users.SetEmailVerified(f.ctx, want.WithEmailVerified(false, later)))
		if f.getUser(u.ID()).EmailVerified() {
			f.t.Error("verification was not taken back")
		}
	})
	leaf(t, "update password hash", open, func(f fixture) {
		u := f.user("carol@example.com", domain.RoleUser)
		later := t0.Add(time.Minute)
		changed := u.WithPasswordHash("$2a$04$new", later)
		f.ok("UpdatePasswordHash", f.b.Users.UpdatePasswordHash(f.ctx, changed))
		got := f.getUser(u.ID())
		if got.PasswordHash() != "$2a$04$new" {
			f.t.Errorf("PasswordHash = %q, want the new hash", got.PasswordHash())
		}
		f.sameTime("UpdatedAt", got.UpdatedAt(), later)
		f.sameTime("CreatedAt", got.CreatedAt(), t0)
		// Storing an identical value again is not "not found" (MySQL counts
		// changed rows unless told to count matched ones).
		f.ok("UpdatePasswordHash unchanged", f.b.Users.UpdatePasswordHash(f.ctx, changed))
	})
	leaf(t, "upgrade password hash only over the expected one", open, func(f fixture) {
		u := f.user("dave@example.com", domain.RoleUser)
		upgraded := u.WithPasswordHash("$2a$12$upgraded", t0.Add(time.Minute))
		stored, err := f.b.Users.UpgradePasswordHash(f.ctx, upgraded, "$2a$04$not-the-stored-one")
		if err != nil || stored {
			f.t.Fatalf("upgrade over a stale hash = (%v, %v), want (false, nil)", stored, err)
		}
		if got := f.getUser(u.ID()).PasswordHash(); got != u.PasswordHash() {
			f.t.Fatalf("stale upgrade changed the hash to %q", got)
		}
		stored, err = f.b.Users.UpgradePasswordHash(f.ctx, upgraded, u.PasswordHash())
		if err != nil || !stored {
			f.t.Fatalf("upgrade over the stored hash = (%v, %v), want (true, nil)", stored, err)
		}
		if got := f.getUser(u.ID()).PasswordHash(); got != "$2a$12$upgraded" {
			f.t.Fatalf("PasswordHash = %q after upgrade", got)
		}
		ghost := f.newUser("ghost2@example.com", domain.RoleUser, t0)
		if stored, err := f.b.Users.UpgradePasswordHash(f.ctx, ghost, ghost.PasswordHash()); err != nil || stored {
			f.t.Fatalf("upgrade of unknown user = (%v, %v)", stored, err)
		}
	})
	leaf(t, "change role keeps the last admin", open, func(f fixture) {
		a := f.user("a@example.com", domain.RoleAdmin)
		f.wantErr("demote only admin", f.b.Users.ChangeRole(f.ctx, a.WithRole(domain.RoleUser, t0)), domain.ErrLastAdmin)
		f.wantErr("delete only admin", f.b.Users.Delete(f.ctx, a.ID()), domain.ErrLastAdmin)
		if got := f.getUser(a.ID()).Role(); got != domain.RoleAdmin {
			f.t.Fatalf("refused demotion changed role to %q", got)
		}
		f.ok("admin stays admin", f.b.Users.ChangeRole(f.ctx, a.WithRole(domain.RoleAdmin, t0)))
		b := f.user("b@example.com", domain.RoleUser)
		f.ok("promote b", f.b.Users.ChangeRole(f.ctx, b.WithRole(domain.RoleAdmin, t0)))
		f.ok("demote a", f.b.Users.ChangeRole(f.ctx, a.WithRole("editor", t0.Add(time.Second))))
		got := f.getUser(a.ID())
		if got.Role() != "editor" {
			f.t.Errorf("role = %q, want editor", got.Role())
		}
		f.sameTime("UpdatedAt", got.UpdatedAt(), t0.Add(time.Second))
		f.wantErr("demote b, now the last", f.b.Users.ChangeRole(f.ctx, b.WithRole(domain.RoleUser, t0)), domain.ErrLastAdmin)
		f.ok("delete non-admin a", f.b.Users.Delete(f.ctx, a.ID()))
	})
	leaf(t, "delete removes the user's sessions", open, func(f fixture) {
		u := f.user("dave@example.com", domain.RoleUser)
		other := f.user("erin@example.com", domain.RoleUser)
		s1, s2 := f.session(u.ID(), t0, policy), f.session(u.ID(), t0, policy)
		keep := f.session(other.ID(), t0, policy)
		f.ok("Delete", f.b.Users.Delete(f.ctx, u.ID()))
		f.wantErr("ByID deleted user", errOf(f.b.Users.ByID(f.ctx, u.ID())), domain.ErrNotFound)
		for _, s := range []domain.Session{s1, s2} {
			f.wantErr("session of deleted user", errOf(f.b.Sessions.ByID(f.ctx, s.ID())), domain.ErrNotFound)
		}
		f.getSession(keep.ID())
		again := f.newUser("dave@example.com", domain.RoleUser, t0)
		f.ok("email is free again", f.b.Users.Create(f.ctx, again))
	})
	leaf(t, "list pages by id", open, func(f fixture) {
		var ids []string
		for i := 0; i < 7; i++ {
			ids = append(ids, f.user(strings.Repeat("x", i+1)+"@example.com", domain.RoleUser).ID())
		}
		sort.Strings(ids)
		var seen []string
		after := ""
		for page := 0; page < 4; page++ {
			got, err := f.b.Users.List(f.ctx, after, 3)
			f.ok("List", err)
			if want := min(3, len(ids)-len(seen)); len(got) != want {
				f.t.Fatalf("page %d has %d users, want %d", page, len(got), want)
			}
			for _, u := range got {
				seen = append(seen, u.ID())
				after = u.ID()
			}
		}
		if strings.Join(seen, ",") != strings.Join(ids, ",") {
			f.t.Errorf("paged ids %v, want %v", seen, ids)
		}
	})
}

func sameUser(f fixture, got, want domain.User) {
	f.t.Helper()
	g, w := got.State(), want.State()
	if g.ID != w.ID || g.Email != w.Email || g.Role != w.Role || g.PasswordHash != w.PasswordHash ||
		g.EmailVerified != w.EmailVerified {
		f.t.Errorf("user = %+v, want %+v", g, w)
	}
	f.sameTime("CreatedAt", g.CreatedAt, w.CreatedAt)
	f.sameTime("UpdatedAt", g.UpdatedAt, w.UpdatedAt)
}

// errOf drops a value and keeps the error, for one-line error checks.
func errOf[T any](_ T, err error) error { return err }
