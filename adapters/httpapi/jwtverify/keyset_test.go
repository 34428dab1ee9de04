package jwtverify

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// jwksDoc renders keys (kid -> signer, all EdDSA) with per-key edits.
func jwksDoc(t *testing.T, keys map[string]crypto.Signer, edit func(kid string, j map[string]any)) []byte {
	t.Helper()
	var out []map[string]any
	for kid, k := range keys {
		j := map[string]any{}
		for name, v := range toJWK(kid, "EdDSA", k.Public()) {
			j[name] = v
		}
		if edit != nil {
			edit(kid, j)
		}
		out = append(out, j)
	}
	b, err := json.Marshal(map[string]any{"keys": out})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUnusableSetKeepsLastGood: a 200 whose document has no usable key is
// a failed fetch; the last good set keeps serving.
func TestUnusableSetKeepsLastGood(t *testing.T) {
	for name, doc := range map[string]string{
		"empty object":  `{}`,
		"empty keys":    `{"keys":[]}`,
		"null":          `null`,
		"null keys":     `{"keys":null}`,
		"error object":  `{"error":"internal","code":"INTERNAL"}`,
		"only oct keys": `{"keys":[{"kty":"oct","kid":"k1","k":"c2VjcmV0"}]}`,
		"array":         `[]`,
		"empty body":    ``,
	} {
		t.Run(name, func(t *testing.T) {
			s := newAuthServer(t)
			k := s.add(t, "k1", "EdDSA")
			c := &clock{}
			v := newVerifier(t, s, c)
			token := sign(t, "EdDSA", "k1", k, goodClaims(), nil)
			if _, err := v.Verify(context.Background(), token); err != nil {
				t.Fatal(err)
			}
			s.set(func(s *authServer) { s.doc = []byte(doc) })
			c.advance(time.Minute)
			if err := v.Refresh(context.Background()); err == nil {
				t.Fatal("the fetch of an unusable set succeeded")
			}
			if _, err := v.Verify(context.Background(), token); err != nil {
				t.Fatalf("the last good set was replaced: %v", err)
			}
		})
	}
}

// TestMalformedSetIsRefused: a set repeating a kid, or followed by more
// data, is refused whole; a key whose key_ops exclude verify is skipped.
func TestMalformedSetIsRefused(t *testing.T) {
	k1, k1b, k2 := genKey(t, "EdDSA"), genKey(t, "EdDSA"), genKey(t, "EdDSA")
	good := sign(t, "EdDSA", "k1", k1, goodClaims(), nil)
	dupA := jwksDoc(t, map[string]crypto.Signer{"k1": k1}, nil)
	dupB := jwksDoc(t, map[string]crypto.Signer{"k1": k1b}, nil)
	duplicated := append(append(dupA[:len(dupA)-2:len(dupA)-2], ','), dupB[len(`{"keys":[`):]...)
	cases := []struct {
		name  string
		doc   []byte
		token string
		want  error
	}{
		{"duplicate kid, first key", duplicated, good, ErrUnavailable},
		{"duplicate kid, last key", duplicated, sign(t, "EdDSA", "k1", k1b, goodClaims(), nil), ErrUnavailable},
		{"trailing data", append(jwksDoc(t, map[string]crypto.Signer{"k1": k1}, nil), []byte(`{"keys":[]}`)...), good, ErrUnavailable},
		{"trailing garbage", append(jwksDoc(t, map[string]crypto.Signer{"k1": k1}, nil), 'x'), good, ErrUnavailable},
		{"key_ops without verify", jwksDoc(t, map[string]crypto.Signer{"k1": k1, "k2": k2}, func(kid string, j map[string]any) {
			if kid == "k1" {
				j["key_ops"] = []string{"sign", "encrypt"}
			}
		}), good, ErrInvalid},
		{"empty key_ops", jwksDoc(t, map[string]crypto.Signer{"k1": k1, "k2": k2}, func(kid string, j map[string]any) {
			if kid == "k1" {
				j["key_ops"] = []string{}
			}
		}), good, ErrInvalid},
		{"key_ops with verify", jwksDoc(t, map[string]crypto.Signer{"k1": k1}, func(_ string, j map[string]any) {
			j["key_ops"] = []string{"verify"}
		}), good, nil},
		{"padded key", jwksDoc(t, map[string]crypto.Signer{"k1": k1, "k2": k2}, func(kid string, j map[string]any) {
			if kid == "k1" {
				j["x"] = j["x"].(string) + "="
			}
		}), good, ErrInvalid},
		{"key with non-zero trailing bits", jwksDoc(t, map[string]crypto.Signer{"k1": k1, "k2": k2}, func(kid string, j map[string]any) {
			if kid == "k1" {
				j["x"] = flipTrailingBit(j["x"].(string))
			}
		}), good, ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newAuthServer(t)
			s.set(func(s *authServer) { s.doc = tc.doc })
			v := newVerifier(t, s, &clock{})
			_, err := v.Verify(context.Background(), tc.token)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// TestCacheControlSetsTheTTL: the response's max-age decides when the set
// is refetched, within 30s and CacheTTL.
func TestCacheControlSetsTheTTL(t *testing.T) {
	cases := []struct {
		header       string
		fresh, stale time.Duration
	}{
		{"public, max-age=60", 59 * time.Second, 61 * time.Second},
		{"max-age=1", 29 * time.Second, 31 * time.Second},                // floor
		{"max-age=86400", 9 * time.Minute, 10*time.Minute + time.Second}, // CacheTTL
		{"no-cache", 29 * time.Second, 31 * time.Second},
		{"", 9 * time.Minute, 10*time.Minute + time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.header, func(t *testing.T) {
			s := newAuthServer(t)
			k := s.add(t, "k1", "EdDSA")
			s.set(func(s *authServer) { s.header.Set("Cache-Control", tc.header) })
			c := &clock{}
			v := newVerifier(t, s, c, func(c *Config) { c.MinRefreshInterval = time.Second })
			token := sign(t, "EdDSA", "k1", k, goodClaims(), nil)
			ctx := context.Background()
			if _, err := v.Verify(ctx, token); err != nil {
				t.Fatal(err)
			}
			c.advance(tc.fresh)
			v.Verify(ctx, token)
			if n := fetchesStarted(v); n != 1 {
				t.Fatalf("%d fetches while fresh, want 1", n)
			}
			release := s.block(t, false)
			c.advance(tc.stale - tc.fresh)
			returns(t, func() error { // answered from the stale set; refetches
				_, err := v.Verify(ctx, token)
				return err
			})
			returns(t, func() error { <-s.entered; return nil })
			release()
		})
	}
}
