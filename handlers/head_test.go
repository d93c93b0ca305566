package handlers_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestHead: a HEAD request is answered as the GET of the same address,
// with its status and headers and no body; an address with no GET is
// answered as its GET would be (405 or 404).
func TestHead(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{})
	slug := n.Publish(t, testrig.CaseStudyBody())["slug"].(string)
	for _, tt := range []struct {
		name, path, accept string
		status             int
	}{
		{"feed page", "/feed", "text/html", http.StatusOK},
		{"case study page", "/case-studies/" + slug, "text/html", http.StatusOK},
		{"Article", "/case-studies/" + slug, "application/activity+json", http.StatusOK},
		{"Atom feed", "/feed.atom", "", http.StatusOK},
		{"stylesheet", "/static/govuk/govuk-frontend.css", "", http.StatusOK},
		{"no such page", "/no/such/page", "text/html", http.StatusNotFound},
		{"the inbox takes POST only", "/actors/" + n.Config.Handle + "/inbox", "", http.StatusMethodNotAllowed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			do := func(method string) (*http.Response, []byte) {
				req, err := http.NewRequest(method, n.URL+tt.path, nil)
				if err != nil {
					t.Fatal(err)
				}
				if tt.accept != "" {
					req.Header.Set("Accept", tt.accept)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				body, _ := io.ReadAll(res.Body)
				return res, body
			}
			get, _ := do(http.MethodGet)
			res, body := do(http.MethodHead)
			if res.StatusCode != tt.status || get.StatusCode != tt.status || len(body) != 0 {
				t.Errorf("HEAD %s = %d with %d bytes of body (GET %d), want %d and none", tt.path, res.StatusCode, len(body), get.StatusCode, tt.status)
			}
			if got, want := res.Header.Get("Content-Type"), get.Header.Get("Content-Type"); tt.status == http.StatusOK && got != want {
				t.Errorf("HEAD %s: Content-Type %q, want the GET's %q", tt.path, got, want)
			}
			if res.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("HEAD %s: no security headers", tt.path)
			}
		})
	}
}
