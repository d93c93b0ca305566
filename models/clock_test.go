package models_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// The times a store writes come from the clock it was opened with, not
// from the machine's.
func TestStoreClock(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		at := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
		s, err := models.Open(ctx, db.DSN, models.WithClock(func() time.Time { return at }))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		tok := models.APIToken{Name: "admin", Hash: "h"}
		if err := s.Tokens.Create(ctx, &tok); err != nil {
			t.Fatal(err)
		}
		if err := s.Tokens.Revoke(ctx, "admin"); err != nil {
			t.Fatal(err)
		}
		ts, err := s.Tokens.List(ctx)
		if err != nil || len(ts) != 1 {
			t.Fatalf("Tokens.List = %v, %v", ts, err)
		}
		if !ts[0].CreatedAt.Equal(at) {
			t.Errorf("created at %v, want the store's clock %v", ts[0].CreatedAt, at)
		}
		if ts[0].RevokedAt == nil || !ts[0].RevokedAt.Equal(at) {
			t.Errorf("revoked at %v, want the store's clock %v", ts[0].RevokedAt, at)
		}
	})
}

// Several SQLite stores may open at once: the function they add to the
// driver is added once, and each finds it.
func TestOpenSQLiteStoresConcurrently(t *testing.T) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		dsn := testrig.SQLite(t).DSN
		wg.Go(func() {
			s, err := models.Open(ctx, dsn)
			if err != nil {
				t.Errorf("open: %v", err)
				return
			}
			defer func() { _ = s.Close() }()
			if err := s.Migrate(ctx); err != nil {
				t.Errorf("migrate: %v", err)
				return
			}
			if _, _, err := s.CaseStudies.List(ctx, models.CaseStudyQuery{Text: "école"}); err != nil {
				t.Errorf("search on a new store: %v", err)
			}
		})
	}
	wg.Wait()
}
