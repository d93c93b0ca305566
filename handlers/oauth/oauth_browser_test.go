package oauth_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/service/access"
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
	id, secret := registerApp(t, newBrowser(t, base), access.OOB, "read write push")

	testrig.Load(t, ctx, base+authorizeURL(id, access.OOB, "read push", ""))
	testrig.Expect(t, ctx, "at sign-in", `location.pathname`, "/sign-in")
	testrig.Expect(t, ctx, "the app named", `document.querySelector(".govuk-inset-text strong").textContent`, "Tusky")
	testrig.Expect(t, ctx, "scripts", testrig.FrontendScripts, testrig.WantFrontendScripts)
	testrig.CheckAccessible(t, ctx, "the sign-in page of an app")
	if err := chromedp.Do(ctx, chromedp.SendKeys("#email", email), chromedp.SendKeys("#password", password)); err != nil {
		t.Fatal(err)
	}
	testrig.Click(t, ctx, "button[type=submit]")

	testrig.Expect(t, ctx, "at consent", `location.pathname`, "/oauth/authorize")
	testrig.Expect(t, ctx, "heading", `document.querySelector("h1").textContent`, "Authorise Tusky")
	testrig.Expect(t, ctx, "scopes", `[...document.querySelectorAll("main li code")].map(c => c.textContent).join(" ")`, "read push")
	testrig.Expect(t, ctx, "buttons", `[...document.querySelectorAll("button")].map(b => b.name + "=" + b.value + ":" + b.textContent).join(" ")`, "decision=authorise:Authorise decision=deny:Deny")
	testrig.Expect(t, ctx, "scripts", testrig.FrontendScripts, testrig.WantFrontendScripts)
	testrig.CheckAccessible(t, ctx, "the consent page")
	testrig.Click(t, ctx, "button[value=authorise]")

	code, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("code#authorisation-code").textContent`))
	if err != nil || code == "" {
		t.Fatalf("no code shown: %v", err)
	}
	testrig.CheckAccessible(t, ctx, "the page of the code")

	app := newBrowser(t, base)
	p := app.do(http.MethodPost, "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "client_secret": {secret},
		"code": {code}, "redirect_uri": {access.OOB}, "code_verifier": {verifier}})
	if p.status != http.StatusOK {
		t.Fatalf("token: %d %s", p.status, p.body)
	}
	bearer := "Bearer " + p.json(t)["access_token"].(string)
	if p := app.do(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "Authorization", bearer); p.status != http.StatusOK {
		t.Errorf("a route behind RequireScope: %d %s", p.status, p.body)
	}

	// The user revokes the app on their page of apps.
	testrig.Load(t, ctx, base+"/oauth/apps")
	testrig.Expect(t, ctx, "the app listed", `document.querySelector("dt").textContent`, "Tusky")
	testrig.CheckAccessible(t, ctx, "the page of apps")
	testrig.Click(t, ctx, "dd button[type=submit]")
	testrig.Expect(t, ctx, "said", `document.querySelector("[role=status]").textContent`, "The app no longer has access to your account.")
	testrig.Expect(t, ctx, "none left", `[...document.querySelectorAll("main p")].pop().textContent`, "No app has access to your account.")
	testrig.CheckAccessible(t, ctx, "the page of apps after a revocation")
	if p := app.do(http.MethodGet, "/api/v1/accounts/verify_credentials", nil, "Authorization", bearer); p.status != http.StatusUnauthorized {
		t.Errorf("a token its user revoked: %d, want 401", p.status)
	}
}
