package service

import (
	"context"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Health tells monitoring whether the node can serve and what its queues
// hold.
type Health struct {
	store *models.Store
}

// NewHealth makes the health of the node whose database is store.
func NewHealth(store *models.Store) *Health { return &Health{store: store} }

// Ready reports whether the node can serve: nil when the database answers
// and is migrated, else a 503 *apperr.Error whose cause is the store's
// error.
func (h *Health) Ready(ctx context.Context) error {
	if err := h.store.Ping(ctx); err != nil {
		return &apperr.Error{Kind: apperr.Unavailable, Message: "the database does not answer", Err: err}
	}
	ok, err := h.store.Migrated(ctx)
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
func (h *Health) QueueCounts(ctx context.Context) (Counts, error) {
	var c Counts
	d, derr := h.store.Deliveries.Stats(ctx)
	if derr == nil {
		c.Deliveries = map[string]int64{"pending": d.Pending, "retrying": d.Retrying, "done": d.Done, "dead": d.Dead}
	}
	a, aerr := h.store.Activities.Counts(ctx)
	if aerr == nil {
		c.Activities = map[string]int64{"pending": a["pending"], "done": a["done"], "failed": a["failed"]}
	}
	if derr != nil {
		return c, derr
	}
	return c, aerr
}
