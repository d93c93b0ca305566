package models

import (
	"context"
	"database/sql"
	"errors"
)

// Kinds of stored object, as ActorStore.OwnerOf and TimelineEntry name
// them.
const (
	KindNote      = "note"
	KindCaseStudy = "case study"
	KindAnnounce  = "announce"
	KindActor     = "actor"
)

// Owner is who a stored object belongs to: a note or a case study to its
// author, an actor to itself.
type Owner struct {
	Kind    string
	ActorID int64
}

// OwnerOf returns the owner of the note, case study (deleted or not)
// or actor whose IRI is iri, in one query, or ErrNotFound when none is
// stored.
func (s *ActorStore) OwnerOf(ctx context.Context, iri string) (Owner, error) {
	var o Owner
	err := s.db.WithContext(ctx).Raw(
		`SELECT 'note', actor_id FROM notes WHERE iri = ?
		UNION ALL SELECT 'case study', actor_id FROM case_studies WHERE iri = ?
		UNION ALL SELECT 'actor', id FROM actors WHERE iri = ?
		LIMIT 1`,
		iri, iri, iri).Row().Scan(&o.Kind, &o.ActorID)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return o, translate(err, "get owner of %q", iri)
}
