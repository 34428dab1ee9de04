package metrics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/authd-dev/authd/domain"
)

type nopAudit struct{ n int }

func (a *nopAudit) Record(context.Context, domain.AuditEvent) { a.n++ }

func TestAuditDecoratorCountsAndForwards(t *testing.T) {
	p, next := New(), &nopAudit{}
	log := p.Audit(next)
	ctx := context.Background()
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditLoginFailed, Reason: "wrong_password"})
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditLoginFailed, Reason: "user@example.com"}) // never a label
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditLogoutAll, Detail: map[string]string{"sessions": "3"}})
	log.Record(ctx, domain.AuditEvent{Kind: domain.AuditRefreshRejected, Reason: "expired"})
	if next.n != 4 {
		t.Fatalf("forwarded %d of 4 events", next.n)
	}
	for _, c := range []struct {
		got  float64
		want float64
		what string
	}{
		{value(t, p.logins.WithLabelValues("wrong_password")), 1, "wrong_password"},
		{value(t, p.logins.WithLabelValues("other")), 1, "unsafe reason collapsed to other"},
		{value(t, p.revoked.WithLabelValues(domain.RevokeLogoutAll)), 3, "logout_all sessions"},
		{value(t, p.refreshes.WithLabelValues("expired")), 1, "expired refresh"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestMiddlewareLabelsRouteTemplates(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	p := New()
	r := gin.New()
	r.Use(p.Middleware())
	r.GET("/users/:id", func(c *gin.Context) { c.Status(http.StatusTooManyRequests) })
	for _, path := range []string{"/users/0b7e-secret-id", "/nowhere/else"} {
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("BREW", "/users/1", nil))
	if got := value(t, p.requests.WithLabelValues("/users/:id", "GET", "429")); got != 1 {
		t.Errorf("templated route count = %v", got)
	}
	if got := value(t, p.throttled.WithLabelValues("/users/:id")); got != 1 {
		t.Errorf("throttled = %v", got)
	}
	if got := value(t, p.requests.WithLabelValues(unmatchedRoute, "GET", "404")); got != 1 {
		t.Errorf("unmatched = %v", got)
	}
	if got := value(t, p.requests.WithLabelValues(unmatchedRoute, "OTHER", "404")); got != 1 {
		t.Errorf("unknown method not bounded: %v", got)
	}
	rec := httptest.NewRecorder()
	p.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if strings.Contains(rec.Body.String(), "secret-id") {
		t.Error("a raw path reached a label")
	}
}

// value reads one counter's current value.
func value(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
