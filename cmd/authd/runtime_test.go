package main

import (
	"io"
	"log/slog"
	"runtime"
	"testing"
)

// TestRaiseProcs: with GOMAXPROCS unset, serve runs extraProcs Ps beyond
// Go's default; an operator's GOMAXPROCS is left alone.
func TestRaiseProcs(t *testing.T) {
	prev := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	raiseProcs(envOf(nil).get, log)
	if got, want := runtime.GOMAXPROCS(0), prev+extraProcs; got != want {
		t.Errorf("GOMAXPROCS = %d, want %d", got, want)
	}
	runtime.GOMAXPROCS(3)
	raiseProcs(envOf(map[string]string{"GOMAXPROCS": "3"}).get, log)
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("operator's GOMAXPROCS overridden: %d, want 3", got)
	}
}
