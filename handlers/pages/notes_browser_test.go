package pages_test

import (
	"net/http"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/pollen-coop/pollen/testrig"
)

// TestNotePagesInBrowser: the organisation's questions are listed on its
// page under their own heading, and a note's page shows it with the reply
// below it; both pass the accessibility checks. A reply is not listed on
// the home page, and a deleted note's page is gone.
func TestNotePagesInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	n := testrig.StartNode(t, testrig.Options{})
	n.Publish(t, testrig.CaseStudyBody())
	post := func(body map[string]any) map[string]any {
		r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/statuses", body, map[string]string{"Authorization": "Bearer " + n.Token})
		if r.Status != http.StatusOK {
			t.Fatalf("post: %d %s", r.Status, r.Body)
		}
		return r.Map(t)
	}
	question := post(map[string]any{"status": "Has anyone spun out a leisure service? #leisure\n\nWe would like to hear how it went."})
	post(map[string]any{"status": "Answering myself: see https://example.org/report", "in_reply_to_id": question["id"]})
	post(map[string]any{"status": "A question with a warning", "spoiler_text": "Budgets"})

	testrig.Load(t, ctx, n.URL+"/")
	checkPage(t, ctx)
	testrig.Expect(t, ctx, "notes heading", `document.querySelector("#notes-heading").textContent`, "Questions and notes")
	testrig.Expect(t, ctx, "top-level notes, newest first", `[...document.querySelectorAll("[aria-labelledby=notes-heading] .pollen-reply")].map(r => (r.querySelector("summary") || r.querySelector(".pollen-reply-content")).textContent.trim()).join(" | ")`,
		"Budgets | Has anyone spun out a leisure service? #leisureWe would like to hear how it went.")
	testrig.Expect(t, ctx, "linked to its page", `document.querySelector("[aria-labelledby=notes-heading] .pollen-reply:nth-child(2) .pollen-meta a").href`, question["uri"])

	testrig.Load(t, ctx, question["uri"].(string))
	checkPage(t, ctx)
	testrig.Expect(t, ctx, "h1", `document.querySelector("h1").textContent`, "Note from Test Council")
	testrig.Expect(t, ctx, "paragraphs", `[...document.querySelectorAll("main .pollen-prose p")].map(p => p.textContent).slice(0, 2).join(" | ")`,
		"Has anyone spun out a leisure service? #leisure | We would like to hear how it went.")
	testrig.Expect(t, ctx, "hashtag link", `document.querySelector("main .pollen-prose a.hashtag").getAttribute("href")`, n.URL+"/tags/leisure")
	testrig.Expect(t, ctx, "the reply below", `document.querySelector("[aria-labelledby=replies-heading] .pollen-reply-content").textContent`,
		"Answering myself: see https://example.org/report")
	testrig.Expect(t, ctx, "ActivityPub alternate", `document.querySelector("link[rel=alternate]").href`, question["uri"])

	r := testrig.Do(t, http.MethodDelete, n.URL+"/api/v1/statuses/"+question["id"].(string), nil, map[string]string{"Authorization": "Bearer " + n.Token})
	if r.Status != http.StatusOK {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if page := testrig.Do(t, http.MethodGet, question["uri"].(string), nil, map[string]string{"Accept": "text/html"}); page.Status != http.StatusGone {
		t.Errorf("deleted note's page = %d, want 410", page.Status)
	}
}
