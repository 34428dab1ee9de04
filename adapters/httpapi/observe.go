package httpapi

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// Observer is what the router needs from a metrics backend. It is an
// interface so httpapi never imports another adapter; the root binds it.
type Observer interface {
	// Middleware records each request (route template, method, status, latency).
	Middleware() gin.HandlerFunc
	// Handler serves GET /metrics.
	Handler() http.Handler
}

// openAPIDocument is the API's OpenAPI 3 description: one source file,
// embedded so the binary always serves the spec it was built with.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPI returns a copy of the embedded OpenAPI document.
func OpenAPI() []byte { return append([]byte(nil), openAPIDocument...) }

func serveOpenAPI(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json", openAPIDocument)
}
