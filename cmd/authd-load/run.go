package main

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// step is one request of a scenario by worker w; it returns the HTTP
// status (0 for a transport error).
type step func(ctx context.Context, w int) int

// Result is one scenario's measurement.
type Result struct {
	Name        string
	Concurrency int
	Seconds     float64
	Requests    int
	RPS         float64
	P50ms       float64
	P90ms       float64
	P99ms       float64
	Errors      map[string]int // by status ("0": transport)
	Note        string
	Users       int // users (and live sessions) in the database
	ServerHWM   int // VmHWM after this step

	sorted []time.Duration // successful latencies, for merging rounds
}

// drive runs step on n workers for d and measures every call. Workers
// stop starting calls at d but finish the one in flight (it counts, and
// the elapsed time runs until the last one ends), so slow operations such
// as a 300 ms login are not cut off and under-counted; cancelling ctx
// aborts them instead. Only successes (2xx) count in req/s and the
// percentiles; failures are counted by status.
func drive(ctx context.Context, name string, n int, d time.Duration, fn step) Result {
	dctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	lat := make([][]time.Duration, n)
	errs := make([]map[int]int, n)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = map[int]int{}
			for dctx.Err() == nil {
				t := time.Now()
				st := fn(ctx, w)
				if ctx.Err() != nil && st == 0 {
					return // aborted by the caller, not a failure
				}
				if st >= 200 && st < 300 {
					lat[w] = append(lat[w], time.Since(t))
				} else {
					errs[w][st]++
				}
			}
		}()
	}
	wg.Wait()
	return summarize(name, n, time.Since(start), lat, errs)
}

// alternate measures two scenarios in rounds of alternating slices (d
// each in total), so drift in the machine's background load falls on both.
func alternate(ctx context.Context, rounds int, d time.Duration, a, b func(time.Duration) Result) (Result, Result) {
	rounds = max(1, rounds)
	slice := d / time.Duration(rounds)
	var as, bs []Result
	for range rounds {
		as = append(as, a(slice))
		bs = append(bs, b(slice))
	}
	return merge(as), merge(bs)
}

func summarize(name string, n int, el time.Duration, lat [][]time.Duration, errs []map[int]int) Result {
	all := slices.Concat(lat...)
	slices.Sort(all)
	r := Result{Name: name, Concurrency: n, Seconds: el.Seconds(), Requests: len(all),
		RPS: float64(len(all)) / el.Seconds(), P50ms: pct(all, 50), P90ms: pct(all, 90), P99ms: pct(all, 99), sorted: all}
	for _, m := range errs {
		for st, c := range m {
			if r.Errors == nil {
				r.Errors = map[string]int{}
			}
			r.Errors[strconv.Itoa(st)] += c
		}
	}
	return r
}

// pct is the p-th percentile of sorted, in milliseconds (nearest rank).
func pct(sorted []time.Duration, p int) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	i = min(max(i-1, 0), len(sorted)-1)
	return float64(sorted[i]) / float64(time.Millisecond)
}

// newTransport keeps one connection per worker alive.
func newTransport(conns int) *http.Transport {
	return &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, MaxConnsPerHost: 0,
		IdleConnTimeout: time.Minute, DisableCompression: true}
}
