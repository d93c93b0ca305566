package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/notedoc"
	"github.com/pollen-coop/pollen/models"
)

// NoteIRI is the ID of the local note with the given id.
func (s *Service) NoteIRI(id int64) string { return s.cfg.URL(fmt.Sprintf("/notes/%d", id)) }

// ResolveActor finds an actor from a handle or an actor URL, as `pollen
// follow` does, with Fetcher.ResolveActor's errors.
func (s *Service) ResolveActor(ctx context.Context, target string) (models.Actor, error) {
	return s.fetcher.ResolveActor(ctx, target)
}

// QueueNoteCreate queues, in tx (a transaction of Atomically), the Create
// of the local note n by author for author's followers and for the extra
// inboxes (the mentioned actors', the answered author's), each inbox once.
// It returns the store's error.
func (s *Service) QueueNoteCreate(ctx context.Context, tx *models.Store, n models.Note, author models.Actor, extra []string) error {
	return s.queueNote(ctx, tx, author, notedoc.Create(notedoc.Build(n, author, s.cfg.URL)), extra)
}

// QueueNoteDelete queues, in tx, the Delete of the local note n (as it was
// before it was deleted) for the same inboxes as its Create.
func (s *Service) QueueNoteDelete(ctx context.Context, tx *models.Store, n models.Note, author models.Actor, extra []string) error {
	return s.queueNote(ctx, tx, author, notedoc.Delete(n, author, s.now()), extra)
}

// queueNote queues a note's activity for author's followers and extra.
func (s *Service) queueNote(ctx context.Context, tx *models.Store, author models.Actor, a notedoc.Activity, extra []string) error {
	inboxes, err := tx.Follows.FollowerInboxes(ctx, author.ID)
	if err != nil {
		return err
	}
	for _, inbox := range extra {
		if inbox != "" && !slices.Contains(inboxes, inbox) {
			inboxes = append(inboxes, inbox)
		}
	}
	if len(inboxes) == 0 {
		return nil
	}
	a.Context = ap.Context
	payload, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("federation: encode %s: %w", a.Type, err)
	}
	return s.deliveries.Enqueue(ctx, tx, a.ID, author, payload, inboxes)
}

// NoteDocument returns the Note of the local note with the given id with
// its @context, or, with gone true, the Tombstone of a deleted one. It
// returns models.ErrNotFound for an id never used.
func (s *Documents) NoteDocument(ctx context.Context, id string) (doc any, gone bool, err error) {
	n, err := s.store.Notes.ByIRI(ctx, s.cfg.URL("/notes/"+id))
	if err != nil {
		return nil, false, err
	}
	if !n.Local {
		return nil, false, models.ErrNotFound
	}
	if n.Deleted() {
		t := notedoc.Gone(n, *n.DeletedAt)
		t.Context = ap.Context
		return t, true, nil
	}
	author, err := s.store.Actors.ByID(ctx, n.ActorID)
	if err != nil {
		return nil, false, err
	}
	note := notedoc.Build(n, author, s.cfg.URL)
	note.Context = ap.Context
	return note, false, nil
}
