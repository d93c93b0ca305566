package federation

import (
	"context"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/apdoc"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Outbox returns the organisation's outbox: the collection when page is 0,
// else that page of Create activities with their Articles embedded, newest
// first. Pages past the end answer 404.
func (s *Documents) Outbox(ctx context.Context, page int) (Collection, error) {
	actor, err := s.store.Actors.Local(ctx, s.cfg.Handle)
	if err != nil {
		return Collection{}, err
	}
	q := models.CaseStudyQuery{LocalOnly: true, ActorID: actor.ID, Limit: apdoc.OutboxPageSize}
	if page > 0 {
		q.Offset = (page - 1) * apdoc.OutboxPageSize
	}
	cs, total, err := s.store.CaseStudies.List(ctx, q)
	if err != nil {
		return Collection{}, err
	}
	if page <= 0 {
		return apdoc.CollectionSummary(actor.Outbox, total), nil
	}
	if len(cs) == 0 && page > 1 {
		return Collection{}, apperr.Errorf(apperr.NotFound, "the outbox has no page %d", page)
	}
	c := Collection{Context: ap.Context, TotalItems: &total, OrderedItems: []any{}}
	apdoc.PageLinks(&c, actor.Outbox, page, total, apdoc.OutboxPageSize)
	for _, cs := range cs {
		c.OrderedItems = append(c.OrderedItems, s.createActivity(cs, actor))
	}
	return c, nil
}

// createActivity wraps a case study in the Create that published it.
func (s *Documents) createActivity(c models.CaseStudy, author models.Actor) Activity {
	a := s.ToArticle(c, author)
	return Activity{
		ID: c.IRI + "#create", Type: "Create", Actor: author.IRI, Published: a.Published,
		To: a.To, Cc: a.Cc, Object: a,
	}
}

// CaseStudyDocument returns the Article of the local case study slug with
// its @context, or, with gone true, the Tombstone of a deleted one. It
// returns models.ErrNotFound for a slug never used.
func (s *Documents) CaseStudyDocument(ctx context.Context, slug string) (doc any, gone bool, err error) {
	c, err := s.store.CaseStudies.BySlug(ctx, slug)
	if err != nil {
		return nil, false, err
	}
	if c.Deleted() {
		return ToTombstone(c), true, nil
	}
	author, err := s.store.Actors.ByID(ctx, c.ActorID)
	if err != nil {
		return nil, false, err
	}
	a := s.ToArticle(c, author)
	a.Context = ap.Context
	replies, err := s.repliesCollection(ctx, c, 0)
	if err != nil {
		return nil, false, err
	}
	a.Replies = &replies
	return a, false, nil
}

// ActorDocument returns the document of the local actor with the given
// handle, or models.ErrNotFound.
func (s *Documents) ActorDocument(ctx context.Context, handle string) (ActorDocument, error) {
	a, err := s.store.Actors.Local(ctx, handle)
	if err != nil {
		return ActorDocument{}, err
	}
	return s.ToActorDocument(a), nil
}

// FollowCollection returns the followers or following collection of the
// local actor handle: its size, without items (as Mastodon shows it).
func (s *Documents) FollowCollection(ctx context.Context, handle, which string) (Collection, error) {
	a, err := s.store.Actors.Local(ctx, handle)
	if err != nil {
		return Collection{}, err
	}
	id, list := a.Followers, s.store.Follows.Followers
	if which == "following" {
		id, list = a.Following, s.store.Follows.Following
	}
	_, total, err := list(ctx, a.ID, models.FollowAccepted, 1, 0)
	if err != nil {
		return Collection{}, err
	}
	c := apdoc.CollectionSummary(id, total)
	c.First = nil
	return c, nil
}

// FeaturedIRI is the ID of the featured collection of the local actor
// handle: what Mastodon shows as pinned posts.
func (s *Documents) FeaturedIRI(handle string) string { return actorIRI(s.cfg, handle) + "/featured" }

// FeaturedCollection returns the featured collection of the local actor
// handle: an OrderedCollection, empty since nothing is pinned. Mastodon
// reads it from the actor's featured property, and GoToSocial logs an
// error for an actor without one. It returns models.ErrNotFound for an
// unknown handle and store errors.
func (s *Documents) FeaturedCollection(ctx context.Context, handle string) (Collection, error) {
	a, err := s.store.Actors.Local(ctx, handle)
	if err != nil {
		return Collection{}, err
	}
	c := apdoc.CollectionSummary(s.FeaturedIRI(a.Handle), 0)
	c.OrderedItems = []any{}
	return c, nil
}
