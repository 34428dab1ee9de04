package authd

import (
	"io"
	"log/slog"
	"runtime"
	"runtime/debug"
	"testing"
)

// TestTuneRuntimeDefaults: with GOGC and GOMAXPROCS unset, the server runs
// at GOGC 50 on SQLite and 75 on a network database, with cores+2 Ps; an
// operator's GOGC is left alone.
func TestTuneRuntimeDefaults(t *testing.T) {
	prevGC, prevProcs := debug.SetGCPercent(100), runtime.GOMAXPROCS(0)
	t.Cleanup(func() { debug.SetGCPercent(prevGC); runtime.GOMAXPROCS(prevProcs) })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	t.Setenv("GOGC", "")
	t.Setenv("GOMAXPROCS", "")
	for driver, want := range map[string]int{DriverSQLite: 50, DriverPostgres: 75, DriverMySQL: 75} {
		TuneRuntime(Config{DBDriver: driver}, log)
		if got := debug.SetGCPercent(100); got != want {
			t.Errorf("%s: GOGC = %d, want %d", driver, got, want)
		}
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
