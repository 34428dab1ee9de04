package domain_test

import (
	"slices"
	"testing"
	"time"

	"github.com/authd-dev/authd/domain"
)

var testLimits = domain.LoginLimits{PerPair: 10, PerAccount: 100, PerAddress: 50, Window: 15 * time.Minute}

func keys(cs []domain.FailureCounter) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Key
	}
	return out
}

func TestForLoginWithoutDevice(t *testing.T) {
	r := testLimits.ForLogin(domain.LoginAttempt{Account: "bob@example.com", Address: "203.0.113.1"})
	want := []domain.FailureCounter{{Key: "login:pair:11:203.0.113.1|bob@example.com", Limit: 10, Window: 15 * time.Minute}}
	if !slices.Equal(r.Reset, want) {
		t.Errorf("Reset = %+v, want the pair only", r.Reset)
	}
	want = []domain.FailureCounter{
		{Key: "login:account:bob@example.com", Limit: 100, Window: 15 * time.Minute},
		{Key: "login:address:203.0.113.1", Limit: 50, Window: 15 * time.Minute},
	}
	if !slices.Equal(r.Keep, want) {
		t.Errorf("Keep = %+v, want the account and the address", r.Keep)
	}
	if len(r.All()) != 3 {
		t.Errorf("All = %v", keys(r.All()))
	}
}

// A trusted device is counted on its own and nothing else can refuse it.
func TestForLoginWithDevice(t *testing.T) {
	r := testLimits.ForLogin(domain.LoginAttempt{Account: "bob@example.com", Address: "203.0.113.1", Device: "d-1"})
	want := []domain.FailureCounter{{Key: "login:device:d-1", Limit: 10, Window: 15 * time.Minute}}
	if !slices.Equal(r.All(), want) || len(r.Keep) != 0 {
		t.Fatalf("rule = %+v, want only the device's counter, reset on success", r)
	}
}

func TestForLoginCountersOff(t *testing.T) {
	for _, tt := range []struct {
		name   string
		limits domain.LoginLimits
		device string
		want   []string
	}{
		{"pair off", domain.LoginLimits{PerAccount: 5, PerAddress: 5, Window: time.Minute}, "",
			[]string{"login:account:a@x.io", "login:address:1.2.3.4"}},
		{"account off", domain.LoginLimits{PerPair: 5, PerAddress: 5, Window: time.Minute}, "",
			[]string{"login:pair:7:1.2.3.4|a@x.io", "login:address:1.2.3.4"}},
		{"address off", domain.LoginLimits{PerPair: 5, PerAccount: 5, Window: time.Minute}, "",
			[]string{"login:pair:7:1.2.3.4|a@x.io", "login:account:a@x.io"}},
		{"device with pair off", domain.LoginLimits{PerAccount: 5, PerAddress: 5, Window: time.Minute}, "d", nil},
		{"no window", domain.LoginLimits{PerPair: 5, PerAccount: 5, PerAddress: 5}, "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := keys(tt.limits.ForLogin(domain.LoginAttempt{Account: "a@x.io", Address: "1.2.3.4", Device: tt.device}).All())
			if !slices.Equal(got, tt.want) && (len(got) != 0 || len(tt.want) != 0) {
				t.Fatalf("keys = %v, want %v", got, tt.want)
			}
		})
	}
}

// Different (address, account) pairs never share a counter, whatever
// separators either part holds.
func TestPairKeysDoNotCollide(t *testing.T) {
	seen := map[string]domain.LoginAttempt{}
	for _, a := range []domain.LoginAttempt{
		{Address: "a|b", Account: "c"}, {Address: "a", Account: "b|c"},
		{Address: "1:a", Account: "b"}, {Address: "", Account: "1:a|b"},
		{Address: "1.2.3.4", Account: "x@y.z"}, {Address: "1.2.3.4|x", Account: "@y.z"},
	} {
		k := testLimits.ForLogin(a).Reset[0].Key
		if prev, dup := seen[k]; dup {
			t.Fatalf("%+v and %+v share the key %q", prev, a, k)
		}
		seen[k] = a
	}
}

// Password-change counters are apart from every login counter.
func TestForPasswordChange(t *testing.T) {
	r := testLimits.ForPasswordChange("user-1", "session-1", "203.0.113.1")
	want := []string{"password:pair:11:203.0.113.1|user-1", "password:session:session-1"}
	if got := keys(r.All()); !slices.Equal(got, want) || len(r.Keep) != 0 {
		t.Fatalf("keys = %v (keep %v), want %v, all reset on success", got, r.Keep, want)
	}
	for _, c := range r.All() {
		if c.Limit != 10 || c.Window != 15*time.Minute {
			t.Errorf("%s: limit %d window %v, want the pair limit and window", c.Key, c.Limit, c.Window)
		}
	}
	login := keys(testLimits.ForLogin(domain.LoginAttempt{Account: "user-1", Address: "203.0.113.1"}).All())
	for _, k := range keys(r.All()) {
		if slices.Contains(login, k) {
			t.Errorf("password change shares %q with login", k)
		}
	}
	if got := keys(testLimits.ForPasswordChange("user-1", "", "203.0.113.1").All()); len(got) != 1 {
		t.Errorf("without a session id: %v, want the pair only", got)
	}
}
