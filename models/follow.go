package models

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Follow states.
const (
	FollowPending  = "pending"
	FollowAccepted = "accepted"
	FollowRejected = "rejected"
)

// Follow is one follow: ActorID follows TargetID. Outbound follows are this
// node's actor following a peer; inbound ones are peers following it.
type Follow struct {
	ID int64 `gorm:"primaryKey"`
	// ActivityID is the IRI of the Follow activity.
	ActivityID string `gorm:"uniqueIndex;not null"`
	ActorID    int64  `gorm:"not null;uniqueIndex:idx_follow_pair"`
	TargetID   int64  `gorm:"not null;uniqueIndex:idx_follow_pair;index"`
	Outbound   bool   `gorm:"not null;index"`
	State      string `gorm:"not null"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// FollowWithActor is a follow with the remote side's actor.
type FollowWithActor struct {
	Follow
	Remote Actor
}

// FollowStore reads and writes follows. Reach it as Store.Follows.
type FollowStore struct{ conn }

// Save inserts the follow between f.ActorID and f.TargetID, or
// replaces the existing one's activity and state, and fills in f.ID.
func (s *FollowStore) Save(ctx context.Context, f *Follow) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "actor_id"}, {Name: "target_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"activity_id", "state", "outbound", "updated_at"}),
		}).Create(f).Error
		if err != nil {
			return translate(err, "save follow %q", f.ActivityID)
		}
		var saved Follow
		err = tx.Where("actor_id = ? AND target_id = ?", f.ActorID, f.TargetID).First(&saved).Error
		*f = saved
		return translate(err, "save follow %q", f.ActivityID)
	})
}

// ByID returns a follow, or ErrNotFound.
func (s *FollowStore) ByID(ctx context.Context, id int64) (Follow, error) {
	var f Follow
	return f, translate(s.db.WithContext(ctx).First(&f, id).Error, "get follow %d", id)
}

// ByActivity returns the follow made by the Follow activity iri, or
// ErrNotFound.
func (s *FollowStore) ByActivity(ctx context.Context, iri string) (Follow, error) {
	var f Follow
	err := s.db.WithContext(ctx).Where("activity_id = ?", iri).First(&f).Error
	return f, translate(err, "get follow %q", iri)
}

// Between returns the follow of actor to target, or ErrNotFound.
func (s *FollowStore) Between(ctx context.Context, actor, target int64) (Follow, error) {
	var f Follow
	err := s.db.WithContext(ctx).Where("actor_id = ? AND target_id = ?", actor, target).First(&f).Error
	return f, translate(err, "get follow %d→%d", actor, target)
}

// SetActivity records a newer Follow activity iri for the follow id,
// leaving its state and UpdatedAt as they are. It returns ErrNotFound if
// there is no such follow and ErrConflict if another follow has that
// activity.
func (s *FollowStore) SetActivity(ctx context.Context, id int64, iri string) error {
	res := s.db.WithContext(ctx).Model(&Follow{}).Where("id = ?", id).UpdateColumn("activity_id", iri)
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(ErrNotFound, "set follow %d activity", id)
	}
	return translate(res.Error, "set follow %d activity", id)
}

// SetState changes a follow's state; ErrNotFound if there is none.
func (s *FollowStore) SetState(ctx context.Context, id int64, state string) error {
	res := s.db.WithContext(ctx).Model(&Follow{}).Where("id = ?", id).
		Updates(map[string]any{"state": state, "updated_at": s.now().UTC()})
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(ErrNotFound, "set follow %d state", id)
	}
	return translate(res.Error, "set follow %d state", id)
}

// Delete removes a follow; ErrNotFound if there is none.
func (s *FollowStore) Delete(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Delete(&Follow{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(ErrNotFound, "delete follow %d", id)
	}
	return translate(res.Error, "delete follow %d", id)
}

// DeleteOf removes every follow to or from the actor.
func (s *FollowStore) DeleteOf(ctx context.Context, actorID int64) error {
	err := s.db.WithContext(ctx).Where("actor_id = ? OR target_id = ?", actorID, actorID).Delete(&Follow{}).Error
	return translate(err, "delete follows of actor %d", actorID)
}

// Followers lists the follows of the local actor, with the followers'
// actors, newest first; state "" means every state.
func (s *FollowStore) Followers(ctx context.Context, localID int64, state string, limit, offset int) ([]FollowWithActor, int64, error) {
	return s.followList(ctx, "target_id", "actor_id", localID, state, limit, offset)
}

// Following lists the local actor's follows of peers, with the peers'
// actors, newest first; state "" means every state.
func (s *FollowStore) Following(ctx context.Context, localID int64, state string, limit, offset int) ([]FollowWithActor, int64, error) {
	return s.followList(ctx, "actor_id", "target_id", localID, state, limit, offset)
}

func (s *FollowStore) followList(ctx context.Context, localCol, remoteCol string, localID int64, state string, limit, offset int) ([]FollowWithActor, int64, error) {
	db := s.db.WithContext(ctx).Model(&Follow{}).Where(localCol+" = ?", localID)
	if state != "" {
		db = db.Where("state = ?", state)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "count follows")
	}
	if limit <= 0 {
		limit = 100
	}
	var fs []Follow
	if err := db.Order("id DESC").Limit(limit).Offset(offset).Find(&fs).Error; err != nil {
		return nil, 0, translate(err, "list follows")
	}
	out, err := s.withRemotes(ctx, fs, remoteCol)
	return out, total, err
}

// withRemotes pairs follows with their remote side's actor (the one in
// remoteCol, "target_id" or "actor_id"), loaded in one query.
func (s *FollowStore) withRemotes(ctx context.Context, fs []Follow, remoteCol string) ([]FollowWithActor, error) {
	remoteOf := func(f Follow) int64 {
		if remoteCol == "target_id" {
			return f.TargetID
		}
		return f.ActorID
	}
	ids := make([]int64, len(fs))
	for i, f := range fs {
		ids[i] = remoteOf(f)
	}
	actors, err := s.actorsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]FollowWithActor, 0, len(fs))
	for _, f := range fs {
		out = append(out, FollowWithActor{Follow: f, Remote: actors[remoteOf(f)]})
	}
	return out, nil
}

// FollowerInboxes returns where to deliver to every accepted follower of
// the local actor: each follower's shared inbox when it has one, else its
// own, without repeats.
func (s *FollowStore) FollowerInboxes(ctx context.Context, localID int64) ([]string, error) {
	var inboxes []string
	err := s.db.WithContext(ctx).Model(&Follow{}).
		Joins("JOIN actors ON actors.id = follows.actor_id").
		Where("follows.target_id = ? AND follows.state = ?", localID, FollowAccepted).
		Distinct().
		Pluck("CASE WHEN actors.shared_inbox <> '' THEN actors.shared_inbox ELSE actors.inbox END", &inboxes).Error
	return inboxes, translate(err, "list follower inboxes")
}

// IsFollowing reports whether the local actor has an accepted follow of
// the remote actor.
func (s *FollowStore) IsFollowing(ctx context.Context, localID, remoteID int64) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Follow{}).
		Where("actor_id = ? AND target_id = ? AND state = ?", localID, remoteID, FollowAccepted).Count(&n).Error
	return n > 0, translate(err, "check follow")
}

// RemoveFollowersAt removes the inbound follows of every actor whose inbox
// or shared inbox is inbox (an inbox that answered 410 Gone). It returns how
// many it removed.
func (s *FollowStore) RemoveFollowersAt(ctx context.Context, inbox string) (int64, error) {
	res := s.db.WithContext(ctx).Where("outbound = ? AND actor_id IN (?)", false,
		s.db.Model(&Actor{}).Select("id").Where("inbox = ? OR shared_inbox = ?", inbox, inbox)).
		Delete(&Follow{})
	return res.RowsAffected, translate(res.Error, "remove followers at %q", inbox)
}

// FollowPage selects a page of the local actor's follows, newest first,
// keyed by follow ID: Following for its follows of peers, else its
// followers; State "" means every state; MaxID and SinceID (0: open)
// bound the page, exclusive.
type FollowPage struct {
	LocalID        int64
	Following      bool
	State          string
	MaxID, SinceID int64
	Limit          int
}

// Page returns a page of follows with the remote side's actors, in two
// queries, without counting.
func (s *FollowStore) Page(ctx context.Context, p FollowPage) ([]FollowWithActor, error) {
	localCol, remoteCol := "target_id", "actor_id"
	if p.Following {
		localCol, remoteCol = "actor_id", "target_id"
	}
	db := s.db.WithContext(ctx).Where(localCol+" = ?", p.LocalID)
	if p.State != "" {
		db = db.Where("state = ?", p.State)
	}
	if p.MaxID > 0 {
		db = db.Where("id < ?", p.MaxID)
	}
	if p.SinceID > 0 {
		db = db.Where("id > ?", p.SinceID)
	}
	var fs []Follow
	if err := db.Order("id DESC").Limit(max(p.Limit, 1)).Find(&fs).Error; err != nil {
		return nil, translate(err, "page follows")
	}
	return s.withRemotes(ctx, fs, remoteCol)
}
