package node_test

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

// TestEditsWithinOneSecond: a case study edited twice 10 ms apart, the
// first edit in the second it was published, sends two Updates, each with
// its own id and an `updated` later than `published` and than the edit
// before; a remote follower gets both, and a Pollen follower ends with
// the second edit.
func TestEditsWithinOneSecond(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		nodes := startNodes(t, db, 2)
		a, b := nodes[0], nodes[1]
		rm := testrig.StartRemote(t)
		rm.Follow(t, a)
		follow(t, b, a)

		cs := publish(t, a, "Edited twice")
		id, slug := cs["id"].(string), cs["slug"].(string)
		testrig.Eventually(t, "B gets the case study", func() bool { return inFeed(t, b, id) })
		titles := []string{"First edit", "Second edit"}
		for i, title := range titles {
			if i > 0 {
				time.Sleep(10 * time.Millisecond)
			}
			if r := a.API(t, http.MethodPut, "/case-studies/"+slug, caseStudy(title)); r.Status != http.StatusOK {
				t.Fatalf("PUT %q: %d %s", title, r.Status, r.Body)
			}
		}

		testrig.Eventually(t, "the remote gets both Updates", func() bool { return len(rm.Received("Update")) == 2 })
		byTitle := map[string]testrig.Received{}
		for _, u := range rm.Received("Update") {
			byTitle[u.Object["name"].(string)] = u
		}
		published := parseTime(t, cs["published"])
		ids := map[string]bool{}
		prev := published
		for _, title := range titles {
			u, ok := byTitle[title]
			if !ok {
				t.Fatalf("no Update carries %q: got %v", title, byTitle)
			}
			if ids[u.ID] {
				t.Errorf("two Updates share the id %s", u.ID)
			}
			ids[u.ID] = true
			if p := parseTime(t, u.Object["published"]); !p.Equal(published) {
				t.Errorf("%q: published %v, want %v", title, p, published)
			}
			updated := parseTime(t, u.Object["updated"])
			if !updated.After(prev) {
				t.Errorf("%q: updated %v is not after %v", title, updated, prev)
			}
			prev = updated
		}

		testrig.Eventually(t, "B shows the second edit", func() bool { return feed(t, b)[id]["title"] == "Second edit" })
		testrig.Eventually(t, "A's queue drains", func() bool { return queueEmpty(t, a) })
		for updateID := range ids {
			jobs, err := a.Store.Deliveries.Of(context.Background(), updateID)
			if err != nil {
				t.Fatal(err)
			}
			if len(jobs) != 2 {
				t.Errorf("%s: %d deliveries, want 2 (the remote and B)", updateID, len(jobs))
			}
			for _, j := range jobs {
				if j.State != models.DeliveryDone {
					t.Errorf("%s to %s: %s, want done", updateID, j.Inbox, j.State)
				}
			}
		}
	})
}

// parseTime reads an RFC 3339 date from JSON.
func parseTime(t *testing.T, v any) time.Time {
	t.Helper()
	s, _ := v.(string)
	p, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("date %v: %v", v, err)
	}
	return p
}

// TestOlderEditComesLate: a peer's two edits arrive out of order (its
// deliveries run side by side); the node keeps the later one, by
// `updated`, and an Update without `updated` still applies.
func TestOlderEditComesLate(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		alice := testrig.StartRemote(t)
		followRemote(t, n, alice)
		iri := alice.ActorIRI + "/articles/1"
		published := time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
		version := func(title string, updated time.Time) map[string]any {
			a := map[string]any{
				"id": iri, "type": "Article", "attributedTo": alice.ActorIRI, "name": title,
				"summary": "What alice's service learned.", "content": "<p>Alice's words.</p>",
				"to": []any{public}, "published": published.Format(time.RFC3339),
			}
			if !updated.IsZero() {
				a["updated"] = updated.Format(time.RFC3339Nano)
			}
			return a
		}
		send := func(id, typ string, obj map[string]any) {
			t.Helper()
			if r := alice.Post(t, n.URL+"/inbox", map[string]any{
				"@context": "https://www.w3.org/ns/activitystreams", "id": alice.ActorIRI + "/" + id, "type": typ,
				"actor": alice.ActorIRI, "to": []any{public}, "object": obj,
			}); r.Status != http.StatusAccepted {
				t.Fatalf("%s: %d %s", id, r.Status, r.Body)
			}
			settled(t, n)
		}
		title := func() string {
			c, err := n.Store.CaseStudies.ByIRI(context.Background(), iri)
			if err != nil {
				t.Fatal(err)
			}
			return c.Title
		}
		first := published.Add(500 * time.Millisecond)
		second := first.Add(10 * time.Millisecond)
		send("create", "Create", version("Published", time.Time{}))
		send("update-2", "Update", version("Second edit", second))
		send("update-1", "Update", version("First edit", first))
		if got := title(); got != "Second edit" {
			t.Errorf("after the first edit came late the title is %q, want the second edit's", got)
		}
		send("update-3", "Update", version("Undated edit", time.Time{}))
		if got := title(); got != "Undated edit" {
			t.Errorf("after an Update without updated the title is %q, want it applied", got)
		}
	})
}

// TestConcurrentEdits: edits of one case study sent at once take turns:
// each sends its own Update with a later `updated`, and the case study
// ends as the last of them. (Without the row lock two edits read the same
// version, and on PostgreSQL one of them is lost or dated out of order.)
func TestConcurrentEdits(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		a := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		rm := testrig.StartRemote(t)
		rm.Follow(t, a)
		cs := publish(t, a, "Edited at once")
		slug := cs["slug"].(string)
		const edits = 16
		var wg sync.WaitGroup
		for i := range edits {
			wg.Go(func() {
				if r := a.API(t, http.MethodPut, "/case-studies/"+slug, caseStudy(fmt.Sprintf("Edit %d", i))); r.Status != http.StatusOK {
					t.Errorf("PUT %d: %d %s", i, r.Status, r.Body)
				}
			})
		}
		wg.Wait()
		testrig.Eventually(t, "the node's queue drains", func() bool { return queueEmpty(t, a) })
		if got := len(rm.Received("Update")); got != edits {
			t.Errorf("the remote got %d Updates for %d edits", got, edits)
		}
		ids := map[string]bool{}
		var last time.Time
		lastTitle := ""
		for _, u := range rm.Received("Update") {
			ids[u.ID] = true
			if updated := parseTime(t, u.Object["updated"]); updated.After(last) {
				last, lastTitle = updated, u.Object["name"].(string)
			}
		}
		if len(ids) != edits {
			t.Errorf("%d Updates share %d ids", edits, len(ids))
		}
		if got := a.API(t, http.MethodGet, "/case-studies/"+slug, nil).Map(t); got["title"] != lastTitle || !parseTime(t, got["updated"]).Equal(last) {
			t.Errorf("the case study is %q updated %v; the latest Update is %q at %v", got["title"], got["updated"], lastTitle, last)
		}
	})
}
