package admin_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestProfilePageInBrowser checks the profile page with axe-core in
// headless Chromium, without script, in each of its states: as it is,
// with errors in the form, and saved.
func TestProfilePageInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	n := testrig.StartNode(t, testrig.Options{})
	addUser(t, n, "asha@example.org", access.RoleAdmin)
	testrig.Load(t, ctx, n.URL+"/sign-in?next=/admin/profile")
	typeInto(t, ctx, "#email", "asha@example.org")
	typeInto(t, ctx, "#password", password)
	testrig.Click(t, ctx, "button[type=submit]")
	testrig.Expect(t, ctx, "the profile page", `location.pathname`, "/admin/profile")
	testrig.Expect(t, ctx, "current in the menu", `document.querySelector("nav a[aria-current=page]").textContent`, "Profile")
	checkAdminPage(t, ctx, "the profile page")

	typeInto(t, ctx, "#name", " ")
	typeInto(t, ctx, "#website", "libraries.example")
	typeInto(t, ctx, "#summary", "Five libraries, run by their staff.")
	testrig.Click(t, ctx, "form button[type=submit]")
	testrig.Expect(t, ctx, "error title", `document.title.startsWith("Error: Profile")`, true)
	testrig.Expect(t, ctx, "error summary", `[...document.querySelectorAll(".govuk-error-summary a")].map(a => a.getAttribute("href") + " " + a.textContent).join("; ")`,
		"#name Enter the organisation's name; #website Enter the website's full address, starting with https://")
	testrig.Expect(t, ctx, "inline error", `document.querySelector("#website-error").textContent`, "Error: Enter the website's full address, starting with https://")
	testrig.Expect(t, ctx, "field described by its error", `document.querySelector("#website").getAttribute("aria-describedby")`, "website-hint website-error")
	testrig.Expect(t, ctx, "typed text kept", `[document.querySelector("#summary").value, document.querySelector("#website").value].join(" | ")`,
		"Five libraries, run by their staff. | libraries.example")
	checkAdminPage(t, ctx, "the profile form with errors")

	typeInto(t, ctx, "#name", "Leeds Libraries")
	typeInto(t, ctx, "#website", "https://libraries.example")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#region").value = "Wales"`)); err != nil {
		t.Fatal(err)
	}
	testrig.Click(t, ctx, "form button[type=submit]")
	testrig.Expect(t, ctx, "saved", `document.querySelector("#saved") !== null`, true)
	testrig.Expect(t, ctx, "the new name in the header", `document.body.textContent.includes("Leeds Libraries")`, true)
	checkAdminPage(t, ctx, "the saved profile")
}
