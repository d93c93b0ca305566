package node_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// fast makes retries quick, so that a test waits seconds, not minutes.
func fast(c *config.Config) {
	c.DeliveryRetryBase = 100 * time.Millisecond
	c.BackfillLimit = 10
}

// startNodes starts n nodes on db's kind of database, each with its own.
func startNodes(t *testing.T, db testrig.DB, n int) []*testrig.Node {
	t.Helper()
	nodes := make([]*testrig.Node, n)
	for i := range nodes {
		nodes[i] = testrig.StartNode(t, testrig.Options{DB: testrig.Fresh(t, db.Name), Configure: fast})
	}
	return nodes
}

// handle is a node's organisation as others address it.
func handle(n *testrig.Node) string {
	return "@" + n.Config.Handle + "@" + n.Config.Host()
}

func caseStudy(title string) map[string]any {
	return map[string]any{
		"title":             title,
		"summary":           "How " + title + " was kept open by its staff.",
		"body":              "## What we did\n\nWe **asked** the people who use it.",
		"organisation_type": "public service mutual",
		"service_area":      "libraries",
		"region":            "North West",
		"stage":             "operating",
		"outcomes":          []string{"Kept every branch open", "Longer opening hours"},
		"savings":           map[string]any{"amount": 125000.5, "currency": "GBP", "period": "year"},
		"ownership_model":   "employee-owned",
		"lessons":           []string{"Start with the staff", "Get the pension right early"},
		"contact":           map[string]any{"name": "Ada Lovelace", "role": "Chief executive", "email": "ada@example.org"},
		"tags":              []string{"mutuals", "libraries_first"},
	}
}

func publish(t *testing.T, n *testrig.Node, title string) map[string]any {
	t.Helper()
	r := n.API(t, http.MethodPost, "/case-studies", caseStudy(title))
	if r.Status != http.StatusCreated {
		t.Fatalf("publish %q: %d %s", title, r.Status, r.Body)
	}
	return r.Map(t)
}

// feed returns the titles in a node's feed by case study id.
func feed(t *testing.T, n *testrig.Node) map[string]map[string]any {
	t.Helper()
	r := testrig.Do(t, http.MethodGet, n.URL+"/api/v1/feed?limit=100", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("feed: %d %s", r.Status, r.Body)
	}
	var list struct {
		Items []map[string]any `json:"items"`
	}
	r.Decode(t, &list)
	out := map[string]map[string]any{}
	for _, it := range list.Items {
		out[it["id"].(string)] = it
	}
	return out
}

func inFeed(t *testing.T, n *testrig.Node, id string) bool {
	_, ok := feed(t, n)[id]
	return ok
}

// follow makes from follow to and waits until the follow is accepted.
func follow(t *testing.T, from, to *testrig.Node) float64 {
	t.Helper()
	r := from.API(t, http.MethodPost, "/follows", map[string]string{"target": handle(to)})
	if r.Status != http.StatusAccepted {
		t.Fatalf("follow %s: %d %s", handle(to), r.Status, r.Body)
	}
	id := r.Map(t)["id"].(float64)
	testrig.Eventually(t, handle(from)+" follows "+handle(to), func() bool {
		var list federation.FollowList
		from.API(t, http.MethodGet, "/follows", nil).Decode(t, &list)
		for _, f := range list.Items {
			if float64(f.ID) == id && f.State == "accepted" {
				return true
			}
		}
		return false
	})
	return id
}

// queueEmpty reports whether a node has nothing left to deliver.
func queueEmpty(t *testing.T, n *testrig.Node) bool {
	var q map[string]any
	n.API(t, http.MethodGet, "/queue", nil).Decode(t, &q)
	counts, _ := q["counts"].(map[string]any)
	return counts["pending"] == float64(0) && counts["retrying"] == float64(0)
}

func TestFederationLifecycle(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		nodes := startNodes(t, db, 3)
		a, b, c := nodes[0], nodes[1], nodes[2]

		early := publish(t, a, "Libraries before the follow")
		follow(t, b, a)
		follow(t, c, a)
		testrig.Eventually(t, "b backfills a's outbox", func() bool { return inFeed(t, b, early["id"].(string)) })

		// Publish: the case study reaches both followers with every field.
		cs := publish(t, a, "Leisure centres as a mutual")
		id := cs["id"].(string)
		for _, n := range []*testrig.Node{b, c} {
			testrig.Eventually(t, "the case study reaches "+n.URL, func() bool { return inFeed(t, n, id) })
		}
		got := feed(t, b)[id]
		for _, field := range []string{"title", "summary", "content", "organisation_type", "service_area", "region", "stage", "ownership_model"} {
			if fmt.Sprint(got[field]) != fmt.Sprint(cs[field]) {
				t.Errorf("%s on the follower = %v, want %v", field, got[field], cs[field])
			}
		}
		for _, field := range []string{"outcomes", "lessons", "tags", "savings", "contact"} {
			if fmt.Sprint(got[field]) != fmt.Sprint(cs[field]) {
				t.Errorf("%s on the follower = %v, want %v", field, got[field], cs[field])
			}
		}
		if author := got["author"].(map[string]any); author["id"] != cs["author"].(map[string]any)["id"] {
			t.Errorf("author on the follower = %v", author)
		}

		// Update: the new title replaces the old.
		edit := caseStudy("Leisure centres, two years on")
		if r := a.API(t, http.MethodPut, "/case-studies/"+cs["slug"].(string), edit); r.Status != http.StatusOK {
			t.Fatalf("update: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "the edit reaches b", func() bool {
			return feed(t, b)[id]["title"] == "Leisure centres, two years on"
		})

		// Delete: it leaves the follower's feed.
		if r := a.API(t, http.MethodDelete, "/case-studies/"+cs["slug"].(string), nil); r.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "the delete reaches b", func() bool { return !inFeed(t, b, id) })

		// Unfollow: b gets nothing more; c still does.
		var following federation.FollowList
		b.API(t, http.MethodGet, "/follows", nil).Decode(t, &following)
		if r := b.API(t, http.MethodDelete, fmt.Sprintf("/follows/%d", following.Items[0].ID), nil); r.Status != http.StatusNoContent {
			t.Fatalf("unfollow: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "a sees the unfollow", func() bool {
			var f federation.FollowList
			a.API(t, http.MethodGet, "/followers", nil).Decode(t, &f)
			return f.Total == 1
		})
		later := publish(t, a, "After the unfollow")
		testrig.Eventually(t, "c gets the next case study", func() bool { return inFeed(t, c, later["id"].(string)) })
		testrig.Eventually(t, "a's queue drains", func() bool { return queueEmpty(t, a) })
		// b would ignore an Article from a peer it no longer follows, so
		// its feed alone proves little: a must not have sent it at all.
		jobs, err := a.Store.Deliveries.Of(context.Background(), later["id"].(string)+"#create")
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 1 || !strings.HasPrefix(jobs[0].Inbox, c.URL+"/") {
			t.Errorf("after b's unfollow a queued %d deliveries: %+v; want one, to c", len(jobs), jobs)
		}
		if _, err := b.Store.Activities.ByIRI(context.Background(), later["id"].(string)+"#create"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("b received the Create after unfollowing (%v)", err)
		}
		if inFeed(t, b, later["id"].(string)) {
			t.Error("b received a case study after unfollowing")
		}
	})
}

func TestPeerDownThenUp(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		nodes := startNodes(t, db, 2)
		a, b := nodes[0], nodes[1]
		follow(t, b, a)
		b.Stop()
		cs := publish(t, a, "Published while a peer is down")
		testrig.Eventually(t, "a's delivery fails and is retried", func() bool {
			var q map[string]any
			a.API(t, http.MethodGet, "/queue", nil).Decode(t, &q)
			counts, _ := q["counts"].(map[string]any)
			return counts["retrying"] == float64(1)
		})
		b = testrig.Restart(t, b)
		testrig.Eventually(t, "the retry reaches b", func() bool { return inFeed(t, b, cs["id"].(string)) })
	})
}

func TestManualApproval(t *testing.T) {
	a := testrig.StartNode(t, testrig.Options{Configure: func(c *config.Config) { fast(c); c.ManuallyApprovesFollowers = true }})
	b := testrig.StartNode(t, testrig.Options{Configure: fast})
	r := b.API(t, http.MethodPost, "/follows", map[string]string{"target": handle(a)})
	if r.Status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", r.Status, r.Body)
	}
	var pending federation.FollowList
	testrig.Eventually(t, "a holds the request", func() bool {
		a.API(t, http.MethodGet, "/followers?state=pending", nil).Decode(t, &pending)
		return pending.Total == 1
	})
	if r := a.API(t, http.MethodPost, fmt.Sprintf("/followers/%d/approve", pending.Items[0].ID), nil); r.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	testrig.Eventually(t, "b's follow is accepted", func() bool {
		var list federation.FollowList
		b.API(t, http.MethodGet, "/follows", nil).Decode(t, &list)
		return len(list.Items) == 1 && list.Items[0].State == "accepted"
	})
	cs := publish(t, a, "After approval")
	testrig.Eventually(t, "b gets it", func() bool { return inFeed(t, b, cs["id"].(string)) })
}

func TestActorDocumentsAcrossNodes(t *testing.T) {
	a := testrig.StartNode(t, testrig.Options{})
	b := testrig.StartNode(t, testrig.Options{Configure: fast})
	follow(t, b, a)
	r := testrig.GetAP(t, a.URL+"/actors/org/followers")
	if got := r.Map(t)["totalItems"]; got != float64(1) {
		t.Errorf("followers totalItems = %v, want 1", got)
	}
	r = testrig.GetAP(t, b.URL+"/actors/org/following")
	if got := r.Map(t)["totalItems"]; got != float64(1) {
		t.Errorf("following totalItems = %v, want 1", got)
	}
	if !strings.Contains(handle(a), "127.0.0.1:") {
		t.Errorf("handle %s lacks the port", handle(a))
	}
}
