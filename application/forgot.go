package application

import (
	"context"
	"errors"

	"github.com/authd-dev/authd/domain"
	"github.com/authd-dev/authd/ports"
)

// ForgotPassword takes a reset request. The request path does the same
// work whatever the address: it validates the email, counts the request
// against the throttle and hands one background job over. Whether the
// account exists is first asked in that job, which mails the link when it
// does, so neither the answer nor its timing depends on it.
func (r *Recovery) ForgotPassword(ctx context.Context, rawEmail string, client domain.Client) error {
	email, err := r.emails.NormaliseEmail(rawEmail)
	if err != nil {
		return err
	}
	if r.forgotThrottled(ctx, email, client.IP) {
		r.record(ctx, domain.AuditResetRequested, "", client.IP, "throttled", nil)
		return nil
	}
	if !r.mail.background(ctx, func(ctx context.Context) { r.mailReset(ctx, email, client) }) {
		r.mail.failed(ctx, ports.MailResetPassword, "", "queue_full", nil)
	}
	return nil
}

// forgotThrottled counts one forgot-password request on the counters of
// domain.LoginLimits.ForForgotPassword and reports whether any was over
// (then nothing is counted). It is the flow's only use of the throttle.
func (r *Recovery) forgotThrottled(ctx context.Context, email domain.Email, ip string) bool {
	now := r.clock.Now()
	counters := r.policy.Login.ForForgotPassword(email.String(), ip).All()
	if err := r.throttle.Check(ctx, counters, now); err != nil {
		return true
	}
	r.throttle.Fail(ctx, counters, now)
	return false
}

// mailReset is the background half of ForgotPassword.
func (r *Recovery) mailReset(ctx context.Context, email domain.Email, client domain.Client) {
	u, err := r.users.ByEmail(ctx, email)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		r.record(ctx, domain.AuditResetRequested, "", client.IP, "unknown_email", nil)
		return
	case err != nil:
		r.mail.failed(ctx, ports.MailResetPassword, "", "storage", err)
		return
	}
	m, err := r.issue(ctx, u, domain.PurposeResetPassword)
	if err != nil {
		r.mail.failed(ctx, ports.MailResetPassword, u.ID(), "storage", err)
		return
	}
	r.record(ctx, domain.AuditResetRequested, u.ID(), client.IP, "", nil)
	_ = r.mail.send(ctx, m, u.ID()) // recorded by send; the request was answered long ago
}

// welcome mails a new account its verification link in the background.
func (r *Recovery) welcome(ctx context.Context, u domain.User) {
	job := func(ctx context.Context) {
		m, err := r.issue(ctx, u, domain.PurposeVerifyEmail)
		if err != nil {
			r.mail.failed(ctx, ports.MailVerifyEmail, u.ID(), "storage", err)
			return
		}
		_ = r.mail.send(ctx, m, u.ID()) // recorded by send
	}
	if !r.mail.background(ctx, job) {
		r.mail.failed(ctx, ports.MailVerifyEmail, u.ID(), "queue_full", nil)
	}
}
