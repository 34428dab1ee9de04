//go:build wireinject

package authd

import (
	"context"
	"log/slog"

	"github.com/google/wire"

	"github.com/authd-dev/authd/adapters/auditlog"
	"github.com/authd-dev/authd/adapters/emailnorm"
	"github.com/authd-dev/authd/adapters/gormstore"
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

// coreSet is everything but storage: use cases, tokens, hashing,
// throttles, audit and HTTP, bound to their ports.
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
	jwtConfig, tokens,
	wire.Bind(new(ports.AccessTokenIssuer), new(*jwt.Tokens)),
	wire.Bind(new(ports.AccessTokenVerifier), new(*jwt.Tokens)),
	wire.Bind(new(ports.KeySet), new(*jwt.Tokens)),
	totp.New, mfaIssuer, mfaSealer,
	wire.Bind(new(ports.OTP), new(*totp.TOTP)),
	wire.Bind(new(ports.SecretSealer), new(*seal.Keys)),
	hasher, bcryptCost,
	wire.Bind(new(ports.PasswordHasher), new(*passhash.Bcrypt)),
	auditlog.ProviderSet, auditLog,
	metrics.ProviderSet,
	wire.Bind(new(httpapi.Observer), new(*metrics.Prometheus)),
	httpapi.ProviderSet, httpConfig,
	mailer,
	NewApp,
)

// throttleSet picks the throttle store by configuration: Redis when
// AUTHD_REDIS_URL is set (the in-process throttles as its fallback),
// otherwise in process.
var throttleSet = wire.NewSet(throttle.ProviderSet, ipRate, throttleStore, loginThrottle, rateLimiter)

// localThrottleSet counts in process whatever the configuration says.
var localThrottleSet = wire.NewSet(
	throttle.ProviderSet, ipRate,
	wire.Bind(new(ports.LoginThrottle), new(*throttle.Failures)),
	wire.Bind(new(ports.RateLimiter), new(*throttle.Buckets)),
)

// hashPoolSet is the password-hash pool as configured; InitializeWithHashPool
// takes one instead.
var hashPoolSet = wire.NewSet(hashPool, hashWorkers, hashQueue)

// gormSet binds the GORM repositories and migrates before serving.
var gormSet = wire.NewSet(
	gormstore.ProviderSet, poolConfig, migrateSchema,
	wire.Bind(new(ports.UserRepository), new(*gormstore.Users)),
	wire.Bind(new(ports.SessionRepository), new(*gormstore.Sessions)),
	wire.Bind(new(ports.OneTimeTokenRepository), new(*gormstore.Tokens)),
	wire.Bind(new(ports.MFARepository), new(*gormstore.MFA)),
	wire.Bind(new(ports.MFAChallengeRepository), new(*gormstore.MFAChallenges)),
	wire.Bind(new(ports.HealthChecker), new(*gormstore.Health)),
)

// InitializeSQLite composes authd on the embedded SQLite database.
func InitializeSQLite(ctx context.Context, cfg Config, log *slog.Logger, clock ports.Clock) (*App, func(), error) {
	wire.Build(coreSet, throttleSet, hashPoolSet, gormSet, gormstore.OpenSQLite, sqliteDSN)
	return nil, nil, nil
}

// InitializePostgres composes authd on PostgreSQL.
func InitializePostgres(ctx context.Context, cfg Config, log *slog.Logger, clock ports.Clock) (*App, func(), error) {
	wire.Build(coreSet, throttleSet, hashPoolSet, gormSet, gormstore.OpenPostgres, postgresDSN)
	return nil, nil, nil
}

// InitializeMySQL composes authd on MySQL or MariaDB.
func InitializeMySQL(ctx context.Context, cfg Config, log *slog.Logger, clock ports.Clock) (*App, func(), error) {
	wire.Build(coreSet, throttleSet, hashPoolSet, gormSet, gormstore.OpenMySQL, mysqlDSN)
	return nil, nil, nil
}

// InitializeWith is the test seam: it composes authd on repositories the
// caller built (memstore, or a GORM store it migrated itself). Throttles
// count in process, whatever AUTHD_REDIS_URL says.
func InitializeWith(cfg Config, log *slog.Logger, clock ports.Clock, users ports.UserRepository,
	sessions ports.SessionRepository, tokens ports.OneTimeTokenRepository, mfa ports.MFARepository,
	challenges ports.MFAChallengeRepository, health ports.HealthChecker) (*App, error) {
	wire.Build(coreSet, localThrottleSet, hashPoolSet, wire.Value(SchemaReady{}))
	return nil, nil
}

// InitializeWithHashPool is InitializeWith hashing passwords on pool, so
// a test can occupy its workers and fill its queue at will.
func InitializeWithHashPool(cfg Config, log *slog.Logger, clock ports.Clock, users ports.UserRepository,
	sessions ports.SessionRepository, tokens ports.OneTimeTokenRepository, mfa ports.MFARepository,
	challenges ports.MFAChallengeRepository, health ports.HealthChecker, pool *passhash.Pool) (*App, error) {
	wire.Build(coreSet, localThrottleSet, wire.Value(SchemaReady{}))
	return nil, nil
}
