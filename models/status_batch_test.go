package models_test

import (
	"context"
	"errors"
	"strings"
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

// TestCaseStudiesCreateMany: received case studies go in together, with
// status ids, hashtags and search rows, in the caller's transaction; a
// taken IRI among them inserts none.
func TestCaseStudiesCreateMany(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, _ := storeWithActor(t, db)
		peer := newActor("https://peer.example/users/one", false)
		if err := s.Actors.UpsertRemote(ctx, &peer); err != nil {
			t.Fatal(err)
		}
		seed := testrig.SeedStatuses(peer.ID, []int64{peer.ID}, 30).CaseStudies
		tests := []struct {
			name    string
			cs      []models.CaseStudy
			wantErr error
			stored  int64 // case studies of the peer afterwards
		}{
			{"two new", seed[:2], nil, 2},
			{"one new, one taken", []models.CaseStudy{seed[2], seed[0]}, models.ErrConflict, 2},
			{"in a transaction", seed[3:5], nil, 4},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				cs := append([]models.CaseStudy(nil), tt.cs...)
				for i := range cs {
					cs[i].ID, cs[i].StatusID, cs[i].ActorID, cs[i].Local = 0, 0, peer.ID, false
				}
				err := s.Atomically(ctx, func(tx *models.Store) error { return tx.CaseStudies.CreateMany(ctx, cs) })
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("CreateMany = %v, want %v", err, tt.wantErr)
				}
				_, n, err := s.CaseStudies.List(ctx, models.CaseStudyQuery{ActorID: peer.ID, Limit: 1})
				if err != nil || n != tt.stored {
					t.Errorf("the peer's case studies = %d, %v; want %d", n, err, tt.stored)
				}
			})
		}
		known, err := s.CaseStudies.KnownIRIs(ctx, []string{seed[0].IRI, seed[2].IRI, seed[4].IRI})
		if err != nil || len(known) != 2 || !known[seed[0].IRI] || !known[seed[4].IRI] {
			t.Errorf("KnownIRIs = %v, %v; want the first and the fifth", known, err)
		}
		got, err := s.CaseStudies.ByIRI(ctx, seed[4].IRI)
		if err != nil || got.StatusID == 0 {
			t.Errorf("a case study stored by CreateMany = %+v, %v; want it with a status id", got.StatusID, err)
		}
		word := strings.Fields(seed[4].Title)[0]
		if res := search(t, s, word, models.CaseStudySearch{ActorID: peer.ID}); res.Total == 0 {
			t.Errorf("search for %q among the peer's finds nothing", word)
		}
	})
}
