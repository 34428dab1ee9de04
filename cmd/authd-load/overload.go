package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// overload measures login and refresh (whichever are wanted) at each of
// o.overload's concurrencies, o.d each; failures (503 BUSY from a hash
// queue that sheds) are counted by status beside the successes. Login
// clients wait a refusal's Retry-After, as well-behaved clients do.
func overload(ctx context.Context, o options, rep *Report, a *api, loginUsers []account, pop *population, pid int) {
	for _, c := range o.overload {
		if o.wants("login") {
			progress("overload: login at c=%d", c)
			rep.add(drive(ctx, "overload-login", c, o.d, a.politeLoginStep(loginUsers)), pid)
		}
		if o.wants("refresh") && pop != nil {
			progress("overload: refresh at c=%d", c)
			rep.add(drive(ctx, "overload-refresh", c, o.d, pop.refresh(a, c)), pid)
		}
	}
}

// scaleScenarios are the scenarios the scale ratio line reports.
var scaleScenarios = []string{"refresh", "me", "login"}

// scaleRatios is, per scenario measured at more than one size, the
// largest size's throughput divided by the smallest's.
func (r *Report) scaleRatios() map[string]float64 {
	out := map[string]float64{}
	for _, name := range scaleScenarios {
		var at []Result
		for _, x := range r.Results {
			if x.Name == name {
				at = append(at, x)
			}
		}
		if len(at) < 2 {
			continue
		}
		slices.SortFunc(at, func(a, b Result) int { return a.Users - b.Users })
		if first, last := at[0], at[len(at)-1]; first.RPS > 0 && last.Users > first.Users {
			out[name] = last.RPS / first.RPS
		}
	}
	return out
}

// printScale writes "scale ratio refresh=<r> me=<r> login=<r>" when the
// run measured several sizes.
func (r *Report) printScale(w io.Writer) {
	ratios := r.scaleRatios()
	if len(ratios) == 0 {
		return
	}
	var parts []string
	for _, name := range scaleScenarios {
		if v, ok := ratios[name]; ok {
			parts = append(parts, fmt.Sprintf("%s=%.3f", name, v))
		}
	}
	fmt.Fprintln(w, "scale ratio "+strings.Join(parts, " "))
}

// politeLoginStep logs in as the worker's user and, when refused with a
// Retry-After (503 BUSY, 429), waits it before the worker's next call.
func (a *api) politeLoginStep(users []account) step {
	return func(ctx context.Context, w int) int {
		st, retry := a.postRetry(ctx, "/v1/auth/login", users[w%len(users)].body())
		wait(ctx, retry)
		return st
	}
}
