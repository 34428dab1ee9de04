package test

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkForgotPasswordTiming measures what an attacker timing
// forgot-password answers would see: requests for a registered address
// and for an unknown one, interleaved so both meet the same background
// load (the known ones' mails go through the in-test SMTP server over
// STARTTLS), over real HTTP on loopback, SQLite. It reports each class's
// median, 90th percentile and mean latency in microseconds and asserts
// nothing about them. The throttle is off, so every request takes the full
// path.
func BenchmarkForgotPasswordTiming(b *testing.B) {
	m := newMailEnvOn(b, sqliteTarget(b), map[string]string{"AUTHD_LOGIN_MAX_FAILURES": "0"})
	const accounts = 50
	known := make([][]byte, accounts)
	for i := range known {
		email := "known" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + "@example.com"
		m.register(b, email)
		known[i] = []byte(`{"email":"` + email + `"}`)
	}
	unknown := []byte(`{"email":"nobody@example.com"}`)
	client := &http.Client{} // not the spec-checking client: only authd is timed
	url := m.srv.URL + "/v1/auth/password/forgot"
	post := func(body []byte) time.Duration {
		start := time.Now()
		res, err := client.Post(url, "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		elapsed := time.Since(start)
		if res.StatusCode != http.StatusAccepted {
			b.Fatalf("status %d", res.StatusCode)
		}
		return elapsed
	}
	m.settle(b)
	var knownTimes, unknownTimes []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			knownTimes = append(knownTimes, post(known[(i/2)%accounts]))
		} else {
			unknownTimes = append(unknownTimes, post(unknown))
		}
	}
	b.StopTimer()
	m.settle(b)
	report(b, "known", knownTimes)
	report(b, "unknown", unknownTimes)
}

// report adds a class's median, p90 and mean latency (µs) to the result.
func report(b *testing.B, class string, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	us := func(x time.Duration) float64 { return float64(x) / float64(time.Microsecond) }
	b.ReportMetric(us(d[len(d)/2]), class+"-p50-µs")
	b.ReportMetric(us(d[len(d)*9/10]), class+"-p90-µs")
	b.ReportMetric(us(sum/time.Duration(len(d))), class+"-mean-µs")
}
