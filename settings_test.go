package authd

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// The table is well formed: one row per variable, flags derived from the
// names, sections in one run each, and one row per field of Config.
func TestSettingsTable(t *testing.T) {
	var c Config
	rows := settings(&c)
	seen := map[string]bool{}
	name := regexp.MustCompile(`^AUTHD_[A-Z][A-Z0-9_]*[A-Z0-9]$`)
	var order []Section
	for _, s := range rows {
		if !name.MatchString(s.env) || seen[s.env] || strings.HasPrefix(s.env, testPrefix) {
			t.Errorf("bad or repeated variable %q", s.env)
		}
		seen[s.env] = true
		if s.usage == "" || s.section == "" {
			t.Errorf("%s: no usage or section", s.env)
		}
		if len(order) == 0 || order[len(order)-1] != s.section {
			order = append(order, s.section)
		}
	}
	if len(order) != len(Sections()) {
		t.Errorf("sections %q are not each one run of rows", order)
	}
	if fields := settableFields(reflect.TypeOf(c)); fields != len(rows) {
		t.Errorf("Config has %d settable fields, the table %d rows", fields, len(rows))
	}
	if (settings(&Config{})[0]).flag() != "http-addr" {
		t.Error("flag of AUTHD_HTTP_ADDR is not http-addr")
	}
}

// settableFields counts the leaf fields of the sections, leaving out the
// ones documented as set only in Go (pointers such as Mail.RootCAs).
func settableFields(t reflect.Type) int {
	n := 0
	for i := range t.NumField() {
		f := t.Field(i)
		switch {
		case f.Type.Kind() == reflect.Struct && f.Type.PkgPath() == t.PkgPath():
			n += settableFields(f.Type)
		case f.Type.Kind() != reflect.Pointer:
			n++
		}
	}
	return n
}

// Every row writes its own field: setting one variable to a value other
// than its default changes the Config in exactly one place.
func TestEachSettingHasItsOwnField(t *testing.T) {
	other := map[string]string{"AUTHD_DB_DRIVER": "postgres", "AUTHD_JWT_ALG": "EdDSA", "AUTHD_REGISTRATION": "closed",
		"AUTHD_COOKIE_SECURE": "false", "AUTHD_LOG_FORMAT": "text", "AUTHD_SMTP_URL": "smtps://mail.example.com",
		"AUTHD_MAIL_FROM": "x <x@example.com>", "AUTHD_EMAIL_LINK_URL": "https://app.example.com/",
		"AUTHD_TRUSTED_PROXIES": "10.0.0.0/8", "AUTHD_ALLOWED_ORIGINS": "https://app.example.com"}
	for _, s := range settings(&Config{}) {
		c := DefaultConfig()
		rows := settings(&c)
		row := rows[indexOf(rows, s.env)]
		v := other[s.env]
		if v == "" {
			v = otherValue(row.value)
		}
		if err := row.value.Set(v); err != nil {
			t.Fatalf("%s=%q: %v", s.env, v, err)
		}
		if diff := differences(reflect.ValueOf(c), reflect.ValueOf(DefaultConfig())); diff != 1 {
			t.Errorf("%s=%q changed %d fields, want 1", s.env, v, diff)
		}
	}
}

// otherValue is a value unlike any default, for the kinds of value that
// take one of a kind (numbers, durations, text and secrets).
func otherValue(v value) string {
	switch v.(type) {
	case intValue:
		return "7"
	case durationValue:
		return "7m"
	case boolValue:
		return "true"
	}
	return strings.Repeat("s", 40)
}

func indexOf(rows []setting, env string) int {
	for i, s := range rows {
		if s.env == env {
			return i
		}
	}
	return -1
}

func differences(a, b reflect.Value) int {
	if a.Kind() != reflect.Struct {
		if reflect.DeepEqual(a.Interface(), b.Interface()) {
			return 0
		}
		return 1
	}
	n := 0
	for i := range a.NumField() {
		n += differences(a.Field(i), b.Field(i))
	}
	return n
}

func TestUnknownVariables(t *testing.T) {
	got := UnknownVariables([]string{"PATH=/bin", "AUTHD_ACESS_TTL=5m", "AUTHD_ACCESS_TTL=5m", "AUTHD_JWT_SECRETS=x=y",
		"AUTHD_TEST_POSTGRES_DSN=postgres://", "AUTHD_REDIS_CLUSTER_NODES=a,b", "AUTHD_DB_DRIVR", "authd_http_addr=:1", "AUTHD_MEMORY_LIMIT=24MiB"})
	want := []string{
		"AUTHD_ACESS_TTL: unknown variable; did you mean AUTHD_ACCESS_TTL?",
		"AUTHD_JWT_SECRETS: unknown variable; did you mean AUTHD_JWT_SECRET?",
		"AUTHD_REDIS_CLUSTER_NODES: unknown variable",
		"AUTHD_DB_DRIVR: unknown variable; did you mean AUTHD_DB_DRIVER?",
		"AUTHD_MEMORY_LIMIT: no longer read; set GOMEMLIMIT, which the Go runtime applies itself",
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("%d: %q, want %q", i, got[i].String(), want[i])
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"AUTHD_ACESS_TTL", "AUTHD_ACCESS_TTL", 1}, {"ab", "ba", 2}} {
		if got := editDistance(c.a, c.b); got != c.d || editDistance(c.b, c.a) != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}
