// Command authd runs the authd service and its administrative commands.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/authd-dev/authd"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

const usage = `usage: authd [serve] [flags]     serve the API (default)
       authd migrate [flags]      create or update the schema and exit
       authd user create --email E [--role R]   create a user; password from stdin
       authd keys generate [--alg EdDSA|ES256|RS256] [--dir D] [--activate-in D]
       authd healthcheck [--url U]   exit 0 when /readyz answers 200 (for container probes)
       authd version`

func main() {
	// authd serves no profiles, so sampling allocations would only cost
	// memory (the profile's bucket table) and time.
	runtime.MemProfileRate = 0
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a subcommand and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, getenv, stderr)
	case "migrate":
		err = migrate(ctx, args, getenv, stderr)
	case "user":
		err = userCommand(ctx, args, getenv, stdin, stdout, stderr)
	case "keys":
		err = keysCommand(args, getenv, stdout, stderr)
	case "healthcheck":
		err = healthcheck(ctx, args, getenv)
	case "version":
		fmt.Fprintln(stdout, "authd", versionString())
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
	default:
		fmt.Fprintln(stderr, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "authd:", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := authd.Load(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	warnAtStart(cfg, getenv, log)
	raiseProcs(getenv, log)
	// Caught from the start: SIGHUP's default action would end the process.
	hangup := make(chan os.Signal, 1)
	signal.Notify(hangup, syscall.SIGHUP)
	defer signal.Stop(hangup)
	app, err := authd.Initialize(ctx, cfg, authd.WithLogger(log))
	if err != nil {
		return err
	}
	defer app.Close()
	go reloadKeysOnHangup(ctx, hangup, app, log)
	return app.Run(ctx)
}

// reloadKeysOnHangup re-reads the key folder on every SIGHUP until ctx ends.
func reloadKeysOnHangup(ctx context.Context, hangup <-chan os.Signal, app *authd.App, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hangup:
			log.Info("SIGHUP: reloading signing keys")
			_ = app.ReloadKeys() // the outcome is logged by the reload
		}
	}
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := authd.Load(args, getenv, stderr)
	if err != nil {
		return err
	}
	// Composing the app migrates the schema; nothing is served.
	app, err := authd.Initialize(ctx, cfg, authd.WithLogger(newLogger(cfg, stderr)))
	if err != nil {
		return err
	}
	_ = app.Close()
	fmt.Fprintln(stderr, "schema is up to date")
	return nil
}

func versionString() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "dev"
}
