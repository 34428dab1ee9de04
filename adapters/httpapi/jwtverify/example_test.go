package jwtverify_test

import (
	"context"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/adapters/httpapi/jwtverify"
)

// A service of another team accepting authd access tokens.
func Example() {
	v, err := jwtverify.New(jwtverify.Config{
		JWKSURL:  "https://auth.example.com/.well-known/jwks.json",
		Issuer:   "authd", // authd's AUTHD_ISSUER
		Audience: "authd", // authd's AUTHD_AUDIENCE
	})
	if err != nil {
		log.Fatal(err)
	}
	// Optional: learn at start-up whether the keys are reachable. Requests
	// fetch them anyway; meanwhile they get 503 with Retry-After.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := v.Refresh(ctx); err != nil {
		log.Printf("authd keys not reachable yet: %v", err)
	}

	r := gin.New()
	api := r.Group("/api", v.Middleware())
	api.GET("/me", func(c *gin.Context) {
		claims, _ := jwtverify.ClaimsFrom(c)
		c.JSON(http.StatusOK, gin.H{"user": claims.Subject, "role": claims.Role})
	})
	api.DELETE("/things/:id", jwtverify.RequireRole("editor"), func(c *gin.Context) {
		c.Status(http.StatusNoContent)
	})
	_ = r // r.Run(":8081")
}
