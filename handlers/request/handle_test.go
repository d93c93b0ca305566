package request_test

import (
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestHandleInAnotherCase: the actor, its collections and its page, asked
// for with the handle in another case, answer 301 to the canonical URL,
// which then answers; an unknown handle in any case stays a 404.
func TestHandleInAnotherCase(t *testing.T) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(t *testing.T, url, accept string) *http.Response {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", accept)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	testrig.EachNode(t, func(t *testing.T, n *testrig.Node) {
		cases := []struct{ path, canonical, accept string }{
			{"/@ORG", "/@org", "text/html"},
			{"/@Org?offset=0", "/@org?offset=0", "text/html"},
			{"/actors/ORG", "/actors/org", "application/activity+json"},
			{"/actors/oRg/outbox?page=1", "/actors/org/outbox?page=1", "application/activity+json"},
			{"/actors/ORG/followers", "/actors/org/followers", "application/activity+json"},
			{"/actors/ORG/following", "/actors/org/following", "application/activity+json"},
		}
		for _, c := range cases {
			resp := get(t, n.URL+c.path, c.accept)
			if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != n.URL+c.canonical {
				t.Errorf("GET %s = %d to %q, want 301 to %s", c.path, resp.StatusCode, resp.Header.Get("Location"), n.URL+c.canonical)
				continue
			}
			if resp := get(t, resp.Header.Get("Location"), c.accept); resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s = %d, want 200", c.canonical, resp.StatusCode)
			}
		}
		for _, path := range []string{"/@NOBODY", "/actors/NOBODY", "/actors/Nobody/outbox", "/actors/nobody"} {
			testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+path, nil, nil), http.StatusNotFound)
		}
		// A POST to an inbox is not redirected: a sender would not follow.
		rm := testrig.StartRemote(t)
		r := rm.Post(t, n.URL+"/actors/ORG/inbox", map[string]any{"type": "Follow"})
		if r.Status == http.StatusMovedPermanently {
			t.Errorf("POST to /actors/ORG/inbox redirected")
		}
	})
}
