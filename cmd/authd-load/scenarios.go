package main

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// registerStep registers a new user per call.
func (a *api) registerStep(run string) step {
	var seq atomic.Int64
	return func(ctx context.Context, w int) int {
		cr := creds{Email: fmt.Sprintf("reg-%s-%d@load.test", run, seq.Add(1)), Password: password}
		return a.post(ctx, "/v1/auth/register", cr.body(), nil)
	}
}

// loginStep logs worker w in as users[w % len(users)], again and again.
func (a *api) loginStep(users []account) step {
	return func(ctx context.Context, w int) int {
		return a.post(ctx, "/v1/auth/login", users[w%len(users)].body(), nil)
	}
}

// refreshStep: each worker follows its own rotation chain, starting from
// the refresh token of chains[w]; a broken chain (any refusal) moves the
// worker to a spare session so the run continues, and counts as an error.
func (a *api) refreshStep(chains []string, spares []string) step {
	tokens := make([]string, len(chains))
	copy(tokens, chains)
	var spare atomic.Int64
	return func(ctx context.Context, w int) int {
		var p pair
		st := a.post(ctx, "/v1/auth/refresh", map[string]string{"refreshToken": tokens[w]}, &p)
		switch {
		case st == http.StatusOK:
			tokens[w] = p.RefreshToken
		case st != 0:
			if i := int(spare.Add(1)) - 1; i < len(spares) {
				tokens[w] = spares[i]
			}
		}
		return st
	}
}

// meStep asks /v1/auth/me with each of tokens in turn, so the users read
// are spread over the table.
func (a *api) meStep(tokens []string) step {
	var next atomic.Int64
	return func(ctx context.Context, _ int) int {
		return a.get(ctx, "/v1/auth/me", tokens[int(next.Add(1)-1)%len(tokens)])
	}
}

// isolation measures /v1/auth/me alone, then while a login flood of
// floodC workers keeps the hash pool saturated.
func (a *api) isolation(ctx context.Context, meTokens []string, users []account, meC, floodC int,
	d time.Duration) (idle, loaded, flood Result) {
	idle = drive(ctx, "me-idle", meC, d, a.meStep(meTokens))
	fctx, stop := context.WithCancel(ctx)
	done := make(chan Result, 1)
	go func() { done <- drive(fctx, "login-flood", floodC, d+2*time.Second, a.loginStep(users)) }()
	time.Sleep(2 * time.Second) // let the flood fill the queue first
	loaded = drive(ctx, "me-under-login-flood", meC, d, a.meStep(meTokens))
	stop()
	flood = <-done
	return idle, loaded, flood
}
