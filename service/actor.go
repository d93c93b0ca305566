package service

import (
	"context"

	"github.com/pollen-coop/pollen/models"
)

// Actors answers questions about the node's own actors.
type Actors struct {
	store *models.Store
}

// NewActors makes the actors kept in store.
func NewActors(store *models.Store) *Actors { return &Actors{store: store} }

// CheckLocalActor returns nil when handle (exactly as given) is a local
// actor's, models.ErrNotFound (federation.ErrNotFound) when it is not, or
// the store's error.
func (a *Actors) CheckLocalActor(ctx context.Context, handle string) error {
	_, err := a.store.Actors.Local(ctx, handle)
	return err
}
