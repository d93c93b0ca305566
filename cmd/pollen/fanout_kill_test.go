package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/testrig"
)

// tally counts, at the receiving end, the Creates each follower accepted:
// by activity id, how many were answered 202, and how many of one id were
// in flight at once.
type tally struct {
	mu sync.Mutex
	// accepted counts acceptances by follower and activity id; lastAt is
	// when the last was answered.
	accepted map[string]map[string]int
	lastAt   time.Time
	inFlight map[string]int // by follower and activity id
	// overlaps counts POSTs of one activity to one follower that came
	// while another was still being answered.
	overlaps int
	// held and dropped count the POSTs held back and those whose sender
	// went away before they were answered.
	held, dropped int
}

func newTally() *tally {
	return &tally{accepted: map[string]map[string]int{}, inFlight: map[string]int{}}
}

// receiver makes rm count the Creates it receives. While hold is true a
// Create is held unanswered until its sender goes away; otherwise it is
// answered 202 after delay.
func (ty *tally) receiver(rm *testrig.Remote, hold *atomic.Bool, delay time.Duration) {
	rm.OnInbox = func(w http.ResponseWriter, r *http.Request, got testrig.Received) {
		if got.Type != "Create" {
			w.WriteHeader(http.StatusAccepted)
			return
		}
		key := rm.ActorIRI + " " + got.ID
		ty.mu.Lock()
		if ty.inFlight[key]++; ty.inFlight[key] > 1 {
			ty.overlaps++
		}
		ty.mu.Unlock()
		defer func() {
			ty.mu.Lock()
			ty.inFlight[key]--
			ty.mu.Unlock()
		}()
		if hold != nil && hold.Load() {
			ty.mu.Lock()
			ty.held++
			ty.mu.Unlock()
			<-r.Context().Done()
			ty.mu.Lock()
			ty.dropped++
			ty.mu.Unlock()
			return
		}
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		ty.mu.Lock()
		if ty.accepted[rm.ActorIRI] == nil {
			ty.accepted[rm.ActorIRI] = map[string]int{}
		}
		ty.accepted[rm.ActorIRI][got.ID]++
		ty.lastAt = time.Now()
		ty.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}
}

// count is how many Creates with an id starting with prefix follower got.
func (ty *tally) count(follower, prefix string) (ids, total int) {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	for id, n := range ty.accepted[follower] {
		if strings.HasPrefix(id, prefix) {
			ids++
			total += n
		}
	}
	return ids, total
}

func (ty *tally) heldAndDropped() (int, int) {
	ty.mu.Lock()
	defer ty.mu.Unlock()
	return ty.held, ty.dropped
}

// followers starts n Remotes, each following the node, counted by ty.
func followers(t *testing.T, n int, ty *tally, hold *atomic.Bool, delay time.Duration, base, actor string) []*testrig.Remote {
	t.Helper()
	rms := make([]*testrig.Remote, n)
	for i := range rms {
		rms[i] = testrig.StartRemote(t)
		ty.receiver(rms[i], hold, delay)
		rms[i].FollowAt(t, base, actor)
	}
	return rms
}

// TestKilledDuringFanOut publishes to 24 followers through the real
// binary, kills it with SIGKILL while deliveries are in flight (the
// followers hold them unanswered), restarts it on the same database and
// port, and checks that every follower then accepts the case study exactly
// once, long before the jobs' lease (five minutes here) runs out. Restarted
// in the same data folder, the new process finds the old one's lock file
// free and takes its jobs over at once; in another folder (another host),
// it takes them over when the old heartbeat goes stale.
func TestKilledDuringFanOut(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		for _, sameDir := range []bool{true, false} {
			name := "same data folder"
			if !sameDir {
				name = "other data folder"
			}
			t.Run(name, func(t *testing.T) { killDuringFanOut(t, testrig.Fresh(t, db.Name), sameDir) })
		}
	})
}

func killDuringFanOut(t *testing.T, db testrig.DB, sameDir bool) {
	const n = 24
	const workers = 6
	const lease = 5 * time.Minute
	addr := freeAddr(t)
	node := newProcNode(t, db, addr, "POLLEN_DELIVERY_WORKERS=6", "POLLEN_DELIVERY_PER_HOST=1", "POLLEN_DELIVERY_LEASE="+lease.String())
	first := node.serve(t, addr)
	node.makeToken(t)
	ty := newTally()
	var hold atomic.Bool
	rms := followers(t, n, ty, &hold, 0, node.base, node.actor())

	hold.Store(true)
	r := node.api(t, addr, http.MethodPost, "/case-studies", map[string]any{
		"title": "Killed mid fan-out", "summary": "A case study published just before a crash.", "body": "Text.",
	})
	if r.Status != http.StatusCreated {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	iri := r.Map(t)["id"].(string)
	testrig.Eventually(t, "deliveries in flight", func() bool {
		held, _ := ty.heldAndDropped()
		return held == workers
	})
	first.kill(t)
	killed := time.Now()
	testrig.Eventually(t, "the followers see the sender gone", func() bool {
		held, dropped := ty.heldAndDropped()
		return dropped == held
	})
	for _, rm := range rms {
		if ids, _ := ty.count(rm.ActorIRI, ""); ids != 0 {
			t.Fatalf("%s accepted a delivery before the kill", rm.ActorIRI)
		}
	}

	hold.Store(false)
	if !sameDir {
		// Another data folder, as on another host: no lock file to find.
		dsn := filepath.Join(node.dir, "data", "pollen.db")
		if db.Name == "postgres" {
			dsn = db.DSN
		}
		node.env = append(node.env, "POLLEN_DATA_DIR="+filepath.Join(node.dir, "other"), "POLLEN_DATABASE_URL="+dsn)
	}
	restarted := time.Now()
	second := node.serve(t, addr)
	testrig.Eventually(t, "every follower accepts the case study", func() bool {
		for _, rm := range rms {
			if ids, _ := ty.count(rm.ActorIRI, ""); ids == 0 {
				return false
			}
		}
		return true
	})
	ty.mu.Lock()
	last := ty.lastAt
	ty.mu.Unlock()
	t.Logf("restart to last delivery: %s", last.Sub(restarted).Round(10*time.Millisecond))
	// The jobs held by the killed process were taken over, not left
	// until their lease ran out.
	if !last.Before(killed.Add(lease)) {
		t.Errorf("the last follower got the case study %s after the kill, when the lease of %s had run out", last.Sub(killed), lease)
	}
	tookOver := strings.Contains(second.logs.String(), "a process ended without stopping")
	if tookOver != sameDir {
		t.Errorf("restarted in the same data folder: %v; found the killed process's lock file free: %v", sameDir, tookOver)
	}
	testrig.Eventually(t, "the queue drains", func() bool {
		c := node.queueCounts(t, addr)
		return c["pending"] == 0 && c["retrying"] == 0
	})
	for _, rm := range rms {
		if ids, total := ty.count(rm.ActorIRI, ""); ids != 1 || total != 1 {
			t.Errorf("%s accepted %d Creates (%d ids), want exactly one", rm.ActorIRI, total, ids)
		}
		for _, g := range rm.Received("Create") {
			if obj, _ := g.Object["id"].(string); obj != iri {
				t.Errorf("%s received a Create of %s, want %s", rm.ActorIRI, obj, iri)
			}
		}
	}
	if c := node.queueCounts(t, addr); c["dead"] != 0 || c["done"] < n {
		t.Errorf("queue counts %v: want every job done, none dead", c)
	}
}
