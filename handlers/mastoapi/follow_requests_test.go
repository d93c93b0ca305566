package mastoapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mattn/go-mastodon"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// askToFollow makes rm's actor ask to follow the node's organisation,
// which approves followers by hand, without waiting for an answer.
func askToFollow(t *testing.T, n *testrig.Node, rm *testrig.Remote) {
	t.Helper()
	r := rm.Post(t, n.URL+"/inbox", map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       rm.ActorIRI + "/follows/org", "type": "Follow", "actor": rm.ActorIRI, "object": n.URL + "/actors/org",
	})
	if r.Status != http.StatusAccepted {
		t.Fatalf("Follow: %d %s", r.Status, r.Body)
	}
}

// TestFollowRequests: the accounts asking to follow a node that approves
// followers by hand, newest first, paged with a Link header; authorising
// one sends the Accept and makes it a follower, rejecting one sends the
// Reject and forgets it; each answers the Relationship.
func TestFollowRequests(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: manual})
		alice := testrig.StartRemote(t)
		carol := alice.AddActor(t, "carol", "Carol")
		host := strings.TrimPrefix(alice.URL, "http://")
		askToFollow(t, n, alice)
		askToFollow(t, n, carol)
		read := userToken(t, n, access.RoleEditor, "read:follows")
		testrig.Eventually(t, "two follow requests", func() bool {
			list, _ := accounts(t, n, "/api/v1/follow_requests", read)
			return len(list) == 2
		})
		list, link := accounts(t, n, "/api/v1/follow_requests?limit=1", read)
		if got := accts(t, list); len(got) != 1 || got[0] != "carol@"+host {
			t.Fatalf("first page = %v", got)
		}
		list, _ = accounts(t, n, nextLink(t, link), read)
		if got := accts(t, list); len(got) != 1 || got[0] != "alice@"+host {
			t.Fatalf("second page = %v", got)
		}
		a := list[0]["id"].(string)
		wantRelationship(t, "requesting", relationship(t, n, a), a, false, false, false, true)

		c := mastodon.NewClient(&mastodon.Config{Server: n.URL, AccessToken: userToken(t, n, access.RoleAdmin, "follow")})
		ctx := context.Background()
		reqs, err := c.GetFollowRequests(ctx, nil)
		if err != nil || len(reqs) != 2 {
			t.Fatalf("GetFollowRequests = %v, %v", reqs, err)
		}
		if err := c.FollowRequestAuthorize(ctx, mastodon.ID(a)); err != nil {
			t.Fatalf("FollowRequestAuthorize: %v", err)
		}
		testrig.Eventually(t, "the Accept", func() bool { return len(alice.Received("Accept")) == 1 })
		wantRelationship(t, "authorised", relationship(t, n, a), a, false, false, true, false)

		r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/follow_requests/"+string(reqs[0].ID)+"/reject", url.Values{}, bearer(n.Token))
		if r.Status != http.StatusOK {
			t.Fatalf("reject = %d %s", r.Status, r.Body)
		}
		wantRelationship(t, "reject", r.Map(t), string(reqs[0].ID), false, false, false, false)
		testrig.Eventually(t, "the Reject", func() bool { return len(alice.Received("Reject")) == 1 })
		if list, _ := accounts(t, n, "/api/v1/follow_requests", read); len(list) != 0 {
			t.Errorf("follow requests after answering = %v", accts(t, list))
		}
	})
}

// manual makes a node approve its followers by hand.
func manual(c *config.Config) { c.ManuallyApprovesFollowers = true }

// TestFollowRequestsBadInput: no token 401, a token without the scope
// 403, an app's token without a user 422, an editor 403, an unknown
// account or one that does not ask 404; none of them answers the request
// or sends anything.
func TestFollowRequestsBadInput(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: manual})
		alice := testrig.StartRemote(t)
		askToFollow(t, n, alice)
		testrig.Eventually(t, "the follow request", func() bool {
			list, _ := accounts(t, n, "/api/v1/follow_requests", n.Token)
			return len(list) == 1
		})
		list, _ := accounts(t, n, "/api/v1/follow_requests", n.Token)
		a := list[0]["id"].(string)
		org := getAccount(t, n, "/api/v1/accounts/lookup?acct=org")["id"].(string)
		read := userToken(t, n, access.RoleAdmin, "read")
		editor := userToken(t, n, access.RoleEditor, "write")
		app := appToken(t, n, "follow")
		sent := len(alice.Received(""))
		for _, c := range []struct {
			name, method, path, token string
			status                    int
		}{
			{"list, no token", http.MethodGet, "/api/v1/follow_requests", "", http.StatusUnauthorized},
			{"list, write only", http.MethodGet, "/api/v1/follow_requests", appToken(t, n, "write"), http.StatusForbidden},
			{"no token", http.MethodPost, "/api/v1/follow_requests/" + a + "/authorize", "", http.StatusUnauthorized},
			{"read only", http.MethodPost, "/api/v1/follow_requests/" + a + "/authorize", read, http.StatusForbidden},
			{"app only", http.MethodPost, "/api/v1/follow_requests/" + a + "/authorize", app, http.StatusUnprocessableEntity},
			{"editor", http.MethodPost, "/api/v1/follow_requests/" + a + "/reject", editor, http.StatusForbidden},
			{"unknown", http.MethodPost, "/api/v1/follow_requests/999999/authorize", n.Token, http.StatusNotFound},
			{"not a number", http.MethodPost, "/api/v1/follow_requests/abc/reject", n.Token, http.StatusNotFound},
			{"not asking", http.MethodPost, "/api/v1/follow_requests/" + org + "/authorize", n.Token, http.StatusNotFound},
		} {
			var header map[string]string
			if c.token != "" {
				header = bearer(c.token)
			}
			r := testrig.Do(t, c.method, n.URL+c.path, nil, header)
			if r.Status != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, r.Status, r.Body, c.status)
				continue
			}
			testrig.WantError(t, r, c.status)
		}
		wantRelationship(t, "after", relationship(t, n, a), a, false, false, false, true)
		if got := len(alice.Received("")); got != sent {
			t.Errorf("bad input sent %d activities", got-sent)
		}
	})
}
