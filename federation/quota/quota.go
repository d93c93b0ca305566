// Package quota limits what actors the node does not follow may have its
// inbox store: per actor and per host, in activities and in bytes, as
// token buckets counted over an hour.
package quota

import (
	"sync"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// Window is the period the inbox quotas are counted over.
const Window = time.Hour

// maxQuotaKeys bounds the buckets kept; full ones are dropped first.
const maxQuotaKeys = 50000

// Quotas limits what actors the node does not follow may have stored:
// per actor and per host, in activities and in bytes, each a token bucket
// that fills at its limit per Window and holds at most that limit.
// The zero value is ready to use; limits are read from the configuration
// on each call.
type Quotas struct {
	mu      sync.Mutex
	buckets map[quotaKey]*bucket
}

type quotaKey struct {
	kind byte // 'a' actor activities, 'A' actor bytes, 'h' host activities, 'H' host bytes
	name string
}

// bucket holds tokens as of last.
type bucket struct {
	tokens float64
	last   time.Time
}

// quotaLimit is one limit to check: the bucket, its size, and the cost.
type quotaLimit struct {
	key   quotaKey
	limit int
	cost  int
	what  string
}

// Take charges one activity of size bytes to actor and host, or, when any
// quota is spent, charges nothing and returns a 429 *apperr.Error whose
// RetryAfter is when the spent quota has room again.
func (q *Quotas) Take(actor, host string, size int, lim Limits, now time.Time) error {
	checks := []quotaLimit{
		{quotaKey{'a', actor}, lim.ActorActivities, 1, "activities from " + actor},
		{quotaKey{'A', actor}, lim.ActorBytes, size, "bytes from " + actor},
		{quotaKey{'h', host}, lim.HostActivities, 1, "activities from " + host},
		{quotaKey{'H', host}, lim.HostBytes, size, "bytes from " + host},
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.buckets == nil {
		q.buckets = map[quotaKey]*bucket{}
	}
	var wait time.Duration
	var spent string
	for _, c := range checks {
		if c.limit <= 0 {
			continue
		}
		b := q.fill(c.key, c.limit, now)
		if b.tokens >= float64(c.cost) {
			continue
		}
		need := float64(min(c.cost, c.limit)) - b.tokens
		if w := time.Duration(need / float64(c.limit) * float64(Window)); w > wait {
			wait, spent = w, c.what
		}
	}
	if spent != "" {
		return &apperr.Error{Kind: apperr.TooMany, RetryAfter: max(wait, time.Second),
			Message: "the inbox quota of " + spent + " is spent for now"}
	}
	for _, c := range checks {
		if c.limit > 0 {
			q.buckets[c.key].tokens -= float64(c.cost)
		}
	}
	return nil
}

// fill returns key's bucket topped up to now; a new one starts full.
func (q *Quotas) fill(key quotaKey, limit int, now time.Time) *bucket {
	b, ok := q.buckets[key]
	if !ok {
		if len(q.buckets) >= maxQuotaKeys {
			q.sweep(now)
		}
		b = &bucket{tokens: float64(limit), last: now}
		q.buckets[key] = b
		return b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(float64(limit), b.tokens+float64(limit)*d.Seconds()/Window.Seconds())
		b.last = now
	}
	return b
}

// sweep drops the buckets idle for a whole window (full again), and every
// bucket if that is not enough: an actor forgotten starts full.
func (q *Quotas) sweep(now time.Time) {
	for k, b := range q.buckets {
		if now.Sub(b.last) >= Window {
			delete(q.buckets, k)
		}
	}
	if len(q.buckets) >= maxQuotaKeys {
		clear(q.buckets)
	}
}

// Limits are the inbox quotas per Window; 0 is no limit.
type Limits struct {
	ActorActivities, ActorBytes, HostActivities, HostBytes int
}
