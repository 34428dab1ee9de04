package httpapi

import (
	"embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// demoFiles is the browser demo: one page and its script, no external
// assets, so it works offline and under a strict CSP.
//
//go:embed demo/index.html demo/app.js
var demoFiles embed.FS

// demoCSP allows only this origin's script and fetches: the page never
// needs anything else, and a strict policy is part of what it demonstrates.
// data: images are the enrolment's QR code, rendered by the server.
const demoCSP = "default-src 'none'; script-src 'self'; connect-src 'self'; img-src data:; form-action 'none'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// mountDemo serves the demo at /demo/. The router does no trailing-slash
// redirects (unknown paths are JSON 404s), so /demo redirects explicitly.
func mountDemo(r *gin.Engine) {
	r.GET("/demo", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/demo/") })
	r.GET("/demo/", demoFile("demo/index.html", "text/html; charset=utf-8"))
	r.GET("/demo/app.js", demoFile("demo/app.js", "text/javascript; charset=utf-8"))
}

func demoFile(name, contentType string) gin.HandlerFunc {
	body, err := demoFiles.ReadFile(name)
	if err != nil {
		panic("httpapi: demo asset missing: " + name) // embedded at build time; cannot happen
	}
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", demoCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		c.Data(http.StatusOK, contentType, body)
	}
}
