package models_test

import (
	"context"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

func TestMigrateFromEmpty(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, err := models.Open(ctx, db.DSN)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if s.Dialect() != db.Name {
			t.Errorf("Dialect() = %q, want %q", s.Dialect(), db.Name)
		}
		if ok, err := s.Migrated(ctx); err == nil && ok {
			t.Fatalf("an empty database reports itself migrated")
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("first Migrate: %v", err)
		}
		if ok, err := s.Migrated(ctx); err != nil || !ok {
			t.Fatalf("after Migrate: Migrated() = %v, %v", ok, err)
		}
		// A second run (every start runs Migrate) changes nothing and
		// keeps the data.
		a := newActor("https://a.example/actors/one", false)
		if err := s.Actors.Create(ctx, &a); err != nil {
			t.Fatalf("create actor: %v", err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if _, err := s.Actors.ByIRI(ctx, a.IRI); err != nil {
			t.Errorf("actor lost after the second Migrate: %v", err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}
