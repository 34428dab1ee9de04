package domain

import "time"

// TOTP parameters (RFC 6238): SHA-1, six digits, 30-second steps, which is
// what authenticator apps assume, and one step of tolerance either side of
// the server's for a phone's clock drift and the time it takes to type.
const (
	TOTPPeriod = 30 * time.Second
	TOTPDigits = 6
	TOTPSkew   = 1
)

// TOTPStep is the RFC 6238 time-step counter at t; 0 before 1970.
func TOTPStep(t time.Time) uint64 {
	if t.Unix() < 0 {
		return 0
	}
	return uint64(t.Unix()) / uint64(TOTPPeriod/time.Second)
}

// MFA is a user's TOTP enrolment: pending from enrol until a first code
// confirms it, then enabled.
type MFA struct {
	s MFAState
}

// MFAState is the plain form of MFA, for storage adapters.
type MFAState struct {
	UserID string
	// Secret is the TOTP secret sealed by a ports.SecretSealer, never the
	// plain secret.
	Secret    []byte
	EnabledAt time.Time // zero while pending
	// LastStep is the TOTP step of the last code accepted (0: none), so a
	// code is never accepted twice.
	LastStep  uint64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewPendingMFA starts an enrolment of userID with a sealed secret.
func NewPendingMFA(userID string, sealed []byte, now time.Time) (MFA, error) {
	if userID == "" || len(sealed) == 0 {
		return MFA{}, NewValidationError("mfa", "user id and sealed secret are required")
	}
	now = Truncate(now)
	return MFA{s: MFAState{UserID: userID, Secret: append([]byte(nil), sealed...), CreatedAt: now, UpdatedAt: now}}, nil
}

// RestoreMFA rebuilds an MFA from storage.
func RestoreMFA(st MFAState) MFA {
	st.Secret = append([]byte(nil), st.Secret...)
	st.EnabledAt, st.CreatedAt, st.UpdatedAt = Truncate(st.EnabledAt), Truncate(st.CreatedAt), Truncate(st.UpdatedAt)
	return MFA{s: st}
}

// State returns the plain form of m.
func (m MFA) State() MFAState {
	st := m.s
	st.Secret = append([]byte(nil), st.Secret...)
	return st
}

func (m MFA) UserID() string       { return m.s.UserID }
func (m MFA) Secret() []byte       { return append([]byte(nil), m.s.Secret...) }
func (m MFA) EnabledAt() time.Time { return m.s.EnabledAt }
func (m MFA) LastStep() uint64     { return m.s.LastStep }

// Enabled reports whether the enrolment was confirmed: logins need a
// second step from then on.
func (m MFA) Enabled() bool { return !m.s.EnabledAt.IsZero() }

// CandidateSteps are the TOTP steps a code presented at now may stand for:
// now's step and TOTPSkew either side, ascending, leaving out every step
// not after the last accepted one, so no code is accepted twice.
func (m MFA) CandidateSteps(now time.Time) []uint64 {
	cur := TOTPStep(now)
	out := make([]uint64, 0, 2*TOTPSkew+1)
	for d := -TOTPSkew; d <= TOTPSkew; d++ {
		if d < 0 && cur < uint64(-d) {
			continue
		}
		step := uint64(int64(cur) + int64(d))
		if step > m.s.LastStep {
			out = append(out, step)
		}
	}
	return out
}

// Enable returns the enrolment switched on at now; step, the confirming
// code's, counts as accepted.
func (m MFA) Enable(step uint64, now time.Time) MFA {
	st := m.State()
	st.EnabledAt, st.UpdatedAt, st.LastStep = Truncate(now), Truncate(now), step
	return MFA{s: st}
}

// WithSecret returns m with its secret sealed anew (under a newer key).
func (m MFA) WithSecret(sealed []byte, now time.Time) MFA {
	st := m.State()
	st.Secret, st.UpdatedAt = append([]byte(nil), sealed...), Truncate(now)
	return MFA{s: st}
}
