package authd

import (
	"cmp"
	"errors"
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// extraProcs is how many Ps beyond the core count the server runs with.
const extraProcs = 2

// gcPercent is the server's GOGC. authd's live heap is small (a few MB), so
// how far it may grow between collections decides both peak memory and how
// often the collector runs (each run stops the hashing threads and slows
// requests under a login flood). With an embedded database the engine's
// caches, heap and code share the process, so the heap may grow by half its
// live size; with a network database, by three quarters. On 2 cores with
// 10,000 users (cmd/authd-load): Postgres at 75 peaked at 28.5 MB with /me
// p99 flood/idle 2.5; SQLite at 75 peaked at 31.6 MB, at 50 at 29.8 MB.
func gcPercent(cfg Config) int {
	if cfg.Storage.Embedded() {
		return 50
	}
	return 75
}

// TuneRuntime prepares the Go runtime for serving:
//
//   - GOMAXPROCS = cores + 2, unless the operator set GOMAXPROCS. The bcrypt
//     pool runs one worker per core on low-priority threads, and a running
//     worker holds a P: the extra Ps let request goroutines always find one,
//     and the kernel then runs their normal-priority threads ahead of the
//     hashing ones, so a login flood cannot starve verification and refresh.
//   - GOGC = 50 with SQLite, 75 with Postgres or MySQL (gcPercent), unless
//     the operator set GOGC.
//   - AUTHD_MEMORY_LIMIT, when set, becomes the runtime's soft memory limit
//     (debug.SetMemoryLimit): the GC works harder as the heap nears it
//     instead of letting it double. GOGC and GOMEMLIMIT still apply as usual.
func TuneRuntime(cfg Config, log *slog.Logger) {
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(runtime.NumCPU() + extraProcs)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent(cfg))
	}
	if cfg.Process.MemoryLimit > 0 {
		debug.SetMemoryLimit(cfg.Process.MemoryLimit)
	}
	gogc := cmp.Or(os.Getenv("GOGC"), strconv.Itoa(gcPercent(cfg)))
	log.Debug("runtime tuned", slog.Int("gomaxprocs", runtime.GOMAXPROCS(0)), slog.Int("cores", runtime.NumCPU()),
		slog.String("gogc", gogc), slog.Int64("memoryLimit", debug.SetMemoryLimit(-1)))
}

// byteSize is a size like GOMEMLIMIT takes: a whole number of bytes with
// an optional B, KiB, MiB, GiB, KB, MB or GB suffix.
type byteSize struct{ p *int64 }

func (v byteSize) Set(s string) error {
	units := []struct {
		suffix string
		mul    int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	num, mul := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(num, u.suffix); ok {
			num, mul = strings.TrimSpace(n), u.mul
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mul {
		return errors.New("not a size like 24MiB: " + strconv.Quote(s))
	}
	*v.p = n * mul
	return nil
}

func (v byteSize) Check() error {
	if *v.p < 0 {
		return errors.New("must not be negative")
	}
	return nil
}
