package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// opsHandlers serve health, readiness and the key set.
type opsHandlers struct {
	health ports.HealthChecker
	keys   ports.KeySet
}

func (h opsHandlers) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (h opsHandlers) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), readyTimeout)
	defer cancel()
	if err := h.health.Ping(ctx); err != nil {
		fail(c, domain.ErrUnavailable)
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

func (h opsHandlers) jwks(c *gin.Context) {
	doc, err := JWKSDocument(h.keys.VerificationKeys())
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json", doc)
}
