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
	dsn, drop, err := freshDatabase(ctx, o.backend, o.dsn, dir)
	if err != nil {
		return rep, fmt.Errorf("fresh %s database: %w", o.backend, err)
	}
	defer drop()
	logPath := filepath.Join(dir, "authd.log")

	// Seeding: the same database, a server at a low bcrypt cost (stated in
	// the report), so 10,000 registrations take seconds, not an hour.
	s, err := startServer(ctx, bin, logPath, o.env(dir, dsn, o.seedCost))
	if err != nil {
		return rep, err
	}
	progress("seeding %d users at bcrypt cost %d on %s", o.users, o.seedCost, o.backend)
	t, rss := time.Now(), sampleRSS(s.cmd.Process.Pid, rssEvery)
	accounts, err := client(s.base, 16).seed(ctx, "user", o.users, 8)
	rep.SeedSeconds = time.Since(t).Seconds()
	rep.SeedAnonKiB, rep.SeedFileKiB = rss.peaks()
	rep.SeedPeakRSSKiB = s.stop()
	if err != nil {
		return rep, err
	}

	s, err = startServer(ctx, bin, logPath, o.env(dir, dsn, o.cost))
	if err != nil {
		return rep, err
	}
	rep.Pid = s.cmd.Process.Pid
	cfg, err := s.config()
	if err != nil {
		s.stop()
		return rep, err
	}
	rss = sampleRSS(s.cmd.Process.Pid, rssEvery)
	err = measure(ctx, o, rep, s.base, &cfg, accounts, s.cmd.Process.Pid)
	rep.AnonKiB, rep.FileKiB = rss.peaks()
	rep.PeakRSSKiB = s.stop()
	rep.judge()
	return rep, err
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
	var accounts []account
	if o.needsAccounts() {
		progress("seeding %d users on %s (at the server's bcrypt cost)", o.users, o.url)
		var err error
		if accounts, err = client(o.url, 16).seed(ctx, "user-"+runID(), o.users, 8); err != nil {
			return err
		}
	}
	err := measure(ctx, o, rep, o.url, cfg, accounts, o.pid)
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
func measure(ctx context.Context, o options, rep *Report, base string, cfg *authd.Config, acc []account, pid int) error {
	a := client(base, 64)
	var loginUsers []account
	if o.wants("login") || o.wants("isolation") {
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
		if err := refreshWithFloor(ctx, o, rep, a, cfg, acc, pid); err != nil {
			return err
		}
	}
	if o.wants("me") {
		progress("me")
		rep.add(drive(ctx, "me", o.c["me"], o.d, a.meStep(accessTokens(acc, o.c["me"]))), pid)
	}
	if o.wants("isolation") {
		progress("isolation: me idle, then me under a login flood")
		idle, loaded, flood := a.isolation(ctx, accessTokens(acc[o.c["me"]:], o.c["me-isolation"]), loginUsers,
			o.c["me-isolation"], o.c["flood"], o.d)
		rep.add(idle, pid)
		rep.add(loaded, pid)
		rep.add(flood, pid)
	}
	if o.wants("register") {
		progress("register")
		rep.add(drive(ctx, "register", o.c["register"], o.d, a.registerStep(runID())), pid)
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
// and then refresh, each worker on its own rotation chain.
func refreshWithFloor(ctx context.Context, o options, rep *Report, a *api, cfg *authd.Config, acc []account, pid int) error {
	c := o.c["refresh"]
	if len(acc) < c+floorSessions+1 {
		return fmt.Errorf("refresh needs at least %d seeded users", c+floorSessions+1)
	}
	chains, spares := refreshTokens(acc[:c]), refreshTokens(acc[c:len(acc)-floorSessions])
	refresh := a.refreshStep(chains, spares)
	if cfg != nil {
		db, closeDB, err := openDatabase(ctx, *cfg)
		if err != nil {
			return err
		}
		ids := make([]string, 0, floorSessions)
		for _, x := range acc[len(acc)-floorSessions:] {
			ids = append(ids, sessionID(x.AccessToken))
		}
		defer closeDB()
		floor, err := newStorageFloor(ctx, db, ids, c, cfg.DBQueryTimeout)
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

func accessTokens(acc []account, n int) []string {
	out := make([]string, 0, n)
	for _, x := range acc[:min(n, len(acc))] {
		out = append(out, x.AccessToken)
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
