package test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMFARecoveryCodes: each code works once, typed in any case and
// spacing; regenerating (password and code) voids every old one.
func TestMFARecoveryCodes(t *testing.T) {
	eachBackend(t, map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "50"}, func(t *testing.T, e *env) {
		u := e.enrol(t, e.register(t, "codes@example.com"))
		typed := strings.ToUpper(strings.ReplaceAll(u.Recovery[0], "-", " "))
		e.mfaLogin(t, u, typed)
		e.verify(e.firstStep(t, u, nil), u.Recovery[0]).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		a := e.mfaLogin(t, u, u.Recovery[1])

		regen := func(password, code string) resp {
			return e.do(req{Method: http.MethodPost, Path: "/v1/auth/mfa/recovery-codes", Bearer: a.Access,
				Body: map[string]string{"password": password, "code": code}})
		}
		regen("wrong password", u.Recovery[2]).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
		regen(u.Password, "000000").expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		regen(u.Password, u.Recovery[1]).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID") // used
		fresh := recoveryCodes(t, regen(u.Password, u.Recovery[2]).expect(t, http.StatusOK, ""))
		e.verify(e.firstStep(t, u, nil), u.Recovery[3]).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		wantAMR(t, e.mfaLogin(t, u, fresh[0]).Access, "pwd", "mfa")
	})
}

// TestMFACodeRaces: one TOTP code sent with two logins at once, or one
// recovery code, opens one session, never two. (The losers count as failed
// logins, hence the higher limit.)
func TestMFACodeRaces(t *testing.T) {
	eachBackend(t, map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "50"}, func(t *testing.T, e *env) {
		u := e.enrol(t, e.register(t, "race@example.com"))
		e.clock.Advance(30 * time.Second)
		for _, code := range []string{codeFor(t, u.Secret, e.step()), u.Recovery[0]} {
			const n = 6
			tokens := make([]string, n)
			for i := range tokens {
				tokens[i] = e.firstStep(t, u, nil)
			}
			statuses := make([]int, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { statuses[i] = e.verify(tokens[i], code).Status })
			}
			wg.Wait()
			ok := 0
			for _, s := range statuses {
				switch s {
				case http.StatusOK:
					ok++
				case http.StatusUnauthorized:
				default:
					t.Errorf("status %d", s)
				}
			}
			if ok != 1 {
				t.Fatalf("code %s opened %d sessions, want 1 (%v)", code, ok, statuses)
			}
		}
	})
}

// TestMFACookieTransport: a cookie login's second step sets the cookies
// (the first sets none), and the session refreshes by cookie with its amr.
func TestMFACookieTransport(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		u := e.enrol(t, e.register(t, "cookie@example.com"))
		e.clock.Advance(30 * time.Second)
		body := map[string]string{"email": u.Email, "password": u.Password, "transport": "cookie"}
		first := e.post("/v1/auth/login", body).expect(t, http.StatusForbidden, "MFA_REQUIRED")
		noCookieSet(t, first)
		r := e.verify(first.str(t, "mfaToken"), codeFor(t, u.Secret, e.step())).expect(t, http.StatusOK, "")
		m := r.json(t)
		if m["refreshToken"] != nil || m["deviceToken"] != nil {
			t.Fatalf("cookie transport put tokens in the body: %s", r.Body)
		}
		c := refreshCookie(t, r)
		wantRefreshCookie(t, c, false, int((720 * time.Hour).Seconds()))
		if !strings.Contains(strings.Join(r.Header.Values("Set-Cookie"), "\n"), "authd_device=") {
			t.Fatalf("no device cookie: %v", r.Header.Values("Set-Cookie"))
		}
		next := e.byCookie("/v1/auth/refresh", c.Value, e.srv.URL).expect(t, http.StatusOK, "")
		wantAMR(t, next.str(t, "accessToken"), "pwd", "otp", "mfa")

		bodyLogin := e.firstStep(t, u, nil) // body transport stays body
		r = e.verify(bodyLogin, u.Recovery[0]).expect(t, http.StatusOK, "")
		noCookieSet(t, r)
		if r.str(t, "refreshToken") == "" || r.str(t, "deviceToken") == "" {
			t.Fatalf("body transport lost its tokens: %s", r.Body)
		}
	})
}

// TestMFADisable: turning MFA off takes the password and a code; then the
// password alone logs in again.
func TestMFADisable(t *testing.T) {
	eachBackend(t, nil, func(t *testing.T, e *env) {
		u := e.enrol(t, e.register(t, "off@example.com"))
		disable := func(password, code string) resp {
			return e.do(req{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/disable", Bearer: u.Access,
				Body: map[string]string{"password": password, "code": code}})
		}
		disable("wrong password", u.Recovery[0]).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
		disable(u.Password, codeFor(t, u.Secret, e.step())).expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID") // confirmation's
		disable(u.Password, "").expect(t, http.StatusBadRequest, "VALIDATION_FAILED")
		disable(u.Password, codeFor(t, u.Secret, e.step()+1)).expect(t, http.StatusNoContent, "")
		if e.mfaEnabled(t, u.Access) {
			t.Fatal("me says MFA is on after disable")
		}
		wantAMR(t, e.login(t, u.account).Access, "pwd")
		disable(u.Password, u.Recovery[1]).expect(t, http.StatusConflict, "MFA_NOT_ENABLED")
		e.do(req{Method: http.MethodPost, Path: "/v1/auth/mfa/totp/confirm", Bearer: u.Access,
			Body: map[string]string{"code": "123456"}}).expect(t, http.StatusConflict, "MFA_NOT_PENDING")
		if !strings.Contains(e.logs.String(), `"event":"mfa.disabled"`) {
			t.Error("disable is not audited")
		}
	})
}

// TestMFAThrottle: wrong codes count as failed logins, so a password
// holder cannot guess codes past the login limit, even with new mfaTokens.
func TestMFAThrottle(t *testing.T) {
	eachBackend(t, map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "3"}, func(t *testing.T, e *env) {
		u := e.enrol(t, e.register(t, "guess@example.com"))
		e.clock.Advance(30 * time.Second)
		token := e.firstStep(t, u, nil)
		for range 2 {
			e.verify(token, "111111").expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		}
		token = e.firstStep(t, u, nil) // a right password forgives nothing yet
		e.verify(token, "222222").expect(t, http.StatusUnauthorized, "MFA_CODE_INVALID")
		r := e.verify(token, codeFor(t, u.Secret, e.step())).expect(t, http.StatusTooManyRequests, "RATE_LIMITED")
		expectRetryAfter(t, r, "900")
		e.post("/v1/auth/login", map[string]string{"email": u.Email, "password": u.Password}).
			expect(t, http.StatusTooManyRequests, "RATE_LIMITED")
	})
}
