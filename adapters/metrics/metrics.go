// Package metrics exposes authd's Prometheus metrics: HTTP requests (Gin
// middleware), security outcomes (a decorator of ports.AuditLog), the
// password-hash queue and live sessions. Every metric lives on a per-App
// registry; no label ever carries a user id, email or token.
package metrics

import (
	"net/http"
	"time"

	"github.com/google/wire"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ProviderSet provides the Prometheus metrics.
var ProviderSet = wire.NewSet(New)

const namespace = "authd"

// Prometheus holds authd's collectors and the registry they live on.
type Prometheus struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	throttled *prometheus.CounterVec
	logins    *prometheus.CounterVec
	refreshes *prometheus.CounterVec
	revoked   *prometheus.CounterVec
	audit     *prometheus.CounterVec
	hashWait  prometheus.Histogram
	live      prometheus.Gauge
}

// New builds the collectors on a fresh registry, with the Go runtime and
// process collectors. A registry per App keeps parallel tests apart.
func New() *Prometheus {
	p := &Prometheus{registry: prometheus.NewRegistry()}
	p.requests = counterVec("http_requests_total", "HTTP requests by route template, method and status.", "route", "method", "status")
	p.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "http_request_duration_seconds",
		Help: "HTTP request latency by route template and method.", Buckets: prometheus.DefBuckets,
	}, []string{"route", "method"})
	p.throttled = counterVec("throttled_requests_total", "Requests answered 429 RATE_LIMITED, by route template.", "route")
	p.logins = counterVec("logins_total", "Login attempts by outcome (success, or the failure class).", "outcome")
	p.refreshes = counterVec("refreshes_total",
		"Refresh attempts by outcome: rotated, grace_replay, reuse_detected, invalid, expired.", "outcome")
	p.revoked = counterVec("sessions_revoked_total", "Sessions ended, by reason.", "reason")
	p.audit = counterVec("audit_events_total", "Audit events recorded, by kind.", "event")
	p.hashWait = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Name: "password_hash_queue_wait_seconds",
		Help:    "Time a password hash or compare waited for a free worker.",
		Buckets: []float64{.0005, .001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10},
	})
	p.live = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "sessions_live", Help: "Live sessions, as counted by the last janitor pass.",
	})
	p.registry.MustRegister(p.requests, p.latency, p.throttled, p.logins, p.refreshes, p.revoked, p.audit,
		p.hashWait, p.live,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return p
}

func counterVec(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help}, labels)
}

// Registry is the registry the collectors live on (for embedding callers).
func (p *Prometheus) Registry() *prometheus.Registry { return p.registry }

// Handler serves the registry in the Prometheus text format.
func (p *Prometheus) Handler() http.Handler {
	return promhttp.HandlerFor(p.registry, promhttp.HandlerOpts{Registry: p.registry})
}

// ObserveHashWait records one password-hash queue wait.
func (p *Prometheus) ObserveHashWait(d time.Duration) { p.hashWait.Observe(d.Seconds()) }

// SetLiveSessions records the live-session count of a janitor pass.
func (p *Prometheus) SetLiveSessions(n int) { p.live.Set(float64(n)) }
