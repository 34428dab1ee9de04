package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
	app, cleanup, err := authd.Initialize(ctx, cfg, authd.NewLogger(cfg, stderr), authd.SystemClock())
	if err != nil {
		return err
	}
	defer cleanup()
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

// keysCommand: authd keys generate --alg A [--dir D] writes a new signing
// key named by the current UTC time, so the next restart signs with it.
func keysCommand(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "generate" {
		return errors.New("usage: authd keys generate --alg EdDSA|ES256|RS256 [--dir D]")
	}
	fs := flag.NewFlagSet("authd keys generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	alg := fs.String("alg", "EdDSA", "EdDSA, ES256 or RS256")
	dir := fs.String("dir", "", "key folder (default AUTHD_JWT_KEY_DIR, else data/keys)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *dir == "" {
		*dir = getenv("AUTHD_JWT_KEY_DIR")
	}
	if *dir == "" {
		*dir = "data/keys"
	}
	path, err := authd.GenerateSigningKey(*dir, *alg, time.Now().UTC())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "wrote", path)
	return nil
}
