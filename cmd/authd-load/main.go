// Command authd-load measures authd under load and, in the same run, the
// reference floors its performance targets are ratios of: raw bcrypt
// throughput, the rotation UPDATE straight through gorm, and a Gin route
// without authd's middleware. See README "Performance".
//
//	go run ./cmd/authd-load -start all                  # build, start, seed, run everything (SQLite)
//	go run ./cmd/authd-load -start -backend postgres all
//	go run ./cmd/authd-load -url http://127.0.0.1:8080 -pid 1234 -users 50 login me
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
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
	seedCost  int
	c         map[string]int
	json      bool
	cpuprof   string
	serverEnv map[string]string
	scenarios []string
}

var allScenarios = []string{"login", "refresh", "me", "isolation", "register", "verify"}

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
	fs.IntVar(&o.seedCost, "seed-cost", 4, "with -start: AUTHD_BCRYPT_COST while seeding users (then restarted at -cost)")
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
	fs.StringVar(&o.cpuprof, "cpuprofile", "", "write this process's CPU profile (the load generator and the in-process verify server) to the file")
	conc := map[string]*int{}
	for name, def := range map[string]int{"login": 4, "refresh": 16, "me": 16, "register": 4, "verify": 8,
		"flood": 32, "me-isolation": 2} {
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
	for _, s := range o.scenarios {
		if !strings.Contains(" "+strings.Join(allScenarios, " ")+" ", " "+s+" ") {
			return o, fmt.Errorf("unknown scenario %q (have %s, all)", s, strings.Join(allScenarios, ", "))
		}
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
	}
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "authd-load:", err)
		os.Exit(1)
	}
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
