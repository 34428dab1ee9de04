package test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	pqtotp "github.com/pquerna/otp/totp"

	"github.com/authd-dev/authd/domain"
)

// mfaUser is an account with TOTP on: the secret its authenticator app
// holds and the recovery codes it was shown.
type mfaUser struct {
	account
	Secret   string
	Recovery []string
}

// stepStart is the first instant of TOTP step n.
func stepStart(n uint64) time.Time { return time.Unix(int64(n)*30, 0).UTC() }

// codeFor is what an authenticator app shows during step n, computed by
// the TOTP library, not by authd.
func codeFor(t testing.TB, secret string, n uint64) string {
	t.Helper()
	c, err := pqtotp.GenerateCode(secret, stepStart(n))
	if err != nil {
		t.Fatalf("compute TOTP code: %v", err)
	}
	return c
}

// step is the TOTP step of the env's clock.
func (e *env) step() uint64 { return domain.TOTPStep(e.clock.Now()) }

// enrol turns TOTP on for a with a code of the clock's current step and
// returns the user with its secret and recovery codes.
func (e *env) enrol(t testing.TB, a account) mfaUser {
	t.Helper()
	r := e.do(req{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/enroll", Bearer: a.Access}).expect(t, http.StatusOK, "")
	secret := r.str(t, "secret")
	r = e.do(req{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/confirm", Bearer: a.Access,
		Body: map[string]string{"code": codeFor(t, secret, e.step())}}).expect(t, http.StatusOK, "")
	return mfaUser{account: a, Secret: secret, Recovery: recoveryCodes(t, r)}
}

func recoveryCodes(t testing.TB, r resp) []string {
	t.Helper()
	var body struct{ RecoveryCodes []string }
	if err := json.Unmarshal(r.Body, &body); err != nil || len(body.RecoveryCodes) != 10 {
		t.Fatalf("recovery codes: %v: %s", err, r.Body)
	}
	return body.RecoveryCodes
}

// firstStep logs u in with the password and expects the second step to be
// asked for; it returns the mfaToken.
func (e *env) firstStep(t testing.TB, u mfaUser, extra map[string]string) string {
	t.Helper()
	body := map[string]string{"email": u.Email, "password": u.Password}
	for k, v := range extra {
		body[k] = v
	}
	r := e.post("/v1/auth/login", body).expect(t, http.StatusForbidden, "MFA_REQUIRED")
	m := r.json(t)
	token, _ := m["mfaToken"].(string)
	if token == "" || m["expiresIn"] != float64(300) || m["accessToken"] != nil || m["refreshToken"] != nil {
		t.Fatalf("MFA_REQUIRED body: %s", r.Body)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("MFA_REQUIRED is cacheable: %v", r.Header)
	}
	return token
}

func (e *env) verify(token, code string) resp {
	e.t.Helper()
	return e.post("/v1/auth/mfa/verify", map[string]string{"mfaToken": token, "code": code})
}

// mfaLogin logs u in with both steps, the second with code.
func (e *env) mfaLogin(t testing.TB, u mfaUser, code string) account {
	t.Helper()
	r := e.verify(e.firstStep(t, u, nil), code).expect(t, http.StatusOK, "")
	a := u.account
	a.Access, a.Refresh = r.str(t, "accessToken"), r.str(t, "refreshToken")
	return a
}

// amrClaim reads the amr claim of an access token (no verification: the
// service already verified it; this only looks inside).
func amrClaim(t testing.TB, token string) []string {
	t.Helper()
	seg := strings.Split(token, ".")
	if len(seg) != 3 {
		t.Fatalf("token has %d segments", len(seg))
	}
	raw, err := base64.RawURLEncoding.DecodeString(seg[1])
	if err != nil {
		t.Fatalf("claims: %v", err)
	}
	var claims struct{ Amr []string }
	if err := json.Unmarshal(raw, &claims); err != nil {
		t.Fatalf("claims: %v", err)
	}
	return claims.Amr
}

func wantAMR(t testing.TB, token string, want ...string) {
	t.Helper()
	if got := amrClaim(t, token); !reflect.DeepEqual(got, want) {
		t.Fatalf("amr = %v, want %v", got, want)
	}
}

func (e *env) mfaEnabled(t testing.TB, access string) bool {
	t.Helper()
	r := e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: access}).expect(t, http.StatusOK, "")
	on, ok := r.json(t)["mfaEnabled"].(bool)
	if !ok {
		t.Fatalf("me has no mfaEnabled: %s", r.Body)
	}
	return on
}
