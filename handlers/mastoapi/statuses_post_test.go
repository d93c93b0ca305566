package mastoapi_test

import (
	"context"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"testing"

	mastodon "github.com/mattn/go-mastodon"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/service/access"
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
		editor := userToken(t, n, access.RoleEditor, "write")
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
		} else if id, _ := ms[0].(map[string]any)["id"].(string); id == "" {
			t.Errorf("mention = %v, want the id of bob's account, which the node knows", ms[0])
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

// localStatuses counts the node's own statuses on the public timeline.
func localStatuses(t *testing.T, n *testrig.Node) int {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/timelines/public?local=true&limit=40", nil, nil)
	var ss []map[string]any
	if r.Decode(t, &ss); r.Status != http.StatusOK {
		t.Fatalf("public timeline = %d %s", r.Status, r.Body)
	}
	return len(ss)
}

// TestPostStatusRefused: a post without text, over the character limit,
// direct or private, in reply to an unknown status, without a token, with
// a read-only token or with an app's token without a user is refused with
// a clear 4xx, and nothing is stored or sent.
func TestPostStatusRefused(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		alice := testrig.StartRemote(t)
		alice.Follow(t, n)
		editor := userToken(t, n, access.RoleEditor, "write:statuses")
		reader := userToken(t, n, access.RoleEditor, "read")
		for _, c := range []struct {
			name   string
			token  string
			body   map[string]any
			status int
			says   []string
		}{
			{"empty", editor, map[string]any{"status": "  \n "}, http.StatusUnprocessableEntity, []string{"status", "empty"}},
			{"too long", editor, map[string]any{"status": strings.Repeat("a", n.Config.MaxReplyChars+1)}, http.StatusUnprocessableEntity, []string{"character limit"}},
			{"warning too", editor, map[string]any{"status": strings.Repeat("a", n.Config.MaxReplyChars), "spoiler_text": "cw"}, http.StatusUnprocessableEntity, []string{"character limit"}},
			{"direct", editor, map[string]any{"status": "hi", "visibility": "direct"}, http.StatusUnprocessableEntity, []string{"not supported yet"}},
			{"private", editor, map[string]any{"status": "hi", "visibility": "private"}, http.StatusUnprocessableEntity, []string{"not supported yet"}},
			{"unknown visibility", editor, map[string]any{"status": "hi", "visibility": "everyone"}, http.StatusUnprocessableEntity, []string{"visibility"}},
			{"unknown parent", editor, map[string]any{"status": "hi", "in_reply_to_id": "12345"}, http.StatusNotFound, []string{"12345"}},
			{"malformed parent", editor, map[string]any{"status": "hi", "in_reply_to_id": "abc"}, http.StatusNotFound, nil},
			{"no token", "", map[string]any{"status": "hi"}, http.StatusUnauthorized, nil},
			{"read only", reader, map[string]any{"status": "hi"}, http.StatusForbidden, []string{"write:statuses"}},
			{"app token", appToken(t, n, "write"), map[string]any{"status": "hi"}, http.StatusUnprocessableEntity, []string{"authenticated user"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				h := map[string]string{}
				if c.token != "" {
					h["Authorization"] = "Bearer " + c.token
				}
				r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/statuses", c.body, h)
				testrig.WantError(t, r, c.status, c.says...)
			})
		}
		if got := localStatuses(t, n); got != 0 {
			t.Errorf("%d statuses stored, want none", got)
		}
		// A post that goes through is delivered: had a refused one been
		// queued, it would have arrived before it.
		r := postStatus(t, n, editor, map[string]any{"status": "the one that counts"}, nil)
		receivedCreate(t, alice, "Create", r.Map(t)["uri"].(string))
		if got := len(alice.Received("Create")); got != 1 {
			t.Errorf("%d Creates delivered, want 1", got)
		}
	})
}

// TestPostStatusIdempotent: a post repeated with the same Idempotency-Key
// by the same user answers the same status and stores one note; another
// key, or another user with the same key, posts again.
func TestPostStatusIdempotent(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		editor := userToken(t, n, access.RoleEditor, "write")
		body := url.Values{"status": {"Once only"}}
		key := map[string]string{"Idempotency-Key": "k-1"}
		first := postStatus(t, n, editor, body, key).Map(t)
		again := postStatus(t, n, editor, body, key).Map(t)
		if first["id"] == nil || again["id"] != first["id"] {
			t.Errorf("repeat answered %v, first %v", again["id"], first["id"])
		}
		if got := localStatuses(t, n); got != 1 {
			t.Errorf("%d statuses after a repeat, want 1", got)
		}
		other := postStatus(t, n, editor, body, map[string]string{"Idempotency-Key": "k-2"}).Map(t)
		admin := postStatus(t, n, n.Token, body, key).Map(t)
		if other["id"] == first["id"] || admin["id"] == first["id"] || admin["id"] == other["id"] {
			t.Errorf("ids %v %v %v, want three", first["id"], other["id"], admin["id"])
		}
		if got := localStatuses(t, n); got != 3 {
			t.Errorf("%d statuses, want 3", got)
		}
	})
}

// TestDeleteStatus: deleting a note answers it with its source text,
// sends the Delete to the followers, and its IRI answers 410 from then on;
// a case study is refused with a 422, a peer's status or an unknown one is
// a 404, and a second delete too.
func TestDeleteStatus(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		alice := testrig.StartRemote(t)
		alice.Follow(t, n)
		editor := userToken(t, n, access.RoleEditor, "write")
		s := postStatus(t, n, editor, map[string]any{"status": "A #mistake"}, nil).Map(t)
		id, uri := s["id"].(string), s["uri"].(string)
		receivedCreate(t, alice, "Create", uri)

		del := func(id string) testrig.Response {
			return testrig.Do(t, http.MethodDelete, n.URL+"/api/v1/statuses/"+id, nil, bearer(editor))
		}
		r := del(id)
		if r.Status != http.StatusOK {
			t.Fatalf("DELETE = %d %s", r.Status, r.Body)
		}
		if got := r.Map(t); got["id"] != id || got["text"] != "A #mistake" {
			t.Errorf("deleted status = %v", got)
		}
		d := receivedCreate(t, alice, "Delete", uri)
		if d.Object["type"] != "Tombstone" {
			t.Errorf("Delete object = %v", d.Object)
		}
		if ap := testrig.GetAP(t, uri); ap.Status != http.StatusGone || ap.Map(t)["type"] != "Tombstone" {
			t.Errorf("GET %s = %d %s", uri, ap.Status, ap.Body)
		}
		if page := testrig.Do(t, http.MethodGet, uri, nil, map[string]string{"Accept": "text/html"}); page.Status != http.StatusGone {
			t.Errorf("page of %s = %d", uri, page.Status)
		}
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/api/v1/statuses/"+id, nil, nil), http.StatusNotFound)
		testrig.WantError(t, del(id), http.StatusNotFound)
		testrig.WantError(t, del("999"), http.StatusNotFound)

		n.Publish(t, testrig.CaseStudyBody())
		var ss []map[string]any
		testrig.Do(t, http.MethodGet, n.URL+"/api/v1/timelines/public?local=true", nil, nil).Decode(t, &ss)
		if len(ss) != 1 {
			t.Fatalf("timeline = %v", ss)
		}
		testrig.WantError(t, del(ss[0]["id"].(string)), http.StatusUnprocessableEntity, "admin")
		testrig.WantError(t, testrig.Do(t, http.MethodDelete, n.URL+"/api/v1/statuses/"+id, nil, nil), http.StatusUnauthorized)
		if got := localStatuses(t, n); got != 1 {
			t.Errorf("%d statuses, want the case study", got)
		}
	})
}

// TestReplyToCaseStudies: with go-mastodon, the organisation replies to a
// peer node's case study, which the peer then shows in its discussion,
// and to its own case study, which its page shows; the reply answers
// the status; DeleteStatus deletes it. Two real nodes.
func TestReplyToCaseStudies(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db})
		peer := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { c.Name = "Peer Council" }})
		if r := n.API(t, http.MethodPost, "/follows", map[string]string{"target": peer.URL + "/actors/org"}); r.Status != http.StatusAccepted {
			t.Fatalf("follow the peer: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "the peer's follower", func() bool {
			return strings.Contains(string(peer.API(t, http.MethodGet, "/followers", nil).Body), n.URL)
		})
		cs := testrig.CaseStudyBody()
		cs["title"] = "Running the leisure centres"
		theirs := peer.Publish(t, cs)["slug"].(string)
		ours := n.Publish(t, testrig.CaseStudyBody())["slug"].(string)
		ids := map[string]string{}
		testrig.Eventually(t, "the peer's case study on the public timeline", func() bool {
			var ss []map[string]any
			testrig.Do(t, http.MethodGet, n.URL+"/api/v1/timelines/public", nil, nil).Decode(t, &ss)
			for _, s := range ss {
				ids[s["uri"].(string)] = s["id"].(string)
			}
			return len(ss) == 2
		})

		ctx := context.Background()
		c := mastodon.NewClient(&mastodon.Config{Server: n.URL, AccessToken: userToken(t, n, access.RoleEditor, "write")})
		reply, err := c.PostStatus(ctx, &mastodon.Toot{Status: "We did this in 2022: happy to talk.",
			InReplyToID: mastodon.ID(ids[peer.URL+"/case-studies/"+theirs]), Visibility: "public"})
		if err != nil {
			t.Fatal(err)
		}
		if string(reply.InReplyToID.(string)) != ids[peer.URL+"/case-studies/"+theirs] {
			t.Errorf("in_reply_to_id = %v", reply.InReplyToID)
		}
		testrig.Eventually(t, "the reply in the peer's discussion", func() bool {
			page := testrig.Do(t, http.MethodGet, peer.URL+"/case-studies/"+theirs, nil, map[string]string{"Accept": "text/html"})
			return strings.Contains(string(page.Body), "We did this in 2022")
		})

		own, err := c.PostStatus(ctx, &mastodon.Toot{Status: "A follow-up on our own case study.",
			InReplyToID: mastodon.ID(ids[n.URL+"/case-studies/"+ours])})
		if err != nil {
			t.Fatal(err)
		}
		page := testrig.Do(t, http.MethodGet, n.URL+"/case-studies/"+ours, nil, map[string]string{"Accept": "text/html"})
		if !strings.Contains(string(page.Body), "A follow-up on our own case study.") {
			t.Errorf("our case study's page has no reply:\n%s", page.Body)
		}
		if err := c.DeleteStatus(ctx, own.ID); err != nil {
			t.Fatal(err)
		}
		page = testrig.Do(t, http.MethodGet, n.URL+"/case-studies/"+ours, nil, map[string]string{"Accept": "text/html"})
		if strings.Contains(string(page.Body), "A follow-up on our own case study.") {
			t.Errorf("a deleted reply is still shown")
		}

		// The peer follows us: a question reaches its shared inbox, and
		// so does its Delete.
		if r := peer.API(t, http.MethodPost, "/follows", map[string]string{"target": n.URL + "/actors/org"}); r.Status != http.StatusAccepted {
			t.Fatalf("the peer follows us: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "our follower", func() bool {
			return strings.Contains(string(n.API(t, http.MethodGet, "/followers", nil).Body), peer.URL)
		})
		question, err := c.PostStatus(ctx, &mastodon.Toot{Status: "Has anyone spun out a leisure service? #leisure"})
		if err != nil {
			t.Fatal(err)
		}
		delivered(t, n, question.URI+"#create", peer.URL+"/inbox")
		if err := c.DeleteStatus(ctx, question.ID); err != nil {
			t.Fatal(err)
		}
		delivered(t, n, question.URI+"#delete", peer.URL+"/inbox")
	})
}

// delivered waits until the node has delivered the activity to inbox.
func delivered(t *testing.T, n *testrig.Node, activity, inbox string) {
	t.Helper()
	testrig.Eventually(t, activity+" delivered to "+inbox, func() bool {
		var q struct {
			Jobs []struct {
				ActivityID string `json:"activity_id"`
				Inbox      string `json:"inbox"`
				LastStatus int    `json:"last_status"`
			} `json:"jobs"`
		}
		n.API(t, http.MethodGet, "/queue?state=done&limit=100", nil).Decode(t, &q)
		for _, j := range q.Jobs {
			if j.ActivityID == activity && j.Inbox == inbox && j.LastStatus == http.StatusAccepted {
				return true
			}
		}
		return false
	})
}

// mastodonPyPost posts a note twice with one idempotency key, as a
// script that retries would, then deletes it, with Mastodon.py.
const mastodonPyPost = `
import sys
from mastodon import Mastodon
m = Mastodon(api_base_url=sys.argv[1], access_token=sys.argv[2])
s = m.status_post("Has anyone spun out a leisure service? #leisure", visibility="unlisted",
                  spoiler_text="A question", idempotency_key="retry-1")
again = m.status_post("Has anyone spun out a leisure service? #leisure", visibility="unlisted",
                      spoiler_text="A question", idempotency_key="retry-1")
assert again["id"] == s["id"], (again["id"], s["id"])
assert s["visibility"] == "unlisted" and s["spoiler_text"] == "A question" and s["sensitive"], s
assert [t["name"] for t in s["tags"]] == ["leisure"], s["tags"]
gone = m.status_delete(s["id"])
print(s["uri"], "|", gone["text"])
`

// TestMastodonPyPost: Mastodon.py posts a note with an idempotency key,
// a repeat answers the same status, and it deletes the note. Without
// Mastodon.py the test is skipped, or fails when CI is set.
func TestMastodonPyPost(t *testing.T) {
	python := needMastodonPy(t)
	n := testrig.StartNode(t, testrig.Options{})
	out, err := exec.Command(python, "-c", mastodonPyPost, n.URL, userToken(t, n, access.RoleEditor, "write")).CombinedOutput()
	if err != nil {
		t.Fatalf("Mastodon.py: %v\n%s", err, out)
	}
	uri, text, _ := strings.Cut(strings.TrimSpace(string(out)), " | ")
	if !strings.HasPrefix(uri, n.URL+"/notes/") || text != "Has anyone spun out a leisure service? #leisure" {
		t.Errorf("Mastodon.py printed %q", out)
	}
	if ap := testrig.GetAP(t, uri); ap.Status != http.StatusGone {
		t.Errorf("GET %s = %d, want 410", uri, ap.Status)
	}
}
