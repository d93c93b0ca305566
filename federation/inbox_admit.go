package federation

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/federation/quota"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/models"
)

// actedOn are the activity types the node acts on; no other is stored.
var actedOn = []string{"Follow", "Accept", "Reject", "Undo", "Create", "Update", "Delete", "Announce"}

// admit decides whether a received activity, verified and checked, is
// stored. Only the types the node acts on are, from actors it has a reason
// to hear: one it follows or that follows it, one with replies or case
// studies here, or an activity that follows, replies to, mentions or
// addresses one of our actors, or changes the signer's own object. What
// is not stored is answered 202 all the same, so that servers do not
// retry it. Actors the node does not follow are held to the inbox quotas;
// beyond them admit returns a 429 *apperr.Error with RetryAfter. It returns store
// errors.
func (s *Inbox) admit(ctx context.Context, act ap.Activity, signer models.Actor, owned bool, size int) (bool, error) {
	if !slices.Contains(actedOn, act.Type) {
		s.log.Debug("not storing an activity of a type Pollen does not use", "activity", act.ID, "type", act.Type)
		return false, nil
	}
	rel, err := s.relationOf(ctx, signer.ID)
	if err != nil {
		return false, err
	}
	if rel.Followed {
		return true, nil
	}
	if !rel.Follower && !rel.HasContent && !owned && !s.concernsUs(act) {
		s.log.Debug("not storing an activity from an actor with no tie to this node", "activity", act.ID, "actor", signer.IRI)
		return false, nil
	}
	lim := quota.Limits{
		ActorActivities: s.cfg.InboxActorActivitiesPerHour, ActorBytes: s.cfg.InboxActorBytesPerHour,
		HostActivities: s.cfg.InboxHostActivitiesPerHour, HostBytes: s.cfg.InboxHostBytesPerHour,
	}
	if err := s.quotas.Take(signer.IRI, ap.Host(signer.IRI), size, lim, s.now()); err != nil {
		s.log.Info("inbox quota spent", "actor", signer.IRI, "err", err)
		return false, err
	}
	return true, nil
}

// concernsUs reports whether an activity follows one of our actors or
// announces something of ours, or it or its embedded object replies to,
// mentions or addresses something of ours, or its embedded activity (an
// Undo's Announce) names something of ours.
func (s *Inbox) concernsUs(act ap.Activity) bool {
	if act.Type == "Follow" || act.Type == "Announce" {
		return s.fetcher.IsLocal(act.Object.IRI)
	}
	lists := [][]string{act.To, act.Cc, act.Bto, act.Bcc, act.Audience}
	if o := act.Object.Object; o != nil {
		if s.fetcher.IsLocal(o.InReplyTo) || s.fetcher.IsLocal(o.Object.IRI) {
			return true
		}
		lists = append(lists, o.To, o.Cc, o.Bto, o.Bcc, o.Audience, o.Mentions())
	}
	for _, l := range lists {
		if slices.ContainsFunc(l, s.fetcher.IsLocal) {
			return true
		}
	}
	return false
}

// relationTTL is how long a tie found between an actor and this node is
// trusted without asking the database again: an actor unfollowed is heard
// that much longer. The absence of a tie is never cached, so a new follow
// counts at once.
const relationTTL = 30 * time.Second

// relationCache keeps the ties found lately, by actor row ID. The zero
// value is ready to use.
type relationCache struct {
	mu sync.Mutex
	m  map[int64]cachedRelation
}

type cachedRelation struct {
	rel   models.Relation
	until time.Time
}

// relationOf is the store's Actors.RelationOf, from the cache when a tie was
// found in the last relationTTL.
func (s *Inbox) relationOf(ctx context.Context, actorID int64) (models.Relation, error) {
	c := &s.relations
	now := s.now()
	c.mu.Lock()
	e, ok := c.m[actorID]
	c.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.rel, nil
	}
	rel, err := s.store.Actors.RelationOf(ctx, actorID)
	if err != nil || rel == (models.Relation{}) {
		return rel, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= 10000 {
		c.m = map[int64]cachedRelation{} // forget old entries rather than grow
	}
	c.m[actorID] = cachedRelation{rel: rel, until: now.Add(relationTTL)}
	c.mu.Unlock()
	return rel, nil
}
