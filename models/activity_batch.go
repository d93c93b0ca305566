package models

import (
	"context"
	"strings"

	"github.com/pollen-coop/pollen/models/dbconn"
	"gorm.io/gorm"
)

// ActivityRecorded is what RecordBatch did with one activity: Inserted is
// false when an activity with the same IRI was received before (or earlier
// in the same batch); Err is set when the activity could not be stored.
type ActivityRecorded struct {
	Inserted bool
	Err      error
}

// RecordBatch stores received activities as pending, all in one
// transaction, many rows an INSERT, and returns once it is committed, with one result per
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
		rows := dbconn.RowsPerInsert(tx, 9)
		for start := 0; start < len(as); start += rows {
			if err := insertPending(tx, as[start:min(start+rows, len(as))], results[start:]); err != nil {
				return err
			}
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

// insertPending inserts as in one statement, skipping those whose IRI is
// stored already (or earlier in as), sets the ID of each inserted, and
// marks it in results, which is in the order of as.
func insertPending(tx *gorm.DB, as []*Activity, results []ActivityRecorded) error {
	var q strings.Builder
	q.WriteString("INSERT INTO activities (iri, type, actor_iri, payload, state, attempts, error, received_at, locked_by) VALUES ")
	args := make([]any, 0, 9*len(as))
	for i, a := range as {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, a.IRI, a.Type, a.ActorIRI, a.Payload, a.State, a.Attempts, a.Error, a.ReceivedAt, a.LockedBy)
	}
	q.WriteString(" ON CONFLICT DO NOTHING RETURNING id, iri")
	var rows []struct {
		ID  int64
		IRI string
	}
	if err := tx.Raw(q.String(), args...).Scan(&rows).Error; err != nil {
		return err
	}
	ids := make(map[string]int64, len(rows))
	for _, r := range rows {
		ids[r.IRI] = r.ID
	}
	for i, a := range as {
		// The first of repeats in as is the one inserted.
		if id, ok := ids[a.IRI]; ok {
			a.ID, results[i] = id, ActivityRecorded{Inserted: true}
			delete(ids, a.IRI)
		}
	}
	return nil
}
