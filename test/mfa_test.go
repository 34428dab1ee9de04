package test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestMFAEnrolmentAndTwoStepLogin: enrolment is pending until confirmed;
// then a login needs its second step, the access token says how it was
// passed, and a session keeps that across refreshes.
func TestMFAEnrolmentAndTwoStepLogin(t *testing.T) {
	eachBackend(t, map[string]string{"AUTHD_MFA_ISSUER": "Example Corp"}, func(t *testing.T, e *env) {
		a := e.register(t, "two@example.com")
		wantAMR(t, a.Access, "pwd")
		if e.mfaEnabled(t, a.Access) {
			t.Fatal("a new account has MFA on")
		}
		r := e.do(req{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/enroll", Bearer: a.Access}).expect(t, http.StatusOK, "")
		checkEnrolment(t, r, "two@example.com")
		e.login(t, a) // pending: logins still take the password alone
		e.do(req{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/confirm", Bearer: a.Access,
			Body: map[string]string{"code": "000000"}}).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")

		u := e.enrol(t, a) // a second enrolment replaces the first, unconfirmed one
		if !e.mfaEnabled(t, a.Access) {
			t.Fatal("me says MFA is off after confirmation")
		}
		e.do(req{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/enroll", Bearer: a.Access}).
			expect(t, http.StatusConflict, "MFA_ALREADY_ENABLED")
		e.do(req{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/confirm", Bearer: a.Access,
			Body: map[string]string{"code": codeFor(t, u.Secret, e.step()+1)}}).expect(t, http.StatusConflict, "MFA_ALREADY_ENABLED")

		e.clock.Advance(30 * time.Second)
		signedIn := e.mfaLogin(t, u, codeFor(t, u.Secret, e.step()))
		wantAMR(t, signedIn.Access, "pwd", "otp", "mfa")
		next := e.refresh(signedIn.Refresh).expect(t, http.StatusOK, "")
		wantAMR(t, next.str(t, "accessToken"), "pwd", "otp", "mfa")

		byCode := e.mfaLogin(t, u, u.Recovery[0])
		wantAMR(t, byCode.Access, "pwd", "mfa")
		wantAMR(t, e.refresh(byCode.Refresh).expect(t, http.StatusOK, "").str(t, "accessToken"), "pwd", "mfa")
		if !strings.Contains(e.logs.String(), `"event":"mfa.enabled"`) ||
			!strings.Contains(e.logs.String(), `"event":"mfa.recovery_code_used"`) {
			t.Error("enabling MFA and using a recovery code are not audited")
		}
	})
}

// checkEnrolment: the secret, an otpauth URL that authenticator apps read
// (issuer AUTHD_MFA_ISSUER, account the email) and a QR code image of it.
func checkEnrolment(t *testing.T, r resp, email string) {
	t.Helper()
	m := r.json(t)
	secret, _ := m["secret"].(string)
	raw, _ := m["otpauthUrl"].(string)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Example Corp:"+email ||
		u.Query().Get("secret") != secret || u.Query().Get("issuer") != "Example Corp" || len(secret) < 32 {
		t.Fatalf("enrolment %s", r.Body)
	}
	qr, _ := m["qrCode"].(string)
	data, ok := strings.CutPrefix(qr, "data:image/png;base64,")
	img, err := base64.StdEncoding.DecodeString(data)
	if !ok || err != nil {
		t.Fatalf("qrCode is not a PNG data URL: %.60s", qr)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil || cfg.Width != 256 || cfg.Height != 256 {
		t.Fatalf("QR image: %+v, %v", cfg, err)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the secret is cacheable: %v", r.Header)
	}
}

// TestMFATOTPWindow: at a step boundary, codes of the step before, the
// step and the step after are accepted, two steps away are not, and no
// step is accepted twice, nor one at or before the last accepted one.
func TestMFATOTPWindow(t *testing.T) {
	eachBackend(t, map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "50"}, func(t *testing.T, e *env) {
		u := e.enrol(t, e.register(t, "window@example.com"))
		n := e.step() + 10
		e.clock.Set(stepStart(n)) // the first instant of step n
		token := e.firstStep(t, u, nil)
		e.verify(token, codeFor(t, u.Secret, n-2)).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		e.verify(token, codeFor(t, u.Secret, n+2)).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		e.verify(token, codeFor(t, u.Secret, n-1)).expect(t, http.StatusOK, "")

		token = e.firstStep(t, u, nil)
		e.verify(token, codeFor(t, u.Secret, n-1)).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID") // replay
		e.verify(token, codeFor(t, u.Secret, n)).expect(t, http.StatusOK, "")

		e.clock.Set(stepStart(n + 1).Add(-time.Nanosecond)) // the last instant of step n
		token = e.firstStep(t, u, nil)
		e.verify(token, codeFor(t, u.Secret, n+2)).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		e.verify(token, codeFor(t, u.Secret, n)).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID") // replay
		e.verify(token, codeFor(t, u.Secret, n+1)).expect(t, http.StatusOK, "")

		e.clock.Set(stepStart(n + 2)) // n+1 is now the step before: accepted once already
		token = e.firstStep(t, u, nil)
		e.verify(token, codeFor(t, u.Secret, n+1)).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		e.verify(token, codeFor(t, u.Secret, n+2)).expect(t, http.StatusOK, "")
	})
}

// TestMFATokenRules: the mfaToken takes at most five codes, lives five
// minutes, works once, and only as minted.
func TestMFATokenRules(t *testing.T) {
	eachBackend(t, map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "50"}, func(t *testing.T, e *env) {
		u := e.enrol(t, e.register(t, "token@example.com"))
		e.clock.Advance(30 * time.Second)
		right := func() string { return codeFor(t, u.Secret, e.step()) }

		token := e.firstStep(t, u, nil)
		for range 5 {
			e.verify(token, "123456").expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		}
		e.verify(token, right()).expect(t, http.StatusUnauthorized, "MFA_TOKEN_INVALID")

		token = e.firstStep(t, u, nil)
		wrong := u.Recovery[0][:18] + "x" // the code with its last symbol changed
		if wrong == u.Recovery[0] {
			wrong = u.Recovery[0][:18] + "y"
		}
		for range 4 {
			e.verify(token, wrong).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		}
		r := e.verify(token, right()).expect(t, http.StatusOK, "")
		wantAMR(t, r.str(t, "accessToken"), "pwd", "otp", "mfa")
		e.verify(token, u.Recovery[1]).expect(t, http.StatusUnauthorized, "MFA_TOKEN_INVALID") // spent

		e.clock.Advance(30 * time.Second)
		token = e.firstStep(t, u, nil)
		e.clock.Advance(5 * time.Minute)
		e.verify(token, right()).expect(t, http.StatusUnauthorized, "MFA_TOKEN_INVALID") // expired
		token = e.firstStep(t, u, nil)
		e.clock.Advance(5*time.Minute - time.Microsecond)
		e.verify(token, right()).expect(t, http.StatusOK, "")

		for _, bad := range []string{"mfa1.AAAA", token + "x", strings.Repeat("A", 48), "rt1." + token[4:]} {
			e.verify(bad, u.Recovery[2]).expect(t, http.StatusUnauthorized, "MFA_TOKEN_INVALID")
		}
		e.verify("", "123456").expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		e.verify(e.firstStep(t, u, nil), "").expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
	})
}
