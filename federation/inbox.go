package federation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/federation/quota"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/fetch"
	"github.com/pollen-coop/pollen/federation/groupcommit"
	"github.com/pollen-coop/pollen/federation/liveness"
	"github.com/pollen-coop/pollen/federation/policy"
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
	// inboxWake tells the inbox processor that an activity was stored.
	inboxWake chan struct{}
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

// Processing of received activities: how often one is tried, how long
// after a failure it is tried again, and how often the store is polled.
const (
	maxActivityAttempts = 8
	inboxRetry          = 15 * time.Second
	inboxPoll           = 2 * time.Second
	// inboxLease is how long a processor may hold the activities it
	// claimed, a batch processed one after the other. A processor that
	// dies loses them as soon as its heartbeat is stale.
	inboxLease = 30 * time.Minute
	// activityKeep is how long processed activities are kept.
	activityKeep = 7 * 24 * time.Hour
)

// Close stops storing received activities: it returns once the activities
// already handed to ReceiveActivity are stored, and from then on
// ReceiveActivity returns an error wrapping groupcommit.ErrClosed. The
// node calls it on shutdown, before it closes the store. Calling it again
// does nothing more.
func (s *Inbox) Close() { s.commits.Close() }

// RunInbox processes stored activities until ctx ends: at once when this
// process stores one, and every few seconds otherwise, so that activities
// stored before a restart, held by a process that died, or whose
// processing failed for a while (a peer down during a fetch), are
// processed too. It returns nil when ctx ends.
func (s *Inbox) RunInbox(ctx context.Context) error {
	defer s.proc.Hold(ctx)()
	t := time.NewTicker(inboxPoll)
	defer t.Stop()
	var purged time.Time
	for {
		for s.processPending(ctx) {
		}
		if now := s.now(); now.Sub(purged) > time.Hour {
			purged = now
			if n, err := s.store.Activities.Purge(ctx, now.Add(-activityKeep)); err != nil {
				s.log.Warn("purging old activities", "err", err)
			} else if n > 0 {
				s.log.Info("purged old activities", "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.inboxWake:
		case <-t.C:
		}
	}
}

// processPending processes one batch; it reports whether there may be
// more. If this process's heartbeat lapses meanwhile it stops, and gives
// up the activities it has not finished.
func (s *Inbox) processPending(ctx context.Context) bool {
	const batch = 50
	alive, ok := s.proc.Current()
	if !ok {
		return false
	}
	worker := s.proc.ID()
	now := s.now()
	acts, err := s.store.Activities.Claim(ctx, models.ActivityClaim{
		Limit: batch, MaxAttempts: maxActivityAttempts, RetryBefore: now.Add(-inboxRetry),
		Now: now, Lease: inboxLease, Worker: worker, StaleBefore: liveness.StaleBefore(now),
	})
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("listing received activities", "err", err)
		}
		return false
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(alive, cancel)()
	for i, a := range acts {
		perr := s.process(pctx, a)
		if pctx.Err() != nil {
			// Stopping: on shutdown the claims are released when the
			// process ends; on a lapsed heartbeat, now.
			if ctx.Err() == nil {
				s.releaseActivities(ctx, worker, acts[i:])
			}
			return false
		}
		var refusal *policy.Refusal
		if errors.As(perr, &refusal) {
			// What it names is of a refused peer (an announced object of a
			// blocked domain): done, not retried.
			s.log.Info("an activity names what the federation policy refuses", "activity", a.IRI, "err", perr)
			perr = nil
		}
		if perr != nil {
			s.log.Warn("processing an activity failed", "activity", a.IRI, "type", a.Type, "err", perr)
		}
		if err := s.store.Activities.Finish(ctx, a.ID, perr, maxActivityAttempts); err != nil {
			s.log.Error("recording an activity's processing", "activity", a.IRI, "err", err)
			return false
		}
	}
	return len(acts) == batch
}

// releaseActivities gives up this process's claims on acts.
func (s *Inbox) releaseActivities(ctx context.Context, worker string, acts []models.Activity) {
	ids := make([]int64, len(acts))
	for i, a := range acts {
		ids[i] = a.ID
	}
	if err := s.store.Activities.Release(ctx, worker, ids); err != nil {
		s.log.Warn("giving up received activities", "err", err)
	}
}

// process carries out one stored activity; one whose actor the policy
// has refused since it was received is dropped.
func (s *Inbox) process(ctx context.Context, a models.Activity) error {
	act, err := parseActivity([]byte(a.Payload))
	if err != nil {
		return err
	}
	if err := s.policy.CheckActor(act.Actor); err != nil {
		s.log.Info("dropping a received activity the federation policy now refuses", "activity", act.ID, "reason", err)
		return nil
	}
	actor, err := s.store.Actors.ByIRI(ctx, act.Actor)
	if err != nil {
		return fmt.Errorf("federation: the actor of %s: %w", act.ID, err)
	}
	local, err := s.svc.LocalActor(ctx)
	if err != nil {
		return err
	}
	in := inbound{Inbox: s, act: act, actor: actor, local: local}
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
	s.log.Debug("ignoring an activity of a type Pollen does not use", "activity", act.ID, "type", act.Type)
	return nil
}

// isActorObject reports whether an object is an actor of some type.
func isActorObject(o ap.Object) bool {
	return slices.ContainsFunc(o.Types, fetch.IsActorType)
}
