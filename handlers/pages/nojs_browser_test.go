package pages_test

import (
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

// TestPagesWithoutJavaScript: GOV.UK Frontend's JavaScript is progressive
// enhancement only. With script turned off in the browser the pages keep
// their look (the stylesheet needs no script), the body gets no
// js-enabled class, and a search with filters, the pages of results and
// a reply folded behind its content warning all work by links, forms
// and the browser's own details element.
func TestPagesWithoutJavaScript(t *testing.T) {
	ctx := testrig.Browser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	scripts := func(off bool) {
		t.Helper()
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off}); err != nil {
			t.Fatal(err)
		}
	}
	scripts(true)
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { c.Name = "North West Hub"; c.Role = config.RoleHub }})
	n.Publish(t, fullCaseStudy)
	slug := n.Publish(t, secondCaseStudy)["slug"].(string)
	addReplies(t, n, slug)
	for _, r := range feedRemotes {
		n.SaveRemoteCaseStudy(t, r)
	}
	noScript := func(t *testing.T) {
		t.Helper()
		testrig.Expect(t, ctx, "no js-enabled class", `document.body.className`, "govuk-template__body")
		testrig.Expect(t, ctx, "GOV.UK Frontend not started", `document.querySelector(".govuk-skip-link").hasAttribute("data-govuk-skip-link-init")`, false)
		testrig.Expect(t, ctx, "stylesheet loaded", `getComputedStyle(document.querySelector(".govuk-generic-header")).backgroundColor`, "rgb(11, 12, 12)")
		testrig.Expect(t, ctx, "Content-Security-Policy violations", `window.cspViolations.join("; ")`, "")
		// axe-core needs script: on for its run, over the page as loaded
		// without it.
		scripts(false)
		testrig.CheckAccessible(t, ctx, "axe-core, without JavaScript")
		scripts(true)
	}

	testrig.Load(t, ctx, n.URL+"/feed?limit=2")
	noScript(t)
	if err := chromedp.Do(ctx, chromedp.Click(`input[name=region][value="North West"]`)); err != nil {
		t.Fatal(err)
	}
	testrig.Click(t, ctx, ".pollen-filter-panel > .govuk-button")
	noScript(t)
	testrig.Expect(t, ctx, "filtered", `document.querySelector("#result-count").textContent`, "4 case studies")
	testrig.Click(t, ctx, `.govuk-pagination__next a`)
	testrig.Expect(t, ctx, "the next page keeps the filter", `location.search`, "?limit=2&offset=2&region=North+West&sort=relevance")

	testrig.Load(t, ctx, n.URL+"/case-studies/"+slug)
	noScript(t)
	if err := chromedp.Do(ctx, chromedp.Click(".pollen-reply details summary")); err != nil {
		t.Fatal(err)
	}
	testrig.Expect(t, ctx, "the warned reply opens", `document.querySelector(".pollen-reply details").open`, true)
}
