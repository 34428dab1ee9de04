package authd

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/google/wire"

	"github.com/authd-dev/authd/adapters/httpapi"
	"github.com/authd-dev/authd/adapters/jwt"
	"github.com/authd-dev/authd/adapters/passhash"
	"github.com/authd-dev/authd/adapters/seal"
	"github.com/authd-dev/authd/adapters/secret"
	"github.com/authd-dev/authd/adapters/sqlstore"
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
func storage(ctx context.Context, c Config, o options, pool sqlstore.Pool, emails ports.EmailNormaliser) (ports.Storage, func(), error) {
	if o.storage != nil {
		if err := o.storage.Check(); err != nil {
			return ports.Storage{}, nil, fmt.Errorf("WithStorage: %w", err)
		}
		return *o.storage, func() {}, nil
	}
	return openStorage(ctx, c.Storage, pool, emails)
}

// openStorage opens st's database and migrates it; the func closes it.
func openStorage(ctx context.Context, st StorageConfig, pool sqlstore.Pool, emails ports.EmailNormaliser) (ports.Storage, func(), error) {
	return sqlstore.OpenStorage(ctx, sqlstore.Settings{Driver: st.Driver, DSN: st.DataSource(), Pool: pool}, emails)
}

// configSet hands each provider the sections it reads.
var configSet = wire.NewSet(wire.FieldsOf(new(Config),
	"HTTP", "Storage", "Keys", "Tokens", "Accounts", "Sessions", "Throttle", "Hashing", "Mail", "MFA"))

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

func poolConfig(st StorageConfig) sqlstore.Pool {
	return sqlstore.SizedPool(st.MaxConns, st.QueryTimeout)
}

func jwtConfig(k KeysConfig, t TokensConfig, st StorageConfig, log *slog.Logger) (jwt.Config, error) {
	cfg := jwt.Config{Alg: k.Alg, Issuer: t.Issuer, Audience: t.Audience, Skew: t.ClockSkew, KeyDir: k.KeyDir, Log: log}
	if k.Alg != jwt.HS256 {
		if cfg.KeyDir == "" && !st.Embedded() {
			return jwt.Config{}, fmt.Errorf("AUTHD_JWT_KEY_DIR is required with AUTHD_JWT_ALG=%s and driver %s", k.Alg, st.Driver)
		}
		if cfg.KeyDir == "" {
			cfg.KeyDir, cfg.GenerateKey = filepath.Join(st.DataDir, "keys"), true
		}
		return cfg, nil
	}
	s, err := secret.Resolve(k.JWTSecret, "AUTHD_JWT_SECRET", st.DataDir, st.Embedded(), log)
	if err != nil {
		return jwt.Config{}, err
	}
	next, err := secret.Optional(k.JWTNextSecret, "AUTHD_JWT_NEXT_SECRET")
	if err != nil {
		return jwt.Config{}, err
	}
	prev, err := secretKeys(k.JWTPreviousSecrets, "AUTHD_JWT_PREVIOUS_SECRETS")
	if err != nil {
		return jwt.Config{}, err
	}
	cfg.Secret, cfg.NextSecret, cfg.PreviousSecrets = s, next, prev
	return cfg, nil
}

func refreshKey(k KeysConfig, st StorageConfig, log *slog.Logger) (domain.RefreshKey, error) {
	s, err := secret.Resolve(k.RefreshSecret, "AUTHD_REFRESH_SECRET", st.DataDir, st.Embedded(), log)
	if err != nil {
		return domain.RefreshKey{}, err
	}
	retired, err := secretKeys(k.RefreshPrevSecrets, "AUTHD_REFRESH_PREVIOUS_SECRETS")
	if err != nil {
		return domain.RefreshKey{}, err
	}
	return domain.NewRefreshKey(s, retired...)
}

// secretKeys is the keys of a list of secrets, each at least 32 bytes.
func secretKeys(list []string, name string) ([][]byte, error) {
	var out [][]byte
	for i, s := range list {
		key, err := secret.Optional(s, fmt.Sprintf("%s entry #%d", name, i+1))
		if err != nil {
			return nil, err
		}
		if key != nil {
			out = append(out, key)
		}
	}
	return out, nil
}

func bcryptCost(h HashingConfig) passhash.Cost { return passhash.Cost(h.BcryptCost) }

// hashWorkers leaves the count to passhash, which takes 0 as one worker
// per core.
func hashWorkers() passhash.Workers { return 0 }

func hashQueue(h HashingConfig) passhash.Queue {
	return passhash.Queue{Size: h.Queue, Timeout: h.QueueTimeout}
}

// hashPool is the hash pool selector: the WithHashPool option's pool, or
// one of workers with the configured queue.
func hashPool(o options, workers passhash.Workers, q passhash.Queue) *passhash.Pool {
	if o.hashPool != nil {
		return o.hashPool
	}
	return passhash.NewPool(workers, q)
}

func policy(t TokensConfig, a AccountsConfig, se SessionsConfig, th ThrottleConfig, m MailConfig) application.Policy {
	return application.Policy{
		Session: domain.SessionPolicy{
			RefreshTTL: se.RefreshTTL, MaxAge: se.MaxAge, Grace: se.ReuseGrace,
		},
		AccessTTL:            t.AccessTTL,
		RegistrationOpen:     a.RegistrationOpen,
		MaxSessionsPerUser:   se.MaxPerUser,
		RequireVerifiedEmail: a.RequireVerifiedEmail,
		Links:                application.LinkPolicy{URL: m.LinkURL, VerifyTTL: m.VerifyTokenTTL, ResetTTL: m.ResetTokenTTL},
		Login: domain.LoginLimits{
			PerPair: th.LoginMaxFailures, PerAccount: th.LoginMaxFailuresAccount, PerAddress: th.IPMaxFailures,
			Window: th.LoginFailureWindow,
		},
	}
}

func retention(se SessionsConfig) application.Retention { return application.Retention(se.Retention) }

func ipRate(th ThrottleConfig) throttle.PerMinute { return throttle.PerMinute(th.IPRateLimit) }

func httpConfig(h HTTPConfig, t TokensConfig, k KeysConfig, mfa MFAConfig) httpapi.Config {
	return httpapi.Config{CookieSecure: h.CookieSecure, AllowedOrigins: h.AllowedOrigins, TrustedProxies: h.TrustedProxies,
		Issuer: t.Issuer, SigningAlg: k.Alg, AdminRequireMFA: mfa.AdminRequire}
}

// tokens builds the access-token signer/verifier; clock picks the signing
// key by activation time and names generated keys.
func tokens(cfg jwt.Config, clock ports.Clock) (*jwt.Tokens, error) { return jwt.New(cfg, clock) }

// mfaIssuer names the service in authenticator apps.
func mfaIssuer(mfa MFAConfig, t TokensConfig) totp.Issuer {
	if mfa.Issuer != "" {
		return totp.Issuer(mfa.Issuer)
	}
	return totp.Issuer(t.Issuer)
}

// mfaSealer derives the keys that seal TOTP secrets and digest recovery
// codes from the refresh secret (resolved as refreshKey does; the
// generated key's warning is logged there) and from the retired ones, so a
// rotation keeps what they sealed readable.
func mfaSealer(k KeysConfig, st StorageConfig) (*seal.Keys, error) {
	s, err := secret.Resolve(k.RefreshSecret, "AUTHD_REFRESH_SECRET", st.DataDir, st.Embedded(), nil)
	if err != nil {
		return nil, err
	}
	retired, err := secretKeys(k.RefreshPrevSecrets, "AUTHD_REFRESH_PREVIOUS_SECRETS")
	if err != nil {
		return nil, err
	}
	return seal.New(s, retired...)
}

// userLookup narrows the repository to the read that authorization against
// current state needs.
func userLookup(u ports.UserRepository) ports.UserLookup { return u }
