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
			if err := tx.CreateCaseStudy(ctx, &rolledBack); err != nil {
				return err
			}
			if err := tx.EnqueueDeliveries(ctx, rolledBack.IRI+"#create", actor.ID, []byte(`{}`), []string{"https://b.example/inbox"}); err != nil {
				return err
			}
			return failed
		})
		if !errors.Is(err, failed) {
			t.Fatalf("Atomically = %v, want fn's error", err)
		}
		if _, err := s.CaseStudyByIRI(ctx, rolledBack.IRI); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the case study of a failed transaction was stored: %v", err)
		}
		if ds, _ := s.DeliveriesOf(ctx, rolledBack.IRI+"#create"); len(ds) != 0 {
			t.Errorf("the deliveries of a failed transaction were queued: %d", len(ds))
		}

		// One that can is kept whole.
		kept := newCaseStudy(actor.ID, "kept", 0)
		err = s.Atomically(ctx, func(tx *models.Store) error {
			if err := tx.CreateCaseStudy(ctx, &kept); err != nil {
				return err
			}
			return tx.EnqueueDeliveries(ctx, kept.IRI+"#create", actor.ID, []byte(`{}`), []string{"https://b.example/inbox"})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CaseStudyByIRI(ctx, kept.IRI); err != nil {
			t.Errorf("the committed case study is missing: %v", err)
		}
		if ds, _ := s.DeliveriesOf(ctx, kept.IRI+"#create"); len(ds) != 1 {
			t.Errorf("committed deliveries = %d, want 1", len(ds))
		}
	})
}
