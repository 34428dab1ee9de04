package application_test

import (
	"errors"
	"testing"

	"github.com/authd-dev/authd/domain"
)

// adminPair provisions admin a1, which creates admin a2.
func adminPair(f *appFixture) (a1, a2 domain.User) {
	f.t.Helper()
	a1, err := f.admin.ProvisionUser(f.ctx, "a1@example.com", appPassword, domain.RoleAdmin, "cli")
	if err != nil {
		f.t.Fatal(err)
	}
	a2, err = f.admin.CreateUser(f.ctx, "a2@example.com", appPassword, domain.RoleAdmin, a1.ID())
	if err != nil {
		f.t.Fatal(err)
	}
	return a1, a2
}

// actorRefused requires every admin use case to refuse actorID with want
// and to leave users, victim and the audit log as they were.
func actorRefused(t *testing.T, f *appFixture, actorID string, victim domain.User, want error) {
	t.Helper()
	events := len(f.audit.events)
	if _, _, err := f.admin.ListUsers(f.ctx, actorID, "", 0); !errors.Is(err, want) {
		t.Errorf("ListUsers by %q = %v, want %v", actorID, err, want)
	}
	if _, err := f.admin.CreateUser(f.ctx, "minted@example.com", appPassword, domain.RoleAdmin, actorID); !errors.Is(err, want) {
		t.Errorf("CreateUser by %q = %v, want %v", actorID, err, want)
	}
	if _, err := f.admin.ChangeRole(f.ctx, actorID, actorID, domain.RoleAdmin); !errors.Is(err, want) {
		t.Errorf("ChangeRole (self-promotion) by %q = %v, want %v", actorID, err, want)
	}
	if _, err := f.admin.ChangeRole(f.ctx, actorID, victim.ID(), domain.RoleUser); !errors.Is(err, want) {
		t.Errorf("ChangeRole (demote %s) by %q = %v, want %v", victim.Email(), actorID, err, want)
	}
	// Refused before the role is validated: a refused caller learns nothing.
	if _, err := f.admin.ChangeRole(f.ctx, actorID, victim.ID(), "Not A Role"); !errors.Is(err, want) {
		t.Errorf("ChangeRole (bad role) by %q = %v, want %v", actorID, err, want)
	}
	if _, err := f.admin.SetEmailVerified(f.ctx, actorID, victim.ID(), !victim.EmailVerified()); !errors.Is(err, want) {
		t.Errorf("SetEmailVerified by %q = %v, want %v", actorID, err, want)
	}
	if err := f.admin.DeleteUser(f.ctx, actorID, victim.ID()); !errors.Is(err, want) {
		t.Errorf("DeleteUser by %q = %v, want %v", actorID, err, want)
	}
	e, _ := domain.NewEmail("minted@example.com")
	if _, err := f.users.ByEmail(f.ctx, e); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("a refused CreateUser stored the user: %v", err)
	}
	if got, err := f.users.ByID(f.ctx, victim.ID()); err != nil || got.Role() != victim.Role() ||
		got.EmailVerified() != victim.EmailVerified() {
		t.Errorf("victim after refused calls = (%q, verified %t, %v), want role %q, verified %t",
			got.Role(), got.EmailVerified(), err, victim.Role(), victim.EmailVerified())
	}
	if n := len(f.audit.events); n != events {
		t.Errorf("refused calls recorded %d audit events", n-events)
	}
}

func TestAdminDemotedActorIsRefusedAtOnce(t *testing.T) {
	f := newAppFixture(t, nil)
	a1, a2 := adminPair(f)
	if _, err := f.admin.ChangeRole(f.ctx, a1.ID(), a2.ID(), domain.RoleUser); err != nil {
		t.Fatal(err)
	}
	actorRefused(t, f, a2.ID(), a1, domain.ErrInsufficientRole)
	if got, _ := f.users.ByID(f.ctx, a2.ID()); got.Role() != domain.RoleUser {
		t.Fatalf("the demoted admin promoted itself back: role %q", got.Role())
	}
	// Any role but admin is refused, not only user.
	if _, err := f.admin.ChangeRole(f.ctx, a1.ID(), a2.ID(), "editor"); err != nil {
		t.Fatal(err)
	}
	actorRefused(t, f, a2.ID(), a1, domain.ErrInsufficientRole)
	// Promoted again, the same actor id works again.
	if _, err := f.admin.ChangeRole(f.ctx, a1.ID(), a2.ID(), domain.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.admin.ListUsers(f.ctx, a2.ID(), "", 0); err != nil {
		t.Fatalf("re-promoted admin lists users: %v", err)
	}
}

func TestAdminDeletedActorIsRefusedAtOnce(t *testing.T) {
	f := newAppFixture(t, nil)
	a1, a2 := adminPair(f)
	if err := f.admin.DeleteUser(f.ctx, a1.ID(), a2.ID()); err != nil {
		t.Fatal(err)
	}
	actorRefused(t, f, a2.ID(), a1, domain.ErrTokenInvalid)
}

func TestAdminActorMustBeAUser(t *testing.T) {
	f := newAppFixture(t, nil)
	a1, _ := adminPair(f)
	u, _ := f.register("plain@example.com")
	actorRefused(t, f, u.ID(), a1, domain.ErrInsufficientRole)
	for _, id := range []string{"", "cli", "not-a-uuid", "00000000-0000-4000-8000-000000000000"} {
		actorRefused(t, f, id, a1, domain.ErrTokenInvalid)
	}
}

func TestAdminActorReadFailureIsNotAnAuthorizationAnswer(t *testing.T) {
	f := newAppFixture(t, nil)
	a1, a2 := adminPair(f)
	ctx, cancel := contextCanceled()
	defer cancel()
	_, _, err := f.admin.ListUsers(ctx, a1.ID(), "", 0)
	if !errors.Is(err, domain.ErrUnavailable) || errors.Is(err, domain.ErrInsufficientRole) || errors.Is(err, domain.ErrTokenInvalid) {
		t.Fatalf("ListUsers with storage down = %v, want ErrUnavailable", err)
	}
	if err := f.admin.DeleteUser(ctx, a1.ID(), a2.ID()); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("DeleteUser with storage down = %v, want ErrUnavailable", err)
	}
	if _, err := f.users.ByID(f.ctx, a2.ID()); err != nil {
		t.Fatalf("a2 after a refused delete: %v", err)
	}
}
