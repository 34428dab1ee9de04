package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// floodPassword is 72 bytes, bcrypt's limit: the most a registration can
// make authd hash (bcrypt's time does not depend on the length, but an
// attacker would pick the maximum all the same).
var floodPassword = strings.Repeat("f", 72)

// floodRamp is how long the flood runs before the victim is measured, so
// the hash queue is full when the victim's logins arrive.
const floodRamp = 2 * time.Second

// victimClient talks to authd from another loopback address than the
// flood (which dials from the default, 127.0.0.1), so authd sees two
// clients; Linux answers on all of 127.0.0.0/8 without set-up.
func victimClient(base, addr string) (*api, error) {
	ip := net.ParseIP(addr)
	if ip == nil {
		return nil, fmt.Errorf("-victim-addr %q is not an IP address", addr)
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 5 * time.Second}
	tr := newTransport(2)
	tr.DialContext = d.DialContext
	return &api{base: base, hc: &http.Client{Transport: tr, Timeout: time.Minute}}, nil
}

// floodStep registers a new user with a 72-byte password per call. A
// refused call (503 BUSY, 429) waits its Retry-After before the worker
// sends again, so the flood keeps the hash queue full rather than turning
// into a storm of cheap refusals (which the per-address rate limit is for).
func (a *api) floodStep(run string) step {
	var seq atomic.Int64
	return func(ctx context.Context, w int) int {
		body := creds{Email: fmt.Sprintf("flood-%s-%d@load.test", run, seq.Add(1)), Password: floodPassword}.body()
		st, retry := a.postRetry(ctx, "/v1/auth/register", body)
		wait(ctx, retry)
		return st
	}
}

// wait sleeps for d (nothing when d is 0) or until ctx ends.
func wait(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// postRetry posts body and returns the status and the Retry-After it
// carried (0 if none).
func (a *api) postRetry(ctx context.Context, path string, body any) (int, time.Duration) {
	raw, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+path, bytes.NewReader(raw))
	if err != nil {
		return 0, 0
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := a.hc.Do(req)
	if err != nil {
		return 0, 0
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	secs, _ := strconv.Atoi(res.Header.Get("Retry-After"))
	return res.StatusCode, time.Duration(secs) * time.Second
}

// measureHashFlood runs the hashflood scenario against base as user.
func measureHashFlood(ctx context.Context, o options, rep *Report, base string, user account, pid int) error {
	progress("hashflood: a login from %s, alone and under a registration flood of %d workers from the default address",
		o.victim, o.c["hashflood"])
	victim, err := victimClient(base, o.victim)
	if err != nil {
		return err
	}
	idle, loaded, flood := hashflood(ctx, client(base, o.c["hashflood"]), victim, user, o.c["hashflood"], o.d)
	rep.add(idle, pid)
	rep.add(loaded, pid)
	rep.add(flood, pid)
	return nil
}

// hashflood measures one login worker from the victim's address, alone and
// while floodC workers of the flood's address keep registering, in
// alternating rounds so the machine's background load falls on both.
func hashflood(ctx context.Context, flood, victim *api, user account, floodC int, d time.Duration) (idle, loaded, floods Result) {
	login, register := victim.loginStep([]account{user}), flood.floodStep(runID())
	var fs []Result
	idle, loaded = alternate(ctx, rounds(d), d,
		func(s time.Duration) Result { return drive(ctx, "victim-login-idle", 1, s, login) },
		func(s time.Duration) Result {
			fctx, stop := context.WithCancel(ctx)
			done := make(chan Result, 1)
			go func() { done <- drive(fctx, "hashflood-register", floodC, s+floodRamp, register) }()
			time.Sleep(floodRamp)
			r := drive(ctx, "victim-login-under-flood", 1, s, login)
			stop()
			fs = append(fs, <-done)
			return r
		})
	return idle, loaded, merge(fs)
}
