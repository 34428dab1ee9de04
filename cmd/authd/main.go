// Command authd runs the authd service and its administrative commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"syscall"

	"github.com/authd-dev/authd"
)

const usage = `authd: a JWT authentication service.

usage: authd [command] [flags]

commands:
  serve           serve the API (the command when none is given)
  migrate         create or update the database schema, then exit
  user create     create a user: --email E [--role R], the password on stdin
  keys generate   write a new signing key named by its activation time
  healthcheck     exit 0 when /readyz answers 200 (for container probes)
  version         print the version and the revision it was built from
  help            print this help

"authd <command> --help" lists the command's flags. Settings are read from
AUTHD_* variables; each has a flag on serve ("authd serve --help").`

func main() {
	// authd serves no profiles, so sampling allocations would only cost
	// memory (the profile's bucket table) and time.
	runtime.MemProfileRate = 0
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], environ(os.Environ()), os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a subcommand and returns the exit code: 0, 1 when the
// command failed, 2 for an unknown command.
func run(ctx context.Context, args []string, env environment, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, usage)
		return 0
	}
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, env, stdout, stderr)
	case "migrate":
		err = migrate(ctx, args, env, stdout, stderr)
	case "user":
		err = userCommand(ctx, args, env, stdin, stdout, stderr)
	case "keys":
		err = keysCommand(args, env, stdout)
	case "healthcheck":
		err = healthcheck(ctx, args, env.get, stdout)
	case "version":
		fmt.Fprintln(stdout, "authd", versionString())
	default:
		fmt.Fprintf(stderr, "authd: unknown command %q\n\n%s\n", cmd, usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "authd:", err)
		return 1
	}
	return 0
}

func isHelp(arg string) bool { return slices.Contains([]string{"help", "-h", "-help", "--help"}, arg) }

// loadConfig reads the sections a command uses (all when none); --help
// prints the command's flags to stdout and returns flag.ErrHelp.
func loadConfig(command string, args []string, env environment, stdout io.Writer, sections ...authd.Section) (authd.Config, error) {
	var help strings.Builder
	cfg, err := authd.Load(args, env.get, &help, sections...)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "usage: authd %s [flags]\n\n%s", command, help.String())
	}
	return cfg, err
}

func serve(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("serve", args, env, stdout)
	if err != nil {
		return err
	}
	log := startLog(cfg, env, stderr)
	warnAtStart(cfg, log)
	raiseProcs(env.get, log)
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

// migrate reads the storage and log settings only: no secret is needed to
// create a schema.
func migrate(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("migrate", args, env, stdout, authd.SectionStorage, authd.SectionLog)
	if err != nil {
		return err
	}
	startLog(cfg, env, stderr)
	if err := authd.Migrate(ctx, cfg); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "schema is up to date")
	return nil
}
