package authd

import (
	"log/slog"
	"os"
	"runtime"
)

// extraProcs is how many Ps beyond the core count the server runs with.
const extraProcs = 2

// TuneRuntime sets GOMAXPROCS to the core count plus two, unless the
// operator set GOMAXPROCS. The bcrypt pool runs one worker per core on
// low-priority threads, and a running worker holds a P: the extra Ps let
// request goroutines always find one, and the kernel then schedules their
// normal-priority threads ahead of the hashing ones, so a login flood
// cannot starve verification and refresh (CONTRACT "Limits and abuse").
// GOGC and GOMEMLIMIT are honoured by the Go runtime as usual.
func TuneRuntime(log *slog.Logger) {
	if os.Getenv("GOMAXPROCS") != "" {
		return
	}
	n := runtime.NumCPU() + extraProcs
	runtime.GOMAXPROCS(n)
	log.Debug("runtime tuned", slog.Int("gomaxprocs", n), slog.Int("cores", runtime.NumCPU()))
}
