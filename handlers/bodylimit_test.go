package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/handlers"
	"github.com/pollen-coop/pollen/testrig"
)

// TestBodyLimitIsOneMiB: a body of exactly 1 MiB (1,048,576 bytes) is
// read, one byte more is refused with 413 and stores nothing.
func TestBodyLimitIsOneMiB(t *testing.T) {
	if handlers.MaxBody != 1_048_576 {
		t.Fatalf("MaxBody = %d, want 1 MiB", handlers.MaxBody)
	}
	n := testrig.StartNode(t, testrig.Options{})
	doc, err := json.Marshal(map[string]any{"title": "Exactly one mebibyte", "summary": "S", "body": "B"})
	if err != nil {
		t.Fatal(err)
	}
	padded := func(size int) string { return string(doc) + strings.Repeat(" ", size-len(doc)) }
	before := n.StoredCaseStudies(t)
	r := testrig.Do(t, http.MethodPost, n.URL+"/api/v1/case-studies", padded(handlers.MaxBody+1), map[string]string{"Authorization": "Bearer " + n.Token})
	testrig.WantError(t, r, http.StatusRequestEntityTooLarge, "1 MiB")
	if got := n.StoredCaseStudies(t); got != before {
		t.Errorf("%d case studies after a refused body, want %d", got, before)
	}
	r = testrig.Do(t, http.MethodPost, n.URL+"/api/v1/case-studies", padded(handlers.MaxBody), map[string]string{"Authorization": "Bearer " + n.Token})
	if r.Status != http.StatusCreated {
		t.Fatalf("a body of exactly 1 MiB: %d %s", r.Status, r.Body)
	}
}
