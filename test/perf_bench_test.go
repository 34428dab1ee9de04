package test

// Benchmarks of the hot paths behind issue 8's targets, with allocation
// counts. They measure; they assert nothing about speed. The end-to-end
// ratios are measured by cmd/authd-load (README "Performance"), whose own
// package benchmarks its in-process verify routes.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authd-dev/authd/test/backends"
)

// BenchmarkPerfVerifyCacheHit is the composed verifier (the token adapter
// behind the verify cache) on a token it has seen: what every request after
// a client's first pays. A miss costs the token adapter's full
// verification: BenchmarkVerify in adapters/jwt.
func BenchmarkPerfVerifyCacheHit(b *testing.B) {
	e := newEnv(b, nil)
	a := e.register(b, "bench-verify@example.com")
	now := e.clock.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.app.Verifier.Verify(a.Access, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPerfRefresh is one full refresh through the real router on each
// configured backend (SQLite always; Postgres and MySQL with their DSNs):
// sequentially, and at parallelism 16 with one rotation chain per goroutine.
func BenchmarkPerfRefresh(b *testing.B) {
	for _, target := range backends.Servers(b) {
		b.Run("backend="+target.Name, func(b *testing.B) {
			e := newEnvOn(b, target, nil)
			serial := 0 // with -count N the framework runs this sub-benchmark N times on e
			b.Run("serial", func(b *testing.B) {
				serial++
				token := e.register(b, fmt.Sprintf("serial-%d-%s@example.com", serial, target.Name)).Refresh
				b.ReportAllocs()
				for b.Loop() {
					token = benchRefresh(b, e, token)
				}
			})
			round := 0
			b.Run("parallel16", func(b *testing.B) {
				b.SetParallelism(8) // × GOMAXPROCS 2 = 16 goroutines
				round++
				seq := make(chan string, 64)
				for i := range 64 {
					seq <- e.register(b, fmt.Sprintf("par-%d-%d@example.com", round, i)).Refresh
				}
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					token := <-seq
					for pb.Next() {
						token = benchRefresh(b, e, token)
					}
				})
			})
		})
	}
}

func benchRefresh(b *testing.B, e *env, token string) string {
	req := httptest.NewRequest(http.MethodPost, "/v1/auth/refresh", strings.NewReader(`{"refreshToken":"`+token+`"}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	e.app.Router.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		b.Fatalf("refresh: status %d: %s", w.Code, w.Body)
	}
	var out struct{ RefreshToken string }
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.RefreshToken == "" {
		b.Fatalf("refresh: %v: %s", err, w.Body)
	}
	return out.RefreshToken
}

// BenchmarkPerfLoginPipelineBcryptCost4 is the HTTP login path on SQLite
// with bcrypt at its minimum cost 4 (~1 ms of the op), so the rest of the
// pipeline (JSON, throttle, user lookup, session insert, token signing,
// audit) shows. At the default cost 12 bcrypt is ~99.9% of a login.
func BenchmarkPerfLoginPipelineBcryptCost4(b *testing.B) {
	e := newEnv(b, map[string]string{"AUTHD_BCRYPT_COST": "4", "AUTHD_LOGIN_MAX_FAILURES": "0"})
	a := e.register(b, "bench-login@example.com")
	body := `{"email":"` + a.Email + `","password":"` + a.Password + `"}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/auth/login", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.app.Router.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("login: status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchmarkPerfMe is GET /v1/auth/me through the real router on each
// configured backend: the verify cache hit plus one user read. Its bytes
// per request decide how often the collector runs under /me load, which
// is what target 4 (isolation) is sensitive to. Each request carries its
// own cancelable context, as net/http gives every request one.
func BenchmarkPerfMe(b *testing.B) {
	for _, target := range backends.Servers(b) {
		round := 0 // with -count N the framework runs the sub-benchmark N times
		b.Run("backend="+target.Name, func(b *testing.B) {
			round++
			e := newEnvOn(b, target, nil)
			a := e.register(b, fmt.Sprintf("bench-me-%d@example.com", round))
			req := httptest.NewRequest(http.MethodGet, "/v1/auth/me", nil)
			req.Header.Set("Authorization", "Bearer "+a.Access)
			b.ReportAllocs()
			for b.Loop() {
				ctx, cancel := context.WithCancel(context.Background())
				w := httptest.NewRecorder()
				e.app.Router.ServeHTTP(w, req.WithContext(ctx))
				cancel()
				if w.Code != http.StatusOK {
					b.Fatalf("me: status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
