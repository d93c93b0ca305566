package pages_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/sanitize"
	"github.com/pollen-coop/pollen/testrig"
)

var screenshot = flag.String("screenshot", "", "write a screenshot of the home and case study pages to this PNG file (e.g. ../../docs/screenshot.png)")

// fullCaseStudy has every field a case study page shows, and a body with
// what sanitising must remove.
var fullCaseStudy = map[string]any{
	"title":   "Spinning out Northshire's library service as a staff mutual",
	"summary": "How 140 library staff formed an employee-owned mutual, kept all 64 branches open and saved £1.2m a year.",
	"body": "# Why we did it\n\nBudgets fell by a third in five years. " +
		"Staff proposed a **mutual** rather than closures.\n\n" +
		"## What we did first\n\nWe ran a [consultation](https://example.org/consultation) with 2,000 residents " +
		"<script src=\"/x.js\"></script>and published [the results](javascript:alert(1)).\n\n" +
		"![The mutual's logo](/static/icon.png)\n",
	"organisation_type": "public service mutual",
	"service_area":      "libraries",
	"region":            "North West",
	"stage":             "operating",
	"outcomes":          []string{"All 64 branches kept open", "Opening hours up 12%"},
	"savings":           map[string]any{"amount": 1200000, "currency": "GBP", "period": "year"},
	"ownership_model":   "employee-owned",
	"lessons":           []string{"Bring the unions in from the first meeting", "Agree the pension terms before the business case"},
	"contact":           map[string]any{"name": "Asha Patel", "role": "Managing director", "email": "asha@example.org"},
	"tags":              []string{"Libraries", "mutual"},
}

var secondCaseStudy = map[string]any{
	"title":        "Keeping youth clubs open through a community interest company",
	"summary":      "A council and its youth workers set up a CIC to run eight youth clubs.",
	"body":         "The clubs are open five nights a week.",
	"stage":        "spinning out",
	"service_area": "youth services",
	"tags":         []string{"youth"},
}

// cspWatch runs before anything else on every page the tab opens: it
// records each Content-Security-Policy violation in window.cspViolations.
const cspWatch = `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));`

func TestPagesInBrowser(t *testing.T) {
	ctx := testrig.Browser(t)
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) {
		c.Name = "Northshire Council"
		c.Summary = "Case studies from Northshire's libraries, leisure and care services, for councils and mutuals planning the same."
	}})
	var slug string
	for i, cs := range []map[string]any{fullCaseStudy, secondCaseStudy} {
		res := n.API(t, http.MethodPost, "/case-studies", cs)
		if res.Status != http.StatusCreated {
			t.Fatalf("publish: %d %s", res.Status, res.Body)
		}
		if i == 0 {
			slug = res.Map(t)["slug"].(string)
		}
	}
	caseURL := n.URL + "/case-studies/" + slug
	addReplies(t, n, slug)

	t.Run("home lists the case studies", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "h1 text", `document.querySelector("h1").textContent`, "Northshire Council")
		testrig.Expect(t, ctx, "case study count", `document.querySelectorAll(".pollen-case-item").length`, 2.0)
		testrig.Expect(t, ctx, "newest first", `document.querySelector(".pollen-case-item h3").textContent`, secondCaseStudy["title"])
		testrig.Expect(t, ctx, "link to the case study", `document.querySelector(".pollen-case-item:nth-child(2) h3 a").href`, caseURL)
		testrig.Expect(t, ctx, "follow handle", `document.querySelector(".govuk-inset-text .pollen-handle").textContent`, "@org@"+strings.TrimPrefix(n.URL, "http://"))
	})

	t.Run("case study page", func(t *testing.T) {
		testrig.Load(t, ctx, caseURL)
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "h1", `document.querySelector("h1").textContent`, fullCaseStudy["title"])
		testrig.Expect(t, ctx, "summary", `document.querySelector(".govuk-body-l").textContent`, fullCaseStudy["summary"])
		testrig.Expect(t, ctx, "summary list", `[...document.querySelectorAll(".govuk-summary-list__row")].map(r => r.querySelector("dt").textContent + ": " + r.querySelector("dd").textContent.trim()).slice(0, 8).join("\n")`,
			"Organisation: Northshire Council\nOrganisation type: Public service mutual\nService area: Libraries\nRegion: North West\n"+
				"Stage: Operating\nOwnership model: Employee-owned\nSavings: £1,200,000 a year\nPublished: "+today())
		testrig.Expect(t, ctx, "body text", `document.querySelector(".pollen-prose strong").textContent`, "mutual")
		testrig.Expect(t, ctx, "body headings below the title", `[...document.querySelectorAll(".pollen-prose h2, .pollen-prose h3")].map(h => h.tagName + " " + h.textContent).join("; ")`,
			"H2 Why we did it; H3 What we did first")
		testrig.Expect(t, ctx, "no script in the body but GOV.UK Frontend's", `[...document.querySelectorAll("main script")].length`, 0.0)
		testrig.Expect(t, ctx, "no javascript: link", `[...document.querySelectorAll("a")].filter(a => a.href.startsWith("javascript:")).length`, 0.0)
		testrig.Expect(t, ctx, "external link is nofollow", `document.querySelector(".pollen-prose a[href='https://example.org/consultation']").rel.includes("nofollow")`, true)
		testrig.Expect(t, ctx, "image alt from Markdown", `document.querySelector(".pollen-prose img").alt`, "The mutual's logo")
		testrig.Expect(t, ctx, "outcomes", `[...document.querySelectorAll("ul.govuk-list--bullet li")].map(li => li.textContent).join("; ")`, "All 64 branches kept open; Opening hours up 12%")
		testrig.Expect(t, ctx, "lessons", `[...document.querySelectorAll("ol.govuk-list--number li")].map(li => li.textContent).join("; ")`,
			"Bring the unions in from the first meeting; Agree the pension terms before the business case")
		testrig.Expect(t, ctx, "contact", `document.querySelector("[aria-labelledby=contact-heading]").innerText.replace(/\s+/g, " ").trim()`,
			"Contact Ask about this case study: Asha Patel Managing director asha@example.org")
		testrig.Expect(t, ctx, "contact email link", `document.querySelector("a[href^='mailto:']").getAttribute("href")`, "mailto:asha@example.org")
		testrig.Expect(t, ctx, "tag links", `[...document.querySelectorAll(".pollen-tag-list a")].map(a => a.getAttribute("href")).join(" ")`, "/tags/libraries /tags/mutual")
		testrig.Expect(t, ctx, "ActivityPub alternate", `document.querySelector("link[rel=alternate]").href`, caseURL)
		testrig.Expect(t, ctx, "discussion heading", `document.querySelector("#discussion-heading").textContent`, "Discussion")
		testrig.Expect(t, ctx, "replies, oldest first", `[...document.querySelectorAll(".pollen-reply")].map(r => r.querySelector(".pollen-reply-author").textContent + " | " + r.querySelector(".pollen-reply-content").textContent + " | " + r.querySelector("time").textContent).join("\n")`,
			"Priya Shah @priya@social.example | How long did the TUPE transfer take? We are at the #libraries consultation stage now. | 3 March 2026\n"+
				"Tom @tom@gts.example | Eighteen months for us, pensions took most of it. | 4 March 2026")
		testrig.Expect(t, ctx, "a reply with a content warning is folded behind it", `[...document.querySelectorAll(".pollen-reply details")].map(d => d.querySelector("summary").textContent + " open=" + d.open).join("; ")`,
			"Pensions open=false")
		testrig.Expect(t, ctx, "author linked to their profile", `[...document.querySelectorAll(".pollen-reply-author a")].map(a => a.getAttribute("href")).join(" ")`,
			"https://social.example/@priya https://gts.example/@tom")
		testrig.Expect(t, ctx, "date linked to the reply", `document.querySelector(".pollen-reply time").closest("a").getAttribute("href")`,
			"https://social.example/@priya/111")
		testrig.Expect(t, ctx, "reply content sanitised", `document.querySelectorAll(".pollen-reply-content script, .pollen-reply-content [onclick]").length`, 0.0)
		testrig.Expect(t, ctx, "reply links kept", `document.querySelector(".pollen-reply-content a").getAttribute("href")`, "https://social.example/tags/libraries")
		testrig.Expect(t, ctx, "how to join", `document.querySelector(".pollen-join-discussion").textContent.replace(/\s+/g, " ").trim()`,
			"To join the discussion from Mastodon or another fediverse server, search there for this page's address, "+caseURL+", open the post and reply to it. Public replies appear here.")
		if *screenshot != "" {
			shoot(t, ctx, n.URL+"/", caseURL)
		}
	})

	t.Run("case study without replies", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/case-studies/keeping-youth-clubs-open-through-a-community-interest-company")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "no replies", `document.querySelector("#discussion-heading + p").textContent`, "No one has replied yet.")
		testrig.Expect(t, ctx, "how to join", `document.querySelectorAll(".pollen-join-discussion").length`, 1.0)
	})

	t.Run("tag page", func(t *testing.T) {
		testrig.Load(t, ctx, n.URL+"/tags/libraries")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "h1", `document.querySelector("h1").textContent`, "#libraries")
		testrig.Expect(t, ctx, "items", `[...document.querySelectorAll(".pollen-case-item h3")].map(h => h.textContent).join("; ")`, fullCaseStudy["title"])
		testrig.Load(t, ctx, n.URL+"/tags/youthservices")
		testrig.Expect(t, ctx, "service area's hashtag", `[...document.querySelectorAll(".pollen-case-item h3")].map(h => h.textContent).join("; ")`, secondCaseStudy["title"])
		testrig.Load(t, ctx, n.URL+"/tags/nothing-here")
		testrig.Expect(t, ctx, "empty tag", `document.querySelector("main p").textContent`, "No case studies have been published with this tag yet.")
	})

	t.Run("404 page", func(t *testing.T) {
		res := testrig.Do(t, http.MethodGet, n.URL+"/case-studies/no-such-thing", nil, map[string]string{"Accept": "text/html"})
		if res.Status != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("unknown case study answered %d %s, want 404 text/html", res.Status, res.Header.Get("Content-Type"))
		}
		testrig.Load(t, ctx, n.URL+"/case-studies/no-such-thing")
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "h1", `document.querySelector("h1").textContent`, "Page not found")
		testrig.Expect(t, ctx, "title", `document.title`, "Page not found – Northshire Council")
	})

	t.Run("the policy is in force", func(t *testing.T) {
		testrig.Load(t, ctx, caseURL)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise(done => {
			document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p><img alt="" src="https://127.0.0.1:1/x.png">');
			let tries = 0;
			const check = () => window.cspViolations.length >= 2 || ++tries > 100 ? done([...new Set(window.cspViolations.map(v => v.split(" ")[0]))].sort().join(" ")) : setTimeout(check, 20);
			check();
		})`, chromedp.EvalAwaitPromise))
		if err != nil || got != "img-src style-src-attr" {
			t.Errorf("an inline style and an image from another host: violations %q (%v), want img-src and style-src-attr", got, err)
		}
	})

	t.Run("hostile replies stay in their container", func(t *testing.T) {
		res := n.API(t, http.MethodPost, "/case-studies", map[string]any{
			"title": "Discussed by strangers", "summary": "A case study whose replies try to take over the page.",
			"body": "Text.", "contact": map[string]any{"name": "Asha Patel", "email": "asha@example.org"},
		})
		if res.Status != http.StatusCreated {
			t.Fatalf("publish: %d %s", res.Status, res.Body)
		}
		hostile := res.Map(t)["slug"].(string)
		addReply(t, n, hostile, 1, `<a href="https://evil.example/login"><details><summary>Read more</summary><table><tr><td>`)
		addReply(t, n, hostile, 2, `<p>x</p></div></div></section></div><ul><li><blockquote><!-- the rest`)
		testrig.Load(t, ctx, n.URL+"/case-studies/"+hostile)
		checkPage(t, ctx)
		testrig.Expect(t, ctx, "replies shown", `document.querySelectorAll(".pollen-reply").length`, 2.0)
		testrig.Expect(t, ctx, "nothing of the page inside a reply or its link",
			`[...document.querySelectorAll("footer, aside, .pollen-join-discussion, .pollen-reply")].filter(e => e.parentElement.closest(".pollen-reply, .pollen-reply-content a, details")).length`, 0.0)
		testrig.Expect(t, ctx, "the contact box is in the side column", `document.querySelector("[aria-labelledby=contact-heading]").parentElement.className`, "govuk-grid-column-one-third")
	})

	t.Run("skip link moves focus to the main content", func(t *testing.T) {
		testrig.Load(t, ctx, caseURL)
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		testrig.Expect(t, ctx, "visible when focused", `document.activeElement.getBoundingClientRect().width > 100`, true)
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
			t.Fatal(err)
		}
		testrig.Expect(t, ctx, "location", `location.hash`, "#main-content")
	})
}

// addReplies stores two replies to the case study slug from remote actors,
// as the inbox does after a Create of a Note in reply to it: sanitised.
func addReplies(t *testing.T, n *testrig.Node, slug string) {
	t.Helper()
	for i, r := range []struct{ host, handle, name, content, warning string }{
		{"social.example", "priya", "Priya Shah", `<p>How long did the TUPE transfer take? We are at the ` +
			`<a href="https://social.example/tags/libraries" class="mention hashtag" rel="tag">#<span>libraries</span></a> ` +
			`consultation stage now.</p><script>alert(1)</script><p onclick="alert(2)"></p>`, ""},
		{"gts.example", "tom", "Tom", `<p>Eighteen months for us, pensions took most of it.</p>`, "Pensions"},
	} {
		n.SaveReply(t, slug, testrig.Reply{
			Host: r.host, Handle: r.handle, Name: r.name, ActorURL: "https://" + r.host + "/@" + r.handle,
			IRI:     fmt.Sprintf("https://%s/users/%s/statuses/%d", r.host, r.handle, 111+i),
			URL:     fmt.Sprintf("https://%s/@%s/%d", r.host, r.handle, 111+i),
			Content: sanitize.HTML(r.content), Summary: r.warning,
			Published: time.Date(2026, 3, 3+i, 18, 30, 0, 0, time.UTC),
		})
	}
}

// addReply stores reply number i to the case study slug from a remote
// actor, its content sanitised as the inbox does.
func addReply(t *testing.T, n *testrig.Node, slug string, i int, content string) {
	t.Helper()
	n.SaveReply(t, slug, testrig.Reply{
		Host: "evil.example", Handle: "mallory", Name: "Mallory",
		IRI:       fmt.Sprintf("https://evil.example/users/mallory/statuses/%d", i),
		Content:   sanitize.HTML(content),
		Published: time.Date(2026, 3, 3, 18, 30+i, 0, 0, time.UTC),
	})
}

// checkPage checks what every page must have: English (UK) as its
// language, one h1, alt text on every image, the skip link as the first
// focusable element, a main landmark it points to, no script but GOV.UK
// Frontend's from /static (started, with no Content-Security-Policy
// violation), and no violation that axe-core finds.
func checkPage(t *testing.T, ctx context.Context) {
	t.Helper()
	defer testrig.CheckAccessible(t, ctx, "axe-core")
	testrig.Expect(t, ctx, "lang", `document.documentElement.lang`, "en-GB")
	testrig.Expect(t, ctx, "one h1", `document.querySelectorAll("h1").length`, 1.0)
	testrig.Expect(t, ctx, "images without alt", `[...document.images].filter(i => !i.hasAttribute("alt")).map(i => i.src).join(" ")`, "")
	testrig.Expect(t, ctx, "first focusable element",
		`document.querySelector("a[href], button, input, select, textarea, [tabindex]").className`, "govuk-skip-link")
	testrig.Expect(t, ctx, "skip link target", `document.querySelector(".govuk-skip-link").getAttribute("href") + " " + document.querySelectorAll("main#main-content").length`, "#main-content 1")
	testrig.Expect(t, ctx, "scripts", testrig.FrontendScripts, testrig.WantFrontendScripts)
	testrig.WaitFor(t, ctx, "GOV.UK Frontend started", testrig.FrontendStarted)
	testrig.Expect(t, ctx, "stylesheet loaded", `getComputedStyle(document.querySelector(".govuk-generic-header")).backgroundColor`, "rgb(11, 12, 12)")
	testrig.Expect(t, ctx, "Content-Security-Policy violations", `window.cspViolations.join("; ")`, "")
}

// today is the date a case study published now shows.
func today() string { return time.Now().UTC().Format("2 January 2006") }

// shoot writes the home page and the case study page, side by side at a
// desktop width, into one PNG at *screenshot.
func shoot(t *testing.T, ctx context.Context, urls ...string) {
	t.Helper()
	const width, gap = 1100, 24
	var shots []image.Image
	for _, u := range urls {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			t.Fatal(err)
		}
		testrig.Load(t, ctx, u)
		data, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", u, err)
		}
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("decode screenshot: %v", err)
		}
		shots = append(shots, img)
	}
	h := 0
	for _, s := range shots {
		h = max(h, s.Bounds().Dy())
	}
	out := image.NewRGBA(image.Rect(0, 0, len(shots)*width+(len(shots)-1)*gap, h))
	draw.Draw(out, out.Bounds(), &image.Uniform{color.RGBA{0xb1, 0xb4, 0xb6, 0xff}}, image.Point{}, draw.Src)
	for i, s := range shots {
		draw.Draw(out, s.Bounds().Add(image.Pt(i*(width+gap), 0)), s, s.Bounds().Min, draw.Src)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, out); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*screenshot, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", *screenshot)
}
