package federation

import (
	"context"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// Atomically runs fn in one transaction and then wakes the delivery
// runner, so that a change and the activities fn queues with QueueCreate,
// QueueUpdate or QueueDelete are stored together, or neither. It returns
// fn's error or the store's; the served documents show what it changed.
func (s *Service) Atomically(ctx context.Context, fn func(tx *models.Store) error) error {
	defer s.docCache.Changed()
	return s.atomically(ctx, fn)
}

// QueueCreate queues, in tx (a transaction of Atomically), the Create of
// the case study c by author for each of author's accepted followers. It
// returns the store's error.
func (s *Service) QueueCreate(ctx context.Context, tx *models.Store, c models.CaseStudy, author models.Actor) error {
	return s.fanOutIn(ctx, tx, author, s.docs.createActivity(c, author))
}

// QueueUpdate queues, in tx, the Update that sends the case study c as it
// is now; its id is made from c.Updated, which must be later than that of
// the case study's last Update. It returns the store's error.
func (s *Service) QueueUpdate(ctx context.Context, tx *models.Store, c models.CaseStudy, author models.Actor) error {
	return s.fanOutIn(ctx, tx, author, s.docs.updateActivity(c, author))
}

// QueueDelete queues, in tx, the Delete of the case study c, whose IRI
// answers with a Tombstone from then on. It returns the store's error.
func (s *Service) QueueDelete(ctx context.Context, tx *models.Store, c models.CaseStudy, author models.Actor) error {
	return s.fanOutIn(ctx, tx, author, s.docs.deleteActivity(c, author))
}

// Hashtags are the hashtags of c that peers see, without '#': the service
// area's first, then the tags, each once whatever its case.
func Hashtags(c models.CaseStudy) []string { return hashtags(c) }

// CaseStudyGone is the 410 *apperr.Error of a deleted case study; errors.Is
// finds ErrGone in it.
func CaseStudyGone() error {
	return &apperr.Error{Kind: apperr.Gone, Message: "this case study has been deleted", Err: models.ErrGone}
}
