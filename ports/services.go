package ports

import (
	"context"
	"time"

	"github.com/authd-dev/authd/domain"
)

// Tokens is a freshly issued token pair.
type Tokens struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration // access token lifetime
	SessionID    string
	RefreshTTL   time.Duration // until the refresh token's idle expiry
	// DeviceToken vouches, for domain.DeviceTokenTTL, that this client logged
	// in to the account; set by register and login, empty on refresh.
	DeviceToken string
}

// Credentials is what a user presents to register or log in.
type Credentials struct {
	Email    string
	Password string
	Client   domain.Client
	// DeviceToken is one from an earlier login, or "". An invalid, expired
	// or another account's token is ignored, not an error.
	DeviceToken string
	// CookieTransport says the tokens go into cookies; a login that needs a
	// second step keeps it for that step.
	CookieTransport bool
}

// AuthService is the driving port for the token flows.
type AuthService interface {
	// Register creates a role-user account, sends it a verification mail in
	// the background and opens its first session; when the policy requires a
	// verified email, no session is opened and Tokens is zero. Errors: *domain.ValidationError, domain.ErrPasswordTooShort/TooLong,
	// domain.ErrEmailTaken, domain.ErrRegistrationClosed.
	Register(ctx context.Context, c Credentials) (domain.User, Tokens, error)
	// Login checks credentials and opens a session. Unknown email and wrong
	// password are both domain.ErrInvalidCredentials and cost the same.
	// Throttled (see domain.LoginLimits.ForLogin) is *domain.RateLimitedError.
	// An account with MFA on gets no tokens: a *domain.MFARequiredError
	// carries the mfaToken of the second step (VerifyMFA).
	// When the policy requires a verified email, the right password of an
	// unverified account is domain.ErrEmailNotVerified (checked after the
	// password, so it tells nothing to someone without it).
	Login(ctx context.Context, c Credentials) (Tokens, error)
	// VerifyMFA is the second login step: it spends p.Token with a TOTP or
	// recovery code and opens the session the login asked for; byCookie is
	// that login's transport. A bad, expired, spent or exhausted token
	// (domain.MaxMFAAttempts codes tried) is domain.ErrMFATokenInvalid; a
	// wrong, replayed or used code is domain.ErrMFACodeInvalid and counts
	// as a failed login; throttled is *domain.RateLimitedError.
	VerifyMFA(ctx context.Context, p MFAProof) (t Tokens, byCookie bool, err error)
	// Refresh rotates a refresh token per the rotation rules. Errors:
	// domain.ErrRefreshInvalid, domain.ErrRefreshExpired, domain.ErrRefreshReused.
	Refresh(ctx context.Context, refreshToken string, client domain.Client) (Tokens, error)
	// Logout ends the session of refreshToken; unknown or ended tokens are
	// not an error.
	Logout(ctx context.Context, refreshToken string) error
	// LogoutAll ends every session of userID.
	LogoutAll(ctx context.Context, userID string) error
}

// AccountService is the driving port for a signed-in user's own account.
type AccountService interface {
	// Me returns the user. A deleted user, whose access token may still be
	// unexpired, is domain.ErrTokenInvalid: refused like a bad token.
	Me(ctx context.Context, userID string) (domain.User, error)
	// Sessions lists userID's live sessions.
	Sessions(ctx context.Context, userID string) ([]domain.Session, error)
	// EndSession ends one of userID's sessions; another user's or an
	// unknown one is domain.ErrNotFound.
	EndSession(ctx context.Context, userID, sessionID string) error
	// ChangePassword checks current, stores next and ends every session of
	// userID but keepSessionID. A wrong current password is
	// domain.ErrInvalidCredentials; too many of them from client's address or
	// in keepSessionID are *domain.RateLimitedError (failed logins never are).
	ChangePassword(ctx context.Context, userID, keepSessionID, current, next string, client domain.Client) error
}

// AdminService is the driving port for user administration. actorID is the
// signed-in caller: every method first reads its current record, so a token
// minted before a demotion or deletion carries no power after it. An actor
// that no longer exists (or is not a user id) is domain.ErrTokenInvalid; one
// whose current role is not admin is domain.ErrInsufficientRole; nothing
// changes in either case.
type AdminService interface {
	// CreateUser creates an account with role, regardless of registration
	// being closed.
	CreateUser(ctx context.Context, email, password string, role domain.Role, actorID string) (domain.User, error)
	// ListUsers pages users in id order; next is "" on the last page.
	ListUsers(ctx context.Context, actorID, cursor string, limit int) (users []domain.User, next string, err error)
	// ChangeRole sets id's role. domain.ErrLastAdmin, domain.ErrNotFound.
	ChangeRole(ctx context.Context, actorID, id string, role domain.Role) (domain.User, error)
	// SetEmailVerified marks id's email verified or not (an admin vouching
	// for an address, or taking that back). domain.ErrNotFound.
	SetEmailVerified(ctx context.Context, actorID, id string, verified bool) (domain.User, error)
	// DeleteUser removes id and its sessions. domain.ErrLastAdmin, domain.ErrNotFound.
	DeleteUser(ctx context.Context, actorID, id string) error
	// ResetMFA removes id's MFA and recovery codes (a lost device) and ends
	// every session of id; a user without MFA loses its sessions all the
	// same. Unknown user: domain.ErrNotFound.
	ResetMFA(ctx context.Context, actorID, id string) error
}

// OperatorService is what the operator of the process (the command line)
// may do without signing in. No actor is checked here, so it is never
// handed to a network transport.
type OperatorService interface {
	// ProvisionUser creates an account with role, regardless of
	// registration being closed; operator names the caller in the audit log.
	ProvisionUser(ctx context.Context, email, password string, role domain.Role, operator string) (domain.User, error)
}
