// Command authd-load measures authd under load and, in the same run, the
// reference floors its performance targets are ratios of: raw bcrypt
// throughput, the rotation UPDATE straight through database/sql, and a Gin route
// without authd's middleware. See README "Performance".
//
//	go run ./cmd/authd-load -start all                  # build, start, seed, run everything (SQLite)
//	go run ./cmd/authd-load -start -backend postgres all
//	go run ./cmd/authd-load -start -backend postgres -scale 10000,100000,1000000 refresh me login
//	go run ./cmd/authd-load -start -backend postgres -overload 1,4,16,64,256 -chart docs/curves.svg login refresh
//	go run ./cmd/authd-load -start -backend postgres -users 100000 purge
//	go run ./cmd/authd-load -url http://127.0.0.1:8080 -pid 1234 -users 50 login me
//	go run ./cmd/authd-load -start -users 0 -d 20s hashflood  # a login from 127.0.0.2 under a flood from 127.0.0.1
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the command line.
type options struct {
	start     bool
	backend   string
	dsn       string
	url       string
	pid       int
	d         time.Duration
	users     int
	cost      int
	c         map[string]int
	json      bool
	cpuprof   string
	victim    string
	serverEnv map[string]string
	scenarios []string
	scale     []int // -scale: user counts, one fresh database each
	overload  []int // -overload: concurrencies login and refresh are also measured at
	purgeRows int
	chart     string
}

var allScenarios = []string{"login", "refresh", "me", "isolation", "register", "verify"}

// extraScenarios run only when named: they measure a defence, or seed and delete a lot.
var extraScenarios = []string{"hashflood", "purge"}

func parseFlags(args []string) (options, error) {
	o := options{c: map[string]int{}, serverEnv: map[string]string{}}
	fs := flag.NewFlagSet("authd-load", flag.ContinueOnError)
	fs.BoolVar(&o.start, "start", false, "build ./cmd/authd and start it (RSS of that process is reported)")
	fs.StringVar(&o.backend, "backend", "sqlite", "with -start: sqlite, postgres or mysql")
	fs.StringVar(&o.dsn, "dsn", "", "with -start: admin DSN of the postgres/mysql server (a fresh database is created on it)")
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080", "base URL of a running authd (without -start)")
	fs.IntVar(&o.pid, "pid", 0, "pid of that authd, to report its peak RSS (VmHWM)")
	fs.DurationVar(&o.d, "d", 20*time.Second, "duration of each scenario and floor")
	fs.IntVar(&o.users, "users", 10000, "users (each with one live session) seeded before the scenarios")
	fs.IntVar(&o.cost, "cost", 12, "with -start: AUTHD_BCRYPT_COST of the measured server (and of the bcrypt floor)")
	fs.BoolVar(&o.json, "json", false, "print one JSON document instead of text")
	fs.Func("server-env", "with -start: K=V[,K=V…] added to the started server's environment only (e.g. GOGC=50,GOMEMLIMIT=16MiB)",
		func(v string) error {
			for _, kv := range strings.Split(v, ",") {
				k, val, ok := strings.Cut(strings.TrimSpace(kv), "=")
				if !ok || k == "" {
					return fmt.Errorf("want K=V, got %q", kv)
				}
				o.serverEnv[k] = val
			}
			return nil
		})
	fs.Func("scale", "with -start: comma-separated user counts (e.g. 10000,100000,1000000); each gets a fresh database, "+
		"and the scale ratio of the largest to the smallest is printed", intList(&o.scale))
	fs.Func("overload", "comma-separated concurrencies (e.g. 1,4,16,64,256) login and refresh are also measured at",
		intList(&o.overload))
	fs.IntVar(&o.purgeRows, "purge-rows", 1000000, "purge scenario: ended sessions and expired one-time tokens seeded for the janitor")
	fs.StringVar(&o.chart, "chart", "", "write an SVG chart of the -scale and -overload curves to this file")
	fs.StringVar(&o.victim, "victim-addr", "127.0.0.2", "hashflood: local address the victim's logins come from (the flood comes from the default one)")
	fs.StringVar(&o.cpuprof, "cpuprofile", "", "write this process's CPU profile (the load generator and the in-process verify server) to the file")
	conc := map[string]*int{}
	for name, def := range map[string]int{"login": 4, "refresh": 16, "me": 16, "register": 4, "verify": 8,
		"flood": 32, "me-isolation": 2, "hashflood": 300} {
		conc[name] = fs.Int("c-"+name, def, "concurrency of "+name)
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for k, v := range conc {
		o.c[k] = *v
	}
	o.scenarios = fs.Args()
	if len(o.scenarios) == 0 || (len(o.scenarios) == 1 && o.scenarios[0] == "all") {
		o.scenarios = allScenarios
	}
	known := strings.Join(append(slices.Clone(allScenarios), extraScenarios...), " ")
	for _, s := range o.scenarios {
		if !strings.Contains(" "+known+" ", " "+s+" ") {
			return o, fmt.Errorf("unknown scenario %q (have %s, all)", s, strings.ReplaceAll(known, " ", ", "))
		}
	}
	if (len(o.scale) > 0 || o.wants("purge")) && !o.start {
		return o, fmt.Errorf("-scale and the purge scenario seed the database: they need -start")
	}
	if o.dsn == "" {
		o.dsn = map[string]string{"postgres": "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
			"mysql": "root@tcp(127.0.0.1:3306)/test"}[o.backend]
	}
	return o, nil
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if o.cpuprof != "" {
		f, err := os.Create(o.cpuprof)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		}
	}
	rep, err := run(ctx, o)
	if rep != nil {
		rep.print(os.Stdout, o.json)
		if o.chart != "" && err == nil {
			err = writeChart(o.chart, rep)
		}
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "authd-load:", err)
		os.Exit(1)
	}
}

// intList parses "1,4,16" into *dst.
func intList(dst *[]int) func(string) error {
	return func(v string) error {
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				return fmt.Errorf("want positive integers separated by commas, got %q", f)
			}
			*dst = append(*dst, n)
		}
		return nil
	}
}

// sizes are the user counts to measure at: -scale, else -users.
func (o options) sizes() []int {
	if len(o.scale) > 0 {
		return o.scale
	}
	return []int{o.users}
}

func (o options) wants(s string) bool {
	for _, x := range o.scenarios {
		if x == s {
			return true
		}
	}
	return false
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "authd-load: "+format+"\n", args...)
}
