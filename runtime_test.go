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
		TuneRuntime(Config{Storage: StorageConfig{Driver: driver}}, log)
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

func TestTuneRuntimeAppliesMemoryLimit(t *testing.T) {
	prevLimit, prevGC, prevProcs := debug.SetMemoryLimit(-1), debug.SetGCPercent(100), runtime.GOMAXPROCS(0)
	t.Cleanup(func() {
		debug.SetMemoryLimit(prevLimit)
		debug.SetGCPercent(prevGC)
		runtime.GOMAXPROCS(prevProcs)
	})
	TuneRuntime(Config{Process: ProcessConfig{MemoryLimit: 24 << 20}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if got := debug.SetMemoryLimit(-1); got != 24<<20 {
		t.Errorf("memory limit %d, want %d", got, 24<<20)
	}
}

func TestByteSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "123": 123, "24MiB": 24 << 20, "1 GiB": 1 << 30, "30MB": 30e6, "8KiB": 8192, "5B": 5} {
		var got int64
		if err := (byteSize{&got}).Set(in); err != nil || got != want {
			t.Errorf("byteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "12XB", "MiB", "1.5MiB", "99999999999GiB"} {
		var got int64
		if err := (byteSize{&got}).Set(bad); err == nil {
			t.Errorf("byteSize(%q) accepted (%d)", bad, got)
		}
	}
}
