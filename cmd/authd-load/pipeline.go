package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/authd-dev/authd"
)

// floorSessions is how many seeded sessions (the last ones) the storage
// floor rotates directly; the refresh scenario never touches them.
const floorSessions = 32

// rssEvery is how often the started server's memory split is sampled.
const rssEvery = 200 * time.Millisecond

// run measures what o asks for, starting authd itself with -start.
func run(ctx context.Context, o options) (*Report, error) {
	rep := newReport(o)
	if o.onlyVerify() {
		err := measure(ctx, o, rep, "", nil, nil, 0)
		rep.judge()
		return rep, err
	}
	if !o.start {
		return rep, runExternal(ctx, o, rep)
	}
	dir, err := os.MkdirTemp("", "authd-load-")
	if err != nil {
		return rep, err
	}
	defer os.RemoveAll(dir)
	progress("building ./cmd/authd")
	bin, err := buildServer(dir)
	if err != nil {
		return rep, err
	}
	for _, size := range o.sizes() {
		if err := runSize(ctx, o, rep, bin, dir, size); err != nil {
			return rep, err
		}
	}
	rep.judge()
	return rep, nil
}

// runSize measures the scenarios on a fresh database seeded with size
// users, each with a live session, by a server started for it.
func runSize(ctx context.Context, o options, rep *Report, bin, dir string, size int) error {
	dsn, drop, err := freshDatabase(ctx, o.backend, o.dsn, dir)
	if err != nil {
		return fmt.Errorf("fresh %s database: %w", o.backend, err)
	}
	defer drop()
	s, err := startServer(ctx, bin, filepath.Join(dir, "authd.log"), o.env(dir, dsn, o.cost))
	if err != nil {
		return err
	}
	defer func() { rep.PeakRSSKiB = max(rep.PeakRSSKiB, s.stop()) }()
	cfg, err := s.config()
	if err != nil {
		return err
	}
	hash, err := bcryptHash(o.cost)
	if err != nil {
		return err
	}
	plan := bulkPlan{users: size, hash: string(hash), now: time.Now().UTC()}
	if o.wants("purge") {
		plan.ended, plan.tokens = o.purgeRows, o.purgeRows
	}
	progress("seeding %d users and sessions on %s", size, o.backend)
	t := time.Now()
	if err := bulkSeed(ctx, cfg, plan); err != nil {
		return err
	}
	rep.SeedSeconds += time.Since(t).Seconds()
	pop, err := bulkPopulation(cfg, plan)
	if err != nil {
		return err
	}
	rep.Pid, rep.size = s.cmd.Process.Pid, size
	rss := sampleRSS(s.cmd.Process.Pid, rssEvery)
	err = measure(ctx, o, rep, s.base, &cfg, pop, s.cmd.Process.Pid)
	anon, file := rss.peaks()
	rep.AnonKiB, rep.FileKiB = max(rep.AnonKiB, anon), max(rep.FileKiB, file)
	if err == nil && o.wants("purge") {
		err = purgeScenario(ctx, o, rep, &s, pop, plan)
	}
	return err
}

// runExternal drives a server someone else started at o.url. The storage
// floor runs when this process has the server's AUTHD_DB_* environment.
func runExternal(ctx context.Context, o options, rep *Report) error {
	var cfg *authd.Config
	if os.Getenv("AUTHD_DB_DSN") != "" {
		c, err := authd.Load(nil, os.Getenv, io.Discard)
		if err != nil {
			return err
		}
		cfg = &c
	}
	var pop *population
	if o.needsAccounts() {
		progress("seeding %d users on %s (at the server's bcrypt cost)", o.users, o.url)
		accounts, err := client(o.url, 16).seed(ctx, "user-"+runID(), max(o.users, o.c["refresh"]+2*floorSessions), 8)
		if err != nil {
			return err
		}
		pop = httpPopulation(accounts)
	}
	err := measure(ctx, o, rep, o.url, cfg, pop, o.pid)
	if o.pid > 0 {
		rep.PeakRSSKiB = peakRSS(o.pid)
	}
	rep.judge()
	return err
}

// env is the started server's environment: baseEnv plus -server-env.
func (o options) env(dir, dsn string, cost int) map[string]string {
	env := baseEnv(dir, o.backend, dsn, cost)
	for k, v := range o.serverEnv {
		env[k] = v
	}
	return env
}

// needsAccounts: the scenarios that start from seeded users' tokens.
func (o options) needsAccounts() bool {
	return o.wants("refresh") || o.wants("me") || o.wants("isolation")
}

// onlyVerify: the verify scenario runs in-process and needs no authd.
func (o options) onlyVerify() bool { return len(o.scenarios) == 1 && o.wants("verify") }

func client(base string, conns int) *api {
	return &api{base: base, hc: &http.Client{Transport: newTransport(conns), Timeout: time.Minute}}
}

// measure runs the scenarios and their floors, in an order that keeps the
// floors next to what they bound.
func measure(ctx context.Context, o options, rep *Report, base string, cfg *authd.Config, pop *population, pid int) error {
	a := client(base, 64)
	var loginUsers []account
	if o.wants("login") || o.wants("isolation") || o.wants("hashflood") {
		var err error
		if loginUsers, err = a.seed(ctx, "login-"+runID(), 8, 4); err != nil {
			return err
		}
	}
	if o.wants("login") {
		progress("bcrypt floor and login, alternating")
		hash, err := bcryptHash(o.cost)
		if err != nil {
			return err
		}
		floor, login := alternate(ctx, rounds(o.d), o.d,
			func(d time.Duration) Result { return bcryptBound(ctx, hash, o.cost, d) },
			func(d time.Duration) Result { return drive(ctx, "login", o.c["login"], d, a.loginStep(loginUsers)) })
		rep.add(floor, pid)
		rep.add(login, pid)
	}
	if o.wants("refresh") {
		if err := refreshWithFloor(ctx, o, rep, a, cfg, pop, pid); err != nil {
			return err
		}
	}
	if len(o.overload) > 0 {
		overload(ctx, o, rep, a, loginUsers, pop, pid)
	}
	if o.wants("me") {
		progress("me")
		rep.add(drive(ctx, "me", o.c["me"], o.d, a.meStep(pop.access)), pid)
	}
	if o.wants("isolation") {
		progress("isolation: me idle, then me under a login flood")
		idle, loaded, flood := a.isolation(ctx, pop.access, loginUsers,
			o.c["me-isolation"], o.c["flood"], o.d)
		rep.add(idle, pid)
		rep.add(loaded, pid)
		rep.add(flood, pid)
	}
	if o.wants("register") {
		progress("register")
		rep.add(drive(ctx, "register", o.c["register"], o.d, a.registerStep(runID())), pid)
	}
	if o.wants("hashflood") {
		if err := measureHashFlood(ctx, o, rep, base, loginUsers[0], pid); err != nil {
			return err
		}
	}
	if o.wants("verify") {
		progress("verify (in-process two-route server)")
		rs, err := verifyScenario(ctx, verifyConfig(), o.c["verify"], o.d)
		if err != nil {
			return err
		}
		for _, r := range rs {
			rep.add(r, 0)
		}
	}
	return ctx.Err()
}

// refreshWithFloor measures the storage floor (when the database is known)
// and then refresh.
func refreshWithFloor(ctx context.Context, o options, rep *Report, a *api, cfg *authd.Config, pop *population, pid int) error {
	c := o.c["refresh"]
	refresh := pop.refresh(a, c)
	if cfg != nil {
		db, err := openDatabase(ctx, *cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		floor, err := newStorageFloor(ctx, db, pop.floorIDs, min(c, len(pop.floorIDs)), cfg.Storage.QueryTimeout)
		if err != nil {
			return err
		}
		progress("storage floor and refresh, alternating")
		f, r := alternate(ctx, rounds(o.d), o.d, floor.run, func(d time.Duration) Result {
			return drive(ctx, "refresh", c, d, refresh)
		})
		rep.add(f, pid)
		rep.add(r, pid)
		return nil
	}
	progress("refresh")
	rep.add(drive(ctx, "refresh", c, o.d, refresh), pid)
	return nil
}

func refreshTokens(acc []account) []string {
	out := make([]string, len(acc))
	for i, x := range acc {
		out[i] = x.RefreshToken
	}
	return out
}

// verifyConfig is an HS256 configuration for the in-process verify routes.
func verifyConfig() authd.Config {
	env := map[string]string{"AUTHD_JWT_SECRET": "authd-load-verify-secret-0123456789abcdefg",
		"AUTHD_DATA_DIR": os.TempDir()}
	cfg, _ := authd.Load(nil, func(k string) string { return env[k] }, io.Discard)
	return cfg
}

var runIDValue = func() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}()

func runID() string { return runIDValue }

// rounds is how many alternating slices of about 5 s a duration makes.
func rounds(d time.Duration) int { return max(1, int(d/(5*time.Second))) }
