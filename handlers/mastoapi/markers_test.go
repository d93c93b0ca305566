package mastoapi_test

import (
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/service/access"
	"github.com/pollen-coop/pollen/testrig"
)

// markers reads the markers of path with token.
func markers(t *testing.T, n *testrig.Node, method, path string, body any, header map[string]string) (int, map[string]map[string]any) {
	t.Helper()
	r := testrig.Do(t, method, n.URL+path, body, header)
	var out map[string]map[string]any
	if r.Status == http.StatusOK {
		r.Decode(t, &out)
	}
	return r.Status, out
}

func with(h map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for key, val := range h {
		out[key] = val
	}
	return out
}

// TestMarkers: a user's markers, moved with a form or JSON, each move one
// version on, read back by timeline; each user (and the admin token) has
// its own; bad input is a 422 that changes nothing, a token without the
// scope a 403, an app's token without a user a 422.
func TestMarkers(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db})
		user := bearer(userToken(t, n, access.RoleEditor, "read write"))
		form := with(user, "Content-Type", "application/x-www-form-urlencoded")
		const get = "/api/v1/markers?timeline[]=home&timeline[]=notifications"
		if status, got := markers(t, n, http.MethodGet, get, nil, user); status != http.StatusOK || len(got) != 0 {
			t.Fatalf("no markers yet: %d %v", status, got)
		}
		status, got := markers(t, n, http.MethodPost, "/api/v1/markers", "home%5Blast_read_id%5D=103", form)
		if status != http.StatusOK || got["home"]["last_read_id"] != "103" || got["home"]["version"] != float64(1) ||
			got["home"]["updated_at"] == "" || got["notifications"] != nil {
			t.Fatalf("form POST = %d %v", status, got)
		}
		status, got = markers(t, n, http.MethodPost, "/api/v1/markers",
			map[string]any{"home": map[string]any{"last_read_id": "107"}, "notifications": map[string]any{"last_read_id": 5}}, user)
		if status != http.StatusOK || got["home"]["last_read_id"] != "107" || got["home"]["version"] != float64(2) ||
			got["notifications"]["last_read_id"] != "5" || got["notifications"]["version"] != float64(1) {
			t.Fatalf("JSON POST = %d %v", status, got)
		}
		for _, tc := range []struct {
			name   string
			body   any
			header map[string]string
			status int
		}{
			{"nothing", map[string]any{}, user, http.StatusUnprocessableEntity},
			{"not an id", map[string]any{"home": map[string]any{"last_read_id": "x"}}, user, http.StatusUnprocessableEntity},
			{"empty", "home%5Blast_read_id%5D=", form, http.StatusUnprocessableEntity},
			{"one bad of two", map[string]any{"home": map[string]any{"last_read_id": "1"}, "notifications": map[string]any{"last_read_id": "-1"}}, user, http.StatusUnprocessableEntity},
			{"no write scope", map[string]any{"home": map[string]any{"last_read_id": "1"}}, bearer(userToken(t, n, access.RoleEditor, "read:statuses")), http.StatusForbidden},
			{"app without user", map[string]any{"home": map[string]any{"last_read_id": "1"}}, bearer(appToken(t, n, "write:statuses")), http.StatusUnprocessableEntity},
		} {
			if status, _ := markers(t, n, http.MethodPost, "/api/v1/markers", tc.body, tc.header); status != tc.status {
				t.Errorf("%s: %d, want %d", tc.name, status, tc.status)
			}
		}
		status, got = markers(t, n, http.MethodGet, get, nil, user)
		if status != http.StatusOK || got["home"]["last_read_id"] != "107" || got["home"]["version"] != float64(2) ||
			got["notifications"]["last_read_id"] != "5" {
			t.Errorf("GET after refusals = %d %v", status, got)
		}
		if status, got := markers(t, n, http.MethodGet, "/api/v1/markers?timeline[]=home", nil, user); status != http.StatusOK || len(got) != 1 {
			t.Errorf("GET home only = %d %v", status, got)
		}
		if status, _ := markers(t, n, http.MethodGet, get, nil, bearer(userToken(t, n, access.RoleEditor, "read:notifications"))); status != http.StatusForbidden {
			t.Errorf("GET without read:statuses = %d, want 403", status)
		}

		// Another user, and the admin token, have their own.
		other := bearer(userToken(t, n, access.RoleAdmin, "read write"))
		if status, got := markers(t, n, http.MethodGet, get, nil, other); status != http.StatusOK || len(got) != 0 {
			t.Errorf("another user's markers = %d %v", status, got)
		}
		admin := bearer(n.Token)
		if status, got := markers(t, n, http.MethodPost, "/api/v1/markers", map[string]any{"home": map[string]any{"last_read_id": "9"}}, admin); status != http.StatusOK || got["home"]["version"] != float64(1) {
			t.Errorf("admin token POST = %d %v", status, got)
		}
		if status, got := markers(t, n, http.MethodGet, get, nil, user); status != http.StatusOK || got["home"]["last_read_id"] != "107" {
			t.Errorf("the user's markers after the admin's = %d %v", status, got)
		}
	})
}
