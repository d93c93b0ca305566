package pages_test

import (
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/testrig"
)

func TestEvidencePageInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	n := evidenceHub(t, testrig.SQLite(t))

	t.Run("from the feed page, with its filters", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/feed?region=North+West")
		checkPage(t, ctx)
		testrig.Click(t, ctx, `.pollen-feed-actions a[href^="/evidence"]`)
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "address", `location.pathname + location.search`, "/evidence?region=North+West")
		testrig.Expect(t, ctx, "lead", `document.querySelector(".govuk-body-l").textContent.startsWith("What 5 case studies report")`, true)
		testrig.Expect(t, ctx, "filter tags", `[...document.querySelectorAll(".pollen-filter-tag")].map(a => a.textContent.trim()).join("; ")`,
			"Remove filter Region: North West ×")
	})

	t.Run("tables with their charts", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/evidence")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "sections", `[...document.querySelectorAll(".pollen-evidence-section h2")].map(h => h.textContent).join("; ")`,
			"Case studies by service area; Reported savings by service area; Case studies by region; Reported savings by region; "+
				"Case studies by stage; The most common outcomes; The most common lessons")
		testrig.Expect(t, ctx, "every chart is named", `[...document.querySelectorAll("svg.chart")].filter(s => s.getAttribute("role") !== "img" ||
			!s.querySelector("title").textContent || !s.querySelector("desc").textContent).length`, 0.0)
		testrig.Expect(t, ctx, "bars coloured by the stylesheet", `getComputedStyle(document.querySelector(".pollen-chart-bar")).fill`, "rgb(29, 112, 184)")
		testrig.Expect(t, ctx, "the longest bar is the largest count", `[...document.querySelectorAll("#areas-chart rect, svg[aria-labelledby^='areas-chart'] rect")].map(r => r.getAttribute("width")).join(" ")`,
			"300 100 100 100 100")
		testrig.Expect(t, ctx, "savings per currency and period", `[...document.querySelectorAll("#area-savings-heading ~ table td:first-of-type")].map(td => td.textContent).join("; ")`,
			"£1,200,000 a year: Libraries; €5,000 a month: Culture")
		testrig.Click(t, ctx, `#areas-heading ~ table tbody tr:first-child a`)
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "the number's feed", `document.querySelector("#result-count").textContent`, "3 case studies")
	})
}
