package service

import (
	"context"
	"errors"

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

// ActorByID returns the actor, local or remote, with the given row ID,
// or models.ErrNotFound.
func (a *Actors) ActorByID(ctx context.Context, id int64) (models.Actor, error) {
	return a.store.Actors.ByID(ctx, id)
}

// ActorByAcct returns the actor known as handle@host (a local one has the
// node's host), or models.ErrNotFound.
func (a *Actors) ActorByAcct(ctx context.Context, handle, host string) (models.Actor, error) {
	return a.store.Actors.ByAcct(ctx, handle, host)
}

// FollowState is the state of actor's follow of target: "" when there is
// none, else models.FollowPending or models.FollowAccepted. It returns
// the store's other errors.
func (a *Actors) FollowState(ctx context.Context, actor, target int64) (string, error) {
	f, err := a.store.Follows.Between(ctx, actor, target)
	if errors.Is(err, models.ErrNotFound) {
		return "", nil
	}
	return f.State, err
}
