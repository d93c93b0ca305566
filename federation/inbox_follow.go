package federation

import (
	"context"
	"errors"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// followAnswerInterval is how often, at most, one follower's repeated
// Follows are answered. Mastodon sends its Follow again when it has not
// seen the Accept; one Accept per follower answers it, not one per Follow.
const followAnswerInterval = 5 * time.Minute

// follow: a peer asks to follow a local actor. The follow is recorded and,
// unless followers are approved by hand, accepted at once; a follower
// already accepted is answered again at most once per
// followAnswerInterval (an accepted inbound follow's UpdatedAt is when it
// was last answered).
func (in inbound) follow(ctx context.Context) error {
	target, err := in.store.Actors.ByIRI(ctx, in.act.Object.IRI)
	if errors.Is(err, models.ErrNotFound) || (err == nil && !target.Local) {
		in.log.Info("ignoring a Follow of an actor that is not here", "activity", in.act.ID, "object", in.act.Object.IRI)
		return nil
	}
	if err != nil {
		return err
	}
	state := models.FollowAccepted
	if target.ManuallyApprovesFollowers {
		state = models.FollowPending
	}
	old, err := in.store.Follows.Between(ctx, in.actor.ID, target.ID)
	switch {
	case err != nil && !errors.Is(err, models.ErrNotFound):
		return err
	case err == nil && old.State == models.FollowAccepted:
		state = models.FollowAccepted
		// A follower answered a moment ago is not answered again: the
		// newer Follow's id is kept, for its Undo, and nothing is sent.
		if in.now().Sub(old.UpdatedAt) < followAnswerInterval {
			in.log.Info("repeated follow answered a moment ago", "from", in.actor.IRI)
			return in.store.Follows.SetActivity(ctx, old.ID, in.act.ID)
		}
	}
	f := models.Follow{ActivityID: in.act.ID, ActorID: in.actor.ID, TargetID: target.ID, State: state, UpdatedAt: in.now().UTC()}
	in.log.Info("follow request", "from", in.actor.IRI, "state", state)
	kind := models.NotifyFollowRequest
	if state == models.FollowAccepted {
		kind = models.NotifyFollow
	}
	return in.svc.atomically(ctx, func(tx *models.Store) error {
		if err := tx.Follows.Save(ctx, &f); err != nil {
			return err
		}
		// A follow of a hub's topic actor is not the organisation's to
		// be told of: its clients would show it as a follow of itself.
		if old.State != models.FollowAccepted && target.Handle == in.cfg.Handle {
			if err := tx.Notifications.Add(ctx, &models.Notification{Type: kind, ActorID: in.actor.ID}); err != nil {
				return err
			}
		}
		if state != models.FollowAccepted {
			return nil
		}
		return in.svc.follows.sendFollowAnswer(ctx, tx, target, in.actor, f)
	})
}

// answer: a peer accepts or rejects our follow of it; on Accept the peer's
// outbox is backfilled. Anything else an Accept or Reject may name (a
// Follow of or by a third party, a follow of ours of another peer) is
// ignored.
func (in inbound) answer(ctx context.Context) error {
	f, err := in.answeredFollow(ctx)
	if errors.Is(err, models.ErrNotFound) {
		in.log.Info("ignoring an answer to no follow of ours of its sender", "activity", in.act.ID, "object", in.act.Object.IRI)
		return nil
	}
	if err != nil {
		return err
	}
	if in.act.Type == "Reject" {
		in.log.Info("follow rejected", "by", in.actor.IRI)
		return in.store.Follows.SetState(ctx, f.ID, models.FollowRejected)
	}
	if err := in.store.Follows.SetState(ctx, f.ID, models.FollowAccepted); err != nil {
		return err
	}
	in.log.Info("follow accepted", "by", in.actor.IRI)
	if err := in.backfill(ctx, in.actor); err != nil {
		in.log.Warn("backfilling a peer's outbox failed", "peer", in.actor.IRI, "err", err)
	}
	return nil
}

// answeredFollow finds the follow of ours an Accept or Reject answers. It
// must be our follow of the signer, and the Follow named must say so: an
// IRI must be the id of the Follow we sent; an embedded Follow must not
// name another actor or object, and is matched by its id or, for servers
// that send a Follow of their own making, by the pair it names: one of our
// actors and the signer. It returns models.ErrNotFound otherwise.
func (in inbound) answeredFollow(ctx context.Context) (models.Follow, error) {
	ref := in.act.Object
	o := ref.Object
	if o != nil {
		if o.Type != "" && !o.HasType("Follow") || o.Actor != "" && o.Actor != in.local.IRI ||
			o.Object.IRI != "" && o.Object.IRI != in.actor.IRI {
			return models.Follow{}, models.ErrNotFound
		}
	}
	f, err := in.store.Follows.ByActivity(ctx, ref.IRI)
	if errors.Is(err, models.ErrNotFound) && o != nil && o.Actor == in.local.IRI && o.Object.IRI == in.actor.IRI {
		f, err = in.store.Follows.Between(ctx, in.local.ID, in.actor.ID)
	}
	if err != nil {
		return f, err
	}
	if !f.Outbound || f.ActorID != in.local.ID || f.TargetID != in.actor.ID {
		return f, models.ErrNotFound
	}
	return f, nil
}

// undo: a peer takes back its follow of us or its Announce (a Like
// needs nothing, since none is kept). Anything else an Undo may name (its
// follow of a third party, a follow it is not the actor of, another's
// Announce) is ignored.
func (in inbound) undo(ctx context.Context) error {
	typ := in.act.Object.Type()
	if typ == "" || typ == "Announce" {
		err := in.store.Announces.Undo(ctx, in.act.Object.IRI, in.actor.ID)
		if err == nil || typ == "Announce" {
			return ignoreNotFound(err)
		}
	}
	if typ != "" && typ != "Follow" {
		return nil
	}
	f, err := in.undoneFollow(ctx)
	if errors.Is(err, models.ErrNotFound) {
		in.log.Info("ignoring an Undo of no follow of ours by its sender", "activity", in.act.ID, "object", in.act.Object.IRI)
		return nil
	}
	if err != nil {
		return err
	}
	in.log.Info("unfollowed by", "actor", in.actor.IRI)
	return in.store.Follows.Delete(ctx, f.ID)
}

// undoneFollow finds the follower's follow an Undo takes back. It must be
// the signer's follow of one of our actors, and the Follow named must say
// so: an IRI must be the id of the Follow we stored; an embedded Follow
// must not name another actor or an object that is not ours, and is
// matched by its id or by the pair it names: the signer and one of our
// actors. It returns models.ErrNotFound otherwise.
func (in inbound) undoneFollow(ctx context.Context) (models.Follow, error) {
	ref := in.act.Object
	o := ref.Object
	if o != nil && (o.Actor != "" && o.Actor != in.actor.IRI || o.Object.IRI != "" && !in.fetcher.IsLocal(o.Object.IRI)) {
		return models.Follow{}, models.ErrNotFound
	}
	f, err := in.store.Follows.ByActivity(ctx, ref.IRI)
	if errors.Is(err, models.ErrNotFound) && o != nil && o.Actor == in.actor.IRI && o.Object.IRI != "" {
		var target models.Actor
		if target, err = in.store.Actors.ByIRI(ctx, o.Object.IRI); err == nil {
			if !target.Local {
				return f, models.ErrNotFound
			}
			f, err = in.store.Follows.Between(ctx, in.actor.ID, target.ID)
		}
	}
	if err != nil {
		return f, err
	}
	if f.Outbound || f.ActorID != in.actor.ID {
		return f, models.ErrNotFound
	}
	return f, nil
}

// ignoreNotFound is err, or nil for models.ErrNotFound.
func ignoreNotFound(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	return err
}
