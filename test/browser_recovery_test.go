package test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/ports"
	"github.com/authd-dev/authd/test/smtptest"
)

// TestBrowserPasswordReset walks the mails as a person would: open the
// verification link of the registration mail, ask for a reset on the demo
// page, open the mailed reset link, set a new password, log in with it.
// The mails go through the in-test SMTP server over STARTTLS.
func TestBrowserPasswordReset(t *testing.T) {
	path := chromiumPath(t)
	smtp := smtptest.Start(t, smtptest.Options{Mode: smtptest.StartTLS})
	e := composeWith(t, sqliteTarget(t), map[string]string{"AUTHD_SMTP_URL": smtp.URL()}, authd.SystemClock(),
		func(c *authd.Config) { c.Mail.RootCAs = smtp.RootCAs() })
	m := &mailEnv{env: e, smtp: smtp}
	a := m.register(t, "reader@example.com")
	_, verifyLink := m.nextMail(t, ports.MailVerifyEmail, a.Email)
	ctx := newBrowser(t, path)

	// Waiting for the page's own elements syncs chromedp to the new document
	// before anything is evaluated in it.
	if err := chromedp.Do(ctx, chromedp.Navigate(verifyLink), chromedp.WaitVisible(chromedp.CSS(`#forgot button`))); err != nil {
		t.Fatalf("open the verification link: %v", err)
	}
	if log := waitLog(t, ctx, "verify-email → "); !strings.HasPrefix(log, "verify-email → 200") || !strings.Contains(log, `"emailVerified": true`) {
		t.Fatalf("verification through the page: %q", log)
	}
	linkGone(t, ctx)

	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/demo/"),
		chromedp.WaitVisible(chromedp.CSS(`#forgot button`)),
		chromedp.SendKeys(chromedp.CSS(`#forgot input[name=email]`), a.Email),
		chromedp.Click(chromedp.CSS(`#forgot button`)),
	)
	if err != nil {
		t.Fatalf("ask for a reset through the page: %v", err)
	}
	if log := waitLog(t, ctx, "forgot → "); !strings.HasPrefix(log, "forgot → 202") {
		t.Fatalf("forgot through the page: %q", log)
	}
	_, resetLink := m.nextMail(t, ports.MailResetPassword, a.Email)

	// A mail client opens the link in a new page load.
	err = chromedp.Do(ctx,
		chromedp.Navigate("about:blank"),
		chromedp.Navigate(resetLink),
		chromedp.WaitVisible(chromedp.CSS(`#reset button`)),
	)
	if err != nil {
		t.Fatalf("open the reset link: %v", err)
	}
	linkGone(t, ctx)
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#reset input[name=password]`), newPassword),
		chromedp.Click(chromedp.CSS(`#reset button`)),
	)
	if err != nil {
		t.Fatalf("set the new password through the page: %v", err)
	}
	if log := waitLog(t, ctx, "reset → "); !strings.HasPrefix(log, "reset → 204") {
		t.Fatalf("reset through the page: %q", log)
	}

	if r := call(t, ctx, `demo.login("reader@example.com", "`+testPassword+`")`); r.Status != http.StatusUnauthorized {
		t.Fatalf("login with the old password: %+v", r)
	}
	err = chromedp.Do(ctx,
		clearLog(),
		chromedp.SendKeys(chromedp.CSS(`#login input[name=email]`), a.Email),
		chromedp.SendKeys(chromedp.CSS(`#login input[name=password]`), newPassword),
		chromedp.Click(chromedp.CSS(`#login button`)),
	)
	if err != nil {
		t.Fatalf("log in through the form: %v", err)
	}
	if log := waitLog(t, ctx, "login → "); !strings.HasPrefix(log, "login → 200") {
		t.Fatalf("login with the new password: %q", log)
	}
	if r := call(t, ctx, "demo.me()"); r.Status != http.StatusOK || r.Body["emailVerified"] != true {
		t.Fatalf("me after the reset: %+v", r)
	}
	m.refresh(a.Refresh).expect(t, http.StatusUnauthorized, "REFRESH_TOKEN_INVALID") // the registration's session ended
}

// clearLog empties the page's log, so waitLog sees only what comes next.
func clearLog() chromedp.Action[chromedp.Void] {
	clear := chromedp.Evaluate[string](`document.getElementById("log").textContent = ""`)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := clear(ctx, t)
		return chromedp.Void{}, err
	}
}

// waitLog polls the page's log until it starts with prefix (a hang guard
// of ten seconds, not a timing assertion) and returns it.
func waitLog(t *testing.T, ctx context.Context, prefix string) string {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("log").textContent.startsWith(`+jsString(prefix)+`)`,
		chromedp.WithPollingTimeout(10*time.Second)))
	log, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#log`)))
	if err != nil {
		t.Fatalf("page log never started with %q: %v; log %q", prefix, err, log)
	}
	return log
}

// linkGone checks that the page took the token out of the address bar.
func linkGone(t *testing.T, ctx context.Context) {
	t.Helper()
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
	if err != nil || strings.Contains(href, "#") {
		t.Fatalf("address bar after following the link: %q, %v", href, err)
	}
}

func jsString(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
