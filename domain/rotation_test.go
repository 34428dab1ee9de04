package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

// rotT0 is the instant the rotation tables are built around.
var rotT0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

var rotPolicy = domain.SessionPolicy{RefreshTTL: time.Hour, MaxAge: 24 * time.Hour, Grace: 10 * time.Second}

// rotRow is a stored session at generation gen, last rotated at rotT0
// (unless gen is 1, which was never rotated), idle-expiring an hour later.
func rotRow(gen uint64, edit func(*domain.SessionState)) domain.Session {
	st := domain.SessionState{
		ID: "0b9d5f3e-4c1a-4e2b-9a7d-3f6c8e1b2a40", UserID: "5f0e7d2c-1b3a-4c5d-8e9f-0a1b2c3d4e5f",
		Generation: gen, Salt: make([]byte, domain.SaltSize),
		CreatedAt: rotT0.Add(-time.Hour), LastUsedAt: rotT0,
		ExpiresAt: rotT0.Add(time.Hour), MaxExpiresAt: rotT0.Add(23 * time.Hour),
	}
	if gen > 1 {
		st.RotatedAt = rotT0
	} else {
		st.CreatedAt = rotT0
	}
	if edit != nil {
		edit(&st)
	}
	return domain.RestoreSession(st)
}

func TestDecideRefresh(t *testing.T) {
	revoked := func(st *domain.SessionState) {
		st.RevokedAt, st.RevokeReason = rotT0.Add(time.Second), domain.RevokeLogout
	}
	tests := []struct {
		name    string
		row     domain.Session
		g       uint64
		now     time.Time
		want    domain.RefreshDecision
		wantErr error
	}{
		{name: "current generation rotates", row: rotRow(3, nil), g: 3, now: rotT0.Add(5 * time.Minute), want: domain.DecideRotate},
		{name: "first token of a fresh session rotates", row: rotRow(1, nil), g: 1, now: rotT0.Add(time.Minute), want: domain.DecideRotate},
		{name: "current generation rotates within grace too", row: rotRow(3, nil), g: 3, now: rotT0.Add(time.Second), want: domain.DecideRotate},
		{name: "just-spent token within grace replays", row: rotRow(3, nil), g: 2, now: rotT0.Add(5 * time.Second), want: domain.DecideReplay},
		{name: "just-spent token at the instant of rotation replays", row: rotRow(3, nil), g: 2, now: rotT0, want: domain.DecideReplay},
		{name: "just-spent token exactly at the grace boundary replays", row: rotRow(3, nil), g: 2, now: rotT0.Add(10 * time.Second), want: domain.DecideReplay},
		{name: "just-spent token a nanosecond after grace is reuse", row: rotRow(3, nil), g: 2, now: rotT0.Add(10*time.Second + time.Nanosecond), want: domain.DecideRevoke},
		{name: "just-spent token after grace is reuse", row: rotRow(3, nil), g: 2, now: rotT0.Add(time.Minute), want: domain.DecideRevoke},
		{name: "older generation within grace is reuse", row: rotRow(3, nil), g: 1, now: rotT0.Add(time.Second), want: domain.DecideRevoke},
		{name: "much older generation is reuse", row: rotRow(40, nil), g: 2, now: rotT0.Add(time.Minute), want: domain.DecideRevoke},
		{name: "row without a rotation time never replays", row: rotRow(2, func(st *domain.SessionState) { st.RotatedAt = time.Time{} }),
			g: 1, now: rotT0.Add(time.Second), want: domain.DecideRevoke},

		{name: "revoked row, current token", row: rotRow(3, revoked), g: 3, now: rotT0.Add(2 * time.Second), wantErr: domain.ErrRefreshInvalid},
		{name: "revoked row, just-spent token within grace", row: rotRow(3, revoked), g: 2, now: rotT0.Add(2 * time.Second), wantErr: domain.ErrRefreshInvalid},
		{name: "revoked row, older token", row: rotRow(3, revoked), g: 1, now: rotT0.Add(2 * time.Second), wantErr: domain.ErrRefreshInvalid},
		{name: "revoked and expired row is invalid, not expired", row: rotRow(3, revoked), g: 3, now: rotT0.Add(48 * time.Hour), wantErr: domain.ErrRefreshInvalid},

		{name: "idle-expired row at its expiry instant", row: rotRow(3, nil), g: 3, now: rotT0.Add(time.Hour), wantErr: domain.ErrRefreshExpired},
		{name: "idle expiry not yet reached", row: rotRow(3, nil), g: 3, now: rotT0.Add(time.Hour - time.Nanosecond), want: domain.DecideRotate},
		{name: "idle-expired row, old token is expired not reuse", row: rotRow(3, nil), g: 1, now: rotT0.Add(2 * time.Hour), wantErr: domain.ErrRefreshExpired},
		{name: "past absolute max age", row: rotRow(3, func(st *domain.SessionState) {
			st.ExpiresAt, st.MaxExpiresAt = rotT0.Add(time.Hour), rotT0.Add(30*time.Minute)
		}), g: 3, now: rotT0.Add(30 * time.Minute), wantErr: domain.ErrRefreshExpired},
		{name: "before absolute max age", row: rotRow(3, func(st *domain.SessionState) {
			st.ExpiresAt, st.MaxExpiresAt = rotT0.Add(time.Hour), rotT0.Add(30*time.Minute)
		}), g: 3, now: rotT0.Add(30*time.Minute - time.Microsecond), want: domain.DecideRotate},
		{name: "no max age set", row: rotRow(3, func(st *domain.SessionState) {
			st.ExpiresAt, st.MaxExpiresAt = rotT0.Add(1000*time.Hour), time.Time{}
		}), g: 3, now: rotT0.Add(999 * time.Hour), want: domain.DecideRotate},

		{name: "generation ahead of the row", row: rotRow(3, nil), g: 4, now: rotT0.Add(time.Second), wantErr: domain.ErrRefreshInvalid},
		{name: "generation far ahead of the row", row: rotRow(3, nil), g: ^uint64(0), now: rotT0.Add(time.Second), wantErr: domain.ErrRefreshInvalid},
		{name: "generation zero", row: rotRow(3, nil), g: 0, now: rotT0.Add(time.Second), wantErr: domain.ErrRefreshInvalid},
		{name: "never-rotated row: g = G-1 is generation zero", row: rotRow(1, nil), g: 0, now: rotT0, wantErr: domain.ErrRefreshInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := domain.DecideRefresh(tt.row, tt.g, tt.now, rotPolicy)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || got != 0 {
					t.Fatalf("DecideRefresh = (%v, %v), want (0, %v)", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("DecideRefresh = (%v, %v), want (%v, nil)", got, err, tt.want)
			}
		})
	}
}

// A rotation then a replay of the spent token, as the application chains
// them: the successor row produced by Rotated replays the spent generation.
func TestDecideRefreshAfterRotated(t *testing.T) {
	s, err := domain.NewSession(rotRow(1, nil).ID(), "u", make([]byte, domain.SaltSize), domain.Client{}, rotT0, rotPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := domain.DecideRefresh(s, 1, rotT0.Add(time.Minute), rotPolicy); d != domain.DecideRotate || err != nil {
		t.Fatalf("fresh session: (%v, %v), want rotate", d, err)
	}
	next := s.Rotated(rotT0.Add(time.Minute), rotPolicy, domain.Client{})
	if d, err := domain.DecideRefresh(next, 1, rotT0.Add(time.Minute+rotPolicy.Grace), rotPolicy); d != domain.DecideReplay || err != nil {
		t.Fatalf("spent token at grace end: (%v, %v), want replay", d, err)
	}
	if d, err := domain.DecideRefresh(next, 1, rotT0.Add(time.Minute+rotPolicy.Grace+time.Microsecond), rotPolicy); d != domain.DecideRevoke || err != nil {
		t.Fatalf("spent token after grace: (%v, %v), want revoke", d, err)
	}
	if d, err := domain.DecideRefresh(next, 2, rotT0.Add(2*time.Minute), rotPolicy); d != domain.DecideRotate || err != nil {
		t.Fatalf("successor token: (%v, %v), want rotate", d, err)
	}
}
