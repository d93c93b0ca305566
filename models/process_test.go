package models_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// stale is how long a heartbeat may be silent in these tests before its
// process counts as dead.
const stale = 8 * time.Second

func beat(t *testing.T, s *models.Store, id string, at time.Time) {
	t.Helper()
	if err := s.Processes.Heartbeat(context.Background(), models.Process{ID: id, Host: "h", PID: 1, StartedAt: at, HeartbeatAt: at}); err != nil {
		t.Fatalf("heartbeat of %s: %v", id, err)
	}
}

// claimAt claims deliveries for worker at now, taking over the jobs of
// processes silent for longer than stale.
func claimAt(t *testing.T, s *models.Store, worker string, now time.Time) []models.Delivery {
	t.Helper()
	ds, err := s.Deliveries.Claim(context.Background(), models.ClaimQuery{
		Worker: worker, Limit: 100, Lease: time.Hour, Now: now, StaleBefore: now.Add(-stale),
	})
	if err != nil {
		t.Fatalf("claim by %s: %v", worker, err)
	}
	return ds
}

func claimActivitiesAt(t *testing.T, s *models.Store, worker string, now time.Time) []models.Activity {
	t.Helper()
	as, err := s.Activities.Claim(context.Background(), models.ActivityClaim{
		Limit: 100, MaxAttempts: 3, RetryBefore: now, Now: now, Lease: time.Hour,
		Worker: worker, StaleBefore: now.Add(-stale),
	})
	if err != nil {
		t.Fatalf("claim activities by %s: %v", worker, err)
	}
	return as
}

// A live process keeps its claims however long it works on them; once its
// heartbeat stops, another process takes them over within the stale
// period, long before their lease runs out, and the dead process can no
// longer record an outcome.
func TestClaimTakeoverFollowsHeartbeats(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		t0 := time.Now().UTC().Truncate(time.Second).Add(time.Second)
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, []byte(`{}`), []string{"https://b.example/inbox"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Activities.Record(ctx, &models.Activity{IRI: "https://b.example/a/1", Type: "Create", ActorIRI: "https://b.example/u", Payload: "{}", ReceivedAt: t0}); err != nil {
			t.Fatal(err)
		}
		beat(t, s, "A", t0)
		beat(t, s, "B", t0)
		if ds, as := claimAt(t, s, "A", t0), claimActivitiesAt(t, s, "A", t0); len(ds) != 1 || len(as) != 1 {
			t.Fatalf("A claimed %d jobs and %d activities, want 1 and 1", len(ds), len(as))
		}

		// A works for half an hour (a slow follower, a long batch), beating
		// every two seconds: B takes nothing, at any point.
		now := t0
		for now.Before(t0.Add(30 * time.Minute)) {
			now = now.Add(2 * time.Second)
			beat(t, s, "A", now)
			beat(t, s, "B", now)
			if now.Sub(t0)%(5*time.Minute) == 0 || now.Sub(t0) < 20*time.Second {
				if ds, as := claimAt(t, s, "B", now), claimActivitiesAt(t, s, "B", now); len(ds)+len(as) != 0 {
					t.Fatalf("at +%s B took %d jobs and %d activities from A, which is alive", now.Sub(t0), len(ds), len(as))
				}
			}
		}

		// A dies. Until its heartbeat is stale its claims stay; then B takes
		// them over, though their lease has half an hour to run.
		died := now
		beat(t, s, "B", died.Add(stale-time.Second))
		if ds := claimAt(t, s, "B", died.Add(stale-time.Second)); len(ds) != 0 {
			t.Fatalf("B took A's job before A's heartbeat was stale")
		}
		at := died.Add(stale + time.Second)
		beat(t, s, "B", at)
		ds, as := claimAt(t, s, "B", at), claimActivitiesAt(t, s, "B", at)
		if len(ds) != 1 || len(as) != 1 || ds[0].LockedBy != "B" || ds[0].Attempts != 2 {
			t.Fatalf("after A's heartbeat went stale B took %+v and %d activities, want A's job and activity", ds, len(as))
		}
		if a, _ := s.Activities.ByIRI(ctx, "https://b.example/a/1"); a.LockedBy != "B" {
			t.Errorf("activity held by %q after the takeover, want B", a.LockedBy)
		}
		// A's late outcome is not recorded: the job is B's.
		if record(t, s, "A", models.DeliveryResult{ID: ds[0].ID, State: models.DeliveryDone, Status: 202}) {
			t.Error("a dead process recorded an outcome for a job taken over")
		}
		// B is alive: C takes nothing from it.
		beat(t, s, "C", at)
		if ds := claimAt(t, s, "C", at.Add(time.Second)); len(ds) != 0 {
			t.Errorf("C took a job of B, which is alive")
		}
	})
}

// A claim held by a process the table does not know (one that never beat,
// or was purged) is taken only once its lease runs out; a process marked
// dead loses its claims at once; a process that ends releases its own.
func TestClaimTakeoverOfUnknownAndEndedProcesses(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		t0 := time.Now().UTC().Truncate(time.Second).Add(time.Second)
		inboxes := []string{"https://b.example/inbox", "https://c.example/inbox", "https://d.example/inbox"}
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, []byte(`{}`), inboxes); err != nil {
			t.Fatal(err)
		}
		lease := func(worker string, n int) {
			t.Helper()
			ds, err := s.Deliveries.Claim(ctx, models.ClaimQuery{Worker: worker, Limit: n, Lease: time.Minute, Now: t0})
			if err != nil || len(ds) != n {
				t.Fatalf("claim by %s: %d, %v", worker, len(ds), err)
			}
		}
		lease("unknown", 1)
		beat(t, s, "D", t0)
		lease("D", 1)
		beat(t, s, "E", t0)
		lease("E", 1)

		if err := s.Processes.MarkDead(ctx, "D"); err != nil {
			t.Fatal(err)
		}
		if err := s.Processes.End(ctx, "E"); err != nil {
			t.Fatal(err)
		}
		beat(t, s, "F", t0.Add(time.Second))
		got := claimAt(t, s, "F", t0.Add(time.Second))
		if len(got) != 2 {
			t.Fatalf("F took %d jobs, want the dead D's and the ended E's", len(got))
		}
		beat(t, s, "F", t0.Add(59*time.Second))
		if got := claimAt(t, s, "F", t0.Add(59*time.Second)); len(got) != 0 {
			t.Fatalf("F took the unknown holder's job within its lease")
		}
		beat(t, s, "F", t0.Add(61*time.Second))
		if got := claimAt(t, s, "F", t0.Add(61*time.Second)); len(got) != 1 {
			t.Fatalf("F did not take the unknown holder's job once its lease ran out")
		}
		ps, err := s.Processes.List(ctx)
		if err != nil || len(ps) != 2 {
			t.Fatalf("processes after E ended: %+v, %v; want D and F", ps, err)
		}
		// A dead process is forgotten only once it holds no claim.
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/2", 1, []byte(`{}`), []string{"https://e.example/inbox"}); err != nil {
			t.Fatal(err)
		}
		beat(t, s, "G", t0)
		if ds, err := s.Deliveries.Claim(ctx, models.ClaimQuery{Worker: "G", Limit: 1, Lease: time.Minute, Now: time.Now().Add(time.Second)}); err != nil || len(ds) != 1 {
			t.Fatalf("claim by G: %d, %v", len(ds), err)
		}
		if err := s.Processes.MarkDead(ctx, "G"); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Processes.Purge(ctx, t0); err != nil || n != 1 {
			t.Errorf("Processes.Purge = %d, %v; want D forgotten, not G", n, err)
		}
		if ps, _ := s.Processes.List(ctx); len(ps) != 2 {
			t.Errorf("processes after the purge: %+v, want F and G", ps)
		}
	})
}

// Several processes taking over a dead process's jobs at once never take
// one job twice.
func TestConcurrentTakeover(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		const jobs, claimers = 60, 4
		var inboxes []string
		for i := range jobs {
			inboxes = append(inboxes, fmt.Sprintf("https://h%d.example/inbox", i))
		}
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, []byte(`{}`), inboxes); err != nil {
			t.Fatal(err)
		}
		t0 := time.Now().UTC().Truncate(time.Second).Add(time.Second)
		beat(t, s, "dead", t0)
		if ds := claimAt(t, s, "dead", t0); len(ds) != jobs {
			t.Fatalf("claimed %d, want %d", len(ds), jobs)
		}
		at := t0.Add(stale + time.Second)
		var mu sync.Mutex
		seen := map[int64]string{}
		var wg sync.WaitGroup
		for c := range claimers {
			other := testrig.Store(t, db) // its own connections, as another process has
			worker := fmt.Sprintf("w%d", c)
			beat(t, other, worker, at)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					ds, err := other.Deliveries.Claim(ctx, models.ClaimQuery{
						Worker: worker, Limit: 5, Lease: time.Hour, Now: at, StaleBefore: at.Add(-stale),
					})
					if err != nil {
						t.Errorf("claim by %s: %v", worker, err)
						return
					}
					if len(ds) == 0 {
						return
					}
					mu.Lock()
					for _, d := range ds {
						if prev, ok := seen[d.ID]; ok {
							t.Errorf("job %d taken by %s and %s", d.ID, prev, worker)
						}
						seen[d.ID] = worker
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != jobs {
			t.Errorf("%d of %d jobs taken over", len(seen), jobs)
		}
	})
}
