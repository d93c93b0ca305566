package federation_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pollen-coop/pollen/federation/ap"
	"github.com/pollen-coop/pollen/federation/httpsig"
	"github.com/pollen-coop/pollen/federation/transport"
	"github.com/pollen-coop/pollen/internal/apperr"
	"github.com/pollen-coop/pollen/models"
	"github.com/pollen-coop/pollen/testrig"
)

// personDoc is a Mastodon-shaped actor id whose key keyID is pub.
func personDoc(t *testing.T, id, keyID string, pub *rsa.PublicKey) map[string]any {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       id, "type": "Person", "preferredUsername": "someone", "inbox": id + "/inbox",
		"publicKey": map[string]any{
			"id": keyID, "owner": id,
			"publicKeyPem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})),
		},
	}
}

// postSigned POSTs activity to inbox signed with key under keyID, and
// returns the status.
func postSigned(t *testing.T, inbox, keyID string, key *rsa.PrivateKey, activity any) (int, string) {
	t.Helper()
	body, err := json.Marshal(activity)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ap.MediaTypeActivity)
	if err := httpsig.Sign(req, httpsig.Key{KeyID: keyID, Key: key}, body, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer)
}

// wantCrossOrigin wants err to be the typed refusal of a redirect to
// another origin, a 502 *apperr.Error.
func wantCrossOrigin(t *testing.T, what string, err error) {
	t.Helper()
	var fe *apperr.Error
	if !errors.Is(err, transport.ErrCrossOrigin) || !errors.As(err, &fe) || fe.Kind != apperr.BadGateway {
		t.Errorf("%s: err = %v, want a 502 *apperr.Error wrapping ErrCrossOrigin", what, err)
	}
}

// TestRedirectToAnotherOrigin: a server with an open redirect (victim)
// sends the node to an attacker's server (evil, another loopback port,
// so another origin), which serves documents whose ids are on the
// victim's origin. Neither actors, keys nor announced objects are taken;
// redirects within one origin still are.
func TestRedirectToAnotherOrigin(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		n := testrig.StartNode(t, testrig.Options{DB: db})
		victim, evil := testrig.StartRemote(t), testrig.StartRemote(t)
		storedActor := func(iri string) bool {
			_, err := n.Store.Actors.ByIRI(ctx, iri)
			if err != nil && !errors.Is(err, models.ErrNotFound) {
				t.Fatal(err)
			}
			return err == nil
		}

		// A forged actor behind the victim's open redirect.
		forgedIRI := victim.URL + "/out/actor"
		victim.Redirect(forgedIRI, evil.URL+"/forged/actor")
		evil.Serve(evil.URL+"/forged/actor", personDoc(t, forgedIRI, forgedIRI+"#main-key", &evil.Key.PublicKey))
		_, err := n.Service.Fetcher().FetchActor(ctx, forgedIRI)
		wantCrossOrigin(t, "actor", err)

		// The same as the key of a signed request.
		status, body := postSigned(t, n.URL+"/inbox", forgedIRI+"#main-key", evil.Key, map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": forgedIRI + "/follows/1", "type": "Follow",
			"actor": forgedIRI, "object": n.URL + "/actors/" + n.Config.Handle,
		})
		if status != http.StatusUnauthorized {
			t.Errorf("request signed with a key behind a cross-origin redirect: %d %s, want 401", status, body)
		}
		if storedActor(forgedIRI) {
			t.Errorf("the forged actor %s was stored", forgedIRI)
		}

		// A chain that leaves the origin and comes back is refused too:
		// the other server was asked, and could have answered.
		bounce := victim.URL + "/out/bounce"
		victim.Redirect(bounce, evil.URL+"/back")
		evil.Redirect(evil.URL+"/back", victim.ActorIRI)
		_, err = n.Service.Fetcher().FetchActor(ctx, bounce)
		wantCrossOrigin(t, "a chain back to the origin", err)

		// Within the origin, a chain of redirects is followed, for an
		// actor and for a key document.
		victim.Redirect(victim.URL+"/old/alice", victim.URL+"/moved/alice")
		victim.Redirect(victim.URL+"/moved/alice", victim.ActorIRI)
		if a, err := n.Service.Fetcher().FetchActor(ctx, victim.URL+"/old/alice"); err != nil || a.IRI != victim.ActorIRI {
			t.Errorf("actor redirected within its origin: %+v, %v", a.IRI, err)
		}
		bob := victim.URL + "/users/bob"
		victim.Serve(bob, personDoc(t, bob, victim.URL+"/keys/bob", &victim.Key.PublicKey))
		victim.Redirect(victim.URL+"/keys/bob", bob)
		status, body = postSigned(t, n.URL+"/inbox", victim.URL+"/keys/bob", victim.Key, map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": bob + "/follows/1", "type": "Follow",
			"actor": bob, "object": n.URL + "/actors/" + n.Config.Handle,
		})
		if status != http.StatusAccepted || !storedActor(bob) {
			t.Errorf("key document redirected within its origin: %d %s", status, body)
		}
	})
}

// TestAnnouncedObjectBehindRedirect: a peer the node follows announces an
// object by an IRI on the victim's origin that redirects to a forgery on
// the peer's own server. The node fetches it, refuses the redirect and
// stores nothing.
func TestAnnouncedObjectBehindRedirect(t *testing.T) {
	testrig.EachDB(t, func(t *testing.T, db testrig.DB) {
		ctx := context.Background()
		n := testrig.StartNode(t, testrig.Options{DB: db})
		victim, evil := testrig.StartRemote(t), testrig.StartRemote(t)
		followRemote(t, n, evil)

		iri := victim.ActorIRI + "/articles/1"
		victim.Redirect(iri, evil.URL+"/forged/article")
		evil.Serve(evil.URL+"/forged/article", map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams",
			"id":       iri, "type": "Article", "name": "Forged", "summary": "Forged.", "content": "<p>Forged.</p>",
			"attributedTo": victim.ActorIRI, "to": []any{ap.PublicIRI},
		})
		announce := evil.ActorIRI + "/announces/1"
		if r := evil.Post(t, n.URL+"/inbox", map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams", "id": announce, "type": "Announce",
			"actor": evil.ActorIRI, "to": []any{ap.PublicIRI}, "object": iri,
		}); r.Status != http.StatusAccepted {
			t.Fatalf("Announce: %d %s", r.Status, r.Body)
		}
		var act models.Activity
		testrig.Eventually(t, "the Announce is processed", func() bool {
			a, err := n.Store.Activities.ByIRI(ctx, announce)
			act = a
			return err == nil && a.Attempts > 0
		})
		if !strings.Contains(act.Error, "redirects to another origin") {
			t.Errorf("the Announce's processing failed with %q, want the cross-origin refusal", act.Error)
		}
		if _, err := n.Store.CaseStudies.ByIRI(ctx, iri); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the forged article was stored (err = %v)", err)
		}
	})
}

// followRemote makes the node follow rm, which accepts.
func followRemote(t *testing.T, n *testrig.Node, rm *testrig.Remote) {
	t.Helper()
	if r := n.API(t, http.MethodPost, "/follows", map[string]string{"target": rm.ActorIRI}); r.Status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", r.Status, r.Body)
	}
	testrig.Eventually(t, "the Follow arrives", func() bool { return len(rm.Received("Follow")) == 1 })
	followID := rm.Received("Follow")[0].ID
	actor := n.URL + "/actors/" + n.Config.Handle
	if r := rm.Post(t, n.URL+"/inbox", map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": rm.ActorIRI + "/accepts/1", "type": "Accept",
		"actor": rm.ActorIRI, "object": map[string]any{"id": followID, "type": "Follow", "actor": actor, "object": rm.ActorIRI},
	}); r.Status != http.StatusAccepted {
		t.Fatalf("Accept: %d %s", r.Status, r.Body)
	}
	testrig.Eventually(t, "the follow is accepted", func() bool {
		r := n.API(t, http.MethodGet, "/follows", nil).Map(t)
		items, _ := r["items"].([]any)
		return len(items) == 1 && items[0].(map[string]any)["state"] == "accepted"
	})
}
