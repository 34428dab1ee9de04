package jwtverify

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Defaults and bounds of Config; see its fields.
const (
	defaultLeeway      = 30 * time.Second
	maxLeeway          = 60 * time.Second
	defaultMinInterval = time.Second
	defaultCacheTTL    = 5 * time.Minute
	minCacheTTL        = 30 * time.Second
	maxCacheTTL        = 24 * time.Hour
	// fetchTimeout bounds one fetch, connection to last body byte.
	fetchTimeout = 10 * time.Second
	// maxRedirects bounds same-origin redirects of one fetch.
	maxRedirects = 3
	// maxKIDBytes refuses absurd kids before they reach the key cache;
	// authd's are 43 characters (RFC 7638 thumbprints).
	maxKIDBytes = 256
)

var asymmetric = []string{"EdDSA", "ES256", "RS256"}

// checkConfig validates cfg, fills in its defaults and returns the parsed
// JWKS URL.
func checkConfig(cfg *Config) (*url.URL, error) {
	if cfg.JWKSURL == "" || cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("jwtverify: JWKSURL, Issuer and Audience are required")
	}
	origin, err := checkURL(cfg.JWKSURL, cfg.InsecureLoopbackHTTP)
	if err != nil {
		return nil, err
	}
	if len(cfg.Algorithms) == 0 {
		cfg.Algorithms = asymmetric
	}
	for _, a := range cfg.Algorithms {
		// A public key set can only verify asymmetric signatures; allowing
		// HS256 here would invite the classic alg-confusion attack.
		if !slices.Contains(asymmetric, a) {
			return nil, fmt.Errorf("jwtverify: unsupported algorithm %q (want EdDSA, ES256 or RS256)", a)
		}
	}
	cfg.Leeway = orDefault(cfg.Leeway, defaultLeeway)
	cfg.CacheTTL = orDefault(cfg.CacheTTL, defaultCacheTTL)
	cfg.MinRefreshInterval = orDefault(cfg.MinRefreshInterval, defaultMinInterval)
	switch {
	case cfg.Leeway < 0 || cfg.Leeway > maxLeeway:
		return nil, fmt.Errorf("jwtverify: Leeway %v is outside 0..%v", cfg.Leeway, maxLeeway)
	case cfg.CacheTTL < minCacheTTL || cfg.CacheTTL > maxCacheTTL:
		return nil, fmt.Errorf("jwtverify: CacheTTL %v is outside %v..%v", cfg.CacheTTL, minCacheTTL, maxCacheTTL)
	case cfg.MinRefreshInterval < 0 || cfg.MinRefreshInterval > cfg.CacheTTL:
		return nil, fmt.Errorf("jwtverify: MinRefreshInterval %v is outside 0..CacheTTL", cfg.MinRefreshInterval)
	}
	return origin, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// checkURL insists on https: over anything else whoever sits on the path
// could hand the verifier their own key and mint any token.
func checkURL(raw string, insecureLoopback bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("jwtverify: JWKSURL: %w", err)
	}
	switch {
	case u.Host == "":
		return nil, fmt.Errorf("jwtverify: JWKSURL %q has no host", raw)
	case u.Scheme == "https":
		return u, nil
	case u.Scheme == "http" && insecureLoopback && isLoopbackIP(u.Hostname()):
		return u, nil
	case u.Scheme == "http" && insecureLoopback:
		return nil, fmt.Errorf("jwtverify: InsecureLoopbackHTTP needs a loopback IP, not %q", u.Hostname())
	}
	return nil, fmt.Errorf("jwtverify: JWKSURL must be https, not %q", u.Scheme)
}

func isLoopbackIP(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// fetchClient copies c (nil: a zero client) with a redirect policy that
// stays on origin, so a redirect can never swap in another party's keys
// (RFC 8725 §3.10) nor downgrade https to http.
func fetchClient(c *http.Client, origin *url.URL) *http.Client {
	var cp http.Client
	if c != nil {
		cp = *c
	}
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("jwtverify: more than %d redirects", maxRedirects)
		}
		if req.URL.Scheme != origin.Scheme || !strings.EqualFold(req.URL.Host, origin.Host) {
			return fmt.Errorf("jwtverify: refusing redirect to another origin (%s://%s)", req.URL.Scheme, req.URL.Host)
		}
		return nil
	}
	return &cp
}
