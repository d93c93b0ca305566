package models

import (
	"context"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// maxActivityBatch is the most received activities stored in one commit.
const maxActivityBatch = 128

// activityWriter stores received activities with group commit: one
// goroutine takes every activity waiting at that moment and stores them in
// one transaction, so that under load many inbox requests share one commit
// (one WAL write of each touched page, one fsync on PostgreSQL), while a
// lone activity is stored at once. Each caller is answered only after the
// commit that holds its row.
type activityWriter struct {
	once      sync.Once
	closeOnce sync.Once
	reqs      chan activityReq
	stop      chan struct{}
	done      chan struct{}
}

type activityReq struct {
	a     *Activity
	reply chan activityResult
}

type activityResult struct {
	inserted bool
	err      error
}

// recordActivity queues a for the writer and waits for its commit (or for
// ctx to end, when the activity may or may not be stored).
func (s *ActivityStore) recordActivity(ctx context.Context, a *Activity) (bool, error) {
	w := s.activityWriter()
	closed := translate(ErrClosed, "record activity %q", a.IRI)
	select {
	case <-w.stop:
		return false, closed
	default:
	}
	req := activityReq{a: a, reply: make(chan activityResult, 1)}
	select {
	case w.reqs <- req:
	case <-w.stop:
		return false, closed
	case <-ctx.Done():
		return false, translate(ctx.Err(), "record activity %q", a.IRI)
	}
	select {
	case r := <-req.reply:
		return r.inserted, r.err
	case <-w.done:
		// The writer stopped; it stores what was queued before it did.
		select {
		case r := <-req.reply:
			return r.inserted, r.err
		default:
			return false, closed
		}
	case <-ctx.Done():
		return false, translate(ctx.Err(), "record activity %q", a.IRI)
	}
}

// closeWriter stops the writer once the activities queued are
// stored.
func (s *ActivityStore) closeWriter() {
	w := s.activityWriter()
	w.closeOnce.Do(func() { close(w.stop) })
	<-w.done
}

// activityWriter starts the writer on first use.
func (s *ActivityStore) activityWriter() *activityWriter {
	w := s.writer
	w.once.Do(func() {
		w.reqs = make(chan activityReq, maxActivityBatch)
		w.stop = make(chan struct{})
		w.done = make(chan struct{})
		go s.writeActivities()
	})
	return w
}

func (s *ActivityStore) writeActivities() {
	w := s.writer
	defer close(w.done)
	batch := make([]activityReq, 0, maxActivityBatch)
	for {
		var first activityReq
		select {
		case first = <-w.reqs:
		case <-w.stop:
			// Store what was queued before the stop, then end.
			for {
				select {
				case r := <-w.reqs:
					s.storeActivities([]activityReq{r})
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	more:
		for len(batch) < maxActivityBatch {
			select {
			case r := <-w.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		s.storeActivities(batch)
	}
}

// storeActivities stores a batch in one transaction; if that fails, each
// activity is stored on its own, so that one bad row fails only its sender.
func (s *ActivityStore) storeActivities(batch []activityReq) {
	ctx := context.Background()
	results := make([]activityResult, len(batch))
	err := s.tx(ctx, func(tx *gorm.DB) error {
		for i, r := range batch {
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(r.a)
			if res.Error != nil {
				return res.Error
			}
			results[i] = activityResult{inserted: res.RowsAffected > 0}
		}
		return nil
	})
	if err != nil && len(batch) > 1 {
		for i, r := range batch {
			r.a.ID = 0
			res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(r.a)
			results[i] = activityResult{inserted: res.RowsAffected > 0, err: translate(res.Error, "record activity %q", r.a.IRI)}
		}
	} else if err != nil {
		results[0] = activityResult{err: translate(err, "record activity %q", batch[0].a.IRI)}
	}
	for i, r := range batch {
		r.reply <- results[i]
	}
}
