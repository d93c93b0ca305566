package node_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// hub makes a node a regional hub.
func hub(c *config.Config) {
	fast(c)
	c.Role = config.RoleHub
	c.Name = "Regional hub"
}

// feedCount is how many times id is listed in a node's feed.
func feedCount(t *testing.T, n *testrig.Node, id string) int {
	t.Helper()
	var list struct {
		Items []map[string]any `json:"items"`
	}
	testrig.Do(t, http.MethodGet, n.URL+"/api/v1/feed?limit=100", nil, nil).Decode(t, &list)
	count := 0
	for _, it := range list.Items {
		if it["id"] == id {
			count++
		}
	}
	return count
}

// announceID is the id a hub gives its Announce of iri.
func announceID(h *testrig.Node, iri string) string {
	sum := sha256.Sum256([]byte(iri))
	return h.URL + "/actors/" + h.Config.Handle + "/announces/" + hex.EncodeToString(sum[:16])
}

// processed reports whether n received the activity id and processed it.
func processed(t *testing.T, n *testrig.Node, id string) bool {
	a, err := n.Store.Activities.ByIRI(context.Background(), id)
	return err == nil && a.State == models.ActivityDone
}

// TestHubChain: node A, hub H, node B; H follows A and B follows H. What A
// publishes reaches B through H's Announce, stored under A, fetched from
// A. A second hub H2 that follows H and is followed by it makes no loop
// and no duplicate.
func TestHubChain(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		plain := startNodes(t, db, 2)
		a, b := plain[0], plain[1]
		hubDB := func() testrig.DB { return testrig.Fresh(t, db.Name) }
		h := testrig.StartNode(t, testrig.Options{DB: hubDB(), Configure: hub})
		h2 := testrig.StartNode(t, testrig.Options{DB: hubDB(), Configure: hub})
		follow(t, h, a)
		follow(t, b, h)

		cs := publish(t, a, "Through the hub")
		id := cs["id"].(string)
		testrig.Eventually(t, "B gets A's case study through H", func() bool { return inFeed(t, b, id) })
		got := feed(t, b)[id]
		aActor := a.URL + "/actors/" + a.Config.Handle
		if author, _ := got["author"].(map[string]any); author["id"] != aActor {
			t.Errorf("author on B = %v, want A (%s)", got["author"], aActor)
		}
		if got["title"] != "Through the hub" || got["summary"] != cs["summary"] {
			t.Errorf("B's copy %v differs from A's", got)
		}
		// The case study is stored while the Announce is processed, a
		// moment before the Announce is marked done.
		testrig.Eventually(t, "B has processed H's Announce", func() bool { return processed(t, b, announceID(h, id)) })

		// Two hubs following each other.
		follow(t, h2, h)
		follow(t, h, h2)
		cs2 := publish(t, a, "Round the ring")
		id2 := cs2["id"].(string)
		for _, n := range []*testrig.Node{h, h2, b} {
			testrig.Eventually(t, "the second case study reaches "+n.URL, func() bool { return inFeed(t, n, id2) })
		}
		hAnn, h2Ann := announceID(h, id2), announceID(h2, id2)
		testrig.Eventually(t, "the Announces are processed", func() bool {
			return processed(t, b, hAnn) && processed(t, h2, hAnn) && processed(t, h, h2Ann)
		})
		for _, n := range []*testrig.Node{a, h, h2, b} {
			testrig.Eventually(t, n.URL+"'s queue drains", func() bool { return queueEmpty(t, n) })
		}
		for _, n := range []*testrig.Node{h, h2, b} {
			if c := feedCount(t, n, id2); c != 1 {
				t.Errorf("%s lists the case study %d times, want once", n.URL, c)
			}
			if author := feed(t, n)[id2]["author"].(map[string]any); author["id"] != aActor {
				t.Errorf("author on %s = %v, want A", n.URL, author["id"])
			}
		}
		// H announced once, to B and H2; H2 announced once, to H, which,
		// having the case study, announced nothing more.
		ctx := context.Background()
		for _, tc := range []struct {
			from *testrig.Node
			id   string
			to   int
		}{{h, hAnn, 2}, {h2, h2Ann, 1}} {
			jobs, err := tc.from.Store.Deliveries.Of(ctx, tc.id)
			if err != nil {
				t.Fatal(err)
			}
			if len(jobs) != tc.to {
				t.Errorf("%s queued %d deliveries of its Announce, want %d", tc.from.URL, len(jobs), tc.to)
			}
			for _, j := range jobs {
				if j.State != models.DeliveryDone || j.Attempts != 1 {
					t.Errorf("%s's Announce to %s: %s after %d attempts, want done after 1", tc.from.URL, j.Inbox, j.State, j.Attempts)
				}
			}
		}
		for _, n := range []*testrig.Node{a, h, h2, b} {
			var q map[string]any
			n.API(t, http.MethodGet, "/queue", nil).Decode(t, &q)
			if counts := q["counts"].(map[string]any); counts["dead"] != float64(0) {
				t.Errorf("%s has dead deliveries: %v", n.URL, counts)
			}
		}
	})
}

// TestAnnounceFetchesFromOrigin: an announcer that embeds a forged copy of
// another node's case study is not believed; the follower fetches the
// case study from its origin.
func TestAnnounceFetchesFromOrigin(t *testing.T) {
	a := testrig.StartNode(t, testrig.Options{Configure: fast})
	b := testrig.StartNode(t, testrig.Options{Configure: fast})
	rm := testrig.StartRemote(t)
	cs := publish(t, a, "The real title")
	id := cs["id"].(string)

	// B follows the remote announcer, which accepts.
	if r := b.API(t, http.MethodPost, "/follows", map[string]string{"target": rm.ActorIRI}); r.Status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", r.Status, r.Body)
	}
	testrig.Eventually(t, "B's Follow arrives", func() bool { return len(rm.Received("Follow")) == 1 })
	followID := rm.Received("Follow")[0].ID
	bActor := b.URL + "/actors/" + b.Config.Handle
	if r := rm.Post(t, b.URL+"/inbox", map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": rm.ActorIRI + "/accepts/1", "type": "Accept",
		"actor": rm.ActorIRI, "object": map[string]any{"id": followID, "type": "Follow", "actor": bActor, "object": rm.ActorIRI},
	}); r.Status != http.StatusAccepted {
		t.Fatalf("Accept: %d %s", r.Status, r.Body)
	}
	testrig.Eventually(t, "B's follow is accepted", func() bool {
		r := b.API(t, http.MethodGet, "/follows", nil).Map(t)
		items, _ := r["items"].([]any)
		return len(items) == 1 && items[0].(map[string]any)["state"] == "accepted"
	})

	forged := map[string]any{
		"id": id, "type": "Article", "name": "A forged title", "summary": "Forged.", "content": "<p>Forged.</p>",
		"attributedTo": a.URL + "/actors/" + a.Config.Handle, "to": []any{public},
	}
	if r := rm.Post(t, b.URL+"/inbox", map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": rm.ActorIRI + "/announces/1", "type": "Announce",
		"actor": rm.ActorIRI, "to": []any{public}, "object": forged,
	}); r.Status != http.StatusAccepted {
		t.Fatalf("Announce: %d %s", r.Status, r.Body)
	}
	testrig.Eventually(t, "B stores the announced case study", func() bool { return inFeed(t, b, id) })
	if got := feed(t, b)[id]; got["title"] != "The real title" || got["summary"] != cs["summary"] {
		t.Errorf("B stored %q / %q: the announcer's copy, not the origin's", got["title"], got["summary"])
	}
}
