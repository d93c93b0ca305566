package admin_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestAdminInBrowser goes through the admin area as a new editor would,
// in headless Chromium without script: sign in, fill the form with
// mistakes and see them explained with what was typed kept, preview, save
// a draft (not public, nothing sent), publish (public, sent to the
// follower), delete after confirming; axe-core checks every page in each
// of those states.
func TestAdminInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	// Every Content-Security-Policy violation is recorded in
	// window.cspViolations, which checkAdminPage reads.
	watch := `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));`
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
		t.Fatal(err)
	}
	n := testrig.StartNode(t, testrig.Options{})
	addUser(t, n, "asha@example.org", access.RoleEditor)
	rm := testrig.StartRemote(t)
	rm.Follow(t, n)

	testrig.Load(t, ctx, n.URL+"/admin")
	testrig.Expect(t, ctx, "sent to sign in", `location.pathname + location.search`, "/sign-in?next=%2Fadmin")
	typeInto(t, ctx, "#email", "asha@example.org")
	typeInto(t, ctx, "#password", password)
	testrig.Click(t, ctx, "button[type=submit]")
	testrig.Expect(t, ctx, "at the dashboard", `location.pathname`, "/admin")
	checkAdminPage(t, ctx, "the dashboard")
	testrig.Expect(t, ctx, "drafts counted", `document.querySelector("#count-drafts").textContent`, "0")

	testrig.Load(t, ctx, n.URL+"/admin/case-studies")
	checkAdminPage(t, ctx, "the empty list of case studies")
	testrig.Click(t, ctx, "main a.govuk-button")
	testrig.Expect(t, ctx, "the new form", `location.pathname`, "/admin/case-studies/new")
	checkAdminPage(t, ctx, "the empty form")

	// Mistakes: no title, and savings that are not a number.
	typeInto(t, ctx, "#summary", "How a library mutual kept five branches open.")
	typeInto(t, ctx, "#body", "We **did** it.")
	typeInto(t, ctx, "#savings-amount", "lots")
	typeInto(t, ctx, "#savings-currency", "GBP")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#savings-period").value = "year"`)); err != nil {
		t.Fatal(err)
	}
	typeInto(t, ctx, "#outcomes", "Five branches open")
	testrig.Click(t, ctx, "button[value=draft]")
	testrig.Expect(t, ctx, "error title", `document.title.startsWith("Error: New case study")`, true)
	testrig.Expect(t, ctx, "error summary", `[...document.querySelectorAll(".govuk-error-summary a")].map(a => a.getAttribute("href") + " " + a.textContent).join("; ")`,
		"#title Title is required; #savings-amount Savings amount must be a decimal number such as 125000 or 99.50")
	testrig.Expect(t, ctx, "inline error", `document.querySelector("#title-error").textContent`, "Error: Title is required")
	testrig.Expect(t, ctx, "field described by its error", `document.querySelector("#savings-amount").getAttribute("aria-describedby")`, "savings-amount-hint savings-amount-error")
	testrig.Expect(t, ctx, "typed text kept", `[document.querySelector("#summary").value, document.querySelector("#savings-amount").value, document.querySelector("#outcomes").value].join(" | ")`,
		"How a library mutual kept five branches open. | lots | Five branches open")
	testrig.Expect(t, ctx, "another outcome row", `document.querySelectorAll("input[name=outcomes]").length`, 2.0)
	testrig.Expect(t, ctx, "period kept", `document.querySelector("#savings-period").value`, "year")
	checkAdminPage(t, ctx, "the form with errors")

	typeInto(t, ctx, "#title", "A library mutual")
	typeInto(t, ctx, "#savings-amount", "125000")
	typeInto(t, ctx, "#outcomes-1", "Longer hours")
	testrig.Click(t, ctx, "button[value=preview]")
	testrig.Expect(t, ctx, "preview", `document.querySelector("#preview .pollen-prose strong").textContent`, "did")
	testrig.Expect(t, ctx, "three outcome rows", `[...document.querySelectorAll("input[name=outcomes]")].map(i => i.value).join("|")`, "Five branches open|Longer hours|")
	checkAdminPage(t, ctx, "the preview")

	testrig.Click(t, ctx, "button[value=draft]")
	testrig.Expect(t, ctx, "saved", `document.querySelector("#saved").textContent`, "Saved as a draft. It is not public and has not been sent to followers.")
	checkAdminPage(t, ctx, "a saved draft")
	testrig.Load(t, ctx, n.URL+"/")
	testrig.Expect(t, ctx, "not on the home page", `document.body.textContent.includes("A library mutual")`, false)
	notPublic(t, n, "a-library-mutual", "A library mutual")

	testrig.Load(t, ctx, n.URL+"/admin/case-studies/a-library-mutual/edit")
	testrig.Click(t, ctx, "button[value=publish]")
	testrig.Expect(t, ctx, "published", `document.querySelector("#saved").textContent`, "Published. View it on the public page")
	checkAdminPage(t, ctx, "a published case study")
	testrig.Click(t, ctx, "#saved a")
	testrig.Expect(t, ctx, "the public page", `document.querySelector("h1").textContent`, "A library mutual")
	iri := n.URL + "/case-studies/a-library-mutual"
	testrig.Eventually(t, "the Create at the follower", func() bool {
		return slices.ContainsFunc(rm.Received("Create"), func(g testrig.Received) bool { return strings.Contains(string(g.Body), iri) })
	})

	testrig.Load(t, ctx, n.URL+"/admin/case-studies")
	checkAdminPage(t, ctx, "the list of case studies")
	testrig.Click(t, ctx, `a[href="/admin/case-studies/a-library-mutual/delete"]`)
	checkAdminPage(t, ctx, "the delete confirmation")
	testrig.Click(t, ctx, "button.govuk-button--warning")
	testrig.Expect(t, ctx, "deleted", `document.querySelector("#case-studies strong.govuk-tag").textContent`, "Deleted")
	checkAdminPage(t, ctx, "the list after a delete")

	testrig.Load(t, ctx, n.URL+"/admin/audit")
	testrig.Expect(t, ctx, "audit log", `[...document.querySelectorAll("tbody tr")].map(r => r.cells[1].textContent + " " + r.cells[2].textContent).join("; ")`,
		"asha@example.org Deleted; asha@example.org Published; asha@example.org Saved draft")
	checkAdminPage(t, ctx, "the audit log")
}

// TestPublishWithKeyboard publishes a case study with the keyboard only:
// Tab to each field, type, Space to choose a stage, Enter on Publish.
func TestPublishWithKeyboard(t *testing.T) {
	ctx := testrig.Browser(t)
	n := testrig.StartNode(t, testrig.Options{})
	addUser(t, n, "asha@example.org", access.RoleAdmin)
	testrig.Load(t, ctx, n.URL+"/sign-in?next=/admin/case-studies/new")
	typeInto(t, ctx, "#email", "asha@example.org")
	typeInto(t, ctx, "#password", password)
	testrig.Click(t, ctx, "button[type=submit]")
	testrig.Expect(t, ctx, "the new form", `location.pathname`, "/admin/case-studies/new")

	tabTo(t, ctx, "title")
	keys(t, ctx, "Typed with keys")
	tabTo(t, ctx, "summary")
	keys(t, ctx, "A case study entered without a mouse.")
	tabTo(t, ctx, "body")
	keys(t, ctx, "Every field reached with Tab.")
	tabTo(t, ctx, "stage")
	keys(t, ctx, kb.ArrowDown, " ")
	testrig.Expect(t, ctx, "stage chosen", `document.querySelector("input[name=stage]:checked").value`, "spinning out")
	for i := 0; i < 200; i++ {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.value || ""`))
		if err != nil {
			t.Fatal(err)
		}
		if got == "publish" {
			break
		}
		keys(t, ctx, kb.Tab)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.leaving = true`)); err != nil {
		t.Fatal(err)
	}
	keys(t, ctx, kb.Enter)
	testrig.Eventually(t, "the saved page", func() bool {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.leaving && document.readyState === "complete"`))
		return err == nil && got
	})
	testrig.Expect(t, ctx, "published", `document.querySelector("#saved") && document.querySelector("#saved").textContent`, "Published. View it on the public page")
}

// typeInto empties the field sel and types text into it.
func typeInto(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+strconv.Quote(sel)+`).value = ""`)); err != nil {
		t.Fatalf("empty %s: %v", sel, err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(sel, text)); err != nil {
		t.Fatalf("type into %s: %v", sel, err)
	}
}

// tabTo presses Tab until the element with id has the focus.
func tabTo(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
		if err != nil {
			t.Fatal(err)
		}
		if got == id {
			return
		}
		keys(t, ctx, kb.Tab)
	}
	t.Fatalf("Tab never reached #%s", id)
}

// keys sends each of ks as key presses to the focused element.
func keys(t *testing.T, ctx context.Context, ks ...string) {
	t.Helper()
	for _, k := range ks {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatalf("press %q: %v", k, err)
		}
	}
}

// checkAdminPage checks what every admin page must be: one h1, no script
// but GOV.UK Frontend's from /static (started, with no Content-Security-
// Policy violation), the skip link first, and axe-core clean.
func checkAdminPage(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	testrig.Expect(t, ctx, what+": one h1", `document.querySelectorAll("h1").length`, 1.0)
	testrig.Expect(t, ctx, what+": scripts", testrig.FrontendScripts, testrig.WantFrontendScripts)
	testrig.WaitFor(t, ctx, what+": GOV.UK Frontend started", testrig.FrontendStarted)
	testrig.Expect(t, ctx, what+": skip link first",
		`document.querySelector("a[href], button, input, select, textarea, [tabindex]").className`, "govuk-skip-link")
	testrig.Expect(t, ctx, what+": Content-Security-Policy violations", `(window.cspViolations || []).join("; ")`, "")
	testrig.CheckAccessible(t, ctx, what)
	shootAdminPage(t, ctx, what)
}
