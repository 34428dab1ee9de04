//go:build wireinject

package authd

import (
	"context"

	"github.com/google/wire"

	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/httpapi"
	"github.com/authd-dev/authd/adapters/jwt"
	"github.com/authd-dev/authd/adapters/metrics"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/seal"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/adapters/totp"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/ports"
)

// coreSet is everything but the selected backends: use cases, tokens,
// hashing, audit and HTTP, bound to their ports.
var coreSet = wire.NewSet(
	application.NewAuth, application.NewAccounts, application.NewAdmin, application.NewJanitor, application.NewMFA,
	application.NewRecovery, application.NewMailSender,
	wire.Bind(new(ports.AuthService), new(*application.Auth)),
	wire.Bind(new(ports.MFAService), new(*application.MFA)),
	wire.Bind(new(ports.AccountService), new(*application.Accounts)),
	wire.Bind(new(ports.AdminService), new(*application.Admin)),
	wire.Bind(new(ports.RecoveryService), new(*application.Recovery)),
	wire.Bind(new(ports.OperatorService), new(*application.Admin)),
	userLookup, configSet,
	policy, retention, refreshKey,
	emailnorm.New, wire.Bind(new(ports.EmailNormaliser), new(*emailnorm.Normaliser)),
	jwtConfig, tokens, verifier,
	wire.Bind(new(ports.AccessTokenIssuer), new(*jwt.Tokens)),
	wire.Bind(new(ports.KeySet), new(*jwt.Tokens)),
	totp.New, mfaIssuer, mfaSealer,
	wire.Bind(new(ports.OTP), new(*totp.TOTP)),
	wire.Bind(new(ports.SecretSealer), new(*seal.Keys)),
	hasher, bcryptCost,
	wire.Bind(new(ports.PasswordHasher), new(*passhash.Bcrypt)),
	auditLog,
	metrics.ProviderSet,
	wire.Bind(new(httpapi.Observer), new(*metrics.Prometheus)),
	httpapi.ProviderSet, httpConfig,
	mailer,
	NewApp,
)

// optionSet reads the embedding team's choices; each falls back to the
// default when the option was not given.
var optionSet = wire.NewSet(logger, clockOf, claimsHook)

// storageSet selects the storage: the option's, or the configured database
// opened and migrated.
var storageSet = wire.NewSet(
	storage, poolConfig,
	wire.FieldsOf(new(ports.Storage), "Users", "Sessions", "Tokens", "MFA", "MFAChallenges", "Health"),
)

// throttleSet selects the throttle store: Redis when AUTHD_REDIS_URL is
// set (the in-process throttles as its fallback), otherwise in process.
var throttleSet = wire.NewSet(throttle.ProviderSet, ipRate, throttleStore, loginThrottle, rateLimiter)

// hashPoolSet selects the password-hash pool: the WithHashPool option's,
// or one sized by the configuration.
var hashPoolSet = wire.NewSet(hashPool, hashWorkers, hashQueue)

// initialize is the one injector behind Initialize.
func initialize(ctx context.Context, cfg Config, o options) (*App, func(), error) {
	wire.Build(coreSet, optionSet, storageSet, throttleSet, hashPoolSet)
	return nil, nil, nil
}
