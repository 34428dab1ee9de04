package examples_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http/httptest"
	"os"
	"slices"
	"sync"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/adapters/auditlog"
	"github.com/authd-dev/authd/domain"
)

// siem stands for a team's own audit sink (a queue, a SIEM client). It
// must not fail or block the request for long: ports.AuditLog.
type siem struct {
	mu    sync.Mutex
	kinds []domain.AuditKind
}

func (s *siem) Record(_ context.Context, e domain.AuditEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.kinds = append(s.kinds, e.Kind)
}

// A custom audit log beside authd's own slog record: Fanout sends each
// event to both.
func ExampleWithAuditLog() {
	dir := tempDir()
	defer os.RemoveAll(dir)
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	mine := &siem{}
	app, err := authd.Initialize(context.Background(), config(dir, nil), authd.WithLogger(logger),
		authd.WithAuditLog(auditlog.Fanout(auditlog.New(logger), mine)))
	if err != nil {
		log.Fatal(err)
	}
	defer app.Close()
	srv := httptest.NewServer(app.Router)
	defer srv.Close()

	register(srv.URL, "grace@example.com")
	mine.mu.Lock()
	defer mine.mu.Unlock()
	// Mail events (the verification mail) arrive as the mail goes out.
	fmt.Println("registration recorded:", slices.Contains(mine.kinds, domain.AuditUserRegistered))
	// Output: registration recorded: true
}
