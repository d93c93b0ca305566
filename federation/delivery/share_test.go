package delivery_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// Two processes on one database share the queue: every job goes out once.
func TestDeliverTwoProcessesShareTheQueue(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		storeA, storeB := testrig.Store(t, db), testrig.Store(t, db)
		cfg := deliveryConfig()
		cfg.DeliveryWorkers, cfg.DeliveryPerHost = 8, 8
		svcA, actor := newDeliveryService(t, storeA, cfg)
		svcB, _ := newDeliveryService(t, storeB, cfg)
		rcs := []*receiver{newReceiver(t, nil), newReceiver(t, nil), newReceiver(t, nil)}
		var inboxes []string
		for _, r := range rcs {
			for i := 0; i < 40; i++ {
				inboxes = append(inboxes, fmt.Sprintf("%s/users/%d/inbox", r.URL, i))
			}
		}
		runDelivery(t, svcA)
		runDelivery(t, svcB)
		ctx := context.Background()
		var ids []string
		for i := 0; i < 3; i++ {
			id := fmt.Sprintf("http://a.example/activities/shared-%d", i)
			ids = append(ids, id)
			svc := svcA
			if i%2 == 1 {
				svc = svcB
			}
			if err := svc.Enqueue(ctx, id, actor, activity(id), inboxes); err != nil {
				t.Fatalf("Enqueue: %v", err)
			}
		}
		want := int64(len(ids) * len(inboxes))
		waitFor(t, "every delivery", func() bool { return stats(t, storeA).Done == want })
		for _, r := range rcs {
			for i := 0; i < 40; i++ {
				for _, id := range ids {
					if n := r.count(fmt.Sprintf("/users/%d/inbox", i), id); n != 1 {
						t.Errorf("%s/users/%d/inbox got %s %d times, want once", r.URL, i, id, n)
					}
				}
			}
		}
		ds, _ := storeA.Deliveries.List(ctx, models.DeliveryDone, 1000)
		for _, d := range ds {
			if d.Attempts != 1 {
				t.Errorf("job %d took %d attempts", d.ID, d.Attempts)
			}
		}
	})
}

// A process killed mid-delivery leaves its jobs leased; when the lease runs
// out the next runner delivers them.
func TestDeliverAfterAWorkerDied(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		store := testrig.Store(t, db)
		svc, actor := newDeliveryService(t, store, deliveryConfig())
		rc := newReceiver(t, nil)
		ctx := context.Background()
		id := "http://a.example/activities/orphan"
		if err := svc.Enqueue(ctx, id, actor, activity(id), []string{rc.URL + "/inbox"}); err != nil {
			t.Fatalf("Enqueue: %v", err)
		}
		// The "killed" process claimed the job and never came back.
		claimed, err := store.Deliveries.Claim(ctx, models.ClaimQuery{Worker: "killed", Limit: 10, Lease: 300 * time.Millisecond, Now: time.Now()})
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim by the doomed worker: %v, %v", claimed, err)
		}
		runDelivery(t, svc)
		waitFor(t, "the orphaned job delivered", func() bool { return stats(t, store).Done == 1 })
		ds, _ := store.Deliveries.Of(ctx, id)
		if ds[0].Attempts != 2 || rc.count("/inbox", id) != 1 {
			t.Errorf("orphaned job: %d attempts, received %d times", ds[0].Attempts, rc.count("/inbox", id))
		}
	})
}

// Shutdown lets a delivery in flight finish; past the grace period it is
// cut off and retried by the next run.
func TestDeliverShutdown(t *testing.T) {
	for _, graceful := range []bool{true, false} {
		t.Run(fmt.Sprintf("graceful=%v", graceful), func(t *testing.T) {
			testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
				store := testrig.Store(t, db)
				cfg := deliveryConfig()
				if !graceful {
					cfg.ShutdownGracePeriod = 0
				}
				svc, actor := newDeliveryService(t, store, cfg)
				arrived, release := make(chan struct{}, 1), make(chan struct{})
				var once sync.Once
				rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) bool {
					first := false
					once.Do(func() { first = true })
					if !first {
						return false
					}
					arrived <- struct{}{}
					select {
					case <-release:
					case <-r.Context().Done():
						return true
					}
					return false
				})
				t.Cleanup(func() { closeOnce(release) })
				stop := runDelivery(t, svc)
				ctx := context.Background()
				id := "http://a.example/activities/in-flight"
				if err := svc.Enqueue(ctx, id, actor, activity(id), []string{rc.URL + "/inbox"}); err != nil {
					t.Fatalf("Enqueue: %v", err)
				}
				<-arrived
				stopped := make(chan struct{})
				go func() { stop(); close(stopped) }()
				if graceful {
					select {
					case <-stopped:
						t.Fatal("Run returned with a delivery in flight")
					default:
					}
					closeOnce(release)
					<-stopped
					if c := stats(t, store); c.Done != 1 {
						t.Fatalf("after a graceful stop: %+v, want the job done", c)
					}
					return
				}
				<-stopped
				if c := stats(t, store); c.Retrying != 1 {
					t.Fatalf("after a cut-off stop: %+v, want the job retrying", c)
				}
				runDelivery(t, svc)
				waitFor(t, "the cut-off job delivered by the next run", func() bool { return stats(t, store).Done == 1 })
				if n := rc.count("/inbox", id); n != 1 {
					t.Errorf("received %d times, want once", n)
				}
			})
		})
	}
}

var closeMu sync.Mutex

func closeOnce(c chan struct{}) {
	closeMu.Lock()
	defer closeMu.Unlock()
	select {
	case <-c:
	default:
		close(c)
	}
}
