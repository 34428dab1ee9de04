package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// The store-error counter is exposed from the start (0), so an alert on
// its rate needs no series to appear first.
func TestThrottleStoreErrorsExposed(t *testing.T) {
	p := New()
	scrape := func() string {
		rec := httptest.NewRecorder()
		p.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		body, _ := io.ReadAll(rec.Body)
		return string(body)
	}
	if !strings.Contains(scrape(), "\nauthd_throttle_store_errors_total 0\n") {
		t.Fatal("authd_throttle_store_errors_total 0 missing before any error")
	}
	p.ThrottleStoreError()
	p.ThrottleStoreError()
	if !strings.Contains(scrape(), "\nauthd_throttle_store_errors_total 2\n") {
		t.Fatal("two errors not counted")
	}
}
