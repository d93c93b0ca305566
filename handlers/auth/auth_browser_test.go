package auth_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestSignInInBrowser signs in through the real form in headless Chromium,
// with no script on the page, and checks the page with axe-core, with
// and without errors.
func TestSignInInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	n := startNode(t, map[string]access.Role{"asha@example.org": access.RoleAdmin})

	testrig.Load(t, ctx, n.URL+"/sign-in?next=/tags/libraries")
	testrig.CheckAccessible(t, ctx, "the sign-in page")
	testrig.Expect(t, ctx, "scripts", testrig.FrontendScripts, testrig.WantFrontendScripts)
	testrig.Expect(t, ctx, "labels", `[...document.querySelectorAll("label")].map(l => l.htmlFor + ": " + l.textContent).join("; ")`, "email: Email address; password: Password")

	// A wrong password: the form again, with its error summary.
	submit(t, ctx, "asha@example.org", "not the password")
	testrig.Expect(t, ctx, "title", `document.title`, "Error: Sign in – Test Council")
	testrig.Expect(t, ctx, "summary", `document.querySelector(".govuk-error-summary a").textContent`, access.ErrSignIn)
	testrig.Expect(t, ctx, "summary links to the field", `document.querySelector(".govuk-error-summary a").getAttribute("href")`, "#email")
	testrig.Expect(t, ctx, "email kept", `document.querySelector("#email").value`, "asha@example.org")
	testrig.Expect(t, ctx, "next kept", `document.querySelector("input[name=next]").value`, "/tags/libraries")
	testrig.CheckAccessible(t, ctx, "the sign-in page with an error")

	submit(t, ctx, "asha@example.org", password)
	testrig.Expect(t, ctx, "where next pointed", `location.pathname`, "/tags/libraries")

	testrig.Load(t, ctx, n.URL+"/sign-out")
	testrig.Expect(t, ctx, "signed in", `document.querySelector("main p").textContent`, "You are signed in as asha@example.org.")
	testrig.CheckAccessible(t, ctx, "the sign-out page")
	testrig.Click(t, ctx, "button[type=submit]")
	testrig.Expect(t, ctx, "back at sign-in", `location.pathname`, "/sign-in")
	testrig.Load(t, ctx, n.URL+"/sign-out")
	testrig.Expect(t, ctx, "signed out", `document.querySelector("main p").textContent`, "You are not signed in. Sign in")
}

// submit types email and password into the form, as a person does, and
// sends it with its button.
func submit(t *testing.T, ctx context.Context, email, pass string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#email").value = ""`)); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		chromedp.SendKeys("#email", email),
		chromedp.SendKeys("#password", pass),
	)
	if err != nil {
		t.Fatalf("fill the form: %v", err)
	}
	testrig.Click(t, ctx, "button[type=submit]")
}
