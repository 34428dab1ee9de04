package authd

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"gorm.io/gorm"

	"github.com/authd-dev/authd/adapters/gormstore"
	"github.com/authd-dev/authd/adapters/httpapi"
	"github.com/authd-dev/authd/domain"
)

// These are seams for the load tool (cmd/authd-load), which may import only
// the root: they build exactly what the server builds, so the reference
// floors it measures run on the same code and settings as the service.

// OpenDatabase opens cfg's database with the server's opener, dialect
// settings and pool size, without migrating it.
func OpenDatabase(ctx context.Context, cfg Config) (*gorm.DB, func(), error) {
	pool := poolConfig(cfg)
	switch cfg.DBDriver {
	case DriverPostgres:
		return gormstore.OpenPostgres(ctx, postgresDSN(cfg), pool)
	case DriverMySQL:
		return gormstore.OpenMySQL(ctx, mysqlDSN(cfg), pool)
	default:
		return gormstore.OpenSQLite(ctx, sqliteDSN(cfg), pool)
	}
}

// QueryTimeout is the bound the repositories put on each database call.
func (c Config) QueryTimeout() time.Duration { return poolConfig(c).QueryTimeout }

// RotateSQL is the session repository's rotation UPDATE in db's dialect,
// so the load tool's storage floor issues exactly the repository's
// statement (arguments as gormstore.RotateSQL documents).
func RotateSQL(db *gorm.DB) string { return gormstore.RotateSQL(db.Dialector.Name()) }

// VerifyRoutes builds a Gin engine with two routes that touch no database
// and answer the same body: GET /open, and GET /protected behind
// httpapi.Authenticate with cfg's access-token verifier behind a verify
// cache, as the server has it. It returns a token /protected accepts for ttl. Comparing the two isolates the cost of
// authd's middleware.
func VerifyRoutes(cfg Config, ttl time.Duration) (http.Handler, string, error) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	jc, err := jwtConfig(cfg, log)
	if err != nil {
		return nil, "", err
	}
	clk := SystemClock()
	t, err := tokens(jc, clk)
	if err != nil {
		return nil, "", err
	}
	now := clk.Now()
	token, err := t.Issue(domain.AccessClaims{Subject: "00000000-0000-4000-8000-000000000001", Role: domain.RoleUser,
		SessionID: "00000000-0000-4000-8000-000000000002", ID: "00000000-0000-4000-8000-000000000003",
		IssuedAt: now, ExpiresAt: now.Add(ttl)})
	if err != nil {
		return nil, "", fmt.Errorf("issue token: %w", err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	body := "00000000-0000-4000-8000-000000000001"
	r.GET("/open", func(c *gin.Context) { c.String(http.StatusOK, body) })
	r.GET("/protected", httpapi.Authenticate(httpapi.CachedVerifier(t), clk), func(c *gin.Context) {
		claims, _ := httpapi.ClaimsFrom(c)
		c.String(http.StatusOK, claims.Subject)
	})
	return r, token, nil
}
