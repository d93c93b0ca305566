package federation

import (
	"context"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// Ready reports whether the node can serve: nil when the database answers
// and is migrated, else a 503 *apperr.Error whose cause is the store's error.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return &apperr.Error{Kind: apperr.Unavailable, Message: "the database does not answer", Err: err}
	}
	ok, err := s.store.Migrated(ctx)
	if err != nil || !ok {
		return &apperr.Error{Kind: apperr.Unavailable, Message: "the database is not migrated", Err: err}
	}
	return nil
}

// Counts is what the node holds in its queues, for monitoring: delivery
// jobs by state (pending, retrying, done, dead) and received activities by
// processing state (pending, done, failed).
type Counts struct {
	Deliveries map[string]int64
	Activities map[string]int64
}

// QueueCounts counts the delivery jobs and the received activities by
// state. A map is nil when its count failed; the error is the first
// store error met.
func (s *Service) QueueCounts(ctx context.Context) (Counts, error) {
	var c Counts
	d, derr := s.store.DeliveryStats(ctx)
	if derr == nil {
		c.Deliveries = map[string]int64{"pending": d.Pending, "retrying": d.Retrying, "done": d.Done, "dead": d.Dead}
	}
	a, aerr := s.store.ActivityCounts(ctx)
	if aerr == nil {
		c.Activities = map[string]int64{"pending": a["pending"], "done": a["done"], "failed": a["failed"]}
	}
	if derr != nil {
		return c, derr
	}
	return c, aerr
}

// CheckLocalActor returns nil when handle (exactly as given) is a local
// actor's, ErrNotFound when it is not, or the store's error.
func (s *Service) CheckLocalActor(ctx context.Context, handle string) error {
	_, err := s.store.LocalActor(ctx, handle)
	return err
}
