package testrig

import (
	"os"
	"path/filepath"
	"testing"
)

// Shared returns the folder name (such as "fixtures/gotosocial" or
// "jsonld") of the shared test data kept beside the repository, in
// ../shared from the folder holding go.mod. When it is missing the test
// fails if CI is set (CI must run every test that reads it), and is
// skipped, saying so, otherwise.
func Shared(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("shared test data: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("shared test data: no go.mod above %s", dir)
		}
		dir = parent
	}
	p := filepath.Join(filepath.Dir(dir), "shared", filepath.FromSlash(name))
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the shared test data %s is missing (%v): CI must run every test that reads ../shared, so put the shared folder beside the repository", p, err)
		}
		t.Skipf("skipped: the shared test data %s is missing (put the shared folder beside the repository to run this test; with CI set it fails)", p)
	}
	return p
}
