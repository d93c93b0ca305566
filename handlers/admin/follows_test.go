package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestFollowsPage: an admin follows a peer by its URL from the form (the
// Follow reaches it), sees the follow pending, unfollows after
// confirming (the Undo reaches it); approves one follow request, rejects
// another and removes an accepted follower after confirming, each peer
// told. A form without a target, or with one that is not an account,
// shows the reason with what was typed. Editors may not come in. Every
// change is in the audit log.
func TestFollowsPage(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		addUser(t, n, "asha@example.org", access.RoleAdmin)
		addUser(t, n, "ed@example.org", access.RoleEditor)
		ed := newClient(t, n.URL)
		ed.signIn("ed@example.org")
		if p := ed.get("/admin/follows"); p.status != http.StatusForbidden {
			t.Errorf("an editor's GET /admin/follows = %d", p.status)
		}
		if p := ed.get("/admin"); strings.Contains(p.body, `href="/admin/follows"`) || !strings.Contains(p.body, `href="/admin/audit"`) {
			t.Errorf("an editor's menu:\n%s", p.body)
		}

		b := newClient(t, n.URL)
		b.signIn("asha@example.org")
		p := b.get("/admin/follows")
		for _, want := range []string{"This node follows no one yet.", "No one follows this node yet.", `href="/admin/follows" aria-current="page"`} {
			if !strings.Contains(p.body, want) {
				t.Errorf("empty follows page lacks %q:\n%s", want, p.body)
			}
		}
		for _, tt := range []struct {
			target string
			status int
			want   string
		}{
			{"", http.StatusUnprocessableEntity, `<a href="#target">Enter the handle`},
			{"not an account", http.StatusBadRequest, `<a href="#target">`},
		} {
			p := b.post("/admin/follows", url.Values{"target": {tt.target}})
			if p.status != tt.status || !strings.Contains(p.body, tt.want) || !strings.Contains(p.body, `value="`+tt.target+`"`) ||
				!strings.Contains(p.body, "<title>Error: Follows") || !strings.Contains(p.body, `id="target-error"`) {
				t.Errorf("follow %q = %d\n%s", tt.target, p.status, p.body)
			}
		}

		peer := testrig.StartRemote(t)
		p = b.post("/admin/follows", url.Values{"target": {peer.ActorIRI}})
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/admin/follows?done=") {
			t.Fatalf("follow = %d %s\n%s", p.status, p.header.Get("Location"), p.body)
		}
		testrig.Eventually(t, "the Follow at the peer", func() bool { return len(peer.Received("Follow")) == 1 })
		p = b.get("/admin/follows")
		unfollow := regexp.MustCompile(`/admin/follows/following/\d+/unfollow`).FindString(p.body)
		if !strings.Contains(p.body, ">Pending<") || unfollow == "" {
			t.Fatalf("follows page after following:\n%s", p.body)
		}
		if p := b.get(unfollow); p.status != http.StatusOK || !strings.Contains(p.body, "Yes, stop following") {
			t.Fatalf("unfollow page = %d\n%s", p.status, p.body)
		}
		if p := b.post(unfollow, url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("unfollow = %d\n%s", p.status, p.body)
		}
		testrig.Eventually(t, "the Undo at the peer", func() bool { return len(peer.Received("Undo")) == 1 })
		if p := b.get("/admin/follows"); !strings.Contains(p.body, "This node follows no one yet.") {
			t.Errorf("follows page after unfollowing:\n%s", p.body)
		}

		want := []string{"asha@example.org unfollowed alice@" + host(peer.URL), "asha@example.org followed alice@" + host(peer.URL)}
		if got := auditLines(t, n); !slices.Equal(got, want) {
			t.Errorf("audit log = %q\nwant %q", got, want)
		}
	})
}

// TestFollowRequests: on a node that approves its followers by hand, an
// admin approves one request, rejects another and then removes the
// approved follower after confirming; each peer is told.
func TestFollowRequests(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { c.ManuallyApprovesFollowers = true }})
	addUser(t, n, "asha@example.org", access.RoleAdmin)
	b := newClient(t, n.URL)
	b.signIn("asha@example.org")
	ann, bob := testrig.StartRemote(t), testrig.StartRemote(t)
	for _, rm := range []*testrig.Remote{ann, bob} {
		r := rm.Post(t, n.URL+"/inbox", map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": rm.ActorIRI + "/follows/1", "type": "Follow", "actor": rm.ActorIRI, "object": n.URL + "/actors/" + n.Config.Handle})
		if r.Status != http.StatusAccepted {
			t.Fatalf("Follow: %d %s", r.Status, r.Body)
		}
	}
	var p answer
	testrig.Eventually(t, "two follow requests", func() bool {
		p = b.get("/admin/follows")
		return strings.Count(p.body, ">Pending<") == 2
	})
	csrf := csrfField.FindStringSubmatch(p.body)[1]
	id := func(rm *testrig.Remote, action string) string {
		row := regexp.MustCompile(`(?s)@alice@` + regexp.QuoteMeta(host(rm.URL)) + `.*?/admin/follows/followers/(\d+)/` + action)
		m := row.FindStringSubmatch(b.get("/admin/follows").body)
		if m == nil {
			t.Fatalf("no %s for %s", action, rm.ActorIRI)
		}
		return "/admin/follows/followers/" + m[1] + "/" + action
	}
	approve, reject := id(ann, "approve"), id(bob, "reject")
	for _, path := range []string{approve, reject} {
		if p := b.do(http.MethodPost, path, url.Values{"csrf_token": {csrf}}); p.status != http.StatusSeeOther {
			t.Fatalf("POST %s = %d\n%s", path, p.status, p.body)
		}
	}
	if p := b.do(http.MethodPost, approve, url.Values{"csrf_token": {csrf}}); p.status != http.StatusConflict {
		t.Errorf("approve twice = %d", p.status)
	}
	testrig.Eventually(t, "the Accept and the Reject", func() bool { return len(ann.Received("Accept")) == 1 && len(bob.Received("Reject")) == 1 })
	remove := id(ann, "remove")
	if p := b.get(remove); p.status != http.StatusOK || !strings.Contains(p.body, "Remove the follower alice@"+host(ann.URL)+"?") {
		t.Fatalf("remove page = %d\n%s", p.status, p.body)
	}
	if p := b.post(remove, url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("remove = %d\n%s", p.status, p.body)
	}
	testrig.Eventually(t, "the Reject of the removed follower", func() bool { return len(ann.Received("Reject")) == 1 })
	if p := b.get("/admin/follows"); !strings.Contains(p.body, "No one follows this node yet.") {
		t.Errorf("followers after removing:\n%s", p.body)
	}
	a, bb := "alice@"+host(ann.URL), "alice@"+host(bob.URL)
	want := []string{"asha@example.org removed follower " + a, "asha@example.org rejected follower " + bb, "asha@example.org approved follower " + a}
	if got := auditLines(t, n); !slices.Equal(got, want) {
		t.Errorf("audit log = %q\nwant %q", got, want)
	}
}

// host is the host:port of a base URL.
func host(base string) string {
	u, _ := url.Parse(base)
	return u.Host
}
