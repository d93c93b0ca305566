package request_test

import (
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
