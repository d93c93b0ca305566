package models

import (
	"context"

	"gorm.io/gorm/clause"
)

// LockBySlug is BySlug for a change: in a store given by
// Atomically it holds the row until the transaction ends, so that two
// changes to one case study take turns, each reading what the other
// wrote (FOR UPDATE on PostgreSQL; on SQLite a transaction holds the
// write lock from its start). It returns ErrNotFound.
func (s *CaseStudyStore) LockBySlug(ctx context.Context, slug string) (CaseStudy, error) {
	var c CaseStudy
	db := s.db.WithContext(ctx).Where("slug = ? AND local = ?", slug, true)
	if s.postgres {
		db = db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := db.First(&c).Error
	return c, translate(err, "lock case study %q", slug)
}
