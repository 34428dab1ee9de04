package contract

import (
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

func runTokenRaces(t *testing.T, open func(t *testing.T) Backend) {
	leaf(t, "20 concurrent resets with one token: exactly one wins", open, func(f fixture) {
		u := f.user("race@example.com", domain.RoleUser)
		f.session(u.ID(), t0, policy)
		tok := f.token(u.ID(), domain.PurposeResetPassword, t0, time.Hour)
		now := t0.Add(time.Second)
		ended := make([]int, 20)
		wins, errs := race(20, func(i int) (bool, error) {
			n, won, err := f.b.Tokens.SpendReset(f.ctx, tok, "$2a$04$racer", now)
			ended[i] = n
			return won, err
		})
		if wins != 1 || len(errs) > 0 {
			f.t.Fatalf("wins = %d (want 1), errors = %v", wins, errs)
		}
		total := 0
		for _, n := range ended {
			total += n
		}
		if total != 1 {
			f.t.Errorf("sessions ended over all racers = %d, want 1", total)
		}
	})
	leaf(t, "two reset links of one user spent at once: one wins, no deadlock", open, func(f fixture) {
		for round := 0; round < 5; round++ {
			u := f.user("pair"+string(rune('a'+round))+"@example.com", domain.RoleUser)
			f.session(u.ID(), t0, policy)
			pair := []domain.OneTimeToken{
				f.token(u.ID(), domain.PurposeResetPassword, t0, time.Hour),
				f.token(u.ID(), domain.PurposeResetPassword, t0, time.Hour),
			}
			wins, errs := race(2, func(i int) (bool, error) {
				_, won, err := f.b.Tokens.SpendReset(f.ctx, pair[i], "$2a$04$pair", t0.Add(time.Second))
				return won, err
			})
			if wins != 1 || len(errs) > 0 {
				f.t.Fatalf("round %d: wins = %d (want 1), errors = %v", round, wins, errs)
			}
		}
	})
	leaf(t, "concurrent verifications with one token: exactly one wins", open, func(f fixture) {
		u := f.user("vrace@example.com", domain.RoleUser)
		tok := f.token(u.ID(), domain.PurposeVerifyEmail, t0, time.Hour)
		wins, errs := race(20, func(int) (bool, error) {
			return f.b.Tokens.SpendVerification(f.ctx, tok, t0.Add(time.Second))
		})
		if wins != 1 || len(errs) > 0 {
			f.t.Fatalf("wins = %d (want 1), errors = %v", wins, errs)
		}
	})
}
