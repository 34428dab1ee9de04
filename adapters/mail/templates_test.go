package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd-dev/authd/adapters/mail"
	"github.com/authd-dev/authd/ports"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A file in the folder replaces the embedded template of the same name;
// the others stay as embedded.
func TestTemplateFolderOverridesByName(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"verify.subject.txt": "Welcome to Example, please confirm {{.Email}}\n",
		"verify.txt":         "Confirm here: {{.Link}} (valid {{.Lifetime}})\n",
		"notes.md":           "files that are not .txt or .html are ignored",
	})
	outbox := filepath.Join(t.TempDir(), "outbox")
	log, _ := newLogger()
	o := mail.NewOutbox(outbox, newComposer(t, dir), log)
	verify, _ := newMail(t, ports.MailVerifyEmail, 24*time.Hour)
	reset, _ := newMail(t, ports.MailResetPassword, 30*time.Minute)
	for _, m := range []ports.Mail{verify, reset} {
		if err := o.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	files, err := filepath.Glob(filepath.Join(outbox, "*.eml"))
	if err != nil || len(files) != 2 {
		t.Fatalf("outbox %v (%v)", files, err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(f, "-verify-") {
			p := checkMail(t, raw, verify, "Welcome to Example, please confirm ada@example.com", "24 hours")
			if want := "Confirm here: " + verify.Link + " (valid 24 hours)\n"; strings.ReplaceAll(p.Text, "\r\n", "\n") != want {
				t.Errorf("text = %q, want the override %q", p.Text, want)
			}
			if !strings.Contains(p.HTML, "Confirm email address") {
				t.Errorf("html is not the embedded one:\n%s", p.HTML)
			}
			continue
		}
		checkMail(t, raw, reset, "Reset your password", "30 minutes", "signs you out on every device")
	}
}

func TestTemplateFolderErrorsNameTheFile(t *testing.T) {
	cases := map[string]struct {
		files map[string]string
		file  string
		why   string
	}{
		"does not parse":    {map[string]string{"reset.html": "<p>{{.Link}</p>"}, "reset.html", "reset.html:1"},
		"unknown field":     {map[string]string{"verify.txt": "{{.Link}} {{.Token}}"}, "verify.txt", "Token"},
		"no link in text":   {map[string]string{"reset.txt": "Reset your password soon."}, "reset.txt", "{{.Link}}"},
		"no link in html":   {map[string]string{"verify.html": "<p>Hello</p>"}, "verify.html", "{{.Link}}"},
		"two-line subject":  {map[string]string{"reset.subject.txt": "Reset\nBcc: x@example.com"}, "reset.subject.txt", "one"},
		"empty subject":     {map[string]string{"verify.subject.txt": "  \n"}, "verify.subject.txt", "one"},
		"misspelt template": {map[string]string{"verfy.html": "<a href=\"{{.Link}}\">x</a>"}, "verfy.html", "not a template name"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := writeFiles(t, c.files)
			_, err := mail.LoadTemplates(dir)
			if err == nil {
				t.Fatal("loaded")
			}
			if !strings.Contains(err.Error(), filepath.Join(dir, c.file)) || !strings.Contains(err.Error(), c.why) {
				t.Errorf("err = %v, want it to name %s and say %q", err, filepath.Join(dir, c.file), c.why)
			}
		})
	}
}

func TestTemplateFolderMustExist(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	if _, err := mail.LoadTemplates(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("err = %v, want it to name %s", err, missing)
	}
}
