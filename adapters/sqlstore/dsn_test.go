package sqlstore

import (
	"testing"
	"time"
)

func TestPostgresDSNAddsOnlyWhatIsUnset(t *testing.T) {
	pool := Pool{ConnectTimeout: 5 * time.Second}
	got := postgresDSN("postgres://h/db?sslmode=disable", pool)
	want := "postgres://h/db?sslmode=disable&connect_timeout=5"
	if got != want {
		t.Errorf("URL DSN:\n got %s\nwant %s", got, want)
	}
	if got, want := postgresDSN("host=h", pool), "host=h connect_timeout=5"; got != want {
		t.Errorf("keyword DSN:\n got %s\nwant %s", got, want)
	}
	own := "host=h connect_timeout=9"
	if got := postgresDSN(own, pool); got != own {
		t.Errorf("keyword DSN with its own timeout:\n got %s\nwant %s", got, own)
	}
}
