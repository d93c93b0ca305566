package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// TestChanges: every committed write to a shown row counts once, at once
// outside a transaction and at the commit inside one; reads, rolled-back
// transactions and the quiet tables (queues, heartbeats) do not count.
func TestChanges(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s, actor := storeWithActor(t, db)
		cs := newCaseStudy(actor.ID, "counted", 0)
		failed := errors.New("failed")
		for _, step := range []struct {
			name  string
			write func() error
			want  uint64 // how many changes the step counts
		}{
			{"create", func() error { return s.CaseStudies.Create(ctx, &cs) }, 1},
			{"update", func() error { cs.Title = "Counted again"; return s.CaseStudies.Save(ctx, &cs) }, 1},
			{"read", func() error { _, err := s.CaseStudies.ByIRI(ctx, cs.IRI); return err }, 0},
			{"a quiet table", func() error {
				return s.Processes.Heartbeat(ctx, models.Process{ID: "p1", Host: "h", PID: 1, StartedAt: time.Now(), HeartbeatAt: time.Now()})
			}, 0},
			{"a transaction", func() error {
				before := s.Changes()
				return s.Atomically(ctx, func(tx *models.Store) error {
					c2 := newCaseStudy(actor.ID, "in-a-transaction", 1)
					if err := tx.CaseStudies.Create(ctx, &c2); err != nil {
						return err
					}
					// A nested transaction is a savepoint: its writes count
					// with the outer commit.
					if err := tx.Atomically(ctx, func(inner *models.Store) error {
						c3 := newCaseStudy(actor.ID, "in-a-savepoint", 2)
						return inner.CaseStudies.Create(ctx, &c3)
					}); err != nil {
						return err
					}
					if got := s.Changes(); got != before {
						t.Errorf("counted before the commit: %d, then %d", before, got)
					}
					return nil
				})
			}, 1},
			{"a rolled-back transaction", func() error {
				err := s.Atomically(ctx, func(tx *models.Store) error {
					c4 := newCaseStudy(actor.ID, "rolled-back", 3)
					if err := tx.CaseStudies.Create(ctx, &c4); err != nil {
						return err
					}
					return failed
				})
				if !errors.Is(err, failed) {
					return err
				}
				return nil
			}, 0},
			{"delete", func() error { return s.CaseStudies.Delete(ctx, cs.ID) }, 1},
		} {
			before := s.Changes()
			if err := step.write(); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if got := s.Changes() - before; got != step.want {
				t.Errorf("%s counted %d changes, want %d", step.name, got, step.want)
			}
		}
	})
}
