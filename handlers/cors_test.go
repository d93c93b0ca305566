package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestCORSPreflight: a browser app on another site may call the APIs, the
// OAuth token endpoints, the well-known documents and NodeInfo: the
// preflight is answered 204 with what it may send, before any token check,
// and the security headers stay.
func TestCORSPreflight(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	preflight := map[string]string{
		"Origin": "https://elk.zone", "Access-Control-Request-Method": "POST",
		"Access-Control-Request-Headers": "authorization,content-type",
	}
	for _, path := range []string{"/api/v1/instance", "/api/v2/instance", "/api/v1/follows", "/api/v1/statuses",
		"/oauth/token", "/oauth/revoke", "/.well-known/webfinger", "/.well-known/oauth-authorization-server",
		"/.well-known/nodeinfo", "/nodeinfo/2.1"} {
		r := testrig.Do(t, http.MethodOptions, n.URL+path, nil, preflight)
		h := r.Header
		if r.Status != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("OPTIONS %s = %d, Allow-Origin %q", path, r.Status, h.Get("Access-Control-Allow-Origin"))
			continue
		}
		methods, headers := h.Get("Access-Control-Allow-Methods"), strings.ToLower(h.Get("Access-Control-Allow-Headers"))
		for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
			if !strings.Contains(methods, m) {
				t.Errorf("OPTIONS %s: Allow-Methods %q lacks %s", path, methods, m)
			}
		}
		if !strings.Contains(headers, "authorization") || !strings.Contains(headers, "content-type") {
			t.Errorf("OPTIONS %s: Allow-Headers %q", path, headers)
		}
		if h.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("OPTIONS %s allows credentials", path)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Security-Policy") == "" {
			t.Errorf("OPTIONS %s lost the security headers: %v", path, h)
		}
	}
}

// TestCORSSimple: an answer to another site's script names any origin and
// exposes Link; the pages, the sign-in form and the inboxes answer no
// other site.
func TestCORSSimple(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	origin := map[string]string{"Origin": "https://phanpy.social"}
	for _, path := range []string{"/api/v1/instance", "/api/v1/case-studies", "/nodeinfo/2.0", "/.well-known/nodeinfo"} {
		r := testrig.Do(t, http.MethodGet, n.URL+path, nil, origin)
		if r.Status != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "Link") {
			t.Errorf("GET %s = %d, CORS headers %v", path, r.Status, r.Header)
		}
	}
	// An unknown API path and a refused token answer other sites too, so
	// that their scripts can read the error.
	for _, path := range []string{"/api/v1/nothing", "/api/v1/queue"} {
		if r := testrig.Do(t, http.MethodGet, n.URL+path, nil, origin); r.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("GET %s = %d without Allow-Origin", path, r.Status)
		}
	}
	preflight := map[string]string{"Origin": "https://elk.zone", "Access-Control-Request-Method": "POST"}
	for _, path := range []string{"/", "/sign-in", "/inbox", "/actors/org/inbox", "/tags/libraries", "/static/pollen.css"} {
		for _, m := range []string{http.MethodGet, http.MethodOptions} {
			h := preflight
			if m == http.MethodGet {
				h = origin
			}
			r := testrig.Do(t, m, n.URL+path, nil, h)
			if v := r.Header.Get("Access-Control-Allow-Origin"); v != "" {
				t.Errorf("%s %s: Allow-Origin %q, want none", m, path, v)
			}
		}
	}
}
