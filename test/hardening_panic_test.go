package test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// A handler bug must become a logged 500 INTERNAL with a request id; the
// panic value (which may hold anything) and the stack reach only the log.
func TestHandlerBugIsRecoveredInto500(t *testing.T) {
	e := newEnv(t, nil)
	a := e.register(t, "a@example.com")
	const secret = "hunter2-password SELECT * FROM users $2a$12$abcdefghijklmnopqrstuv"
	e.app.Router.GET("/test/crash", func(*gin.Context) { panic(secret + " " + a.Access) })

	r := e.do(req{Method: http.MethodGet, Path: "/test/crash", Header: map[string]string{"X-Request-ID": "crash-req-1"}})
	if r.Status != http.StatusInternalServerError {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	errorShape(t, r, "INTERNAL")
	noLeak(t, "500 body", string(r.Body), "hunter2", a.Access)
	if r.Header.Get("X-Request-ID") != "crash-req-1" {
		t.Fatalf("X-Request-ID = %q", r.Header.Get("X-Request-ID"))
	}
	var logged bool
	for _, line := range strings.Split(e.logs.String(), "\n") {
		if strings.Contains(line, `"level":"ERROR"`) && strings.Contains(line, `"requestId":"crash-req-1"`) &&
			strings.Contains(line, "goroutine") {
			logged = true
		}
	}
	if !logged {
		t.Fatalf("no error log line with the request id and the stack:\n%s", e.logs.String())
	}
	noLeakInInfoLogs(t, e.logs.String(), "hunter2", a.Access)

	// The server goes on serving.
	e.login(t, a)
	e.do(req{Method: http.MethodGet, Path: "/v1/auth/me", Bearer: a.Access}).expect(t, http.StatusOK, "")
}
