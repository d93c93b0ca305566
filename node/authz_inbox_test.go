package node_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pollen-coop/pollen/testrig"
)

// TestActorInboxOnItsOwnHost: an actor whose inbox or shared inbox is on
// another host cannot make the node send there: its Follows are refused,
// nothing is queued and the other host receives nothing; an actor already
// known that moves its inbox to another host keeps the one it had.
func TestActorInboxOnItsOwnHost(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		victim := testrig.StartRemote(t)
		inbox := n.URL + "/inbox"
		ctx := context.Background()

		tests := []struct {
			name  string
			spoil func(doc map[string]any)
		}{
			{"inbox on another host (another port of the same address)", func(doc map[string]any) { doc["inbox"] = victim.Inbox }},
			{"shared inbox on another host", func(doc map[string]any) {
				doc["endpoints"] = map[string]any{"sharedInbox": victim.SharedInbox}
			}},
		}
		for _, tt := range tests {
			t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
				evil := testrig.StartRemote(t)
				doc := evil.Document(evil.ActorIRI)
				tt.spoil(doc)
				evil.Serve(evil.ActorIRI, doc)
				jobs, acts := deliveryJobs(t, n), activityCount(t, n)
				for i := range 10 {
					r := evil.Post(t, inbox, activity(evil, fmt.Sprintf("follows/%d", i), "Follow", nodeActor(n)))
					if r.Status != http.StatusUnauthorized {
						t.Fatalf("Follow %d: %d %s, want 401", i, r.Status, r.Body)
					}
				}
				if _, err := n.Store.Actors.ByIRI(ctx, evil.ActorIRI); err == nil {
					t.Error("the actor was stored")
				}
				if got := deliveryJobs(t, n); got != jobs {
					t.Errorf("%d delivery jobs queued", got-jobs)
				}
				if got := activityCount(t, n); got != acts {
					t.Errorf("%d activities stored", got-acts)
				}
			})
		}

		// A follower that later names another host's inbox keeps its own
		// (the Update's fetch of the actor fails, and is tried again).
		alice := testrig.StartRemote(t)
		alice.Follow(t, n)
		doc := alice.Document(alice.ActorIRI)
		doc["inbox"] = victim.Inbox
		doc["endpoints"] = map[string]any{"sharedInbox": victim.SharedInbox}
		alice.Serve(alice.ActorIRI, doc)
		if r := alice.Post(t, inbox, activity(alice, "updates/1", "Update", doc)); r.Status != http.StatusAccepted {
			t.Fatalf("Update: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "the Update is processed", func() bool {
			a, err := n.Store.Activities.ByIRI(ctx, alice.ActorIRI+"/updates/1")
			return err == nil && a.Attempts > 0
		})
		a, err := n.Store.Actors.ByIRI(ctx, alice.ActorIRI)
		if err != nil || a.Inbox != alice.Inbox || a.SharedInbox != alice.SharedInbox {
			t.Errorf("alice after naming another host's inbox: %q, %q, %v; want her own", a.Inbox, a.SharedInbox, err)
		}
		if got := victim.Received(""); len(got) != 0 {
			t.Errorf("the other host received %d requests", len(got))
		}
	})
}

// TestRepeatedFollowsAnsweredOnce: a follower that sends its Follow many
// times (as Mastodon does when an Accept was lost) gets one Accept, and the
// latest Follow's id is the one its Undo names.
func TestRepeatedFollowsAnsweredOnce(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		alice := testrig.StartRemote(t)
		inbox := n.URL + "/inbox"
		alice.Follow(t, n)
		last := ""
		for i := range 20 {
			last = fmt.Sprintf("follows/again-%d", i)
			if r := alice.Post(t, inbox, activity(alice, last, "Follow", nodeActor(n))); r.Status != http.StatusAccepted {
				t.Fatalf("Follow %d: %d %s", i, r.Status, r.Body)
			}
		}
		settled(t, n)
		testrig.Eventually(t, "the queue drains", func() bool { return queueEmpty(t, n) })
		if got := len(alice.Received("Accept")); got != 1 {
			t.Errorf("%d Accepts for 21 Follows, want 1", got)
		}
		if got := deliveryJobs(t, n); got != 1 {
			t.Errorf("%d delivery jobs for 21 Follows, want 1", got)
		}
		f, err := followerRow(t, n, alice)
		if err != nil || f.ActivityID != alice.ActorIRI+"/"+last {
			t.Fatalf("alice's follow: %+v, %v; want the latest Follow's id", f, err)
		}
		if r := alice.Post(t, inbox, activity(alice, "undos/1", "Undo", alice.ActorIRI+"/"+last)); r.Status != http.StatusAccepted {
			t.Fatalf("Undo: %d %s", r.Status, r.Body)
		}
		settled(t, n)
		if _, err := followerRow(t, n, alice); err == nil {
			t.Error("alice still follows after the Undo of her latest Follow")
		}
	})
}
