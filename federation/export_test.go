package federation

import (
	"context"

	"github.com/pollen-coop/pollen/models"
)

// Enqueue queues payload, the JSON of activity activityID signed by signer,
// for each inbox, the way publishing and answering follows do (in one
// transaction, then waking the delivery runner): for the tests of the
// runner, which send to inboxes of their own making.
func (s *Service) Enqueue(ctx context.Context, activityID string, signer models.Actor, payload []byte, inboxes []string) error {
	return s.atomically(ctx, func(tx *models.Store) error {
		return s.enqueue(ctx, tx, activityID, signer, payload, inboxes)
	})
}
