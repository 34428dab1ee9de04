package test

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/clock"
	"github.com/authd-dev/authd/test/backends"
)

// A Redis that stops answering mid-run: logins go on, counted and throttled
// per process, never a 5xx; the errors are counted and logged once; once
// Redis answers again the counts are shared again. Replica a reaches Redis
// through a proxy that is cut and restored; replica b reaches it directly
// and shows what a wrote there.
func TestRedisOutageFallsBackAndRecovers(t *testing.T) {
	redisURL := backends.RedisURL(t)
	u, err := url.Parse(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startProxy(t, u.Host)
	viaProxy := *u
	viaProxy.Host = proxy.addr
	shared := map[string]string{
		"AUTHD_REFRESH_SECRET":     randomSecret(t), // key names of this test's own on the shared Redis
		"AUTHD_LOGIN_MAX_FAILURES": "3",
		"AUTHD_IP_RATE_LIMIT":      "1000",
		"AUTHD_TRUSTED_PROXIES":    "127.0.0.1/32",
	}
	clk := clock.NewManual(time.Now().UTC().Truncate(time.Second))
	a := replica(t, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}), with(shared, "AUTHD_REDIS_URL", viaProxy.String()), clk)
	b := replica(t, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}), with(shared, "AUTHD_REDIS_URL", redisURL), clk)

	a.failFrom(t, "before@example.com", "192.0.2.1", 3)
	expectThrottled(t, b.try(attempt{email: "before@example.com", password: "x", addr: "192.0.2.1"}))
	if n := storeErrors(t, a); n != 0 {
		t.Fatalf("%v store errors while Redis answers", n)
	}

	proxy.cut()
	a.failFrom(t, "during@example.com", "192.0.2.2", 3)
	expectThrottled(t, a.try(attempt{email: "during@example.com", password: "x", addr: "192.0.2.2"}))
	a.post("/v1/auth/register", map[string]string{"email": "new@example.com", "password": testPassword}).expect(t, http.StatusCreated, "")
	b.try(attempt{email: "during@example.com", password: "x", addr: "192.0.2.2"}).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	errs := storeErrors(t, a)
	if errs < 5 {
		t.Fatalf("authd_throttle_store_errors_total = %v during the outage, want every failed call counted", errs)
	}
	if n := strings.Count(a.logs.String(), "does not answer"); n != 1 {
		t.Fatalf("%d outage warnings for %v errors, want 1", n, errs)
	}

	proxy.restore(t)
	waitForStore(t, a)
	a.failFrom(t, "after@example.com", "192.0.2.3", 3)
	expectThrottled(t, b.try(attempt{email: "after@example.com", password: "x", addr: "192.0.2.3"}))
	if !strings.Contains(a.logs.String(), "answers again") {
		t.Fatal("no log line saying Redis answers again")
	}
}

// waitForStore sends metered requests until one goes through Redis without
// an error: after an outage the client redials in the background.
func waitForStore(t *testing.T, e *env) {
	t.Helper()
	for range 100 {
		before := storeErrors(t, e)
		e.post("/v1/auth/logout", map[string]string{"refreshToken": "probe"}).expect(t, http.StatusNoContent, "")
		if storeErrors(t, e) == before {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("Redis did not answer again through the restored proxy")
}

func storeErrors(t *testing.T, e *env) float64 {
	t.Helper()
	return sample(scrape(t, e), "authd_throttle_store_errors_total", nil)
}

func expectThrottled(t *testing.T, r resp) {
	t.Helper()
	r.expect(t, http.StatusTooManyRequests, "RATE_LIMITED")
}

// replica is one authd of a group sharing clk, composed by the real
// injector on target.
func replica(t *testing.T, target backends.Target, overrides map[string]string, clk *clock.Manual) *env {
	t.Helper()
	e := compose(t, target, overrides, clk)
	e.clock = clk
	return e
}

// with is vars plus k=v.
func with(vars map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for key, val := range vars {
		if key != k {
			out[key] = val
		}
	}
	return out
}

func randomSecret(t testing.TB) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
