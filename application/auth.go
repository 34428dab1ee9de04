package application

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Policy is the configuration the use cases follow.
type Policy struct {
	Session          domain.SessionPolicy
	AccessTTL        time.Duration
	RegistrationOpen bool
	Login            domain.LoginLimits
	// MaxSessionsPerUser caps a user's live sessions: opening one more
	// ends the least recently used. 0 means no cap.
	MaxSessionsPerUser int
	// RequireVerifiedEmail refuses the login of an unverified account (after
	// its password) and opens no session at registration.
	RequireVerifiedEmail bool
	Links                LinkPolicy
}

// LinkPolicy shapes the one-time links mailed to users.
type LinkPolicy struct {
	URL       string        // the page links open; the token follows in the fragment
	VerifyTTL time.Duration // lifetime of an email verification link
	ResetTTL  time.Duration // lifetime of a password reset link
}

// Auth implements ports.AuthService.
type Auth struct {
	users    ports.UserRepository
	sessions ports.SessionRepository
	hasher   ports.PasswordHasher
	throttle ports.LoginThrottle
	audit    ports.AuditLog
	emails   ports.EmailNormaliser
	issuer   *issuer
	devices  domain.DeviceKey
	mfa      *MFA
	policy   Policy
	recovery *Recovery // mails the verification link of a new account
}

var _ ports.AuthService = (*Auth)(nil)

// NewAuth builds the token-flow use cases. Device tokens are MAC'd with a
// key derived from the refresh key. Every email from a client goes through
// emails, so equivalent spellings find the same account; mfa decides which
// logins need a second step and runs it. claims adds the embedding team's
// claims to every access token; nil adds none.
func NewAuth(users ports.UserRepository, sessions ports.SessionRepository, hasher ports.PasswordHasher,
	tokens ports.AccessTokenIssuer, key domain.RefreshKey, clock ports.Clock, throttle ports.LoginThrottle,
	audit ports.AuditLog, policy Policy, emails ports.EmailNormaliser, recovery *Recovery, mfa *MFA,
	claims ports.ClaimsHook) *Auth {
	return &Auth{
		users: users, sessions: sessions, hasher: hasher, throttle: throttle, audit: audit, policy: policy, emails: emails,
		devices: key.DeviceKey(),
		issuer: &issuer{tokens: tokens, key: key, clock: clock, sessions: sessions, audit: audit, claims: claims,
			policy: policy},
		recovery: recovery,
		mfa:      mfa,
	}
}

// Register creates a role-user account, opens its first session unless a
// verified email is required, and mails a verification link in the
// background (a mail server that is down does not fail the registration:
// the user can ask again, or reset the password, which verifies too).
func (a *Auth) Register(ctx context.Context, c ports.Credentials) (domain.User, ports.Tokens, error) {
	if !a.policy.RegistrationOpen {
		return domain.User{}, ports.Tokens{}, domain.ErrRegistrationClosed
	}
	u, err := createUser(ctx, a.users, a.hasher, a.issuer.clock, a.emails, c.Email, c.Password, domain.RoleUser, false)
	if err != nil {
		return domain.User{}, ports.Tokens{}, err
	}
	if a.policy.RequireVerifiedEmail {
		a.recovery.welcome(ctx, u)
		a.record(ctx, domain.AuditUserRegistered, u.ID(), "", c.Client.IP, "")
		return u, ports.Tokens{}, nil
	}
	// The client that created the account is its first device.
	tokens, err := a.signIn(ctx, u, c.Client, "", domain.AMRPasswordOnly())
	if err != nil {
		// Undo the account so a failed registration leaves storage as it was.
		if derr := a.users.Delete(context.WithoutCancel(ctx), u.ID()); derr != nil {
			err = errors.Join(err, fmt.Errorf("undo registration: %w", derr))
		}
		return domain.User{}, ports.Tokens{}, err
	}
	a.recovery.welcome(ctx, u)
	a.record(ctx, domain.AuditUserRegistered, u.ID(), tokens.SessionID, c.Client.IP, "")
	return u, tokens, nil
}

// Login checks credentials under the login throttle and opens a session;
// a success also hands out a device token. An account with MFA on gets a
// *domain.MFARequiredError instead, and VerifyMFA finishes the login.
func (a *Auth) Login(ctx context.Context, c ports.Credentials) (ports.Tokens, error) {
	email, err := a.emails.NormaliseEmail(c.Email)
	if err != nil {
		return ports.Tokens{}, err
	}
	if c.Password == "" {
		return ports.Tokens{}, domain.NewValidationError("password", "is required")
	}
	now := a.issuer.clock.Now()
	account := a.lookupAccount(ctx, email)
	device := a.trustedDevice(account, c.DeviceToken, now)
	rule := a.policy.Login.ForLogin(domain.LoginAttempt{Account: email.String(), Address: c.Client.IP, Device: device})
	if err := a.throttle.Check(ctx, rule.All(), now); err != nil {
		a.record(ctx, domain.AuditLoginFailed, "", "", c.Client.IP, "throttled")
		return ports.Tokens{}, err
	}
	u, mfaOn, err := a.passwordStep(ctx, account, c, rule)
	if err != nil {
		return ports.Tokens{}, err
	}
	// After the password, so the answer tells nothing to someone without it;
	// no device token either: the account cannot sign in yet.
	if a.policy.RequireVerifiedEmail && !u.EmailVerified() {
		a.record(ctx, domain.AuditLoginFailed, u.ID(), "", c.Client.IP, "email_not_verified")
		return ports.Tokens{}, domain.ErrEmailNotVerified
	}
	u = a.upgradeHash(ctx, u, c.Password)
	if mfaOn {
		return ports.Tokens{}, a.mfa.challenge(ctx, u, device, c)
	}
	tokens, err := a.signIn(ctx, u, c.Client, device, domain.AMRPasswordOnly())
	if err != nil {
		return ports.Tokens{}, err
	}
	a.record(ctx, domain.AuditLoginSucceeded, u.ID(), tokens.SessionID, c.Client.IP, "")
	return tokens, nil
}

// passwordStep checks the password and settles the throttle: a wrong one
// counts everywhere, a right one forgives the client's own counters unless
// a second step is still due (then every counter is only released, so a
// password alone never resets what a code guesser has run up).
func (a *Auth) passwordStep(ctx context.Context, account accountLookup, c ports.Credentials, rule domain.ThrottleRule) (domain.User, bool, error) {
	u, reason, err := a.checkPassword(ctx, account, c.Password)
	if err != nil {
		settle(ctx, a.throttle, rule, err, a.issuer.clock.Now())
		if errors.Is(err, domain.ErrInvalidCredentials) {
			a.record(ctx, domain.AuditLoginFailed, u.ID(), "", c.Client.IP, reason)
		}
		return domain.User{}, false, err
	}
	mfaOn, err := a.mfa.Enabled(ctx, u.ID())
	if err != nil || mfaOn {
		a.throttle.Release(ctx, rule.All(), a.issuer.clock.Now())
		return u, mfaOn, err
	}
	settle(ctx, a.throttle, rule, nil, a.issuer.clock.Now())
	return u, false, nil
}

// checkPassword does one bcrypt compare on every path, so an unknown email,
// an over-long password and a wrong one cost the same, and a hasher too
// busy to compare refuses them all alike (its error, not a credential one).
// The reason names the failure class for the audit log.
func (a *Auth) checkPassword(ctx context.Context, account accountLookup, password string) (domain.User, string, error) {
	u, err := account()
	switch {
	case errors.Is(err, domain.ErrNotFound):
		if err := a.hasher.DummyCompare(ctx, password); err != nil {
			return domain.User{}, "", fmt.Errorf("compare password: %w", err)
		}
		return domain.User{}, "unknown_email", domain.ErrInvalidCredentials
	case err != nil:
		return domain.User{}, "", fmt.Errorf("find user: %w", err)
	case !domain.PasswordFitsHash(password):
		if err := a.hasher.DummyCompare(ctx, password); err != nil {
			return domain.User{}, "", fmt.Errorf("compare password: %w", err)
		}
		return u, unfitReason(password), domain.ErrInvalidCredentials
	}
	ok, err := a.hasher.Compare(ctx, u.PasswordHash(), password)
	if err != nil {
		return domain.User{}, "", fmt.Errorf("compare password: %w", err)
	}
	if !ok {
		return u, "wrong_password", domain.ErrInvalidCredentials
	}
	return u, "", nil
}

// accountLookup reads the account a login names. The device token check
// and the password check of one login share it, so the account is read once.
type accountLookup func() (domain.User, error)

// lookupAccount returns the lookup of email's account. The first successful
// read is kept; a failed one (unknown email, storage error) is tried again
// by the next call, as a read of its own would be.
func (a *Auth) lookupAccount(ctx context.Context, email domain.Email) accountLookup {
	var kept *domain.User
	return func() (domain.User, error) {
		if kept != nil {
			return *kept, nil
		}
		u, err := a.users.ByEmail(ctx, email)
		if err == nil {
			kept = &u
		}
		return u, err
	}
}

// unfitReason names, for the audit log, why PasswordFitsHash refused password.
func unfitReason(password string) string {
	if domain.HasReplacementChar(password) {
		return "password_unusable"
	}
	return "password_too_long"
}

// upgradeHash re-hashes at the configured cost when the stored hash is
// cheaper. It is best effort: the login succeeds whatever happens here.
func (a *Auth) upgradeHash(ctx context.Context, u domain.User, password string) domain.User {
	if !a.hasher.NeedsRehash(u.PasswordHash()) {
		return u
	}
	hash, err := a.hasher.Hash(ctx, password)
	if err != nil {
		return u
	}
	next := u.WithPasswordHash(hash, a.issuer.clock.Now())
	if stored, err := a.users.UpgradePasswordHash(ctx, next, u.PasswordHash()); err != nil || !stored {
		return u
	}
	return next
}

func (a *Auth) record(ctx context.Context, kind domain.AuditKind, userID, sessionID, ip, reason string) {
	a.audit.Record(ctx, domain.AuditEvent{
		Kind: kind, At: a.issuer.clock.Now(), UserID: userID, SessionID: sessionID, IP: ip, Reason: reason,
	})
}
