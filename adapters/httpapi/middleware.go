package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	requestIDKey   = "authd.requestId"
	loggerKey      = "authd.logger"
	bearerRouteKey = "authd.bearerRoute"
	maxRequestID   = 64
)

// requestContext gives each request an id (a valid incoming X-Request-ID or
// a new one), echoes it back, and logs one access line when it ends.
func requestContext(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		id := c.GetHeader("X-Request-ID")
		if !validRequestID(id) {
			id = newRequestID()
		}
		c.Set(requestIDKey, id)
		c.Set(loggerKey, log)
		c.Header("X-Request-ID", id)
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
			slog.String("requestId", id), slog.String("method", c.Request.Method), slog.String("route", route),
			slog.Int("status", c.Writer.Status()), slog.Duration("latency", time.Since(start)),
			slog.String("client", c.ClientIP()))
	}
}

func validRequestID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// RequestID returns the request's id ("" outside the router).
func RequestID(c *gin.Context) string { return c.GetString(requestIDKey) }

func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(loggerKey); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}

// recoverPanics turns a panic into a logged 500 INTERNAL. The stack goes to
// the error log only; the client sees the request id and nothing else.
func recoverPanics() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				logger(c).Error("panic", slog.String("requestId", RequestID(c)),
					slog.String("panic", fmt.Sprint(p)), slog.String("stack", string(debug.Stack())))
				if !c.Writer.Written() {
					fail(c, fmt.Errorf("panic recovered"))
				}
				c.Abort()
			}
		}()
		c.Next()
	}
}

// tokenResponse marks a response that carries tokens as not cacheable.
func tokenResponse(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("Pragma", "no-cache")
}
