// Package groupcommit stores the activities the inbox receives many to a
// commit: one goroutine takes every activity waiting at that moment and
// stores them in one transaction, so that under load many inbox requests
// share one commit, while a lone activity is stored at once. Each caller
// is answered after the commit that holds its activity. Start starts it;
// Close stops it. It imports models only.
package groupcommit

import (
	"context"
	"errors"
	"fmt"

	"github.com/pollen-coop/pollen/models"
)

// ErrClosed is returned by Record, wrapped, once the Committer is closed:
// the activity was not stored.
var ErrClosed = errors.New("groupcommit: closed")

// MaxBatch is the most activities stored in one commit.
const MaxBatch = 128

// RecordBatch stores activities in one commit, with one result each, in
// their order: the store's Activities.RecordBatch.
type RecordBatch func(ctx context.Context, as []*models.Activity) []models.ActivityRecorded

// Committer stores received activities with group commit: one goroutine
// takes every activity waiting at that moment (up to MaxBatch) and
// stores them with one RecordBatch, so that under load many inbox requests
// share one commit (one WAL write of each touched page, one fsync on
// PostgreSQL), while a lone activity is stored at once. Each caller is
// answered only after the commit that holds its row. Start starts it;
// Close stops it. Its methods are safe for concurrent use.
type Committer struct {
	store RecordBatch
	reqs  chan commitReq
	// stopping is closed when Close is called; done when the goroutine
	// has stored what was queued and ended.
	stopping <-chan struct{}
	stop     context.CancelFunc
	done     chan struct{}
}

type commitReq struct {
	a     *models.Activity
	reply chan models.ActivityRecorded
}

// Start starts the goroutine that stores activities with store, until
// Close.
func Start(store RecordBatch) *Committer {
	ctx, stop := context.WithCancel(context.Background())
	g := &Committer{
		store: store, reqs: make(chan commitReq, MaxBatch),
		stopping: ctx.Done(), stop: stop, done: make(chan struct{}),
	}
	go g.run(ctx)
	return g
}

// Record queues a for the next commit and waits for it. It reports false
// when an activity with the same IRI was stored before. It returns an
// error wrapping ErrClosed after Close, the store's error when a
// could not be stored, or ctx's when ctx ends first (a may then be stored
// or not).
func (g *Committer) Record(ctx context.Context, a *models.Activity) (bool, error) {
	closed := fmt.Errorf("groupcommit: record activity %q: %w", a.IRI, ErrClosed)
	select {
	case <-g.stopping:
		return false, closed
	default:
	}
	req := commitReq{a: a, reply: make(chan models.ActivityRecorded, 1)}
	select {
	case g.reqs <- req:
	case <-g.stopping:
		return false, closed
	case <-ctx.Done():
		return false, fmt.Errorf("groupcommit: record activity %q: %w", a.IRI, ctx.Err())
	}
	select {
	case r := <-req.reply:
		return r.Inserted, r.Err
	case <-g.done:
		// The goroutine stored what was queued before it ended.
		select {
		case r := <-req.reply:
			return r.Inserted, r.Err
		default:
			return false, closed
		}
	case <-ctx.Done():
		return false, fmt.Errorf("groupcommit: record activity %q: %w", a.IRI, ctx.Err())
	}
}

// Close stops the group commit once the activities queued are stored:
// it returns when their callers are answered, and later calls of Record
// return ErrClosed. Calling it again waits for the same end.
func (g *Committer) Close() {
	g.stop()
	<-g.done
}

// run stores the activities queued, a batch at a time, until ctx ends;
// then it stores those queued before and returns. The commits themselves
// do not end with ctx: a caller is waiting for each.
func (g *Committer) run(ctx context.Context) {
	defer close(g.done)
	commitCtx := context.WithoutCancel(ctx)
	batch := make([]commitReq, 0, MaxBatch)
	for {
		select {
		case r := <-g.reqs:
			batch = g.take(append(batch[:0], r))
			g.commit(commitCtx, batch)
		case <-ctx.Done():
			for {
				if batch = g.take(batch[:0]); len(batch) == 0 {
					return
				}
				g.commit(commitCtx, batch)
			}
		}
	}
}

// take adds to batch every request waiting, up to MaxBatch.
func (g *Committer) take(batch []commitReq) []commitReq {
	for len(batch) < MaxBatch {
		select {
		case r := <-g.reqs:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// commit stores batch in one commit and answers each of its callers.
func (g *Committer) commit(ctx context.Context, batch []commitReq) {
	as := make([]*models.Activity, len(batch))
	for i, r := range batch {
		as[i] = r.a
	}
	results := g.store(ctx, as)
	for i, r := range batch {
		r.reply <- results[i]
	}
}
