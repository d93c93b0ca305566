package models

import (
	"context"
	"time"
)

// TimelineBound is one end of a timeline page: a publication time at
// millisecond precision and the low 16 bits of a row id, the parts of a
// client status id.
type TimelineBound struct {
	// Millis is the publication time in Unix milliseconds.
	Millis int64
	// Low is the row id modulo 65536.
	Low int64
}

// TimelineQuery selects a page of case studies by publication time.
type TimelineQuery struct {
	LocalOnly  bool
	RemoteOnly bool
	// Before and After are exclusive bounds; nil leaves that end open.
	Before, After *TimelineBound
	// Oldest orders the page oldest first (from After), else newest first.
	Oldest bool
	Limit  int
}

// Timeline returns the undeleted case studies that q selects, ordered by
// publication time and row id, or the store's error.
func (s *CaseStudyStore) Timeline(ctx context.Context, q TimelineQuery) ([]CaseStudy, error) {
	db := s.db.WithContext(ctx).Model(&CaseStudy{}).Where("deleted_at IS NULL")
	if q.LocalOnly {
		db = db.Where("local = ?", true)
	}
	if q.RemoteOnly {
		db = db.Where("local = ?", false)
	}
	if b := q.Before; b != nil {
		start, end := millis(b.Millis), millis(b.Millis+1)
		db = db.Where("(published < ? OR (published < ? AND id % 65536 < ?))", start, end, b.Low)
	}
	if a := q.After; a != nil {
		start, end := millis(a.Millis), millis(a.Millis+1)
		db = db.Where("(published >= ? OR (published >= ? AND id % 65536 > ?))", end, start, a.Low)
	}
	order := "published DESC, id DESC"
	if q.Oldest {
		order = "published ASC, id ASC"
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	var cs []CaseStudy
	err := db.Order(order).Limit(limit).Find(&cs).Error
	return cs, translate(err, "list timeline")
}

// millis is the time ms milliseconds after the Unix epoch, in UTC.
func millis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
