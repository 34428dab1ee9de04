package test

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// Failed logins lock out the (account, address) pair only: an attacker
// guessing from one address cannot keep the owner out from another.
func TestFailuresThrottleOnlyTheGuessingAddress(t *testing.T) {
	eachBackend(t, lockoutEnv(nil), func(t *testing.T, e *env) {
		victim := e.register(t, "victim@example.com")
		for round := range 3 {
			e.failFrom(t, victim.Email, attackerAddr, 10)
			expectRetryAfter(t, e.try(attempt{email: victim.Email, password: testPassword, addr: attackerAddr}), "900")
			e.try(attempt{email: victim.Email, password: testPassword, addr: victimAddr}).expect(t, http.StatusOK, "")
			// The owner's success does not lift the attacker's throttle.
			expectRetryAfter(t, e.try(attempt{email: victim.Email, password: "wrong password", addr: attackerAddr}), "900")
			e.clock.Advance(15 * time.Minute)
			if round == 0 {
				// The window over, the attacker's address may try again.
				e.try(attempt{email: victim.Email, password: testPassword, addr: attackerAddr}).expect(t, http.StatusOK, "")
			}
		}
	})
}

// Past the account-wide ceiling every client without a device token of
// the account waits; one holding such a token (from an earlier login, by
// body or by cookie) still logs in, and is counted on its own.
func TestAccountCeilingSparesDeviceHolders(t *testing.T) {
	eachBackend(t, lockoutEnv(nil), func(t *testing.T, e *env) {
		victim := e.register(t, "victim@example.com")
		mallory := e.register(t, "mallory@example.com")
		phone := deviceToken(t, e.try(attempt{email: victim.Email, password: testPassword, addr: victimAddr}).expect(t, http.StatusOK, ""))
		browser := deviceCookie(t, e.try(attempt{email: victim.Email, password: testPassword, addr: victimAddr, transport: "cookie"}).
			expect(t, http.StatusOK, "")).Value
		foreign := deviceToken(t, e.try(attempt{email: mallory.Email, password: testPassword, addr: attackerAddr}).expect(t, http.StatusOK, ""))

		// 100 failures from ten addresses reach the default ceiling of 100.
		for i := range 10 {
			e.failFrom(t, victim.Email, "203.0.113."+strconv.Itoa(100+i), 10)
		}
		expectRetryAfter(t, e.try(attempt{email: victim.Email, password: "wrong password", addr: "203.0.113.200"}), "900")
		expectRetryAfter(t, e.try(attempt{email: victim.Email, password: testPassword, addr: laterAddr}), "900")
		// An invalid or another account's device token is no token.
		for _, bad := range []string{foreign, "dv1.not-a-token", phone + "x"} {
			expectRetryAfter(t, e.try(attempt{email: victim.Email, password: testPassword, addr: laterAddr, deviceToken: bad}), "900")
		}
		expectRetryAfter(t, e.try(attempt{email: victim.Email, password: testPassword, addr: laterAddr, deviceCookie: foreign}), "900")

		// The owner's devices are not refused, whatever address they use.
		r := e.try(attempt{email: victim.Email, password: testPassword, addr: laterAddr, deviceToken: phone}).expect(t, http.StatusOK, "")
		phone = deviceToken(t, r)
		e.try(attempt{email: victim.Email, password: testPassword, addr: "203.0.113.100", deviceCookie: browser, transport: "cookie"}).
			expect(t, http.StatusOK, "")

		// A device's own failures count on their own, with the same limit.
		for range 10 {
			e.try(attempt{email: victim.Email, password: "wrong password", addr: victimAddr, deviceToken: phone}).
				expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
		}
		expectRetryAfter(t, e.try(attempt{email: victim.Email, password: testPassword, addr: victimAddr, deviceToken: phone}), "900")
		e.try(attempt{email: victim.Email, password: testPassword, addr: victimAddr, deviceCookie: browser}).expect(t, http.StatusOK, "")

		// The ceiling lifts when its window ends.
		e.clock.Advance(15 * time.Minute)
		e.try(attempt{email: victim.Email, password: testPassword, addr: laterAddr}).expect(t, http.StatusOK, "")
	})
}

// A low configured ceiling: an attacker spreading guesses over addresses
// gets no more than it in total, and the device holder is still let in.
func TestLowAccountCeiling(t *testing.T) {
	eachBackend(t, lockoutEnv(map[string]string{"AUTHD_LOGIN_MAX_FAILURES_ACCOUNT": "25"}), func(t *testing.T, e *env) {
		victim := e.register(t, "victim@example.com")
		phone := deviceToken(t, e.try(attempt{email: victim.Email, password: testPassword, addr: victimAddr}).expect(t, http.StatusOK, ""))
		e.failFrom(t, victim.Email, "203.0.113.1", 10)
		e.failFrom(t, victim.Email, "203.0.113.2", 10)
		e.failFrom(t, victim.Email, "203.0.113.3", 5)
		expectRetryAfter(t, e.try(attempt{email: victim.Email, password: "wrong password", addr: "203.0.113.3"}), "900")
		expectRetryAfter(t, e.try(attempt{email: victim.Email, password: testPassword, addr: victimAddr}), "900")
		e.try(attempt{email: victim.Email, password: testPassword, addr: victimAddr, deviceToken: phone}).expect(t, http.StatusOK, "")
	})
}

// One address guessing many accounts is throttled across them; a device
// holder behind the same address (a shared NAT) is not.
func TestAddressFailuresAcrossAccounts(t *testing.T) {
	eachBackend(t, lockoutEnv(map[string]string{"AUTHD_IP_MAX_FAILURES": "5"}), func(t *testing.T, e *env) {
		neighbour := e.register(t, "neighbour@example.com")
		device := deviceToken(t, e.try(attempt{email: neighbour.Email, password: testPassword, addr: attackerAddr}).expect(t, http.StatusOK, ""))
		for i := range 5 {
			e.failFrom(t, "guess"+strconv.Itoa(i)+"@example.com", attackerAddr, 1)
		}
		expectRetryAfter(t, e.try(attempt{email: "guess9@example.com", password: "wrong password", addr: attackerAddr}), "900")
		// Other addresses are not affected.
		e.failFrom(t, "guess9@example.com", victimAddr, 1)
		// The neighbour without its device token waits; with it, it logs in,
		// and that success does not clear the address's count.
		expectRetryAfter(t, e.try(attempt{email: neighbour.Email, password: testPassword, addr: attackerAddr}), "900")
		e.try(attempt{email: neighbour.Email, password: testPassword, addr: attackerAddr, deviceToken: device}).expect(t, http.StatusOK, "")
		expectRetryAfter(t, e.try(attempt{email: "guess9@example.com", password: "wrong password", addr: attackerAddr}), "900")
		e.clock.Advance(15 * time.Minute)
		e.failFrom(t, "guess9@example.com", attackerAddr, 1)
	})
}

// Failed logins, however many and from wherever, never block the owner's
// password change.
func TestPasswordChangeIgnoresLoginFailures(t *testing.T) {
	eachBackend(t, lockoutEnv(map[string]string{"AUTHD_LOGIN_MAX_FAILURES_ACCOUNT": "15"}), func(t *testing.T, e *env) {
		victim := e.register(t, "victim@example.com")
		e.failFrom(t, victim.Email, victimAddr, 10)
		e.failFrom(t, victim.Email, attackerAddr, 5)
		expectRetryAfter(t, e.try(attempt{email: victim.Email, password: testPassword, addr: laterAddr}), "900")
		e.do(req{Method: http.MethodPost, Path: "/v1/auth/password", Bearer: victim.Access,
			Header: map[string]string{"X-Forwarded-For": victimAddr},
			Body:   map[string]string{"currentPassword": testPassword, "newPassword": "a whole new passphrase"}}).
			expect(t, http.StatusNoContent, "")
	})
}

// Wrong current passwords are throttled per (account, address) and per
// session, apart from login: a stolen access token buys a bounded number
// of guesses, and they lock nobody out of logging in.
func TestPasswordChangeGuessesThrottledApartFromLogin(t *testing.T) {
	eachBackend(t, lockoutEnv(nil), func(t *testing.T, e *env) {
		victim := e.register(t, "victim@example.com")
		change := func(a account, addr, current string) resp {
			return e.do(req{Method: http.MethodPost, Path: "/v1/auth/password", Bearer: a.Access,
				Header: map[string]string{"X-Forwarded-For": addr},
				Body:   map[string]string{"currentPassword": current, "newPassword": "a whole new passphrase"}})
		}
		for range 10 {
			change(victim, attackerAddr, "wrong guess!").expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
		}
		expectRetryAfter(t, change(victim, attackerAddr, testPassword), "900")
		// The same session from another address: still its own budget spent.
		expectRetryAfter(t, change(victim, laterAddr, "wrong guess!"), "900")
		// Logging in is untouched, from anywhere, and another session may
		// change the password.
		e.try(attempt{email: victim.Email, password: testPassword, addr: attackerAddr}).expect(t, http.StatusOK, "")
		other := e.login(t, victim)
		change(other, victimAddr, "wrong guess!").expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
		change(other, victimAddr, testPassword).expect(t, http.StatusNoContent, "")
	})
}

// Logout is under the per-address request limit like register, login and
// refresh.
func TestLogoutIsRateLimitedPerAddress(t *testing.T) {
	eachBackend(t, lockoutEnv(map[string]string{"AUTHD_IP_RATE_LIMIT": "3"}), func(t *testing.T, e *env) {
		a := e.register(t, "out@example.com")
		logout := func(addr string) resp {
			return e.do(req{Method: http.MethodPost, Path: "/v1/auth/logout", Header: map[string]string{"X-Forwarded-For": addr},
				Body: map[string]string{"refreshToken": a.Refresh}})
		}
		for range 3 {
			logout(attackerAddr).expect(t, http.StatusNoContent, "")
		}
		expectRetryAfter(t, logout(attackerAddr), "20")
		logout(victimAddr).expect(t, http.StatusNoContent, "")
		e.clock.Advance(20 * time.Second)
		logout(attackerAddr).expect(t, http.StatusNoContent, "")
	})
}

// The device token travels like the refresh token: in the body, or in its
// own cookie, for a year; register issues one too, refresh does not. A
// password change voids the account's device tokens.
func TestDeviceTokenTransport(t *testing.T) {
	e := newEnv(t, lockoutEnv(map[string]string{"AUTHD_COOKIE_SECURE": "true", "AUTHD_LOGIN_MAX_FAILURES_ACCOUNT": "3"}))
	reg := e.post("/v1/auth/register", map[string]string{"email": "d@example.com", "password": testPassword}).expect(t, http.StatusCreated, "")
	fromRegister := deviceToken(t, reg)
	login := e.try(attempt{email: "d@example.com", password: testPassword, addr: victimAddr, transport: "cookie"}).expect(t, http.StatusOK, "")
	if login.json(t)["deviceToken"] != nil {
		t.Fatalf("cookie transport put the device token in the body: %s", login.Body)
	}
	c := deviceCookie(t, login)
	wantRefreshCookie(t, c, true, 365*24*3600) // the same attributes as the refresh cookie
	refreshed := e.refresh(reg.str(t, "refreshToken")).expect(t, http.StatusOK, "")
	if refreshed.json(t)["deviceToken"] != nil {
		t.Fatalf("refresh issued a device token: %s", refreshed.Body)
	}

	e.failFrom(t, "d@example.com", attackerAddr, 3)
	expectRetryAfter(t, e.try(attempt{email: "d@example.com", password: testPassword, addr: laterAddr}), "900")
	e.try(attempt{email: "d@example.com", password: testPassword, addr: laterAddr, deviceToken: fromRegister}).expect(t, http.StatusOK, "")
	e.try(attempt{email: "d@example.com", password: testPassword, addr: laterAddr, deviceCookie: c.Value}).expect(t, http.StatusOK, "")

	// After a password change the old tokens vouch for nothing.
	const next = "a whole new passphrase"
	e.do(req{Method: http.MethodPost, Path: "/v1/auth/password", Bearer: refreshed.str(t, "accessToken"),
		Body: map[string]string{"currentPassword": testPassword, "newPassword": next}}).expect(t, http.StatusNoContent, "")
	expectRetryAfter(t, e.try(attempt{email: "d@example.com", password: next, addr: laterAddr, deviceCookie: c.Value}), "900")
	expectRetryAfter(t, e.try(attempt{email: "d@example.com", password: next, addr: laterAddr, deviceToken: fromRegister}), "900")

	// A year on, a token no longer vouches for its device.
	e.clock.Advance(15 * time.Minute)
	fresh := deviceToken(t, e.try(attempt{email: "d@example.com", password: next, addr: laterAddr}).expect(t, http.StatusOK, ""))
	e.clock.Advance(365*24*time.Hour - time.Second)
	e.failFrom(t, "d@example.com", attackerAddr, 3)
	e.try(attempt{email: "d@example.com", password: next, addr: laterAddr, deviceToken: fresh}).expect(t, http.StatusOK, "")
	e.clock.Advance(time.Second)
	expectRetryAfter(t, e.try(attempt{email: "d@example.com", password: next, addr: laterAddr, deviceToken: fresh}), "899")
}

// deviceToken is an optional string of the login body only.
func TestDeviceTokenField(t *testing.T) {
	e := newEnv(t, nil)
	a := e.register(t, "f@example.com")
	e.post("/v1/auth/login", map[string]any{"email": a.Email, "password": testPassword, "deviceToken": 5}).
		expect(t, http.StatusBadRequest, "INVALID_JSON")
	e.post("/v1/auth/register", map[string]any{"email": "g@example.com", "password": testPassword, "deviceToken": "dv1.x"}).
		expect(t, http.StatusBadRequest, "INVALID_JSON")
	// An unusable token is no token, not an error.
	e.post("/v1/auth/login", map[string]any{"email": a.Email, "password": testPassword, "deviceToken": "garbage"}).
		expect(t, http.StatusOK, "")
	e.post("/v1/auth/login", map[string]any{"email": a.Email, "password": "wrong password", "deviceToken": "garbage"}).
		expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
}
