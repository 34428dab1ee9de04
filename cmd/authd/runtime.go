package main

import (
	"log/slog"
	"runtime"
)

// extraProcs is how many Ps authd serve runs beyond Go's default.
const extraProcs = 2

// raiseProcs gives the server extraProcs more Ps than Go's default, unless
// the operator set GOMAXPROCS. The bcrypt workers hash on low-priority
// threads, one per core, and a running worker holds a P: without spare Ps
// a login flood leaves request goroutines waiting for preemption instead
// of letting the kernel run their threads ahead of the hashing ones.
func raiseProcs(getenv func(string) string, log *slog.Logger) {
	if getenv("GOMAXPROCS") != "" {
		return
	}
	runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + extraProcs)
	log.Debug("runtime", slog.Int("gomaxprocs", runtime.GOMAXPROCS(0)), slog.Int("cores", runtime.NumCPU()))
}
