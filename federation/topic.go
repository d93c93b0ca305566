package federation

import (
	"context"
	"errors"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/apdoc"
	"github.com/pollen-coop/pollen/federation/topics"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Topics returns a hub's topic actors (any node has them, but only a
// hub makes any).
func (s *Service) Topics() *topics.Topics { return s.topics }

// ensureTopic makes, on a hub, the topic actor of a received case study's
// service area if it has none (a free-text area while under the cap),
// before the transaction that stores and announces it: a new key is not
// made while a transaction waits.
func (in inbound) ensureTopic(ctx context.Context, area string) error {
	if !in.cfg.IsHub() {
		return nil
	}
	_, err := in.svc.topics.Ensure(ctx, area)
	if errors.Is(err, topics.ErrNoTopic) {
		return nil
	}
	return err
}

// topicOutbox is the outbox of a topic actor: the collection when page
// is 0, else that page of its Announces of the case studies of its area
// this node holds, newest first. Pages past the end answer 404.
func (s *Documents) topicOutbox(ctx context.Context, t topics.Topic, page int) (Collection, error) {
	q := models.CaseStudyQuery{ServiceArea: t.Area, Limit: apdoc.OutboxPageSize}
	if page > 0 {
		q.Offset = (page - 1) * apdoc.OutboxPageSize
	}
	cs, total, err := s.store.CaseStudies.List(ctx, q)
	if err != nil {
		return Collection{}, err
	}
	if page <= 0 {
		return apdoc.CollectionSummary(t.Actor.Outbox, total), nil
	}
	if len(cs) == 0 && page > 1 {
		return Collection{}, apperr.Errorf(apperr.NotFound, "the outbox has no page %d", page)
	}
	c := Collection{Context: ap.Context, TotalItems: &total, OrderedItems: []any{}}
	apdoc.PageLinks(&c, t.Actor.Outbox, page, total, apdoc.OutboxPageSize)
	for _, cs := range cs {
		c.OrderedItems = append(c.OrderedItems, Activity{
			ID: topics.AnnounceID(t.Actor.IRI, cs.IRI), Type: "Announce", Actor: t.Actor.IRI, Published: Time(cs.Published),
			To: []string{ap.PublicIRI}, Cc: []string{t.Actor.Followers}, Object: cs.IRI,
		})
	}
	return c, nil
}

// ActorOutbox is the outbox of the local actor handle: the
// organisation's (Outbox) or a topic actor's (its Announces). It returns
// a not found error for another handle, and for a page past the end.
func (s *Documents) ActorOutbox(ctx context.Context, handle string, page int) (Collection, error) {
	if handle == s.cfg.Handle {
		return s.Outbox(ctx, page)
	}
	t, err := s.topics.ByHandle(ctx, handle)
	if errors.Is(err, models.ErrNotFound) {
		return Collection{}, apperr.Errorf(apperr.NotFound, "no actor %q here", handle)
	}
	if err != nil {
		return Collection{}, err
	}
	return s.topicOutbox(ctx, t, page)
}
