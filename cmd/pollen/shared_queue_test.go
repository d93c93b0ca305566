package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/testrig"
)

// TestTwoProcessesShareTheQueue runs two `pollen serve` processes of one
// node on one PostgreSQL database: the same configuration and base URL,
// two listen ports, both running their delivery workers. Case studies
// published through either reach every follower exactly once, and no job
// is delivered by both at the same time.
func TestTwoProcessesShareTheQueue(t *testing.T) {
	db := testrig.Postgres(t)
	const n, published = 16, 3
	addrA, addrB := freeAddr(t), freeAddr(t)
	node := newProcNode(t, db, addrA, "POLLEN_DELIVERY_WORKERS=4", "POLLEN_DELIVERY_PER_HOST=1")
	a := node.serve(t, addrA)
	b := node.serve(t, addrB)
	node.makeToken(t)
	ty := newTally()
	// Slow receivers keep both processes' workers busy at once.
	rms := followers(t, n, ty, nil, 50*time.Millisecond, node.base, node.actor())

	var iris []string
	for i := range published {
		addr := addrA
		if i%2 == 1 {
			addr = addrB
		}
		r := node.api(t, addr, http.MethodPost, "/case-studies", map[string]any{
			"title": fmt.Sprintf("Shared queue %d", i), "summary": "One node, two processes.", "body": "Text.",
		})
		if r.Status != http.StatusCreated {
			t.Fatalf("publish through %s: %d %s", addr, r.Status, r.Body)
		}
		iris = append(iris, r.Map(t)["id"].(string))
	}
	testrig.Eventually(t, "every follower accepts every case study", func() bool {
		for _, rm := range rms {
			if ids, _ := ty.count(rm.ActorIRI, ""); ids < published {
				return false
			}
		}
		return true
	})
	testrig.Eventually(t, "the queue drains", func() bool {
		c := node.queueCounts(t, addrB)
		return c["pending"] == 0 && c["retrying"] == 0
	})
	for _, rm := range rms {
		for _, iri := range iris {
			if ids, total := ty.count(rm.ActorIRI, iri); ids != 1 || total != 1 {
				t.Errorf("%s accepted the Create of %s %d times (%d ids), want once", rm.ActorIRI, iri, total, ids)
			}
		}
		if accepts := rm.Received("Accept"); len(accepts) != 1 {
			t.Errorf("%s received %d Accepts of its follow, want 1", rm.ActorIRI, len(accepts))
		}
	}
	ty.mu.Lock()
	overlaps := ty.overlaps
	ty.mu.Unlock()
	if overlaps != 0 {
		t.Errorf("%d deliveries came while the same job was in flight", overlaps)
	}
	if c := node.queueCounts(t, addrA); c["dead"] != 0 {
		t.Errorf("queue counts %v: want none dead", c)
	}
	// Both processes took part.
	for _, p := range []*proc{a, b} {
		if !strings.Contains(p.logs.String(), "msg=delivered") {
			t.Errorf("the process on %s delivered nothing", p.addr)
		}
	}
}
