package federation

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

// attemptDelivery posts one claimed job and records the outcome. ctx ends
// only when the node is cut off at shutdown; the bookkeeping still lands.
func (s *Service) attemptDelivery(ctx context.Context, job models.Delivery) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
	defer cancel()
	var o outcome
	signer, err := s.store.ActorByID(sctx, job.SignerActorID)
	switch {
	case errors.Is(err, models.ErrNotFound):
		o = outcome{verdict: verdictDead, reason: "the signing actor no longer exists"}
	case err != nil:
		o = s.retry(job, 0, fmt.Sprintf("loading the signing actor: %v", err), time.Time{})
	default:
		status, header, err := s.delivery.poster.Post(ctx, signer, job.Inbox, job.Payload)
		o = s.judge(ctx, job, status, header, err)
	}
	s.record(sctx, job, o)
}

// judge turns an answer into an outcome: 2xx is delivered; 410 is dead and
// the inbox gone; other 4xx are dead except 401, 408 and 429; 429 and 503
// honour Retry-After; anything else, or no answer, is retried with backoff
// until the job is DeliveryMaxAge old.
func (s *Service) judge(ctx context.Context, job models.Delivery, status int, header http.Header, err error) outcome {
	switch {
	case err != nil && ctx.Err() != nil:
		// Cut off by shutdown: not the inbox's fault, try again soon.
		return outcome{verdict: verdictRetry, reason: "interrupted by shutdown", next: s.now()}
	case err != nil && errors.Is(err, ErrUndeliverable):
		return outcome{verdict: verdictDead, status: status, reason: err.Error()}
	case err != nil && status >= 200 && status < 300:
		// Accepted, but the answer could not be read whole.
		return outcome{verdict: verdictDelivered, status: status}
	case err != nil:
		return s.retry(job, status, err.Error(), time.Time{})
	case status >= 200 && status < 300:
		return outcome{verdict: verdictDelivered, status: status}
	case status == http.StatusGone:
		return outcome{verdict: verdictDead, status: status, reason: "410 Gone: the inbox no longer exists", gone: true}
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		at, _ := retryAfter(header, s.now())
		return s.retry(job, status, statusText(status), at)
	case status == http.StatusUnauthorized || status == http.StatusRequestTimeout:
		return s.retry(job, status, statusText(status), time.Time{})
	case status >= 400 && status < 500:
		return outcome{verdict: verdictDead, status: status, reason: statusText(status) + " (permanent)"}
	default:
		return s.retry(job, status, statusText(status), time.Time{})
	}
}

// retry schedules another attempt, at `at` if set (Retry-After), else after
// an exponential backoff with jitter, or gives the job up when it is
// DeliveryMaxAge old. The last retry is never later than that age.
func (s *Service) retry(job models.Delivery, status int, reason string, at time.Time) outcome {
	now := s.now()
	deadline := job.CreatedAt.Add(s.cfg.DeliveryMaxAge)
	if !now.Before(deadline) {
		return outcome{verdict: verdictDead, status: status,
			reason: fmt.Sprintf("gave up after %d attempts over %s: %s", job.Attempts, s.cfg.DeliveryMaxAge, reason)}
	}
	if at.IsZero() {
		at = now.Add(backoff(s.cfg.DeliveryRetryBase, job.Attempts))
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

// record writes the outcome to the queue, and on 410 Gone gives up the
// other jobs to that inbox and calls the InboxGoneFunc.
func (s *Service) record(ctx context.Context, job models.Delivery, o outcome) {
	log := s.log.With("delivery", job.ID, "activity", job.ActivityID, "inbox", job.Inbox, "attempt", job.Attempts)
	var err error
	switch o.verdict {
	case verdictDelivered:
		err = s.store.MarkDelivered(ctx, job.ID, o.status)
		log.Debug("delivered", "status", o.status)
	case verdictRetry:
		err = s.store.MarkFailed(ctx, job.ID, o.status, o.reason, o.next)
		log.Debug("delivery failed; will retry", "status", o.status, "reason", o.reason, "next", o.next)
	case verdictDead:
		err = s.store.MarkDead(ctx, job.ID, o.status, o.reason)
		log.Info("delivery given up", "status", o.status, "reason", o.reason)
	}
	if err != nil {
		log.Error("recording a delivery attempt; its lease will run out and it will be tried again", "err", err)
	}
	if !o.gone {
		return
	}
	if _, err := s.store.AbandonDeliveriesTo(ctx, job.Inbox, "the inbox answered 410 Gone"); err != nil {
		log.Error("giving up jobs to a gone inbox", "err", err)
	}
	if hook := s.delivery.inboxGone; hook != nil {
		if err := hook(ctx, job.Inbox); err != nil {
			log.Error("removing followers at a gone inbox", "err", err)
		}
	}
}
