package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/testrig"
)

// TestSignInInBrowser signs in through the real form in headless Chromium,
// with no script on the page, and checks the page with axe-core, with
// and without errors.
func TestSignInInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	n := startNode(t, map[string]service.Role{"asha@example.org": service.RoleAdmin})

	load(t, ctx, n.URL+"/sign-in?next=/tags/libraries")
	testrig.CheckAccessible(t, ctx, "the sign-in page")
	expect(t, ctx, "scripts", `document.scripts.length`, 0.0)
	expect(t, ctx, "labels", `[...document.querySelectorAll("label")].map(l => l.htmlFor + ": " + l.textContent).join("; ")`, "email: Email address; password: Password")

	// A wrong password: the form again, with its error summary.
	submit(t, ctx, "asha@example.org", "not the password")
	expect(t, ctx, "title", `document.title`, "Error: Sign in – Test Council")
	expect(t, ctx, "summary", `document.querySelector(".error-summary a").textContent`, service.ErrSignIn)
	expect(t, ctx, "summary links to the field", `document.querySelector(".error-summary a").getAttribute("href")`, "#email")
	expect(t, ctx, "email kept", `document.querySelector("#email").value`, "asha@example.org")
	expect(t, ctx, "next kept", `document.querySelector("input[name=next]").value`, "/tags/libraries")
	testrig.CheckAccessible(t, ctx, "the sign-in page with an error")

	submit(t, ctx, "asha@example.org", password)
	expect(t, ctx, "where next pointed", `location.pathname`, "/tags/libraries")

	load(t, ctx, n.URL+"/sign-out")
	expect(t, ctx, "signed in", `document.querySelector("main p").textContent`, "You are signed in as asha@example.org.")
	testrig.CheckAccessible(t, ctx, "the sign-out page")
	click(t, ctx, "button[type=submit]")
	expect(t, ctx, "back at sign-in", `location.pathname`, "/sign-in")
	load(t, ctx, n.URL+"/sign-out")
	expect(t, ctx, "signed out", `document.querySelector("main p").textContent`, "You are not signed in. Sign in")
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
	click(t, ctx, "button[type=submit]")
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
	// The page being left may answer, or fail, while it goes: ask again
	// until the new one says it has loaded.
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
