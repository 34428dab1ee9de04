package jwtverify

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

// authServer plays authd's JWKS endpoint; keys can be added and removed.
type authServer struct {
	*httptest.Server
	mu      sync.Mutex
	keys    map[string]crypto.Signer
	algs    map[string]string
	fetches atomic.Int32
	fail    atomic.Bool
	delay   time.Duration
}

func newAuthServer(t *testing.T) *authServer {
	s := &authServer{keys: map[string]crypto.Signer{}, algs: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *authServer) add(t *testing.T, kid, alg string) crypto.Signer {
	k := genKey(t, alg)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[kid], s.algs[kid] = k, alg
	return k
}

func (s *authServer) remove(kid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, kid)
}

func (s *authServer) serve(w http.ResponseWriter, _ *http.Request) {
	s.fetches.Add(1)
	time.Sleep(s.delay)
	if s.fail.Load() {
		http.Error(w, "down", http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := []map[string]string{{"kty": "oct", "kid": "sym", "k": "AAAA"}} // must be skipped
	for kid, k := range s.keys {
		keys = append(keys, toJWK(kid, s.algs[kid], k.Public()))
	}
	json.NewEncoder(w).Encode(map[string]any{"keys": keys})
}

var enc = base64.RawURLEncoding

func toJWK(kid, alg string, pub crypto.PublicKey) map[string]string {
	j := map[string]string{"kid": kid, "alg": alg, "use": "sig"}
	switch p := pub.(type) {
	case ed25519.PublicKey:
		j["kty"], j["crv"], j["x"] = "OKP", "Ed25519", enc.EncodeToString(p)
	case *ecdsa.PublicKey:
		b, _ := p.Bytes()
		j["kty"], j["crv"], j["x"], j["y"] = "EC", "P-256", enc.EncodeToString(b[1:33]), enc.EncodeToString(b[33:])
	case *rsa.PublicKey:
		j["kty"], j["n"], j["e"] = "RSA", enc.EncodeToString(p.N.Bytes()), enc.EncodeToString(big.NewInt(int64(p.E)).Bytes())
	}
	return j
}

func genKey(t *testing.T, alg string) crypto.Signer {
	t.Helper()
	var k crypto.Signer
	var err error
	switch alg {
	case "EdDSA":
		_, k, err = ed25519.GenerateKey(rand.Reader)
	case "ES256":
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "RS256":
		k, err = rsa.GenerateKey(rand.Reader, 2048)
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func goodClaims() gojwt.MapClaims {
	now := time.Now()
	return gojwt.MapClaims{
		"iss": "authd", "aud": "api", "sub": "user-1", "role": "user", "sid": "s1", "jti": "j1",
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(),
	}
}

func sign(t *testing.T, alg, kid string, key any, claims gojwt.MapClaims, edit map[string]any) string {
	t.Helper()
	tok := gojwt.NewWithClaims(gojwt.GetSigningMethod(alg), claims)
	tok.Header["typ"], tok.Header["kid"] = "at+jwt", kid
	for k, v := range edit {
		if v == nil {
			delete(tok.Header, k)
		} else {
			tok.Header[k] = v
		}
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// clock is a settable time source for the key cache.
type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time          { return time.Unix(0, c.t.Load()) }
func (c *clock) advance(d time.Duration) { c.t.Add(int64(d)) }

func newVerifier(t *testing.T, s *authServer, c *clock) *Verifier {
	t.Helper()
	v, err := New(Config{JWKSURL: s.URL + "/.well-known/jwks.json", Issuer: "authd", Audience: "api",
		MinRefreshInterval: time.Minute, CacheTTL: 10 * time.Minute, HTTPClient: s.Client()})
	if err != nil {
		t.Fatal(err)
	}
	c.t.Store(time.Now().UnixNano())
	v.keys.now = c.now
	return v
}
