package node_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/federation/sanitize"
	"github.com/pollen-coop/pollen/testrig"
)

// hostileReplies are replies that try to take over the page they are
// shown on, as an actor the node does not follow may send them.
var hostileReplies = []string{
	`<a href="https://evil.example/login"><details><summary>Read more</summary><table><tr><td>`,
	`<p>x</p></div></div></section></div><div class="govuk-grid-column-one-third"><aside class="pollen-related">fake contact`,
	`<ul><li>an unclosed list`,
	`<blockquote><p>an unclosed quote`,
	`<table><tr><td>a loose cell`,
	`<p>a comment <!-- that never ends`,
	`<p id="main-content">the skip link's target</p><img src="https://tracker.example/pixel.gif" alt="">`,
}

// pageHTML fetches a page as a browser does and parses it.
func pageHTML(t *testing.T, url string) (*html.Node, int) {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, url, nil, map[string]string{"Accept": "text/html"})
	doc, err := html.Parse(strings.NewReader(string(r.Body)))
	if err != nil {
		t.Fatal(err)
	}
	return doc, r.Status
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
			return true
		}
	}
	return false
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// all returns the elements under n that match.
func all(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if n.Type == html.ElementNode && match(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, all(c, match)...)
	}
	return out
}

// inside reports whether n has an ancestor that matches.
func inside(n *html.Node, match func(*html.Node) bool) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && match(p) {
			return true
		}
	}
	return false
}

// TestHostileRepliesStayInTheirContainer: replies with unclosed and stray
// tags, sent over signed HTTP by an actor the node does not follow, are
// shown each in its own container: the contact box, the footer and the
// other replies are never inside one, nor inside a reply's link.
func TestHostileRepliesStayInTheirContainer(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		rm := testrig.StartRemote(t)
		cs := publish(t, n, "Discussed by a stranger")
		iri := cs["id"].(string)
		for i, content := range hostileReplies {
			note := mastodonNote(rm, i+1, iri, n, "", time.Now().Add(time.Duration(i-len(hostileReplies))*time.Minute))
			note["content"], note["contentMap"] = content, map[string]any{"en": content}
			if r := rm.Post(t, n.URL+"/inbox", mastodonCreate(rm, note)); r.Status != http.StatusAccepted {
				t.Fatalf("Create: %d %s", r.Status, r.Body)
			}
		}
		var doc *html.Node
		testrig.Eventually(t, "every reply is shown", func() bool {
			doc, _ = pageHTML(t, iri)
			return len(all(doc, func(n *html.Node) bool { return hasClass(n, "pollen-reply") })) == len(hostileReplies)
		})
		inReply := func(n *html.Node) bool {
			return hasClass(n, "pollen-reply") || hasClass(n, "pollen-reply-content") || n.Data == "a" || n.Data == "details" || n.Data == "table"
		}
		landmarks := all(doc, func(n *html.Node) bool {
			return n.Data == "footer" || attrOf(n, "aria-labelledby") == "contact-heading" || hasClass(n, "pollen-join-discussion") || hasClass(n, "pollen-reply")
		})
		for _, l := range landmarks {
			if !hasClass(l, "pollen-reply") && inside(l, inReply) || hasClass(l, "pollen-reply") && inside(l, func(n *html.Node) bool { return hasClass(n, "pollen-reply") || n.Data == "a" }) {
				t.Errorf("<%s class=%q> is inside a reply", l.Data, attrOf(l, "class"))
			}
		}
		if got := all(doc, func(n *html.Node) bool { return hasClass(n, "pollen-related") }); len(got) != 3 {
			t.Errorf("%d aside boxes, want the 3 of the page (contact, tags, follow)", len(got))
		}
		if got := all(doc, func(n *html.Node) bool { return attrOf(n, "id") == "main-content" }); len(got) != 1 || got[0].Data != "main" {
			t.Errorf("id=main-content is on %d elements, want only <main>", len(got))
		}
		if got := all(doc, func(n *html.Node) bool { return n.Data == "img" && strings.Contains(attrOf(n, "src"), "tracker") }); len(got) != 0 {
			t.Errorf("a remote image is shown: %v", attrOf(got[0], "src"))
		}
	})
}

// TestRemoteNULStored: a NUL and other control characters in a reply's
// content and content warning are dropped, so that the reply is stored on
// PostgreSQL too instead of failing its processing.
func TestRemoteNULStored(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		rm := testrig.StartRemote(t)
		iri := publish(t, n, "Discussed with a NUL")["id"].(string)
		note := mastodonNote(rm, 1, iri, n, "with a \u0000NUL\u0007", time.Now().Add(-time.Minute))
		note["summary"] = "warning\u0000 sign"
		if r := rm.Post(t, n.URL+"/inbox", mastodonCreate(rm, note)); r.Status != http.StatusAccepted {
			t.Fatalf("Create: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "the reply is stored", func() bool {
			r, err := n.Store.Notes.ByIRI(context.Background(), statusIRI(rm, 1))
			return err == nil && strings.Contains(r.Content, "with a NUL") && r.Summary == "warning sign"
		})
	})
}

// TestRepliesCappedAndPaged: a long reply is cut to max_reply_chars
// characters of text before it is stored, and the case study page shows
// its discussion a page at a time, with links between the pages that work
// without JavaScript.
func TestRepliesCappedAndPaged(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) {
		fast(c)
		c.MaxReplyChars = 1000
	}})
	rm := testrig.StartRemote(t)
	iri := publish(t, n, "A long discussion")["id"].(string)
	total := federation.RepliesPageSize + 1
	for i := range total {
		text := "reply " + strings.Repeat("long text ", 5000)
		note := mastodonNote(rm, i+1, iri, n, text, time.Now().Add(time.Duration(i-total)*time.Minute))
		if r := rm.Post(t, n.URL+"/inbox", mastodonCreate(rm, note)); r.Status != http.StatusAccepted {
			t.Fatalf("Create: %d %s", r.Status, r.Body)
		}
	}
	testrig.Eventually(t, "every reply is stored", func() bool {
		_, count, err := n.Store.Notes.Discussion(context.Background(), 1, 1, 0)
		return err == nil && count == int64(total)
	})
	stored, err := n.Store.Notes.ByIRI(context.Background(), statusIRI(rm, 1))
	if err != nil {
		t.Fatal(err)
	}
	if text := sanitize.PlainText(stored.Content); utf8.RuneCountInString(text) > 1000 || !strings.HasSuffix(text, "…") {
		t.Errorf("stored reply has %d characters of text, want at most 1000 ending with …", utf8.RuneCountInString(text))
	}

	replies := func(doc *html.Node) int {
		return len(all(doc, func(n *html.Node) bool { return hasClass(n, "pollen-reply") }))
	}
	rel := func(doc *html.Node, rel string) string {
		links := all(doc, func(n *html.Node) bool {
			return n.Data == "a" && attrOf(n, "rel") == rel && inside(n, func(p *html.Node) bool { return hasClass(p, "govuk-pagination") })
		})
		if len(links) == 0 {
			return ""
		}
		return attrOf(links[0], "href")
	}
	doc, status := pageHTML(t, iri)
	if status != http.StatusOK || replies(doc) != federation.RepliesPageSize || rel(doc, "prev") != "" {
		t.Fatalf("page 1: status %d, %d replies, prev %q", status, replies(doc), rel(doc, "prev"))
	}
	next := rel(doc, "next")
	if next != "/case-studies/a-long-discussion?page=2#discussion-heading" {
		t.Fatalf("page 1's next link = %q", next)
	}
	doc, status = pageHTML(t, n.URL+strings.TrimSuffix(next, "#discussion-heading"))
	if status != http.StatusOK || replies(doc) != 1 || rel(doc, "next") != "" || rel(doc, "prev") != "/case-studies/a-long-discussion#discussion-heading" {
		t.Fatalf("page 2: status %d, %d replies, prev %q next %q", status, replies(doc), rel(doc, "prev"), rel(doc, "next"))
	}
	if start := all(doc, func(n *html.Node) bool { return hasClass(n, "pollen-reply-list") }); len(start) != 1 || attrOf(start[0], "start") != "21" {
		t.Errorf("page 2's list does not start at 21")
	}
	if _, status := pageHTML(t, iri+"?page=3"); status != http.StatusNotFound {
		t.Errorf("page 3: status %d, want 404", status)
	}
	if _, status := pageHTML(t, iri+"?page=x"); status != http.StatusBadRequest {
		t.Errorf("page x: status %d, want 400", status)
	}

	// The ActivityPub replies collection is paged the same way.
	col := testrig.GetAP(t, iri+"/replies").Map(t)
	first, _ := col["first"].(map[string]any)
	items, _ := first["orderedItems"].([]any)
	if col["totalItems"] != float64(total) || len(items) != federation.RepliesPageSize || first["next"] != iri+"/replies?page=2" {
		t.Errorf("replies collection: total %v, %d items on the first page, next %v", col["totalItems"], len(items), first["next"])
	}
	page2 := testrig.GetAP(t, iri+"/replies?page=2").Map(t)
	if items, _ := page2["orderedItems"].([]any); len(items) != 1 {
		t.Errorf("replies page 2 has %d items, want 1", len(items))
	}
}
