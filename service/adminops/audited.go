package adminops

import (
	"context"
	"strconv"

	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/models"
)

// Audited is the organisation's follows (federation.Follows, embedded for
// its reads) as the JSON API, the Mastodon API and the command line
// change them: following, unfollowing and answering a follow request are
// recorded in the audit log, with who made them (service.Acting), as the
// admin area's are.
type Audited struct {
	*federation.Follows
	ops *Follows
}

// NewAudited makes the audited follows over fed, the node's, and store.
func NewAudited(fed *federation.Follows, store *models.Store) *Audited {
	return &Audited{Follows: fed, ops: NewFollows(fed, store)}
}

// Follow follows target as federation.Follows.Follow does, with its
// errors, then records it.
func (a *Audited) Follow(ctx context.Context, target string) (federation.FollowView, error) {
	return a.ops.Follow(ctx, target)
}

// Unfollow stops following target (@handle@host or an actor's URL) as
// federation.Follows.Unfollow does, with its errors, then records it.
func (a *Audited) Unfollow(ctx context.Context, target string) error {
	if err := a.Follows.Unfollow(ctx, target); err != nil {
		return err
	}
	return record(ctx, a.ops.store, Unfollowed, target, "")
}

// UnfollowByID stops following the peer of the outbound follow id as
// federation.Follows.UnfollowByID does, with its errors, then records
// it.
func (a *Audited) UnfollowByID(ctx context.Context, id int64) error {
	target, title := strconv.FormatInt(id, 10), ""
	if v, err := a.ops.One(ctx, id, true); err == nil {
		target, title = v.Actor.Handle, v.Actor.Name
	}
	if err := a.Follows.UnfollowByID(ctx, id); err != nil {
		return err
	}
	return record(ctx, a.ops.store, Unfollowed, target, title)
}

// ApproveFollower accepts the follower id as
// federation.Follows.ApproveFollower does, with its errors, then records
// it.
func (a *Audited) ApproveFollower(ctx context.Context, id int64) (federation.FollowView, error) {
	return a.answer(ctx, id, Approved, a.Follows.ApproveFollower)
}

// RejectFollower refuses or removes the follower id as
// federation.Follows.RejectFollower does, with its errors, then records
// it.
func (a *Audited) RejectFollower(ctx context.Context, id int64) (federation.FollowView, error) {
	return a.answer(ctx, id, Rejected, a.Follows.RejectFollower)
}

func (a *Audited) answer(ctx context.Context, id int64, action string, do func(context.Context, int64) (federation.FollowView, error)) (federation.FollowView, error) {
	v, err := do(ctx, id)
	if err != nil {
		return v, err
	}
	return v, record(ctx, a.ops.store, action, v.Actor.Handle, v.Actor.Name)
}
