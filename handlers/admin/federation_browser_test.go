package admin_test

import (
	"context"
	"testing"

	"github.com/pollen-coop/pollen/federation/policy"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestFederationPageInBrowser checks the federation policy page with
// axe-core in headless Chromium, without script, in each of its states:
// empty, with an error in the form, the confirmation of a block, and with
// blocked domains, a blocked actor and allowed domains.
func TestFederationPageInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	n := testrig.StartNode(t, testrig.Options{})
	addUser(t, n, "asha@example.org", access.RoleAdmin)
	testrig.Load(t, ctx, n.URL+"/sign-in?next=/admin/federation")
	typeInto(t, ctx, "#email", "asha@example.org")
	typeInto(t, ctx, "#password", password)
	testrig.Click(t, ctx, "button[type=submit]")
	testrig.Expect(t, ctx, "the federation page", `location.pathname`, "/admin/federation")
	testrig.Expect(t, ctx, "current in the menu", `document.querySelector("nav a[aria-current=page]").textContent`, "Federation")
	checkAdminPage(t, ctx, "the empty federation page")

	typeInto(t, ctx, "#domain", "not a domain!")
	testrig.Click(t, ctx, "button[value=block]")
	testrig.Expect(t, ctx, "error title", `document.title.startsWith("Error: Federation")`, true)
	testrig.Expect(t, ctx, "inline error", `document.querySelector("#domain-error").textContent`, "Error: Enter a domain, such as example.org or example.org:8443")
	testrig.Expect(t, ctx, "typed text kept", `document.querySelector("#domain").value`, "not a domain!")
	checkAdminPage(t, ctx, "the federation form with errors")

	typeInto(t, ctx, "#domain", "spam.example:8443")
	typeInto(t, ctx, "#reason", "Unsolicited messages")
	testrig.Click(t, ctx, "button[value=block]")
	testrig.Expect(t, ctx, "the confirmation", `document.querySelector("h1").textContent`, "Block spam.example:8443?")
	checkAdminPage(t, ctx, "the block's confirmation")
	testrig.Click(t, ctx, "button.govuk-button--warning")
	testrig.Expect(t, ctx, "blocked", `document.querySelector("#done").textContent`, "Blocked spam.example:8443.")

	who := policy.Who{Name: "command line"}
	p := n.Service.Policy()
	if _, err := p.BlockActor(context.Background(), who, "https://social.example/users/troll", ""); err != nil {
		t.Fatal(err)
	}
	if err := p.Allow(context.Background(), who, "council.example", "A council of the network"); err != nil {
		t.Fatal(err)
	}
	testrig.Load(t, ctx, n.URL+"/admin/federation")
	testrig.Expect(t, ctx, "the rules", `[...document.querySelectorAll("tbody tr td:first-child")].map(td => td.textContent).join(" ")`,
		"spam.example:8443 https://social.example/users/troll council.example")
	checkAdminPage(t, ctx, "the federation page with rules")
	testrig.Click(t, ctx, "#blocked button")
	testrig.Expect(t, ctx, "unblocked", `document.querySelector("#done").textContent`, "Unblocked spam.example:8443.")
}
