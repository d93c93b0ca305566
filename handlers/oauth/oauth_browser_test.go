package oauth_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/testrig"
)

// TestAuthorizeInBrowser goes through the flow in headless Chromium, with
// no script on the pages: the sign-in page that names the app, the
// consent page, the code out of band; both pages checked with axe-core.
// The app then exchanges the code with PKCE and calls a route behind
// RequireScope.
func TestAuthorizeInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	n := startNode(t, testrig.SQLite(t))
	base := probe(t, n)
	id, secret := registerApp(t, newBrowser(t, base), service.OOB, "read write push")

	load(t, ctx, base+authorizeURL(id, service.OOB, "read push", ""))
	expect(t, ctx, "at sign-in", `location.pathname`, "/sign-in")
	expect(t, ctx, "the app named", `document.querySelector(".inset-text strong").textContent`, "Tusky")
	expect(t, ctx, "scripts", `document.scripts.length`, 0.0)
	testrig.CheckAccessible(t, ctx, "the sign-in page of an app")
	if err := chromedp.Do(ctx, chromedp.SendKeys("#email", email), chromedp.SendKeys("#password", password)); err != nil {
		t.Fatal(err)
	}
	click(t, ctx, "button[type=submit]")

	expect(t, ctx, "at consent", `location.pathname`, "/oauth/authorize")
	expect(t, ctx, "heading", `document.querySelector("h1").textContent`, "Authorise Tusky")
	expect(t, ctx, "scopes", `[...document.querySelectorAll("main li code")].map(c => c.textContent).join(" ")`, "read push")
	expect(t, ctx, "buttons", `[...document.querySelectorAll("button")].map(b => b.name + "=" + b.value + ":" + b.textContent).join(" ")`, "decision=authorise:Authorise decision=deny:Deny")
	expect(t, ctx, "scripts", `document.scripts.length`, 0.0)
	testrig.CheckAccessible(t, ctx, "the consent page")
	click(t, ctx, "button[value=authorise]")

	code, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("code#authorisation-code").textContent`))
	if err != nil || code == "" {
		t.Fatalf("no code shown: %v", err)
	}
	testrig.CheckAccessible(t, ctx, "the page of the code")

	app := newBrowser(t, base)
	p := app.do(http.MethodPost, "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "client_secret": {secret},
		"code": {code}, "redirect_uri": {service.OOB}, "code_verifier": {verifier}})
	if p.status != http.StatusOK {
		t.Fatalf("token: %d %s", p.status, p.body)
	}
	bearer := "Bearer " + p.json(t)["access_token"].(string)
	if p := app.do(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "Authorization", bearer); p.status != http.StatusOK {
		t.Errorf("a route behind RequireScope: %d %s", p.status, p.body)
	}

	// The user revokes the app on their page of apps.
	load(t, ctx, base+"/oauth/apps")
	expect(t, ctx, "the app listed", `document.querySelector("dt").textContent`, "Tusky")
	testrig.CheckAccessible(t, ctx, "the page of apps")
	click(t, ctx, "dd button[type=submit]")
	expect(t, ctx, "said", `document.querySelector("[role=status]").textContent`, "The app no longer has access to your account.")
	expect(t, ctx, "none left", `[...document.querySelectorAll("main p")].pop().textContent`, "No app has access to your account.")
	testrig.CheckAccessible(t, ctx, "the page of apps after a revocation")
	if p := app.do(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "Authorization", bearer); p.status != http.StatusUnauthorized {
		t.Errorf("a token its user revoked: %d, want 401", p.status)
	}
}

// click clicks the element sel and waits until another page has loaded.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.leaving = true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(sel)); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	for i := 0; ; i++ {
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.leaving && document.readyState === "complete"`))
		if err == nil && loaded {
			return
		}
		if i == 200 {
			t.Fatalf("no new page after clicking %s: %v", sel, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// load opens url in the tab and waits for the page.
func load(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
}

// expect evaluates a JavaScript expression on the page and compares it
// with want (numbers come back as float64).
func expect(t *testing.T, ctx context.Context, what, js string, want any) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[any](js))
	if err != nil {
		t.Fatalf("%s: evaluate %s: %v", what, js, err)
	}
	if got != want {
		t.Errorf("%s: got %#v, want %#v", what, got, want)
	}
}
