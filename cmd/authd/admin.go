package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/authd-dev/authd"
)

// userCommand: authd user create --email E --role R, password on stdin so
// it never shows in argv or shell history.
func userCommand(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: authd user create --email E [--role R] (password on stdin)")
	}
	fs := flag.NewFlagSet("authd user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "the new user's email")
	role := fs.String("role", "user", "the new user's role")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	cfg, err := authd.Load(nil, getenv, stderr)
	if err != nil {
		return err
	}
	app, err := authd.Initialize(ctx, cfg, authd.WithLogger(newLogger(cfg, stderr)))
	if err != nil {
		return err
	}
	defer app.Close()
	u, err := app.CreateUser(ctx, *email, password, *role)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %s (%s, role %s)\n", u.ID(), u.Email(), u.Role())
	return nil
}

// readPassword reads one line from stdin, without its line ending.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on stdin (pipe it in: printf '%s\\n' \"$PASSWORD\" | authd user create …)")
	}
	return line, nil
}

// keysCommand: authd keys generate [--alg A] [--dir D] [--activate-in D]
// writes a new signing key named by its activation time. Every replica
// sharing the folder publishes it from its next reload; it signs from its
// activation on, so the default delay outlasts a reload interval plus the
// JWKS cache lifetime of other services.
func keysCommand(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "generate" {
		return errors.New("usage: authd keys generate [--alg EdDSA|ES256|RS256] [--dir D] [--activate-in D]")
	}
	fs := flag.NewFlagSet("authd keys generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	alg := fs.String("alg", cmp.Or(getenv("AUTHD_JWT_ALG"), "EdDSA"), "EdDSA, ES256 or RS256 (default AUTHD_JWT_ALG, else EdDSA)")
	dir := fs.String("dir", "", "key folder (default AUTHD_JWT_KEY_DIR, else <AUTHD_DATA_DIR>/keys)")
	activateIn := fs.Duration("activate-in", defaultActivateIn, "delay before the key signs (0: at once)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *activateIn < 0 {
		return errors.New("--activate-in must not be negative")
	}
	if *dir == "" {
		*dir = cmp.Or(getenv("AUTHD_JWT_KEY_DIR"), filepath.Join(cmp.Or(getenv("AUTHD_DATA_DIR"), "data"), "keys"))
	}
	activation := time.Now().UTC().Add(*activateIn).Truncate(time.Second)
	path, err := authd.GenerateSigningKey(*dir, *alg, activation)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s; published at the next key reload, signs from %s\n", path, activation.Format(time.RFC3339))
	return nil
}

// defaultActivateIn outlasts the default key reload interval (30s) and the
// JWKS document's cache lifetime (5m), so no verifier meets the new kid
// before it could have fetched it.
const defaultActivateIn = 10 * time.Minute
