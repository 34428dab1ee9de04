package authd

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/authd-dev/authd/adapters/gormstore"
	"github.com/authd-dev/authd/adapters/httpapi"
	"github.com/authd-dev/authd/adapters/jwt"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/seal"
	"github.com/authd-dev/authd/adapters/secret"
	"github.com/authd-dev/authd/adapters/throttle"
	"github.com/authd-dev/authd/adapters/totp"
	"github.com/authd-dev/authd/application"
	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// These providers turn the one Config into each package's typed share, so
// no adapter sees more configuration than it needs.

// storage is the storage selector: the WithStorage option's ports as they
// are, or the configured database, opened and migrated, closed by the
// returned func.
func storage(ctx context.Context, c Config, o options, pool gormstore.Pool, emails ports.EmailNormaliser) (ports.Storage, func(), error) {
	if o.storage != nil {
		if err := o.storage.Check(); err != nil {
			return ports.Storage{}, nil, fmt.Errorf("WithStorage: %w", err)
		}
		return *o.storage, func() {}, nil
	}
	return gormstore.OpenStorage(ctx, gormstore.Settings{Driver: c.DBDriver, DSN: c.DBDSN, Pool: pool}, emails)
}

func logger(o options) *slog.Logger {
	if o.log == nil {
		return slog.Default()
	}
	return o.log
}

func clockOf(o options) ports.Clock {
	if o.clock == nil {
		return SystemClock()
	}
	return o.clock
}

// claimsHook is the WithClaims hook, or nil: no extra claims.
func claimsHook(o options) ports.ClaimsHook { return o.claims }

// verifier is the access-token verifier every route shares: the token
// adapter behind one verify cache, built once here.
func verifier(t *jwt.Tokens) ports.AccessTokenVerifier { return httpapi.CachedVerifier(t) }

func poolConfig(c Config) gormstore.Pool { return gormstore.SizedPool(c.DBMaxConns, c.DBQueryTimeout) }

func jwtConfig(c Config, log *slog.Logger) (jwt.Config, error) {
	cfg := jwt.Config{Alg: c.JWTAlg, Issuer: c.Issuer, Audience: c.Audience, Skew: c.ClockSkew, KeyDir: c.JWTKeyDir, Log: log}
	if c.JWTAlg != jwt.HS256 {
		if cfg.KeyDir == "" && !c.Embedded() {
			return jwt.Config{}, fmt.Errorf("AUTHD_JWT_KEY_DIR is required with AUTHD_JWT_ALG=%s and driver %s", c.JWTAlg, c.DBDriver)
		}
		if cfg.KeyDir == "" {
			cfg.KeyDir, cfg.GenerateKey = filepath.Join(c.DataDir, "keys"), true
		}
		return cfg, nil
	}
	s, err := secret.Resolve(c.JWTSecret, "AUTHD_JWT_SECRET", c.DataDir, c.Embedded(), log)
	if err != nil {
		return jwt.Config{}, err
	}
	next, err := secret.Optional(c.JWTNextSecret, "AUTHD_JWT_NEXT_SECRET")
	if err != nil {
		return jwt.Config{}, err
	}
	prev, err := secret.ParseList(c.JWTPreviousSecrets, "AUTHD_JWT_PREVIOUS_SECRETS")
	if err != nil {
		return jwt.Config{}, err
	}
	cfg.Secret, cfg.NextSecret, cfg.PreviousSecrets = s, next, prev
	return cfg, nil
}

func refreshKey(c Config, log *slog.Logger) (domain.RefreshKey, error) {
	s, err := secret.Resolve(c.RefreshSecret, "AUTHD_REFRESH_SECRET", c.DataDir, c.Embedded(), log)
	if err != nil {
		return domain.RefreshKey{}, err
	}
	retired, err := secret.ParseList(c.RefreshPrevSecrets, "AUTHD_REFRESH_PREVIOUS_SECRETS")
	if err != nil {
		return domain.RefreshKey{}, err
	}
	return domain.NewRefreshKey(s, retired...)
}

func bcryptCost(c Config) passhash.Cost { return passhash.Cost(c.BcryptCost) }

// hashWorkers leaves the count to passhash, which takes 0 as one worker
// per core.
func hashWorkers() passhash.Workers { return 0 }

func hashQueue(c Config) passhash.Queue {
	return passhash.Queue{Size: c.HashQueue, Timeout: c.HashQueueTimeout}
}

// hashPool is the hash pool selector: the WithHashPool option's pool, or
// one of workers with the configured queue.
func hashPool(o options, workers passhash.Workers, q passhash.Queue) *passhash.Pool {
	if o.hashPool != nil {
		return o.hashPool
	}
	return passhash.NewPool(workers, q)
}

func policy(c Config) application.Policy {
	return application.Policy{
		Session: domain.SessionPolicy{
			RefreshTTL: c.RefreshTTL, MaxAge: c.SessionMaxAge, Grace: c.RefreshReuseGrace,
		},
		AccessTTL:            c.AccessTTL,
		RegistrationOpen:     c.RegistrationOpen,
		MaxSessionsPerUser:   c.MaxSessionsPerUser,
		RequireVerifiedEmail: c.RequireVerifiedEmail,
		Links:                application.LinkPolicy{URL: c.EmailLinkURL, VerifyTTL: c.VerifyTokenTTL, ResetTTL: c.ResetTokenTTL},
		Login: domain.LoginLimits{
			PerPair: c.LoginMaxFailures, PerAccount: c.LoginMaxFailuresAccount, PerAddress: c.IPMaxFailures,
			Window: c.LoginFailureWindow,
		},
	}
}

func retention(c Config) application.Retention { return application.Retention(c.SessionRetention) }

func ipRate(c Config) throttle.PerMinute { return throttle.PerMinute(c.IPRateLimit) }

func httpConfig(c Config) httpapi.Config {
	return httpapi.Config{CookieSecure: c.CookieSecure, AllowedOrigins: c.AllowedOrigins, TrustedProxies: c.TrustedProxies,
		Issuer: c.Issuer, SigningAlg: c.JWTAlg, AdminRequireMFA: c.AdminRequireMFA}
}

// tokens builds the access-token signer/verifier; clock picks the signing
// key by activation time and names generated keys.
func tokens(cfg jwt.Config, clock ports.Clock) (*jwt.Tokens, error) { return jwt.New(cfg, clock) }

// mfaIssuer names the service in authenticator apps.
func mfaIssuer(c Config) totp.Issuer {
	if c.MFAIssuer != "" {
		return totp.Issuer(c.MFAIssuer)
	}
	return totp.Issuer(c.Issuer)
}

// mfaSealer derives the keys that seal TOTP secrets and digest recovery
// codes from the refresh secret (resolved as refreshKey does; the
// generated key's warning is logged there) and from the retired ones, so a
// rotation keeps what they sealed readable.
func mfaSealer(c Config) (*seal.Keys, error) {
	s, err := secret.Resolve(c.RefreshSecret, "AUTHD_REFRESH_SECRET", c.DataDir, c.Embedded(), nil)
	if err != nil {
		return nil, err
	}
	retired, err := secret.ParseList(c.RefreshPrevSecrets, "AUTHD_REFRESH_PREVIOUS_SECRETS")
	if err != nil {
		return nil, err
	}
	return seal.New(s, retired...)
}

// userLookup narrows the repository to the read that authorization against
// current state needs.
func userLookup(u ports.UserRepository) ports.UserLookup { return u }
