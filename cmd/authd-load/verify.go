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

// verifyScenario serves verifyRoutes in this process on
// 127.0.0.1:0 and measures three request kinds in many short alternating
// slices, so background load on the machine (and GC cycles) falls on all
// alike:
//
//   - verify-open-no-token: GET /open without a token;
//   - verify-open: GET /open with the same Authorization header as below,
//     so the bytes on the wire are identical and only the middleware differs;
//   - verify-authenticate: GET /protected, the same handler behind
//     httpapi.Authenticate.
func verifyScenario(ctx context.Context, cfg authd.Config, c int, d time.Duration) ([]Result, error) {
	h, token, err := verifyRoutes(cfg, time.Hour)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	a := &api{base: "http://" + ln.Addr().String(), hc: &http.Client{Transport: newTransport(c)}}
	if st := a.get(ctx, "/protected", token); st != http.StatusOK {
		return nil, errors.New("verify: /protected refused the token")
	}
	kinds := []struct{ name, path, token string }{
		{"verify-open-no-token", "/open", ""}, {"verify-open", "/open", token}, {"verify-authenticate", "/protected", token},
	}
	rounds := max(2, int(d/time.Second))
	slice := d / time.Duration(len(kinds)*rounds)
	got := make([][]Result, len(kinds))
	for range rounds {
		for i, k := range kinds {
			got[i] = append(got[i], drive(ctx, k.name, c, slice, func(ctx context.Context, _ int) int {
				return a.get(ctx, k.path, k.token)
			}))
		}
	}
	out := make([]Result, len(kinds))
	for i := range kinds {
		out[i] = merge(got[i])
	}
	return out, nil
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
