package delivery

import (
	"context"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/federation/liveness"
	"github.com/pollen-coop/pollen/models"
)

// Run delivers queued jobs until ctx ends: it claims due jobs and runs
// them, at most DeliveryWorkers at once and DeliveryPerHost per host,
// waking at once when this process queues jobs (Wake) and polling
// otherwise, so that jobs queued by other processes (and jobs whose worker
// died) are taken too, and jobs held by processes that are gone at once.
// When ctx ends it stops claiming and lets the attempts in flight finish,
// cutting them off after the shutdown grace period (they are then
// retried); it cuts them off too if this process's heartbeat lapses. Run
// one at a time per Runner. It returns nil when it stopped because ctx
// ended; store failures are logged and retried, not returned.
func (d *Runner) Run(ctx context.Context) error {
	if d.poster == nil {
		d.log.Warn("no transport to deliver with: activities stay queued")
		<-ctx.Done()
		return nil
	}
	defer d.proc.Hold(ctx)()
	r := &session{
		d: d, worker: d.proc.ID(), perHost: map[string]int{},
		finished: make(chan string, max(d.cfg.DeliveryWorkers, 1)),
		results:  make(chan pendingResult, maxRecordBatch),
	}
	recorded := make(chan struct{})
	go func() {
		r.runRecorder(r.results)
		close(recorded)
	}()
	defer func() {
		close(r.results)
		<-recorded
	}()
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	d.log.Debug("delivery runner started", "worker", r.worker)
	timer := time.NewTimer(0)
	defer timer.Stop()
	nextPurge := d.now()
	for ctx.Err() == nil {
		wait := r.claim(ctx, jobCtx)
		if now := d.now(); !now.Before(nextPurge) {
			d.purgeDelivered(ctx, now)
			nextPurge = now.Add(purgeEvery)
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
		case <-d.wake:
		case host := <-r.finished:
			r.done(host)
		case <-timer.C:
		}
		r.drain()
	}
	return r.stop(cancelJobs)
}

// session is one Run's bookkeeping. Only the Run goroutine touches
// running and perHost; attempts report on finished.
type session struct {
	d        *Runner
	worker   string
	running  int
	perHost  map[string]int
	finished chan string
	wg       sync.WaitGroup
	// results carries finished attempts' outcomes to the recorder.
	results chan pendingResult
	// signed holds the signing actors loaded since signedAt.
	signed   map[int64]signerFor
	signedAt time.Time
}

// claim takes as many due jobs as there are free slots, starts them, and
// says how long to wait before looking again. While attempts run it waits
// for a quarter of the slots to be free, so that one claim takes several
// jobs rather than one each time an attempt ends.
func (r *session) claim(ctx, jobCtx context.Context) time.Duration {
	d := r.d
	workers := max(d.cfg.DeliveryWorkers, 1)
	free := workers - r.running
	if free <= 0 || (r.running > 0 && free < max(workers/4, 1)) {
		return d.poll
	}
	alive, ok := d.proc.Current()
	if !ok {
		return d.poll
	}
	now := d.now()
	slots := make(map[string]int, len(r.perHost))
	for host, n := range r.perHost {
		slots[host] = max(d.cfg.DeliveryPerHost, 1) - n
	}
	jobs, err := d.store.Deliveries.Claim(ctx, models.ClaimQuery{
		Worker: r.worker, Limit: free, Lease: d.lease, Now: now, StaleBefore: liveness.StaleBefore(now),
		PerHost: max(d.cfg.DeliveryPerHost, 1), HostSlots: slots,
	})
	if err != nil {
		if ctx.Err() == nil {
			d.log.Error("claiming deliveries", "err", err)
		}
		return d.poll
	}
	signers := r.signers(ctx, jobs)
	for _, job := range jobs {
		r.running++
		r.perHost[job.Host]++
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			actx, cancel := context.WithCancel(jobCtx)
			defer context.AfterFunc(alive, cancel)()
			r.attemptDelivery(actx, job, signers[job.SignerActorID])
			cancel()
			r.finished <- job.Host
		}()
	}
	if len(jobs) == free {
		return d.poll
	}
	// Nothing more is due that this runner may take now. Sleep until the
	// next retry falls due, or a poll, whichever is sooner. Jobs due now
	// but not taken wait for a host's slot (a finished attempt wakes us)
	// or are held by another process.
	due, err := d.store.Deliveries.NextDue(ctx, now, liveness.StaleBefore(now))
	if err != nil || !due.After(now) {
		return d.poll
	}
	return min(due.Sub(now), d.poll)
}

// signerReuse is how long the signing actors loaded for one claim serve
// the next claims: under load a claim comes every few milliseconds, and
// reading the actor again for each cost as much as the claim itself.
const signerReuse = time.Second

// signers loads the local actors that sign the claimed jobs, once each,
// reusing those loaded by the claims of the last signerReuse (a rotated
// key or a deleted actor is seen that much later). A failed load is not
// kept.
func (r *session) signers(ctx context.Context, jobs []models.Delivery) map[int64]signerFor {
	if now := r.d.now(); r.signed == nil || now.Sub(r.signedAt) >= signerReuse || now.Before(r.signedAt) {
		r.signed, r.signedAt = map[int64]signerFor{}, now
	}
	out := map[int64]signerFor{}
	for _, job := range jobs {
		if _, ok := out[job.SignerActorID]; ok {
			continue
		}
		if s, ok := r.signed[job.SignerActorID]; ok {
			out[job.SignerActorID] = s
			continue
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		a, err := r.d.store.Actors.ByID(sctx, job.SignerActorID)
		cancel()
		out[job.SignerActorID] = signerFor{actor: a, err: err}
		if err == nil {
			r.signed[job.SignerActorID] = out[job.SignerActorID]
		}
	}
	return out
}

// done frees the slot of a finished attempt.
func (r *session) done(host string) {
	r.running--
	if r.perHost[host]--; r.perHost[host] <= 0 {
		delete(r.perHost, host)
	}
}

// drain frees the slots of every attempt that has finished meanwhile.
func (r *session) drain() {
	for {
		select {
		case host := <-r.finished:
			r.done(host)
		default:
			return
		}
	}
}

// stop waits for the attempts in flight, for at most the grace period,
// then cuts them off and waits for their bookkeeping.
func (r *session) stop(cancelJobs context.CancelFunc) error {
	d := r.d
	finished := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(finished)
	}()
	grace := time.NewTimer(d.cfg.ShutdownGracePeriod)
	defer grace.Stop()
	select {
	case <-finished:
	case <-grace.C:
		d.log.Warn("cutting off deliveries still in flight; they will be retried", "running", r.running)
		cancelJobs()
		<-finished
	}
	d.log.Debug("delivery runner stopped", "worker", r.worker)
	return nil
}

// purgeDelivered deletes done jobs older than keepDelivered.
func (d *Runner) purgeDelivered(ctx context.Context, now time.Time) {
	n, err := d.store.Deliveries.PurgeDelivered(ctx, now.Add(-keepDelivered))
	switch {
	case err != nil && ctx.Err() == nil:
		d.log.Warn("purging delivered jobs", "err", err)
	case n > 0:
		d.log.Debug("purged delivered jobs", "count", n)
	}
}
