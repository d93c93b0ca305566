package service

import (
	"context"

	"github.com/pollen-coop/pollen/models"
)

// Bounds of a thread as StatusContext reads it.
const (
	maxAncestors   = 40
	maxDescendants = 200
)

// StatusContext returns the thread of a status: the statuses it answers,
// oldest first, and the replies below it (a case study's discussion among
// them), depth first in the order they were published; at most 40
// ancestors and 200 descendants. It returns a not found error for an
// unknown status.
func (s *Statuses) StatusContext(ctx context.Context, id string) (ancestors, descendants []TimelineItem, err error) {
	it, err := s.StatusByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if it.Reblog != nil {
		it = *it.Reblog
	}
	var up []models.TimelineEntry
	for parent := it.parent(); parent != "" && len(up) < maxAncestors; {
		found, err := s.store.Timelines.ByIRIs(ctx, []string{parent})
		if err != nil {
			return nil, nil, err
		}
		e, ok := found[parent]
		if !ok {
			break
		}
		up = append([]models.TimelineEntry{e}, up...)
		if e.Kind != models.KindNote {
			break
		}
		n, err := s.store.Notes.ByID(ctx, e.ID)
		if err != nil {
			return nil, nil, err
		}
		parent = n.InReplyTo
	}
	if ancestors, err = s.items(ctx, up); err != nil {
		return nil, nil, err
	}
	down, err := s.replies(ctx, it.IRI)
	if err != nil {
		return nil, nil, err
	}
	descendants, err = s.items(ctx, down)
	return ancestors, descendants, err
}

// parent is the IRI of the status a note answers; "" for anything else.
func (it TimelineItem) parent() string {
	if it.Note == nil {
		return ""
	}
	return it.Note.InReplyTo
}

// replies are the notes below iri in its thread, depth first, each level
// in the order published, at most maxDescendants, read a level at a time.
func (s *Statuses) replies(ctx context.Context, iri string) ([]models.TimelineEntry, error) {
	children := map[string][]models.Note{}
	level := []string{iri}
	total := 0
	for len(level) > 0 && total < maxDescendants {
		ns, err := s.store.Notes.RepliesTo(ctx, level, maxDescendants-total)
		if err != nil {
			return nil, err
		}
		level = level[:0]
		for _, n := range ns {
			children[n.InReplyTo] = append(children[n.InReplyTo], n)
			level = append(level, n.IRI)
		}
		total += len(ns)
	}
	var out []models.TimelineEntry
	var walk func(string)
	walk = func(parent string) {
		for _, n := range children[parent] {
			out = append(out, models.TimelineEntry{Kind: models.KindNote, ID: n.ID, StatusID: n.StatusID, ActorID: n.ActorID})
			walk(n.IRI)
		}
	}
	walk(iri)
	return out, nil
}
