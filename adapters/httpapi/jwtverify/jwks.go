package jwtverify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxJWKSBytes bounds the key set document; real ones are a few KiB.
const maxJWKSBytes = 1 << 20

// publicKey is one usable key of the set.
type publicKey struct {
	alg string
	key any // ed25519.PublicKey, *ecdsa.PublicKey or *rsa.PublicKey
}

// fetched is the outcome of one good fetch.
type fetched struct {
	keys   map[string]publicKey
	maxAge time.Duration // from Cache-Control; -1 when it says nothing
}

// fetchKeySet gets and parses the set. The whole exchange, body included,
// must end within ctx: a server that trickles its answer fails the fetch.
func fetchKeySet(ctx context.Context, client *http.Client, url string, algs []string) (fetched, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fetched{}, fmt.Errorf("jwtverify: %w", err)
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fetched{}, fmt.Errorf("jwtverify: fetching JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fetched{}, fmt.Errorf("jwtverify: fetching JWKS: status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return fetched{}, fmt.Errorf("jwtverify: reading JWKS: %w", err)
	}
	if len(body) > maxJWKSBytes {
		return fetched{}, fmt.Errorf("jwtverify: JWKS larger than %d bytes", maxJWKSBytes)
	}
	keys, err := parseKeySet(body, algs)
	if err != nil {
		return fetched{}, err
	}
	return fetched{keys: keys, maxAge: maxAge(resp.Header)}, nil
}

// parseKeySet keeps the signature keys it understands and whose algorithm
// is accepted; others (encryption keys, unknown types) are skipped, so
// authd can add key types without breaking older verifiers. A document
// that is not one JSON object, that repeats a kid (RFC 7517 §4.5: which
// key would be meant?), or that has no usable key is an error, so the
// caller keeps its last good set.
func parseKeySet(body []byte, algs []string) (map[string]publicKey, error) {
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	// Unmarshal, unlike a Decoder, refuses anything after the value.
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("jwtverify: decoding JWKS: %w", err)
	}
	seen := make(map[string]bool, len(doc.Keys))
	out := make(map[string]publicKey, len(doc.Keys))
	for _, j := range doc.Keys {
		if j.Kid != "" && seen[j.Kid] {
			return nil, fmt.Errorf("jwtverify: JWKS repeats kid %q", j.Kid)
		}
		seen[j.Kid] = true
		if j.Kid == "" || len(j.Kid) > maxKIDBytes || !j.forVerifying() {
			continue
		}
		alg, key, err := j.parse()
		if err != nil || !slices.Contains(algs, alg) {
			continue
		}
		out[j.Kid] = publicKey{alg: alg, key: key}
	}
	if len(out) == 0 {
		return nil, errors.New("jwtverify: JWKS has no usable signature key")
	}
	return out, nil
}

// maxAge reads Cache-Control: no-cache or no-store is 0, max-age=N is N
// seconds, anything else -1 (the caller's default applies).
func maxAge(h http.Header) time.Duration {
	age := time.Duration(-1)
	for _, field := range h.Values("Cache-Control") {
		for _, d := range strings.Split(field, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), "=")
			switch strings.ToLower(name) {
			case "no-cache", "no-store":
				return 0
			case "max-age":
				if n, err := strconv.ParseInt(strings.Trim(value, `"`), 10, 64); err == nil && n >= 0 {
					age = time.Duration(min(n, int64(maxCacheTTL/time.Second))) * time.Second
				}
			}
		}
	}
	return age
}
