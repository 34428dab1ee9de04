package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/mail"
	"github.com/authd-dev/authd/ports"
)

func TestOutboxWritesOneWholePrivateEmlPerMail(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	log, logs := newLogger()
	o := mail.NewOutbox(dir, newComposer(t, ""), log)
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("building the outbox touched the disk: %v", err)
	}
	verify, verifyToken := newMail(t, ports.MailVerifyEmail, 24*time.Hour)
	reset, resetToken := newMail(t, ports.MailResetPassword, 30*time.Minute)
	for _, m := range []ports.Mail{verify, reset} {
		if err := o.Send(context.Background(), m); err != nil {
			t.Fatalf("send %s: %v", m.Kind, err)
		}
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600 (it holds a live link)", e.Name(), info.Mode().Perm())
		}
	}
	if len(names) != 2 || !slices.IsSorted(names) || !strings.HasSuffix(names[0], ".eml") || !strings.HasSuffix(names[1], ".eml") {
		t.Fatalf("outbox holds %v, want two .eml files and nothing else", names)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("outbox folder mode %v (%v), want 0700", info.Mode().Perm(), err)
	}
	byKind := map[ports.MailKind]string{}
	for _, n := range names {
		for _, k := range []ports.MailKind{ports.MailVerifyEmail, ports.MailResetPassword} {
			if strings.Contains(n, "-"+string(k)+"-") {
				byKind[k] = filepath.Join(dir, n)
			}
		}
	}
	raw, err := os.ReadFile(byKind[ports.MailVerifyEmail])
	if err != nil {
		t.Fatal(err)
	}
	checkMail(t, raw, verify, "Confirm your email address", "24 hours")
	if raw, err = os.ReadFile(byKind[ports.MailResetPassword]); err != nil {
		t.Fatal(err)
	}
	checkMail(t, raw, reset, "Reset your password", "30 minutes", "signs you out on every device")

	noToken(t, "the outbox log", logs.String(), verifyToken)
	noToken(t, "the outbox log", logs.String(), resetToken)
	if !strings.Contains(logs.String(), filepath.Base(byKind[ports.MailResetPassword])) {
		t.Errorf("the log does not say where the mail went:\n%s", logs)
	}
}

func TestOutboxDoesNotWriteAnUnknownKind(t *testing.T) {
	dir := t.TempDir()
	log, _ := newLogger()
	o := mail.NewOutbox(dir, newComposer(t, ""), log)
	m, _ := newMail(t, "welcome", time.Hour)
	if err := o.Send(context.Background(), m); err == nil {
		t.Fatal("an unknown kind was sent")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("outbox holds %d files, want none", len(entries))
	}
}
