package mastoapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mattn/go-mastodon"

	"github.com/pollen-coop/pollen/testrig"
)

// TestRelationships: the organisation's follows to and from each account,
// in Mastodon's Relationship shape, for a token with read:follows; an
// unknown ID is left out.
func TestRelationships(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		alice, bob := peers(t, n)
		host := func(r *testrig.Remote) string { return strings.TrimPrefix(r.URL, "http://") }
		org := getAccount(t, n, "/api/v1/accounts/lookup?acct=org")["id"].(string)
		a := getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {"alice@" + host(alice)}}.Encode())["id"].(string)
		b := getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {"bob@" + host(bob)}}.Encode())["id"].(string)

		path := n.URL + "/api/v1/accounts/relationships?" + url.Values{"id[]": {a, b, "999999", org}}.Encode()
		testrig.WantError(t, testrig.Do(t, http.MethodGet, path, nil, nil), http.StatusUnauthorized)
		testrig.WantError(t, testrig.Do(t, http.MethodGet, path, nil, bearer(appToken(t, n, "write"))), http.StatusForbidden)
		for _, token := range []string{n.Token, appToken(t, n, "read:follows")} {
			r := testrig.Do(t, http.MethodGet, path, nil, bearer(token))
			if r.Status != http.StatusOK {
				t.Fatalf("relationships = %d %s", r.Status, r.Body)
			}
			var rels []map[string]any
			r.Decode(t, &rels)
			if len(rels) != 3 || rels[0]["id"] != a || rels[1]["id"] != b || rels[2]["id"] != org {
				t.Fatalf("relationships = %s, want alice, bob and the organisation", r.Body)
			}
			want := map[string][]bool{ // following, requested, followed_by, requested_by, showing_reblogs
				a: {false, false, true, false, false}, b: {false, true, false, false, true}, org: {false, false, false, false, false},
			}
			for _, rel := range rels {
				w := want[rel["id"].(string)]
				for i, k := range []string{"following", "requested", "followed_by", "requested_by", "showing_reblogs"} {
					if rel[k] != w[i] {
						t.Errorf("%s %s = %v, want %v", rel["id"], k, rel[k], w[i])
					}
				}
				for _, k := range []string{"notifying", "blocking", "blocked_by", "muting", "muting_notifications",
					"domain_blocking", "endorsed"} {
					if rel[k] != false {
						t.Errorf("%s %s = %v, want false", rel["id"], k, rel[k])
					}
				}
				if rel["note"] != "" {
					t.Errorf("%s note = %v", rel["id"], rel["note"])
				}
			}
		}
		r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/accounts/relationships?id="+b, nil, bearer(n.Token))
		var one []map[string]any
		if r.Decode(t, &one); len(one) != 1 || one[0]["requested"] != true {
			t.Errorf("relationships?id= = %s", r.Body)
		}

		// Each account once, in the order first named.
		r = testrig.Do(t, http.MethodGet, n.URL+"/api/v1/accounts/relationships?"+url.Values{"id[]": {b, a, b, a, "x"}}.Encode(), nil, bearer(n.Token))
		var twice []map[string]any
		if r.Decode(t, &twice); len(twice) != 2 || twice[0]["id"] != b || twice[1]["id"] != a {
			t.Errorf("relationships with repeats = %s, want bob then alice", r.Body)
		}
		// At most 40 ids: 40 answer, 41 are refused before any work.
		forty := make([]string, 40)
		for i := range forty {
			forty[i] = a
		}
		if r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/accounts/relationships?"+url.Values{"id[]": forty}.Encode(), nil, bearer(n.Token)); r.Status != http.StatusOK {
			t.Errorf("40 ids = %d %s", r.Status, r.Body)
		}
		r = testrig.Do(t, http.MethodGet, n.URL+"/api/v1/accounts/relationships?"+url.Values{"id[]": append(forty, b)}.Encode(), nil, bearer(n.Token))
		testrig.WantError(t, r, http.StatusUnprocessableEntity, "too many ids")
	})
}

// TestGoMastodonAccounts: go-mastodon reads the user's account, an
// account by ID and the relationships.
func TestGoMastodonAccounts(t *testing.T) {
	ctx := context.Background()
	n := testrig.StartNode(t, testrig.Options{})
	alice, _ := peers(t, n)
	c := mastodon.NewClient(&mastodon.Config{Server: n.URL, AccessToken: appToken(t, n, "read")})
	me, err := c.GetAccountCurrentUser(ctx)
	if err != nil || me.Username != "org" || me.Acct != "org" || me.DisplayName != "Test Council" || me.Source == nil ||
		me.Source.Privacy == nil || *me.Source.Privacy != "public" {
		t.Fatalf("GetAccountCurrentUser = %+v, %v", me, err)
	}
	again, err := c.GetAccount(ctx, me.ID)
	if err != nil || again.ID != me.ID || again.Username != "org" {
		t.Fatalf("GetAccount(%s) = %+v, %v", me.ID, again, err)
	}
	if _, err := c.GetAccount(ctx, "999999"); err == nil {
		t.Error("GetAccount of an unknown id succeeded")
	}
	peer, err := c.AccountLookup(ctx, "alice@"+strings.TrimPrefix(alice.URL, "http://"))
	if err != nil || peer.Username != "alice" {
		t.Fatalf("AccountLookup = %+v, %v", peer, err)
	}
	rels, err := c.GetAccountRelationships(ctx, []string{string(peer.ID)})
	if err != nil || len(rels) != 1 || !rels[0].FollowedBy || rels[0].Following {
		t.Fatalf("GetAccountRelationships = %+v, %v", rels, err)
	}
}
