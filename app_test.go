package authd

import (
	"log/slog"
	"testing"
)

// TestShutdownOutlastsTheWriteTimeout: a request in flight at the stop
// signal can be answered until its write deadline, so the grace period must
// be longer, or a slow hash (a starved SCHED_IDLE worker) is cut off and
// its handler runs on against a closed database.
func TestShutdownOutlastsTheWriteTimeout(t *testing.T) {
	srv := (&App{log: slog.New(slog.DiscardHandler)}).Server()
	if srv.WriteTimeout <= 0 || shutdownTimeout <= srv.WriteTimeout {
		t.Fatalf("shutdown grace %s, server write timeout %s: the grace must be the longer", shutdownTimeout, srv.WriteTimeout)
	}
}
