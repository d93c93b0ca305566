package quota

import (
	"errors"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/internal/apperr"
)

// TestInboxQuotasRefill: each bucket holds its hour's limit, refuses beyond it
// with a Retry-After of when it has room again, and fills back over the
// hour; a refusal charges nothing.
func TestInboxQuotasRefill(t *testing.T) {
	var q Quotas
	lim := Limits{ActorActivities: 4, ActorBytes: 1000, HostActivities: 6}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	take := func(actor string, size int) error {
		return q.Take("https://b.example/users/"+actor, "b.example", size, lim, now)
	}
	for i := range 4 {
		if err := take("ann", 10); err != nil {
			t.Fatalf("activity %d: %v", i, err)
		}
	}
	err := take("ann", 10)
	var fe *apperr.Error
	if !errors.As(err, &fe) || fe.Kind != apperr.TooMany || fe.RetryAfter != Window/4 {
		t.Fatalf("fifth activity: %v, want a 429 with RetryAfter %s", err, Window/4)
	}
	// The host has two left: bob takes them, then is refused by the host.
	for i := range 2 {
		if err := take("bob", 10); err != nil {
			t.Fatalf("bob's activity %d: %v", i, err)
		}
	}
	if err := take("bob", 10); err == nil {
		t.Fatal("bob's third activity passed the host's quota")
	}
	// A quarter of an hour later, one more each for ann and the host.
	now = now.Add(Window / 4)
	if err := take("ann", 10); err != nil {
		t.Fatalf("after a quarter hour: %v", err)
	}
	// Bytes: carol may have 1000 an hour.
	if err := take("carol", 900); err == nil {
		t.Fatal("carol passed the host's quota")
	}
	now = now.Add(Window)
	if err := take("carol", 900); err != nil {
		t.Fatalf("carol's 900 bytes: %v", err)
	}
	if err := take("carol", 200); !errors.As(err, &fe) || fe.RetryAfter <= 0 {
		t.Fatalf("carol's next 200 bytes: %v, want a 429 with RetryAfter", err)
	}
}
