package main

import (
	"bytes"
	"context"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

// authd --help, -h and help list every command, one line each, and exit 0.
func TestHelpListsTheCommands(t *testing.T) {
	for _, arg := range []string{"--help", "-h", "help"} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{arg}, envOf(nil), nil, &stdout, &stderr); code != 0 {
			t.Fatalf("authd %s: exit %d: %s%s", arg, code, stdout.String(), stderr.String())
		}
		for _, cmd := range []string{"serve", "migrate", "user create", "keys generate", "healthcheck", "version", "help"} {
			if !regexp.MustCompile(`(?m)^  ` + cmd + ` +\S`).MatchString(stdout.String()) {
				t.Errorf("authd %s: no line for %q in %q", arg, cmd, stdout.String())
			}
		}
	}
	var out bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, envOf(nil), nil, &out, &out); code != 2 ||
		!strings.Contains(out.String(), `unknown command "frobnicate"`) {
		t.Fatalf("unknown command: exit %d: %s", code, out.String())
	}
}

// serve --help lists serve's flags under their sections, with variable and
// default; migrate --help only the storage and log flags. Both exit 0.
func TestCommandHelpListsFlagsBySection(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--help"}, envOf(nil), nil, &out, &out); code != 0 {
		t.Fatalf("serve --help: exit %d: %s", code, out.String())
	}
	help := out.String()
	sections := []string{"HTTP", "Storage", "Keys", "Tokens", "Accounts", "Sessions", "Throttling", "Password hashing", "Mail", "Two-factor authentication", "Log"}
	last := -1
	for _, s := range sections {
		i := strings.Index(help, "\n"+s+"\n")
		if i < last {
			t.Fatalf("section %q missing or out of order in %s", s, help)
		}
		last = i
	}
	storage := help[strings.Index(help, "\nStorage\n"):strings.Index(help, "\nKeys\n")]
	if !regexp.MustCompile(`--db-driver +sqlite, postgres or mysql \(AUTHD_DB_DRIVER, default "sqlite"\)`).MatchString(storage) {
		t.Errorf("Storage section lacks --db-driver with its variable and default:\n%s", storage)
	}
	out.Reset()
	if code := run(context.Background(), []string{"migrate", "-h"}, envOf(nil), nil, &out, &out); code != 0 {
		t.Fatalf("migrate -h: exit %d: %s", code, out.String())
	}
	if !strings.Contains(out.String(), "--db-dsn") || !strings.Contains(out.String(), "--log-format") ||
		strings.Contains(out.String(), "--jwt-secret") || strings.Contains(out.String(), "--access-ttl") {
		t.Errorf("migrate -h lists other flags than storage and log:\n%s", out.String())
	}
	for _, args := range [][]string{{"user", "create", "--help"}, {"keys", "generate", "--help"}, {"healthcheck", "-h"}} {
		out.Reset()
		if code := run(context.Background(), args, envOf(nil), nil, &out, &out); code != 0 || !strings.Contains(out.String(), "usage: authd") {
			t.Errorf("%v: exit %d: %s", args, code, out.String())
		}
	}
}

// A misspelt variable is a warning naming the closest setting, not an
// error; the test suite's own AUTHD_TEST_* variables are left alone.
func TestUnknownVariablesAreWarnedWithASuggestion(t *testing.T) {
	env := baseEnv(t)
	env["AUTHD_ACESS_TTL"], env["AUTHD_TEST_POSTGRES_DSN"], env["AUTHD_NO_SUCH_THING_AT_ALL"] = "5m", "x", "1"
	var out bytes.Buffer
	if code := run(context.Background(), []string{"migrate"}, envOf(env), nil, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	if !strings.Contains(out.String(), "level=WARN") ||
		!strings.Contains(out.String(), "AUTHD_ACESS_TTL: unknown variable; did you mean AUTHD_ACCESS_TTL?") {
		t.Errorf("no warning with a suggestion: %s", out.String())
	}
	if !strings.Contains(out.String(), `"AUTHD_NO_SUCH_THING_AT_ALL: unknown variable"`) {
		t.Errorf("a far-off name is not warned without a suggestion: %s", out.String())
	}
	if strings.Contains(out.String(), "AUTHD_TEST_POSTGRES_DSN") {
		t.Errorf("a test variable was warned about: %s", out.String())
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if code := run(context.Background(), []string{"version"}, envOf(nil), nil, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	if !strings.HasPrefix(out.String(), "authd ") {
		t.Fatalf("version printed %q", out.String())
	}
}

// The version comes from the build info: the module version, else the
// short revision, with the revision, its time and local changes when
// recorded; "(devel)" only when nothing is known.
func TestDescribeBuild(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2025-11-30T14:00:00Z"}, {Key: "vcs.modified", Value: "true"}}
	cases := []struct {
		version  string
		settings []debug.BuildSetting
		want     string
	}{
		{"v1.4.0", nil, "v1.4.0"},
		{"v1.4.0", vcs, "v1.4.0 (revision 0123456789abcdef0123456789abcdef01234567, 2025-11-30T14:00:00Z, modified)"},
		{"(devel)", vcs, "0123456789ab (revision 0123456789abcdef0123456789abcdef01234567, 2025-11-30T14:00:00Z, modified)"},
		{"(devel)", vcs[:2], "0123456789ab (revision 0123456789abcdef0123456789abcdef01234567)"},
		{"(devel)", nil, "(devel)"},
		{"", nil, "(devel)"},
	}
	for _, c := range cases {
		info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/authd-dev/authd", Version: c.version}, Settings: c.settings}
		if got := describeBuild(info); got != c.want {
			t.Errorf("version %q, %d settings: %q, want %q", c.version, len(c.settings), got, c.want)
		}
	}
	if got := describeBuild(nil); got != "(devel)" {
		t.Errorf("no build info: %q", got)
	}
}

// assertStartupLine finds the one "serving" line in a text log and checks
// that it holds every attribute in want and a kid.
func assertStartupLine(t *testing.T, log string, want ...string) {
	t.Helper()
	var line string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, "msg=serving") {
			if line != "" {
				t.Fatalf("two start-up lines:\n%s\n%s", line, l)
			}
			line = l
		}
	}
	if !regexp.MustCompile(` kid=[A-Za-z0-9_-]{8,}`).MatchString(line) {
		t.Errorf("start-up line without a kid: %q", line)
	}
	for _, w := range want {
		if !strings.Contains(line, " "+w) {
			t.Errorf("start-up line %q lacks %s", line, w)
		}
	}
}
