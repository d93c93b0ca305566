package models

import (
	"context"
)

// Kinds of stored object, as ObjectOwner names them.
const (
	KindReply     = "reply"
	KindCaseStudy = "case study"
	KindActor     = "actor"
)

// Owner is who a stored object belongs to: a reply or a case study to its
// author, an actor to itself.
type Owner struct {
	Kind    string
	ActorID int64
}

// ObjectOwner returns the owner of the reply, case study (deleted or not)
// or actor whose IRI is iri, in one query, or ErrNotFound when none is
// stored.
func (s *Store) ObjectOwner(ctx context.Context, iri string) (Owner, error) {
	var rows []Owner
	err := s.db.WithContext(ctx).Raw(
		`SELECT 'reply' AS kind, actor_id FROM replies WHERE iri = ?
		UNION ALL SELECT 'case study' AS kind, actor_id FROM case_studies WHERE iri = ?
		UNION ALL SELECT 'actor' AS kind, id AS actor_id FROM actors WHERE iri = ?`,
		iri, iri, iri).Scan(&rows).Error
	if err != nil {
		return Owner{}, translate(err, "get owner of %q", iri)
	}
	if len(rows) == 0 {
		return Owner{}, translate(ErrNotFound, "get owner of %q", iri)
	}
	return rows[0], nil
}
