package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/pollen-coop/pollen/models"
)

// ErrInboxClosed is returned by ReceiveActivity, wrapped, once the Inbox
// is closed: the activity was not stored.
var ErrInboxClosed = errors.New("federation: inbox closed")

// maxActivityBatch is the most received activities stored in one commit.
const maxActivityBatch = 128

// recordBatch stores activities in one commit, with one result each:
// the store's Activities.RecordBatch.
type recordBatch func(ctx context.Context, as []*models.Activity) []models.ActivityRecorded

// groupCommit stores received activities with group commit: one goroutine
// takes every activity waiting at that moment (up to maxActivityBatch) and
// stores them with one recordBatch, so that under load many inbox requests
// share one commit (one WAL write of each touched page, one fsync on
// PostgreSQL), while a lone activity is stored at once. Each caller is
// answered only after the commit that holds its row. startGroupCommit
// starts it; close stops it.
type groupCommit struct {
	store recordBatch
	reqs  chan commitReq
	// stopping is closed when close is called; done when the goroutine
	// has stored what was queued and ended.
	stopping <-chan struct{}
	stop     context.CancelFunc
	done     chan struct{}
}

type commitReq struct {
	a     *models.Activity
	reply chan models.ActivityRecorded
}

// startGroupCommit starts the goroutine that stores activities with store,
// until close.
func startGroupCommit(store recordBatch) *groupCommit {
	ctx, stop := context.WithCancel(context.Background())
	g := &groupCommit{
		store: store, reqs: make(chan commitReq, maxActivityBatch),
		stopping: ctx.Done(), stop: stop, done: make(chan struct{}),
	}
	go g.run(ctx)
	return g
}

// record queues a for the next commit and waits for it. It reports false
// when an activity with the same IRI was stored before. It returns an
// error wrapping ErrInboxClosed after close, the store's error when a
// could not be stored, or ctx's when ctx ends first (a may then be stored
// or not).
func (g *groupCommit) record(ctx context.Context, a *models.Activity) (bool, error) {
	closed := fmt.Errorf("federation: record activity %q: %w", a.IRI, ErrInboxClosed)
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
		return false, fmt.Errorf("federation: record activity %q: %w", a.IRI, ctx.Err())
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
		return false, fmt.Errorf("federation: record activity %q: %w", a.IRI, ctx.Err())
	}
}

// close stops the group commit once the activities queued are stored;
// later calls of record return ErrInboxClosed. Calling it again waits
// for the same end.
func (g *groupCommit) close() {
	g.stop()
	<-g.done
}

// run stores the activities queued, a batch at a time, until ctx ends;
// then it stores those queued before and returns. The commits themselves
// do not end with ctx: a caller is waiting for each.
func (g *groupCommit) run(ctx context.Context) {
	defer close(g.done)
	commitCtx := context.WithoutCancel(ctx)
	batch := make([]commitReq, 0, maxActivityBatch)
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

// take adds to batch every request waiting, up to maxActivityBatch.
func (g *groupCommit) take(batch []commitReq) []commitReq {
	for len(batch) < maxActivityBatch {
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
func (g *groupCommit) commit(ctx context.Context, batch []commitReq) {
	as := make([]*models.Activity, len(batch))
	for i, r := range batch {
		as[i] = r.a
	}
	results := g.store(ctx, as)
	for i, r := range batch {
		r.reply <- results[i]
	}
}

// Close stops storing received activities: it returns once the activities
// already handed to ReceiveActivity are stored, and from then on
// ReceiveActivity returns an error wrapping ErrInboxClosed. The node calls
// it on shutdown, before it closes the store. Calling it again does
// nothing more.
func (s *Inbox) Close() { s.commits.close() }
