package federation

import (
	"context"

	"github.com/pollen-coop/pollen/federation/notedoc"
	"github.com/pollen-coop/pollen/models"
)

// QueueNote queues, in tx (a transaction of Atomically), a note's Create
// or Delete signed by author for each of the inboxes.
func (s *Service) QueueNote(ctx context.Context, tx *models.Store, author models.Actor, a notedoc.Activity, inboxes []string) error {
	payload, err := notedoc.Encode(a)
	if err != nil || len(inboxes) == 0 {
		return err
	}
	return s.deliveries.Enqueue(ctx, tx, a.ID, author, payload, inboxes)
}

// NoteDocument is notedoc.Document over the node's store.
func (s *Documents) NoteDocument(ctx context.Context, id string) (doc any, gone bool, err error) {
	return notedoc.Document(ctx, s.store, s.cfg.URL, id)
}
