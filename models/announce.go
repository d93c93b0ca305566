package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// Announce is a peer's announce (a boost) of a case study: a hub passing
// on what its members published.
type Announce struct {
	ID          int64     `gorm:"primaryKey"`
	IRI         string    `gorm:"uniqueIndex:idx_announces_iri;not null"`
	StatusID    int64     `gorm:"uniqueIndex:idx_announces_status_id;not null"`
	ActorID     int64     `gorm:"not null;uniqueIndex:idx_announces_pair"`
	CaseStudyID int64     `gorm:"not null;uniqueIndex:idx_announces_pair;index:idx_announces_case_study_id"`
	Published   time.Time `gorm:"not null"`
	CreatedAt   time.Time
}

// AnnounceStore reads and writes announces. Reach it as Store.Announces.
type AnnounceStore struct{ conn }

// Save records an announce, giving it its status id; an actor announces a
// case study once, so a second announce of it (or the same one again)
// changes nothing and reports false.
func (s *AnnounceStore) Save(ctx context.Context, a *Announce) (bool, error) {
	if a.StatusID == 0 {
		a.StatusID = StatusID(a.Published, a.IRI)
	}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(a)
	return res.RowsAffected > 0, translate(res.Error, "save announce %q", a.IRI)
}

// Undo removes the announce with the IRI if the actor made it; ErrNotFound
// if there is none.
func (s *AnnounceStore) Undo(ctx context.Context, iri string, actorID int64) error {
	res := s.db.WithContext(ctx).Where("iri = ? AND actor_id = ?", iri, actorID).Delete(&Announce{})
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(ErrNotFound, "undo announce %q", iri)
	}
	return translate(res.Error, "undo announce %q", iri)
}

// Count is how many times the case study was announced.
func (s *AnnounceStore) Count(ctx context.Context, caseStudyID int64) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Announce{}).Where("case_study_id = ?", caseStudyID).Count(&n).Error
	return n, translate(err, "count announces of %d", caseStudyID)
}
