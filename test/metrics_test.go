package test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetricsAfterScriptedSequence drives logins, refreshes, a grace
// replay, a reuse, a throttle and an expiry, then reads /metrics.
func TestMetricsAfterScriptedSequence(t *testing.T) {
	e := newEnv(t, map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "2"})
	a := e.register(t, "metrics-a@example.com")
	b := e.register(t, "metrics-b@example.com")
	secrets := []string{a.Email, b.Email, a.ID, b.ID, a.Access, a.Refresh, b.Access, b.Refresh, testPassword}

	la := e.login(t, a)
	secrets = append(secrets, la.Access, la.Refresh)
	wrong := map[string]string{"email": a.Email, "password": "not the password"}
	e.post("/v1/auth/login", wrong).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	e.post("/v1/auth/login", wrong).expect(t, http.StatusUnauthorized, "INVALID_CREDENTIALS")
	e.post("/v1/auth/login", wrong).expect(t, http.StatusTooManyRequests, "RATE_LIMITED")

	next := e.refresh(a.Refresh).expect(t, http.StatusOK, "").str(t, "refreshToken")
	secrets = append(secrets, next)
	e.refresh(a.Refresh).expect(t, http.StatusOK, "") // within the grace window
	e.clock.Advance(time.Minute)
	e.refresh(a.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_REUSED")
	e.refresh("v1.not-a-token").expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID")

	e.app.JanitorPass(context.Background()) // live: la's and b's sessions
	live := scrape(t, e)
	e.clock.Advance(721 * time.Hour)
	e.refresh(b.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_EXPIRED")
	m := scrape(t, e)

	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"authd_logins_total", map[string]string{"outcome": "success"}, 1},
		{"authd_logins_total", map[string]string{"outcome": "wrong_password"}, 2},
		{"authd_logins_total", map[string]string{"outcome": "throttled"}, 1},
		{"authd_refreshes_total", map[string]string{"outcome": "rotated"}, 1},
		{"authd_refreshes_total", map[string]string{"outcome": "grace_replay"}, 1},
		{"authd_refreshes_total", map[string]string{"outcome": "reuse_detected"}, 1},
		{"authd_refreshes_total", map[string]string{"outcome": "invalid"}, 1},
		{"authd_refreshes_total", map[string]string{"outcome": "expired"}, 1},
		{"authd_sessions_revoked_total", map[string]string{"reason": "reuse"}, 1},
		{"authd_throttled_requests_total", map[string]string{"route": "/v1/auth/login"}, 1},
		{"authd_http_requests_total", map[string]string{"route": "/v1/auth/login", "method": "POST", "status": "200"}, 1},
		{"authd_http_requests_total", map[string]string{"route": "/v1/auth/login", "method": "POST", "status": "429"}, 1},
		{"authd_http_requests_total", map[string]string{"route": "/v1/auth/register", "method": "POST", "status": "201"}, 2},
		{"authd_http_request_duration_seconds", map[string]string{"route": "/v1/auth/refresh", "method": "POST"}, 5},
		{"authd_audit_events_total", map[string]string{"event": "user.registered"}, 2},
	} {
		if got := sample(m, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if got := sample(live, "authd_sessions_live", nil); got != 2 {
		t.Errorf("authd_sessions_live = %v, want 2", got)
	}
	if sample(m, "authd_password_hash_queue_wait_seconds", nil) < 5 {
		t.Error("password hash queue waits were not observed")
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if m[name] == nil {
			t.Errorf("%s missing: runtime/process collectors not registered", name)
		}
	}
	assertNoSecretLabels(t, m, secrets)
}

// scrape reads and parses /metrics.
func scrape(t *testing.T, e *env) map[string]*dto.MetricFamily {
	t.Helper()
	r := e.do(req{Method: http.MethodGet, Path: "/metrics"}).expect(t, http.StatusOK, "")
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(r.Body)))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// sample sums the values (histograms: the sample counts) of name's series
// whose labels include labels.
func sample(fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	var sum float64
	for _, m := range fams[name].GetMetric() {
		if !hasLabels(m, labels) {
			continue
		}
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil:
			sum += float64(m.Histogram.GetSampleCount())
		}
	}
	return sum
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	found := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok {
			if v != l.GetValue() {
				return false
			}
			found++
		}
	}
	return found == len(want)
}

// assertNoSecretLabels fails if any label value holds an email, a user id,
// a token or a password.
func assertNoSecretLabels(t *testing.T, fams map[string]*dto.MetricFamily, secrets []string) {
	t.Helper()
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				for _, s := range secrets {
					if s != "" && strings.Contains(l.GetValue(), s) {
						t.Errorf("%s{%s=%q} carries a secret or identifier", name, l.GetName(), l.GetValue())
					}
				}
			}
		}
	}
}
