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

// accounts reads a list of Accounts from path with token ("" for none),
// and its Link header.
func accounts(t *testing.T, n *testrig.Node, path, token string) ([]map[string]any, string) {
	t.Helper()
	var header map[string]string
	if token != "" {
		header = bearer(token)
	}
	if !strings.HasPrefix(path, "http") {
		path = n.URL + path
	}
	r := testrig.Do(t, http.MethodGet, path, nil, header)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
	}
	var out []map[string]any
	r.Decode(t, &out)
	return out, r.Header.Get("Link")
}

// accts are the accts of a list of Accounts, checking that each has
// Mastodon's Account shape.
func accts(t *testing.T, list []map[string]any) []string {
	t.Helper()
	out := []string{}
	for _, a := range list {
		for _, k := range []string{"id", "username", "acct", "url", "avatar", "header", "created_at"} {
			if s, _ := a[k].(string); s == "" {
				t.Errorf("account %v: %s = %#v, want a string", a["acct"], k, a[k])
			}
		}
		if _, ok := a["fields"].([]any); !ok {
			t.Errorf("account %v: fields = %#v, want an array", a["acct"], a["fields"])
		}
		out = append(out, a["acct"].(string))
	}
	return out
}

// nextLink is the URL of a Link header's rel="next".
func nextLink(t *testing.T, link string) string {
	t.Helper()
	for _, part := range strings.Split(link, ",") {
		if strings.Contains(part, `rel="next"`) {
			u, _, _ := strings.Cut(strings.TrimSpace(part), ">")
			return strings.TrimPrefix(u, "<")
		}
	}
	t.Fatalf("Link %q has no next", link)
	return ""
}

// TestAccountFollows: the organisation's accepted followers and its
// follows, newest first, paged by follow id with a Link header; for a
// peer, what the node knows (the organisation, when the follow between
// them is accepted); no token needed; a JSON 404 for an unknown account.
func TestAccountFollows(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		alice, _ := peers(t, n)
		carol := alice.AddActor(t, "carol", "Carol")
		carol.Follow(t, n)
		host := strings.TrimPrefix(alice.URL, "http://")
		org := getAccount(t, n, "/api/v1/accounts/lookup?acct=org")["id"].(string)
		id := func(name string) string {
			return getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {name + "@" + host}}.Encode())["id"].(string)
		}
		a, b := id("alice"), id("bob")

		for _, c := range []struct {
			path string
			want []string
		}{
			{"/api/v1/accounts/" + org + "/followers", []string{"carol@" + host, "alice@" + host}},
			{"/api/v1/accounts/" + org + "/following", []string{"bob@" + host}},
			{"/api/v1/accounts/" + a + "/followers", []string{}},
			{"/api/v1/accounts/" + a + "/following", []string{"org"}},
			{"/api/v1/accounts/" + b + "/followers", []string{}}, // the organisation's follow is pending
			{"/api/v1/accounts/" + b + "/following", []string{}},
		} {
			list, _ := accounts(t, n, c.path, "")
			if got := accts(t, list); strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("%s = %v, want %v", c.path, got, c.want)
			}
		}

		// Paged one at a time, following the Link header to the end.
		list, link := accounts(t, n, "/api/v1/accounts/"+org+"/followers?limit=1", "")
		if got := accts(t, list); len(got) != 1 || got[0] != "carol@"+host || !strings.Contains(link, `rel="prev"`) {
			t.Fatalf("first page = %v, Link %q", got, link)
		}
		list, link = accounts(t, n, nextLink(t, link), "")
		if got := accts(t, list); len(got) != 1 || got[0] != "alice@"+host {
			t.Fatalf("second page = %v, Link %q", got, link)
		}
		if list, _ = accounts(t, n, nextLink(t, link), ""); len(list) != 0 {
			t.Errorf("third page = %v, want none", accts(t, list))
		}
		list, link = accounts(t, n, "/api/v1/accounts/"+a+"/following?limit=5", "")
		if len(list) != 1 || !strings.Contains(link, "max_id=") {
			t.Errorf("alice following = %v, Link %q", list, link)
		}
		if list, _ = accounts(t, n, nextLink(t, link), ""); len(list) != 0 {
			t.Errorf("alice following, next page = %v, want none", accts(t, list))
		}

		for path, status := range map[string]int{
			"/api/v1/accounts/999999/followers": http.StatusNotFound, "/api/v1/accounts/abc/following": http.StatusNotFound,
			"/api/v1/accounts/" + org + "/followers?max_id=abc": http.StatusUnprocessableEntity,
		} {
			testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+path, nil, nil), status)
		}

		c := mastodon.NewClient(&mastodon.Config{Server: n.URL, AccessToken: appToken(t, n, "read")})
		followers, err := c.GetAccountFollowers(context.Background(), mastodon.ID(org), nil)
		if err != nil || len(followers) != 2 || followers[0].Username != "carol" {
			t.Errorf("GetAccountFollowers = %v, %v", followers, err)
		}
		following, err := c.GetAccountFollowing(context.Background(), mastodon.ID(a), nil)
		if err != nil || len(following) != 1 || following[0].ID != mastodon.ID(org) {
			t.Errorf("GetAccountFollowing = %v, %v", following, err)
		}
	})
}
