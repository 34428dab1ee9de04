package application

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// Bounds of the background mail work: at most mailBacklog jobs wait or run
// (one goroutine each), mailWorkers of them at once; a full backlog refuses
// a job at once rather than queueing without limit.
const (
	mailBacklog    = 256
	mailWorkers    = 4
	mailJobTimeout = time.Minute
)

// MailSender hands account mails to the mail port, either now (the caller
// waits and sees the error) or in the background (off the request path),
// and reports every outcome to the audit log, which logs and counts it.
// It starts no goroutine until a job is submitted.
type MailSender struct {
	mailer  ports.Mailer
	clock   ports.Clock
	audit   ports.AuditLog
	workers chan struct{}

	mu      sync.Mutex
	pending int
	idle    chan struct{} // closed while nothing is pending
}

// NewMailSender builds the sender over mailer.
func NewMailSender(mailer ports.Mailer, clock ports.Clock, audit ports.AuditLog) *MailSender {
	idle := make(chan struct{})
	close(idle)
	return &MailSender{mailer: mailer, clock: clock, audit: audit, workers: make(chan struct{}, mailWorkers), idle: idle}
}

// send hands m over before returning and records the outcome for userID.
func (s *MailSender) send(ctx context.Context, m ports.Mail, userID string) error {
	err := s.mailer.Send(ctx, m)
	if err != nil {
		s.failed(ctx, m.Kind, userID, "unavailable", err)
		return err
	}
	s.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditMailSent, At: s.clock.Now(), UserID: userID,
		Detail: map[string]string{"kind": string(m.Kind)}})
	return nil
}

// failed records a mail of kind that did not leave, with the reason class
// and the error (which never holds the link: see ports.Mailer).
func (s *MailSender) failed(ctx context.Context, kind ports.MailKind, userID, reason string, err error) {
	detail := map[string]string{"kind": string(kind)}
	if err != nil {
		detail["error"] = err.Error()
	}
	s.audit.Record(ctx, domain.AuditEvent{Kind: domain.AuditMailFailed, At: s.clock.Now(), UserID: userID,
		Reason: reason, Detail: detail})
}

// background runs job off the request path with ctx's values but not its
// cancellation (the request ends first), bounded by mailJobTimeout. It
// reports false, running nothing, when the backlog is full.
func (s *MailSender) background(ctx context.Context, job func(ctx context.Context)) bool {
	s.mu.Lock()
	if s.pending >= mailBacklog {
		s.mu.Unlock()
		return false
	}
	if s.pending == 0 {
		s.idle = make(chan struct{})
	}
	s.pending++
	s.mu.Unlock()
	go func() {
		defer s.done()
		s.workers <- struct{}{}
		defer func() { <-s.workers }()
		jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), mailJobTimeout)
		defer cancel()
		job(jctx)
	}()
	return true
}

func (s *MailSender) done() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending--
	if s.pending == 0 {
		close(s.idle)
	}
}

// Drain waits until no background job is pending (jobs submitted while it
// waits included), or until ctx ends. At shutdown it lets accepted mails
// leave; tests use it to wait for the background work of a request.
func (s *MailSender) Drain(ctx context.Context) error {
	for {
		s.mu.Lock()
		idle, pending := s.idle, s.pending
		s.mu.Unlock()
		if pending == 0 {
			return nil
		}
		select {
		case <-idle:
		case <-ctx.Done():
			return errors.Join(errors.New("mail jobs still pending"), ctx.Err())
		}
	}
}
