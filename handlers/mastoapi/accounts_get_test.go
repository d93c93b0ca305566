package mastoapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// peers makes two remote actors known to the node: alice follows the
// organisation (accepted), the organisation asked to follow bob (pending,
// as bob never answers).
func peers(t *testing.T, n *testrig.Node) (alice, bob *testrig.Remote) {
	t.Helper()
	alice = testrig.StartRemote(t)
	bob = alice.AddActor(t, "bob", "Bob")
	alice.Follow(t, n)
	if r := n.API(t, http.MethodPost, "/follows", map[string]string{"target": bob.ActorIRI}); r.Status != http.StatusAccepted {
		t.Fatalf("follow bob: %d %s", r.Status, r.Body)
	}
	return alice, bob
}

// getAccount reads an Account from path, without a token.
func getAccount(t *testing.T, n *testrig.Node, path string) map[string]any {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, n.URL+path, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
	}
	return r.Map(t)
}

// TestGetAccount: an account by ID and by address, the organisation's
// and a peer's, with no token; a JSON 404 for what names no actor.
func TestGetAccount(t *testing.T) {
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		n.Publish(t, testrig.CaseStudyBody())
		host := strings.TrimPrefix(n.URL, "http://")
		alice, _ := peers(t, n)

		org := getAccount(t, n, "/api/v1/accounts/lookup?acct=org")
		account(t, org, host)
		id := org["id"].(string)
		account(t, getAccount(t, n, "/api/v1/accounts/"+id), host)
		for _, acct := range []string{"@org", "org@" + host, "ORG"} {
			if a := getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {acct}}.Encode()); a["id"] != id {
				t.Errorf("lookup %s = %v, want %s", acct, a["id"], id)
			}
		}

		aliceHost := strings.TrimPrefix(alice.URL, "http://")
		a := getAccount(t, n, "/api/v1/accounts/lookup?"+url.Values{"acct": {"alice@" + aliceHost}}.Encode())
		if a["username"] != "alice" || a["acct"] != "alice@"+aliceHost || a["display_name"] != "Alice" ||
			a["url"] != alice.URL+"/@alice" || a["uri"] != alice.ActorIRI || a["id"] == id || a["bot"] != false {
			t.Errorf("alice = %v", a)
		}
		for _, k := range []string{"avatar", "header", "created_at", "note"} {
			if _, ok := a[k].(string); !ok {
				t.Errorf("alice %s = %#v, want a string", k, a[k])
			}
		}
		if f, ok := a["fields"].([]any); !ok || f == nil {
			t.Errorf("alice fields = %#v, want an array", a["fields"])
		}
		if b := getAccount(t, n, "/api/v1/accounts/"+a["id"].(string)); b["acct"] != a["acct"] || b["id"] != a["id"] {
			t.Errorf("alice by id = %v", b)
		}

		for _, path := range []string{"/api/v1/accounts/999999", "/api/v1/accounts/abc", "/api/v1/accounts/-1",
			"/api/v1/accounts/lookup?acct=nobody@nowhere.example", "/api/v1/accounts/lookup?acct=nobody",
			"/api/v1/accounts/lookup"} {
			r := testrig.Do(t, http.MethodGet, n.URL+path, nil, nil)
			testrig.WantError(t, r, http.StatusNotFound)
			if e, _ := r.Map(t)["error"].(string); e == "" {
				t.Errorf("GET %s: %s, want a JSON error", path, r.Body)
			}
		}
	})
}
