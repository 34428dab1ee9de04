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
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gojwt "github.com/golang-jwt/jwt/v5"
)

const jwksPath = "/.well-known/jwks.json"

// authServer plays authd's JWKS endpoint over TLS; keys can be added and
// removed, and the answer replaced, redirected, failed or held.
type authServer struct {
	*httptest.Server
	mu       sync.Mutex
	keys     map[string]crypto.Signer
	algs     map[string]string
	doc      []byte      // served instead of the keys when non-nil
	header   http.Header // added to every answer
	redirect string      // when set, answers 302 to it
	hold     chan struct{}
	trickle  bool          // with hold: send part of the body, then hold
	entered  chan struct{} // one send per held answer
	fetches  atomic.Int32
	fail     atomic.Bool
}

func newAuthServer(t *testing.T) *authServer {
	s := &authServer{keys: map[string]crypto.Signer{}, algs: map[string]string{}, header: http.Header{},
		entered: make(chan struct{}, 64)}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
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

func (s *authServer) set(f func(s *authServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

// block holds every answer until the returned func (also run at cleanup,
// before the server closes) is called; trickle sends the headers and the
// start of the body first.
func (s *authServer) block(t *testing.T, trickle bool) (release func()) {
	hold := make(chan struct{})
	s.set(func(s *authServer) { s.hold, s.trickle = hold, trickle })
	var once sync.Once
	release = func() {
		once.Do(func() {
			s.set(func(s *authServer) { s.hold = nil })
			close(hold)
		})
	}
	t.Cleanup(release)
	return release
}

func (s *authServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/moved" {
		http.Redirect(w, r, jwksPath, http.StatusMovedPermanently)
		return
	}
	s.fetches.Add(1)
	s.mu.Lock()
	hold, trickle, redirect, doc := s.hold, s.trickle, s.redirect, s.doc
	for k, v := range s.header {
		w.Header()[k] = v
	}
	keys := []map[string]string{{"kty": "oct", "kid": "sym", "k": "AAAA"}} // must be skipped
	for kid, k := range s.keys {
		keys = append(keys, toJWK(kid, s.algs[kid], k.Public()))
	}
	s.mu.Unlock()
	if hold != nil {
		if trickle {
			w.WriteHeader(http.StatusOK)
			w.Write([]byte(`{"keys":[`))
			w.(http.Flusher).Flush()
		}
		s.entered <- struct{}{}
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
		if trickle {
			return
		}
	}
	switch {
	case redirect != "":
		http.Redirect(w, r, redirect, http.StatusFound)
	case s.fail.Load():
		http.Error(w, "down", http.StatusInternalServerError)
	case doc != nil:
		w.Write(doc)
	default:
		json.NewEncoder(w).Encode(map[string]any{"keys": keys})
	}
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
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
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
	if alg == "ES256" {
		s, _ = withS(t, s, false)
	}
	return s
}

// withS rewrites an ES256 token's signature (r, s) to the equally valid
// (r, n-s) when needed so that s is in the high half (high) or the low
// half; it reports whether it changed the signature.
func withS(t *testing.T, token string, high bool) (string, bool) {
	t.Helper()
	i := strings.LastIndexByte(token, '.')
	sig, err := enc.DecodeString(token[i+1:])
	if err != nil || len(sig) != 64 {
		t.Fatalf("not an ES256 signature: %v", err)
	}
	n := elliptic.P256().Params().N
	sv := new(big.Int).SetBytes(sig[32:])
	if (sv.Cmp(new(big.Int).Rsh(n, 1)) > 0) == high {
		return token, false
	}
	sv.Sub(n, sv).FillBytes(sig[32:])
	return token[:i+1] + enc.EncodeToString(sig), true
}

// clock is a settable time source for the verifier.
type clock struct{ t atomic.Int64 }

func (c *clock) now() time.Time          { return time.Unix(0, c.t.Load()) }
func (c *clock) advance(d time.Duration) { c.t.Add(int64(d)) }

// newVerifier builds a verifier of s's keys on c (set to now), with a
// one-minute refresh interval and a ten-minute TTL unless edit says
// otherwise.
func newVerifier(t *testing.T, s *authServer, c *clock, edit ...func(*Config)) *Verifier {
	t.Helper()
	cfg := Config{JWKSURL: s.URL + jwksPath, Issuer: "authd", Audience: "api",
		MinRefreshInterval: time.Minute, CacheTTL: 10 * time.Minute, HTTPClient: s.Client()}
	for _, e := range edit {
		e(&cfg)
	}
	v, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.t.Store(time.Now().UnixNano())
	v.keys.now = c.now
	return v
}

// returns runs f and reports its error, failing the test if f hangs: a
// hang detector with a bound far beyond any real duration, not a timing
// assertion.
func returns(t *testing.T, f func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("hung")
	}
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// flipTrailingBit sets the lowest bit of the last character of unpadded
// base64url whose length leaves unused bits (not a multiple of 4): the
// lenient decoder reads the same bytes, the strict one refuses.
func flipTrailingBit(s string) string {
	last := strings.IndexByte(alphabet, s[len(s)-1])
	return s[:len(s)-1] + string(alphabet[last^1])
}
