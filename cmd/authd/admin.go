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
// it never shows in argv or shell history. It reads the storage, hashing
// and log settings only: creating a user signs no token, so no secret is
// needed.
func userCommand(ctx context.Context, args []string, env environment, stdin io.Reader, stdout, stderr io.Writer) error {
	const synopsis = "authd user create --email E [--role R] (password on stdin)"
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && isHelp(args[0]) {
			fmt.Fprintln(stdout, "usage: "+synopsis)
			return flag.ErrHelp
		}
		return errors.New("usage: " + synopsis)
	}
	fs := flag.NewFlagSet("authd user create", flag.ContinueOnError)
	email := fs.String("email", "", "the new user's email")
	role := fs.String("role", "user", "the new user's role")
	if err := parseFlags(fs, args[1:], synopsis, stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "\nIt reads the Storage, Password hashing and Log settings from their variables (see authd serve --help).")
		}
		return err
	}
	cfg, err := authd.Load(nil, env.get, io.Discard, userSections...)
	if err != nil {
		return err
	}
	log := startLog(cfg, env, stderr)
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	console, cleanup, err := authd.OpenConsole(ctx, cfg, log, authd.SystemClock())
	if err != nil {
		return err
	}
	defer cleanup()
	u, err := console.CreateUser(ctx, *email, password, *role)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %s (%s, role %s)\n", u.ID(), u.Email(), u.Role())
	return nil
}

// userSections are the settings user create reads.
var userSections = []authd.Section{authd.SectionStorage, authd.SectionHashing, authd.SectionLog}

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
func keysCommand(args []string, env environment, stdout io.Writer) error {
	const synopsis = "authd keys generate [--alg EdDSA|ES256|RS256] [--dir D] [--activate-in D]"
	if len(args) == 0 || args[0] != "generate" {
		if len(args) > 0 && isHelp(args[0]) {
			fmt.Fprintln(stdout, "usage: "+synopsis)
			return flag.ErrHelp
		}
		return errors.New("usage: " + synopsis)
	}
	fs := flag.NewFlagSet("authd keys generate", flag.ContinueOnError)
	alg := fs.String("alg", cmp.Or(env.get("AUTHD_JWT_ALG"), "EdDSA"), "EdDSA, ES256 or RS256 (default AUTHD_JWT_ALG, else EdDSA)")
	dir := fs.String("dir", "", "key folder (default AUTHD_JWT_KEY_DIR, else <AUTHD_DATA_DIR>/keys)")
	activateIn := fs.Duration("activate-in", defaultActivateIn, "delay before the key signs (0: at once)")
	if err := parseFlags(fs, args[1:], synopsis, stdout); err != nil {
		return err
	}
	if *activateIn < 0 {
		return errors.New("--activate-in must not be negative")
	}
	if *dir == "" {
		dataDir := cmp.Or(env.get("AUTHD_DATA_DIR"), authd.DefaultConfig().Storage.DataDir)
		*dir = cmp.Or(env.get("AUTHD_JWT_KEY_DIR"), filepath.Join(dataDir, "keys"))
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
