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

// FollowStates is how one actor and this node's actor follow each other:
// Out is the state of the local actor's follow of it, In of its follow of
// the local actor ("" for none).
type FollowStates struct {
	ID      int64
	Out, In string
}

// FollowStatesWith returns, in one query, the follow states between the
// local actor localID and each actor of ids that exists (in no particular
// order; an unknown id is left out).
func (s *ActorStore) FollowStatesWith(ctx context.Context, localID int64, ids []int64) ([]FollowStates, error) {
	out := []FollowStates{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.db.WithContext(ctx).Raw(`SELECT actors.id AS id,
		COALESCE(o.state, '') AS out, COALESCE(i.state, '') AS "in"
		FROM actors
		LEFT JOIN follows o ON o.actor_id = ? AND o.target_id = actors.id
		LEFT JOIN follows i ON i.actor_id = actors.id AND i.target_id = ?
		WHERE actors.id IN ?`, localID, localID, ids).Scan(&out).Error
	return out, translate(err, "get follow states of %d actors", len(ids))
}
