package adminops

import (
	"context"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Follows are the organisation's follows both ways as the admin area
// changes them: each change made by federation.Follows (which sends the
// Follow, Undo, Accept or Reject), then recorded in the audit log.
type Follows struct {
	fed   *federation.Follows
	store *models.Store
}

// NewFollows makes the admin area's follows over fed, the node's, and
// store.
func NewFollows(fed *federation.Follows, store *models.Store) *Follows {
	return &Follows{fed: fed, store: store}
}

// FollowPage is what the follows page lists: the peers followed (or
// asked) and the followers, every state, at most 500 of each.
type FollowPage struct {
	Following, Followers federation.FollowList
}

// Lists returns the follows both ways, or the store's error.
func (f *Follows) Lists(ctx context.Context) (FollowPage, error) {
	var p FollowPage
	var err error
	if p.Following, err = f.fed.Following(ctx, 500, 0); err != nil {
		return p, err
	}
	p.Followers, err = f.fed.Followers(ctx, "", 500, 0)
	return p, err
}

// Follow follows target (@handle@host or an actor's URL), as
// federation.Follows.Follow does, with its errors (a 400 *apperr.Error
// for a target that cannot be resolved, 422 for the node itself).
func (f *Follows) Follow(ctx context.Context, target string) (federation.FollowView, error) {
	v, err := f.fed.Follow(ctx, target)
	if err != nil {
		return v, err
	}
	return v, record(ctx, f.store, Followed, v.Actor.Handle, v.Actor.Name)
}

// One returns the follow with the given ID, outbound (a peer followed) or
// not (a follower): a not found error for any other.
func (f *Follows) One(ctx context.Context, id int64, outbound bool) (federation.FollowView, error) {
	fl, err := f.store.Follows.ByID(ctx, id)
	if err != nil {
		return federation.FollowView{}, err
	}
	if fl.Outbound != outbound {
		return federation.FollowView{}, apperr.Errorf(apperr.NotFound, "there is no such follow")
	}
	peer := fl.TargetID
	if !outbound {
		peer = fl.ActorID
	}
	a, err := f.store.Actors.ByID(ctx, peer)
	if err != nil {
		return federation.FollowView{}, err
	}
	return federation.FollowView{ID: fl.ID, State: fl.State, Activity: fl.ActivityID, CreatedAt: fl.CreatedAt, UpdatedAt: fl.UpdatedAt,
		Actor: federation.ActorView{ID: a.IRI, Handle: a.Handle + "@" + a.Host, Name: a.Name, Type: a.Type, URL: a.URL}}, nil
}

// Unfollow stops following the peer of the outbound follow id, sending
// the Undo: a not found error when there is no such follow.
func (f *Follows) Unfollow(ctx context.Context, id int64) error {
	v, err := f.One(ctx, id, true)
	if err != nil {
		return err
	}
	if err := f.fed.UnfollowByID(ctx, id); err != nil {
		return err
	}
	return record(ctx, f.store, Unfollowed, v.Actor.Handle, v.Actor.Name)
}

// Approve accepts the pending follow request id, sending the Accept.
// Reject refuses it, sending the Reject. Remove removes the accepted
// follower id, sending a Reject. Each returns a not found error when
// there is no such follower, and a 409 *apperr.Error when it is not in
// the state the action needs.
func (f *Follows) Approve(ctx context.Context, id int64) error {
	return f.answer(ctx, id, models.FollowPending, Approved, f.fed.ApproveFollower)
}

// Reject: see Approve.
func (f *Follows) Reject(ctx context.Context, id int64) error {
	return f.answer(ctx, id, models.FollowPending, Rejected, f.fed.RejectFollower)
}

// Remove: see Approve.
func (f *Follows) Remove(ctx context.Context, id int64) error {
	return f.answer(ctx, id, models.FollowAccepted, RemovedFollower, f.fed.RejectFollower)
}

func (f *Follows) answer(ctx context.Context, id int64, state, action string, do func(context.Context, int64) (federation.FollowView, error)) error {
	v, err := f.One(ctx, id, false)
	if err != nil {
		return err
	}
	if v.State != state {
		return apperr.Errorf(apperr.Conflict, "the follow of %s is %s, not %s", v.Actor.Handle, v.State, state)
	}
	if _, err := do(ctx, id); err != nil {
		return err
	}
	return record(ctx, f.store, action, v.Actor.Handle, v.Actor.Name)
}
