package test

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/authd-dev/authd"
	"github.com/authd-dev/authd/test/backends"
)

// EnvRequireBrowser turns a missing Chromium from a skip into a failure (CI).
const EnvRequireBrowser = "AUTHD_TEST_REQUIRE_BROWSER"

// chromiumPath finds Debian's chromium, or skips (fails under
// AUTHD_TEST_REQUIRE_BROWSER=1) saying how to install it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	msg := "browser test not run: no chromium; install it with `apt-get install chromium` (or run .ci/install-browser)"
	if os.Getenv(EnvRequireBrowser) == "1" {
		t.Fatalf("%s (required by %s=1)", msg, EnvRequireBrowser)
	}
	t.Skip(msg)
	return ""
}

// newRealTimeEnv serves authd on 127.0.0.1 on the system clock: a browser
// lives in real time, so the manual clock cannot expire its tokens.
func newRealTimeEnv(t *testing.T, overrides map[string]string) *env {
	t.Helper()
	return compose(t, backends.Fresh(t, backends.Target{Name: "sqlite", Driver: "sqlite"}), overrides, authd.SystemClock())
}

// newBrowser starts headless Chromium with a throwaway profile and returns
// a tab context bounded by one minute.
func newBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()))
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// The first run starts the browser and must not carry a deadline (it
	// would stop the browser); later ones do, so a hang fails the test.
	if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium at %s: %v", path, err)
	}
	ctx, cancel := context.WithTimeout(tab, time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// jsResult is what the demo page's functions resolve to.
type jsResult struct {
	Status int            `json:"status"`
	Code   string         `json:"code"`
	Body   map[string]any `json:"body"`
}

// call awaits a promise-returning expression of the page.
func call(t *testing.T, ctx context.Context, expr string) jsResult {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[jsResult](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return out
}

// browserRefreshCookie is the authd_refresh cookie as the browser holds it.
func browserRefreshCookie(t *testing.T, ctx context.Context, base string) *network.Cookie {
	t.Helper()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/v1/auth/refresh"}})
	if err != nil {
		t.Fatalf("read cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == "authd_refresh" {
			return c
		}
	}
	t.Fatalf("browser holds no authd_refresh cookie: %v", res.Cookies)
	return nil
}

// scriptVisibleStorage is everything a script on the page can read that
// could hold a token: document.cookie and both web storages.
const scriptVisibleStorage = `(() => {
  const dump = (s) => Array.from({length: s.length}, (_, i) => s.key(i) + "=" + s.getItem(s.key(i))).join(";");
  return document.cookie + "|" + dump(localStorage) + "|" + dump(sessionStorage);
})()`

func TestBrowserCookieTransport(t *testing.T) {
	path := chromiumPath(t)
	// exp has one-second resolution, so a 1s token can be dead on arrival
	// on a busy machine: 3s leaves room for the page's first call.
	e := newRealTimeEnv(t, map[string]string{"AUTHD_ACCESS_TTL": "3s", "AUTHD_CLOCK_SKEW": "0s"})
	e.register(t, "browser@example.com")
	ctx := newBrowser(t, path)

	// Log in through the page's own form, as a person would.
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/demo/"),
		chromedp.WaitVisible(chromedp.CSS(`#login button`)),
		chromedp.SendKeys(chromedp.CSS(`#login input[name=email]`), "browser@example.com"),
		chromedp.SendKeys(chromedp.CSS(`#login input[name=password]`), testPassword),
		chromedp.Click(chromedp.CSS(`#login button`)),
	)
	if err != nil {
		t.Fatalf("log in through the demo page: %v", err)
	}
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("log").textContent.startsWith("login → ")`,
		chromedp.WithPollingTimeout(10*time.Second)))
	log, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#log`)))
	if err != nil || !strings.HasPrefix(log, "login → 200") || strings.Contains(log, "refreshToken") {
		t.Fatalf("login through the form: %v; page log %q", err, log)
	}
	if r := call(t, ctx, "demo.me()"); r.Status != http.StatusOK || r.Body["email"] != "browser@example.com" {
		t.Fatalf("me with the in-memory access token: %+v", r)
	}

	first := browserRefreshCookie(t, ctx, e.srv.URL)
	if !first.HTTPOnly || first.SameSite != network.CookieSameSiteStrict || first.Path != "/v1/auth" {
		t.Fatalf("browser cookie attributes: %+v", first)
	}
	visible, err := chromedp.Run(ctx, chromedp.Evaluate[string](scriptVisibleStorage))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(visible, first.Value) || strings.Contains(visible, "authd_refresh") {
		t.Fatalf("refresh token visible to scripts: %q", visible)
	}

	time.Sleep(4100 * time.Millisecond) // past the 3s access TTL, in real time
	if r := call(t, ctx, "demo.me()"); r.Status != http.StatusUnauthorized || r.Code != "TOKEN_EXPIRED" {
		t.Fatalf("me after expiry: %+v, want 401 TOKEN_EXPIRED", r)
	}
	if r := call(t, ctx, "demo.refresh()"); r.Status != http.StatusOK || r.Body["refreshToken"] != nil {
		t.Fatalf("refresh by cookie: %+v", r)
	}
	if next := browserRefreshCookie(t, ctx, e.srv.URL); next.Value == first.Value {
		t.Fatal("refresh did not rotate the browser's cookie")
	}
	if r := call(t, ctx, "demo.me()"); r.Status != http.StatusOK {
		t.Fatalf("me after refresh: %+v", r)
	}
	if r := call(t, ctx, "demo.logout()"); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %+v", r)
	}
	if r := call(t, ctx, "demo.refresh()"); r.Status != http.StatusBadRequest || r.Code != "REFRESH_TOKEN_REQUIRED" {
		t.Fatalf("refresh after logout (cookie cleared): %+v", r)
	}
}

// TestDemoPageHeaders fetches the page with a plain client: the demo is a
// web page, not part of the JSON API that openapi.json describes.
func TestDemoPageHeaders(t *testing.T) {
	e := newEnv(t, nil)
	// A client of its own: srv.Client() is the spec-checking one (see newClient).
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := client.Get(e.srv.URL + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return res, string(body)
	}
	res, body := get("/demo/")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") || !strings.Contains(body, `src="app.js"`) {
		t.Fatalf("demo page: %d %v %s", res.StatusCode, res.Header, body)
	}
	res, body = get("/demo/app.js")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/javascript") ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(body, "window.demo") {
		t.Fatalf("demo script: %d %v", res.StatusCode, res.Header)
	}
	if res, _ := get("/demo"); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/demo/" {
		t.Fatalf("/demo: %d %v", res.StatusCode, res.Header)
	}
}
