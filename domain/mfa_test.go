package domain_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

// stepStart is the first instant of TOTP step n.
func stepStart(n uint64) time.Time { return time.Unix(int64(n)*30, 0).UTC() }

func TestTOTPStepBoundaries(t *testing.T) {
	const n = 58_000_000
	tests := []struct {
		at   time.Time
		want uint64
	}{
		{stepStart(n), n},
		{stepStart(n).Add(29*time.Second + 999*time.Millisecond), n},
		{stepStart(n + 1), n + 1},
		{stepStart(n).Add(-time.Nanosecond), n - 1},
		{time.Unix(-1, 0), 0},
	}
	for _, tt := range tests {
		if got := domain.TOTPStep(tt.at); got != tt.want {
			t.Errorf("TOTPStep(%v) = %d, want %d", tt.at, got, tt.want)
		}
	}
}

func TestMFACandidateStepsSkipAcceptedOnes(t *testing.T) {
	const n = 58_000_000
	now := stepStart(n).Add(10 * time.Second)
	pending, err := domain.NewPendingMFA(sessTestUser, []byte("sealed"), now)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		last uint64
		want []uint64
	}{
		{"nothing accepted yet", 0, []uint64{n - 1, n, n + 1}},
		{"the previous step accepted", n - 1, []uint64{n, n + 1}},
		{"the current step accepted", n, []uint64{n + 1}},
		{"the next step accepted", n + 1, []uint64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := pending
			if tt.last > 0 {
				m = pending.Enable(tt.last, now)
			}
			if got := m.CandidateSteps(now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("CandidateSteps = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMFAEnable(t *testing.T) {
	now := sessNanoTime
	m, err := domain.NewPendingMFA(sessTestUser, []byte("sealed"), now)
	if err != nil {
		t.Fatal(err)
	}
	if m.Enabled() {
		t.Fatal("a new enrolment is enabled")
	}
	on := m.Enable(42, now.Add(time.Minute))
	if !on.Enabled() || on.LastStep() != 42 || !on.EnabledAt().Equal(domain.Truncate(now.Add(time.Minute))) {
		t.Fatalf("enabled state: %+v", on.State())
	}
	if m.Enabled() {
		t.Fatal("Enable changed its receiver")
	}
	if _, err := domain.NewPendingMFA("", []byte("x"), now); err == nil {
		t.Error("an enrolment without user was accepted")
	}
	if _, err := domain.NewPendingMFA(sessTestUser, nil, now); err == nil {
		t.Error("an enrolment without secret was accepted")
	}
}

// challengeUser is the account the challenge tests log in to.
func challengeUser(t *testing.T) domain.User {
	t.Helper()
	email, err := domain.NewEmail("mfa@example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := domain.NewUser(sessTestUser, email, "$2a$04$hash", domain.RoleUser, sessNanoTime)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestMFAChallengeRule(t *testing.T) {
	now := sessNanoTime
	raw, c, err := domain.NewMFAChallenge(rand.Reader, challengeUser(t), "", true, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != domain.MFATokenLen || strings.Contains(string(c.Hash()), raw) {
		t.Fatalf("token %q (len %d)", raw, len(raw))
	}
	hash, err := domain.MFATokenHash(raw)
	if err != nil || !bytes.Equal(hash, c.Hash()) {
		t.Fatalf("MFATokenHash = %x, %v; want the challenge's hash", hash, err)
	}
	st := c.State()
	tests := []struct {
		name   string
		edit   func(*domain.MFAChallengeState)
		at     time.Time
		usable bool
	}{
		{"fresh", nil, now, true},
		{"a microsecond before expiry", nil, now.Add(domain.MFAChallengeTTL - time.Microsecond), true},
		{"at expiry", nil, domain.Truncate(now).Add(domain.MFAChallengeTTL), false},
		{"four codes tried", func(s *domain.MFAChallengeState) { s.Attempts = domain.MaxMFAAttempts - 1 }, now, true},
		{"five codes tried", func(s *domain.MFAChallengeState) { s.Attempts = domain.MaxMFAAttempts }, now, false},
		{"spent", func(s *domain.MFAChallengeState) { s.UsedAt = now }, now, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := st
			if tt.edit != nil {
				tt.edit(&s)
			}
			if got := domain.RestoreMFAChallenge(s).Usable(tt.at); got != tt.usable {
				t.Errorf("Usable = %v, want %v", got, tt.usable)
			}
		})
	}
	if got := c.ExpiresIn(now.Add(time.Hour)); got != 0 {
		t.Errorf("ExpiresIn long after expiry = %v, want 0", got)
	}
}

// TestMFAChallengeIsForThePasswordOfItsLogin: a password changed between
// the two steps voids the second.
func TestMFAChallengeIsForThePasswordOfItsLogin(t *testing.T) {
	u := challengeUser(t)
	_, c, err := domain.NewMFAChallenge(rand.Reader, u, "", false, sessNanoTime)
	if err != nil {
		t.Fatal(err)
	}
	if !c.IssuedFor(u) || !domain.RestoreMFAChallenge(c.State()).IssuedFor(u) {
		t.Fatal("a challenge is not for the user it was made for")
	}
	if c.IssuedFor(u.WithPasswordHash("$2a$04$other", sessNanoTime)) {
		t.Fatal("a challenge outlived a password change")
	}
	if bytes.Contains(c.State().Credential, []byte(u.PasswordHash())) {
		t.Fatal("the challenge holds the password hash")
	}
}

func TestMFATokenHashRefusesWhatWasNeverMinted(t *testing.T) {
	raw, _, err := domain.NewMFAChallenge(rand.Reader, challengeUser(t), "", false, sessNanoTime)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "mfa1.", raw[:len(raw)-1], raw + "A", "mfa2." + raw[5:],
		raw[:len(raw)-1] + "=", raw[:10] + "*" + raw[11:], strings.Repeat("a", 10_000)} {
		if _, err := domain.MFATokenHash(bad); !errors.Is(err, domain.ErrMFATokenInvalid) {
			t.Errorf("MFATokenHash(%.20q) = %v, want ErrMFATokenInvalid", bad, err)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, err := domain.NewRecoveryCodes(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != domain.RecoveryCodeCount {
		t.Fatalf("%d codes", len(codes))
	}
	seen := map[string]bool{}
	for _, c := range codes {
		canon, ok := domain.NormaliseRecoveryCode(c)
		if !ok || len(c) != 19 || seen[canon] {
			t.Fatalf("code %q: canonical %q ok=%v duplicate=%v", c, canon, ok, seen[canon])
		}
		seen[canon] = true
		typed, ok := domain.NormaliseRecoveryCode(" " + strings.ToUpper(strings.ReplaceAll(c, "-", " ")) + " ")
		if !ok || typed != canon {
			t.Errorf("typed form of %q normalises to %q, want %q", c, typed, canon)
		}
	}
	if a, _ := domain.NormaliseRecoveryCode("oooo-iiii-llll-0000"); a != "0000111111110000" {
		t.Errorf("look-alikes read as %q", a)
	}
	for _, bad := range []string{"", "123456", "abcd-efgh-jkmn-pqr", "abcd-efgh-jkmn-pqrst", "abcd-efgh-jkmn-pqru", "äbcd-efgh-jkmn-pqrs"} {
		if c, ok := domain.NormaliseRecoveryCode(bad); ok {
			t.Errorf("NormaliseRecoveryCode(%q) = %q, want refused", bad, c)
		}
	}
}

func TestIsTOTPCode(t *testing.T) {
	for code, want := range map[string]bool{"123456": true, "000000": true, "12345": false, "1234567": false,
		"12345a": false, "١٢٣٤٥٦": false, "": false} {
		if got := domain.IsTOTPCode(code); got != want {
			t.Errorf("IsTOTPCode(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestSessionKeepsAMRAcrossRotation(t *testing.T) {
	p := domain.SessionPolicy{RefreshTTL: time.Hour}
	s, err := domain.NewSession(sessTestID, sessTestUser, sessSalt(1), domain.Client{}, sessNanoTime, p)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.AMR(); !reflect.DeepEqual(got, []string{"pwd"}) {
		t.Fatalf("new session amr = %v", got)
	}
	s = s.WithAMR(domain.AMRPasswordAndTOTP())
	next := s.Rotated(sessNanoTime.Add(time.Minute), p, domain.Client{})
	if got := next.AMR(); !reflect.DeepEqual(got, []string{"pwd", "otp", "mfa"}) || !domain.HasMFA(got) {
		t.Fatalf("rotated session amr = %v", got)
	}
	if got := domain.RestoreSession(domain.SessionState{ID: sessTestID}).AMR(); !reflect.DeepEqual(got, []string{"pwd"}) {
		t.Fatalf("stored session without amr reads as %v", got)
	}
}
