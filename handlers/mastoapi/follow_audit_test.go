package mastoapi_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// TestFollowsAudited: a follow made through the JSON API (an admin
// token) and follows, unfollows and a follower removed through the Mastodon
// API (an admin's OAuth token) are in the audit log with who made them,
// as the admin area's are.
func TestFollowsAudited(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	alice, _ := peers(t, n) // the API follows bob; alice follows the node
	host := strings.TrimPrefix(alice.URL, "http://")
	a := getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {"alice@" + host}}.Encode())["id"].(string)
	b := getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {"bob@" + host}}.Encode())["id"].(string)
	admin := userToken(t, n, access.RoleAdmin, "write:follows follow")
	for _, path := range []string{"/api/v1/accounts/" + a + "/follow", "/api/v1/accounts/" + b + "/unfollow", "/api/v1/follow_requests/" + a + "/reject"} {
		if r := testrig.Do(t, http.MethodPost, n.URL+path, nil, bearer(admin)); r.Status != http.StatusOK {
			t.Fatalf("POST %s = %d %s", path, r.Status, r.Body)
		}
	}
	rows, _, err := n.Store.Audit.List(context.Background(), 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Who+" "+r.Action+" "+r.Target)
	}
	user := "admin-write-follows-follow@example.org"
	for _, want := range []string{
		"admin token followed bob@" + host,
		user + " followed alice@" + host,
		user + " unfollowed bob@" + host,
		user + " rejected follower alice@" + host,
	} {
		if !slices.Contains(got, want) {
			t.Errorf("the audit log misses %q:\n%s", want, strings.Join(got, "\n"))
		}
	}
}
