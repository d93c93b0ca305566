// Package delivery is the durable queue of outgoing activities: jobs are
// queued in the transaction of the change they announce, and the Runner
// claims due jobs, posts each to its inbox, judges the answer, retries
// with backoff or gives up, and purges old jobs. The federation package
// queues and wakes; node runs the Runner.
package delivery

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation/liveness"
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
var ErrUndeliverable = errors.New("delivery: undeliverable")

// InboxGoneFunc is told that inbox answered 410 Gone, so that whoever keeps
// the followers can forget the actors behind it. Its error is logged.
type InboxGoneFunc func(ctx context.Context, inbox string) error

// Delivery defaults.
const (
	defaultPoll = time.Second
	minLease    = time.Minute
	// keepDelivered is how long done jobs stay in the queue, for looking
	// at, before they are purged.
	keepDelivered = 7 * 24 * time.Hour
	purgeEvery    = time.Hour
	// storeTimeout bounds the bookkeeping after an attempt, which must
	// land even while the node shuts down.
	storeTimeout = 10 * time.Second
)

// Runner delivers the queued jobs of one process (Run), and queues jobs
// (Enqueue) and wakes itself (Wake) for the code that announces changes.
// Make it with New; its methods are safe for concurrent use, but run one
// Run at a time.
type Runner struct {
	cfg       config.Config
	store     *models.Store
	log       *slog.Logger
	now       func() time.Time
	proc      *liveness.Process
	poster    Poster
	lease     time.Duration
	poll      time.Duration
	inboxGone InboxGoneFunc
	// wake is signalled when this process enqueues jobs.
	wake chan struct{}
}

// Option changes a Runner made by New.
type Option func(*Runner)

// WithPoster sets what sends deliveries: the node's signing transport
// (TransportPoster), or a test's. Without one, Run delivers nothing.
func WithPoster(p Poster) Option { return func(r *Runner) { r.poster = p } }

// WithPoll sets how often Run looks for due jobs when nothing wakes it (a
// second by default).
func WithPoll(d time.Duration) Option { return func(r *Runner) { r.poll = d } }

// WithInboxGone sets what is done when an inbox answers 410 Gone (the
// node removes the followers at that inbox).
func WithInboxGone(fn InboxGoneFunc) Option { return func(r *Runner) { r.inboxGone = fn } }

// WithClock sets the clock the runner reads (time.Now by default).
func WithClock(now func() time.Time) Option { return func(r *Runner) { r.now = now } }

// New makes the Runner of a node with configuration cfg over store; proc
// is this process's heartbeat, held while Run runs and named in claims.
func New(cfg config.Config, store *models.Store, log *slog.Logger, proc *liveness.Process, opts ...Option) *Runner {
	lease := max(4*cfg.HTTPTimeout, minLease)
	if cfg.DeliveryLease > 0 {
		lease = cfg.DeliveryLease
	}
	r := &Runner{
		cfg: cfg, store: store, log: log, now: time.Now, proc: proc,
		lease: lease, poll: defaultPoll, wake: make(chan struct{}, 1),
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Wake tells this process's Run that jobs are queued, once the transaction
// that queued them is committed.
func (d *Runner) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Enqueue queues payload, the JSON of activity activityID signed by
// signer, for each inbox in store: the node's, or a transaction's, so that
// a change and the activities announcing it are stored together. An inbox
// that is not an http(s) URL is skipped and logged. A job already queued
// for the activity and the inbox is not queued again. It returns the
// store's errors; the caller wakes the runner after the commit.
func (d *Runner) Enqueue(ctx context.Context, store *models.Store, activityID string, signer models.Actor, payload []byte, inboxes []string) error {
	valid := make([]string, 0, len(inboxes))
	for _, inbox := range inboxes {
		u, err := url.Parse(inbox)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.log.Warn("not delivering to an inbox that is not an http(s) URL", "activity", activityID, "inbox", inbox)
			continue
		}
		valid = append(valid, inbox)
	}
	return store.Deliveries.Enqueue(ctx, activityID, signer.ID, payload, valid)
}
