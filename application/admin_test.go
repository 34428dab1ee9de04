package application_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

func TestAdminLastAdminGuard(t *testing.T) {
	f := newAppFixture(t, nil)
	a, err := f.admin.ProvisionUser(f.ctx, "a@example.com", appPassword, domain.RoleAdmin, "cli")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.admin.ChangeRole(f.ctx, a.ID(), a.ID(), domain.RoleUser); !errors.Is(err, domain.ErrLastAdmin) {
		t.Fatalf("demoting the only admin: %v, want ErrLastAdmin", err)
	}
	if err := f.admin.DeleteUser(f.ctx, a.ID(), a.ID()); !errors.Is(err, domain.ErrLastAdmin) {
		t.Fatalf("deleting the only admin: %v, want ErrLastAdmin", err)
	}
	if got, _ := f.users.ByID(f.ctx, a.ID()); got.Role() != domain.RoleAdmin {
		t.Fatalf("refused change left role %q", got.Role())
	}

	b, err := f.admin.CreateUser(f.ctx, "b@example.com", appPassword, domain.RoleAdmin, a.ID())
	if err != nil {
		t.Fatal(err)
	}
	if ev := f.audit.of(domain.AuditUserCreated); len(ev) != 2 || ev[1].ActorID != a.ID() || ev[1].Detail["role"] != "admin" {
		t.Fatalf("creation audit = %+v", ev)
	}
	// With two admins, one may go.
	demoted, err := f.admin.ChangeRole(f.ctx, b.ID(), a.ID(), "editor")
	if err != nil || demoted.Role() != "editor" {
		t.Fatalf("ChangeRole = (%q, %v)", demoted.Role(), err)
	}
	if _, err := f.admin.ChangeRole(f.ctx, b.ID(), b.ID(), domain.RoleUser); !errors.Is(err, domain.ErrLastAdmin) {
		t.Fatalf("demoting the remaining admin: %v", err)
	}
	if err := f.admin.DeleteUser(f.ctx, b.ID(), b.ID()); !errors.Is(err, domain.ErrLastAdmin) {
		t.Fatalf("deleting the remaining admin: %v", err)
	}
	// An admin keeping the admin role is no demotion.
	if _, err := f.admin.ChangeRole(f.ctx, b.ID(), b.ID(), domain.RoleAdmin); err != nil {
		t.Fatalf("re-setting admin on the last admin: %v", err)
	}
}

func TestAdminDeleteUserEndsSessions(t *testing.T) {
	f := newAppFixture(t, nil)
	root, err := f.admin.ProvisionUser(f.ctx, "root@example.com", appPassword, domain.RoleAdmin, "cli")
	if err != nil {
		t.Fatal(err)
	}
	u, tok := f.register("gone@example.com")
	if err := f.admin.DeleteUser(f.ctx, root.ID(), u.ID()); err != nil {
		t.Fatal(err)
	}
	f.refreshErr(tok.RefreshToken, domain.ErrRefreshInvalid)
	if _, err := f.auth.Login(f.ctx, ports.Credentials{Email: "gone@example.com", Password: appPassword}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Fatalf("deleted user logs in: %v", err)
	}
	if ev := f.audit.of(domain.AuditUserDeleted); len(ev) != 1 || ev[0].UserID != u.ID() || ev[0].ActorID != root.ID() {
		t.Fatalf("deletion audit = %+v", ev)
	}
	for _, id := range []string{u.ID(), "00000000-0000-4000-8000-000000000000", "not-a-uuid", ""} {
		if err := f.admin.DeleteUser(f.ctx, root.ID(), id); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("DeleteUser(%q) = %v, want ErrNotFound", id, err)
		}
		if _, err := f.admin.ChangeRole(f.ctx, root.ID(), id, "editor"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ChangeRole(%q) = %v, want ErrNotFound", id, err)
		}
	}
}

func TestAdminRefusesInvalidRoles(t *testing.T) {
	f := newAppFixture(t, nil)
	root, err := f.admin.ProvisionUser(f.ctx, "root@example.com", appPassword, domain.RoleAdmin, "cli")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := f.register("r@example.com")
	for _, role := range []domain.Role{"", "Admin", "has space", "9lives"} {
		var v *domain.ValidationError
		if _, err := f.admin.ChangeRole(f.ctx, root.ID(), u.ID(), role); !errors.As(err, &v) || v.Field != "role" {
			t.Errorf("ChangeRole(%q) = %v, want a validation error on role", role, err)
		}
		if _, err := f.admin.CreateUser(f.ctx, "x@example.com", appPassword, role, root.ID()); !errors.As(err, &v) || v.Field != "role" {
			t.Errorf("CreateUser(role %q) = %v, want a validation error on role", role, err)
		}
		if _, err := f.admin.ProvisionUser(f.ctx, "x@example.com", appPassword, role, "cli"); !errors.As(err, &v) || v.Field != "role" {
			t.Errorf("ProvisionUser(role %q) = %v, want a validation error on role", role, err)
		}
	}
	if _, err := f.admin.CreateUser(f.ctx, "R@example.com", appPassword, "editor", root.ID()); !errors.Is(err, domain.ErrEmailTaken) {
		t.Errorf("CreateUser with a taken email: %v", err)
	}
}

func TestAdminListUsersPaging(t *testing.T) {
	f := newAppFixture(t, nil)
	var want []string
	for i := range 7 {
		role := domain.RoleUser
		if i == 0 {
			role = domain.RoleAdmin // the one listing
		}
		u, err := f.admin.ProvisionUser(f.ctx, fmt.Sprintf("user%d@example.com", i), appPassword, role, "cli")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, u.ID())
		f.clock.Advance(time.Second)
	}
	actor := want[0]
	slices.Sort(want)

	var got []string
	var sizes []int
	cursor := ""
	for page := 0; ; page++ {
		users, next, err := f.admin.ListUsers(f.ctx, actor, cursor, 3)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(users))
		for _, u := range users {
			got = append(got, u.ID())
		}
		if next == "" {
			break
		}
		if next != users[len(users)-1].ID() {
			t.Fatalf("page %d: cursor %q is not the last id of the page", page, next)
		}
		if page > 7 {
			t.Fatal("paging does not end")
		}
		cursor = next
	}
	if !slices.Equal(got, want) || !slices.Equal(sizes, []int{3, 3, 1}) {
		t.Fatalf("pages %v gave %v, want every user once in id order %v", sizes, got, want)
	}

	// A page that is exactly the rest has no next cursor.
	if users, next, err := f.admin.ListUsers(f.ctx, actor, "", 7); err != nil || len(users) != 7 || next != "" {
		t.Fatalf("ListUsers(limit 7) = %d users, next %q, %v", len(users), next, err)
	}
	if users, next, err := f.admin.ListUsers(f.ctx, actor, want[5], 3); err != nil || len(users) != 1 || users[0].ID() != want[6] || next != "" {
		t.Fatalf("ListUsers(after the 6th) = %d users, next %q, %v", len(users), next, err)
	}
	// The default page size covers them all.
	if users, next, err := f.admin.ListUsers(f.ctx, actor, "", 0); err != nil || len(users) != 7 || next != "" {
		t.Fatalf("ListUsers(limit 0) = %d users, next %q, %v", len(users), next, err)
	}
	for _, tt := range []struct {
		cursor string
		limit  int
		field  string
	}{
		{"", -1, "limit"},
		{"", application.MaxPageSize + 1, "limit"},
		{"not-a-cursor", 3, "cursor"},
		{"01234567-89AB-CDEF-FEDC-BA9876543210", 3, "cursor"},
	} {
		var v *domain.ValidationError
		if _, _, err := f.admin.ListUsers(f.ctx, actor, tt.cursor, tt.limit); !errors.As(err, &v) || v.Field != tt.field {
			t.Errorf("ListUsers(%q, %d) = %v, want a validation error on %s", tt.cursor, tt.limit, err, tt.field)
		}
	}
	if users, _, err := f.admin.ListUsers(f.ctx, actor, "", application.MaxPageSize); err != nil || len(users) != 7 {
		t.Fatalf("ListUsers(MaxPageSize) = %d, %v", len(users), err)
	}
}
