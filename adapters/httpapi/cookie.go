package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/domain"
)

// RefreshCookie and DeviceCookie are the cookies of the browser transport.
const (
	RefreshCookie = "authd_refresh"
	DeviceCookie  = "authd_device"
	cookiePath    = "/v1/auth"
)

var (
	errOriginRejected = newAPIError(http.StatusForbidden, "ORIGIN_REJECTED", "this origin may not use the refresh cookie")
	errTransport      = newAPIError(http.StatusBadRequest, "VALIDATION_FAILED", `transport: must be "body" or "cookie"`)
)

// cookies sets and checks the refresh cookie and the origins allowed to use
// it; proxies are the peers whose X-Forwarded-Proto says the request's scheme.
type cookies struct {
	secure  bool
	origins map[string]bool
	proxies trustedProxies
}

func newCookies(secure bool, allowed []string, proxies trustedProxies) cookies {
	origins := make(map[string]bool, len(allowed))
	for _, o := range allowed {
		origins[strings.TrimRight(strings.TrimSpace(o), "/")] = true
	}
	return cookies{secure: secure, origins: origins, proxies: proxies}
}

// byCookie reads the transport field: "" and "body" mean body.
func byCookie(transport string) (bool, error) {
	switch transport {
	case "", "body":
		return false, nil
	case "cookie":
		return true, nil
	}
	return false, errTransport
}

func (k cookies) set(c *gin.Context, token string, ttl time.Duration) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: RefreshCookie, Value: token, Path: cookiePath, MaxAge: int(ttl / time.Second),
		HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteStrictMode,
	})
}

// setDevice stores the device token for domain.DeviceTokenTTL. Logout
// leaves it: it vouches for the browser, not for a session.
func (k cookies) setDevice(c *gin.Context, token string) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: DeviceCookie, Value: token, Path: cookiePath, MaxAge: int(domain.DeviceTokenTTL / time.Second),
		HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteStrictMode,
	})
}

// presentedDevice is the device token of a login: the body's, else the
// cookie's. Reading the cookie needs no origin check: it only spares its
// holder other clients' throttling, and SameSite=Strict keeps it off
// cross-site requests.
func presentedDevice(c *gin.Context, fromBody string) string {
	if fromBody != "" {
		return fromBody
	}
	if cookie, err := c.Request.Cookie(DeviceCookie); err == nil {
		return cookie.Value
	}
	return ""
}

func (k cookies) clear(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: RefreshCookie, Value: "", Path: cookiePath, MaxAge: -1,
		HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteStrictMode,
	})
}

// originAllowed says whether a cookie-carried request comes from the
// service's own origin or an allowed one. A request without Origin is
// refused unless the browser marks it same-origin: the cookie alone must
// never be enough (CSRF).
func (k cookies) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return r.Header.Get("Sec-Fetch-Site") == "same-origin"
	}
	if k.origins[origin] {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	return strings.EqualFold(u.Host, r.Host) && u.Scheme == k.requestScheme(r)
}

// requestScheme is the scheme the client used: TLS on this connection, or
// what a trusted proxy says in X-Forwarded-Proto. From anyone else the
// header is ignored: a client could claim https to pass as the https origin.
func (k cookies) requestScheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	if !k.proxies.trusts(r) {
		return "http"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
		return p
	}
	return "http"
}

// cors answers allowed foreign origins with credentialed CORS headers and
// short-circuits their preflights.
func (k cookies) cors() gin.HandlerFunc {
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if origin == "" || !k.origins[origin] {
			c.Next()
			return
		}
		h := c.Writer.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		h.Add("Vary", "Origin")
		// Without this a cross-origin app cannot read when to retry a 429
		// or which request id to quote in a bug report.
		h.Set("Access-Control-Expose-Headers", "Retry-After, X-Request-ID")
		if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-ID")
			h.Set("Access-Control-Max-Age", "600")
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		c.Next()
	}
}
