package mastoapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// appToken registers an app and mints a client-credentials token with
// scope through the node's OAuth routes: a token of no user, for the
// 403 of a route needing another scope.
func appToken(t *testing.T, n *testrig.Node, scope string) string {
	t.Helper()
	r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/apps", url.Values{"client_name": {"toot"},
		"redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read write follow"}}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("register app: %d %s", r.Status, r.Body)
	}
	app := r.Map(t)
	r = testrig.Do(t, http.MethodPost, n.URL+"/oauth/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {app["client_id"].(string)}, "client_secret": {app["client_secret"].(string)}, "scope": {scope}}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("token: %d %s", r.Status, r.Body)
	}
	return r.Map(t)["access_token"].(string)
}

// bearer is the Authorization header of token.
func bearer(token string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + token}
}

// TestVerifyCredentials: the organisation's CredentialAccount, as toot
// and Mastodon.py read it after signing in: 401 without a token, 403
// with a token lacking read:accounts.
func TestVerifyCredentials(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		n.Publish(t, testrig.CaseStudyBody())
		host := strings.TrimPrefix(n.URL, "http://")
		path := n.URL + "/api/v1/accounts/verify_credentials"
		testrig.WantError(t, testrig.Do(t, http.MethodGet, path, nil, nil), http.StatusUnauthorized)
		testrig.WantError(t, testrig.Do(t, http.MethodGet, path, nil, bearer(appToken(t, n, "write"))), http.StatusForbidden)

		for _, token := range []string{n.Token, appToken(t, n, "read:accounts"), appToken(t, n, "profile")} {
			r := testrig.Do(t, http.MethodGet, path, nil, bearer(token))
			if r.Status != http.StatusOK {
				t.Fatalf("verify_credentials = %d %s", r.Status, r.Body)
			}
			a := r.Map(t)
			account(t, a, host)
			src, _ := a["source"].(map[string]any)
			if src == nil || src["privacy"] != "public" || src["sensitive"] != false || src["language"] != "en" ||
				src["follow_requests_count"] != 0.0 {
				t.Fatalf("source = %v", a["source"])
			}
			if note, _ := src["note"].(string); strings.Contains(note, "<") || note == "" {
				t.Errorf("source.note = %q, want the summary as plain text", note)
			}
			if f, _ := src["fields"].([]any); len(f) != len(a["fields"].([]any)) {
				t.Errorf("source.fields = %v", src["fields"])
			}
		}
	})
}
