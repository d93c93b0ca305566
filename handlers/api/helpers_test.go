package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// eachNode runs fn against a fresh node on SQLite and on PostgreSQL.
func eachNode(t *testing.T, fn func(t *testing.T, n *testrig.Node)) {
	t.Helper()
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		fn(t, testrig.StartNode(t, testrig.Options{DB: db}))
	})
}

// caseStudyBody is a valid API body with every field set.
func caseStudyBody() map[string]any {
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

// publish creates a case study through the API and returns its answer.
func publish(t *testing.T, n *testrig.Node, body map[string]any) map[string]any {
	t.Helper()
	r := n.API(t, http.MethodPost, "/case-studies", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /case-studies = %d %s", r.Status, r.Body)
	}
	return r.Map(t)
}

// stored counts the case studies in the store, deleted ones included.
func stored(t *testing.T, n *testrig.Node) int64 {
	t.Helper()
	return n.StoredCaseStudies(t)
}

// wantError checks a JSON error answer.
func wantError(t *testing.T, r testrig.Response, status int, mentions ...string) {
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
