package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

func TestEnqueueDeliveriesIsIdempotent(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		payload := []byte(`{"id":"https://a.example/act/1","type":"Create"}`)
		inboxes := []string{"https://b.example/inbox", "https://c.example:8443/users/x/inbox", "https://b.example/inbox"}
		for i := 0; i < 2; i++ {
			if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 7, payload, inboxes); err != nil {
				t.Fatalf("enqueue (run %d): %v", i, err)
			}
		}
		ds, err := s.Deliveries.Of(ctx, "https://a.example/act/1")
		if err != nil {
			t.Fatalf("Deliveries.Of: %v", err)
		}
		if len(ds) != 2 {
			t.Fatalf("got %d jobs, want 2 (one per distinct inbox)", len(ds))
		}
		want := map[string]string{"https://b.example/inbox": "b.example", "https://c.example:8443/users/x/inbox": "c.example:8443"}
		for _, d := range ds {
			if want[d.Inbox] != d.Host {
				t.Errorf("job to %q has host %q, want %q", d.Inbox, d.Host, want[d.Inbox])
			}
			if string(d.Payload) != string(payload) || d.SignerActorID != 7 || d.State != models.DeliveryPending || d.Attempts != 0 {
				t.Errorf("job %+v not queued as given", d)
			}
		}
		err = s.Deliveries.Enqueue(ctx, "https://a.example/act/2", 7, payload, []string{"https://ok.example/inbox", "not a url"})
		if err == nil {
			t.Error("enqueue with a bad inbox: no error")
		}
		if ds, _ := s.Deliveries.Of(ctx, "https://a.example/act/2"); len(ds) != 0 {
			t.Errorf("a refused enqueue queued %d jobs", len(ds))
		}
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/3", 7, payload, nil); err != nil {
			t.Errorf("enqueue to no inbox: %v", err)
		}
	})
}

func TestClaimDeliveries(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		for i := 0; i < 3; i++ {
			act := fmt.Sprintf("https://a.example/act/%d", i)
			if err := s.Deliveries.Enqueue(ctx, act, 1, []byte(`{}`), []string{"https://b.example/inbox"}); err != nil {
				t.Fatalf("enqueue: %v", err)
			}
		}
		now := time.Now().Add(time.Second)
		first, err := claimJobs(ctx, s, "w1", 2, time.Minute, now)
		if err != nil || len(first) != 2 {
			t.Fatalf("first claim: %d jobs, %v; want 2", len(first), err)
		}
		if first[0].ActivityID != "https://a.example/act/0" || first[1].ActivityID != "https://a.example/act/1" {
			t.Errorf("claim order: %s, %s; want oldest first", first[0].ActivityID, first[1].ActivityID)
		}
		for _, d := range first {
			if d.LockedBy != "w1" || d.LockedUntil == nil || d.Attempts != 1 {
				t.Errorf("claimed job %d: locked by %q until %v, attempts %d", d.ID, d.LockedBy, d.LockedUntil, d.Attempts)
			}
		}
		second, err := claimJobs(ctx, s, "w2", 10, time.Minute, now)
		if err != nil || len(second) != 1 || second[0].ActivityID != "https://a.example/act/2" {
			t.Fatalf("second claim: %v, %v; want only the job not held", second, err)
		}
		if more, _ := claimJobs(ctx, s, "w3", 10, time.Minute, now); len(more) != 0 {
			t.Errorf("third claim took %d held jobs", len(more))
		}

		// A lease that ran out (the worker died) gives the job back.
		later := now.Add(2 * time.Minute)
		again, err := claimJobs(ctx, s, "w4", 10, time.Minute, later)
		if err != nil || len(again) != 3 {
			t.Fatalf("claim after the leases ran out: %d jobs, %v; want 3", len(again), err)
		}
		if again[0].Attempts != 2 || again[0].LockedBy != "w4" {
			t.Errorf("re-claimed job: attempts %d, locked by %q", again[0].Attempts, again[0].LockedBy)
		}
	})
}

func TestClaimDeliveriesPerHost(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		var inboxes []string
		for i := 0; i < 5; i++ {
			inboxes = append(inboxes, fmt.Sprintf("https://busy.example/users/%d/inbox", i))
		}
		inboxes = append(inboxes, "https://quiet.example/inbox", "https://full.example/inbox")
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, []byte(`{}`), inboxes); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		got, err := s.Deliveries.Claim(ctx, models.ClaimQuery{
			Worker: "w", Limit: 10, Lease: time.Minute, Now: time.Now().Add(time.Second),
			PerHost: 2, HostSlots: map[string]int{"full.example": 0},
		})
		if err != nil {
			t.Fatalf("claim: %v", err)
		}
		hosts := map[string]int{}
		for _, d := range got {
			hosts[d.Host]++
		}
		if hosts["busy.example"] != 2 || hosts["quiet.example"] != 1 || hosts["full.example"] != 0 {
			t.Errorf("claimed per host %v; want busy 2, quiet 1, full 0", hosts)
		}
	})
}

func TestDeliveryStates(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		inboxes := []string{"https://b.example/inbox", "https://c.example/inbox", "https://d.example/inbox", "https://e.example/inbox"}
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, []byte(`{}`), inboxes); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		now := time.Now().Add(time.Second)
		ds, err := claimJobs(ctx, s, "w", 3, time.Minute, now)
		if err != nil || len(ds) != 3 {
			t.Fatalf("claim: %d, %v", len(ds), err)
		}
		next := now.Add(time.Hour)
		for _, r := range []models.DeliveryResult{
			{ID: ds[0].ID, State: models.DeliveryDone, Status: 202},
			{ID: ds[1].ID, State: models.DeliveryRetrying, Status: 503, Error: "service unavailable", Next: next},
			{ID: ds[2].ID, State: models.DeliveryDead, Status: 403, Error: "forbidden"},
		} {
			if !record(t, s, "w", r) {
				t.Fatalf("the outcome %s of a job held was not recorded", r.State)
			}
		}
		if record(t, s, "w", models.DeliveryResult{ID: 999999, State: models.DeliveryDead, Error: "x"}) {
			t.Errorf("the outcome of no job was recorded")
		}
		if _, err := s.Deliveries.ByID(ctx, 999999); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("Deliveries.ByID of no job: %v, want ErrNotFound", err)
		}

		done, _ := s.Deliveries.ByID(ctx, ds[0].ID)
		if done.State != models.DeliveryDone || done.DeliveredAt == nil || done.LastStatus != 202 || done.LockedUntil != nil {
			t.Errorf("delivered job: %+v", done)
		}
		retry, _ := s.Deliveries.ByID(ctx, ds[1].ID)
		if retry.State != models.DeliveryRetrying || !retry.NextAttemptAt.Equal(next.UTC().Truncate(time.Microsecond)) ||
			retry.LastError != "service unavailable" || retry.LockedBy != "" {
			t.Errorf("failed job: %+v", retry)
		}
		dead, _ := s.Deliveries.ByID(ctx, ds[2].ID)
		if dead.State != models.DeliveryDead || dead.LastStatus != 403 {
			t.Errorf("dead job: %+v", dead)
		}
		// The retrying job is not due yet; nothing else waits but the
		// fourth, pending one.
		if got, _ := claimJobs(ctx, s, "w", 10, 3*time.Hour, now); len(got) != 1 || got[0].Inbox != inboxes[3] {
			t.Errorf("claim with one job due: %v", got)
		}
		if got, _ := claimJobs(ctx, s, "w", 10, time.Minute, next); len(got) != 1 || got[0].ID != ds[1].ID {
			t.Errorf("claim once the retry is due: %v", got)
		}

		stats, err := s.Deliveries.Stats(ctx)
		if err != nil {
			t.Fatalf("Deliveries.Stats: %v", err)
		}
		if stats != (models.DeliveryCounts{Pending: 1, Retrying: 1, Done: 1, Dead: 1}) {
			t.Errorf("stats %+v", stats)
		}
		list, err := s.Deliveries.List(ctx, models.DeliveryDead, 10)
		if err != nil || len(list) != 1 || list[0].ID != ds[2].ID {
			t.Errorf("Deliveries.List(dead): %v, %v", list, err)
		}
		if all, _ := s.Deliveries.List(ctx, "", 10); len(all) != 4 {
			t.Errorf("Deliveries.List(any): %d jobs, want 4", len(all))
		}

		n, err := s.Deliveries.PurgeDelivered(ctx, time.Now().Add(time.Minute))
		if err != nil || n != 1 {
			t.Errorf("Deliveries.PurgeDelivered: %d, %v; want 1", n, err)
		}
	})
}

func TestAbandonDeliveriesTo(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		for _, act := range []string{"https://a.example/act/1", "https://a.example/act/2"} {
			if err := s.Deliveries.Enqueue(ctx, act, 1, []byte(`{}`), []string{"https://gone.example/inbox", "https://ok.example/inbox"}); err != nil {
				t.Fatalf("enqueue: %v", err)
			}
		}
		n, err := s.Deliveries.AbandonTo(ctx, "https://gone.example/inbox", "inbox gone")
		if err != nil || n != 2 {
			t.Fatalf("Deliveries.AbandonTo: %d, %v; want 2", n, err)
		}
		if stats, _ := s.Deliveries.Stats(ctx); stats.Dead != 2 || stats.Pending != 2 {
			t.Errorf("stats after abandoning: %+v", stats)
		}
		if due, err := s.Deliveries.NextDue(ctx, time.Now(), time.Time{}); err != nil || due.IsZero() {
			t.Errorf("Deliveries.NextDue: %v, %v", due, err)
		}
	})
}

// TestRecordNeedsTheLease: a worker whose lease ran out, and whose job
// another worker claimed, cannot record an outcome over the new holder's.
func TestRecordNeedsTheLease(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, []byte(`{}`), []string{"https://b.example/inbox"}); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		now := time.Now().Add(time.Second)
		first, err := claimJobs(ctx, s, "slow", 1, time.Minute, now)
		if err != nil || len(first) != 1 {
			t.Fatalf("claim by slow: %d, %v", len(first), err)
		}
		id := first[0].ID
		// The lease runs out; another worker takes the job.
		second, err := claimJobs(ctx, s, "fast", 1, time.Minute, now.Add(2*time.Minute))
		if err != nil || len(second) != 1 || second[0].ID != id {
			t.Fatalf("claim by fast: %v, %v", second, err)
		}
		for _, r := range []models.DeliveryResult{
			{ID: id, State: models.DeliveryDone, Status: 202},
			{ID: id, State: models.DeliveryRetrying, Status: 503, Error: "unavailable", Next: now.Add(time.Hour)},
			{ID: id, State: models.DeliveryDead, Status: 403, Error: "forbidden"},
		} {
			if record(t, s, "slow", r) {
				t.Errorf("%s recorded by the worker whose lease ran out", r.State)
			}
		}
		d, _ := s.Deliveries.ByID(ctx, id)
		if d.State != models.DeliveryPending || d.LockedBy != "fast" || d.LockedUntil == nil {
			t.Errorf("the job after the stale marks: state %s, held by %q until %v", d.State, d.LockedBy, d.LockedUntil)
		}
		if !record(t, s, "fast", models.DeliveryResult{ID: id, State: models.DeliveryDone, Status: 202}) {
			t.Fatalf("the holder's outcome was not recorded")
		}
		if record(t, s, "fast", models.DeliveryResult{ID: id, State: models.DeliveryDead, Status: 500, Error: "again"}) {
			t.Errorf("an outcome was recorded for a released job")
		}
		if d, _ := s.Deliveries.ByID(ctx, id); d.State != models.DeliveryDone || d.LockedBy != "" {
			t.Errorf("the job after its holder marked it: %+v", d)
		}
	})
}

// TestRecordDeliveries records a batch in one call, leaving out the jobs
// claimed again since, even by the same worker.
func TestRecordDeliveries(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		var inboxes []string
		for i := 0; i < 5; i++ {
			inboxes = append(inboxes, fmt.Sprintf("https://h%d.example/inbox", i))
		}
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, []byte(`{}`), inboxes); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		now := time.Now().Add(time.Second)
		ds, err := claimJobs(ctx, s, "w", 5, time.Minute, now)
		if err != nil || len(ds) != 5 {
			t.Fatalf("claim: %d, %v", len(ds), err)
		}
		// The last job's lease runs out and the same worker claims it again.
		if !record(t, s, "w", models.DeliveryResult{ID: ds[4].ID, State: models.DeliveryRetrying, Status: 503, Error: "unavailable", Next: now}) {
			t.Fatal("the failure of a job held was not recorded")
		}
		again, err := claimJobs(ctx, s, "w", 1, time.Minute, now.Add(time.Second))
		if err != nil || len(again) != 1 || again[0].ID != ds[4].ID {
			t.Fatalf("claim again: %v, %v", again, err)
		}
		next := now.Add(time.Hour)
		results := []models.DeliveryResult{
			{ID: ds[0].ID, Attempts: ds[0].Attempts, State: models.DeliveryDone, Status: 202},
			{ID: ds[1].ID, Attempts: ds[1].Attempts, State: models.DeliveryDone, Status: 202},
			{ID: ds[2].ID, Attempts: ds[2].Attempts, State: models.DeliveryDone, Status: 200},
			{ID: ds[3].ID, Attempts: ds[3].Attempts, State: models.DeliveryRetrying, Status: 0, Error: "timeout", Next: next},
			{ID: ds[4].ID, Attempts: ds[4].Attempts, State: models.DeliveryDead, Status: 403, Error: "forbidden"},
		}
		notHeld, err := s.Deliveries.Record(ctx, "w", results)
		if err != nil {
			t.Fatalf("Deliveries.Record: %v", err)
		}
		if len(notHeld) != 1 || notHeld[0] != ds[4].ID {
			t.Errorf("not held: %v, want [%d]", notHeld, ds[4].ID)
		}
		for i, want := range []struct {
			state  string
			status int
		}{{models.DeliveryDone, 202}, {models.DeliveryDone, 202}, {models.DeliveryDone, 200}, {models.DeliveryRetrying, 0}, {models.DeliveryRetrying, 503}} {
			d, _ := s.Deliveries.ByID(ctx, ds[i].ID)
			if d.State != want.state || (i < 4 && (d.LastStatus != want.status || d.LockedBy != "")) {
				t.Errorf("job %d: state %s, status %d, held by %q; want %s, %d", i, d.State, d.LastStatus, d.LockedBy, want.state, want.status)
			}
		}
		if d, _ := s.Deliveries.ByID(ctx, ds[4].ID); d.LockedBy != "w" || d.Attempts != ds[4].Attempts+1 {
			t.Errorf("the job claimed again: %+v", d)
		}
		if _, err := s.Deliveries.Record(ctx, "w", []models.DeliveryResult{{ID: ds[4].ID, State: "lost"}}); err == nil {
			t.Error("an unknown state was recorded")
		}
	})
}

// claimJobs claims due jobs as the delivery runner does, without bounds
// per host.
func claimJobs(ctx context.Context, s *models.Store, worker string, limit int, lease time.Duration, now time.Time) ([]models.Delivery, error) {
	return s.Deliveries.Claim(ctx, models.ClaimQuery{Worker: worker, Limit: limit, Lease: lease, Now: now})
}

// record records one outcome by worker, as the delivery runner's recorder
// does, and reports whether it was recorded (worker held the job).
func record(t *testing.T, s *models.Store, worker string, r models.DeliveryResult) bool {
	t.Helper()
	notHeld, err := s.Deliveries.Record(context.Background(), worker, []models.DeliveryResult{r})
	if err != nil {
		t.Fatalf("Deliveries.Record: %v", err)
	}
	return len(notHeld) == 0
}

// TestClaimDeliveriesSpreadsHosts queues a fan-out whose inboxes come host
// by host, as a follower list sorted by inbox has them: a claim still
// takes its jobs from as many hosts as it may, not a few jobs of the first
// host and then nothing.
func TestClaimDeliveriesSpreadsHosts(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		var inboxes []string
		for h := 0; h < 8; h++ {
			for i := 0; i < 20; i++ {
				inboxes = append(inboxes, fmt.Sprintf("https://h%d.example/users/%d/inbox", h, i))
			}
		}
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, []byte(`{}`), inboxes); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		got, err := s.Deliveries.Claim(ctx, models.ClaimQuery{
			Worker: "w", Limit: 16, Lease: time.Minute, Now: time.Now().Add(time.Second), PerHost: 2,
		})
		if err != nil {
			t.Fatalf("claim: %v", err)
		}
		hosts := map[string]int{}
		for _, d := range got {
			hosts[d.Host]++
		}
		if len(got) != 16 || len(hosts) != 8 {
			t.Errorf("claimed %d jobs from %d hosts (%v); want 16 from all 8, two each", len(got), len(hosts), hosts)
		}
		// Each host's own inboxes keep their order.
		for _, d := range got {
			var h, i int
			if _, err := fmt.Sscanf(d.Inbox, "https://h%d.example/users/%d/inbox", &h, &i); err != nil || i > 1 {
				t.Errorf("claimed %s; want each host's first two inboxes", d.Inbox)
			}
		}
	})
}

// TestClaimLeavesUpdatedAt: a claim writes the lease and the attempt
// count, not the time the job last changed, so that on PostgreSQL it
// touches no indexed column, and there the table leaves room in its pages
// for such a write to stay on the row's page (migration step 20).
func TestClaimLeavesUpdatedAt(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, []byte(`{}`), []string{"https://b.example/inbox"}); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		ds, err := claimJobs(ctx, s, "w", 1, time.Minute, time.Now().Add(time.Hour))
		if err != nil || len(ds) != 1 {
			t.Fatalf("claim: %d, %v", len(ds), err)
		}
		got, err := s.Deliveries.ByID(ctx, ds[0].ID)
		if err != nil {
			t.Fatalf("Deliveries.ByID: %v", err)
		}
		if got.Attempts != 1 || got.LockedBy != "w" || !got.UpdatedAt.Equal(got.CreatedAt) {
			t.Errorf("claimed job: attempts %d, held by %q, updated %v, created %v; want 1, w, updated when created",
				got.Attempts, got.LockedBy, got.UpdatedAt, got.CreatedAt)
		}
		if db.Name != "postgres" {
			return
		}
		var opts string
		if err := sideDB(t, db).QueryRow(`SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'deliveries'::regclass`).Scan(&opts); err != nil {
			t.Fatalf("reloptions: %v", err)
		}
		if opts != "fillfactor=50" {
			t.Errorf("deliveries' storage options %q; want fillfactor=50", opts)
		}
	})
}

// sideCount runs a COUNT query on db through a connection of its own.
func sideCount(t *testing.T, db testrig.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := sideDB(t, db).QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// An activity's payload is stored once for all its jobs, and each job
// claimed carries it; queued again, the activity keeps its first payload.
func TestDeliveryPayloadKeptOnce(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		first, again := []byte(`{"id":"https://a.example/act/1","v":1}`), []byte(`{"id":"https://a.example/act/1","v":2}`)
		inboxes := []string{"https://b.example/inbox", "https://c.example/inbox", "https://d.example/inbox"}
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, first, inboxes); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, again, []string{"https://e.example/inbox"}); err != nil {
			t.Fatalf("enqueue again: %v", err)
		}
		if n := sideCount(t, db, `SELECT COUNT(*) FROM delivery_payloads`); n != 1 {
			t.Errorf("%d payloads stored for one activity; want 1", n)
		}
		ds, err := claimJobs(ctx, s, "w", 10, time.Minute, time.Now().Add(time.Second))
		if err != nil || len(ds) != 4 {
			t.Fatalf("claim: %d, %v", len(ds), err)
		}
		for _, d := range ds {
			if string(d.Payload) != string(first) {
				t.Errorf("job to %s carries %s; want the first payload", d.Inbox, d.Payload)
			}
		}
		if d, err := s.Deliveries.ByID(ctx, ds[0].ID); err != nil || string(d.Payload) != string(first) {
			t.Errorf("Deliveries.ByID: payload %s, %v", d.Payload, err)
		}
	})
}

// A purge deletes a payload with its last job, and keeps it while a job
// (a dead one, which may be revived) is left.
func TestPurgeDeliveredTakesPayloads(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		for _, act := range []string{"https://a.example/act/1", "https://a.example/act/2"} {
			if err := s.Deliveries.Enqueue(ctx, act, 1, []byte(`{}`), []string{"https://b.example/inbox", "https://c.example/inbox"}); err != nil {
				t.Fatalf("enqueue: %v", err)
			}
		}
		ds, err := claimJobs(ctx, s, "w", 4, time.Minute, time.Now().Add(time.Second))
		if err != nil || len(ds) != 4 {
			t.Fatalf("claim: %d, %v", len(ds), err)
		}
		for _, d := range ds {
			r := models.DeliveryResult{ID: d.ID, State: models.DeliveryDone, Status: 202}
			if d.ActivityID == "https://a.example/act/2" && d.Inbox == "https://c.example/inbox" {
				r = models.DeliveryResult{ID: d.ID, State: models.DeliveryDead, Status: 403, Error: "forbidden"}
			}
			if !record(t, s, "w", r) {
				t.Fatalf("outcome of job %d not recorded", d.ID)
			}
		}
		n, err := s.Deliveries.PurgeDelivered(ctx, time.Now().Add(time.Hour))
		if err != nil || n != 3 {
			t.Fatalf("PurgeDelivered: %d, %v; want the 3 done jobs", n, err)
		}
		if got := sideCount(t, db, `SELECT COUNT(*) FROM delivery_payloads WHERE activity_id = $1`, "https://a.example/act/1"); got != 0 {
			t.Errorf("the payload of an activity with no job left was kept")
		}
		if got := sideCount(t, db, `SELECT COUNT(*) FROM delivery_payloads WHERE activity_id = $1`, "https://a.example/act/2"); got != 1 {
			t.Errorf("the payload of an activity with a dead job left was purged")
		}
	})
}

// A job whose activity's payload is gone from the store is claimed with
// no payload (the runner gives it up), not with an empty one.
func TestClaimWithoutStoredPayload(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		s := testrig.Store(t, db)
		if err := s.Deliveries.Enqueue(ctx, "https://a.example/act/1", 1, []byte(`{}`), []string{"https://b.example/inbox"}); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
		if _, err := sideDB(t, db).Exec(`DELETE FROM delivery_payloads`); err != nil {
			t.Fatal(err)
		}
		ds, err := claimJobs(ctx, s, "w", 1, time.Minute, time.Now().Add(time.Second))
		if err != nil || len(ds) != 1 {
			t.Fatalf("claim: %d jobs, %v; want the job", len(ds), err)
		}
		if ds[0].Payload != nil {
			t.Errorf("claimed with payload %q; want none", ds[0].Payload)
		}
	})
}
