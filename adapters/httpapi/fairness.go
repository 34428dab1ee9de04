package httpapi

import (
	"net/netip"

	"github.com/gin-gonic/gin"

	"github.com/authd-dev/authd/ports"
)

// fairByClient names the request's client as its ports.FairnessKey, so the
// password hasher serves client addresses in turn and one address's flood
// waits behind everyone else's requests rather than in front of them. Only
// routes that hash carry it: it costs a context per request.
func fairByClient() gin.HandlerFunc {
	return func(c *gin.Context) {
		key := fairnessKey(c.ClientIP())
		c.Request = c.Request.WithContext(ports.WithFairnessKey(c.Request.Context(), key))
		c.Next()
	}
}

// fairnessKey is an IPv4 address itself and an IPv6 address's /64, the
// block one subscriber is usually given, so that walking through its own
// addresses gives a client no more turns. Anything unparsable is its own key.
func fairnessKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	p, err := a.WithZone("").Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}
