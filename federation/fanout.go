package federation

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/models"
)

// updateActivity announces a case study's new version. Each edit has its
// own activity ID, made from its time to the millisecond (editTime keeps
// the edits of one case study a millisecond apart at least), so neither
// the delivery queue nor a receiver drops an edit as a repeat.
func (s *Documents) updateActivity(c models.CaseStudy, author models.Actor) Activity {
	a := s.ToArticle(c, author)
	return Activity{
		ID: fmt.Sprintf("%s#update-%d", c.IRI, c.Updated.UnixMilli()), Type: "Update", Actor: author.IRI,
		Published: EditTime(c.Updated), To: a.To, Cc: a.Cc, Object: a,
	}
}

// deleteActivity announces that a case study is gone.
func (s *Documents) deleteActivity(c models.CaseStudy, author models.Actor) Activity {
	return Activity{
		ID: c.IRI + "#delete", Type: "Delete", Actor: author.IRI, Published: Time(s.now()),
		To: []string{ap.PublicIRI}, Cc: []string{author.Followers},
		Object: Tombstone{ID: c.IRI, Type: "Tombstone", FormerType: "Article", Deleted: Time(s.now())},
	}
}

// fanOut queues activity for every accepted follower of signer, one job per
// inbox (shared inboxes once), and wakes the delivery runner.
func (s *Service) fanOut(ctx context.Context, signer models.Actor, activity Activity) error {
	if err := s.fanOutIn(ctx, s.store, signer, activity); err != nil {
		return err
	}
	s.deliveries.Wake()
	return nil
}

// fanOutIn is fanOut in store (a transaction's) without the wake-up: the
// caller wakes the runner once the transaction is committed.
func (s *Service) fanOutIn(ctx context.Context, store *models.Store, signer models.Actor, activity Activity) error {
	inboxes, err := store.Follows.FollowerInboxes(ctx, signer.ID)
	if err != nil || len(inboxes) == 0 {
		return err
	}
	payload, err := encodeActivity(activity)
	if err != nil {
		return err
	}
	return s.deliveries.Enqueue(ctx, store, activity.ID, signer, payload, inboxes)
}

// deliverIn queues activity, signed by signer, for each inbox, in store (a
// transaction's); the caller wakes the runner after the commit.
func (s *Service) deliverIn(ctx context.Context, store *models.Store, signer models.Actor, activity Activity, inboxes []string) error {
	if len(inboxes) == 0 {
		return nil
	}
	payload, err := encodeActivity(activity)
	if err != nil {
		return err
	}
	return s.deliveries.Enqueue(ctx, store, activity.ID, signer, payload, inboxes)
}

// atomically runs fn in one transaction and then wakes the delivery
// runner, so that a change and the activities it queues are stored
// together.
func (s *Service) atomically(ctx context.Context, fn func(tx *models.Store) error) error {
	if err := s.store.Atomically(ctx, fn); err != nil {
		return err
	}
	s.deliveries.Wake()
	return nil
}

// encodeActivity is the JSON sent for an activity, with its @context.
func encodeActivity(activity Activity) ([]byte, error) {
	activity.Context = ap.Context
	payload, err := json.Marshal(activity)
	if err != nil {
		return nil, fmt.Errorf("federation: encode %s: %w", activity.Type, err)
	}
	return payload, nil
}
