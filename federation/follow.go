package federation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// FollowView is a follow as the API shows it.
type FollowView struct {
	ID        int64     `json:"id"`
	State     string    `json:"state"`
	Activity  string    `json:"activity"`
	Actor     ActorView `json:"actor"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ActorView is a remote actor as the API shows it.
type ActorView struct {
	ID      string `json:"id"`
	Handle  string `json:"handle"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	URL     string `json:"url,omitempty"`
	OrgType string `json:"organisation_type,omitempty"`
	Region  string `json:"region,omitempty"`
}

// FollowList is a page of follows.
type FollowList struct {
	Items []FollowView `json:"items"`
	Total int64        `json:"total"`
}

// Follows are the organisation's follows both ways: the peers it follows
// (Follow, Unfollow, Following) and the followers it answers (Followers,
// ApproveFollower, RejectFollower, and the Accept or Reject the inbox
// sends). Service.Follows returns them.
type Follows struct {
	*core
	// svc is the node's Service: the local actor and the queueing of
	// activities.
	svc *Service
}

func toActorView(a models.Actor) ActorView {
	return ActorView{ID: a.IRI, Handle: a.Handle + "@" + a.Host, Name: a.Name, Type: a.Type, URL: a.URL, OrgType: a.OrgType, Region: a.Region}
}

func toFollowView(f models.FollowWithActor) FollowView {
	return FollowView{ID: f.ID, State: f.State, Activity: f.ActivityID, Actor: toActorView(f.Remote), CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}
}

// newActivityID makes a fresh activity IRI under the node's base URL.
func (s *Follows) newActivityID(kind string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return s.cfg.URL("/activities/" + kind + "-" + hex.EncodeToString(b))
}

// Follow makes the organisation follow target (@handle@host or an actor
// URL): it resolves and fetches the actor, records a pending follow and
// sends the Follow. Following again sends a new Follow (an accepted follow
// stays accepted until the peer answers). It returns a 400 *apperr.Error for
// a target it cannot resolve, a 403 *apperr.Error for one the federation
// policy refuses and a 422 *apperr.Error for the node itself.
func (s *Follows) Follow(ctx context.Context, target string) (FollowView, error) {
	local, err := s.svc.LocalActor(ctx)
	if err != nil {
		return FollowView{}, err
	}
	remote, err := s.fetcher.ResolveActor(ctx, target)
	if err != nil {
		return FollowView{}, err
	}
	if remote.Local || remote.IRI == local.IRI {
		return FollowView{}, apperr.Errorf(apperr.Unprocessable, "a node cannot follow itself")
	}
	if err := forbidden(s.policy.CheckActor(remote.IRI)); err != nil {
		return FollowView{}, err
	}
	f := models.Follow{ActivityID: s.newActivityID("follow"), ActorID: local.ID, TargetID: remote.ID, Outbound: true, State: models.FollowPending}
	if old, err := s.store.Follows.Between(ctx, local.ID, remote.ID); err == nil && old.State == models.FollowAccepted {
		f.State = models.FollowAccepted
	}
	follow := Activity{ID: f.ActivityID, Type: "Follow", Actor: local.IRI, To: []string{remote.IRI}, Object: remote.IRI}
	err = s.svc.atomically(ctx, func(tx *models.Store) error {
		if err := tx.Follows.Save(ctx, &f); err != nil {
			return err
		}
		return s.svc.deliverIn(ctx, tx, local, follow, []string{remote.Inbox})
	})
	if err != nil {
		return FollowView{}, err
	}
	s.log.Info("following", "actor", remote.IRI, "state", f.State)
	return toFollowView(models.FollowWithActor{Follow: f, Remote: remote}), nil
}

// Unfollow stops the organisation following target (@handle@host, an actor
// URL, or a follow's ID as text): it sends Undo(Follow) and forgets the
// follow. It returns models.ErrNotFound if there is no such follow.
func (s *Follows) Unfollow(ctx context.Context, target string) error {
	local, err := s.svc.LocalActor(ctx)
	if err != nil {
		return err
	}
	remote, err := s.fetcher.ResolveActor(ctx, target)
	if err != nil {
		return err
	}
	f, err := s.store.Follows.Between(ctx, local.ID, remote.ID)
	if err != nil {
		return err
	}
	return s.unfollow(ctx, local, f)
}

// UnfollowByID is Unfollow for the outbound follow with the given ID.
func (s *Follows) UnfollowByID(ctx context.Context, id int64) error {
	local, err := s.svc.LocalActor(ctx)
	if err != nil {
		return err
	}
	f, err := s.store.Follows.ByID(ctx, id)
	if err != nil {
		return err
	}
	if !f.Outbound || f.ActorID != local.ID {
		return models.ErrNotFound
	}
	return s.unfollow(ctx, local, f)
}

func (s *Follows) unfollow(ctx context.Context, local models.Actor, f models.Follow) error {
	remote, err := s.store.Actors.ByID(ctx, f.TargetID)
	if err != nil {
		return err
	}
	undo := Activity{
		ID: f.ActivityID + "/undo", Type: "Undo", Actor: local.IRI, To: []string{remote.IRI},
		Object: Activity{ID: f.ActivityID, Type: "Follow", Actor: local.IRI, Object: remote.IRI},
	}
	err = s.svc.atomically(ctx, func(tx *models.Store) error {
		if err := tx.Follows.Delete(ctx, f.ID); err != nil {
			return err
		}
		return s.svc.deliverIn(ctx, tx, local, undo, []string{remote.Inbox})
	})
	if err != nil {
		return err
	}
	s.log.Info("unfollowed", "actor", remote.IRI)
	return nil
}

// Following lists the peers the organisation follows or asked to follow.
func (s *Follows) Following(ctx context.Context, limit, offset int) (FollowList, error) {
	return s.followList(ctx, true, "", limit, offset)
}

// Followers lists the organisation's followers; state "" means all.
func (s *Follows) Followers(ctx context.Context, state string, limit, offset int) (FollowList, error) {
	return s.followList(ctx, false, state, limit, offset)
}

func (s *Follows) followList(ctx context.Context, outbound bool, state string, limit, offset int) (FollowList, error) {
	local, err := s.svc.LocalActor(ctx)
	if err != nil {
		return FollowList{}, err
	}
	list := s.store.Follows.Followers
	if outbound {
		list = s.store.Follows.Following
	}
	fs, total, err := list(ctx, local.ID, state, limit, offset)
	if err != nil {
		return FollowList{}, err
	}
	out := FollowList{Items: make([]FollowView, 0, len(fs)), Total: total}
	for _, f := range fs {
		out.Items = append(out.Items, toFollowView(f))
	}
	return out, nil
}

// ApproveFollower accepts a pending follow request (for a node that
// approves followers by hand) and sends the Accept. It returns
// models.ErrNotFound if there is no such follower.
func (s *Follows) ApproveFollower(ctx context.Context, id int64) (FollowView, error) {
	return s.answerFollower(ctx, id, models.FollowAccepted)
}

// RejectFollower refuses a follow request, or removes a follower, and sends
// the Reject. It returns models.ErrNotFound if there is no such follower.
func (s *Follows) RejectFollower(ctx context.Context, id int64) (FollowView, error) {
	return s.answerFollower(ctx, id, models.FollowRejected)
}

func (s *Follows) answerFollower(ctx context.Context, id int64, state string) (FollowView, error) {
	local, err := s.svc.LocalActor(ctx)
	if err != nil {
		return FollowView{}, err
	}
	f, err := s.store.Follows.ByID(ctx, id)
	if err != nil {
		return FollowView{}, err
	}
	if f.Outbound || f.TargetID != local.ID {
		return FollowView{}, models.ErrNotFound
	}
	remote, err := s.store.Actors.ByID(ctx, f.ActorID)
	if err != nil {
		return FollowView{}, err
	}
	f.State, f.UpdatedAt = state, s.now().UTC()
	err = s.svc.atomically(ctx, func(tx *models.Store) error {
		var err error
		if state == models.FollowRejected {
			err = tx.Follows.Delete(ctx, f.ID)
		} else {
			err = tx.Follows.SetState(ctx, f.ID, state)
		}
		if err != nil {
			return err
		}
		return s.sendFollowAnswer(ctx, tx, local, remote, f)
	})
	if err != nil {
		return FollowView{}, err
	}
	return toFollowView(models.FollowWithActor{Follow: f, Remote: remote}), nil
}

// sendFollowAnswer queues, in store, the Accept or Reject of an inbound
// follow. Nothing is sent to an inbox on another host than the actor's (a
// copy cached before such actors were refused).
func (s *Follows) sendFollowAnswer(ctx context.Context, store *models.Store, local, remote models.Actor, f models.Follow) error {
	if !sameHost(remote.Inbox, remote.IRI) {
		s.log.Warn("not answering a follower whose inbox is on another host", "actor", remote.IRI, "inbox", remote.Inbox)
		return nil
	}
	typ := "Accept"
	if f.State == models.FollowRejected {
		typ = "Reject"
	}
	answer := Activity{
		ID: s.newActivityID(strings.ToLower(typ)), Type: typ, Actor: local.IRI, To: []string{remote.IRI},
		Object: Activity{ID: f.ActivityID, Type: "Follow", Actor: remote.IRI, Object: local.IRI},
	}
	return s.svc.deliverIn(ctx, store, local, answer, []string{remote.Inbox})
}
