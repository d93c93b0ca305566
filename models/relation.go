package models

import "context"

// Relation is what ties a remote actor to this node.
type Relation struct {
	// Followed: an actor of this node follows it, or asked to.
	Followed bool
	// Follower: it follows an actor of this node, or asked to.
	Follower bool
	// HasContent: it has notes or received case studies here.
	HasContent bool
}

// RelationOf returns the relation of the remote actor actorID to this
// node's actors, in one query.
func (s *ActorStore) RelationOf(ctx context.Context, actorID int64) (Relation, error) {
	var r Relation
	err := s.db.WithContext(ctx).Raw(`SELECT
		EXISTS (SELECT 1 FROM follows WHERE target_id = ? AND outbound = ?) AS followed,
		EXISTS (SELECT 1 FROM follows WHERE actor_id = ? AND outbound = ?) AS follower,
		(EXISTS (SELECT 1 FROM notes WHERE actor_id = ?)
			OR EXISTS (SELECT 1 FROM case_studies WHERE actor_id = ? AND local = ?)) AS has_content`,
		actorID, true, actorID, false, actorID, actorID, false).Scan(&r).Error
	return r, translate(err, "get relation of actor %d", actorID)
}
