package node_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/config"
	"github.com/pollen-coop/pollen/federation"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// repliesOf reads a case study's replies collection and the first page
// embedded in its Article: the reply IRIs each lists.
func repliesOf(t *testing.T, iri string) (collection, embedded []string) {
	t.Helper()
	items := func(col map[string]any) []string {
		first, _ := col["first"].(map[string]any)
		list, _ := first["orderedItems"].([]any)
		var out []string
		for _, it := range list {
			if s, ok := it.(string); ok {
				out = append(out, s)
			} else if m, ok := it.(map[string]any); ok {
				out = append(out, m["id"].(string))
			}
		}
		return out
	}
	r := testrig.GetAP(t, iri+"/replies")
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s/replies: %d %s", iri, r.Status, r.Body)
	}
	collection = items(r.Map(t))
	article := testrig.GetAP(t, iri).Map(t)
	replies, _ := article["replies"].(map[string]any)
	return collection, items(replies)
}

// TestMastodonReply: a Mastodon-shaped reply to a case study joins its
// replies collection (and the first page embedded in the Article), an
// Update edits it and a Delete removes it.
func TestMastodonReply(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		n := testrig.StartNode(t, testrig.Options{DB: db, Configure: fast})
		rm := testrig.StartRemote(t)
		cs := publish(t, n, "Discussed on Mastodon")
		iri := cs["id"].(string)
		note := mastodonNote(rm, 1, iri, n, "How did you handle the pensions?", time.Now().Add(-time.Minute))
		if r := rm.Post(t, n.URL+"/inbox", mastodonCreate(rm, note)); r.Status != http.StatusAccepted {
			t.Fatalf("Create: %d %s", r.Status, r.Body)
		}
		reply := statusIRI(rm, 1)
		testrig.Eventually(t, "the reply joins the discussion", func() bool {
			col, emb := repliesOf(t, iri)
			return slices.Equal(col, []string{reply}) && slices.Equal(emb, []string{reply})
		})
		ctx := context.Background()
		stored, err := n.Store.Notes.ByIRI(ctx, reply)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stored.Content, "pensions") || strings.Contains(stored.Content, "<script") {
			t.Errorf("stored reply content %q: want the text, sanitised", stored.Content)
		}

		note["content"] = "<p>Edited: how did you handle the pensions and the lease?</p>"
		note["contentMap"] = map[string]any{"en": note["content"]}
		if r := rm.Post(t, n.URL+"/inbox", mastodonUpdate(rm, note, time.Now())); r.Status != http.StatusAccepted {
			t.Fatalf("Update: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "the edit replaces the reply", func() bool {
			got, err := n.Store.Notes.ByIRI(ctx, reply)
			return err == nil && strings.Contains(got.Content, "the lease")
		})

		if r := rm.Post(t, n.URL+"/inbox", mastodonDelete(rm, note)); r.Status != http.StatusAccepted {
			t.Fatalf("Delete: %d %s", r.Status, r.Body)
		}
		testrig.Eventually(t, "the delete removes the reply", func() bool {
			col, emb := repliesOf(t, iri)
			_, err := n.Store.Notes.ByIRI(ctx, reply)
			return len(col) == 0 && len(emb) == 0 && errors.Is(err, models.ErrNotFound)
		})
	})
}

// verifierService is a federation service of its own, standing in for rm
// (whose host the requests are signed for) in checking signatures: it fetches the signer's key over HTTP
// as any peer does.
func verifierService(t *testing.T, rm *testrig.Remote) *federation.Service {
	t.Helper()
	cfg := config.Default()
	cfg.BaseURL, _ = url.Parse(rm.URL)
	cfg.AllowPrivateNetworks = true
	svc := federation.New(cfg, testrig.Store(t, testrig.SQLite(t)), testrig.Logger(t))
	if _, err := svc.EnsureLocalActor(context.Background()); err != nil {
		t.Fatal(err)
	}
	return svc
}

// TestMastodonFollow: a Mastodon-shaped actor follows the node; the node
// sends a signed Accept to its inbox, and its next case study to the
// shared inbox as a Create of an Article that Mastodon can show.
func TestMastodonFollow(t *testing.T) {
	n := testrig.StartNode(t, testrig.Options{Configure: fast})
	rm := testrig.StartRemote(t)
	nodeActor := n.URL + "/actors/" + n.Config.Handle
	followID := rm.ActorIRI + "/follows/1"
	follow := map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       followID, "type": "Follow", "actor": rm.ActorIRI, "object": nodeActor,
	}
	if r := rm.Post(t, n.URL+"/actors/"+n.Config.Handle+"/inbox", follow); r.Status != http.StatusAccepted {
		t.Fatalf("Follow: %d %s", r.Status, r.Body)
	}
	testrig.Eventually(t, "the Accept arrives", func() bool { return len(rm.Received("Accept")) > 0 })
	accept := rm.Received("Accept")[0]
	if accept.Path != "/users/alice/inbox" {
		t.Errorf("Accept sent to %s, want the actor's inbox", accept.Path)
	}
	if accept.Object["id"] != followID || accept.Object["type"] != "Follow" {
		t.Errorf("Accept's object %v, want the Follow %s", accept.Object, followID)
	}
	signer, err := verifyReceived(verifierService(t, rm), accept)
	if err != nil {
		t.Fatalf("the Accept's signature does not verify: %v", err)
	}
	if signer.IRI != nodeActor {
		t.Errorf("the Accept is signed by %s, want %s", signer.IRI, nodeActor)
	}

	cs := publish(t, n, "Seen on Mastodon")
	var create testrig.Received
	testrig.Eventually(t, "the Create arrives", func() bool {
		for _, g := range rm.Received("Create") {
			create = g
			return true
		}
		return false
	})
	if create.Path != "/inbox" {
		t.Errorf("Create sent to %s, want the shared inbox", create.Path)
	}
	if _, err := verifyReceived(verifierService(t, rm), create); err != nil {
		t.Errorf("the Create's signature does not verify: %v", err)
	}
	art := create.Object
	for field, want := range map[string]any{
		"id": cs["id"], "type": "Article", "name": "Seen on Mastodon", "summary": cs["summary"], "attributedTo": nodeActor,
	} {
		if art[field] != want {
			t.Errorf("Article %s = %v, want %v", field, art[field], want)
		}
	}
	if u, _ := art["url"].(string); !strings.HasPrefix(u, n.URL+"/") {
		t.Errorf("Article url = %v, want a page on the node", art["url"])
	}
	var hashtags []string
	tags, _ := art["tag"].([]any)
	for _, tg := range tags {
		if m, _ := tg.(map[string]any); m["type"] == "Hashtag" {
			hashtags = append(hashtags, m["name"].(string))
		}
	}
	for _, want := range []string{"#mutuals", "#libraries_first"} {
		if !slices.Contains(hashtags, want) {
			t.Errorf("hashtags %v lack %s", hashtags, want)
		}
	}
}

// verifyReceived checks the signature of a request the Remote received as
// an inbox does, and returns the signer.
func verifyReceived(svc *federation.Service, got testrig.Received) (models.Actor, error) {
	signed, err := svc.VerifySignature(context.Background(), got.Request())
	if err != nil {
		return models.Actor{}, err
	}
	return signed.CheckBody(got.Body)
}
