package models

import (
	"context"
	"time"

	"github.com/pollen-coop/pollen/models/dbconn"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Activity states.
const (
	ActivityPending = "pending"
	ActivityDone    = "done"
	ActivityFailed  = "failed"
)

// Activity is an activity received in an inbox, kept so that each is
// processed once and none is lost if the node stops before processing it.
type Activity struct {
	ID          int64  `gorm:"primaryKey"`
	IRI         string `gorm:"uniqueIndex;not null"`
	Type        string `gorm:"not null"`
	ActorIRI    string `gorm:"not null;index"`
	Payload     string `gorm:"not null"`
	State       string `gorm:"not null;index"`
	Attempts    int
	Error       string
	ReceivedAt  time.Time `gorm:"not null"`
	ProcessedAt *time.Time
	// LockedUntil is the end of a processor's claim: until then no other
	// process takes the activity, unless the claim's holder, LockedBy,
	// has stopped renewing its heartbeat (see Process).
	LockedUntil *time.Time
	LockedBy    string `gorm:"not null;default:''"`
}

// ActivityStore keeps the activities received in inboxes until they are
// processed. Reach it as Store.Activities.
type ActivityStore struct {
	conn
}

// Record stores a received activity as pending, and returns once
// it is committed. It reports false, and stores nothing, when an activity
// with the same IRI was received before. It returns the database's error
// when the activity cannot be stored. In a transaction's store
// (Atomically) the activity is stored in the transaction, and committed
// with it. RecordBatch stores many in one commit.
func (s *ActivityStore) Record(ctx context.Context, a *Activity) (bool, error) {
	s.pending(a)
	return s.insert(ctx, a)
}

// pending marks a as a newly received activity.
func (s *ActivityStore) pending(a *Activity) {
	a.State = ActivityPending
	if a.ReceivedAt.IsZero() {
		a.ReceivedAt = s.now().UTC()
	}
}

// insert stores a in one statement, unless its IRI is stored already.
func (s *ActivityStore) insert(ctx context.Context, a *Activity) (bool, error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(a)
	return res.RowsAffected > 0, translate(res.Error, "record activity %q", a.IRI)
}

// ActivityClaim selects pending activities for a processor.
type ActivityClaim struct {
	Limit       int
	MaxAttempts int
	// RetryBefore: an activity tried before is taken again only if it was
	// last tried before this time.
	RetryBefore time.Time
	// Now and Lease: the claim holds the activities until Now+Lease, so
	// that processes sharing a database never take the same one.
	Now   time.Time
	Lease time.Duration
	// Worker is the claiming process, kept in LockedBy.
	Worker string
	// StaleBefore, when set, lets the claim take over activities held by
	// a process whose heartbeat is older, however long their lease.
	StaleBefore time.Time
}

// Claim returns up to q.Limit pending activities, oldest first,
// that are due and not held by another live process, and holds them for
// q.Worker for q.Lease. On PostgreSQL concurrent claims skip each other's
// rows (FOR UPDATE SKIP LOCKED).
func (s *ActivityStore) Claim(ctx context.Context, q ActivityClaim) ([]Activity, error) {
	var as []Activity
	err := s.tx(ctx, func(tx *gorm.DB) error {
		free, args := dbconn.FreeClaim("locked_until < ?", q.Now.UTC(), q.StaleBefore)
		sel := tx.Where("state = ? AND attempts < ? AND (processed_at IS NULL OR processed_at < ?)",
			ActivityPending, q.MaxAttempts, q.RetryBefore.UTC()).Where(free, args...).Order("id").Limit(q.Limit)
		if s.postgres {
			sel = sel.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := sel.Find(&as).Error; err != nil {
			return err
		}
		if len(as) == 0 {
			return nil
		}
		ids := make([]int64, len(as))
		for i, a := range as {
			ids[i] = a.ID
		}
		until := q.Now.UTC().Add(q.Lease)
		return tx.Model(&Activity{}).Where("id IN ?", ids).
			Updates(map[string]any{"locked_until": until, "locked_by": q.Worker}).Error
	})
	return as, translate(err, "claim activities")
}

// Finish records the outcome of processing, in one statement: done, or,
// with an error, another attempt (failed after maxAttempts). It returns
// ErrNotFound for an unknown id.
func (s *ActivityStore) Finish(ctx context.Context, id int64, procErr error, maxAttempts int) error {
	if procErr == nil {
		return s.FinishDone(ctx, []int64{id})
	}
	res := s.db.WithContext(ctx).Model(&Activity{}).Where("id = ?", id).Updates(map[string]any{
		"attempts": gorm.Expr("attempts + 1"), "processed_at": s.now().UTC(), "error": procErr.Error(),
		"state":        gorm.Expr("CASE WHEN attempts + 1 >= ? THEN ? ELSE ? END", maxAttempts, ActivityFailed, ActivityPending),
		"locked_until": nil, "locked_by": "",
	})
	if res.Error == nil && res.RowsAffected == 0 {
		return translate(gorm.ErrRecordNotFound, "finish activity %d", id)
	}
	return translate(res.Error, "finish activity %d", id)
}

// FinishDone records, in one statement, that the activities ids were
// processed without error. In a transaction's store (Atomically) it is
// committed with what their processing wrote, so that a crash leaves
// both or neither. It returns ErrNotFound when one of ids is unknown.
func (s *ActivityStore) FinishDone(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	res := s.db.WithContext(ctx).Model(&Activity{}).Where("id IN ?", ids).Updates(map[string]any{
		"attempts": gorm.Expr("attempts + 1"), "processed_at": s.now().UTC(), "state": ActivityDone, "error": "",
		"locked_until": nil, "locked_by": "",
	})
	if res.Error == nil && res.RowsAffected != int64(len(ids)) {
		return translate(gorm.ErrRecordNotFound, "finish %d activities", len(ids))
	}
	return translate(res.Error, "finish %d activities", len(ids))
}

// Release gives up worker's claims on the activities ids, left
// unprocessed, so that any process may take them at once. Activities
// worker no longer holds are left alone.
func (s *ActivityStore) Release(ctx context.Context, worker string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Model(&Activity{}).Where("id IN ? AND locked_by = ?", ids, worker).
		Updates(map[string]any{"locked_until": nil, "locked_by": ""}).Error
	return translate(err, "release %d activities", len(ids))
}

// ByIRI returns a received activity, or ErrNotFound.
func (s *ActivityStore) ByIRI(ctx context.Context, iri string) (Activity, error) {
	var a Activity
	err := s.db.WithContext(ctx).Where("iri = ?", iri).First(&a).Error
	return a, translate(err, "get activity %q", iri)
}

// Counts counts received activities by state.
func (s *ActivityStore) Counts(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		State string
		N     int64
	}
	err := s.db.WithContext(ctx).Model(&Activity{}).Select("state, COUNT(*) AS n").Group("state").Scan(&rows).Error
	out := map[string]int64{}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, translate(err, "count activities")
}

// Purge deletes processed and failed activities received before
// olderThan, and returns how many it deleted. Replays of older activities
// are refused anyway, by the signature's Date.
func (s *ActivityStore) Purge(ctx context.Context, olderThan time.Time) (int64, error) {
	res := s.db.WithContext(ctx).Where("state <> ? AND received_at < ?", ActivityPending, olderThan.UTC()).Delete(&Activity{})
	return res.RowsAffected, translate(res.Error, "purge activities")
}
