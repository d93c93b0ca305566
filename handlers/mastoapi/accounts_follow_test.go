package mastoapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mattn/go-mastodon"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// userToken signs a new user of role in to an app through the OAuth code
// flow, as a Mastodon client does, and returns the user's access token
// granting scope.
func userToken(t *testing.T, n *testrig.Node, role access.Role, scope string) string {
	t.Helper()
	ctx := context.Background()
	u, err := n.Accounts.CreateUser(ctx, string(role)+"-"+strings.NewReplacer(":", "-", " ", "-").Replace(scope)+"@example.org", role, "a long enough passphrase")
	if err != nil {
		t.Fatal(err)
	}
	app, err := n.OAuth.CreateApp(ctx, access.AppInput{Name: "Tusky", RedirectURIs: []string{access.OOB}, Scopes: "read write follow"})
	if err != nil {
		t.Fatal(err)
	}
	consent, err := n.OAuth.CheckAuthorize(ctx, access.AuthorizeRequest{ClientID: app.ClientID, RedirectURI: access.OOB, ResponseType: "code", Scope: scope})
	if err != nil {
		t.Fatal(err)
	}
	code, err := n.OAuth.Grant(ctx, consent, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := n.OAuth.Exchange(ctx, access.TokenRequest{GrantType: "authorization_code", ClientID: app.ClientID, ClientSecret: app.ClientSecret, Code: code})
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

// relationship reads the organisation's Relationship to the account id.
func relationship(t *testing.T, n *testrig.Node, id string) map[string]any {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/accounts/relationships?id[]="+id, nil, bearer(n.Token))
	var rels []map[string]any
	if r.Decode(t, &rels); r.Status != http.StatusOK || len(rels) != 1 {
		t.Fatalf("relationships of %s = %d %s", id, r.Status, r.Body)
	}
	return rels[0]
}

// wantRelationship checks the keys of a Relationship that Pollen sets.
func wantRelationship(t *testing.T, what string, rel map[string]any, id string, following, requested, followedBy, requestedBy bool) {
	t.Helper()
	if rel["id"] != id {
		t.Errorf("%s: id %v, want %s", what, rel["id"], id)
	}
	for k, want := range map[string]bool{"following": following, "requested": requested, "followed_by": followedBy,
		"requested_by": requestedBy, "blocking": false, "muting": false, "endorsed": false} {
		if rel[k] != want {
			t.Errorf("%s: %s = %v, want %v", what, k, rel[k], want)
		}
	}
}

// TestFollowAccount: following a peer by its account id sends a Follow
// and answers the Relationship, requested until the peer accepts;
// unfollowing sends the Undo and forgets the follow. Bodies come empty,
// as JSON or as a form; admin API tokens and an admin's OAuth token may.
func TestFollowAccount(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		alice, bob := peers(t, n)
		host := strings.TrimPrefix(alice.URL, "http://")
		a := getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {"alice@" + host}}.Encode())["id"].(string)
		b := getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {"bob@" + host}}.Encode())["id"].(string)
		admin := userToken(t, n, access.RoleAdmin, "write:follows")
		testrig.Eventually(t, "the Follow reaching bob", func() bool { return len(bob.Received("Follow")) > 0 })
		before := len(alice.Received("Follow")) // alice and bob share a host and its inbox
		for i, c := range []struct {
			token string
			body  any
		}{{admin, nil}, {n.Token, map[string]any{"reblogs": true}}, {userToken(t, n, access.RoleAdmin, "follow"), url.Values{"notify": {"false"}}}} {
			r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/accounts/"+a+"/follow", c.body, bearer(c.token))
			if r.Status != http.StatusOK {
				t.Fatalf("follow %d = %d %s", i, r.Status, r.Body)
			}
			wantRelationship(t, "follow", r.Map(t), a, false, true, true, false)
			testrig.Eventually(t, "the Follow reaching alice", func() bool { return len(alice.Received("Follow")) > before+i })
		}
		if follow := alice.Received("Follow")[before]; !strings.Contains(string(follow.Body), `"object":"`+alice.ActorIRI+`"`) {
			t.Errorf("Follow = %s, want alice as its object", follow.Body)
		}
		wantRelationship(t, "after follow", relationship(t, n, a), a, false, true, true, false)
		// Alice accepts the last Follow: the organisation follows her.
		last := alice.Received("Follow")[len(alice.Received("Follow"))-1]
		if r := alice.Post(t, n.URL+"/inbox", map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": alice.ActorIRI + "/accepts/1", "type": "Accept",
			"actor": alice.ActorIRI, "object": last.ID,
		}); r.Status != http.StatusAccepted {
			t.Fatalf("Accept: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "the follow of alice accepted", func() bool { return relationship(t, n, a)["following"] == true })
		wantRelationship(t, "accepted", relationship(t, n, a), a, true, false, true, false)

		r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/accounts/"+b+"/unfollow", nil, bearer(admin))
		if r.Status != http.StatusOK {
			t.Fatalf("unfollow = %d %s", r.Status, r.Body)
		}
		wantRelationship(t, "unfollow", r.Map(t), b, false, false, false, false)
		testrig.Eventually(t, "the Undo reaching bob", func() bool { return len(bob.Received("Undo")) > 0 })
		wantRelationship(t, "after unfollow", relationship(t, n, b), b, false, false, false, false)
		// Unfollowing again changes nothing and answers the same.
		if r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/accounts/"+b+"/unfollow", nil, bearer(admin)); r.Status != http.StatusOK {
			t.Errorf("unfollow again = %d %s", r.Status, r.Body)
		}

		c := mastodon.NewClient(&mastodon.Config{Server: n.URL, AccessToken: admin})
		ctx := context.Background()
		if rel, err := c.AccountFollow(ctx, mastodon.ID(b)); err != nil || !rel.Requested || rel.Following {
			t.Errorf("AccountFollow = %+v, %v", rel, err)
		}
		if rel, err := c.AccountUnfollow(ctx, mastodon.ID(b)); err != nil || rel.Requested || rel.Following {
			t.Errorf("AccountUnfollow = %+v, %v", rel, err)
		}
	})
}

// TestFollowBadInput: no token 401, a token without write:follows 403,
// an app's token without a user 422, an editor 403, an unknown account
// 404, the organisation itself 422, a malformed body 400; none of them
// sends or changes anything.
func TestFollowBadInput(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		alice, bob := peers(t, n)
		host := strings.TrimPrefix(alice.URL, "http://")
		a := getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {"alice@" + host}}.Encode())["id"].(string)
		b := getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {"bob@" + host}}.Encode())["id"].(string)
		org := getAccount(t, n, "/api/v1/accounts/lookup?acct=org")["id"].(string)
		read := userToken(t, n, access.RoleAdmin, "read")
		editor := userToken(t, n, access.RoleEditor, "write")
		app := appToken(t, n, "write:follows")
		testrig.Eventually(t, "the Follow reaching bob", func() bool { return len(bob.Received("Follow")) > 0 })
		sent := len(alice.Received("")) // alice and bob share a host and its inbox
		for _, c := range []struct {
			name, path string
			token      string
			body       any
			status     int
		}{
			{"no token", "/api/v1/accounts/" + a + "/follow", "", nil, http.StatusUnauthorized},
			{"bad token", "/api/v1/accounts/" + a + "/follow", "nonsense", nil, http.StatusUnauthorized},
			{"read only", "/api/v1/accounts/" + a + "/follow", read, nil, http.StatusForbidden},
			{"app only", "/api/v1/accounts/" + a + "/follow", app, nil, http.StatusUnprocessableEntity},
			{"editor", "/api/v1/accounts/" + a + "/follow", editor, nil, http.StatusForbidden},
			{"unknown", "/api/v1/accounts/999999/follow", n.Token, nil, http.StatusNotFound},
			{"not a number", "/api/v1/accounts/abc/follow", n.Token, nil, http.StatusNotFound},
			{"itself", "/api/v1/accounts/" + org + "/follow", n.Token, nil, http.StatusUnprocessableEntity},
			{"bad body", "/api/v1/accounts/" + a + "/follow", n.Token, map[string]any{"reblogs": "perhaps"}, http.StatusUnprocessableEntity},
			{"unfollow no token", "/api/v1/accounts/" + b + "/unfollow", "", nil, http.StatusUnauthorized},
			{"unfollow read only", "/api/v1/accounts/" + b + "/unfollow", read, nil, http.StatusForbidden},
			{"unfollow editor", "/api/v1/accounts/" + b + "/unfollow", editor, nil, http.StatusForbidden},
			{"unfollow unknown", "/api/v1/accounts/999999/unfollow", n.Token, nil, http.StatusNotFound},
		} {
			var header map[string]string
			if c.token != "" {
				header = bearer(c.token)
			}
			r := testrig.Do(t, http.MethodPost, n.URL+c.path, c.body, header)
			if r.Status != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, r.Status, r.Body, c.status)
				continue
			}
			testrig.WantError(t, r, c.status)
		}
		wantRelationship(t, "alice after", relationship(t, n, a), a, false, false, true, false)
		wantRelationship(t, "bob after", relationship(t, n, b), b, false, true, false, false)
		if got := len(alice.Received("")); got != sent {
			t.Errorf("bad input sent %d activities", got-sent)
		}
	})
}
