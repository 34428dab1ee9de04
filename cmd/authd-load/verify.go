package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/authd-dev/authd"
)

// verifyScenario serves authd.VerifyRoutes in this process on
// 127.0.0.1:0 and measures GET /open against GET /protected (the same
// handler behind httpapi.Authenticate), alternating twice so drift in the
// machine's state hits both alike.
func verifyScenario(ctx context.Context, cfg authd.Config, c int, d time.Duration) (open, prot Result, err error) {
	h, token, err := authd.VerifyRoutes(cfg, time.Hour)
	if err != nil {
		return open, prot, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return open, prot, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	a := &api{base: "http://" + ln.Addr().String(), hc: &http.Client{Transport: newTransport(c)}}
	if st := a.get(ctx, "/protected", token); st != http.StatusOK {
		return open, prot, errors.New("verify: /protected refused the token")
	}
	// Many short alternating slices: background load on the machine (and
	// GC cycles) then fall on both routes alike.
	var opens, prots []Result
	rounds := max(2, int(d/time.Second))
	for range rounds {
		opens = append(opens, drive(ctx, "verify-open", c, d/time.Duration(2*rounds), func(ctx context.Context, _ int) int {
			return a.get(ctx, "/open", "")
		}))
		prots = append(prots, drive(ctx, "verify-authenticate", c, d/time.Duration(2*rounds), func(ctx context.Context, _ int) int {
			return a.get(ctx, "/protected", token)
		}))
	}
	return merge(opens), merge(prots), nil
}

// merge adds up rounds of one scenario.
func merge(rs []Result) Result {
	out := rs[0]
	for _, r := range rs[1:] {
		out.Seconds += r.Seconds
		out.Requests += r.Requests
		out.sorted = append(out.sorted, r.sorted...)
		for k, v := range r.Errors {
			if out.Errors == nil {
				out.Errors = map[string]int{}
			}
			out.Errors[k] += v
		}
	}
	slices.Sort(out.sorted)
	out.RPS = float64(out.Requests) / out.Seconds
	out.P50ms, out.P90ms, out.P99ms = pct(out.sorted, 50), pct(out.sorted, 90), pct(out.sorted, 99)
	return out
}
