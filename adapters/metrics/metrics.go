package metrics

import (
	"net/http"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
	"github.com/google/wire"
)

// ProviderSet provides the metrics.
var ProviderSet = wire.NewSet(New)

// latencyBuckets are the Prometheus client's default buckets, in seconds.
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// hashWaitBuckets span an idle pool (sub-millisecond) to a saturated one.
var hashWaitBuckets = []float64{.0005, .001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Prometheus holds authd's metric families and the set they live on.
type Prometheus struct {
	set       *vm.Set
	requests  *family[*vm.Counter]             // HTTP requests by route template, method and status
	latency   *family[*vm.PrometheusHistogram] // HTTP latency by route template and method
	throttled *family[*vm.Counter]             // 429 RATE_LIMITED answers by route template
	logins    *family[*vm.Counter]             // login attempts: success or the failure class
	refreshes *family[*vm.Counter]             // rotated, grace_replay, reuse_detected, invalid, expired
	revoked   *family[*vm.Counter]             // sessions ended, by reason
	audit     *family[*vm.Counter]             // audit events recorded, by kind
	mails     *family[*vm.Counter]             // account mails by kind and outcome: sent or the failure class
	hashWait  *vm.PrometheusHistogram          // time a hash or compare waited for a worker
	live      *vm.Gauge                        // live sessions at the last janitor pass
	purged    *family[*vm.Counter]             // rows the janitor deleted, by table
	storeErr  *vm.Counter                      // calls the shared throttle store did not answer
}

// New builds the families on a fresh set; a set per App keeps parallel
// tests apart. It turns on the library's TYPE/HELP lines, a process-wide
// switch, so scrapers see counters and histograms as such.
func New() *Prometheus {
	vm.ExposeMetadata(true)
	s := vm.NewSet()
	counter := func(name string, labels ...string) *family[*vm.Counter] {
		return newFamily("authd_"+name, labels, s.GetOrCreateCounter)
	}
	return &Prometheus{
		set:       s,
		requests:  counter("http_requests_total", "route", "method", "status"),
		throttled: counter("throttled_requests_total", "route"),
		logins:    counter("logins_total", "outcome"),
		refreshes: counter("refreshes_total", "outcome"),
		revoked:   counter("sessions_revoked_total", "reason"),
		audit:     counter("audit_events_total", "event"),
		mails:     counter("mails_total", "kind", "outcome"),
		purged:    counter("janitor_purged_total", "table"),
		latency: newFamily("authd_http_request_duration_seconds", []string{"route", "method"},
			func(name string) *vm.PrometheusHistogram {
				return s.GetOrCreatePrometheusHistogramExt(name, latencyBuckets)
			}),
		hashWait: s.NewPrometheusHistogramExt("authd_password_hash_queue_wait_seconds", hashWaitBuckets),
		live:     s.NewGauge("authd_sessions_live", nil),
		storeErr: s.NewCounter("authd_throttle_store_errors_total"),
	}
}

// Handler serves the set, then the Go runtime and process metrics.
func (p *Prometheus) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		p.set.WritePrometheus(w)
		vm.WriteProcessMetrics(w)
	})
}

// ObserveHashWait records one password-hash queue wait.
func (p *Prometheus) ObserveHashWait(d time.Duration) { p.hashWait.Update(d.Seconds()) }

// ThrottleStoreError counts one call to the shared throttle store (Redis)
// that failed and was counted in process instead.
func (p *Prometheus) ThrottleStoreError() { p.storeErr.Inc() }

// SetLiveSessions records the live-session count of a janitor pass.
func (p *Prometheus) SetLiveSessions(n int) { p.live.Set(float64(n)) }

// AddPurged counts n rows of table deleted by one janitor batch; it moves
// while a large backlog drains, not only when the pass ends.
func (p *Prometheus) AddPurged(table string, n int) { p.purged.with(table).Add(n) }
