package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// Reply is a note from the fediverse in reply to a case study: its
// discussion.
type Reply struct {
	ID          int64  `gorm:"primaryKey"`
	IRI         string `gorm:"uniqueIndex;not null"`
	CaseStudyID int64  `gorm:"not null;index"`
	ActorID     int64  `gorm:"not null;index"`
	URL         string
	Content     string // sanitised HTML
	// Summary is the reply's content warning (plain text); Sensitive
	// replies are shown folded behind it.
	Summary   string
	Sensitive bool
	Published time.Time `gorm:"not null"`
	Updated   time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ReplyWithActor is a reply with its author.
type ReplyWithActor struct {
	Reply
	Author Actor
}

// ReplyStore reads and writes the replies to case studies. Reach it as
// Store.Replies.
type ReplyStore struct{ conn }

// Save inserts a reply or replaces the content of the one with the
// same IRI by the same author. A reply belongs to its author: when the one
// stored with that IRI is another actor's, it changes nothing and returns
// ErrConflict.
func (s *ReplyStore) Save(ctx context.Context, r *Reply) error {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "iri"}},
		DoUpdates: clause.AssignmentColumns([]string{"content", "summary", "sensitive", "url", "updated", "updated_at"}),
		Where:     clause.Where{Exprs: []clause.Expression{clause.Expr{SQL: "replies.actor_id = excluded.actor_id"}}},
	}).Create(r)
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(ErrConflict, "save reply %q: it is another actor's", r.IRI)
	}
	return translate(res.Error, "save reply %q", r.IRI)
}

// ByIRI returns a reply, or ErrNotFound.
func (s *ReplyStore) ByIRI(ctx context.Context, iri string) (Reply, error) {
	var r Reply
	err := s.db.WithContext(ctx).Where("iri = ?", iri).First(&r).Error
	return r, translate(err, "get reply %q", iri)
}

// Delete removes a reply; ErrNotFound if there is none.
func (s *ReplyStore) Delete(ctx context.Context, iri string) error {
	res := s.db.WithContext(ctx).Where("iri = ?", iri).Delete(&Reply{})
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(ErrNotFound, "delete reply %q", iri)
	}
	return translate(res.Error, "delete reply %q", iri)
}

// List lists a case study's replies, oldest first, with the total.
func (s *ReplyStore) List(ctx context.Context, caseStudyID int64, limit, offset int) ([]ReplyWithActor, int64, error) {
	db := s.db.WithContext(ctx).Model(&Reply{}).Where("case_study_id = ?", caseStudyID)
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "count replies")
	}
	var rs []Reply
	if err := db.Order("published, id").Limit(limit).Offset(offset).Find(&rs).Error; err != nil {
		return nil, 0, translate(err, "list replies")
	}
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ActorID
	}
	actors, err := s.actorsByID(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	out := make([]ReplyWithActor, 0, len(rs))
	for _, r := range rs {
		out = append(out, ReplyWithActor{Reply: r, Author: actors[r.ActorID]})
	}
	return out, total, nil
}
