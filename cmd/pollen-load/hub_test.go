package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMeasureHub runs the hub phase with a few members and followers on
// SQLite (and PostgreSQL when POLLEN_TEST_DATABASE_URL is set): the hub
// follows every member, every follower follows it, and each follower gets
// each case study's Announce exactly once, or the phase fails.
func TestMeasureHub(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the pollen binary")
	}
	bin := filepath.Join(t.TempDir(), "pollen")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/pollen-coop/pollen/cmd/pollen").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v: %s", err, out)
	}
	databases := []string{"sqlite"}
	if url := os.Getenv("POLLEN_TEST_DATABASE_URL"); url != "" {
		databases = append(databases, url)
	}
	for _, database := range databases {
		t.Run(dbName(database), func(t *testing.T) {
			ctx := context.Background()
			o := options{database: database, hubMembers: 5, hubFollowers: 20, hubTopicFollowers: 4, hubCaseStudies: 3}
			db, err := newDatabase(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			defer db.close()
			var out bytes.Buffer
			if err := measureHub(ctx, o, bin, db, &out); err != nil {
				t.Fatalf("measureHub: %v\n%s", err, out.String())
			}
			t.Log(out.String())
			for _, want := range []string{"hub relay:", "signing limit:", "hub check:          20 followers got each Announce once"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("no %q in\n%s", want, out.String())
				}
			}
		})
	}
}
