package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// unmatchedRoute labels requests no route matched, so probes of random
// paths cannot blow up the label set.
const unmatchedRoute = "unmatched"

// knownMethods bounds the method label for the same reason.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// Middleware counts and times each request by its route template (never
// the raw path, which would carry ids). Mount it before panic recovery so
// a recovered 500 is counted as a 500.
func (p *Prometheus) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = unmatchedRoute
		}
		method := c.Request.Method
		if !knownMethods[method] {
			method = "OTHER"
		}
		status := c.Writer.Status()
		p.requests.with(route, method, strconv.Itoa(status)).Inc()
		p.latency.with(route, method).Update(time.Since(start).Seconds())
		if status == http.StatusTooManyRequests {
			p.throttled.with(route).Inc()
		}
	}
}
