package delivery

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pollen-coop/pollen/models"
)

// maxBackoff caps the wait between two attempts.
const maxBackoff = 12 * time.Hour

// verdict is what one attempt comes to.
type verdict int

const (
	verdictDelivered verdict = iota
	verdictRetry
	verdictDead
)

// outcome is the judged result of one attempt.
type outcome struct {
	verdict verdict
	status  int
	reason  string
	next    time.Time // when to retry
	gone    bool      // the inbox answered 410 Gone
}

// signerFor is the local actor that signs a job, loaded once per claimed
// batch; err is why it could not be loaded.
type signerFor struct {
	actor models.Actor
	err   error
}

// attemptDelivery posts one claimed job and has the outcome recorded. ctx
// ends only when the node is cut off at shutdown; the bookkeeping still
// lands.
func (r *session) attemptDelivery(ctx context.Context, job models.Delivery, signer signerFor) {
	d := r.d
	var o outcome
	switch {
	case errors.Is(signer.err, models.ErrNotFound):
		o = outcome{verdict: verdictDead, reason: "the signing actor no longer exists"}
	case signer.err != nil:
		o = d.retry(job, 0, fmt.Sprintf("loading the signing actor: %v", signer.err), time.Time{})
	case job.Payload == nil:
		// Its activity's payload is gone from the store: nothing to send.
		o = outcome{verdict: verdictDead, reason: "the activity's payload is no longer stored"}
	default:
		status, header, err := d.poster.Post(ctx, signer.actor, job.Inbox, job.Payload)
		o = d.judge(ctx, job, status, header, err)
	}
	r.record(job, o)
}

// judge turns an answer into an outcome: 2xx is delivered; 410 is dead and
// the inbox gone; other 4xx are dead except 401, 408 and 429; 429 and 503
// honour Retry-After; anything else, or no answer, is retried with backoff
// until the job is DeliveryMaxAge old.
func (d *Runner) judge(ctx context.Context, job models.Delivery, status int, header http.Header, err error) outcome {
	switch {
	case err != nil && ctx.Err() != nil:
		// Cut off by shutdown (or a lapsed heartbeat): not the inbox's
		// fault, try again soon.
		return outcome{verdict: verdictRetry, reason: "interrupted by shutdown", next: d.now()}
	case err != nil && errors.Is(err, ErrUndeliverable):
		return outcome{verdict: verdictDead, status: status, reason: err.Error()}
	case err != nil && status >= 200 && status < 300:
		// Accepted, but the answer could not be read whole.
		return outcome{verdict: verdictDelivered, status: status}
	case err != nil:
		return d.retry(job, status, err.Error(), time.Time{})
	case status >= 200 && status < 300:
		return outcome{verdict: verdictDelivered, status: status}
	case status == http.StatusGone:
		return outcome{verdict: verdictDead, status: status, reason: "410 Gone: the inbox no longer exists", gone: true}
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		at, _ := retryAfter(header, d.now())
		return d.retry(job, status, statusText(status), at)
	case status == http.StatusUnauthorized || status == http.StatusRequestTimeout:
		return d.retry(job, status, statusText(status), time.Time{})
	case status >= 400 && status < 500:
		return outcome{verdict: verdictDead, status: status, reason: statusText(status) + " (permanent)"}
	default:
		return d.retry(job, status, statusText(status), time.Time{})
	}
}

// retry schedules another attempt, at `at` if set (Retry-After), else after
// an exponential backoff with jitter, or gives the job up when it is
// DeliveryMaxAge old. The last retry is never later than that age.
func (d *Runner) retry(job models.Delivery, status int, reason string, at time.Time) outcome {
	now := d.now()
	deadline := job.CreatedAt.Add(d.cfg.DeliveryMaxAge)
	if !now.Before(deadline) {
		return outcome{verdict: verdictDead, status: status,
			reason: fmt.Sprintf("gave up after %d attempts over %s: %s", job.Attempts, d.cfg.DeliveryMaxAge, reason)}
	}
	if at.IsZero() {
		at = now.Add(backoff(d.cfg.DeliveryRetryBase, job.Attempts))
	}
	if at.After(deadline) {
		at = deadline
	}
	return outcome{verdict: verdictRetry, status: status, reason: reason, next: at}
}

// backoff is the wait after the given number of attempts: base, doubled
// for each attempt after the first, capped at maxBackoff, then spread by
// ±25% so that jobs failed together do not come back together.
func backoff(base time.Duration, attempts int) time.Duration {
	if base <= 0 {
		base = time.Second
	}
	d := base
	for i := 1; i < attempts && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, maxBackoff)
	return time.Duration(float64(d) * (0.75 + rand.Float64()/2))
}

// retryAfter reads a Retry-After header, in seconds or as an HTTP date,
// as a time; a date in the past means now.
func retryAfter(h http.Header, now time.Time) (time.Time, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		return now.Add(time.Duration(min(n, int64(maxBackoff/time.Second))) * time.Second), true
	}
	if t, err := http.ParseTime(v); err == nil {
		if t.Before(now) {
			t = now
		}
		return t, true
	}
	return time.Time{}, false
}

func statusText(status int) string {
	if t := http.StatusText(status); t != "" {
		return fmt.Sprintf("%d %s", status, t)
	}
	return fmt.Sprintf("status %d", status)
}

// record hands the outcome to the recorder, which writes it with the
// outcomes of other attempts that ended meanwhile; the job stays leased
// until then, so no one claims it again. On 410 Gone it waits for the
// write, then gives up the other jobs to that inbox and calls the
// InboxGoneFunc.
func (r *session) record(job models.Delivery, o outcome) {
	d := r.d
	p := pendingResult{job: job, o: o}
	if o.gone {
		p.done = make(chan struct{})
	}
	r.results <- p
	if !o.gone {
		return
	}
	<-p.done
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	log := d.log.With("delivery", job.ID, "inbox", job.Inbox)
	if _, err := d.store.Deliveries.AbandonTo(ctx, job.Inbox, "the inbox answered 410 Gone"); err != nil {
		log.Error("giving up jobs to a gone inbox", "err", err)
	}
	if hook := d.inboxGone; hook != nil {
		if err := hook(ctx, job.Inbox); err != nil {
			log.Error("removing followers at a gone inbox", "err", err)
		}
	}
}

// pendingResult is an outcome waiting for the recorder; done, when set,
// is closed once it is written.
type pendingResult struct {
	job  models.Delivery
	o    outcome
	done chan struct{}
}

// maxRecordBatch is the most outcomes written in one transaction.
const maxRecordBatch = 256

// runRecorder writes outcomes until results is closed: each write takes
// every outcome waiting at that moment, so that under load many attempts
// share one transaction, and alone an outcome is written at once. Attempts
// do not wait for it: their slots are free as soon as they have an
// outcome.
func (r *session) runRecorder(results <-chan pendingResult) {
	batch := make([]pendingResult, 0, maxRecordBatch)
	for first := range results {
		batch = append(batch[:0], first)
	more:
		for len(batch) < maxRecordBatch {
			select {
			case p, ok := <-results:
				if !ok {
					break more
				}
				batch = append(batch, p)
			default:
				break more
			}
		}
		r.writeResults(batch)
		for _, p := range batch {
			if p.done != nil {
				close(p.done)
			}
		}
	}
}

// writeResults records a batch of outcomes and logs each.
func (r *session) writeResults(batch []pendingResult) {
	d := r.d
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	rs := make([]models.DeliveryResult, len(batch))
	for i, p := range batch {
		rs[i] = models.DeliveryResult{ID: p.job.ID, Attempts: p.job.Attempts, Status: p.o.status, Error: p.o.reason}
		switch p.o.verdict {
		case verdictDelivered:
			rs[i].State, rs[i].Error = models.DeliveryDone, ""
		case verdictRetry:
			rs[i].State, rs[i].Next = models.DeliveryRetrying, p.o.next
		case verdictDead:
			rs[i].State = models.DeliveryDead
		}
	}
	notHeld, err := d.store.Deliveries.Record(ctx, r.worker, rs)
	lost := make(map[int64]bool, len(notHeld))
	for _, id := range notHeld {
		lost[id] = true
	}
	for _, p := range batch {
		log := d.log.With("delivery", p.job.ID, "activity", p.job.ActivityID, "inbox", p.job.Inbox, "attempt", p.job.Attempts)
		switch {
		case err != nil:
			log.Error("recording a delivery attempt; its lease will run out and it will be tried again", "err", err)
			continue
		case lost[p.job.ID]:
			log.Warn("not recording a delivery attempt: the job's lease ran out and it was claimed again", "status", p.o.status)
			continue
		}
		switch p.o.verdict {
		case verdictDelivered:
			log.Debug("delivered", "status", p.o.status)
		case verdictRetry:
			log.Debug("delivery failed; will retry", "status", p.o.status, "reason", p.o.reason, "next", p.o.next)
		case verdictDead:
			log.Info("delivery given up", "status", p.o.status, "reason", p.o.reason)
		}
	}
}
