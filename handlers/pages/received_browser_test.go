package pages_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/mmcdole/gofeed"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

func TestReceivedPageAndFeedLinksInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { c.Name = "North West Hub" }})
	received := n.URL + receivedPath(t, n, fullRemote)
	local := n.URL + "/case-studies/" + n.Publish(t, fullCaseStudy)["slug"].(string)

	t.Run("received case study page", func(t *testing.T) {
		testrig.Load(t, ctx, received)
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "h1", `document.querySelector("h1").textContent`, fullRemote.Title)
		testrig.Expect(t, ctx, "who published it", `document.querySelector(".pollen-published-elsewhere").textContent.replace(/\s+/g, " ").trim()`,
			"Published by Care Mutual on their node. This is the copy this node received; read the original on their node: "+fullRemote.Title+".")
		testrig.Expect(t, ctx, "link to the original", `document.querySelector(".pollen-original-link").href`, "https://peer.example/cs/home-care-as-a-mutual")
		testrig.Expect(t, ctx, "summary list", `[...document.querySelectorAll(".govuk-summary-list__row")].map(r => r.querySelector("dt").textContent + ": " + r.querySelector("dd").textContent.trim()).join("\n")`,
			"Organisation: Care Mutual\nService area: Adult social care\nRegion: North West\nStage: Operating\nPublished: 1 May 2025")
		testrig.Expect(t, ctx, "body, headings below the title", `[...document.querySelectorAll(".pollen-prose h2, .pollen-prose h3, .pollen-prose strong")].map(e => e.tagName + " " + e.textContent).join("; ")`, "H2 How; STRONG voted")
		testrig.Expect(t, ctx, "outcomes and lessons", `[...document.querySelectorAll(".govuk-list--bullet li, .govuk-list--number li")].map(li => li.textContent).join("; ")`,
			"No rounds dropped; Ask the carers first")
		testrig.Expect(t, ctx, "images from the peer are not loaded", `[...document.images].filter(i => !i.src.startsWith(location.origin)).length`, 0.0)
		testrig.Expect(t, ctx, "but linked", `[...document.querySelectorAll("a")].filter(a => a.href == "https://peer.example/media/team.jpg").map(a => a.textContent).join()`, "Photo of the team")
		testrig.Expect(t, ctx, "tag links", `[...document.querySelectorAll(".pollen-tag-list a")].map(a => a.getAttribute("href")).join(" ")`, "/tags/adultsocialcare /tags/mutuals")
	})

	for _, tc := range []struct{ name, url, feeds string }{
		{"home", n.URL + "/", "/@org.atom /@org.rss /@org.json /feed.atom /feed.rss /feed.json"},
		{"home, filtered", n.URL + "/?service_area=libraries&offset=0", "/@org.atom?service_area=libraries /@org.rss?service_area=libraries /@org.json?service_area=libraries " +
			"/feed.atom?service_area=libraries /feed.rss?service_area=libraries /feed.json?service_area=libraries"},
		{"tag", n.URL + "/tags/mutual", "/tags/mutual.atom /tags/mutual.rss /tags/mutual.json"},
		{"case study", local, "/@org.atom /@org.rss /@org.json"},
		{"received case study", received, "/feed.atom /feed.rss /feed.json"},
	} {
		t.Run(tc.name+" links its feeds", func(t *testing.T) {
			testrig.Load(t, ctx, tc.url)
			testrig.Expect(t, ctx, "feed links", `[...document.querySelectorAll("link[rel=alternate]:not([type='application/activity+json'])")].map(l => l.getAttribute("href")).join(" ")`, tc.feeds)
			testrig.Expect(t, ctx, "their types", `[...new Set([...document.querySelectorAll("link[rel=alternate]:not([type='application/activity+json'])")].map(l => l.type))].join(" ")`,
				"application/atom+xml application/rss+xml application/feed+json")
			testrig.Expect(t, ctx, "each titled", `[...document.querySelectorAll("link[rel=alternate]:not([type='application/activity+json'])")].filter(l => !l.title).length`, 0.0)
			for _, href := range strings.Fields(tc.feeds) {
				r := testrig.Do(t, http.MethodGet, n.URL+href, nil, nil)
				if _, err := gofeed.NewParser().Parse(bytes.NewReader(r.Body)); r.Status != http.StatusOK || err != nil {
					t.Errorf("GET %s = %d, %v", href, r.Status, err)
				}
			}
		})
	}
}
