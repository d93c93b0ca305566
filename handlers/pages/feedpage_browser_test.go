package pages_test

import (
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

// feedRemotes are case studies a hub received, besides fullRemote.
var feedRemotes = []testrig.RemoteCaseStudy{
	{Host: "bolton.example", Handle: "libs", Name: "Bolton Libraries", Title: "A library trust for Bolton", Summary: "Staff run the branches.",
		ServiceArea: "libraries", Region: "North West", Stage: "operating", Published: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)},
	{Host: "camden.example", Handle: "libs", Name: "Camden Libraries", Title: "Camden's libraries as a mutual", Summary: "A mutual in London.",
		ServiceArea: "libraries", Region: "London", Stage: "exploring", Published: time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)},
	{Host: "wigan.example", Handle: "leisure", Name: "Wigan Leisure", Title: "Leisure centres run by their staff", Summary: "Pools stayed open.",
		ServiceArea: "leisure", Region: "North West", Stage: "operating", Published: time.Date(2023, 9, 1, 9, 0, 0, 0, time.UTC)},
}

func TestFeedPageInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { c.Name = "North West Hub"; c.Role = config.RoleHub }})
	n.Publish(t, fullCaseStudy)
	n.Publish(t, secondCaseStudy)
	n.SaveRemoteCaseStudy(t, fullRemote)
	for _, r := range feedRemotes {
		n.SaveRemoteCaseStudy(t, r)
	}
	count := `document.querySelector("#result-count").textContent`
	titles := `[...document.querySelectorAll(".pollen-feed-results h3")].map(h => h.textContent).join("; ")`
	tags := `[...document.querySelectorAll(".pollen-filter-tag")].map(a => a.textContent.trim()).join("; ")`

	t.Run("a hub's home page searches a phrase from the lessons", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "count", count, "6 case studies")
		testrig.Expect(t, ctx, "no error shown", `document.querySelectorAll(".govuk-form-group--error, .govuk-input--error, .govuk-error-message, .govuk-error-summary").length`, 0.0)
		if err := chromedp.Do(ctx, chromedp.SendKeys("#q", `"pension terms"`)); err != nil {
			t.Fatal(err)
		}
		testrig.Click(t, ctx, ".pollen-search-row button")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "count", count, "1 case study")
		testrig.Expect(t, ctx, "result", titles, fullCaseStudy["title"])
		testrig.Expect(t, ctx, "highlighted", `[...document.querySelectorAll(".pollen-snippet mark")].map(m => m.textContent).join(" ")`, "pension terms")
		testrig.Expect(t, ctx, "metadata", `[...document.querySelectorAll(".pollen-result-meta div")].slice(0, 5).map(d => d.querySelector("dt").textContent + ": " + d.querySelector("dd").textContent).join("; ")`,
			"Organisation: North West Hub; Region: North West; Service area: Libraries; Stage: Operating; Savings: £1,200,000 a year")
		testrig.Expect(t, ctx, "feeds keep the search", `document.querySelector("link[type='application/atom+xml']").getAttribute("href")`, "/feed.atom?q=%22pension+terms%22")
	})

	t.Run("filters by region and service area", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/feed")
		testrig.Expect(t, ctx, "region counts", `[...document.querySelectorAll("input[name=region]")].map(i => i.labels[0].textContent.trim()).join("; ")`,
			"North West (5); London (1)")
		tick := `document.querySelector('input[name=region][value="North West"]').click(); document.querySelector('input[name=service_area][value="libraries"]').click(); true`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](tick)); err != nil {
			t.Fatal(err)
		}
		testrig.Click(t, ctx, ".pollen-filter-panel > .govuk-button")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "count", count, "2 case studies")
		testrig.Expect(t, ctx, "filter tags", tags, "Remove filter Region: North West ×; Remove filter Service area: Libraries ×")
		testrig.Expect(t, ctx, "service area counts ignore their own filter", `[...document.querySelectorAll("input[name=service_area]")].map(i => i.labels[0].textContent.trim() + (i.checked ? " ticked" : "")).join("; ")`,
			"Libraries (2) ticked; Adult social care (1); Leisure (1); Youth services (1)")
		testrig.Click(t, ctx, `.pollen-filter-tags li:nth-child(2) a`)
		testrig.Expect(t, ctx, "count without the service area", count, "5 case studies")
		testrig.Expect(t, ctx, "filter tags", tags, "Remove filter Region: North West ×")
	})

	t.Run("pages keep the filters", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/feed?region=North+West&limit=3&sort=newest")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "count", count, "5 case studies")
		testrig.Expect(t, ctx, "pages", `[...document.querySelectorAll(".govuk-pagination__item")].map(li => li.textContent + (li.querySelector("[aria-current=page]") ? "*" : "")).join(" ")`, "1* 2")
		testrig.Click(t, ctx, `a[rel=next]`)
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "address", `location.search`, "?limit=3&offset=3&region=North+West&sort=newest")
		testrig.Expect(t, ctx, "last page", titles, "A library trust for Bolton; Leisure centres run by their staff")
		testrig.Expect(t, ctx, "pages", `[...document.querySelectorAll(".govuk-pagination__item")].map(li => li.textContent + (li.querySelector("[aria-current=page]") ? "*" : "")).join(" ")`, "1 2*")
		testrig.Expect(t, ctx, "filter still ticked", `document.querySelector('input[name=region][value="North West"]').checked`, true)
	})

	t.Run("empty state", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/feed?region=London&service_area=leisure")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "count", count, "0 case studies")
		testrig.Expect(t, ctx, "suggestion", `document.querySelector(".pollen-empty-state").textContent.replace(/\s+/g, " ").trim()`,
			"No case studies match your search. Improve your results by: removing a filter (select one above to remove it) seeing every case study")
		testrig.Click(t, ctx, `.pollen-filter-tags li:nth-child(2) a`)
		testrig.Expect(t, ctx, "count", count, "1 case study")
	})

	t.Run("a search the page cannot read", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/feed?q=-mutual")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "error summary", `document.querySelector(".govuk-error-summary a").getAttribute("href")`, "#q")
		testrig.Expect(t, ctx, "the field in error", `document.querySelector(".govuk-form-group--error input").id + " " + document.querySelector(".govuk-input--error").value`, "q -mutual")
	})
}
