package node_test

import (
	"context"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/testrig"
)

// ownedState is what another actor's forgery must not change.
type ownedState struct {
	ReplyActor, ArticleActor            int64
	ReplyContent, ArticleTitle, Content string
	ArticleDeleted                      bool
	AliceName, AliceInbox               string
	Followers, Following, Activities    int64
	ReplyUpdated, ArticleUpdated        time.Time
}

func ownedSnapshot(t *testing.T, n *testrig.Node, replyIRI, articleIRI, aliceIRI string) ownedState {
	t.Helper()
	ctx := context.Background()
	r, err := n.Store.Notes.ByIRI(ctx, replyIRI)
	if err != nil {
		t.Fatalf("alice's reply: %v", err)
	}
	c, err := n.Store.CaseStudies.ByIRI(ctx, articleIRI)
	if err != nil {
		t.Fatalf("alice's case study: %v", err)
	}
	a, err := n.Store.Actors.ByIRI(ctx, aliceIRI)
	if err != nil {
		t.Fatalf("alice: %v", err)
	}
	local, err := n.Service.LocalActor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := ownedState{
		ReplyActor: r.ActorID, ReplyContent: r.Content, ReplyUpdated: r.Updated,
		ArticleActor: c.ActorID, ArticleTitle: c.Title, Content: c.Content, ArticleDeleted: c.Deleted(), ArticleUpdated: c.Updated,
		AliceName: a.Name, AliceInbox: a.Inbox, Activities: activityCount(t, n),
	}
	if _, st.Followers, err = n.Store.Follows.Followers(ctx, local.ID, "", 1, 0); err != nil {
		t.Fatal(err)
	}
	if _, st.Following, err = n.Store.Follows.Following(ctx, local.ID, "", 1, 0); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestOnlyTheAuthorChangesAnObject: mallory, on the same server as alice,
// sends signed Creates, Updates and Deletes of alice's reply, alice's case
// study and alice herself. Each is refused with 403 at receipt and nothing
// changes; alice's own Update still goes through.
func TestOnlyTheAuthorChangesAnObject(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		alice := testrig.StartRemote(t)
		mallory := alice.AddActor(t, "mallory", "Mallory")
		inbox := n.URL + "/inbox"
		ctx := context.Background()
		cs := publish(t, n, "Owned objects")
		alice.Follow(t, n)
		followRemote(t, n, alice)

		note := mastodonNote(alice, 1, cs["id"].(string), n, "Alice's own question.", time.Now().Add(-time.Minute))
		if r := alice.Post(t, inbox, mastodonCreate(alice, note)); r.Status != http.StatusAccepted {
			t.Fatalf("alice's reply: %d %s", r.Status, r.Body)
		}
		articleIRI := alice.ActorIRI + "/articles/1"
		article := map[string]any{
			"id": articleIRI, "type": "Article", "attributedTo": alice.ActorIRI, "name": "Alice's case study",
			"summary": "What alice's service learned.", "content": "<p>Alice's words.</p>", "to": []any{public},
			"published": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339),
		}
		if r := alice.Post(t, inbox, map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": articleIRI + "/create", "type": "Create",
			"actor": alice.ActorIRI, "to": []any{public}, "object": article,
		}); r.Status != http.StatusAccepted {
			t.Fatalf("alice's case study: %d %s", r.Status, r.Body)
		}
		replyIRI := statusIRI(alice, 1)
		testrig.Eventually(t, "alice's reply and case study are stored", func() bool {
			_, err1 := n.Store.Notes.ByIRI(ctx, replyIRI)
			_, err2 := n.Store.CaseStudies.ByIRI(ctx, articleIRI)
			return err1 == nil && err2 == nil
		})
		settled(t, n)

		forge := func(obj map[string]any) map[string]any {
			f := maps.Clone(obj)
			f["attributedTo"] = mallory.ActorIRI
			f["content"] = "<p>Mallory's words.</p>"
			f["name"] = "Mallory's title"
			f["updated"] = time.Now().UTC().Format(time.RFC3339)
			return f
		}
		tests := []struct {
			name, typ string
			object    any
		}{
			{"Update of alice's reply", "Update", forge(note)},
			{"Create of alice's reply", "Create", forge(note)},
			{"Delete of alice's reply", "Delete", map[string]any{"id": replyIRI, "type": "Tombstone"}},
			{"Delete of alice's reply by IRI", "Delete", replyIRI},
			{"Update of alice's reply by IRI", "Update", replyIRI},
			{"Update of alice's case study", "Update", forge(article)},
			{"Create of alice's case study", "Create", forge(article)},
			{"Delete of alice's case study", "Delete", articleIRI},
			{"Update of alice", "Update", map[string]any{"id": alice.ActorIRI, "type": "Person", "name": "Mallory"}},
			{"Update of alice as a Note", "Update", map[string]any{"id": alice.ActorIRI, "type": "Note", "attributedTo": mallory.ActorIRI, "content": "x"}},
			{"Create of alice", "Create", map[string]any{"id": alice.ActorIRI, "type": "Person", "name": "Mallory"}},
			{"Delete of alice", "Delete", alice.ActorIRI},
		}
		for i, tt := range tests {
			t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
				before := ownedSnapshot(t, n, replyIRI, articleIRI, alice.ActorIRI)
				r := mallory.Post(t, inbox, map[string]any{
					"@context": "https://www.w3.org/ns/activitystreams", "id": mallory.ActorIRI + "/forgeries/" + string(rune('a'+i)),
					"type": tt.typ, "actor": mallory.ActorIRI, "to": []any{public}, "object": tt.object,
				})
				if r.Status != http.StatusForbidden {
					t.Errorf("answer %d %s, want 403", r.Status, r.Body)
				}
				settled(t, n)
				if after := ownedSnapshot(t, n, replyIRI, articleIRI, alice.ActorIRI); after != before {
					t.Errorf("the forgery changed the node:\nbefore %+v\nafter  %+v", before, after)
				}
			})
		}

		// Alice may still edit her own reply.
		note["content"] = "<p>Alice edited her question.</p>"
		if r := alice.Post(t, inbox, mastodonUpdate(alice, note, time.Now())); r.Status != http.StatusAccepted {
			t.Fatalf("alice's own Update: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "alice's own edit is applied", func() bool {
			got, err := n.Store.Notes.ByIRI(ctx, replyIRI)
			return err == nil && strings.Contains(got.Content, "edited")
		})
	})
}
