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

// FollowStates are the follow states between the local actor and
// another: Out its follow of the other, In the other's of it
// (models.FollowPending, models.FollowAccepted, or "" for none).
type FollowStates = models.FollowStates

// FollowStatesWith returns the follow states between the local actor
// localID and each known actor of ids, in one query, in no particular
// order; an unknown id is left out. It returns the store's errors.
func (a *Actors) FollowStatesWith(ctx context.Context, localID int64, ids []int64) ([]FollowStates, error) {
	return a.store.Actors.FollowStatesWith(ctx, localID, ids)
}

// FollowID returns the ID of actor's follow of target, or
// models.ErrNotFound when there is none.
func (a *Actors) FollowID(ctx context.Context, actor, target int64) (int64, error) {
	f, err := a.store.Follows.Between(ctx, actor, target)
	return f.ID, err
}

// FollowPage selects a page of the local actor's follows (see
// models.FollowPage).
type FollowPage = models.FollowPage

// FollowedActor is one follow of a page: its ID and the remote actor.
type FollowedActor struct {
	FollowID int64
	Actor    models.Actor
}

// FollowPage returns a page of the local actor's follows or followers,
// newest first by follow ID, with the remote actors. It returns the
// store's errors.
func (a *Actors) FollowPage(ctx context.Context, p FollowPage) ([]FollowedActor, error) {
	fs, err := a.store.Follows.Page(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make([]FollowedActor, 0, len(fs))
	for _, f := range fs {
		out = append(out, FollowedActor{FollowID: f.ID, Actor: f.Remote})
	}
	return out, nil
}
