package test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	pqtotp "github.com/pquerna/otp/totp"
)

// TestBrowserTwoFactor: a person turns TOTP on through the demo page (QR
// code shown, code typed) and logs in again with the password and then a
// code, over the cookie transport. Codes come from the TOTP library at the
// real time, as an authenticator app would show them.
func TestBrowserTwoFactor(t *testing.T) {
	path := chromiumPath(t)
	e := newRealTimeEnv(t, nil)
	e.register(t, "browser-mfa@example.com")
	ctx := newBrowser(t, path)
	var secret string
	code := func(at time.Time) string {
		c, err := pqtotp.GenerateCode(secret, at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	waitLog := func(prefix string) string {
		t.Helper()
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("log").textContent.startsWith(`+quoteJS(prefix)+`)`,
			chromedp.WithPollingTimeout(10*time.Second)))
		log, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#log`)))
		if err != nil {
			t.Fatalf("page log %q, want %q…: %v", log, prefix, err)
		}
		return log
	}
	logIn := func() {
		t.Helper()
		err := chromedp.Do(ctx,
			chromedp.SetValue(chromedp.CSS(`#login input[name=email]`), "browser-mfa@example.com"),
			chromedp.SetValue(chromedp.CSS(`#login input[name=password]`), testPassword),
			chromedp.Click(chromedp.CSS(`#login button`)))
		if err != nil {
			t.Fatalf("log in through the form: %v", err)
		}
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/demo/"), chromedp.WaitVisible(chromedp.CSS(`#login button`))); err != nil {
		t.Fatal(err)
	}
	logIn()
	waitLog("login → 200")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#enroll`)), chromedp.WaitVisible(chromedp.CSS(`#qr`))); err != nil {
		t.Fatalf("enrol through the page: %v", err)
	}
	waitLog("enroll → 200")
	secret = pageSecret(t, ctx)
	if qr, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("qr").naturalWidth + " " + document.getElementById("qr").src.slice(0, 22)`)); qr != "256 data:image/png;base64," {
		t.Fatalf("QR code image: %q", qr)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#confirm input[name=code]`), code(time.Now())),
		chromedp.Click(chromedp.CSS(`#confirm button`))); err != nil {
		t.Fatal(err)
	}
	if log := waitLog("confirm → 200"); strings.Count(log, "-") < 30 {
		t.Fatalf("no recovery codes shown: %q", log)
	}
	if r := call(t, ctx, "demo.logout()"); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %+v", r)
	}

	logIn()
	waitLog("login → 403")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#mfa input[name=code]`))); err != nil {
		t.Fatal(err)
	}
	// The next step's code: within the ±1 step window, and after the step
	// the confirmation spent.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#mfa input[name=code]`), code(time.Now().Add(30*time.Second))),
		chromedp.Click(chromedp.CSS(`#mfa button`))); err != nil {
		t.Fatal(err)
	}
	waitLog("verify → 200")
	r := call(t, ctx, "demo.me()")
	if r.Status != http.StatusOK || r.Body["mfaEnabled"] != true {
		t.Fatalf("me after the second step: %+v", r)
	}
	if c := browserRefreshCookie(t, ctx, e.srv.URL); !c.HTTPOnly {
		t.Fatalf("refresh cookie after the second step: %+v", c)
	}
	if r := call(t, ctx, "demo.refresh()"); r.Status != http.StatusOK {
		t.Fatalf("refresh by cookie after the second step: %+v", r)
	}
}

// pageSecret is the TOTP secret the demo page shows after enrolling.
func pageSecret(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(`#secret`)))
	if err != nil || s == "" {
		t.Fatalf("secret on the page: %q, %v", s, err)
	}
	return s
}

func quoteJS(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
