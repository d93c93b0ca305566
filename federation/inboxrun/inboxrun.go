// Package inboxrun runs the processing of received activities: it claims
// the stored ones in batches, hands each batch to the inbox, and gives up
// the claims on what a batch did not finish when it stops. What an
// activity does is the inbox's (package federation); when and how often
// it is tried is this package's.
package inboxrun

import (
	"context"
	"log/slog"
	"time"

	"github.com/pollen-coop/pollen/federation/liveness"
	"github.com/pollen-coop/pollen/models"
)

// Processing of received activities: how often one is tried, how long
// after a failure it is tried again, and how often the store is polled.
const (
	// MaxAttempts is how many times an activity is tried before it is
	// left failed.
	MaxAttempts = 8
	retry       = 15 * time.Second
	poll        = 2 * time.Second
	// lease is how long a processor may hold the activities it claimed.
	// A processor that dies loses them as soon as its heartbeat is stale.
	lease = 30 * time.Minute
	// keep is how long processed activities are kept.
	keep = 7 * 24 * time.Hour
	// Batch is how many activities one claim takes.
	Batch = 100
)

// Processor carries out a batch of claimed activities and records the
// outcome of each (Activities.Finish or FinishDone). It returns how many
// of acts, from the first, it finished; it stops before the end only when
// ctx ends or an outcome cannot be recorded (then with the error).
type Processor func(ctx context.Context, acts []models.Activity) (int, error)

// Runner claims received activities for one process and hands them to
// its Processor.
type Runner struct {
	store   *models.Store
	proc    *liveness.Process
	log     *slog.Logger
	now     func() time.Time
	wake    <-chan struct{}
	process Processor
}

// New returns a runner over store for the process proc, woken early by
// wake, that hands batches to process.
func New(store *models.Store, proc *liveness.Process, log *slog.Logger, now func() time.Time, wake <-chan struct{}, process Processor) *Runner {
	return &Runner{store: store, proc: proc, log: log, now: now, wake: wake, process: process}
}

// Run processes stored activities until ctx ends: at once when woken,
// and every few seconds otherwise, so that activities stored before a
// restart, held by a process that died, or whose processing failed for a
// while (a peer down during a fetch), are processed too. It returns nil
// when ctx ends.
func (r *Runner) Run(ctx context.Context) error {
	defer r.proc.Hold(ctx)()
	t := time.NewTicker(poll)
	defer t.Stop()
	var purged time.Time
	for {
		for r.batch(ctx) {
		}
		if now := r.now(); now.Sub(purged) > time.Hour {
			purged = now
			if n, err := r.store.Activities.Purge(ctx, now.Add(-keep)); err != nil {
				r.log.Warn("purging old activities", "err", err)
			} else if n > 0 {
				r.log.Info("purged old activities", "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
		case <-t.C:
		}
	}
}

// batch claims and processes one batch; it reports whether there may be
// more. If this process's heartbeat lapses meanwhile it stops, and gives
// up the activities it has not finished.
func (r *Runner) batch(ctx context.Context) bool {
	alive, ok := r.proc.Current()
	if !ok {
		return false
	}
	worker := r.proc.ID()
	now := r.now()
	acts, err := r.store.Activities.Claim(ctx, models.ActivityClaim{
		Limit: Batch, MaxAttempts: MaxAttempts, RetryBefore: now.Add(-retry),
		Now: now, Lease: lease, Worker: worker, StaleBefore: liveness.StaleBefore(now),
	})
	if err != nil {
		if ctx.Err() == nil {
			r.log.Error("listing received activities", "err", err)
		}
		return false
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(alive, cancel)()
	done, err := r.process(pctx, acts)
	if done < len(acts) {
		// Stopping: on shutdown the claims are released when the process
		// ends; on a lapsed heartbeat, or an outcome not recorded, now.
		if ctx.Err() == nil {
			r.release(ctx, worker, acts[done:])
		}
		if err != nil && ctx.Err() == nil {
			r.log.Error("recording an activity's processing", "err", err)
		}
		return false
	}
	return len(acts) == Batch
}

// release gives up this process's claims on acts.
func (r *Runner) release(ctx context.Context, worker string, acts []models.Activity) {
	ids := make([]int64, len(acts))
	for i, a := range acts {
		ids[i] = a.ID
	}
	if err := r.store.Activities.Release(ctx, worker, ids); err != nil {
		r.log.Warn("giving up received activities", "err", err)
	}
}
