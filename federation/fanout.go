package federation

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pollen-coop/pollen/models"
)

// updateActivity announces a case study's new version. Each edit has its
// own activity ID, so receivers never drop an edit as a repeat.
func (s *Service) updateActivity(c models.CaseStudy, author models.Actor) Activity {
	a := s.ToArticle(c, author)
	return Activity{
		ID: fmt.Sprintf("%s#update-%d", c.IRI, c.Updated.Unix()), Type: "Update", Actor: author.IRI,
		Published: Time(c.Updated), To: a.To, Cc: a.Cc, Object: a,
	}
}

// deleteActivity announces that a case study is gone.
func (s *Service) deleteActivity(c models.CaseStudy, author models.Actor) Activity {
	return Activity{
		ID: c.IRI + "#delete", Type: "Delete", Actor: author.IRI, Published: Time(s.now()),
		To: []string{PublicIRI}, Cc: []string{author.Followers},
		Object: Tombstone{ID: c.IRI, Type: "Tombstone", FormerType: "Article", Deleted: Time(s.now())},
	}
}

// fanOut queues activity for every accepted follower of signer, one job per
// inbox (shared inboxes once).
func (s *Service) fanOut(ctx context.Context, signer models.Actor, activity Activity) error {
	inboxes, err := s.store.FollowerInboxes(ctx, signer.ID)
	if err != nil {
		return err
	}
	return s.deliver(ctx, signer, activity, inboxes)
}

// deliver queues activity, signed by signer, for each inbox.
func (s *Service) deliver(ctx context.Context, signer models.Actor, activity Activity, inboxes []string) error {
	if len(inboxes) == 0 {
		return nil
	}
	activity.Context = Context
	payload, err := json.Marshal(activity)
	if err != nil {
		return fmt.Errorf("federation: encode %s: %w", activity.Type, err)
	}
	return s.Deliver(ctx, activity.ID, signer, payload, inboxes)
}
