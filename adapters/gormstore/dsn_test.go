package gormstore

import (
	"testing"
	"time"
)

func TestPostgresDSNAddsOnlyWhatIsUnset(t *testing.T) {
	pool := Pool{ConnectTimeout: 5 * time.Second}
	got := postgresDSN("postgres://h/db?sslmode=disable", pool)
	want := "postgres://h/db?sslmode=disable&connect_timeout=5&statement_cache_capacity=64&description_cache_capacity=64"
	if got != want {
		t.Errorf("URL DSN:\n got %s\nwant %s", got, want)
	}
	own := "host=h connect_timeout=9 statement_cache_capacity=7"
	if got, want := postgresDSN(own, pool), own+" description_cache_capacity=64"; got != want {
		t.Errorf("keyword DSN with its own values:\n got %s\nwant %s", got, want)
	}
}
