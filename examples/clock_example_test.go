package examples_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/clock"
)

// A manual clock: tests move time instead of sleeping. An access token
// (AUTHD_ACCESS_TTL 15m by default) is refused once the clock passes its
// expiry and the skew.
func ExampleWithClock() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	clk := clock.NewManual(time.Now())
	app, err := authd.Initialize(context.Background(), config(dir, nil), authd.WithClock(clk))
	if err != nil {
		log.Fatal(err)
	}
	defer app.Close()
	srv := httptest.NewServer(app.Router)
	defer srv.Close()

	access := register(srv.URL, "barbara@example.com")
	fmt.Println("now:", call(http.MethodGet, srv.URL+"/v1/auth/me", access, nil, nil))
	clk.Advance(time.Hour)
	var problem struct{ Code string }
	fmt.Println("an hour later:", call(http.MethodGet, srv.URL+"/v1/auth/me", access, nil, &problem), problem.Code)
	// Output:
	// now: 200
	// an hour later: 401 TOKEN_EXPIRED
}
