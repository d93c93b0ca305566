package testrig

import (
	"net/http"
	"strings"
	"testing"
)

// EachNode runs fn against a fresh node on SQLite and on PostgreSQL (see
// EachDB).
func EachNode(t *testing.T, fn func(t *testing.T, n *Node)) {
	t.Helper()
	EachDB(t, func(t *testing.T, db DB) {
		fn(t, StartNode(t, Options{DB: db}))
	})
}

// CaseStudyBody is a valid body for POST /api/v1/case-studies with every
// field set.
func CaseStudyBody() map[string]any {
	return map[string]any{
		"title":             "Keeping the libraries open",
		"summary":           "How a library mutual kept five branches open while saving money.",
		"body":              "## Background\n\nWe **did** it.",
		"organisation_type": "public service mutual",
		"service_area":      "libraries",
		"region":            "North West",
		"stage":             "operating",
		"outcomes":          []string{"Five branches open", "Longer hours"},
		"savings":           map[string]any{"amount": 125000, "currency": "GBP", "period": "year"},
		"ownership_model":   "employee-owned",
		"lessons":           []string{"Start early", "Talk to staff"},
		"contact":           map[string]any{"name": "Ann Smith", "role": "Director", "email": "ann@example.org"},
		"tags":              []string{"Libraries", "mutuals"},
		"attachments":       []map[string]any{{"url": "https://example.org/report.pdf", "media_type": "application/pdf", "name": "Report"}},
		"published":         "2024-03-01T09:00:00Z",
	}
}

// Publish creates a case study through the API with body and returns the
// answer; anything but 201 fails the test.
func (n *Node) Publish(t testing.TB, body map[string]any) map[string]any {
	t.Helper()
	r := n.API(t, http.MethodPost, "/case-studies", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /case-studies = %d %s", r.Status, r.Body)
	}
	return r.Map(t)
}

// WantError checks a JSON error answer: its status, a JSON Content-Type, a
// readable "error", and that the body mentions each of mentions.
func WantError(t testing.TB, r Response, status int, mentions ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d %s, want %d", r.Status, r.Body, status)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q, want JSON", ct)
	}
	var body struct {
		Error  string            `json:"error"`
		Fields map[string]string `json:"fields"`
	}
	r.Decode(t, &body)
	if body.Error == "" {
		t.Errorf("error answer %s has no readable error", r.Body)
	}
	for _, m := range mentions {
		if !strings.Contains(string(r.Body), m) {
			t.Errorf("error answer %s does not mention %q", r.Body, m)
		}
	}
}
