package federation

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/pollen-coop/pollen/federation/quota"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/fetch"
	"github.com/pollen-coop/pollen/federation/groupcommit"
	"github.com/pollen-coop/pollen/federation/inboxrun"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Inbox takes the activities POSTed to the node's inboxes and processes
// them in the background: what they ask of the node's follows, replies
// and case studies, and the backfill of a peer newly followed.
type Inbox struct {
	*core
	// svc is the node's Service: the local actor, follows, fetching and
	// fan-out.
	svc *Service
	// inboxWake tells the inbox processor that an activity was stored;
	// parsed hands it the activity as parsed here.
	inboxWake chan struct{}
	parsed    *inboxrun.Handoff[ap.Activity]
	// commits stores received activities, many to a commit.
	commits *groupcommit.Committer
	// quotas hold what actors not followed have had stored lately;
	// relations the ties to this node found lately.
	quotas    quota.Quotas
	relations relationCache
}

// ReceiveActivity takes an activity POSTed to an inbox, whose signature
// VerifySignature checked before the body was read. In order: the body is
// checked against the signed Digest before it is parsed; the signer
// must be the activity's actor; the activity and any embedded object must
// come from the actor's origin, and an object it changes must be the
// actor's own; then the activity, if the node acts on it and has a reason
// to hear its actor (admit), is stored, once, and processed in the
// background. It returns a 401 *apperr.Error for a missing or bad signature, a 400
// or 413 *apperr.Error for a malformed body, a 403 *apperr.Error for a spoofed activity
// or another actor's object, a 429 *apperr.Error beyond the inbox quotas and a
// 409 *apperr.Error for an activity received before; none of these change
// anything. An actor's Delete of itself that no cached key verifies,
// signed with a key that now answers 410 Gone, returns nil and changes
// nothing, so that the deleted account's server stops retrying. After
// Close it returns an error wrapping groupcommit.ErrClosed.
func (s *Inbox) ReceiveActivity(ctx context.Context, signed Signed, body []byte) error {
	signer, err := signed.CheckBody(body)
	if err != nil && signed.r != nil && isGoneSelfDelete(signed.r, body, err) {
		s.log.Info("ignoring an actor's Delete of itself that cannot be verified: its key is gone", "err", err)
		return nil
	}
	if err != nil {
		return err
	}
	act, err := parseActivity(body)
	if err != nil {
		return err
	}
	if strings.ContainsRune(act.ID+act.Type+act.Actor, 0) {
		return apperr.Errorf(apperr.Invalid, "the activity's id, type or actor holds a NUL character")
	}
	if err := checkOrigin(act, signer); err != nil {
		return err
	}
	owned, err := s.checkOwner(ctx, act, signer)
	if err != nil {
		return err
	}
	if keep, err := s.admit(ctx, act, signer, owned, len(body)); err != nil || !keep {
		return err
	}
	inserted, err := s.commits.Record(ctx, &models.Activity{
		IRI: act.ID, Type: act.Type, ActorIRI: act.Actor, Payload: string(body),
		ReceivedAt: s.now().UTC(),
	})
	if err != nil {
		return err
	}
	if !inserted {
		return apperr.Errorf(apperr.Conflict, "the activity %s was received before", act.ID)
	}
	s.parsed.Put(act.ID, len(body), act)
	select {
	case s.inboxWake <- struct{}{}:
	default:
	}
	return nil
}

// checkOrigin enforces who may say what: the signer is the actor, the
// activity's id is on the actor's host, and an actor may create, update or
// delete only objects of its own origin, and undo only its own activities.
func checkOrigin(act ap.Activity, signer models.Actor) error {
	switch {
	case act.Actor == "":
		return apperr.Errorf(apperr.Invalid, "the activity has no actor")
	case act.Actor != signer.IRI:
		return apperr.Errorf(apperr.Forbidden, "the request is signed by %s, not by the activity's actor %s", signer.IRI, act.Actor)
	case !ap.SameOrigin(act.ID, act.Actor):
		return apperr.Errorf(apperr.Forbidden, "the activity's id %s is not on its actor's host", act.ID)
	}
	obj := act.Object
	switch act.Type {
	case "Create", "Update", "Delete":
		if obj.IsZero() {
			return apperr.Errorf(apperr.Invalid, "a %s needs an object", act.Type)
		}
		if !ap.SameOrigin(obj.IRI, act.Actor) {
			return apperr.Errorf(apperr.Forbidden, "%s may not %s %s: it is of another origin", act.Actor, act.Type, obj.IRI)
		}
		if o := obj.Object; o != nil && o.AttributedTo != "" && act.Type != "Delete" && !slices.Contains(o.AttributedToAll, act.Actor) {
			return apperr.Errorf(apperr.Forbidden, "the object is attributed to %s, not to the activity's actor", o.AttributedTo)
		}
		if act.Type == "Update" && obj.Object != nil && isActorObject(*obj.Object) && obj.IRI != act.Actor {
			return apperr.Errorf(apperr.Forbidden, "an actor may update only itself")
		}
	case "Undo", "Accept", "Reject":
		if obj.IsZero() {
			return apperr.Errorf(apperr.Invalid, "a %s needs an object", act.Type)
		}
		if act.Type == "Undo" && obj.Object != nil && obj.Object.Actor != "" && obj.Object.Actor != act.Actor {
			return apperr.Errorf(apperr.Forbidden, "an actor may undo only its own activities")
		}
	case "Follow", "Announce":
		if obj.IRI == "" {
			return apperr.Errorf(apperr.Invalid, "a %s needs an object with an id", act.Type)
		}
	}
	return nil
}

// Close stops storing received activities: it returns once the activities
// already handed to ReceiveActivity are stored, and from then on
// ReceiveActivity returns an error wrapping groupcommit.ErrClosed. The
// node calls it on shutdown, before it closes the store. Calling it again
// does nothing more.
func (s *Inbox) Close() { s.commits.Close() }

// RunInbox processes stored activities until ctx ends (see
// inboxrun.Runner.Run), a batch at a time (processBatch). It returns nil
// when ctx ends.
func (s *Inbox) RunInbox(ctx context.Context) error {
	return inboxrun.New(s.store, s.proc, s.log, s.now, s.inboxWake, s.processBatch).Run(ctx)
}

// process carries out one received activity; one whose actor the policy
// has refused since it was received is dropped.
func (b *batch) process(ctx context.Context, act ap.Activity) error {
	if err := b.policy.CheckActor(act.Actor); err != nil {
		b.log.Info("dropping a received activity the federation policy now refuses", "activity", act.ID, "reason", err)
		return nil
	}
	// What it does may change the actor or the follows: read them anew.
	defer b.forget()
	actor, err := b.actor(ctx, act.Actor)
	if err != nil {
		return fmt.Errorf("federation: the actor of %s: %w", act.ID, err)
	}
	in := inbound{Inbox: b.Inbox, act: act, actor: actor, local: b.local}
	switch act.Type {
	case "Follow":
		return in.follow(ctx)
	case "Accept", "Reject":
		return in.answer(ctx)
	case "Undo":
		return in.undo(ctx)
	case "Create", "Update":
		return in.createOrUpdate(ctx)
	case "Delete":
		return in.delete(ctx)
	case "Announce":
		return in.announce(ctx)
	}
	b.log.Debug("ignoring an activity of a type Pollen does not use", "activity", act.ID, "type", act.Type)
	return nil
}

// isActorObject reports whether an object is an actor of some type.
func isActorObject(o ap.Object) bool {
	return slices.ContainsFunc(o.Types, fetch.IsActorType)
}
