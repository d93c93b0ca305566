package service

import (
	"context"

	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
)

// LocalNote returns the organisation's note with the id of its IRI
// (/notes/{id}) and the replies below it. It returns a not found error
// for an id no local note has, and a 410 *apperr.Error for a deleted one.
func (s *Statuses) LocalNote(ctx context.Context, id string) (note TimelineItem, replies []TimelineItem, err error) {
	n, err := s.store.Notes.ByIRI(ctx, s.cfg.URL("/notes/"+id))
	if err == nil && !n.Local {
		err = models.ErrNotFound
	}
	if err != nil {
		return note, nil, err
	}
	if n.Deleted() {
		return note, nil, &apperr.Error{Kind: apperr.Gone, Message: "this note has been deleted", Err: models.ErrGone}
	}
	items, err := s.items(ctx, []models.TimelineEntry{{Kind: models.KindNote, ID: n.ID, StatusID: n.StatusID, ActorID: n.ActorID}})
	if err != nil || len(items) == 0 {
		return note, nil, err
	}
	down, err := s.replies(ctx, n.IRI)
	if err != nil {
		return note, nil, err
	}
	replies, err = s.items(ctx, down)
	return items[0], replies, err
}

// LocalNotes returns the organisation's public notes that answer nothing,
// newest first, at most limit: the questions and notes its pages show.
func (s *Statuses) LocalNotes(ctx context.Context, limit int) ([]TimelineItem, error) {
	ns, err := s.store.Notes.LocalTopLevel(ctx, limit)
	if err != nil {
		return nil, err
	}
	entries := make([]models.TimelineEntry, 0, len(ns))
	for _, n := range ns {
		entries = append(entries, models.TimelineEntry{Kind: models.KindNote, ID: n.ID, StatusID: n.StatusID, ActorID: n.ActorID})
	}
	return s.items(ctx, entries)
}
