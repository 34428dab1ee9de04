package jwtverify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestNewRequiresHTTPS(t *testing.T) {
	base := Config{Issuer: "authd", Audience: "api"}
	for _, url := range []string{
		"http://auth.example.com/.well-known/jwks.json",
		"http://127.0.0.1:8080/.well-known/jwks.json", // loopback, but no opt-in
		"file:///etc/authd/jwks.json",
		"ftp://auth.example.com/jwks.json",
		"https:///jwks.json",
		"/.well-known/jwks.json",
	} {
		cfg := base
		cfg.JWKSURL = url
		if _, err := New(cfg); err == nil {
			t.Errorf("%s accepted", url)
		}
	}
	cfg := base
	cfg.JWKSURL = "http://auth.example.com/jwks.json"
	allowLoopbackHTTP(&cfg)
	if _, err := New(cfg); err == nil {
		t.Error("the opt-in accepted a host that is not a loopback IP")
	}
}

// TestLoopbackHTTPOptIn: plain http works only with the opt-in, for tests.
func TestLoopbackHTTPOptIn(t *testing.T) {
	s := newAuthServer(t)
	k := s.add(t, "k1", "EdDSA")
	plain := httptest.NewServer(http.HandlerFunc(s.serve))
	defer plain.Close()
	cfg := Config{JWKSURL: plain.URL + jwksPath, Issuer: "authd", Audience: "api"}
	allowLoopbackHTTP(&cfg)
	v, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), sign(t, "EdDSA", "k1", k, goodClaims(), nil)); err != nil {
		t.Fatal(err)
	}
}

// TestRedirectToAnotherOriginIsRefused: a redirect of the key set URL,
// to another https host or down to http, must not make the verifier
// trust that host's key, whatever redirect policy the caller's client has.
func TestRedirectToAnotherOriginIsRefused(t *testing.T) {
	attacker := newAuthServer(t)
	evil := attacker.add(t, "evil", "EdDSA")
	plain := httptest.NewServer(http.HandlerFunc(attacker.serve))
	defer plain.Close()
	forged := goodClaims()
	forged["role"] = "admin"
	for _, target := range []string{attacker.URL + jwksPath, plain.URL + jwksPath} {
		for name, permissive := range map[string]bool{"own client": false, "caller's permissive client": true} {
			t.Run(strings.SplitN(target, ":", 2)[0]+" "+name, func(t *testing.T) {
				s := newAuthServer(t)
				s.set(func(s *authServer) { s.redirect = target })
				v := newVerifier(t, s, &clock{}, func(c *Config) {
					if permissive {
						c.HTTPClient.CheckRedirect = func(*http.Request, []*http.Request) error { return nil }
					}
				})
				before := attacker.fetches.Load()
				_, err := v.Verify(context.Background(), sign(t, "EdDSA", "evil", evil, forged, nil))
				if !errors.Is(err, ErrUnavailable) {
					t.Fatalf("forged admin token: %v, want ErrUnavailable", err)
				}
				if attacker.fetches.Load() != before {
					t.Fatal("the redirect was followed")
				}
			})
		}
	}
}

func TestSameOriginRedirectIsFollowed(t *testing.T) {
	s := newAuthServer(t)
	k := s.add(t, "k1", "ES256")
	v := newVerifier(t, s, &clock{}, func(c *Config) { c.JWKSURL = s.URL + "/moved" })
	if _, err := v.Verify(context.Background(), sign(t, "ES256", "k1", k, goodClaims(), nil)); err != nil {
		t.Fatal(err)
	}
}

func TestCallerClientIsNotModified(t *testing.T) {
	s := newAuthServer(t)
	k := s.add(t, "k1", "EdDSA")
	client := s.Client()
	v := newVerifier(t, s, &clock{}, func(c *Config) { c.HTTPClient = client })
	if _, err := v.Verify(context.Background(), sign(t, "EdDSA", "k1", k, goodClaims(), nil)); err != nil {
		t.Fatal(err)
	}
	if client.CheckRedirect != nil || client.Timeout != 0 {
		t.Fatal("the caller's client was changed")
	}
}

// TestStuckFetchGivesUp: a key set server that never answers, or trickles
// its body, fails the fetch even with a caller's client that has no
// timeout; requests get 503 meanwhile, and the verifier recovers.
func TestStuckFetchGivesUp(t *testing.T) {
	for name, trickle := range map[string]bool{"no answer": false, "trickled body": true} {
		t.Run(name, func(t *testing.T) {
			s := newAuthServer(t)
			k := s.add(t, "k1", "EdDSA")
			c := &clock{}
			v := newVerifier(t, s, c, func(c *Config) { c.HTTPClient = &http.Client{Transport: s.Client().Transport} })
			restore := shortFetchTimeout(v)
			release := s.block(t, trickle)
			token := sign(t, "EdDSA", "k1", k, goodClaims(), nil)
			returns(t, func() error {
				if _, err := v.Verify(context.Background(), token); !errors.Is(err, ErrUnavailable) {
					return fmt.Errorf("while stuck: %v, want ErrUnavailable", err)
				}
				return nil
			})
			release()
			restore()
			c.advance(time.Minute)
			if _, err := v.Verify(context.Background(), token); err != nil {
				t.Fatalf("after the server recovered: %v", err)
			}
		})
	}
}

// TestStaleSetServesWhileRefetchHangs: once the set is older than its TTL,
// a token with a known kid is answered from it at once while the refetch
// runs in the background.
func TestStaleSetServesWhileRefetchHangs(t *testing.T) {
	s := newAuthServer(t)
	k := s.add(t, "k1", "RS256")
	c := &clock{}
	v := newVerifier(t, s, c)
	token := sign(t, "RS256", "k1", k, goodClaims(), nil)
	if _, err := v.Verify(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	release := s.block(t, false)
	c.advance(11 * time.Minute)
	for range 3 {
		returns(t, func() error {
			_, err := v.Verify(context.Background(), token)
			return err
		})
	}
	<-s.entered // the background refetch reached the server
	release()
	if err := v.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := s.fetches.Load(); n != 2 {
		t.Fatalf("%d fetches, want 2 (one background refetch for three requests)", n)
	}
}
