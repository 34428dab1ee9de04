package ports

import (
	"context"
	"time"

	"github.com/authd-dev/authd/domain"
)

// TOTPKey is a new TOTP secret (base32, as authenticator apps take it when
// typed) and its otpauth:// URL (the Key Uri Format apps read from a QR code).
type TOTPKey struct {
	Secret string
	URL    string
}

// OTP makes and checks TOTP codes (RFC 6238 with domain.TOTPDigits digits
// and domain.TOTPPeriod steps, SHA-1).
type OTP interface {
	// NewKey draws a new random secret for account (the user's email),
	// named with the configured issuer in its URL.
	NewKey(account string) (TOTPKey, error)
	// Match returns the first of steps (in the order given) whose code for
	// secret equals code, each compared in constant time. A code that is
	// not domain.TOTPDigits digits, or a secret that is not base32, matches
	// nothing.
	Match(secret, code string, steps []uint64) (uint64, bool)
}

// SecretSealer protects MFA secrets at rest, with keys derived from the
// refresh secret and its retired predecessors: TOTP secrets are encrypted,
// recovery codes only digested, so a copy of the database yields neither.
type SecretSealer interface {
	// Seal encrypts plain under the current key, bound to binding (the user
	// id): a sealed value copied to another user's row does not open. The
	// result names its key.
	Seal(plain []byte, binding string) ([]byte, error)
	// Open decrypts what Seal made under the current or a retired key and
	// says whether that key is the current one (if not, the caller re-seals
	// it). A tampered value, another binding, or a key no longer configured
	// is an error.
	Open(sealed []byte, binding string) (plain []byte, current bool, err error)
	// Digests returns the keyed digests of a canonical recovery code of
	// binding, under the current key first, then each retired one; a code
	// is stored under the first.
	Digests(code, binding string) [][]byte
}

// MFARepository stores users' TOTP enrolments and recovery codes. A user's
// deletion removes them (UserRepository.Delete).
type MFARepository interface {
	// ByUser returns userID's enrolment, pending or enabled, or
	// domain.ErrNotFound.
	ByUser(ctx context.Context, userID string) (domain.MFA, error)
	// UserWithMFA returns the user with id and whether it has MFA enabled,
	// in one read (GET /v1/auth/me shows both), or domain.ErrNotFound.
	UserWithMFA(ctx context.Context, id string) (domain.User, bool, error)
	// SavePending stores m as its user's pending enrolment, replacing a
	// pending one (with its recovery codes, if any). An enabled one exists:
	// domain.ErrMFAAlreadyEnabled, nothing changes. Unknown user:
	// domain.ErrNotFound.
	SavePending(ctx context.Context, m domain.MFA) error
	// Enable stores on (the enabled successor of a pending enrolment) and
	// replaces its user's recovery codes with codes (digests), in one
	// transaction, if and only if the stored enrolment is still that
	// pending one (same sealed secret, not enabled). It reports whether it
	// did; a lost race (re-enrolled, already enabled, removed) is (false, nil).
	Enable(ctx context.Context, on domain.MFA, codes [][]byte) (bool, error)
	// AcceptStep records step as userID's last accepted TOTP step if and
	// only if the enrolment is enabled and its last step is lower, in one
	// conditional update, and reports whether it did: of two requests with
	// one code, one wins; a replay is (false, nil).
	AcceptStep(ctx context.Context, userID string, step uint64, now time.Time) (bool, error)
	// Reseal replaces userID's sealed secret old by new (the same secret
	// under a newer key) if it is still old; it reports whether it did.
	Reseal(ctx context.Context, userID string, old, new []byte, now time.Time) (bool, error)
	// SpendRecoveryCode marks one unused recovery code of userID whose
	// digest is among digests as used at now, in one conditional update, if
	// the enrolment is enabled; it reports whether it did (false: no such
	// code, already used, or lost to a parallel spend).
	SpendRecoveryCode(ctx context.Context, userID string, digests [][]byte, now time.Time) (bool, error)
	// ReplaceRecoveryCodes replaces every recovery code of userID by codes
	// (digests) in one transaction. No enabled enrolment:
	// domain.ErrMFANotEnabled, nothing changes.
	ReplaceRecoveryCodes(ctx context.Context, userID string, codes [][]byte, now time.Time) error
	// RecoveryCodesLeft counts userID's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, userID string) (int, error)
	// Delete removes userID's enrolment and recovery codes; it reports
	// whether there was an enrolment.
	Delete(ctx context.Context, userID string) (bool, error)
	// Reset removes userID's enrolment and recovery codes and ends every
	// unrevoked session of userID with reason, in one transaction. It
	// reports whether there was an enrolment and how many sessions it ended.
	Reset(ctx context.Context, userID string, now time.Time, reason string) (removed bool, ended int, err error)
}

// MFAChallengeRepository stores pending second login steps.
type MFAChallengeRepository interface {
	// Create inserts c. A challenge of an unknown user is domain.ErrNotFound.
	Create(ctx context.Context, c domain.MFAChallenge) error
	// ByHash returns the challenge whose token hashes to hash, or
	// domain.ErrNotFound.
	ByHash(ctx context.Context, hash []byte) (domain.MFAChallenge, error)
	// Attempt counts one code tried on the challenge if and only if it is
	// usable at now (domain.MFAChallenge.Usable: unspent, unexpired, fewer
	// than domain.MaxMFAAttempts tries), in one conditional update, and
	// reports whether it did. Of parallel tries, at most the remaining
	// budget win; the others are (false, nil).
	Attempt(ctx context.Context, hash []byte, now time.Time) (bool, error)
	// Spend marks the challenge used at now if and only if it is unspent and
	// unexpired, in one conditional update; it reports whether this call did.
	Spend(ctx context.Context, hash []byte, now time.Time) (bool, error)
	// Purge deletes at most limit challenges that expired before cutoff and
	// returns how many it deleted: fewer than limit means none are left. A
	// limit below 1 deletes nothing. Like SessionRepository.Purge, callers
	// loop over short batches.
	Purge(ctx context.Context, cutoff time.Time, limit int) (int, error)
}

// MFAProof is the second login step: the mfaToken of a login answered with
// domain.MFARequiredError and a TOTP or recovery code.
type MFAProof struct {
	Token  string
	Code   string
	Client domain.Client
}

// MFAService is the driving port for a signed-in user's second factor.
// userID is the caller's; a user that no longer exists is
// domain.ErrTokenInvalid. Codes are TOTP codes or recovery codes; a wrong,
// replayed or used one is domain.ErrMFACodeInvalid.
type MFAService interface {
	// Enroll starts (or restarts) a TOTP enrolment: a new secret, pending
	// until Confirm. MFA already on: domain.ErrMFAAlreadyEnabled.
	Enroll(ctx context.Context, userID string) (TOTPKey, error)
	// Confirm turns the pending enrolment on with a first TOTP code from it
	// and returns domain.RecoveryCodeCount recovery codes, shown only now.
	// Nothing pending: domain.ErrMFANotPending (domain.ErrMFAAlreadyEnabled
	// when it is on already).
	Confirm(ctx context.Context, userID, code string) ([]string, error)
	// Disable turns MFA off after checking the password and a code. A wrong
	// password is domain.ErrInvalidCredentials; wrong passwords and codes
	// are throttled like a password change's (*domain.RateLimitedError).
	// MFA off: domain.ErrMFANotEnabled.
	Disable(ctx context.Context, userID, sessionID, password, code string, client domain.Client) error
	// RegenerateRecoveryCodes replaces the recovery codes after the same
	// checks as Disable and returns the new ones.
	RegenerateRecoveryCodes(ctx context.Context, userID, sessionID, password, code string, client domain.Client) ([]string, error)
	// Enabled reports whether userID has MFA on.
	Enabled(ctx context.Context, userID string) (bool, error)
	// Status returns the caller's user and whether it has MFA on, in one
	// read.
	Status(ctx context.Context, userID string) (domain.User, bool, error)
}
