package totp_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/pquerna/otp"
	pqtotp "github.com/pquerna/otp/totp"

	"github.com/authd-dev/authd/adapters/totp"
	"github.com/authd-dev/authd/domain"
)

func newTOTP(t *testing.T) *totp.TOTP {
	t.Helper()
	tt, err := totp.New("Example Corp")
	if err != nil {
		t.Fatal(err)
	}
	return tt
}

// codeAt is the code an authenticator app shows at instant at.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := pqtotp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewKeyIsWhatAuthenticatorAppsRead(t *testing.T) {
	k, err := newTOTP(t).NewKey("bob@example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(k.URL)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Example Corp:bob@example.com" {
		t.Fatalf("URL %q (%v)", k.URL, err)
	}
	q := u.Query()
	if q.Get("secret") != k.Secret || q.Get("issuer") != "Example Corp" || q.Get("algorithm") != "SHA1" ||
		q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Fatalf("URL parameters %v", q)
	}
	if len(k.Secret) != 32 { // 20 bytes in unpadded base32
		t.Fatalf("secret %q", k.Secret)
	}
	key, err := otp.NewKeyFromURL(k.URL)
	if err != nil || key.Secret() != k.Secret {
		t.Fatalf("the library reads back %v, %v", key, err)
	}
	other, _ := newTOTP(t).NewKey("bob@example.com")
	if other.Secret == k.Secret {
		t.Fatal("two keys share a secret")
	}
	if _, err := newTOTP(t).NewKey(""); err == nil {
		t.Error("a key without account name")
	}
	if _, err := totp.New(""); err == nil {
		t.Error("an adapter without issuer")
	}
}

func TestMatchFindsTheStep(t *testing.T) {
	tt := newTOTP(t)
	k, _ := tt.NewKey("bob@example.com")
	const n = 58_000_000
	start := time.Unix(n*30, 0)
	steps := []uint64{n - 1, n, n + 1}
	tests := []struct {
		name string
		at   time.Time
		want uint64
		ok   bool
	}{
		{"the previous step's code", start.Add(-time.Second), n - 1, true},
		{"the current step's first second", start, n, true},
		{"the current step's last second", start.Add(29 * time.Second), n, true},
		{"the next step's code", start.Add(30 * time.Second), n + 1, true},
		{"two steps back", start.Add(-31 * time.Second), 0, false},
		{"two steps ahead", start.Add(60 * time.Second), 0, false},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			got, ok := tt.Match(k.Secret, codeAt(t, k.Secret, c.at), steps)
			if ok != c.ok || got != c.want {
				t.Errorf("Match = %d, %v; want %d, %v", got, ok, c.want, c.ok)
			}
		})
	}
	code := codeAt(t, k.Secret, start)
	for name, bad := range map[string]struct{ secret, code string }{
		"a secret that is not base32": {"not base32!", code},
		"five digits":                 {k.Secret, code[:5]},
		"letters":                     {k.Secret, "12a456"},
		"padded with spaces":          {k.Secret, " " + code},
	} {
		if _, ok := tt.Match(bad.secret, bad.code, steps); ok {
			t.Errorf("%s matched", name)
		}
	}
	if _, ok := tt.Match(k.Secret, code, nil); ok {
		t.Error("matched with no steps allowed")
	}
	if domain.TOTPStep(start) != n {
		t.Fatal("test's step arithmetic disagrees with the domain")
	}
}
