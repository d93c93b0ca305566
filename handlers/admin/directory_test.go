package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// followButton is the directory's Follow form for one node: its CSRF
// token and its target.
var followButton = regexp.MustCompile(`(?s)<form method="post" action="/admin/follows" novalidate>\s*<input type="hidden" name="csrf_token" value="([^"]+)">\s*<input type="hidden" name="target" value="([^"]+)">`)

// TestDirectoryFollowButton: on /directory a signed-in admin sees a
// Follow button for each node not yet followed (not for this node), and
// one click follows it: the Follow reaches the peer, and once the peer
// accepts, its row has no button. Anyone else, signed in as an editor or not
// at all, sees only the handles to follow.
func TestDirectoryFollowButton(t *testing.T) {
	// The directory finds new nodes every tenth of its refresh interval.
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { c.DirectoryRefresh = time.Second }})
	addUser(t, n, "asha@example.org", access.RoleAdmin)
	addUser(t, n, "ed@example.org", access.RoleEditor)
	// A peer organisation that follows the node: the directory lists it.
	peer := testrig.StartRemote(t)
	doc := peer.Document(peer.ActorIRI)
	doc["type"] = "Organization"
	peer.Serve(peer.ActorIRI, doc)
	peer.Follow(t, n)
	anon, ed, admin := newClient(t, n.URL), newClient(t, n.URL), newClient(t, n.URL)
	ed.signIn("ed@example.org")
	admin.signIn("asha@example.org")

	var p answer
	testrig.Eventually(t, "the directory lists the follower", func() bool {
		p = admin.get("/directory")
		return strings.Contains(p.body, "@alice@"+host(peer.URL))
	})
	for name, b := range map[string]*client{"no one signed in": anon, "an editor": ed} {
		if q := b.get("/directory"); q.status != http.StatusOK || !strings.Contains(q.body, "@alice@"+host(peer.URL)) || strings.Contains(q.body, `action="/admin/follows"`) {
			t.Errorf("%s: GET /directory = %d, want the handles and no Follow button:\n%s", name, q.status, q.body)
		}
	}
	buttons := followButton.FindAllStringSubmatch(p.body, -1)
	if len(buttons) != 1 || buttons[0][2] != peer.ActorIRI || !strings.Contains(p.body, ">Follow<span class=\"govuk-visually-hidden\">") {
		t.Fatalf("the admin's directory: %d Follow buttons (%q), want one for %s:\n%s", len(buttons), buttons, peer.ActorIRI, p.body)
	}

	r := admin.do(http.MethodPost, "/admin/follows", url.Values{"csrf_token": {buttons[0][1]}, "target": {buttons[0][2]}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/admin/follows?done=") {
		t.Fatalf("Follow from the directory = %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	testrig.Eventually(t, "the Follow at the peer", func() bool { return len(peer.Received("Follow")) == 1 })
	follow := peer.Received("Follow")[0].ID
	if r := peer.Post(t, n.URL+"/inbox", map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": peer.ActorIRI + "/accepts/1", "type": "Accept",
		"actor": peer.ActorIRI, "object": map[string]any{"id": follow, "type": "Follow", "actor": n.URL + "/actors/" + n.Config.Handle, "object": peer.ActorIRI},
	}); r.Status != http.StatusAccepted {
		t.Fatalf("Accept: %d %s", r.Status, r.Body)
	}
	// The peer serves no NodeInfo, so the directory may already call it
	// not answering; followed, it has no button either way.
	testrig.Eventually(t, "the followed node without a button", func() bool {
		p = admin.get("/directory")
		return strings.Contains(p.body, "@alice@"+host(peer.URL)) && !followButton.MatchString(p.body)
	})
}
