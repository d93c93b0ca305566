package delivery_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/delivery"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// keyPoster answers 202 to every POST and keeps the private key of the
// last signer.
type keyPoster struct {
	mu   sync.Mutex
	last string
}

func (p *keyPoster) Post(_ context.Context, signer models.Actor, _ string, _ []byte) (int, http.Header, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = signer.PrivateKeyPEM
	return http.StatusAccepted, nil, nil
}

func (p *keyPoster) key() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// TestDeliverReloadsTheSigner checks that a runner which keeps the signing
// actor between claims signs with a rotated key once that has had time to
// be seen (a second of the runner's clock).
func TestDeliverReloadsTheSigner(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		store := testrig.Store(t, db)
		var ahead atomic.Int64
		now := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
		poster := &keyPoster{}
		svc, actor := newDeliveryServiceAt(t, store, deliveryConfig(), now, delivery.WithPoster(poster))
		runDelivery(t, svc)

		if err := svc.Enqueue(ctx, "http://a.example/activities/1", actor, activity("http://a.example/activities/1"), []string{"http://b.example/inbox"}); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		waitFor(t, "the first delivery", func() bool { return stats(t, store).Done == 1 })
		if poster.key() != actor.PrivateKeyPEM {
			t.Fatalf("the first delivery was signed with another key")
		}
		rotated := actor
		rotated.PrivateKeyPEM = "rotated"
		if err := store.Actors.Save(ctx, &rotated); err != nil {
			t.Fatalf("Save: %v", err)
		}
		ahead.Store(int64(2 * time.Second))
		if err := svc.Enqueue(ctx, "http://a.example/activities/2", actor, activity("http://a.example/activities/2"), []string{"http://b.example/inbox"}); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		waitFor(t, "the second delivery", func() bool { return stats(t, store).Done == 2 })
		if got := poster.key(); got != "rotated" {
			t.Errorf("the second delivery was signed with the old key, want the rotated one")
		}
	})
}
