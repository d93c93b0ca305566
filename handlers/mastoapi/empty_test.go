package mastoapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestStartUpLists: what clients ask at start-up answers valid empty
// JSON: the public lists without a token, a user's lists with a token
// (and a 401 without one).
func TestStartUpLists(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	auth := map[string]string{"Authorization": "Bearer " + n.Token}
	wantEmpty := func(path string, header map[string]string) {
		t.Helper()
		r := testrig.Do(t, http.MethodGet, n.URL+path, nil, header)
		if r.Status != http.StatusOK || strings.TrimSpace(string(r.Body)) != "[]" ||
			!strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s = %d %q %s, want 200 []", path, r.Status, r.Header.Get("Content-Type"), r.Body)
		}
	}
	for _, path := range []string{"/api/v1/custom_emojis", "/api/v1/trends", "/api/v1/trends/tags",
		"/api/v1/trends/statuses", "/api/v1/announcements"} {
		wantEmpty(path, nil)
	}
	for _, path := range []string{"/api/v1/lists", "/api/v1/filters", "/api/v2/filters", "/api/v1/followed_tags"} {
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+path, nil, nil), http.StatusUnauthorized)
		wantEmpty(path, auth)
	}
}

// TestPreferences: Mastodon's Preferences entity with its defaults.
func TestPreferences(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/api/v1/preferences", nil, nil), http.StatusUnauthorized)
	r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/preferences", nil, map[string]string{"Authorization": "Bearer " + n.Token})
	if r.Status != http.StatusOK {
		t.Fatalf("preferences = %d %s", r.Status, r.Body)
	}
	p := r.Map(t)
	want := map[string]any{
		"posting:default:visibility": "public", "posting:default:sensitive": false,
		"posting:default:language": nil, "reading:expand:media": "default", "reading:expand:spoilers": false,
	}
	for k, v := range want {
		if got, ok := p[k]; !ok || got != v {
			t.Errorf("preferences %s = %#v, want %#v", k, got, v)
		}
	}
}

// TestUnknownAPIPath: a path under /api that nothing serves is a JSON 404,
// with a token or without (never a 401), while Pollen's own admin routes
// still want their token.
func TestUnknownAPIPath(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	auth := map[string]string{"Authorization": "Bearer " + n.Token}
	wrong := map[string]string{"Authorization": "Bearer nope"}
	for _, path := range []string{"/api/v1/accounts/nothing/here", "/api/v1/timelines/list/1",
		"/api/v2/suggestions", "/api/v1/nothing/here", "/api/v3/anything"} {
		for _, h := range []map[string]string{nil, auth, wrong} {
			testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+path, nil, h), http.StatusNotFound)
		}
		testrig.WantError(t, testrig.Do(t, http.MethodPost, n.URL+path, "{}", nil), http.StatusNotFound)
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+path, nil,
			map[string]string{"Accept": "text/html"}), http.StatusNotFound)
	}
	for _, path := range []string{"/follows", "/followers", "/queue"} {
		testrig.WantError(t, testrig.Do(t, http.MethodGet, n.URL+"/api/v1"+path, nil, nil), http.StatusUnauthorized)
		if r := n.API(t, http.MethodGet, path, nil); r.Status != http.StatusOK {
			t.Errorf("GET %s with the admin token = %d %s", path, r.Status, r.Body)
		}
	}
	testrig.WantError(t, testrig.Do(t, http.MethodPost, n.URL+"/api/v1/case-studies", testrig.CaseStudyBody(), nil), http.StatusUnauthorized)
	if r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/case-studies", nil, nil); r.Status != http.StatusOK {
		t.Errorf("GET /api/v1/case-studies = %d", r.Status)
	}
}
