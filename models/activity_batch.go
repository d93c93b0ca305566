package models

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ActivityRecorded is what RecordBatch did with one activity: Inserted is
// false when an activity with the same IRI was received before (or earlier
// in the same batch); Err is set when the activity could not be stored.
type ActivityRecorded struct {
	Inserted bool
	Err      error
}

// RecordBatch stores received activities as pending, all in one
// transaction, and returns once it is committed, with one result per
// activity in the order given. A repeat of an IRI stored before, or earlier
// in the batch, is reported as not inserted and stores nothing. When the
// transaction fails, each activity is stored on its own, so that one bad
// row fails only its own result (an error wrapping ErrConflict or the
// database's).
func (s *ActivityStore) RecordBatch(ctx context.Context, as []*Activity) []ActivityRecorded {
	results := make([]ActivityRecorded, len(as))
	for _, a := range as {
		s.pending(a)
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		for i, a := range as {
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(a)
			if res.Error != nil {
				return res.Error
			}
			results[i] = ActivityRecorded{Inserted: res.RowsAffected > 0}
		}
		return nil
	})
	switch {
	case err == nil:
	case len(as) == 1:
		as[0].ID = 0
		results[0] = ActivityRecorded{Err: translate(err, "record activity %q", as[0].IRI)}
	default:
		for i, a := range as {
			a.ID = 0
			inserted, err := s.insert(ctx, a)
			results[i] = ActivityRecorded{Inserted: inserted, Err: err}
		}
	}
	return results
}
