package main

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/adapters/secret"
	"github.com/authd-dev/authd/adapters/sqlstore"
	"github.com/authd-dev/authd/domain"
)

// population is what the token scenarios start from: access tokens of
// users spread over the table, the sessions the storage floor rotates, and
// a refresh step.
type population struct {
	size     int
	access   []string
	floorIDs []string
	refresh  func(a *api, c int) step
}

// meSample is how many users' access tokens the me scenarios cycle through.
const meSample = 4096

// bulkSeed writes p into cfg's database with a progress bar per table,
// then refreshes the planner's statistics, as a long-running database has.
func bulkSeed(ctx context.Context, cfg authd.Config, p bulkPlan) error {
	db, err := sqlstore.Open(ctx, cfg.Storage.Driver, cfg.Storage.DataSource(), sqlstore.SizedPool(bulkWorkers+1, 30*time.Minute))
	if err != nil {
		return err
	}
	defer db.Close() // the connections carry MySQL's relaxed checks: never reused
	sqlDB, dialect := db.SQL(), db.Dialect()
	tables := []struct {
		name    string
		columns []string
		n       int
		row     func(int) []any
	}{
		{"users", userColumns, p.users, p.userRow},
		{"sessions", sessionColumns, p.users + p.ended, p.sessionRow},
		{"one_time_tokens", tokenColumns, p.tokens, p.tokenRow},
	}
	for _, t := range tables {
		if t.n == 0 {
			continue
		}
		var done atomic.Int64
		stop := progressBar("seeding "+t.name, t.n, &done)
		err := bulkTable(ctx, sqlDB, dialect, t.name, t.columns, t.n, t.row, &done)
		stop()
		if err != nil {
			return err
		}
	}
	analyze := map[string]string{"postgres": "ANALYZE users, sessions, one_time_tokens",
		"mysql": "ANALYZE TABLE users, sessions, one_time_tokens", "sqlite": "ANALYZE"}[dialect]
	_, err = sqlDB.ExecContext(ctx, analyze)
	return err
}

// bulkPopulation mints, for plan's seeded rows, access tokens of meSample
// users spread over the table and a refresh step that rotates sessions
// spread over it (each request a different row, so the table's size shows).
func bulkPopulation(cfg authd.Config, p bulkPlan) (*population, error) {
	if p.users < floorSessions+meSample/64 {
		return nil, fmt.Errorf("at least %d users are needed", floorSessions+meSample/64)
	}
	tokens, err := hs256Tokens(cfg, clock.NewSystem())
	if err != nil {
		return nil, err
	}
	raw, err := secret.Resolve(cfg.Keys.RefreshSecret, "AUTHD_REFRESH_SECRET", cfg.Storage.DataDir, false, nil)
	if err != nil {
		return nil, err
	}
	key, err := domain.NewRefreshKey(raw)
	if err != nil {
		return nil, err
	}
	live := p.users - floorSessions // the last ones belong to the storage floor
	pop := &population{size: p.users}
	walk := newStride(live)
	for k := range min(meSample, live) {
		i := walk.at(k)
		tok, err := tokens.Issue(domain.AccessClaims{Subject: seedUserID(i), Role: domain.RoleUser,
			SessionID: seedSessionID(i), ID: seedID(3, i), IssuedAt: p.now, ExpiresAt: p.now.Add(3 * time.Hour)})
		if err != nil {
			return nil, err
		}
		pop.access = append(pop.access, tok)
	}
	for j := range floorSessions {
		pop.floorIDs = append(pop.floorIDs, seedSessionID(live+j))
	}
	gens := make([]atomic.Uint32, walk.n) // shared by every refresh step: a session's generation moves on
	var next atomic.Int64
	pop.refresh = func(a *api, _ int) step { return a.spreadRefreshStep(p, key, walk, gens, &next) }
	return pop, nil
}

// spreadRefreshStep refreshes a different seeded session each call, in
// stride order over the table; after a full round a session is rotated
// again from the generation it reached (gens, indexed like the table).
func (a *api) spreadRefreshStep(p bulkPlan, key domain.RefreshKey, walk stride, gens []atomic.Uint32,
	next *atomic.Int64) step {
	return func(ctx context.Context, _ int) int {
		i := walk.at(int(next.Add(1) - 1))
		g := uint64(gens[i].Load()) + 1
		tok := key.MintRefreshToken(p.seedSession(i), g)
		st := a.post(ctx, "/v1/auth/refresh", map[string]string{"refreshToken": tok}, nil)
		if st == http.StatusOK {
			gens[i].Add(1)
		}
		return st
	}
}

// stride visits 0..n-1 in a scattered order: k*step mod n with step
// coprime to n.
type stride struct{ n, step int }

func newStride(n int) stride {
	step := 7919 % max(n, 1)
	for step < 1 || gcd(step, n) != 1 {
		step++
	}
	return stride{n: n, step: step}
}

func (s stride) at(k int) int { return int((int64(k) * int64(s.step)) % int64(s.n)) }

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// httpPopulation is the population of users registered over HTTP (a
// server someone else started): refresh follows one rotation chain per
// worker, as only the first token of each session is known.
func httpPopulation(acc []account) *population {
	pop := &population{size: len(acc)}
	for _, x := range acc[:len(acc)-floorSessions] {
		pop.access = append(pop.access, x.AccessToken)
	}
	for _, x := range acc[len(acc)-floorSessions:] {
		pop.floorIDs = append(pop.floorIDs, sessionID(x.AccessToken))
	}
	pop.refresh = func(a *api, c int) step {
		return a.refreshStep(refreshTokens(acc[:c]), refreshTokens(acc[c:len(acc)-floorSessions]))
	}
	return pop
}
