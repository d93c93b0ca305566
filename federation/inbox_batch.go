package federation

import (
	"context"
	"errors"
	"slices"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/convert"
	"github.com/pollen-coop/pollen/federation/inboxrun"
	"github.com/pollen-coop/pollen/federation/policy"
	"github.com/pollen-coop/pollen/models"
)

// batch is one claimed batch of received activities being processed, in
// order: what they share (this node's actor, the senders and whether
// they are followed) read once, and the run of new case studies from
// followed peers, most of a busy inbox, that waits to be stored in one
// transaction with the outcomes of their activities.
type batch struct {
	*Inbox
	local     models.Actor
	actors    map[string]models.Actor
	following map[int64]bool
	// known holds the objects of the batch's Creates already stored, read
	// at its start, while no other activity of the batch was processed;
	// nil afterwards.
	known map[string]bool
	run   []newCaseStudy
}

// newCaseStudy is a received Create of a case study not stored yet.
type newCaseStudy struct {
	row models.Activity
	in  inbound
	c   models.CaseStudy
}

// processBatch carries out acts in order and records the outcome of each
// (an inboxrun.Processor). A run of Creates of new case studies is stored
// in one transaction, which also marks their activities done; any other
// activity ends the run first, and is processed and marked on its own.
// It returns how many of acts, from the first, it finished.
func (s *Inbox) processBatch(ctx context.Context, acts []models.Activity) (int, error) {
	local, err := s.svc.LocalActor(ctx)
	if err != nil {
		return 0, err
	}
	b := &batch{Inbox: s, local: local}
	b.forget()
	parsed := make([]ap.Activity, len(acts))
	perrs := make([]error, len(acts))
	for i, a := range acts {
		var ok bool
		if parsed[i], ok = s.parsed.Take(a.IRI); !ok {
			parsed[i], perrs[i] = parseActivity([]byte(a.Payload))
		}
	}
	b.known = b.knownObjects(ctx, parsed)
	done := 0
	for i, a := range acts {
		act, perr := parsed[i], perrs[i]
		if perr == nil {
			if n, ok := b.newCaseStudy(ctx, a, act); ok {
				if slices.ContainsFunc(b.run, func(o newCaseStudy) bool { return o.c.IRI == n.c.IRI }) {
					if done, err = b.flush(ctx, done); err != nil || done != i {
						return done, err
					}
				}
				b.run = append(b.run, n)
				continue
			}
		}
		// Anything else ends the run: the batch is carried out in order.
		if done, err = b.flush(ctx, done); err != nil || done != i {
			return done, err
		}
		if perr == nil {
			perr = b.process(ctx, act)
		}
		if ctx.Err() != nil {
			return done, nil
		}
		if err := b.finish(ctx, a, perr); err != nil {
			return done, err
		}
		done++
	}
	return b.flush(ctx, done)
}

// forget drops what the batch has read of actors, follows and stored
// objects.
func (b *batch) forget() {
	b.actors, b.following, b.known = map[string]models.Actor{}, map[int64]bool{}, nil
}

// knownObjects reads, in one query, which objects embedded in the
// Creates of acts are stored case studies; nil if that fails.
func (b *batch) knownObjects(ctx context.Context, acts []ap.Activity) map[string]bool {
	var iris []string
	for _, act := range acts {
		if o := act.Object.Object; act.Type == "Create" && o != nil && o.ID != "" {
			iris = append(iris, o.ID)
		}
	}
	known, err := b.store.CaseStudies.KnownIRIs(ctx, iris)
	if err != nil {
		return nil
	}
	return known
}

// actor is the stored actor iri, read once a batch.
func (b *batch) actor(ctx context.Context, iri string) (models.Actor, error) {
	if a, ok := b.actors[iri]; ok {
		return a, nil
	}
	a, err := b.store.Actors.ByIRI(ctx, iri)
	if err == nil {
		b.actors[iri] = a
	}
	return a, err
}

// newCaseStudy reports whether act, the stored row a, is a Create of a
// case study that saveCaseStudy would store as new: an embedded Article,
// not a reply, by its sender, a peer this node follows and the policy
// admits, not stored before. Anything else, and any error on the way,
// goes through process, which says why.
func (b *batch) newCaseStudy(ctx context.Context, a models.Activity, act ap.Activity) (newCaseStudy, bool) {
	obj := act.Object.Object
	if act.Type != "Create" || obj == nil || obj.ID == "" || isActorObject(*obj) || !obj.HasType("Article") || obj.InReplyTo != "" ||
		obj.AttributedTo != "" && !slices.Contains(obj.AttributedToAll, act.Actor) || b.policy.CheckActor(act.Actor) != nil {
		return newCaseStudy{}, false
	}
	actor, err := b.actor(ctx, act.Actor)
	if err != nil {
		return newCaseStudy{}, false
	}
	following, ok := b.following[actor.ID]
	if !ok {
		if following, err = b.store.Follows.IsFollowing(ctx, b.local.ID, actor.ID); err != nil {
			return newCaseStudy{}, false
		}
		b.following[actor.ID] = following
	}
	c, err := convert.ToCaseStudy(*obj)
	if !following || err != nil || !ap.SameOrigin(c.IRI, actor.IRI) {
		return newCaseStudy{}, false
	}
	c.ActorID, c.Local = actor.ID, false
	if c.Published.IsZero() {
		c.Published = b.now().UTC()
		c.Updated = c.Published
	}
	if b.known != nil {
		if b.known[c.IRI] {
			return newCaseStudy{}, false
		}
	} else if _, err := b.store.CaseStudies.ByIRI(ctx, c.IRI); !errors.Is(err, models.ErrNotFound) {
		return newCaseStudy{}, false
	}
	in := inbound{Inbox: b.Inbox, act: act, actor: actor, local: b.local}
	if err := in.ensureTopic(ctx, c.ServiceArea); err != nil {
		return newCaseStudy{}, false
	}
	return newCaseStudy{row: a, in: in, c: c}, true
}

// flush stores the run of new case studies, many rows a statement
// (CreateMany), with their hub and topic announces (see reannounceIn),
// and marks their activities done, all in one transaction. If that fails, each is processed on its own, as any
// other activity, so that one bad case study fails alone. done is how
// many of the batch were finished before the run; flush returns how many
// are after it.
func (b *batch) flush(ctx context.Context, done int) (int, error) {
	run := b.run
	b.run = nil
	if len(run) == 0 {
		return done, nil
	}
	ids := make([]int64, len(run))
	cs := make([]models.CaseStudy, len(run))
	for i, n := range run {
		ids[i], cs[i] = n.row.ID, n.c
	}
	err := b.svc.atomically(ctx, func(tx *models.Store) error {
		if err := tx.CaseStudies.CreateMany(ctx, cs); err != nil {
			return err
		}
		for i := range run {
			if err := run[i].in.reannounceIn(ctx, tx, cs[i]); err != nil {
				return err
			}
		}
		return tx.Activities.FinishDone(ctx, ids)
	})
	if ctx.Err() != nil {
		return done, nil
	}
	if err == nil {
		for _, n := range run {
			b.log.Info("case study received", "id", n.c.IRI, "from", n.in.actor.IRI)
		}
		return done + len(run), nil
	}
	b.log.Warn("storing received case studies together failed; storing each on its own", "count", len(run), "err", err)
	for _, n := range run {
		perr := b.process(ctx, n.in.act)
		if ctx.Err() != nil {
			return done, nil
		}
		if err := b.finish(ctx, n.row, perr); err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}

// finish records the outcome of processing a, perr. What names a refused
// peer (an announced object of a blocked domain) is done, not retried.
func (b *batch) finish(ctx context.Context, a models.Activity, perr error) error {
	var refusal *policy.Refusal
	if errors.As(perr, &refusal) {
		b.log.Info("an activity names what the federation policy refuses", "activity", a.IRI, "err", perr)
		perr = nil
	}
	if perr != nil {
		b.log.Warn("processing an activity failed", "activity", a.IRI, "type", a.Type, "err", perr)
	}
	return b.store.Activities.Finish(ctx, a.ID, perr, inboxrun.MaxAttempts)
}
