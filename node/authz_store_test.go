package node_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/testrig"
)

// TestInboxStoresOnlyWhatItActsOn: activities of types the node does not
// act on, large or small, from a follower or a stranger, and activities
// from an actor with no tie to the node, are answered 202 and not stored;
// a stranger's Follow and reply are stored.
func TestInboxStoresOnlyWhatItActsOn(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		follower := testrig.StartRemote(t)
		stranger := testrig.StartRemote(t)
		inbox := n.URL + "/inbox"
		cs := publish(t, n, "Stored or not")
		follower.Follow(t, n)
		settled(t, n)
		big := strings.Repeat("x", 985_000)

		tests := []struct {
			name string
			from *testrig.Remote
			body map[string]any
		}{
			{"a large activity of an unknown type from a follower", follower, map[string]any{
				"id": follower.ActorIRI + "/things/1", "type": "Wobble", "actor": follower.ActorIRI, "object": cs["id"], "content": big}},
			{"a large activity of an unknown type from a stranger", stranger, map[string]any{
				"id": stranger.ActorIRI + "/things/1", "type": "Wobble", "actor": stranger.ActorIRI, "object": cs["id"], "content": big}},
			{"a Like from a follower", follower, activity(follower, "likes/1", "Like", cs["id"])},
			{"an EmojiReact from a stranger", stranger, activity(stranger, "reacts/1", "EmojiReact", cs["id"])},
			{"a Flag from a stranger", stranger, activity(stranger, "flags/1", "Flag", cs["id"])},
			{"a stranger's Note to no one here", stranger, activity(stranger, "statuses/1/activity", "Create", map[string]any{
				"id": stranger.ActorIRI + "/statuses/1", "type": "Note", "attributedTo": stranger.ActorIRI,
				"content": "<p>" + big[:100000] + "</p>", "to": []any{public}})},
			{"a stranger's Article", stranger, activity(stranger, "articles/1/activity", "Create", map[string]any{
				"id": stranger.ActorIRI + "/articles/1", "type": "Article", "attributedTo": stranger.ActorIRI,
				"name": "Unasked", "content": "<p>Unasked.</p>", "to": []any{public}})},
			// (A stranger's Announce of one of ours is kept and notified:
			// TestInboundAnnounces.)
			{"a stranger's Announce of another's", stranger, activity(stranger, "announces/1", "Announce", follower.ActorIRI+"/notes/1")},
			{"a stranger's Undo", stranger, activity(stranger, "undos/1", "Undo", stranger.ActorIRI+"/follows/1")},
			{"a stranger's Delete of itself", stranger, activity(stranger, "deletes/1", "Delete", stranger.ActorIRI)},
			{"a stranger's Follow of someone else", stranger, activity(stranger, "follows/other", "Follow", follower.ActorIRI)},
		}
		for _, tt := range tests {
			t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
				tt.body["@context"] = "https://www.w3.org/ns/activitystreams"
				before := snapshot(t, n, slugOf(cs))
				r := tt.from.Post(t, inbox, tt.body)
				if r.Status != http.StatusAccepted {
					t.Fatalf("answer %d %s, want 202", r.Status, r.Body)
				}
				settled(t, n)
				if after := snapshot(t, n, slugOf(cs)); after != before {
					t.Errorf("stored: before %+v, after %+v", before, after)
				}
			})
		}

		// A stranger's reply to a case study, and its Follow, are stored.
		before := activityCount(t, n)
		note := mastodonNote(stranger, 2, cs["id"].(string), n, "A stranger's question.", time.Now())
		if r := stranger.Post(t, inbox, mastodonCreate(stranger, note)); r.Status != http.StatusAccepted {
			t.Fatalf("reply: %d %s", r.Status, r.Body)
		}
		stranger.Follow(t, n)
		settled(t, n)
		if got := activityCount(t, n) - before; got != 2 {
			t.Errorf("%d activities stored for a reply and a Follow, want 2", got)
		}
		if _, err := n.Store.Notes.ByIRI(context.Background(), statusIRI(stranger, 2)); err != nil {
			t.Errorf("the stranger's reply: %v", err)
		}
	})
}

func slugOf(cs map[string]any) string { return cs["slug"].(string) }

// TestInboxQuotas: beyond the per-actor and per-host quotas, activities
// from actors the node does not follow are answered 429 with Retry-After
// and not stored; an actor the node follows is not held to them.
func TestInboxQuotas(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: func(c *config.Config) {
			fast(c)
			c.InboxActorActivitiesPerHour = 3
			c.InboxActorBytesPerHour = 0
			c.InboxHostActivitiesPerHour = 5
			c.InboxHostBytesPerHour = 0
		}})
		inbox := n.URL + "/inbox"
		cs := publish(t, n, "Quotas")
		alice := testrig.StartRemote(t)
		mallory := alice.AddActor(t, "mallory", "Mallory")
		followed := testrig.StartRemote(t)
		followRemote(t, n, followed)
		reply := func(rm *testrig.Remote, i int) map[string]any {
			return mastodonCreate(rm, mastodonNote(rm, i, cs["id"].(string), n, fmt.Sprintf("Question %d.", i), time.Now()))
		}
		refused := func(t *testing.T, rm *testrig.Remote, i int) {
			t.Helper()
			settled(t, n)
			before := snapshot(t, n, slugOf(cs))
			r := rm.Post(t, inbox, reply(rm, i))
			if r.Status != http.StatusTooManyRequests {
				t.Fatalf("reply %d of %s: %d %s, want 429", i, rm.ActorIRI, r.Status, r.Body)
			}
			if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 {
				t.Errorf("Retry-After %q, want a number of seconds", r.Header.Get("Retry-After"))
			}
			settled(t, n)
			if after := snapshot(t, n, slugOf(cs)); after != before {
				t.Errorf("stored beyond the quota: before %+v, after %+v", before, after)
			}
			if _, err := n.Store.Notes.ByIRI(context.Background(), statusIRI(rm, i)); err == nil {
				t.Errorf("reply %d of %s stored", i, rm.ActorIRI)
			}
		}
		accepted := func(t *testing.T, rm *testrig.Remote, i int) {
			t.Helper()
			if r := rm.Post(t, inbox, reply(rm, i)); r.Status != http.StatusAccepted {
				t.Fatalf("reply %d of %s: %d %s, want 202", i, rm.ActorIRI, r.Status, r.Body)
			}
		}

		t.Run("per actor", func(t *testing.T) {
			for i := range 3 {
				accepted(t, alice, i)
			}
			refused(t, alice, 3)
		})
		t.Run("per host", func(t *testing.T) {
			accepted(t, mallory, 10)
			accepted(t, mallory, 11)
			refused(t, mallory, 12) // alice's 3 and mallory's 2 spend the host's 5
		})
		t.Run("followed actors are not held to them", func(t *testing.T) {
			before := activityCount(t, n)
			for i := range 8 {
				accepted(t, followed, i)
			}
			settled(t, n)
			if got := activityCount(t, n) - before; got != 8 {
				t.Errorf("%d of the followed actor's 8 replies stored", got)
			}
		})
	})
}

// TestInboxByteQuota: an actor the node does not follow may have only so
// many bytes stored an hour.
func TestInboxByteQuota(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: func(c *config.Config) {
			fast(c)
			c.InboxActorBytesPerHour = 200 << 10
		}})
		inbox := n.URL + "/inbox"
		cs := publish(t, n, "Byte quota")
		rm := testrig.StartRemote(t)
		big := strings.Repeat("y", 120<<10)
		post := func(i int) testrig.Response {
			return rm.Post(t, inbox, mastodonCreate(rm, mastodonNote(rm, i, cs["id"].(string), n, big, time.Now())))
		}
		if r := post(1); r.Status != http.StatusAccepted {
			t.Fatalf("first: %d %s", r.Status, r.Body)
		}
		settled(t, n)
		before := snapshot(t, n, slugOf(cs))
		r := post(2)
		if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
			t.Fatalf("second: %d %s (Retry-After %q), want 429 with Retry-After", r.Status, r.Body, r.Header.Get("Retry-After"))
		}
		settled(t, n)
		if after := snapshot(t, n, slugOf(cs)); after != before {
			t.Errorf("stored beyond the byte quota: before %+v, after %+v", before, after)
		}
	})
}
