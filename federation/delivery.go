package federation

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// Poster sends one activity to one inbox, signed with signer's key. It
// returns the answer's status and headers whatever the status; an error
// means no answer came (or the answer could not be read). An error that
// wraps ErrUndeliverable is not worth retrying.
type Poster interface {
	Post(ctx context.Context, signer models.Actor, inbox string, body []byte) (status int, header http.Header, err error)
}

// ErrUndeliverable marks a Poster error that retrying cannot cure, such as
// an inbox on a private network address.
var ErrUndeliverable = errors.New("federation: undeliverable")

// InboxGoneFunc is told that inbox answered 410 Gone, so that whoever keeps
// the followers can forget the actors behind it.
type InboxGoneFunc func(ctx context.Context, inbox string) error

// Delivery defaults.
const (
	defaultDeliveryPoll = time.Second
	minDeliveryLease    = time.Minute
	// keepDelivered is how long done jobs stay in the queue, for looking
	// at, before they are purged.
	keepDelivered = 7 * 24 * time.Hour
	purgeEvery    = time.Hour
	// storeTimeout bounds the bookkeeping after an attempt, which must
	// land even while the node shuts down.
	storeTimeout = 10 * time.Second
)

// deliverer is the Service's delivery state.
type deliverer struct {
	poster    Poster
	lease     time.Duration
	poll      time.Duration
	inboxGone InboxGoneFunc
	// wake is signalled when this process enqueues jobs.
	wake chan struct{}
}

func newDeliverer(s *Service) *deliverer {
	lease := max(4*s.cfg.HTTPTimeout, minDeliveryLease)
	if s.cfg.DeliveryLease > 0 {
		lease = s.cfg.DeliveryLease
	}
	return &deliverer{
		lease:     lease,
		poll:      defaultDeliveryPoll,
		inboxGone: s.removeFollowersAt,
		wake:      make(chan struct{}, 1),
	}
}

// WithPoster sets what sends deliveries (tests; the node's signing
// transport otherwise).
func WithPoster(p Poster) Option { return func(s *Service) { s.delivery.poster = p } }

// WithDeliveryPoll sets how often the delivery runner looks for due jobs
// when nothing wakes it (a second by default).
func WithDeliveryPoll(d time.Duration) Option {
	return func(s *Service) { s.delivery.poll = d }
}

// WithInboxGone sets what is done when an inbox answers 410 Gone; by
// default the followers at that inbox are removed.
func WithInboxGone(fn InboxGoneFunc) Option {
	return func(s *Service) { s.delivery.inboxGone = fn }
}

// removeFollowersAt is the default InboxGoneFunc.
func (s *Service) removeFollowersAt(ctx context.Context, inbox string) error {
	n, err := s.store.RemoveFollowersAt(ctx, inbox)
	if err != nil {
		return err
	}
	s.log.Info("removed followers whose inbox is gone", "inbox", inbox, "followers", n)
	return nil
}

// wakeDelivery tells this process's delivery runner that jobs are queued.
func (s *Service) wakeDelivery() {
	select {
	case s.delivery.wake <- struct{}{}:
	default:
	}
}

// enqueue queues the jobs in store: the service's, or a transaction's, so
// that a change and the activities announcing it are stored together.
func (s *Service) enqueue(ctx context.Context, store *models.Store, activityID string, signer models.Actor, payload []byte, inboxes []string) error {
	valid := make([]string, 0, len(inboxes))
	for _, inbox := range inboxes {
		u, err := url.Parse(inbox)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			s.log.Warn("not delivering to an inbox that is not an http(s) URL", "activity", activityID, "inbox", inbox)
			continue
		}
		valid = append(valid, inbox)
	}
	return store.EnqueueDeliveries(ctx, activityID, signer.ID, payload, valid)
}

// RunDelivery delivers queued jobs until ctx ends: it claims due jobs and
// runs them, at most DeliveryWorkers at once and DeliveryPerHost per host,
// waking at once when this process queues jobs and polling otherwise, so
// that jobs queued by other processes (and jobs whose worker died) are
// taken too, and jobs held by processes that are gone at once. When ctx
// ends it stops claiming and lets the attempts in flight finish, cutting
// them off after the shutdown grace period (they are then retried); it
// cuts them off too if this process's heartbeat lapses. Run one per
// Service. It returns nil when it stopped because ctx ended; store
// failures are logged and retried, not returned.
func (s *Service) RunDelivery(ctx context.Context) error {
	d := s.delivery
	if d.poster == nil {
		s.log.Warn("no transport to deliver with: activities stay queued")
		<-ctx.Done()
		return nil
	}
	defer s.proc.hold(ctx)()
	r := &runner{
		s: s, worker: s.proc.ID(), perHost: map[string]int{},
		finished: make(chan string, max(s.cfg.DeliveryWorkers, 1)),
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
	s.log.Debug("delivery runner started", "worker", r.worker)
	timer := time.NewTimer(0)
	defer timer.Stop()
	nextPurge := s.now()
	for ctx.Err() == nil {
		wait := r.claim(ctx, jobCtx)
		if now := s.now(); !now.Before(nextPurge) {
			s.purgeDelivered(ctx, now)
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

// runner is one RunDelivery's bookkeeping. Only the RunDelivery goroutine
// touches running and perHost; attempts report on finished.
type runner struct {
	s        *Service
	worker   string
	running  int
	perHost  map[string]int
	finished chan string
	wg       sync.WaitGroup
	// results carries finished attempts' outcomes to the recorder.
	results chan pendingResult
}

// claim takes as many due jobs as there are free slots, starts them, and
// says how long to wait before looking again. While attempts run it waits
// for a quarter of the slots to be free, so that one claim takes several
// jobs rather than one each time an attempt ends.
func (r *runner) claim(ctx, jobCtx context.Context) time.Duration {
	s, d := r.s, r.s.delivery
	workers := max(s.cfg.DeliveryWorkers, 1)
	free := workers - r.running
	if free <= 0 || (r.running > 0 && free < max(workers/4, 1)) {
		return d.poll
	}
	alive, ok := s.proc.current()
	if !ok {
		return d.poll
	}
	now := s.now()
	slots := make(map[string]int, len(r.perHost))
	for host, n := range r.perHost {
		slots[host] = max(s.cfg.DeliveryPerHost, 1) - n
	}
	jobs, err := s.store.ClaimDeliveries(ctx, models.ClaimQuery{
		Worker: r.worker, Limit: free, Lease: d.lease, Now: now, StaleBefore: staleBefore(now),
		PerHost: max(s.cfg.DeliveryPerHost, 1), HostSlots: slots,
	})
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("claiming deliveries", "err", err)
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
	due, err := s.store.NextDeliveryDue(ctx, now, staleBefore(now))
	if err != nil || !due.After(now) {
		return d.poll
	}
	return min(due.Sub(now), d.poll)
}

// signers loads the local actors that sign the claimed jobs, once each.
func (r *runner) signers(ctx context.Context, jobs []models.Delivery) map[int64]signerFor {
	out := map[int64]signerFor{}
	for _, job := range jobs {
		if _, ok := out[job.SignerActorID]; ok {
			continue
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		a, err := r.s.store.ActorByID(sctx, job.SignerActorID)
		cancel()
		out[job.SignerActorID] = signerFor{actor: a, err: err}
	}
	return out
}

// done frees the slot of a finished attempt.
func (r *runner) done(host string) {
	r.running--
	if r.perHost[host]--; r.perHost[host] <= 0 {
		delete(r.perHost, host)
	}
}

// drain frees the slots of every attempt that has finished meanwhile.
func (r *runner) drain() {
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
func (r *runner) stop(cancelJobs context.CancelFunc) error {
	s := r.s
	finished := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(finished)
	}()
	grace := time.NewTimer(s.cfg.ShutdownGracePeriod)
	defer grace.Stop()
	select {
	case <-finished:
	case <-grace.C:
		s.log.Warn("cutting off deliveries still in flight; they will be retried", "running", r.running)
		cancelJobs()
		<-finished
	}
	s.log.Debug("delivery runner stopped", "worker", r.worker)
	return nil
}

// purgeDelivered deletes done jobs older than keepDelivered.
func (s *Service) purgeDelivered(ctx context.Context, now time.Time) {
	n, err := s.store.PurgeDelivered(ctx, now.Add(-keepDelivered))
	switch {
	case err != nil && ctx.Err() == nil:
		s.log.Warn("purging delivered jobs", "err", err)
	case n > 0:
		s.log.Debug("purged delivered jobs", "count", n)
	}
}
