// Command readme is the README's embedding example: authd's API and a
// team's own routes on one router, in one process, configured from the
// environment like authd serve.
package main

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/httpapi"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		log.Fatal(err)
	}
}

// run serves until ctx ends; the README quotes its body from Initialize on.
func run(ctx context.Context) error {
	cfg, err := authd.Load(os.Args[1:], os.Getenv, os.Stderr)
	if err != nil {
		return err
	}
	app, err := authd.Initialize(ctx, cfg)
	if err != nil {
		return err
	}
	defer app.Close()
	api := app.Router.Group("/api", httpapi.Authenticate(app.Verifier, app.Clock))
	api.GET("/orders", whoAmI)                                                     // any signed-in user
	api.POST("/invoices", httpapi.RequireRole("billing"), whoAmI)                  // the token's role (admin passes too)
	api.POST("/refunds", httpapi.RequireCurrentRole(app.Users, "billing"), whoAmI) // the role in the database now
	api.POST("/payouts", httpapi.RequireMFA(), whoAmI)                             // signed in with a second factor
	return app.Run(ctx)
}

// whoAmI answers with the caller's user id, from the verified token.
func whoAmI(c *gin.Context) {
	claims, _ := httpapi.ClaimsFrom(c) // Subject (user id), Role, SessionID, AMR, ExpiresAt, Extra
	c.JSON(http.StatusOK, gin.H{"user": claims.Subject})
}
