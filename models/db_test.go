package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

func TestAtomically(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, actor := storeWithActor(t, db)
		failed := errors.New("queueing failed")

		// A change whose announcement cannot be queued is not kept.
		rolledBack := newCaseStudy(actor.ID, "rolled-back", 0)
		err := s.Atomically(ctx, func(tx *models.Store) error {
			if err := tx.CaseStudies.Create(ctx, &rolledBack); err != nil {
				return err
			}
			if err := tx.Deliveries.Enqueue(ctx, rolledBack.IRI+"#create", actor.ID, []byte(`{}`), []string{"https://b.example/inbox"}); err != nil {
				return err
			}
			return failed
		})
		if !errors.Is(err, failed) {
			t.Fatalf("Atomically = %v, want fn's error", err)
		}
		if _, err := s.CaseStudies.ByIRI(ctx, rolledBack.IRI); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the case study of a failed transaction was stored: %v", err)
		}
		if ds, _ := s.Deliveries.Of(ctx, rolledBack.IRI+"#create"); len(ds) != 0 {
			t.Errorf("the deliveries of a failed transaction were queued: %d", len(ds))
		}

		// One that can is kept whole.
		kept := newCaseStudy(actor.ID, "kept", 0)
		err = s.Atomically(ctx, func(tx *models.Store) error {
			if err := tx.CaseStudies.Create(ctx, &kept); err != nil {
				return err
			}
			return tx.Deliveries.Enqueue(ctx, kept.IRI+"#create", actor.ID, []byte(`{}`), []string{"https://b.example/inbox"})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CaseStudies.ByIRI(ctx, kept.IRI); err != nil {
			t.Errorf("the committed case study is missing: %v", err)
		}
		if ds, _ := s.Deliveries.Of(ctx, kept.IRI+"#create"); len(ds) != 1 {
			t.Errorf("committed deliveries = %d, want 1", len(ds))
		}
	})
}

// Every method of a transaction's store is safe: activities recorded in it
// are stored with the transaction (and not at all when it fails), and
// closing it leaves the main store open.
func TestAtomicallyStoreIsSafe(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, actor := storeWithActor(t, db)
		failed := errors.New("processing failed")

		for _, tc := range []struct {
			name   string
			fail   error
			stored bool
		}{
			{"committed", nil, true},
			{"rolled back", failed, false},
		} {
			iri := "https://b.example/activities/" + tc.name
			err := s.Atomically(ctx, func(tx *models.Store) error {
				inserted, err := tx.Activities.Record(ctx, &models.Activity{IRI: iri, Type: "Create", ActorIRI: actor.IRI, Payload: `{}`})
				if err != nil || !inserted {
					t.Fatalf("%s: Activities.Record in a transaction = %v, %v", tc.name, inserted, err)
				}
				if again, err := tx.Activities.Record(ctx, &models.Activity{IRI: iri, Type: "Create", ActorIRI: actor.IRI, Payload: `{}`}); err != nil || again {
					t.Errorf("%s: the same activity again = %v, %v, want false", tc.name, again, err)
				}
				if err := tx.Close(); !errors.Is(err, models.ErrInTransaction) {
					t.Errorf("%s: Close in a transaction = %v, want ErrInTransaction", tc.name, err)
				}
				return tc.fail
			})
			if !errors.Is(err, tc.fail) {
				t.Fatalf("%s: Atomically = %v", tc.name, err)
			}
			_, err = s.Activities.ByIRI(ctx, iri)
			if stored := err == nil; stored != tc.stored {
				t.Errorf("%s: activity stored = %v (%v), want %v", tc.name, stored, err, tc.stored)
			}
		}
		if err := s.Ping(ctx); err != nil {
			t.Errorf("the main store after a transaction's Close: %v", err)
		}
	})
}
