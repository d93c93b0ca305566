package federation

import (
	"context"
	"errors"
	"slices"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/federation/topics"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// inbound is one received activity being processed: the activity, its
// (verified) actor and this node's actor.
type inbound struct {
	*Inbox
	act   ap.Activity
	actor models.Actor
	local models.Actor
	// backfill is set while reading a peer's outbox after a follow.
	backfilling bool
}

// createOrUpdate: a new or edited object. A Note, Page or Question, or an
// Article in reply to something, is a note (see saveNote); another
// Article from a peer we follow joins the feed as a case study; an
// actor's Update refreshes its cached profile and key.
func (in inbound) createOrUpdate(ctx context.Context) error {
	obj, err := in.object(ctx)
	if err != nil {
		return err
	}
	if isActorObject(obj) {
		if in.act.Type != "Update" || obj.ID != in.actor.IRI {
			in.log.Info("ignoring a Create or Update of an actor other than its sender", "activity", in.act.ID, "object", obj.ID)
			return nil
		}
		_, err := in.fetcher.FetchActor(ctx, in.actor.IRI)
		return err
	}
	if obj.AttributedTo != "" && !slices.Contains(obj.AttributedToAll, in.actor.IRI) {
		in.log.Info("ignoring an object attributed to another actor", "activity", in.act.ID, "object", obj.ID, "attributed_to", obj.AttributedTo)
		return nil
	}
	if !obj.HasType("Article") || obj.InReplyTo != "" {
		return in.saveNote(ctx, obj)
	}
	if in.act.Type == "Update" {
		if _, err := in.store.Notes.ByIRI(ctx, obj.ID); err == nil {
			return in.saveNote(ctx, obj)
		}
	}
	following, err := in.store.Follows.IsFollowing(ctx, in.local.ID, in.actor.ID)
	if err != nil {
		return err
	}
	if !following {
		existing, err := in.store.CaseStudies.ByIRI(ctx, obj.ID)
		if err != nil || in.act.Type != "Update" || existing.ActorID != in.actor.ID {
			in.log.Debug("ignoring an Article from an actor not followed", "object", obj.ID)
			return nil
		}
	}
	return in.saveCaseStudy(ctx, in.actor, obj)
}

// object is the activity's object: embedded (its origin already checked
// against the actor), or fetched from its origin when only an IRI came.
func (in inbound) object(ctx context.Context) (ap.Object, error) {
	if o := in.act.Object.Object; o != nil && o.ID != "" {
		return *o, nil
	}
	return in.fetchObject(ctx, in.act.Object.IRI)
}

// fetchObject fetches an object from its origin and checks that the
// document is the one asked for.
func (in inbound) fetchObject(ctx context.Context, iri string) (ap.Object, error) {
	resp, err := in.fetcher.Document(ctx, iri)
	if err != nil {
		return ap.Object{}, err
	}
	o, err := parseObject(resp.Body)
	if err != nil {
		return ap.Object{}, err
	}
	if o.ID != iri {
		return ap.Object{}, apperr.Errorf(apperr.BadGateway, "fetched %s but the document's id is %s", iri, o.ID)
	}
	return o, nil
}

// saveCaseStudy stores or replaces a received case study by author. A
// deleted one is never brought back.
func (in inbound) saveCaseStudy(ctx context.Context, author models.Actor, obj ap.Object) error {
	c, err := convert.ToCaseStudy(obj)
	if err != nil {
		return err
	}
	if !ap.SameOrigin(c.IRI, author.IRI) {
		return apperr.Errorf(apperr.Forbidden, "%s is not of %s's origin", c.IRI, author.IRI)
	}
	c.ActorID, c.Local = author.ID, false
	if c.Published.IsZero() {
		c.Published = in.now().UTC()
		c.Updated = c.Published
	}
	old, err := in.store.CaseStudies.ByIRI(ctx, c.IRI)
	switch {
	case errors.Is(err, models.ErrNotFound):
		if err := in.ensureTopic(ctx, c.ServiceArea); err != nil {
			return err
		}
		// Stored and re-announced together: a failure leaves neither, so
		// the retry, which finds the case study new again, announces it.
		err := in.svc.atomically(ctx, func(tx *models.Store) error {
			if err := tx.CaseStudies.Create(ctx, &c); err != nil {
				return err
			}
			return in.reannounceIn(ctx, tx, c)
		})
		if err != nil {
			return err
		}
		in.log.Info("case study received", "id", c.IRI, "from", author.IRI)
		return nil
	case err != nil:
		return err
	case old.Local || old.ActorID != author.ID || old.Deleted():
		return nil
	case !c.Updated.After(old.Updated) && in.act.Type != "Update":
		return nil // already have this version
	case !obj.Updated.IsZero() && c.Updated.Before(old.Updated):
		in.log.Info("ignoring an older version of a case study", "id", c.IRI, "activity", in.act.ID)
		return nil // an edit overtaken by a later one
	}
	c.ID, c.CreatedAt = old.ID, old.CreatedAt
	in.log.Info("case study updated", "id", c.IRI, "from", author.IRI)
	return in.store.CaseStudies.Save(ctx, &c)
}

// delete: a peer deletes an object of its own, or itself.
func (in inbound) delete(ctx context.Context) error {
	defer in.docCache.Changed() // a reply may go, or an actor's replies
	iri := in.act.Object.IRI
	if iri == in.actor.IRI {
		in.log.Info("actor deleted itself", "actor", iri)
		if err := in.store.Follows.DeleteOf(ctx, in.actor.ID); err != nil {
			return err
		}
		return in.store.Actors.DeleteContentOf(ctx, in.actor.ID)
	}
	if c, err := in.store.CaseStudies.ByIRI(ctx, iri); err == nil {
		if c.Local || c.ActorID != in.actor.ID || c.Deleted() {
			return nil
		}
		in.log.Info("case study deleted", "id", iri)
		return in.store.CaseStudies.Delete(ctx, c.ID)
	} else if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	if r, err := in.store.Notes.ByIRI(ctx, iri); err == nil && r.ActorID == in.actor.ID && !r.Local {
		return in.store.Notes.Delete(ctx, iri)
	}
	return nil
}

// announce: a peer boosts a case study. From a peer we follow (a hub)
// the case study is fetched from its origin, never taken from the
// announcer, and stored under its real author; from anyone, an announce of
// one of ours is recorded and notified (reblog). The announce is kept,
// for the home timeline, in both cases.
func (in inbound) announce(ctx context.Context) error {
	iri := in.act.Object.IRI
	if in.fetcher.IsLocal(iri) {
		cs, err := in.store.CaseStudies.ByIRI(ctx, iri)
		if errors.Is(err, models.ErrNotFound) || (err == nil && (!cs.Local || cs.Deleted())) {
			return nil
		}
		if err != nil {
			return err
		}
		return in.recordAnnounce(ctx, cs, true)
	}
	following, err := in.store.Follows.IsFollowing(ctx, in.local.ID, in.actor.ID)
	if err != nil || !following {
		return err
	}
	cs, err := in.store.CaseStudies.ByIRI(ctx, iri)
	if errors.Is(err, models.ErrNotFound) {
		if cs, err = in.fetchAnnounced(ctx, iri); errors.Is(err, models.ErrNotFound) {
			return nil
		}
	}
	if err != nil || cs.Deleted() {
		return err
	}
	return in.recordAnnounce(ctx, cs, false)
}

// fetchAnnounced fetches and stores an announced case study, returning
// it, or models.ErrNotFound for an object that is not one.
func (in inbound) fetchAnnounced(ctx context.Context, iri string) (models.CaseStudy, error) {
	obj, err := in.fetchObject(ctx, iri)
	if err != nil {
		return models.CaseStudy{}, err
	}
	if !obj.HasType("Article") || obj.AttributedTo == "" || !ap.SameOrigin(obj.ID, obj.AttributedTo) {
		return models.CaseStudy{}, models.ErrNotFound
	}
	author, err := in.fetcher.LookupActor(ctx, obj.AttributedTo)
	if err != nil {
		return models.CaseStudy{}, err
	}
	if err := in.saveCaseStudy(ctx, author, obj); err != nil {
		return models.CaseStudy{}, err
	}
	return in.store.CaseStudies.ByIRI(ctx, iri)
}

// recordAnnounce keeps the received Announce of cs, and for one of ours
// notifies it, in one transaction.
func (in inbound) recordAnnounce(ctx context.Context, cs models.CaseStudy, ours bool) error {
	a := models.Announce{IRI: in.act.ID, ActorID: in.actor.ID, CaseStudyID: cs.ID, Published: in.act.Published.UTC()}
	if in.act.Published.IsZero() || in.act.Published.After(in.now()) {
		a.Published = in.now().UTC()
	}
	return in.svc.atomically(ctx, func(tx *models.Store) error {
		if _, err := tx.Announces.Save(ctx, &a); err != nil || !ours {
			return err
		}
		return tx.Notifications.Add(ctx, &models.Notification{Type: models.NotifyReblog, ActorID: in.actor.ID, StatusID: cs.StatusID})
	})
}

// reannounceIn makes a hub boost a case study it received to its own
// followers, so that following the hub gives the whole region, and from
// the topic actor of its service area to that topic's followers, queueing
// the Announces in store, the transaction that stores the case study. An
// Announce's id is fixed by its actor and the object, and a case study is
// announced only when first stored, so hubs that follow hubs make neither
// loops nor duplicates. An inbox that the hub's Announce reaches gets no
// topic's: one inbox never gets the same case study twice.
func (in inbound) reannounceIn(ctx context.Context, store *models.Store, c models.CaseStudy) error {
	if !in.cfg.IsHub() || in.backfilling {
		return nil
	}
	hubInboxes, err := store.Follows.FollowerInboxes(ctx, in.local.ID)
	if err != nil {
		return err
	}
	if err := in.svc.deliverIn(ctx, store, in.local, in.announceOf(in.local, c), hubInboxes); err != nil {
		return err
	}
	topic, err := in.svc.topics.Of(ctx, store, c.ServiceArea)
	if errors.Is(err, topics.ErrNoTopic) {
		return nil
	}
	if err != nil {
		return err
	}
	inboxes, err := store.Follows.FollowerInboxes(ctx, topic.ActorID)
	if err != nil {
		return err
	}
	return in.svc.deliverIn(ctx, store, topic.Actor, in.announceOf(topic.Actor, c), topics.Without(inboxes, hubInboxes))
}

// announceOf is actor's Announce of c, to the public and its followers.
func (in inbound) announceOf(actor models.Actor, c models.CaseStudy) Activity {
	return Activity{
		ID: topics.AnnounceID(actor.IRI, c.IRI), Type: "Announce", Actor: actor.IRI, Published: Time(in.now()),
		To: []string{ap.PublicIRI}, Cc: []string{actor.Followers}, Object: c.IRI,
	}
}
