package application_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	f := newAppFixture(t, nil)
	u, current := f.register("pw@example.com")
	f.clock.Advance(time.Second)
	other1 := f.login("pw@example.com", appPassword)
	other2 := f.login("pw@example.com", appPassword)
	_, stranger := f.register("stranger@example.com")

	const next = "a brand new passphrase"
	if err := f.accounts.ChangePassword(f.ctx, u.ID(), current.SessionID, appPassword, next, domain.Client{}); err != nil {
		t.Fatal(err)
	}
	f.mustLive(current.SessionID)
	f.mustRevoked(other1.SessionID, domain.RevokePasswordChange)
	f.mustRevoked(other2.SessionID, domain.RevokePasswordChange)
	f.mustLive(stranger.SessionID)
	f.refresh(current.RefreshToken)
	f.refreshErr(other1.RefreshToken, domain.ErrRefreshInvalid)

	if _, err := f.auth.Login(f.ctx, ports.Credentials{Email: "pw@example.com", Password: appPassword}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Fatalf("old password still logs in: %v", err)
	}
	f.login("pw@example.com", next)
	if ev := f.audit.of(domain.AuditPasswordChanged); len(ev) != 1 || ev[0].UserID != u.ID() ||
		ev[0].SessionID != current.SessionID || ev[0].Detail["sessionsEnded"] != "2" {
		t.Fatalf("password audit = %+v", ev)
	}
}

func TestChangePasswordRefuses(t *testing.T) {
	f := newAppFixture(t, nil)
	u, current := f.register("pw2@example.com")
	other := f.login("pw2@example.com", appPassword)
	tests := []struct {
		name, current, next string
		want                error
		field               string
	}{
		{name: "wrong current password", current: "not my password", next: "another passphrase", want: domain.ErrInvalidCredentials},
		{name: "over-long current password", current: appPassword + strings.Repeat("x", 60), next: "another passphrase", want: domain.ErrInvalidCredentials},
		{name: "new password too short", current: appPassword, next: "short", want: domain.ErrPasswordTooShort},
		{name: "new password too long", current: appPassword, next: strings.Repeat("n", 73), want: domain.ErrPasswordTooLong},
		{name: "current password missing", current: "", next: "another passphrase", field: "currentPassword"},
		{name: "new password missing", current: appPassword, next: "", field: "newPassword"},
		{name: "new password with U+FFFD", current: appPassword, next: "another passphrase\ufffd", field: "newPassword"},
		{name: "current password with U+FFFD", current: appPassword + "\ufffd", next: "another passphrase", want: domain.ErrInvalidCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.accounts.ChangePassword(f.ctx, u.ID(), current.SessionID, tt.current, tt.next, domain.Client{})
			if tt.field != "" {
				var v *domain.ValidationError
				if !errors.As(err, &v) || v.Field != tt.field {
					t.Fatalf("ChangePassword = %v, want a validation error on %s", err, tt.field)
				}
			} else if !errors.Is(err, tt.want) {
				t.Fatalf("ChangePassword = %v, want %v", err, tt.want)
			}
		})
	}
	f.mustLive(other.SessionID)
	f.login("pw2@example.com", appPassword)
	if n := len(f.audit.of(domain.AuditPasswordChanged)); n != 0 {
		t.Fatalf("%d password changes audited for refused changes", n)
	}
	// A deleted user's still-valid access token cannot change anything.
	if err := f.accounts.ChangePassword(f.ctx, "00000000-0000-4000-8000-000000000000", "", appPassword, "another passphrase", domain.Client{}); !errors.Is(err, domain.ErrTokenInvalid) {
		t.Fatalf("unknown user: %v, want ErrTokenInvalid", err)
	}
}

func TestAccountSessions(t *testing.T) {
	f := newAppFixture(t, nil)
	u, first := f.register("me@example.com")
	f.clock.Advance(time.Second)
	second := f.login("me@example.com", appPassword)
	_, stranger := f.register("other@example.com")

	me, err := f.accounts.Me(f.ctx, u.ID())
	if err != nil || me.ID() != u.ID() || me.Email().String() != "me@example.com" {
		t.Fatalf("Me = (%+v, %v)", me.State(), err)
	}
	live, err := f.accounts.Sessions(f.ctx, u.ID())
	if err != nil || len(live) != 2 || live[0].ID() != second.SessionID || live[1].ID() != first.SessionID {
		t.Fatalf("Sessions = %d, %v; want both, newest first", len(live), err)
	}
	// Another user's session, an unknown one and a malformed id all look the same.
	for _, id := range []string{stranger.SessionID, "00000000-0000-4000-8000-000000000000", "not-an-id"} {
		if err := f.accounts.EndSession(f.ctx, u.ID(), id); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("EndSession(%q) = %v, want ErrNotFound", id, err)
		}
	}
	f.mustLive(stranger.SessionID)
	if err := f.accounts.EndSession(f.ctx, u.ID(), first.SessionID); err != nil {
		t.Fatal(err)
	}
	f.mustRevoked(first.SessionID, domain.RevokeEnded)
	if err := f.accounts.EndSession(f.ctx, u.ID(), first.SessionID); err != nil {
		t.Fatalf("ending an ended session again: %v", err)
	}
	if n := len(f.audit.of(domain.AuditSessionEnded)); n != 1 {
		t.Fatalf("%d session-ended events, want 1", n)
	}
	if live, _ := f.accounts.Sessions(f.ctx, u.ID()); len(live) != 1 || live[0].ID() != second.SessionID {
		t.Fatalf("after ending one, live = %d", len(live))
	}
	if _, err := f.accounts.Me(f.ctx, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, domain.ErrTokenInvalid) {
		t.Fatalf("Me(deleted user) = %v, want ErrTokenInvalid", err)
	}
}
