package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestCreateStatuses: a batch of case studies and notes goes in at once,
// with status ids and hashtags, readable on the timelines in order; a
// batch with a taken IRI inserts nothing.
func TestCreateStatuses(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, org := storeWithActor(t, db)
		peer := newActor("https://peer.example/users/hub", false)
		if err := s.Actors.UpsertRemote(ctx, &peer); err != nil {
			t.Fatal(err)
		}
		b := testrig.SeedStatuses(org.ID, []int64{peer.ID}, 250)
		if err := s.CreateStatuses(ctx, b); err != nil {
			t.Fatal(err)
		}
		page, err := s.Timelines.Page(ctx, models.TimelineQuery{Scope: models.ScopePublic, Limit: 40})
		if err != nil || len(page) != 40 || page[0].StatusID != b.CaseStudies[0].StatusID || page[1].StatusID != b.Notes[0].StatusID {
			t.Fatalf("public page = %d entries, %v", len(page), err)
		}
		tagged, err := s.Timelines.Page(ctx, models.TimelineQuery{Scope: models.ScopeTag, Tag: "Leisure", Limit: 40})
		if err != nil || len(tagged) != 40 {
			t.Errorf("#leisure = %d entries, %v", len(tagged), err)
		}
		mine, err := s.Timelines.Page(ctx, models.TimelineQuery{Scope: models.ScopeAccount, ActorID: org.ID, Limit: 40})
		if err != nil || len(mine) != 25 {
			t.Errorf("the organisation's statuses = %d, want 25 (%v)", len(mine), err)
		}

		again := testrig.SeedStatuses(org.ID, []int64{peer.ID}, 3)
		again.CaseStudies[0].IRI, again.CaseStudies[0].Slug = "https://seed.example/new", nil
		if err := s.CreateStatuses(ctx, again); !errors.Is(err, models.ErrConflict) {
			t.Errorf("a batch with taken IRIs = %v, want ErrConflict", err)
		}
		after, _ := s.Timelines.Page(ctx, models.TimelineQuery{Scope: models.ScopePublic, Limit: 40})
		if after[0].StatusID != page[0].StatusID {
			t.Errorf("the refused batch stored something: %v", after[0])
		}
	})
}
