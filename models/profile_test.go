package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestProfileStore: no profile until one is saved; saving twice keeps
// one row, the last, with its time; on both databases.
func TestProfileStore(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		if _, err := s.Profile.Get(ctx); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("Get before a save = %v, want ErrNotFound", err)
		}
		for _, p := range []models.Profile{
			{Name: "Leeds City Council", Summary: "Services for Leeds.", Region: "Yorkshire and The Humber", OrgType: "council", Who: "ann@example.org"},
			{Name: "Leeds Libraries", Website: "https://libraries.example", OrgType: "public service mutual",
				IconURL: "https://node.example/media/icon.png", IconMediaType: "image/png", Who: "bob@example.org"},
		} {
			saved := p
			if err := s.Profile.Save(ctx, &saved); err != nil {
				t.Fatal(err)
			}
			got, err := s.Profile.Get(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got.UpdatedAt.IsZero() {
				t.Errorf("UpdatedAt not set")
			}
			got.UpdatedAt, p.ID = saved.UpdatedAt, 1
			p.UpdatedAt = saved.UpdatedAt
			if got != p {
				t.Errorf("Get = %+v, want %+v", got, p)
			}
		}
	})
}
