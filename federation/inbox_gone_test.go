package federation_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// selfDelete is the Delete Mastodon sends when an account is deleted: the
// actor deletes itself, signed with its own key.
func selfDelete(actor string) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       actor + "#delete", "type": "Delete", "actor": actor,
		"to": []any{ap.PublicIRI}, "object": actor,
	}
}

// TestDeleteOfGoneActor: a Mastodon account is deleted, so its actor and
// key answer 410 Gone, and its Delete of itself arrives. Verified with the
// key the node cached, it removes what the node holds of the actor; from
// an actor the node never saw, it is answered 202 and changes nothing.
// Any other request signed by a gone key stays 401.
func TestDeleteOfGoneActor(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		n := testrig.StartNode(t, testrig.Options{DB: db})
		rm := testrig.StartRemote(t)
		local := n.URL + "/actors/" + n.Config.Handle

		// The remote follows the node and the node follows it; it replies
		// to one of the node's case studies and publishes one of its own.
		rm.Follow(t, n)
		followRemote(t, n, rm)
		r := n.API(t, http.MethodPost, "/case-studies", map[string]any{
			"title": "Ours", "summary": "A case study of the node's.", "body": "Text.",
		})
		if r.Status != http.StatusCreated {
			t.Fatalf("publish: %d %s", r.Status, r.Body)
		}
		ours := r.Map(t)["id"].(string)
		reply := rm.ActorIRI + "/statuses/1"
		article := rm.ActorIRI + "/articles/1"
		for _, act := range []map[string]any{
			{"id": reply + "/activity", "object": map[string]any{
				"id": reply, "type": "Note", "attributedTo": rm.ActorIRI, "inReplyTo": ours,
				"content": "<p>Thanks!</p>", "to": []any{ap.PublicIRI},
			}},
			{"id": article + "/activity", "object": map[string]any{
				"id": article, "type": "Article", "attributedTo": rm.ActorIRI, "name": "Theirs",
				"summary": "A case study of the remote's.", "content": "<p>Text.</p>",
				"contact": map[string]any{"name": "Asha", "role": "Director", "email": "asha@example.org"},
				"to":      []any{ap.PublicIRI},
			}},
		} {
			act["@context"], act["type"], act["actor"] = "https://www.w3.org/ns/activitystreams", "Create", rm.ActorIRI
			if r := rm.Post(t, n.URL+"/inbox", act); r.Status != http.StatusAccepted {
				t.Fatalf("Create: %d %s", r.Status, r.Body)
			}
		}
		testrig.Eventually(t, "the reply and the case study are stored", func() bool {
			_, err1 := n.Store.Notes.ByIRI(ctx, reply)
			_, err2 := n.Store.CaseStudies.ByIRI(ctx, article)
			return err1 == nil && err2 == nil
		})
		remote, err := n.Store.Actors.ByIRI(ctx, rm.ActorIRI)
		if err != nil {
			t.Fatal(err)
		}
		localActor, err := n.Store.Actors.ByIRI(ctx, local)
		if err != nil {
			t.Fatal(err)
		}

		// The account is deleted: its actor document, which holds the
		// key, is gone.
		rm.Gone(rm.ActorIRI)
		if r := rm.Post(t, n.URL+"/inbox", selfDelete(rm.ActorIRI)); r.Status != http.StatusAccepted {
			t.Fatalf("Delete of the actor, signed with the cached key: %d %s", r.Status, r.Body)
		}
		gone := func(err error) bool { return errors.Is(err, models.ErrNotFound) }
		testrig.Eventually(t, "what the node holds of the actor is removed", func() bool {
			_, e1 := n.Store.Follows.Between(ctx, remote.ID, localActor.ID)
			_, e2 := n.Store.Follows.Between(ctx, localActor.ID, remote.ID)
			_, e3 := n.Store.Notes.ByIRI(ctx, reply)
			c, e4 := n.Store.CaseStudies.ByIRI(ctx, article)
			return gone(e1) && gone(e2) && gone(e3) && e4 == nil && c.Deleted()
		})
		c, _ := n.Store.CaseStudies.ByIRI(ctx, article)
		if c.Content != "" || c.Summary != "" || c.ContactName != "" || c.ContactRole != "" || c.ContactEmail != "" {
			t.Errorf("the deleted actor's case study keeps %+v", c)
		}

		// An actor the node never saw: 202, nothing stored, nothing done.
		stranger := testrig.StartRemote(t)
		stranger.Gone(stranger.ActorIRI)
		del := selfDelete(stranger.ActorIRI)
		if r := stranger.Post(t, n.URL+"/inbox", del); r.Status != http.StatusAccepted {
			t.Errorf("Delete of an unknown actor whose key is gone: %d %s, want 202", r.Status, r.Body)
		}
		if _, err := n.Store.Actors.ByIRI(ctx, stranger.ActorIRI); !gone(err) {
			t.Errorf("the unknown actor was stored (err = %v)", err)
		}
		if _, err := n.Store.Activities.ByIRI(ctx, del["id"].(string)); !gone(err) {
			t.Errorf("the Delete was stored (err = %v)", err)
		}

		// A known actor whose Delete no longer verifies with the cached key
		// (a key changed since): the key is fetched again, is gone, and
		// the Delete is answered 202 without changing anything.
		changed := testrig.StartRemote(t)
		changed.Follow(t, n)
		changed.Gone(changed.ActorIRI)
		pemData, err := os.ReadFile(filepath.Join("testdata", "test-key-2.pem"))
		if err != nil {
			t.Fatal(err)
		}
		otherKey, err := httpsig.ParsePrivateKeyPEM(string(pemData))
		if err != nil {
			t.Fatal(err)
		}
		if status, body := postSigned(t, n.URL+"/inbox", changed.KeyID, otherKey, selfDelete(changed.ActorIRI)); status != http.StatusAccepted {
			t.Errorf("Delete signed with another key than the cached one, the key gone: %d %s, want 202", status, body)
		}
		if a, err := n.Store.Actors.ByIRI(ctx, changed.ActorIRI); err != nil {
			t.Errorf("the actor of the unverified Delete: %v", err)
		} else if _, err := n.Store.Follows.Between(ctx, a.ID, localActor.ID); err != nil {
			t.Errorf("its follow after an unverified Delete: %v", err)
		}

		// Anything else signed by a gone key stays 401.
		for name, act := range map[string]map[string]any{
			"a Follow": {"id": stranger.ActorIRI + "/follows/1", "type": "Follow", "actor": stranger.ActorIRI, "object": local},
			"a Delete of a status": {"id": stranger.ActorIRI + "/statuses/1#delete", "type": "Delete",
				"actor": stranger.ActorIRI, "object": stranger.ActorIRI + "/statuses/1"},
			"a Delete of another actor": {"id": stranger.ActorIRI + "#delete-bob", "type": "Delete",
				"actor": stranger.ActorIRI, "object": stranger.URL + "/users/bob"},
			"a Delete of someone else's actor": {"id": rm.ActorIRI + "#delete-2", "type": "Delete",
				"actor": rm.ActorIRI, "object": rm.ActorIRI},
		} {
			act["@context"] = "https://www.w3.org/ns/activitystreams"
			if r := stranger.Post(t, n.URL+"/inbox", act); r.Status != http.StatusUnauthorized {
				t.Errorf("%s signed by a gone key: %d %s, want 401", name, r.Status, r.Body)
			}
		}
	})
}
