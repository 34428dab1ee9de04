package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is everything one run measured.
type Report struct {
	Date        string
	Machine     string
	Cores       int
	Backend     string
	Started     bool
	Pid         int
	BcryptCost  int
	Sizes       []int
	ServerEnv   map[string]string
	SeedSeconds float64
	PeakRSSKiB  int
	AnonKiB     int
	FileKiB     int
	Results     []Result
	Targets     []Target
	Purge       *PurgeReport `json:",omitempty"`

	size int // users of the database being measured, stamped on each result
}

// Target is one goal of issue 8 as a ratio of two measurements.
type Target struct {
	Name  string
	Ratio float64
	Goal  string
	Met   bool
	Basis string
}

func newReport(o options) *Report {
	r := &Report{Date: time.Now().UTC().Format(time.RFC3339), Machine: machine(), Cores: runtime.NumCPU(),
		Backend: o.backend, Started: o.start, BcryptCost: o.cost, Sizes: o.sizes()}
	if o.start {
		r.ServerEnv = o.serverEnv
	} else {
		r.Backend = "external (" + o.url + ")"
	}
	return r
}

func (r *Report) add(res Result, pid int) {
	if pid > 0 {
		res.ServerHWM = peakRSS(pid)
	}
	res.Users = r.size
	r.Results = append(r.Results, res)
	progress("%-22s c=%-3d %9.1f req/s  p50 %7.2fms  p99 %7.2fms  errors %v", res.Name, res.Concurrency,
		res.RPS, res.P50ms, res.P99ms, res.Errors)
}

func (r *Report) find(name string) (Result, bool) {
	for _, x := range r.Results {
		if x.Name == name {
			return x, true
		}
	}
	return Result{}, false
}

// judge computes each target whose measurements this run has.
func (r *Report) judge() {
	ratio := func(name, num, den, goal string, min float64) {
		a, ok1 := r.find(num)
		b, ok2 := r.find(den)
		if !ok1 || !ok2 || b.RPS == 0 {
			return
		}
		v := a.RPS / b.RPS
		r.Targets = append(r.Targets, Target{Name: name, Ratio: v, Goal: goal, Met: v >= min,
			Basis: fmt.Sprintf("%s %.1f req/s / %s %.1f req/s", num, a.RPS, den, b.RPS)})
	}
	ratio("1 login vs bcrypt bound", "login", "floor-bcrypt", ">= 0.97", 0.97)
	ratio("2 refresh vs storage floor ("+r.Backend+")", "refresh", "floor-storage", ">= 0.25", 0.25)
	ratio("3 Authenticate vs bare route, same request", "verify-authenticate", "verify-open", ">= 0.90", 0.90)
	ratio("3b Authenticate vs bare route sent no token", "verify-authenticate", "verify-open-no-token", "(info)", 0)
	if idle, ok := r.find("me-idle"); ok && idle.P99ms > 0 {
		if busy, ok := r.find("me-under-login-flood"); ok {
			v := busy.P99ms / idle.P99ms
			r.Targets = append(r.Targets, Target{Name: "4 me p99 under login flood vs idle", Ratio: v,
				Goal: "<= 3", Met: v <= 3, Basis: fmt.Sprintf("p99 %.2fms under flood / %.2fms idle", busy.P99ms, idle.P99ms)})
		}
	}
	r.judgeHashFlood()
	if peak := r.PeakRSSKiB; peak > 0 {
		mb := float64(peak) * 1024 / 1e6
		// Memory is compared side by side with other servers, not against a fixed size.
		r.Targets = append(r.Targets, Target{Name: "5 server peak RSS (MB)", Ratio: mb, Goal: "(info)", Met: true,
			Basis: fmt.Sprintf("VmHWM %.1f MB (sampled peaks anon %s + file %s), users %v",
				mb, mbString(r.AnonKiB), mbString(r.FileKiB), r.Sizes)})
	}
}

func (r *Report) print(w io.Writer, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(r)
		return
	}
	fmt.Fprintf(w, "authd-load %s  %s, %d cores  backend %s  bcrypt cost %d", r.Date, r.Machine, r.Cores, r.Backend, r.BcryptCost)
	if r.Started {
		fmt.Fprintf(w, " (users and sessions bulk-inserted in %.1fs)", r.SeedSeconds)
	}
	fmt.Fprintf(w, "  users %v", r.Sizes)
	if len(r.ServerEnv) > 0 {
		fmt.Fprintf(w, "  server env %v", r.ServerEnv)
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tusers\tc\treq/s\tp50 ms\tp90 ms\tp99 ms\terrors\tserver RSS peak\t")
	for _, x := range r.Results {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%s\t%s\t\n", x.Name, x.Users, x.Concurrency, x.RPS, x.P50ms,
			x.P90ms, x.P99ms, errString(x.Errors), mbString(x.ServerHWM))
	}
	tw.Flush()
	fmt.Fprintln(w)
	if p := r.Purge; p != nil {
		fmt.Fprintf(w, "purge %d rows in %.1fs (%.0f rows/s, %d purged); refresh p99 %.2fms idle, %.2fms during the purge: ratio %.2f (goal <= 2)\n",
			p.Rows, p.Seconds, p.RowsPerSec, p.Purged, p.P99Before, p.P99During, p.P99Ratio)
	}
	r.printScale(w)
	for _, t := range r.Targets {
		verdict := "MET"
		switch {
		case t.Goal == "(info)":
			verdict = "(for comparison)"
		case !t.Met:
			verdict = "MISSED"
		}
		fmt.Fprintf(w, "target %-42s %6.3f (goal %s) %s  [%s]\n", t.Name, t.Ratio, t.Goal, verdict, t.Basis)
	}
}

func errString(m map[string]int) string {
	if len(m) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%d", k, m[k])
	}
	return b.String()
}

func mbString(kib int) string {
	if kib == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MB", float64(kib)*1024/1e6)
}

// machine names the CPU model, for the report.
func machine() string {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":")) + ", " + runtime.GOOS + "/" + runtime.GOARCH
			}
		}
	}
	return runtime.GOOS + "/" + runtime.GOARCH
}

// judgeHashFlood: another address's login under a one-address hash flood
// should wait a few hash times at most; any refusal of it misses the goal.
func (r *Report) judgeHashFlood() {
	idle, ok1 := r.find("victim-login-idle")
	busy, ok2 := r.find("victim-login-under-flood")
	if !ok1 || !ok2 || idle.P99ms == 0 {
		return
	}
	v := busy.P99ms / idle.P99ms
	r.Targets = append(r.Targets, Target{Name: "6 login p99 under another address's hash flood vs idle", Ratio: v,
		Goal: "<= 3", Met: v <= 3 && len(busy.Errors) == 0,
		Basis: fmt.Sprintf("p99 %.0fms (p50 %.0fms, %d logins, errors %s) under flood / p99 %.0fms (p50 %.0fms) idle",
			busy.P99ms, busy.P50ms, busy.Requests, errString(busy.Errors), idle.P99ms, idle.P50ms)})
}
