package mastoapi_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service"
	"github.com/pollen-coop/pollen/testrig"
)

// postStatus posts body to POST /api/v1/statuses with token and the
// extra headers, and returns the answer.
func postStatus(t *testing.T, n *testrig.Node, token string, body any, header map[string]string) testrig.Response {
	t.Helper()
	h := bearer(token)
	for k, v := range header {
		h[k] = v
	}
	return testrig.Do(t, http.MethodPost, n.URL+"/api/v1/statuses", body, h)
}

// receivedCreate waits for the Remote to receive the Create of the object
// iri and returns it.
func receivedCreate(t *testing.T, rm *testrig.Remote, typ, iri string) testrig.Received {
	t.Helper()
	var got testrig.Received
	testrig.Eventually(t, "the "+typ+" of "+iri, func() bool {
		for _, g := range rm.Received(typ) {
			if id, _ := g.Object["id"].(string); id == iri {
				got = g
				return true
			}
		}
		return false
	})
	return got
}

// TestPostStatus: an editor posts a public question with a hashtag, a
// mention of a known peer, an unknown mention and a link; the Status
// answers with them linked; the peer following the organisation receives
// one signed Create of the Note at its IRI (one per shared inbox, the
// mentioned actor's included), which answers as ActivityPub and as a
// page, and the organisation's page lists it. Unlisted notes swap to and
// cc.
func TestPostStatus(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		alice, bob := peers(t, n)
		host := strings.TrimPrefix(alice.URL, "http://")
		editor := userToken(t, n, service.RoleEditor, "write")
		text := "Has anyone spun out a leisure service? #Leisure\n\nAsking @bob@" + host + " and @nobody@" + host +
			", see https://example.org/report?a=1&b=2."
		r := postStatus(t, n, editor, map[string]any{"status": text, "spoiler_text": "", "language": "en"}, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("POST /api/v1/statuses = %d %s", r.Status, r.Body)
		}
		s := r.Map(t)
		uri, _ := s["uri"].(string)
		if !strings.HasPrefix(uri, n.URL+"/notes/") || uri != n.URL+"/notes/"+s["id"].(string) || s["visibility"] != "public" {
			t.Fatalf("status = %v", s)
		}
		content, _ := s["content"].(string)
		for _, want := range []string{
			`<p>Has anyone spun out a leisure service? <a class="mention hashtag" href="` + n.URL + `/tags/leisure" `,
			`>#<span>Leisure</span></a></p><p>Asking <span class="h-card"><a class="u-url mention" href="` + bob.URL + `/@bob" `,
			`>@<span>bob</span></a></span> and @nobody@` + host + `, see <a href="https://example.org/report?a=1&amp;b=2" `,
			`>https://example.org/report?a=1&amp;b=2</a>.</p>`,
		} {
			if !strings.Contains(content, want) {
				t.Errorf("content has no %q:\n%s", want, content)
			}
		}
		if tags, _ := s["tags"].([]any); len(tags) != 1 || tags[0].(map[string]any)["name"] != "leisure" {
			t.Errorf("tags = %v", s["tags"])
		}
		if ms, _ := s["mentions"].([]any); len(ms) != 1 || ms[0].(map[string]any)["acct"] != "bob@"+host {
			t.Errorf("mentions = %v", s["mentions"])
		}

		got := receivedCreate(t, alice, "Create", uri)
		if len(alice.Received("Create")) != 1 {
			t.Errorf("%d Creates at the shared inbox, want 1", len(alice.Received("Create")))
		}
		if !strings.Contains(got.Header.Get("Signature"), `keyId="`+n.URL+`/actors/org#main-key"`) {
			t.Errorf("Create signature %q", got.Header.Get("Signature"))
		}
		o := got.Object
		if o["type"] != "Note" || o["attributedTo"] != n.URL+"/actors/org" || o["content"] != content ||
			o["inReplyTo"] != nil || o["url"] != uri || o["published"] == nil {
			t.Errorf("Note = %v", o)
		}
		if to, cc := o["to"].([]any), o["cc"].([]any); len(to) != 1 || to[0] != "https://www.w3.org/ns/activitystreams#Public" ||
			!slices.Contains(cc, any(n.URL+"/actors/org/followers")) || !slices.Contains(cc, any(bob.ActorIRI)) {
			t.Errorf("to %v cc %v", o["to"], o["cc"])
		}
		var kinds []string
		for _, tag := range o["tag"].([]any) {
			m := tag.(map[string]any)
			kinds = append(kinds, m["type"].(string)+" "+m["name"].(string)+" "+m["href"].(string))
		}
		slices.Sort(kinds)
		if want := []string{"Hashtag #Leisure " + n.URL + "/tags/leisure", "Mention @bob@" + host + " " + bob.ActorIRI}; !slices.Equal(kinds, want) {
			t.Errorf("tag = %v, want %v", kinds, want)
		}

		if ap := testrig.GetAP(t, uri); ap.Status != http.StatusOK || ap.Map(t)["content"] != content {
			t.Errorf("GET %s as ActivityPub = %d %s", uri, ap.Status, ap.Body)
		}
		page := testrig.Do(t, http.MethodGet, uri, nil, map[string]string{"Accept": "text/html"})
		if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "spun out a leisure service") {
			t.Errorf("GET %s as a page = %d %s", uri, page.Status, page.Body)
		}
		home := testrig.Do(t, http.MethodGet, n.URL+"/", nil, nil)
		if !strings.Contains(string(home.Body), "Questions and notes") || !strings.Contains(string(home.Body), `href="`+uri+`"`) {
			t.Errorf("home page lists no note:\n%s", home.Body)
		}

		r = postStatus(t, n, n.Token, url.Values{"status": {"Only for followers"}, "visibility": {"unlisted"}}, nil)
		if r.Status != http.StatusOK || r.Map(t)["visibility"] != "unlisted" {
			t.Fatalf("unlisted = %d %s", r.Status, r.Body)
		}
		o = receivedCreate(t, alice, "Create", r.Map(t)["uri"].(string)).Object
		if to, cc := o["to"].([]any), o["cc"].([]any); len(to) != 1 || to[0] != n.URL+"/actors/org/followers" ||
			len(cc) != 1 || cc[0] != "https://www.w3.org/ns/activitystreams#Public" {
			t.Errorf("unlisted: to %v cc %v", o["to"], o["cc"])
		}
	})
}
