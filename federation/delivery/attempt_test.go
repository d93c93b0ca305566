package delivery

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/models"
)

func TestBackoff(t *testing.T) {
	base := time.Minute
	for attempts, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 5: 16 * time.Minute, 40: maxBackoff} {
		for i := 0; i < 20; i++ {
			got := backoff(base, attempts)
			if got < want*3/4 || got > want*5/4 {
				t.Errorf("backoff(%v, %d) = %v, want %v ± 25%%", base, attempts, got, want)
			}
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header string
		want   time.Time
		ok     bool
	}{
		{"120", now.Add(2 * time.Minute), true},
		{" 0 ", now, true},
		{"Sun, 01 Mar 2026 13:00:00 GMT", now.Add(time.Hour), true},
		{"Sun, 01 Mar 2026 11:00:00 GMT", now, true}, // in the past: now
		{"", time.Time{}, false},
		{"soon", time.Time{}, false},
		{"-5", time.Time{}, false},
	} {
		h := http.Header{}
		if tc.header != "" {
			h.Set("Retry-After", tc.header)
		}
		got, ok := retryAfter(h, now)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("Retry-After %q: %v, %v; want %v, %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

func TestJudge(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cfg := config.Default()
	cfg.DeliveryRetryBase = time.Minute
	cfg.DeliveryMaxAge = 24 * time.Hour
	r := New(cfg, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, WithClock(func() time.Time { return now }))
	fresh := models.Delivery{CreatedAt: now.Add(-time.Hour), Attempts: 1}
	old := models.Delivery{CreatedAt: now.Add(-25 * time.Hour), Attempts: 9}
	nearlyOld := models.Delivery{CreatedAt: now.Add(-23*time.Hour - 59*time.Minute), Attempts: 8}
	retryIn := func(h string) http.Header { return http.Header{"Retry-After": {h}} }
	for _, tc := range []struct {
		name    string
		job     models.Delivery
		status  int
		header  http.Header
		err     error
		verdict verdict
		next    time.Time // checked when set
		gone    bool
	}{
		{"accepted", fresh, 202, nil, nil, verdictDelivered, time.Time{}, false},
		{"ok", fresh, 200, nil, nil, verdictDelivered, time.Time{}, false},
		{"gone", fresh, 410, nil, nil, verdictDead, time.Time{}, true},
		{"forbidden", fresh, 403, nil, nil, verdictDead, time.Time{}, false},
		{"not found", fresh, 404, nil, nil, verdictDead, time.Time{}, false},
		{"unauthorized", fresh, 401, nil, nil, verdictRetry, time.Time{}, false},
		{"request timeout", fresh, 408, nil, nil, verdictRetry, time.Time{}, false},
		{"too many", fresh, 429, retryIn("600"), nil, verdictRetry, now.Add(10 * time.Minute), false},
		{"unavailable", fresh, 503, retryIn("60"), nil, verdictRetry, now.Add(time.Minute), false},
		{"server error", fresh, 500, nil, nil, verdictRetry, time.Time{}, false},
		{"redirect left", fresh, 302, nil, nil, verdictRetry, time.Time{}, false},
		{"network", fresh, 0, nil, errors.New("connection refused"), verdictRetry, time.Time{}, false},
		{"undeliverable", fresh, 0, nil, ErrUndeliverable, verdictDead, time.Time{}, false},
		{"too old", old, 500, nil, nil, verdictDead, time.Time{}, false},
		{"last retry at the age limit", nearlyOld, 429, retryIn("3600"), nil, verdictRetry, nearlyOld.CreatedAt.Add(24 * time.Hour), false},
	} {
		o := r.judge(context.Background(), tc.job, tc.status, tc.header, tc.err)
		if o.verdict != tc.verdict || o.gone != tc.gone || (!tc.next.IsZero() && !o.next.Equal(tc.next)) {
			t.Errorf("%s: %+v; want verdict %d, next %v, gone %v", tc.name, o, tc.verdict, tc.next, tc.gone)
		}
		if o.verdict == verdictRetry && !o.next.After(now) && tc.status != 0 {
			t.Errorf("%s: retry at %v, not after now", tc.name, o.next)
		}
		if o.verdict != verdictDelivered && o.reason == "" {
			t.Errorf("%s: no reason given", tc.name)
		}
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if o := r.judge(cancelled, fresh, 0, nil, context.Canceled); o.verdict != verdictRetry || !o.next.Equal(now) {
		t.Errorf("cut off by shutdown: %+v, want a retry now", o)
	}
}

// postCounter is a Poster that counts its calls and accepts each.
type postCounter struct{ calls int }

func (p *postCounter) Post(context.Context, models.Actor, string, []byte) (int, http.Header, error) {
	p.calls++
	return http.StatusAccepted, nil, nil
}

// A job claimed without its activity's payload (its row gone from the
// store) is given up, not posted as an empty signed body.
func TestAttemptWithoutPayload(t *testing.T) {
	poster := &postCounter{}
	r := New(config.Default(), nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, WithPoster(poster))
	for _, tc := range []struct {
		name    string
		payload []byte
		verdict verdict
		calls   int
	}{
		{"payload", []byte(`{}`), verdictDelivered, 1},
		{"no payload", nil, verdictDead, 1},
	} {
		s := &session{d: r, results: make(chan pendingResult, 1)}
		s.attemptDelivery(context.Background(), models.Delivery{ID: 1, Inbox: "https://b.example/inbox", Payload: tc.payload}, signerFor{})
		got := <-s.results
		if got.o.verdict != tc.verdict || poster.calls != tc.calls {
			t.Errorf("%s: verdict %v (%s), %d posts so far; want %v, %d", tc.name, got.o.verdict, got.o.reason, poster.calls, tc.verdict, tc.calls)
		}
	}
}
