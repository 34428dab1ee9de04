package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
)

// api talks to one authd over HTTP.
type api struct {
	base string
	hc   *http.Client
}

// pair is what register, login and refresh return (JSON keys match the
// field names case-insensitively).
type pair struct {
	AccessToken  string
	RefreshToken string
}

// post sends body as JSON and decodes a 2xx answer into out (if not nil).
func (a *api) post(ctx context.Context, path string, body any, out any) int {
	raw, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+path, bytes.NewReader(raw))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	return a.do(req, out)
}

// get sends a GET with the bearer token.
func (a *api) get(ctx context.Context, path, bearer string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.base+path, nil)
	if err != nil {
		return 0
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return a.do(req, nil)
}

func (a *api) do(req *http.Request, out any) int {
	res, err := a.hc.Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	if out != nil && res.StatusCode/100 == 2 {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			return 0
		}
	}
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

// creds is a user's email and password.
type creds struct {
	Email    string
	Password string
}

// body is the register/login request (the architecture keeps JSON tags
// in the HTTP adapter, so the tool spells its bodies as maps).
func (c creds) body() map[string]string {
	return map[string]string{"email": c.Email, "password": c.Password}
}

const password = "load-test-password-0001"

// account is a registered user and its first session's tokens.
type account struct {
	creds
	pair
}

// seed registers n users named prefix-<i>@load.test with c workers.
func (a *api) seed(ctx context.Context, prefix string, n, c int) ([]account, error) {
	out := make([]account, n)
	var next, failed atomic.Int64
	done := make(chan struct{}, c)
	for range c {
		go func() {
			defer func() { done <- struct{}{} }()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				cr := creds{Email: fmt.Sprintf("%s-%d@load.test", prefix, i), Password: password}
				var p pair
				if st := a.post(ctx, "/v1/auth/register", cr.body(), &p); st != http.StatusCreated {
					failed.Add(1)
				}
				out[i] = account{cr, p}
			}
		}()
	}
	for range c {
		<-done
	}
	if f := failed.Load(); f > 0 {
		return out, fmt.Errorf("seeding %s: %d of %d registrations failed", prefix, f, n)
	}
	return out, ctx.Err()
}

// sessionID reads the sid claim of an access token (no verification: the
// tool only needs to know which row a token belongs to).
func sessionID(access string) string {
	parts := strings.Split(access, ".")
	if len(parts) != 3 {
		return ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c struct {
		Sid string
	}
	_ = json.Unmarshal(raw, &c)
	return c.Sid
}
