package authd

import (
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"testing"
)

// TestTuneRuntimeDefaults: with GOGC and GOMAXPROCS unset, the server runs
// at GOGC 50 with cores+2 Ps; an operator's GOGC is left alone.
func TestTuneRuntimeDefaults(t *testing.T) {
	prevGC, prevProcs := debug.SetGCPercent(100), runtime.GOMAXPROCS(0)
	t.Cleanup(func() { debug.SetGCPercent(prevGC); runtime.GOMAXPROCS(prevProcs) })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	t.Setenv("GOGC", "")
	t.Setenv("GOMAXPROCS", "")
	TuneRuntime(Config{}, log)
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Errorf("GOGC = %d, want %d", got, gcPercent)
	}
	if got, want := runtime.GOMAXPROCS(0), runtime.NumCPU()+extraProcs; got != want {
		t.Errorf("GOMAXPROCS = %d, want %d", got, want)
	}

	t.Setenv("GOGC", "200")
	debug.SetGCPercent(200)
	TuneRuntime(Config{}, log)
	if got := debug.SetGCPercent(100); got != 200 {
		t.Errorf("operator's GOGC overridden: %d, want 200", got)
	}
}
