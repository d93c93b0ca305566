package node_test

import (
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestPlainTextRoundTrip: a title, summary and contact with markup
// characters, entities and quotes in them, typed as text, reach a
// following Pollen node exactly as typed, and are HTML-escaped in the
// Article's summary on the way.
func TestPlainTextRoundTrip(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		nodes := startNodes(t, db, 2)
		a, b := nodes[0], nodes[1]
		follow(t, b, a)
		cs := caseStudy(`Fish &amp; chips <b>"bold"</b> 'quoted'`)
		cs["summary"] = `a < b &amp; c > "d" 'e' &lt;img src=x onerror=alert(1)&gt; <img src=x onerror=alert(1)>`
		cs["contact"] = map[string]any{"name": `Ann <i>"Smith"</i> &amp; co`, "email": "ann@example.org"}
		r := a.API(t, http.MethodPost, "/case-studies", cs)
		if r.Status != http.StatusCreated {
			t.Fatalf("publish: %d %s", r.Status, r.Body)
		}
		id := r.Map(t)["id"].(string)
		article := testrig.GetAP(t, id).Map(t)
		if want := `a &lt; b &amp;amp; c &gt; &#34;d&#34; &#39;e&#39; &amp;lt;img src=x onerror=alert(1)&amp;gt; &lt;img src=x onerror=alert(1)&gt;`; article["summary"] != want {
			t.Errorf("Article summary = %q, want %q", article["summary"], want)
		}
		if article["name"] != cs["title"] {
			t.Errorf("Article name = %q, want the title as typed", article["name"])
		}
		var got map[string]any
		testrig.Eventually(t, "the case study reaches the follower", func() bool {
			got = feed(t, b)[id]
			return got != nil
		})
		contact, _ := got["contact"].(map[string]any)
		if got["title"] != cs["title"] || got["summary"] != cs["summary"] || contact["name"] != `Ann <i>"Smith"</i> &amp; co` {
			t.Errorf("the follower has title %q, summary %q, contact %q; want them as typed", got["title"], got["summary"], contact["name"])
		}
	})
}
