package httpapi

import (
	"net/http"
	"testing"
)

func TestTrustedProxiesTrustThePeerOnly(t *testing.T) {
	p, err := parseTrustedProxies([]string{"10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "::ffff:198.51.100.0/120"})
	if err != nil {
		t.Fatal(err)
	}
	for peer, want := range map[string]bool{
		"10.1.2.3:4000":          true,
		"[::ffff:10.1.2.3]:4000": true, // an IPv4 peer seen on a dual-stack socket
		"192.0.2.7:1":            true,
		"192.0.2.8:1":            false,
		"[2001:db8::1]:443":      true,
		"[2001:db9::1]:443":      false,
		"198.51.100.9:80":        true,
		"203.0.113.1:80":         false,
		"not an address":         false,
	} {
		r := &http.Request{RemoteAddr: peer, Header: http.Header{"X-Forwarded-For": {"10.0.0.1"}}}
		if got := p.trusts(r); got != want {
			t.Errorf("trusts(%s) = %v, want %v", peer, got, want)
		}
	}
	if (trustedProxies{}).trusts(&http.Request{RemoteAddr: "127.0.0.1:1"}) {
		t.Error("an empty list trusts a peer")
	}
	if _, err := parseTrustedProxies([]string{"10.0.0.0/33"}); err == nil {
		t.Error("a bad CIDR was accepted")
	}
}
